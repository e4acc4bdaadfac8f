// Go's time.ParseDuration (time/format.go), with its error texts: yaml.v3 uses it for time.Duration
// fields (a failure there is a yaml.v3 type error), cloudflared's flag reader for duration flags (a
// failure there is printed as is).

/** time's own quote (time/format.go): "..." with \xNN for control and non-ASCII bytes. */
function timeQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0x80 || cp < 0x20) {
      for (const b of Buffer.from(ch, 'utf8')) out += `\\x${b.toString(16).padStart(2, '0')}`;
    } else {
      if (ch === '"' || ch === '\\') out += '\\';
      out += ch;
    }
  }
  return `${out}"`;
}

const UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1000n,
  'µs': 1000n, // U+00B5
  'μs': 1000n, // U+03BC
  ms: 1000_000n,
  s: 1000_000_000n,
  m: 60n * 1000_000_000n,
  h: 3600n * 1000_000_000n,
};

const MAX = 1n << 63n;

/** Nanoseconds, or the error time.ParseDuration returns. */
export function parseDuration(orig: string): { ok: true; nanoseconds: bigint } | { ok: false; error: string } {
  const invalid = { ok: false as const, error: `time: invalid duration ${timeQuote(orig)}` };
  let s = orig;
  let neg = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return { ok: true, nanoseconds: 0n };
  if (s === '') return invalid;
  let d = 0n;
  while (s !== '') {
    if (!(s[0] === '.' || (s[0]! >= '0' && s[0]! <= '9'))) return invalid;
    const intPart = /^[0-9]*/.exec(s)![0];
    s = s.slice(intPart.length);
    let v = 0n;
    for (const c of intPart) {
      v = v * 10n + BigInt(c.charCodeAt(0) - 48);
      if (v > MAX) return invalid; // leadingInt overflow
    }
    const pre = intPart.length > 0;
    let fraction = '';
    let post = false;
    if (s[0] === '.') {
      s = s.slice(1);
      fraction = /^[0-9]*/.exec(s)![0];
      s = s.slice(fraction.length);
      post = fraction.length > 0;
    }
    if (!pre && !post) return invalid;
    let i = 0;
    while (i < s.length && s[i] !== '.' && !(s[i]! >= '0' && s[i]! <= '9')) i++;
    if (i === 0) return { ok: false, error: `time: missing unit in duration ${timeQuote(orig)}` };
    const u = s.slice(0, i);
    s = s.slice(i);
    const unit = UNITS[u];
    if (unit === undefined) return { ok: false, error: `time: unknown unit ${timeQuote(u)} in duration ${timeQuote(orig)}` };
    if (v > MAX / unit) return invalid;
    v *= unit;
    if (fraction !== '') {
      // leadingFraction keeps at most 19 digits' worth of precision; the product is truncated.
      const scale = 10 ** Math.min(fraction.length, 19);
      const f = Number(fraction.slice(0, 19));
      v += BigInt(Math.trunc(f * (Number(unit) / scale)));
      if (v > MAX) return invalid;
    }
    d += v;
    if (d > MAX) return invalid;
  }
  if (neg) return { ok: true, nanoseconds: -d };
  if (d > MAX - 1n) return invalid;
  return { ok: true, nanoseconds: d };
}

/** time.Duration.String(): "3m0s", "1h30m0s", "500ms". */
export function formatDuration(ns: bigint): string {
  if (ns === 0n) return '0s';
  const neg = ns < 0n;
  let u = neg ? -ns : ns;
  if (u < 1000_000_000n) {
    const [unit, size] = u < 1000n ? ['ns', 1n] : u < 1000_000n ? ['µs', 1000n] : ['ms', 1000_000n];
    return `${neg ? '-' : ''}${fractional(u, size)}${unit}`;
  }
  const h = u / 3600_000_000_000n;
  u -= h * 3600_000_000_000n;
  const m = u / 60_000_000_000n;
  u -= m * 60_000_000_000n;
  const s = fractional(u, 1000_000_000n);
  return `${neg ? '-' : ''}${h > 0n ? `${h}h` : ''}${h > 0n || m > 0n ? `${m}m` : ''}${s}s`;
}

function fractional(v: bigint, size: bigint): string {
  const whole = v / size;
  let rest = (v % size).toString().padStart(size.toString().length - 1, '0').replace(/0+$/, '');
  if (size === 1n) rest = '';
  return rest ? `${whole}.${rest}` : `${whole}`;
}
