// Certificates for tests, made with the real openssl: a test CA, leaves it signs, self-signed ones,
// expired ones (-days -1), weak keys.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Made {
  crt: string;
  key: string;
}

const dir = mkdtempSync(join(tmpdir(), 'kasmlint-certs-'));
let counter = 0;
let ca: Made | undefined;

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: 'ignore' });
}

function testCa(): Made {
  if (ca) return ca;
  const crt = join(dir, 'ca.crt');
  const key = join(dir, 'ca.key');
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=kasmlint test CA', '-days', '30', '-keyout', key, '-out', crt]);
  ca = { crt, key };
  return ca;
}

export interface CertificateOptions {
  cn?: string;
  names?: string[];
  days?: number;
  key?: 'rsa:2048' | 'rsa:1024' | 'ec:prime256v1';
  selfSigned?: boolean;
  /** An OCSP responder URL for the Authority Information Access (none by default, as Let's Encrypt's since 2025). */
  ocsp?: string;
}

export function makeCertificate(options: CertificateOptions = {}): Made {
  const n = ++counter;
  const crt = join(dir, `c${n}.crt`);
  const key = join(dir, `c${n}.key`);
  const csr = join(dir, `c${n}.csr`);
  const ext = join(dir, `c${n}.ext`);
  const cn = options.cn ?? 'kasm.example.com';
  const keySpec = options.key ?? 'rsa:2048';
  const newkey = keySpec.startsWith('ec:') ? ['-newkey', 'ec', '-pkeyopt', `ec_paramgen_curve:${keySpec.slice(3)}`] : ['-newkey', keySpec];
  openssl(['req', '-new', ...newkey, '-nodes', '-subj', `/CN=${cn}`, '-keyout', key, '-out', csr]);
  writeFileSync(ext, `subjectAltName=${(options.names ?? [cn]).map((x) => `DNS:${x}`).join(',')}\n${options.ocsp ? `authorityInfoAccess=OCSP;URI:${options.ocsp}\n` : ''}`);
  const days = String(options.days ?? 365);
  if (options.selfSigned) openssl(['x509', '-req', '-in', csr, '-signkey', key, '-days', days, '-extfile', ext, '-out', crt]);
  else {
    const authority = testCa();
    openssl(['x509', '-req', '-in', csr, '-CA', authority.crt, '-CAkey', authority.key, '-CAcreateserial', '-days', days, '-extfile', ext, '-out', crt]);
  }
  return { crt, key };
}
