// Reading the PEM files a TLS configuration names: DH parameters here; certificates and keys through
// Node's crypto (X509Certificate, createPrivateKey), which needs no extra library.

/** The DER bytes of the first PEM block of a type ("DH PARAMETERS", "CERTIFICATE"). */
export function pemBlock(text: string, type: string): Buffer | undefined {
  const match = new RegExp(`-----BEGIN ${type}-----([\\s\\S]*?)-----END ${type}-----`).exec(text);
  return match ? Buffer.from(match[1]!.replace(/\s+/g, ''), 'base64') : undefined;
}

/** Reads a DER length at `at`; returns [length, offset of the content]. */
function derLength(der: Buffer, at: number): [number, number] | undefined {
  const first = der[at];
  if (first === undefined) return undefined;
  if (first < 0x80) return [first, at + 1];
  const bytes = first & 0x7f;
  if (bytes === 0 || bytes > 4) return undefined;
  let length = 0;
  for (let i = 0; i < bytes; i++) length = length * 256 + (der[at + 1 + i] ?? 0);
  return [length, at + 1 + bytes];
}

/** The size in bits of the prime of PKCS#3 DH parameters (SEQUENCE { INTEGER p, INTEGER g, ... }). */
export function dhPrimeBits(pem: string): number | undefined {
  const der = pemBlock(pem, 'DH PARAMETERS') ?? pemBlock(pem, 'X9.42 DH PARAMETERS');
  if (!der || der[0] !== 0x30) return undefined;
  const sequence = derLength(der, 1);
  if (!sequence || der[sequence[1]] !== 0x02) return undefined;
  const integer = derLength(der, sequence[1] + 1);
  if (!integer) return undefined;
  let [length, start] = integer;
  while (length > 0 && der[start] === 0) {
    start++;
    length--;
  }
  if (length === 0) return 0;
  return (length - 1) * 8 + (32 - Math.clz32(der[start]!));
}
