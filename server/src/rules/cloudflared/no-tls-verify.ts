import { removeEntry, replaceEntry, startsLine } from '../../cloudflared/edits';
import { boolField, checkService, field, type IngressRule, isLoopback } from '../../cloudflared/ingress';
import { entryOfKey } from '../../cloudflared/load';
import type { FieldValue } from '../../cloudflared/yamlv3/decode';
import { readCertificate } from '../../tls/certificates';
import { defineRule, type FixSpec } from '../rule';
import type { FileHost } from '../../workspace/host';

const KASM_CERTIFICATE = '/opt/kasm/current/certs/kasm_nginx.crt';

/** A name the certificate carries, to verify it by: the first DNS name, else the rule's hostname. */
function serverName(host: FileHost, certificate: string, fallback: string): string {
  const read = host.read(certificate);
  if (read.ok) {
    const info = readCertificate(read.text);
    if (!('error' in info)) {
      const name = info.names.find((n) => !n.startsWith('*.')) ?? info.names[0];
      if (name) return name;
    }
  }
  return fallback;
}

/** How cloudflared reaches a rule's origin (ingress/origin_service.go): over TLS, in the clear, or not at all. */
type Hop = { tls: true; local: boolean; port: number } | { tls: false; how: string } | undefined;

function hopOf(rule: IngressRule): Hop {
  if (rule.service.startsWith('unix+tls:')) return { tls: true, local: true, port: 0 };
  if (rule.service.startsWith('unix:')) return { tls: false, how: 'plain HTTP over a unix socket' };
  const check = checkService(rule.service);
  if (!check.ok || check.kind !== 'url') return undefined;
  const { scheme, hostname, port } = check.url;
  if (scheme === 'https' || scheme === 'wss') return { tls: true, local: isLoopback(hostname), port: port ?? 443 };
  // httpService for http and ws; tcpOverWSService (a plain TCP connection) for every other scheme.
  return { tls: false, how: scheme === 'http' || scheme === 'ws' ? 'plain HTTP' : 'a plain TCP connection' };
}

type Fix = 'caPool' | 'remove';

