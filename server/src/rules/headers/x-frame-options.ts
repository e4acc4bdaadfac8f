import { checkMissingHeader } from '../../proxy/missing-header';
import { defineRule } from '../rule';

export default defineRule({
  meta: {
    id: 'headers/x-frame-options',
    defaultSeverity: 'hint',
    messages: {
      missing:
        'No X-Frame-Options here (nor a CSP frame-ancestors): any website can show this page in a hidden frame and trick signed-in users into clicking in it (clickjacking). Kasm leaves it off so that it can be embedded in other sites; if you do not embed Kasm, send SAMEORIGIN.',
      commented: 'X-Frame-Options is commented out here: any website can frame this page (clickjacking). Uncomment it unless you embed Kasm in another site.',
    },
    fixes: {
      uncomment: { title: 'Uncomment the {header} lines ({lines} line{s} in {files} file{fs})', applicability: 'unsafe' },
      add: { title: 'Add "add_header {header} SAMEORIGIN always;" to this location', applicability: 'unsafe' },
    },
    docs: {
      summary: 'A location that answers browsers without X-Frame-Options (or CSP frame-ancestors).',
      whatItDoes:
        'For each location that serves browsers (not internal, not named, not only a redirect), looks at the `add_header` lines in effect there ' +
        "after nginx's inheritance (includes counted). Reports the location when neither X-Frame-Options nor a Content-Security-Policy with " +
        '`frame-ancestors` is sent. Severity hint by default: Kasm leaves the header off on purpose so that customers can embed it.',
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
    checkMissingHeader(context, {
      header: 'X-Frame-Options',
      value: 'SAMEORIGIN',
      hideUpstream: true,
      satisfiedBy: (headers) => (headers.get('content-security-policy') ?? []).some((d) => /frame-ancestors/i.test(d.node.args[1]?.value ?? '')),
    });
  },
});
