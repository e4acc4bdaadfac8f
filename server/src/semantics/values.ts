// nginx's value parsers (src/core/ngx_parse.c, ngx_string.c, ngx_conf_file.c), reproduced so that a
// value is refused exactly when nginx refuses it. Numbers are checked against nginx's 64-bit limits
// (NGX_MAX_SIZE_T_VALUE, NGX_MAX_OFF_T_VALUE, NGX_MAX_INT_T_VALUE are all 2^63-1 on x86-64 Linux).

import { TextMemo } from '../core/maps';

const MAX = (1n << 63n) - 1n;

/** ngx_atoi / ngx_atosz / ngx_atoof: decimal digits only, no sign, no overflow. */
export function parseDecimal(text: string, max = MAX): bigint | undefined {
  if (text.length === 0 || !/^[0-9]+$/.test(text)) return undefined;
  const value = BigInt(text);
  return value > max ? undefined : value;
}

function scaled(text: string, units: Record<string, bigint>, max: bigint): bigint | undefined {
  const unit = units[text.at(-1) ?? ''];
  const digits = unit === undefined ? text : text.slice(0, -1);
  const scale = unit ?? 1n;
  const value = parseDecimal(digits, max / scale);
  return value === undefined ? undefined : value * scale;
}

const K = 1024n;

/** ngx_parse_size: bytes, with k/K or m/M. */
export function parseSize(text: string): bigint | undefined {
  return scaled(text, { k: K, K: K, m: K * K, M: K * K }, MAX);
}

/** ngx_parse_offset: bytes, with k, m or g (either case). */
export function parseOffset(text: string): bigint | undefined {
  return scaled(text, { k: K, K: K, m: K * K, M: K * K, g: K * K * K, G: K * K * K }, MAX);
}

const enum Step {
  Start,
  Year,
  Month,
  Week,
  Day,
  Hour,
  Min,
  Sec,
  Msec,
  Last,
}

const SECONDS: Partial<Record<Step, bigint>> = {
  [Step.Year]: 60n * 60n * 24n * 365n,
  [Step.Month]: 60n * 60n * 24n * 30n,
  [Step.Week]: 60n * 60n * 24n * 7n,
  [Step.Day]: 60n * 60n * 24n,
  [Step.Hour]: 60n * 60n,
  [Step.Min]: 60n,
  [Step.Sec]: 1n,
  [Step.Last]: 1n,
};

// (a configuration repeats a few time values in thousands of directives: 64-bit arithmetic on BigInts,
// digit by digit, took 11 ms of a cold CLI run of 430 on a file of 7,500 unknown directives)
const SECONDS_BY_TEXT = new TextMemo<bigint | undefined>(4096, 64);
const MILLISECONDS_BY_TEXT = new TextMemo<bigint | undefined>(4096, 64);

/**
 * ngx_parse_time: "1h 30m", "500ms", "2d"... in seconds (`isSec`) or milliseconds. Units go from the
 * largest down, each at most once; a bare number is seconds (milliseconds for a msec value); spaces
 * separate parts; "ms" only in milliseconds.
 */
export function parseTime(text: string, isSec: boolean): bigint | undefined {
  return (isSec ? SECONDS_BY_TEXT : MILLISECONDS_BY_TEXT).get(text, () => readTime(text, isSec));
}

function readTime(text: string, isSec: boolean): bigint | undefined {
  let valid = false;
  let value = 0n;
  let total = 0n;
  let step = isSec ? Step.Start : Step.Month;
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch >= '0' && ch <= '9') {
      value = value * 10n + BigInt(ch.charCodeAt(0) - 48);
      if (value > MAX) return undefined;
      valid = true;
      i++;
      continue;
    }
    i++;
    let next: Step;
    switch (ch) {
      case 'y':
        if (step > Step.Start) return undefined;
        next = Step.Year;
        break;
      case 'M':
        if (step >= Step.Month) return undefined;
        next = Step.Month;
        break;
      case 'w':
        if (step >= Step.Week) return undefined;
        next = Step.Week;
        break;
      case 'd':
        if (step >= Step.Day) return undefined;
        next = Step.Day;
        break;
      case 'h':
        if (step >= Step.Hour) return undefined;
        next = Step.Hour;
        break;
      case 'm':
        if (text[i] === 's') {
          if (isSec || step >= Step.Msec) return undefined;
          i++;
          next = Step.Msec;
          break;
        }
        if (step >= Step.Min) return undefined;
        next = Step.Min;
        break;
      case 's':
        if (step >= Step.Sec) return undefined;
        next = Step.Sec;
        break;
      case ' ':
        if (step >= Step.Sec) return undefined;
        next = Step.Last;
        break;
      default:
        return undefined;
    }
    step = next;
    let scale = next === Step.Msec ? 1n : SECONDS[next]!;
    let max = next === Step.Msec ? MAX : MAX / scale;
    if (next !== Step.Msec && !isSec) {
      scale *= 1000n;
      max /= 1000n;
    }
    if (value > max) return undefined;
    value *= scale;
    if (total > MAX - value) return undefined;
    total += value;
    value = 0n;
    while (text[i] === ' ') i++;
  }
  if (!valid) return undefined;
  if (!isSec) {
    if (value > MAX / 1000n) return undefined;
    value *= 1000n;
  }
  if (total > MAX - value) return undefined;
  return total + value;
}

/** ngx_conf_set_flag_slot compares without case. */
export function parseFlag(text: string): boolean | undefined {
  const lower = text.toLowerCase();
  return lower === 'on' ? true : lower === 'off' ? false : undefined;
}

/** ngx_http_script_variables_count: any `$` makes a value a script to compile, not a constant. */
export function hasVariables(text: string): boolean {
  return text.includes('$');
}
