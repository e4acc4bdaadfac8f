import { checkMissingHeader } from '../../proxy/missing-header';
import { COMMENTS, defineRule } from '../rule';
import { LOCATION_READS } from '../../proxy/locations';

export default defineRule({
  meta: {
    id: 'headers/cross-origin-embedder-policy',
    defaultSeverity: 'hint',
    presets: { 'kasm-hardened': 'warning', 'nginx-recommended': 'off' },
    messages: {
      missing: {
        text: 'No Cross-Origin-Embedder-Policy on the responses of this location.',
        why: 'These pages may load cross-origin resources that did not opt in, and cannot be cross-origin isolated (a defence against Spectre-style side channels).',
      },
      commented: {
        text: 'Cross-Origin-Embedder-Policy is commented out in this location.',
        why: 'The fix uncomments it, and its proxy_hide_header line, in every file at once.',
        whyKasm:
          "Kasm ships it commented out. Kasm's hardening guide uncomments it (with its proxy_hide_header line) in website.conf and upstream_proxy.conf; the fix does all of it in one edit.",
      },
    },
    fixes: {
      uncomment: {
        title: 'Uncomment the {header} lines ({lines} line{s} in {files} file{fs})',
        applicability: 'unsafe',
        changes: 'cross-origin resources that do not opt in stop loading',
      },
      add: {
        title: 'Add "add_header {header} require-corp always;" to this location',
        applicability: 'unsafe',
        changes: 'cross-origin resources that do not opt in stop loading',
      },
    },
    reads: [...LOCATION_READS, COMMENTS, 'add_header', 'add_header_inherit', 'default_type', 'deny', 'location', 'proxy_hide_header', 'return', 'satisfy'],
    perLocation: { outside: [] },
    docs: {
      summary: 'A location that answers browsers without Cross-Origin-Embedder-Policy, or with it commented out.',
      whatItDoes:
        'For each location that serves pages (public, not a health check, not an API: no `api`, `*_api` or `graphql` path segment nor JSON content type; not answering only a status: a redirect, a 204, an error, `deny all` for everyone), reports when no Cross-Origin-Embedder-Policy is in effect. Kasm ships the header commented ' +
        'out in website.conf and upstream_proxy.conf; the fix uncomments those lines (and the commented `proxy_hide_header`) together. ' +
        'A hint under kasm-default, a warning under kasm-hardened, off under nginx-recommended (it breaks pages that load resources from other origins).',
      whyItMatters:
        '`require-corp` stops the page from loading cross-origin resources that did not agree to it, and is needed for cross-origin isolation ' +
        "(protection from Spectre-style side channels). Listed in Kasm's hardening guide.",
      example: "location / {\n    #add_header 'Cross-Origin-Embedder-Policy' 'require-corp';\n    root /srv/www;\n}",
      useInstead: "location / {\n    add_header 'Cross-Origin-Embedder-Policy' 'require-corp';\n    root /srv/www;\n}",
      fixSafety: 'Unsafe: resources from other origins without CORP or CORS headers stop loading.',
      references: ['https://developer.mozilla.org/docs/Web/HTTP/Headers/Cross-Origin-Embedder-Policy'],
    },
  },
  check(context) {
    return checkMissingHeader(context, { header: 'Cross-Origin-Embedder-Policy', value: 'require-corp', hideUpstream: true, pagesOnly: true });
  },
});
