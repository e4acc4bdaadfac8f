import { checkMissingHeader } from '../../proxy/missing-header';
import { defineRule } from '../rule';

export default defineRule({
  meta: {
    id: 'headers/cross-origin-embedder-policy',
    defaultSeverity: 'hint',
    messages: {
      missing: 'No Cross-Origin-Embedder-Policy here: the page may load cross-origin resources that did not opt in, and cannot be cross-origin isolated.',
      commented:
        "Cross-Origin-Embedder-Policy is commented out here, as Kasm ships it. Kasm's hardening guide says to uncomment it (with its proxy_hide_header line) in website.conf and upstream_proxy.conf.",
    },
    fixes: {
      uncomment: { title: 'Uncomment the {header} lines ({lines} line{s} in {files} file{fs})', applicability: 'unsafe' },
      add: { title: 'Add "add_header {header} require-corp always;" to this location', applicability: 'unsafe' },
    },
    docs: {
      summary: 'A location that answers browsers without Cross-Origin-Embedder-Policy, or with it commented out.',
      whatItDoes:
        'For each location that serves browsers, reports when no Cross-Origin-Embedder-Policy is in effect. Kasm ships the header commented ' +
        'out in website.conf and upstream_proxy.conf; the fix uncomments those lines (and the commented `proxy_hide_header`) together. ' +
        'Severity hint by default.',
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
    checkMissingHeader(context, { header: 'Cross-Origin-Embedder-Policy', value: 'require-corp', hideUpstream: true });
  },
});
