import { listWords } from '../../core/strings';
import type { ConfigDirective } from '../../model/config';
import { effective } from '../../model/effective';
import { covers, readCertificate, readPrivateKey } from '../../tls/certificates';
import { tlsServers } from '../../tls/servers';
import { defineRule } from '../rule';
import { refused } from '../support';

const DAY = 86_400_000;

/** server_name values a certificate must cover: plain host names (no wildcard, regex, "_" or empty). */
function hostNames(serverNames: readonly ConfigDirective[]): Array<{ name: string; directive: ConfigDirective; index: number }> {
  return serverNames.flatMap((d) =>
    d.node.args
      .map((a, index) => ({ name: a.value, directive: d, index }))
      .filter(({ name }) => name !== '' && name !== '_' && !name.startsWith('~') && !name.includes('*') && name.includes('.')),
  );
}

export default defineRule({
  meta: {
    id: 'tls/certificate',
    defaultSeverity: 'warning',
    messages: {
      expired: {
        text: 'The certificate {path} expired on {date}.',
        why: 'Browsers refuse the connection.',
        whyKasm: 'Browsers refuse the connection, and Kasm sessions cannot start.',
        severity: 'error',
      },
      expiring: { text: 'The certificate {path} expires on {date}, in {days} day{s}.', why: 'Renew it before browsers refuse it.' },
      notYetValid: { text: 'The certificate {path} is only valid from {date}.', why: 'Until then browsers refuse it: is the clock right?' },
      selfSigned: {
        text: 'The certificate {path} is self-signed.',
        why: 'Browsers warn, and a proxy or tunnel in front cannot verify it unless it is given this exact certificate. Replace it with one your CA signs.',
        whyKasm:
          "Kasm's installer makes a self-signed certificate: browsers warn, and a proxy or tunnel in front cannot verify it unless it is given this exact certificate. " +
          "Kasm's hardening guide replaces /opt/kasm/current/certs/kasm_nginx.crt and .key with ones your CA signs, owned by the kasm user.",
        // A step of Kasm's hardening guide: a warning under kasm-hardened only.
        severity: { 'kasm-default': 'information', 'nginx-recommended': 'information' },
      },
      weakKey: {
        text: 'The certificate {path} has a {bits}-bit {keyType} key, under {minimum} bits.',
        why: 'A short key is breakable, and OpenSSL at security level 2 refuses it, so nginx may not even start.',
      },
      keyMismatch: {
        text: 'The key {key} does not belong to the certificate {path}.',
        ...refused('nginx fails with "SSL_CTX_use_PrivateKey failed (key values mismatch)".'),
        severity: 'error',
      },
      notCovered: { text: 'server_name {host} is not among the names of the certificate {path}.', why: 'Browsers reject the certificate for this name; it names {names}.' },
    },
    docs: {
      summary: 'A certificate that is expired or about to expire, self-signed, with a weak key, not matching its key, or not covering the server_name.',
      whatItDoes:
        'Reads the `ssl_certificate` and `ssl_certificate_key` files of each TLS server when kasmlint can reach them (through the path ' +
        'mappings: for a Kasm tree, `/etc/ssl/certs/kasm_nginx.crt` is `../../certs/kasm_nginx.crt` beside it, as Kasm\'s docker-compose mounts ' +
        'it). Reports an expired certificate (error), one expiring within 30 days, a self-signed one (information: it is what Kasm installs), an ' +
        'RSA key under 2048 bits or an EC key under 256 bits, a key that does not match the certificate (error: nginx does not start), and ' +
        'server names the certificate does not cover. Files that cannot be read are not guessed about.',
      whyItMatters:
        'An expired or mismatched certificate takes Kasm down for every user at once; a self-signed one trains users to click through ' +
        'warnings and pushes front proxies and tunnels into `noTLSVerify`.',
      example: 'ssl_certificate /etc/ssl/certs/kasm_nginx.crt;   # self-signed, from the installer',
      useInstead: 'ssl_certificate /etc/ssl/certs/kasm_nginx.crt;   # issued for kasm.example.com by your CA',
    },
  },
  check({ model, settings, report }) {
    const now = Date.now();
    const seen = new Set<string>();
    for (const server of tlsServers(model, settings.nginxVersion)) {
      const certificates = effective(server.server, 'ssl_certificate', settings.nginxVersion).directives;
      const keys = effective(server.server, 'ssl_certificate_key', settings.nginxVersion).directives;
      const serverNames = effective(server.server, 'server_name', settings.nginxVersion).directives;
      certificates.forEach((d, index) => {
        const arg = d.node.args[0];
        if (!arg || arg.value.includes('$') || arg.value.startsWith('data:')) return;
        const { read } = model.readReferenced(arg.value);
        if (!read.ok) return;
        const info = readCertificate(read.text);
        if ('error' in info) return;
        const at = { file: d.file, start: arg.start, end: arg.end };
        const path = arg.value;
        const key = `${d.file.path}:${arg.start}`;
        if (!seen.has(key)) {
          seen.add(key);
          const date = (t: Date) => t.toISOString().slice(0, 10);
          if (info.validTo.getTime() < now) report({ message: 'expired', data: { path, date: date(info.validTo) }, ...at });
          else if (info.validTo.getTime() - now < 30 * DAY) {
            const days = Math.ceil((info.validTo.getTime() - now) / DAY);
            report({ message: 'expiring', data: { path, date: date(info.validTo), days, s: days === 1 ? '' : 's' }, ...at });
          }
          if (info.validFrom.getTime() > now) report({ message: 'notYetValid', data: { path, date: date(info.validFrom) }, ...at });
          if (info.selfSigned) report({ message: 'selfSigned', data: { path }, ...at });
          const minimum = info.keyType === 'rsa' ? 2048 : info.keyType === 'ec' ? 256 : 0;
          if (info.keyBits !== undefined && info.keyBits < minimum) {
            report({ message: 'weakKey', data: { path, keyType: info.keyType.toUpperCase(), bits: info.keyBits, minimum }, ...at });
          }
          const keyDirective = keys[index];
          const keyArg = keyDirective?.node.args[0];
          if (keyArg && !keyArg.value.includes('$')) {
            const keyRead = model.readReferenced(keyArg.value).read;
            const privateKey = keyRead.ok ? readPrivateKey(keyRead.text) : undefined;
            if (privateKey && !info.certificate.checkPrivateKey(privateKey)) {
              report({ message: 'keyMismatch', data: { path, key: keyArg.value }, file: keyDirective.file, start: keyArg.start, end: keyArg.end });
            }
          }
        }
        if (info.selfSigned) return; // its names are not the point
        for (const host of hostNames(serverNames)) {
          if (covers(info, host.name)) continue;
          const a = host.directive.node.args[host.index]!;
          report({
            message: 'notCovered',
            data: { host: host.name, path, names: listWords(info.names) || 'none' },
            file: host.directive.file,
            start: a.start,
            end: a.end,
          });
        }
      });
    }
  },
});
