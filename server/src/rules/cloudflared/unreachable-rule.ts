import { ingressRules, isCatchAll, span } from '../../cloudflared/document';
import { earlyCatchAll } from '../../cloudflared/ingress';
import { defineRule } from '../rule';

export default defineRule({
  meta: {
    id: 'cloudflared/unreachable-rule',
    defaultSeverity: 'error',
    messages: {
      early: '{cloudflared} cloudflared refuses to start; {count} rule{s} after it would never be used.',
    },
    docs: {
      summary: 'A catch-all rule before the end of the ingress list.',
      whatItDoes: 'Reports an ingress rule that matches every request (no hostname, or `*`, and no path) when other rules follow it.',
      whyItMatters:
        'Rules are matched in order, so the ones after a catch-all could never match; cloudflared treats this as a mistake and refuses to start.',
      example: 'ingress:\n  - service: http_status:404\n  - hostname: kasm.example.com\n    service: https://localhost:443',
      useInstead: 'ingress:\n  - hostname: kasm.example.com\n    service: https://localhost:443\n  - service: http_status:404',
    },
  },
  checkTunnel({ tunnel, report }) {
    const { rules } = ingressRules(tunnel);
    for (const rule of rules.slice(0, -1)) {
      if (!isCatchAll(rule)) continue;
      const after = rules.length - 1 - rule.index;
      report({
        message: 'early',
        data: { cloudflared: earlyCatchAll(rule.index, rule.hostname), count: after, s: after === 1 ? '' : 's' },
        file: tunnel.file,
        ...span(rule.node, rule.node),
      });
      return; // cloudflared stops at the first
    }
  },
});