export default defineRule({
  meta: {
    id: 'cloudflared/no-tls-verify',
    defaultSeverity: 'warning',
    messages: {
      loopback: {
        text: 'noTLSVerify is on for {origin}, an origin on this machine',
        why:
          "Kasm's guide prescribes it because Kasm's certificate is self-signed, and the traffic never leaves the host; still, cloudflared would accept " +
          "any certificate, so a process that takes over {listener} here is not noticed. caPool with Kasm's own certificate verifies it instead.",
      },
      remote: {
        text: 'noTLSVerify is on for {origin}: cloudflared accepts any certificate from this origin',
        why: 'Anyone on the network path between the tunnel and the origin can read and change the traffic, Kasm sessions and passwords included. Verify the certificate with caPool and originServerName.',
      },
      topLevel: {
        text: 'noTLSVerify is on in the top-level originRequest: {origins} accept any certificate',
        why: 'Every rule without its own noTLSVerify inherits it, so cloudflared verifies none of these origins: anyone on the path to them can read and change the traffic.',
      },
      noTls: {
        text: 'noTLSVerify does nothing for {origin}: cloudflared reaches it by {how}, with no TLS on that hop',
        why: 'There is no certificate to verify, and the traffic between cloudflared and this origin is not encrypted. Use an https:// origin (with caPool) if the hop crosses a network.',
      },
    },
    fixes: {
      caPool: { title: 'Verify with caPool {certificate} and originServerName {name}', applicability: 'unsafe' },
      remove: { title: 'Remove noTLSVerify, which does nothing here', applicability: 'safe' },
    },
    options: {
      certificate: { description: "The origin's certificate (or its CA) for the caPool fix.", default: KASM_CERTIFICATE },
    },
    docs: {
      summary: '`noTLSVerify` switched on (in any spelling cloudflared accepts as true).',
      whatItDoes:
        "Reports `noTLSVerify` when cloudflared reads it as true (`true`, `yes`, `on`, `y`, ... quoted or not), by what the origin is: for an " +
        "https://, wss:// or unix+tls: origin on loopback (`https://localhost:443`, `127.0.0.1`, `[::1]`), information: Kasm's guide prescribes " +
        "exactly this, because Kasm's certificate is self-signed, and the traffic stays on the machine; for any other TLS origin, or in the " +
        'top-level `originRequest`, a warning; for an http://, ws://, TCP (ssh://, rdp://, tcp://) or unix: origin, information that it does ' +
        'nothing, since there is no TLS on that hop.',
      whyItMatters:
        "noTLSVerify sets Go's InsecureSkipVerify: any certificate is accepted. On a network path that is a man-in-the-middle waiting to happen; on loopback it still means a local process bound to the port is trusted.",
      example: 'ingress:\n  - hostname: kasm.example.com\n    service: https://localhost:443\n    originRequest:\n      noTLSVerify: true\n  - service: http_status:404',
      useInstead:
        'ingress:\n  - hostname: kasm.example.com\n    service: https://localhost:443\n    originRequest:\n      caPool: /opt/kasm/current/certs/kasm_nginx.crt\n      originServerName: kasm.example.com\n  - service: http_status:404',
      fixSafety:
        "Replaces the line with `caPool` (Kasm's certificate by default, the `certificate` option) and `originServerName` (a name read from that certificate when the file is readable here, the rule's hostname otherwise). Unsafe: the origin's certificate must carry that name, or the tunnel fails with a certificate error. On an origin without TLS, removes the line (safe: it did nothing).",
      references: ['https://developers.cloudflare.com/cloudflare-one/connections/connect-networks/configure-tunnels/origin-configuration/#notlsverify'],
    },
  },
  checkTunnel({ tunnel, options, host, report }) {
    const { file, load } = tunnel;
    if (!load.decoded || load.decoded.fatal) return;
    const certificate = typeof options.certificate === 'string' && options.certificate ? options.certificate : KASM_CERTIFICATE;
    const ownLines = (e: FieldValue) => {
      const entry = entryOfKey(load.document.root, e.key);
      return entry !== undefined && entry.mapping.style === 'block' && startsLine(file, e.key);
    };
    const caPool = (e: FieldValue, hostname: string): Array<FixSpec<Fix>> => {
      const name = serverName(host, certificate, hostname);
      return name && ownLines(e) ? [{ fix: 'caPool', data: { certificate, name }, edits: [replaceEntry(file, e.key, e.node, [`caPool: ${certificate}`, `originServerName: ${name}`])] }] : [];
    };
    const at = (e: FieldValue) => ({ file, start: e.key.start, end: Math.max(e.key.end, e.node.end) });

    for (const rule of load.rules) {
      const e = field(rule.originRequest, 'noTLSVerify');
      if (!e || boolField(rule.originRequest, 'noTLSVerify') !== true) continue;
      const hop = hopOf(rule);
      if (!hop) continue;
      const origin = rule.service;
      if (!hop.tls) {
        report({ message: 'noTls', severity: 'information', data: { origin, how: hop.how }, ...at(e), fixes: ownLines(e) ? [{ fix: 'remove', edits: [removeEntry(file, e.key, e.node)] }] : [] });
        continue;
      }
      report({
        message: hop.local ? 'loopback' : 'remote',
        severity: hop.local ? 'information' : undefined,
        data: { origin, listener: hop.port ? `port ${hop.port}` : 'the socket' },
        ...at(e),
        fixes: caPool(e, rule.hostname.replace(/^\*\./, '')),
      });
    }
    const top = field(load.defaults, 'noTLSVerify');
    if (top && boolField(load.defaults, 'noTLSVerify') === true) {
      const inheriting = load.rules.filter((r) => field(r.originRequest, 'noTLSVerify') === undefined && hopOf(r)?.tls);
      const hostname = load.rules.find((r) => r.hostname)?.hostname.replace(/^\*\./, '') ?? '';
      if (inheriting.length > 0) report({ message: 'topLevel', data: { origins: inheriting.map((r) => r.service).join(', ') }, ...at(top), fixes: caPool(top, hostname) });
    }
  },
});

