import { ingressRules, span } from '../../cloudflared/document';
import { BAD_WILDCARD, HOSTNAME_PORT, hostnameHasPort } from '../../cloudflared/ingress';
import { replaceScalar } from '../../cloudflared/edits';
import { defineRule, type FixSpec } from '../rule';

export default defineRule({
  meta: {
    id: 'cloudflared/invalid-hostname',
    defaultSeverity: 'error',
    messages: {
      port: 'Rule #{n}: {cloudflared}: the public side of a tunnel is always ports 80 and 443. cloudflared refuses to start.',
      wildcard: 'Rule #{n}: {cloudflared}. cloudflared refuses to start.',
    },
    fixes: {
      dropPort: { title: 'Use {hostname}', applicability: 'safe' },
    },
    docs: {
      summary: 'An ingress hostname with a port, or a wildcard anywhere but a leading "*.".',
      whatItDoes: "Checks each rule's `hostname` as cloudflared does: no port, and at most one `*`, only as the first character.",
      whyItMatters:
        'cloudflared refuses to start. (At run time only a leading `*.` is a wildcard: it matches subdomains at any depth, never the bare domain.)',
      example: 'ingress:\n  - hostname: kasm.example.com:443\n    service: https://localhost:443\n  - service: http_status:404',
      useInstead: 'ingress:\n  - hostname: kasm.example.com\n    service: https://localhost:443\n  - service: http_status:404',
      fixSafety: 'Drops the port, which cloudflared could never have used. Safe.',
    },
  },
  checkTunnel({ tunnel, report }) {
    for (const rule of ingressRules(tunnel).rules) {
      const node = rule.hostnameEntry?.value;
      if (!node || rule.hostname === '') continue;
      if (hostnameHasPort(rule.hostname)) {
        const hostname = rule.hostname.replace(/:[^:\]]*$/, '');
        const fixes: Array<FixSpec<'dropPort'>> = hostname ? [{ fix: 'dropPort', data: { hostname }, edits: [replaceScalar(tunnel.file, node, hostname)] }] : [];
        report({ message: 'port', data: { n: rule.index + 1, cloudflared: HOSTNAME_PORT }, file: tunnel.file, ...span(node, rule.node), fixes });
      } else if (rule.hostname.lastIndexOf('*') > 0) {
        report({ message: 'wildcard', data: { n: rule.index + 1, cloudflared: BAD_WILDCARD }, file: tunnel.file, ...span(node, rule.node) });
      }
    }
  },
});
