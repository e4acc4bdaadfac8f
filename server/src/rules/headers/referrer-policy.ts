import { checkMissingHeader } from '../../proxy/missing-header';
import { COMMENTS, defineRule } from '../rule';
import { LOCATION_READS } from '../../proxy/locations';

export default defineRule({
  meta: {
    id: 'headers/referrer-policy',
    defaultSeverity: 'information',
    presets: { 'kasm-hardened': 'warning', 'nginx-recommended': 'off' },
    messages: {
      missing: {
        text: 'No Referrer-Policy on the responses of this location.',
        why: "When users follow a link to another site, browsers may send the URL of these pages along. The fix sends same-origin.",
        whyKasm: "When users follow a link out of Kasm, browsers may send the URL of Kasm's pages along. Kasm's hardening guide sets same-origin, as the fix does.",
      },
      commented: { text: 'Referrer-Policy is commented out in this location.', why: 'Browsers may send the URL of these pages to other sites; the fix uncomments it.' },
    },
    fixes: {
      uncomment: { title: 'Uncomment the {header} lines ({lines} line{s} in {files} file{fs})', applicability: 'safe' },
      add: { title: 'Add "add_header {header} same-origin always;" to this location', applicability: 'safe' },
    },
    reads: [...LOCATION_READS, COMMENTS, 'add_header', 'add_header_inherit', 'default_type', 'deny', 'location', 'return', 'satisfy'],
    perLocation: { outside: [] },
    docs: {
      summary: 'A location that answers browsers without Referrer-Policy.',
      whatItDoes: 'For each location that serves pages (public, not a health check, not an API: no `api`, `*_api` or `graphql` path segment nor JSON content type; not answering only a status: a redirect, a 204, an error, `deny all` for everyone), reports when no Referrer-Policy header is in effect after inheritance.',
      whyItMatters:
        "Without a policy, the browser's default sends the origin (and for same-origin requests the full URL) of Kasm pages to the sites " +
        "they link to. Kasm's hardening guide asks for `Referrer-Policy same-origin` in every services.d file that adds headers.",
      example: 'location /api/ {\n    add_header Cache-Control "private";\n    proxy_pass http://kasm_api;\n}',
      useInstead: 'location /api/ {\n    add_header Cache-Control "private";\n    add_header Referrer-Policy same-origin always;\n    proxy_pass http://kasm_api;\n}',
      fixSafety:
        "The header is added after the location's own add_header lines (inherited ones re-declared first when it has none), with `always`. " +
        'Safe: it only stops browsers from sending Referer to other sites.',
      references: ['https://developer.mozilla.org/docs/Web/HTTP/Headers/Referrer-Policy'],
    },
  },
  check(context) {
    return checkMissingHeader(context, { header: 'Referrer-Policy', value: 'same-origin', hideUpstream: false, pagesOnly: true });
  },
});
