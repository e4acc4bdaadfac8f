import { asMap, entry, type Entry, ingressRules, type IngressRule, span } from '../../cloudflared/document';
import { replaceEntry } from '../../cloudflared/edits';
import { checkService, isLoopback } from '../../cloudflared/ingress';
import { decodeBool } from '../../cloudflared/values';
import { readCertificate } from '../../tls/certificates';
import { defineRule, type FixSpec } from '../rule';
import type { FileHost } from '../../workspace/host';

const KASM_CERTIFICATE = '/opt/kasm/current/certs/kasm_nginx.crt';

/** A name the certificate carries, to verify it by: the first DNS name, else the rule's hostname. */
function serverName(host: FileHost, certificate: string, fallback: string): { name: string; fromCertificate: boolean } {
  const read = host.read(certificate);
  if (read.ok) {
    const info = readCertificate(read.text);
    if (!('error' in info)) {
      const name = info.names.find((n) => !n.startsWith('*.')) ?? info.names[0];
      if (name) return { name, fromCertificate: true };
    }
  }
  return { name: fallback, fromCertificate: false };
}

function origins(rules: readonly IngressRule[], scope: IngressRule | undefined): string[] {
  const targets = scope ? [scope] : rules.filter((r) => !r.originRequest || entry(r.originRequest, 'noTLSVerify') === undefined);
  return targets.map((r) => checkService(r.service)).flatMap((c) => (c.ok && c.kind === 'url' && /^(https|wss)$/.test(c.url.scheme) ? [c.url.hostname] : []));
}

export default defineRule({
  meta: {
    id: 'cloudflared/no-tls-verify',
    defaultSeverity: 'warning',
    messages: {
      loopback:
        "noTLSVerify is on for {origin}, an origin on this machine. Kasm's guide prescribes it because Kasm's certificate is self-signed, and the traffic never leaves the host; " +
        'still, cloudflared would accept any certificate, so a process that takes over port {port} here is not noticed. caPool with Kasm\'s own certificate verifies it instead.',
      remote:
        'noTLSVerify is on for {origin}: cloudflared accepts any certificate from the origin, so anyone on the network path between the tunnel and it can read and change the traffic, Kasm sessions and passwords included.',
      topLevel:
        'noTLSVerify is on in the top-level originRequest, so every rule without its own setting ({origins}) accepts any certificate from its origin.',
    },
    fixes: {
      caPool: { title: 'Verify with caPool {certificate} and originServerName {name}', applicability: 'unsafe' },
    },
    options: {
      certificate: { description: "The origin's certificate (or its CA) for the caPool fix.", default: KASM_CERTIFICATE },
    },
    docs: {
      summary: '`noTLSVerify` switched on (in any spelling cloudflared accepts as true).',
      whatItDoes:
        "Reports `noTLSVerify` when cloudflared reads it as true (`true`, `yes`, `on`, `y`, ... quoted or not). The severity follows the origin: information for an origin on loopback (`https://localhost:443`, `127.0.0.1`, `[::1]`): Kasm's guide prescribes exactly this, because Kasm's certificate is self-signed, and the traffic stays on the machine. A warning for any other origin, or in the top-level `originRequest`.",
      whyItMatters:
        "noTLSVerify sets Go's InsecureSkipVerify: any certificate is accepted. On a network path that is a man-in-the-middle waiting to happen; on loopback it still means a local process bound to the port is trusted.",
      example: 'ingress:\n  - hostname: kasm.example.com\n    service: https://localhost:443\n    originRequest:\n      noTLSVerify: true\n  - service: http_status:404',
      useInstead:
        'ingress:\n  - hostname: kasm.example.com\n    service: https://localhost:443\n    originRequest:\n      caPool: /opt/kasm/current/certs/kasm_nginx.crt\n      originServerName: kasm.example.com\n  - service: http_status:404',
      fixSafety:
        "Replaces the line with `caPool` (Kasm's certificate by default, the `certificate` option) and `originServerName` (a name read from that certificate when the file is readable here, the rule's hostname otherwise). Unsafe: the origin's certificate must carry that name, or the tunnel fails with a certificate error.",
      references: ['https://developers.cloudflare.com/cloudflare-one/connections/connect-networks/configure-tunnels/origin-configuration/#notlsverify'],
    },
  },
  checkTunnel({ tunnel, options, host, report }) {
    const certificate = typeof options.certificate === 'string' && options.certificate ? options.certificate : KASM_CERTIFICATE;
    const { rules } = ingressRules(tunnel);
    const fixFor = (e: Entry, hostname: string): Array<FixSpec<'caPool'>> => {
      const name = serverName(host, certificate, hostname);
      if (!name.name) return [];
      return [{ fix: 'caPool', data: { certificate, name: name.name }, edits: [replaceEntry(tunnel.file, e, [`caPool: ${certificate}`, `originServerName: ${name.name}`])] }];
    };
    const on = (e: Entry | undefined) => {
      if (!e) return false;
      const decoded = decodeBool(e.value);
      return decoded.ok && decoded.value === true;
    };

    for (const rule of rules) {
      const e = entry(rule.originRequest, 'noTLSVerify');
      if (!on(e)) continue;
      const service = checkService(rule.service);
      const url = service.ok && service.kind === 'url' ? service.url : undefined;
      const local = url !== undefined && isLoopback(url.hostname);
      report({
        message: local ? 'loopback' : 'remote',
        severity: local ? 'information' : undefined,
        data: { origin: rule.service || 'this rule', port: url?.port ?? 443 },
        file: tunnel.file,
        start: e!.keyNode.range![0],
        end: span(e!.value, e!.keyNode).end,
        fixes: fixFor(e!, rule.hostname.replace(/^\*\./, '')),
      });
    }

    const top = entry(asMap(entry(tunnel.top, 'originRequest')?.value), 'noTLSVerify');
    if (on(top)) {
      const affected = origins(rules, undefined);
      report({
        message: 'topLevel',
        data: { origins: affected.length ? affected.join(', ') : 'none over TLS today' },
        file: tunnel.file,
        start: top!.keyNode.range![0],
        end: span(top!.value, top!.keyNode).end,
        fixes: fixFor(top!, rules.find((r) => r.hostname)?.hostname.replace(/^\*\./, '') ?? ''),
      });
    }
  },
});
