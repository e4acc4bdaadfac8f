import { effective } from '../../model/effective';
import { defineRule } from '../rule';

const TLS_PORTS = new Set([443, 8443]);

/** The port of a listen address: "443", "*:443", "127.0.0.1:8443", "[::]:443"; undefined for unix sockets. */
export function listenPort(address: string): number | undefined {
  if (address.startsWith('unix:')) return undefined;
  const match = /(?:^|:)(\d+)$/.exec(address);
  return match ? Number(match[1]) : /^\d+$/.test(address) ? Number(address) : undefined;
}

export default defineRule({
  meta: {
    id: 'tls/plaintext-listener',
    defaultSeverity: 'warning',
    messages: {
      plain: {
        text: 'listen {address} serves plain HTTP on port {port}, where clients expect TLS.',
        why: 'Browsers fail, and anything sent there (logins, session tokens) crosses the network unencrypted.{how}',
        whyKasm: 'Browsers fail, and anything sent there (Kasm logins, session tokens) crosses the network unencrypted.{how}',
      },
    },
    fixes: {
      addSsl: { title: 'Add the ssl parameter to this listen', applicability: 'unsafe', changes: 'the port answers TLS only' },
    },
    reads: ['listen'],
    docs: {
      summary: 'A `listen 443` or `listen 8443` without `ssl`.',
      whatItDoes: 'Reports a `listen` on port 443 or 8443 (any address) without the `ssl` (or `quic`) parameter in an http server.',
      whyItMatters:
        "Ports 443 and 8443 are Kasm's HTTPS ports; Kasm's networking guide says never to expose them without HTTPS. Plain HTTP there sends " +
        'credentials and session tokens in clear text.',
      example: 'server {\n    listen 443;\n}',
      useInstead: 'server {\n    listen 443 ssl;\n    ssl_certificate /etc/ssl/certs/kasm_nginx.crt;\n    ssl_certificate_key /etc/ssl/private/kasm_nginx.key;\n}',
      fixSafety:
        'Adding `ssl` changes what the port speaks, and needs a certificate: the fix is only offered where ssl_certificate applies, and never applied in bulk.',
    },
  },
  check({ model, settings, report }) {
    for (const d of model.named('listen')) {
      if (d.parent.context !== 'http.server' || d.node.terminator !== ';') continue;
      const [address, ...params] = d.node.args;
      if (!address) continue;
      const port = listenPort(address.value);
      if (port === undefined || !TLS_PORTS.has(port)) continue;
      if (params.some((p) => p.value === 'ssl' || p.value === 'quic')) continue;
      const hasCertificate = effective(d.parent, 'ssl_certificate', settings.nginxVersion).directives.length > 0;
      report({
        message: 'plain',
        data: { address: address.value, port, how: hasCertificate ? '' : ' Add ssl with a certificate (ssl_certificate and ssl_certificate_key), or use another port for plain HTTP.' },
        file: d.file,
        start: d.node.start,
        end: d.node.end,
        fixes: hasCertificate ? [{ fix: 'addSsl', edits: [{ file: d.file, start: address.end, end: address.end, newText: ' ssl' }] }] : [],
      });
    }
  },
});
