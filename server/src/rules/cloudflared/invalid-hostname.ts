import { replaceScalar } from '../../cloudflared/edits';
import { refusalsOf } from '../../cloudflared/load';
import { defineRule, type FixSpec } from '../rule';

export default defineRule({
  meta: {
    id: 'cloudflared/invalid-hostname',
    defaultSeverity: 'error',
    messages: {
      port: {
        text: '{cloudflared}',
        why: "Rule #{n}'s hostname has a port, and cloudflared refuses to start: the public side of a tunnel is always Cloudflare's ports 80 and 443.",
      },
      wildcard: {
        text: '{cloudflared}',
        why: "Rule #{n}'s hostname has a \"*\" elsewhere than first, and cloudflared refuses to start. A leading \"*.\" matches subdomains at any depth, never the bare domain.",
      },
    },
    fixes: {
      dropPort: { title: 'Use {hostname}', applicability: 'safe' },
    },
    docs: {
      summary: 'An ingress hostname with a port, or a wildcard anywhere but first.',
      whatItDoes:
        "Checks each rule's `hostname` as cloudflared's validateHostname does: no port (Go's net.SplitHostPort must fail on it), and no `*` " +
        'after the first character.',
      whyItMatters: 'cloudflared refuses to start. (At run time only a leading `*.` is a wildcard: it matches subdomains at any depth, never the bare domain.)',
      example: 'ingress:\n  - hostname: kasm.example.com:443\n    service: https://localhost:443\n  - service: http_status:404',
      useInstead: 'ingress:\n  - hostname: kasm.example.com\n    service: https://localhost:443\n  - service: http_status:404',
      fixSafety: 'Drops the port, which cloudflared could never have used. Safe.',
    },
  },
  checkTunnel({ tunnel, report }) {
    const { file, load } = tunnel;
    for (const refusal of refusalsOf(load, ['hostname-port', 'hostname-wildcard'])) {
      const rule = refusal.rule!;
      const fixes: Array<FixSpec<'dropPort'>> = [];
      const hostname = rule.hostname.replace(/:[^:\]]*$/, '');
      if (refusal.kind === 'hostname-port' && hostname && refusal.node?.kind === 'scalar' && ['plain', 'single', 'double'].includes(refusal.node.style)) {
        fixes.push({ fix: 'dropPort', data: { hostname }, edits: [replaceScalar(file, refusal.node, /^\*/.test(hostname) && refusal.node.style === 'plain' ? `"${hostname}"` : hostname)] });
      }
      report({ message: refusal.kind === 'hostname-port' ? 'port' : 'wildcard', data: { cloudflared: refusal.message, n: rule.index + 1 }, file, start: refusal.start, end: refusal.end, fixes });
    }
  },
});
