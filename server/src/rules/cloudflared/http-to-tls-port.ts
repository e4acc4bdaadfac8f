import { replaceScalar } from '../../cloudflared/edits';
import { checkService, field } from '../../cloudflared/ingress';
import { defineRule } from '../rule';

export default defineRule({
  meta: {
    id: 'cloudflared/http-to-tls-port',
    defaultSeverity: 'warning',
    messages: {
      plain: {
        text: 'Rule #{n} speaks plain HTTP to port {port}, where servers usually speak HTTPS',
        why: 'If the origin listens with TLS there, every request fails with a 502 ("Bad Gateway"): nginx answers plain HTTP on a TLS port with a 400 or drops the connection.',
        whyKasm: "Kasm's proxy listens with TLS on 443: every request fails with a 502 (\"Bad Gateway\") until the service says https://.",
      },
    },
    fixes: {
      https: { title: 'Use {service}', applicability: 'unsafe' },
    },
    docs: {
      summary: '`service: http://...:443` (or :8443): plain HTTP to a TLS port.',
      whatItDoes: 'Reports an `http://` or `ws://` service on port 443 or 8443.',
      whyItMatters:
        "Kasm's proxy listens with TLS on 443. cloudflared sends plain HTTP there, nginx answers with a 400 (\"plain HTTP request was sent to HTTPS port\") or drops the connection, and visitors get an error.",
      example: 'ingress:\n  - hostname: kasm.example.com\n    service: http://localhost:443\n  - service: http_status:404',
      useInstead: 'ingress:\n  - hostname: kasm.example.com\n    service: https://localhost:443\n  - service: http_status:404',
      fixSafety: "Switches the scheme to https. Unsafe: the origin's certificate is then verified (self-signed for Kasm: see cloudflared/no-tls-verify).",
    },
  },
  checkTunnel({ tunnel, report }) {
    for (const rule of tunnel.load.rules) {
      const check = checkService(rule.service);
      if (!check.ok || check.kind !== 'url' || !/^(http|ws)$/.test(check.url.scheme) || ![443, 8443].includes(check.url.port ?? 0)) continue;
      const node = field(rule.value, 'service')!.node;
      const service = rule.service.replace(/^(http|ws):/i, (_, s: string) => `${s.toLowerCase()}s:`);
      const fixes = node.kind === 'scalar' && ['plain', 'single', 'double'].includes(node.style) ? [{ fix: 'https' as const, data: { service }, edits: [replaceScalar(tunnel.file, node, service)] }] : [];
      report({ message: 'plain', data: { n: rule.index + 1, port: check.url.port! }, file: tunnel.file, start: node.start, end: node.end, fixes });
    }
  },
});
