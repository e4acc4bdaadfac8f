import { checkMissingHeader } from '../../proxy/missing-header';
import { COMMENTS, defineRule } from '../rule';
import { LOCATION_READS } from '../../proxy/locations';

export default defineRule({
  meta: {
    id: 'headers/x-content-type-options',
    defaultSeverity: 'information',
    presets: { 'nginx-recommended': 'hint' },
    messages: {
      missing: {
        text: 'No X-Content-Type-Options on the responses of this location.',
        why: 'Browsers may guess ("sniff") the type of a response and run an upload or an API answer as a script or a page. The fix sends nosniff.',
      },
      commented: { text: 'X-Content-Type-Options is commented out in this location.', why: 'Browsers may sniff response types and run content as script; the fix uncomments it.' },
    },
    fixes: {
      uncomment: { title: 'Uncomment the {header} lines ({lines} line{s} in {files} file{fs})', applicability: 'safe' },
      add: { title: 'Add "add_header {header} nosniff always;" to this location', applicability: 'safe' },
    },
    reads: [...LOCATION_READS, COMMENTS, 'add_header', 'add_header_inherit', 'deny', 'location', 'return', 'satisfy'],
    perLocation: { outside: [] },
    docs: {
      summary: 'A location that answers browsers without X-Content-Type-Options nosniff.',
      whatItDoes:
        'For each location that serves browsers (APIs included; not one that answers only a status: a redirect, a 204, an error, `deny all` for everyone), reports when no X-Content-Type-Options header is in effect after inheritance. Kasm sends ' +
        'it from website.conf, upstream_proxy.conf and one kasmguac.conf location, but not from its API locations.',
      whyItMatters:
        'Without `nosniff`, a browser may treat a response as another type than the one declared and execute it (content sniffing attacks). ' +
        'CIS NGINX and dev-sec baselines require it.',
      example: 'location /api/ {\n    add_header Cache-Control "private";\n    proxy_pass http://kasm_api;\n}',
      useInstead: 'location /api/ {\n    add_header Cache-Control "private";\n    add_header X-Content-Type-Options nosniff always;\n    proxy_pass http://kasm_api;\n}',
      fixSafety:
        "The header is added after the location's own add_header lines (inherited ones re-declared first when it has none), with `always`. " +
        'Safe for responses served with their right Content-Type.',
      references: ['https://developer.mozilla.org/docs/Web/HTTP/Headers/X-Content-Type-Options'],
    },
  },
  check(context) {
    return checkMissingHeader(context, { header: 'X-Content-Type-Options', value: 'nosniff', hideUpstream: false, pagesOnly: false });
  },
});
