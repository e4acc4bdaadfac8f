import { checkMissingHeader } from '../../proxy/missing-header';
import { COMMENTS, defineRule } from '../rule';
import { LOCATION_READS } from '../../proxy/locations';

/** The policy Kasm ships commented out: Kasm's UI works with it. */
export const KASM_CSP = "default-src 'unsafe-inline' 'unsafe-eval' 'self' blob: data:;";

export default defineRule({
  meta: {
    id: 'headers/content-security-policy',
    defaultSeverity: 'hint',
    presets: { 'kasm-hardened': 'warning', 'nginx-recommended': 'off' },
    messages: {
      missing: {
        text: 'No Content-Security-Policy on the responses of this location.',
        why: 'An injected script or a compromised third-party resource runs with the full rights of the page. A policy limits where scripts, styles and frames may come from; it must fit the application.',
        whyKasm:
          "An injected script or a compromised third-party resource runs with the full rights of the page. Kasm ships a policy its UI works with, commented out; the fix adds it, as Kasm's hardening guide does.",
      },
      commented: {
        text: 'Content-Security-Policy is commented out in this location.',
        why: 'These pages load scripts and frames from anywhere. The fix uncomments the policy, and its proxy_hide_header line, in every file at once.',
        whyKasm:
          "Kasm ships it commented out, so its pages load scripts and frames from anywhere. Kasm's hardening guide uncomments it (with its proxy_hide_header line) in website.conf and upstream_proxy.conf; the fix does all of it in one edit.",
      },
    },
    fixes: {
      uncomment: {
        title: 'Uncomment the {header} lines ({lines} line{s} in {files} file{fs})',
        applicability: 'unsafe',
        changes: 'resources the policy does not allow stop loading',
      },
      add: { title: 'Add a Content-Security-Policy to this location', applicability: 'unsafe', changes: 'resources the policy does not allow stop loading' },
    },
    reads: [...LOCATION_READS, COMMENTS, 'add_header', 'add_header_inherit', 'default_type', 'deny', 'location', 'proxy_hide_header', 'return', 'satisfy'],
    perLocation: { outside: [] },
    docs: {
      summary: 'A location that answers browsers without Content-Security-Policy, or with it commented out.',
      whatItDoes:
        'For each location that serves pages (public, not a health check, not an API: no `api`, `*_api` or `graphql` path segment nor JSON content type; not answering only a status: a redirect, a 204, an error, `deny all` for everyone), looks at the `add_header` lines in effect after inheritance. Reports the location when no ' +
        'Content-Security-Policy is sent. When the location holds a commented-out `#add_header ... Content-Security-Policy` line (Kasm ships ' +
        'three: website.conf and twice in upstream_proxy.conf, plus a commented `#proxy_hide_header`), the message says so and the fix ' +
        'uncomments them all at once. A hint under kasm-default, as Kasm leaves it off for compatibility; a warning under kasm-hardened; off under ' +
        'nginx-recommended, since a policy depends on the application.',
      whyItMatters:
        'A policy limits where scripts, styles and frames may come from, which contains cross-site scripting and compromised resources. ' +
        "DISA STIG and Kasm's hardening guide list it.",
      example: "location / {\n    add_header X-Content-Type-Options nosniff always;\n    #add_header 'Content-Security-Policy' \"default-src 'self'\";\n}",
      useInstead: "location / {\n    add_header X-Content-Type-Options nosniff always;\n    add_header 'Content-Security-Policy' \"default-src 'self'\";\n}",
      fixSafety:
        'Uncommenting follows the guide exactly: the `add_header` line in every location that has it commented, and the commented ' +
        '`proxy_hide_header Content-Security-Policy` where the location proxies (4 lines in 2 files on Kasm 1.16.1), as one edit. Where no ' +
        "commented line exists, the fix adds Kasm's own policy (" + KASM_CSP + '). Unsafe: a policy can block resources a page needs.',
      references: ['https://developer.mozilla.org/docs/Web/HTTP/CSP'],
    },
  },
  check(context) {
    return checkMissingHeader(context, { header: 'Content-Security-Policy', value: KASM_CSP, hideUpstream: true, pagesOnly: true });
  },
});
