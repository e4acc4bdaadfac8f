import { checkMissingHeader } from '../../proxy/missing-header';
import { COMMENTS, defineRule } from '../rule';
import { LOCATION_READS } from '../../proxy/locations';

export default defineRule({
  meta: {
    id: 'headers/x-frame-options',
    defaultSeverity: 'hint',
    presets: { 'kasm-hardened': 'warning' },
    messages: {
      missing: {
        text: 'No X-Frame-Options (nor CSP frame-ancestors) on the responses of this location.',
        why: 'Any website can show these pages in a hidden frame and trick signed-in users into clicking in it (clickjacking). The fix sends SAMEORIGIN; leave it off only if other sites embed these pages.',
        whyKasm:
          "Any website can show Kasm in a hidden frame and trick signed-in users into clicking in it (clickjacking). Kasm leaves it off so that it can be embedded in other sites; if you do not embed Kasm, send SAMEORIGIN, as Kasm's hardening guide does.",
      },
      commented: {
        text: 'X-Frame-Options is commented out in this location.',
        why: 'Any website can frame these pages (clickjacking). Uncomment it unless other sites embed them.',
        whyKasm: 'Any website can frame Kasm (clickjacking). Uncomment it unless you embed Kasm in another site.',
      },
    },
    fixes: {
      uncomment: {
        title: 'Uncomment the {header} lines ({lines} line{s} in {files} file{fs})',
        applicability: 'unsafe',
        changes: 'other sites can no longer frame these pages',
        changesKasm: 'other sites can no longer embed Kasm',
      },
      add: {
        title: 'Add "add_header {header} SAMEORIGIN always;" to this location',
        applicability: 'unsafe',
        changes: 'other sites can no longer frame these pages',
        changesKasm: 'other sites can no longer embed Kasm',
      },
    },
    reads: [...LOCATION_READS, COMMENTS, 'add_header', 'add_header_inherit', 'default_type', 'deny', 'location', 'proxy_hide_header', 'return', 'satisfy'],
    perLocation: { outside: [] },
    docs: {
      summary: 'A location that answers browsers without X-Frame-Options (or CSP frame-ancestors).',
      whatItDoes:
        'For each location that serves pages (public, not a health check, not an API: no `api`, `*_api` or `graphql` path segment nor JSON content type; not answering only a status: a redirect, a 204, an error, `deny all` for everyone), looks at the `add_header` lines in effect there ' +
        "after nginx's inheritance (includes counted). Reports the location when neither X-Frame-Options nor a Content-Security-Policy with " +
        '`frame-ancestors` is sent. A hint under kasm-default, since Kasm leaves the header off on purpose so that customers can embed it; a warning under kasm-hardened.',
      whyItMatters:
        'A page that can be framed by any site can be overlaid with a decoy and clicked through by a signed-in user (clickjacking). Kasm\'s ' +
        'hardening guide and DISA STIG ask for X-Frame-Options SAMEORIGIN when Kasm is not embedded elsewhere.',
      example: 'location / {\n    add_header Cache-Control "private";\n    root /srv/www;\n}',
      useInstead: 'location / {\n    add_header Cache-Control "private";\n    add_header X-Frame-Options SAMEORIGIN always;\n    root /srv/www;\n}',
      fixSafety:
        'The guide asks to add the line "to each file that defines add_header"; the fix instead adds it where it is missing, after the ' +
        "location's own add_header lines (re-declaring inherited headers first when the location has none, so that none is dropped), and " +
        'adds `proxy_hide_header X-Frame-Options` where the location proxies, so that the upstream\'s copy does not duplicate it. Unsafe: ' +
        'sites that embed Kasm stop working.',
      references: ['https://developer.mozilla.org/docs/Web/HTTP/Headers/X-Frame-Options', 'https://nginx.org/en/docs/http/ngx_http_headers_module.html#add_header'],
    },
  },
  check(context) {
    return checkMissingHeader(context, {
      header: 'X-Frame-Options',
      value: 'SAMEORIGIN',
      hideUpstream: true,
      pagesOnly: true,
      satisfiedBy: (headers) => (headers.get('content-security-policy') ?? []).some((d) => /frame-ancestors/i.test(d.node.args[1]?.value ?? '')),
    });
  },
});
