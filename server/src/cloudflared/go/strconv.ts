// The parts of Go's strconv that decide what cloudflared's config means and what its errors say:
// Quote (the %q of every "parse ..." message), Atoi (http_status:), ParseInt/ParseUint with base 0 and
// ParseFloat (yaml.v3's resolve.go), and FormatFloat 'g' -1 (fmt's %v of a float64).

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);
const UINT64_MAX = (1n << 64n) - 1n;

/** unicode.IsPrint, as strconv.Quote uses it: graphic characters and the ASCII space. */
function isPrint(cp: number): boolean {
  if (cp === 0x20) return true;
  if (cp < 0x20 || cp === 0x7f) return false;
  return /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(String.fromCodePoint(cp));
}

/** strconv.Quote: Go's double-quoted string literal of s. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (isPrint(cp) && !(cp >= 0xd800 && cp <= 0xdfff)) out += ch;
    else if (cp === 0x07) out += '\\a';
    else if (cp === 0x08) out += '\\b';
    else if (cp === 0x0c) out += '\\f';
    else if (cp === 0x0a) out += '\\n';
    else if (cp === 0x0d) out += '\\r';
    else if (cp === 0x09) out += '\\t';
    else if (cp === 0x0b) out += '\\v';
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\\ufffd';
    else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

export type NumResult<T> = { ok: true; value: T } | { ok: false; error: 'invalid syntax' | 'value out of range' };

/** strconv.Atoi (ParseInt(s, 10, 0) on a 64-bit build), with its error. */
export function atoi(s: string): NumResult<bigint> {
  const m = /^([+-]?)([0-9]+)$/.exec(s);
  if (!m) return { ok: false, error: 'invalid syntax' };
  const v = BigInt(`${m[1] === '-' ? '-' : ''}${m[2]}`);
  if (v > INT64_MAX || v < INT64_MIN) return { ok: false, error: 'value out of range' };
  return { ok: true, value: v };
}

/** `strconv.Atoi: parsing "x": invalid syntax`, as Go prints a *NumError of Atoi. */
export function atoiError(s: string, error: string): string {
  return `strconv.Atoi: parsing ${goQuote(s)}: ${error}`;
}

/** The digits of a base-0 integer literal without sign and underscores, and its base; undefined if not one. */
function base0Digits(s: string): { base: number; digits: string } | undefined {
  let base = 10;
  let digits = s;
  if (s.length >= 2 && s[0] === '0') {
    const p = s[1]!.toLowerCase();
    if (p === 'x') [base, digits] = [16, s.slice(2)];
    else if (p === 'o') [base, digits] = [8, s.slice(2)];
    else if (p === 'b') [base, digits] = [2, s.slice(2)];
    else [base, digits] = [8, s.slice(1)];
  }
  if (digits === '') return s === '0' ? { base: 10, digits: '0' } : undefined;
  const valid = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-fA-F]+$/ }[base as 2 | 8 | 10 | 16];
  return valid.test(digits) ? { base, digits } : undefined;
}

function toBig(digits: string, base: number): bigint {
  let v = 0n;
  const b = BigInt(base);
  for (const d of digits) v = v * b + BigInt(parseInt(d, base));
  return v;
}

/** strconv.ParseInt(s, 0, 64) on a string without underscores. */
export function parseIntBase0(s: string): bigint | undefined {
  const neg = s.startsWith('-');
  const body = s[0] === '-' || s[0] === '+' ? s.slice(1) : s;
  const parsed = base0Digits(body);
  if (!parsed) return undefined;
  const v = toBig(parsed.digits, parsed.base) * (neg ? -1n : 1n);
  return v > INT64_MAX || v < INT64_MIN ? undefined : v;
}

/** strconv.ParseUint(s, 0, 64) on a string without underscores (no sign allowed). */
export function parseUintBase0(s: string): bigint | undefined {
  const parsed = base0Digits(s);
  if (!parsed) return undefined;
  const v = toBig(parsed.digits, parsed.base);
  return v > UINT64_MAX ? undefined : v;
}

/** strconv.ParseInt(s, base, 64) for an explicit base (yaml.v3's 0b and 0o forms). */
export function parseIntBase(s: string, base: 2 | 8): bigint | undefined {
  const neg = s.startsWith('-');
  const body = s[0] === '-' || s[0] === '+' ? s.slice(1) : s;
  if (!(base === 2 ? /^[01]+$/ : /^[0-7]+$/).test(body)) return undefined;
  const v = toBig(body, base) * (neg ? -1n : 1n);
  return v > INT64_MAX || v < INT64_MIN ? undefined : v;
}

export function parseUintBase(s: string, base: 2 | 8): bigint | undefined {
  if (!(base === 2 ? /^[01]+$/ : /^[0-7]+$/).test(s)) return undefined;
  const v = toBig(s, base);
  return v > UINT64_MAX ? undefined : v;
}

/** strconv's underscoreOK: underscores only between digits (or after a base prefix). */
function underscoreOK(s: string): boolean {
  let saw = '^';
  let i = 0;
  if (s[0] === '-' || s[0] === '+') s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'box'.includes(s[1]!.toLowerCase())) {
    i = 2;
    saw = '0';
    hex = s[1]!.toLowerCase() === 'x';
  }
  for (; i < s.length; i++) {
    const c = s[i]!;
    if ((c >= '0' && c <= '9') || (hex && /[a-f]/i.test(c))) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

/**
 * strconv.ParseFloat(s, 64) for the decimal forms yaml.v3 hands it (and Go's inf/nan words): the
 * value, or undefined when Go returns an error (syntax, or a magnitude past float64: ErrRange).
 */
export function parseFloat64(s: string): number | undefined {
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(s);
  if (special) return special[2]!.toLowerCase() === 'nan' ? NaN : special[1] === '-' ? -Infinity : Infinity;
  if (!/^[+-]?([0-9_]+\.?[0-9_]*|\.[0-9_]+)([eE][+-]?[0-9_]+)?$/.test(s)) return undefined;
  if (s.includes('_') && !underscoreOK(s)) return undefined;
  const v = Number(s.replaceAll('_', ''));
  if (!Number.isFinite(v)) return undefined;
  return v;
}

/** fmt's %v of a float64: strconv.FormatFloat(f, 'g', -1, 64) (shortest digits, %e from exponent 6, ftoa.go). */
export function formatFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const [mantissa, exponentText] = f.toExponential().split('e') as [string, string];
  const exp = Number(exponentText);
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return String(f);
}
