// Files that stand in for those a configuration names but that are not here, so that `nginx -t` can
// load the rest: a self-signed certificate with its key, and DH parameters. Made with node:crypto alone
// (no program is run): the certificate is a minimal X.509 v1 certificate (RFC 5280, section 4.1)
// encoded by hand in DER and signed with ECDSA P-256; the DH parameters are the 2048-bit MODP group of
// RFC 3526 (Node's "modp14"), as PKCS#3 DHParameter.

import { crypto } from '../core/lazy-builtins';

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), length(content.length), content]);
}

const sequence = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));

/** A DER INTEGER of unsigned big-endian bytes (a 0 byte in front when the high bit is set). */
function integer(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  return tlv(0x02, trimmed[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out = [a! * 40 + b!];
  for (const n of rest) {
    const chunk: number[] = [n & 0x7f];
    for (let v = n >>> 7; v > 0; v >>>= 7) chunk.unshift(0x80 | (v & 0x7f));
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

function utcTime(date: Date): Buffer {
  const text = date.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
  return tlv(0x17, Buffer.from(text, 'ascii'));
}

const commonName = (name: string) => sequence(tlv(0x31, sequence(oid('2.5.4.3'), tlv(0x0c, Buffer.from(name, 'utf8')))));

function pem(type: string, der: Buffer): string {
  const body = der.toString('base64').replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN ${type}-----\n${body}-----END ${type}-----\n`;
}

/** A self-signed certificate for `name` and its key, in PEM, valid from yesterday for ten years. */
export function selfSignedPair(name: string): { certificate: string; key: string } {
  const { publicKey, privateKey } = crypto().generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const ecdsaWithSha256 = sequence(oid('1.2.840.10045.4.3.2'));
  const now = Date.now();
  const tbs = sequence(
    integer(Buffer.concat([Buffer.from([0x01]), crypto().randomBytes(8)])),
    ecdsaWithSha256,
    commonName(name),
    sequence(utcTime(new Date(now - 86_400_000)), utcTime(new Date(now + 3650 * 86_400_000))),
    commonName(name),
    publicKey.export({ type: 'spki', format: 'der' }),
  );
  const signature = crypto().sign('sha256', tbs, privateKey);
  const certificate = sequence(tbs, ecdsaWithSha256, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  return { certificate: pem('CERTIFICATE', certificate), key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string };
}

/** DH parameters nginx and OpenSSL accept: the 2048-bit MODP group, generator 2. */
export function dhParameters(): string {
  const group = crypto().getDiffieHellman('modp14');
  return pem('DH PARAMETERS', sequence(integer(group.getPrime()), integer(group.getGenerator())));
}
