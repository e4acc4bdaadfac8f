import { ingressRules, isCatchAll, span } from '../../cloudflared/document';
import { appendListItem } from '../../cloudflared/edits';
import { LAST_NOT_CATCH_ALL, NO_RULES } from '../../cloudflared/ingress';
import { defineRule } from '../rule';

export default defineRule({
  meta: {
    id: 'cloudflared/catch-all',
    defaultSeverity: 'error',
    messages: {
      noRules: '{cloudflared}: the tunnel has nowhere to send requests, and cloudflared refuses to run it.',
      lastNotCatchAll: '{cloudflared}. cloudflared refuses to start: add a last rule without hostname and path, such as "- service: http_status:404".',
    },
    fixes: {
      append: { title: 'Append "- service: http_status:404" as the last rule', applicability: 'safe' },
    },
    docs: {
      summary: 'No ingress rules, or a last rule that does not match every request.',
      whatItDoes:
        'cloudflared requires the last ingress rule to match every request (no `hostname`, or `*`, and no `path`): it answers what no other ' +
        'rule matched. This rule reports a file with an `ingress` list that is empty, or whose last rule has a hostname or a path filter.',
      whyItMatters: 'Without it cloudflared refuses to start, so the Kasm site behind the tunnel is down.',
      example: 'ingress:\n  - hostname: kasm.example.com\n    service: https://localhost:443',
      useInstead: 'ingress:\n  - hostname: kasm.example.com\n    service: https://localhost:443\n  - service: http_status:404',
      fixSafety: 'Appends a rule that answers 404 to requests no other rule matches: what cloudflared needs, and nothing else changes. Safe.',
      references: ['https://developers.cloudflare.com/cloudflare-one/connections/connect-networks/configure-tunnels/local-management/configuration-file/'],
    },
  },
  checkTunnel({ tunnel, report }) {
    const { entry, rules } = ingressRules(tunnel);
    if (!entry) return; // cloudflared/missing-tunnel and the legacy url flag are another matter
    if (rules.length === 0) {
      const where = span(entry.value, entry.keyNode);
      report({ message: 'noRules', data: { cloudflared: NO_RULES }, file: tunnel.file, start: entry.keyNode.range![0], end: Math.max(where.end, entry.keyNode.range![1]) });
      return;
    }
    const last = rules[rules.length - 1]!;
    if (isCatchAll(last)) return;
    const filter = last.pathEntry && last.path !== '' ? last.pathEntry : last.hostnameEntry ?? last.pathEntry;
    const at = filter ? { start: filter.keyNode.range![0], end: span(filter.value, filter.keyNode).end } : span(last.node, last.node);
    report({
      message: 'lastNotCatchAll',
      data: { cloudflared: LAST_NOT_CATCH_ALL },
      file: tunnel.file,
      ...at,
      fixes: [{ fix: 'append', edits: [appendListItem(tunnel.file, last.node, ['service: http_status:404'])] }],
    });
  },
});
