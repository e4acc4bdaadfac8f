// Go's base64.StdEncoding.DecodeString: the standard alphabet, padding required, line breaks
// (\r, \n) ignored, anything else an error. yaml.v3 uses it for !!binary; cloudflared for tokens.

const ALPHABET = /^[A-Za-z0-9+/]*$/;

/** The decoded bytes as a binary string, or undefined when Go returns an error. */
export function base64Decode(s: string): string | undefined {
  const clean = s.replace(/[\r\n]/g, '');
  if (clean.length % 4 !== 0) return undefined;
  const body = clean.replace(/={1,2}$/, '');
  if (!ALPHABET.test(body)) return undefined;
  return Buffer.from(clean, 'base64').toString('binary');
}
