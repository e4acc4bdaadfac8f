import { ingressRules, span } from '../../cloudflared/document';
import { re2Error } from '../../cloudflared/ingress';
import { defineRule } from '../rule';

export default defineRule({
  meta: {
    id: 'cloudflared/invalid-path',
    defaultSeverity: 'error',
    messages: {
      invalid: 'Rule #{n} has an invalid regex: {detail}. cloudflared compiles the path with Go\'s RE2, which has no look-around or back-references, and refuses to start.',
    },
    docs: {
      summary: 'An ingress path that is not a valid Go (RE2) regular expression.',
      whatItDoes:
        "Compiles each rule's `path` as Go's regexp package would: syntax errors, and the Perl features RE2 lacks (look-ahead, look-behind, back-references), are reported with Go's message.",
      whyItMatters:
        'cloudflared refuses to start. Note too that the path is an unanchored regex: `/admin` also matches `/x/admin/y`; anchor it with `^` when that matters.',
      example: 'ingress:\n  - hostname: kasm.example.com\n    path: ^/(?!api)\n    service: https://localhost:443\n  - service: http_status:404',
      useInstead: 'ingress:\n  - hostname: kasm.example.com\n    path: ^/api\n    service: http_status:403\n  - hostname: kasm.example.com\n    service: https://localhost:443\n  - service: http_status:404',
    },
  },
  checkTunnel({ tunnel, report }) {
    for (const rule of ingressRules(tunnel).rules) {
      if (rule.path === '' || !rule.pathEntry?.value) continue;
      const detail = re2Error(rule.path);
      if (detail) report({ message: 'invalid', data: { n: rule.index + 1, detail }, file: tunnel.file, ...span(rule.pathEntry.value, rule.node) });
    }
  },
});
