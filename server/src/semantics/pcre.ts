// The compile errors PCRE2 (10.42, what nginx links since 1.21.5) gives for a regex, with PCRE2's own
// text and error offset, for the mistakes people make: unbalanced parentheses, a quantifier with
// nothing to repeat (`*.php`), an unclosed character class, ranges out of order, bad {n,m} counts,
// unknown escapes and (? forms, bad group names. Each was measured on the real nginx (its message
// `pcre2_compile() failed: TEXT in "RE" at "REST"`, test/nginx/pcre.test.ts). Where this scanner is
// not sure (extended mode, references, lookbehind lengths, properties), it says nothing: a pattern it
// does not refuse is not claimed to be valid. The regex is never run.

export interface PcreError {
  message: string;
  /** PCRE2's error offset (in characters of the pattern); at the end, nginx prints no "at". */
  offset: number;
}

const NOT_REPEATABLE_ESCAPES = new Set(['b', 'B', 'A', 'z', 'Z', 'G', 'K']);
const UNRECOGNIZED_ESCAPES = new Set(['i', 'j', 'm', 'q', 'y', 'I', 'J', 'M', 'O', 'T', 'Y']);
const UNSUPPORTED_ESCAPES = new Set(['l', 'u', 'F', 'L', 'U']);
const CLASS_ESCAPES = new Set(['d', 'D', 'w', 'W', 's', 'S', 'h', 'H', 'v', 'V']);
const POSIX_CLASSES = new Set(['alpha', 'digit', 'alnum', 'upper', 'lower', 'space', 'punct', 'print', 'graph', 'cntrl', 'xdigit', 'blank', 'word', 'ascii']);
const OPTION_LETTERS = new Set(['i', 'm', 'n', 's', 'x', 'J', 'U']);
const MAX_QUANTIFIER = 65535;

/** Why the scan gave up: a construct whose errors it does not model. */
class Unsure extends Error {}

type Last = 'none' | 'item' | 'quantifier' | 'modified' | 'unknown';

/** The error PCRE2 reports for `pattern`, when this scanner can tell for sure; undefined otherwise. */
export function pcreError(pattern: string): PcreError | undefined {
  try {
    return scan(pattern);
  } catch (error) {
    if (error instanceof Unsure) return undefined;
    throw error;
  }
}

function scan(p: string): PcreError | undefined {
  const groups: number[] = [];
  const names = new Set<string>();
  let last: Last = 'none';
  let i = 0;
  const fail = (message: string, offset: number): PcreError => ({ message, offset });

  while (i < p.length) {
    const c = p[i]!;
    if (c === '\\') {
      const next = p[i + 1];
      if (next === undefined) return fail('\\ at end of pattern', p.length);
      if (next === 'Q') {
        const end = p.indexOf('\\E', i + 2);
        const body = end < 0 ? p.slice(i + 2) : p.slice(i + 2, end);
        i = end < 0 ? p.length : end + 2;
        if (body.length > 0) last = 'item';
        continue;
      }
      if (next === 'E') {
        i += 2;
        continue;
      }
      if (next === 'c') {
        if (i + 2 >= p.length) return fail('\\c at end of pattern', p.length);
        i += 3;
        last = 'item';
        continue;
      }
      if (UNRECOGNIZED_ESCAPES.has(next)) return fail('unrecognized character follows \\', i + 1);
      if (UNSUPPORTED_ESCAPES.has(next)) return fail('PCRE2 does not support \\F, \\L, \\l, \\N{name}, \\U, or \\u', i + 2);
      if ('gkopPx'.includes(next) || (next >= '1' && next <= '9')) throw new Unsure(); // references, properties, code points
      i += 2;
      last = NOT_REPEATABLE_ESCAPES.has(next) ? 'none' : 'item';
      continue;
    }
    if (c === '[') {
      // [:alpha:] outside a class, [.x.] and [=x=]: PCRE2 refuses POSIX syntax there
      const posix = /^\[([:.=])\^?[A-Za-z]*\1\]/.exec(p.slice(i));
      if (posix) return fail(posix[1] === ':' ? 'POSIX named classes are supported only within a class' : 'POSIX collating elements are not supported', i);
      const error = scanClass(p, i);
      if (typeof error === 'object') return error;
      i = error;
      last = 'item';
      continue;
    }
    if (c === '(') {
      if (p.startsWith('(?#', i)) {
        const close = p.indexOf(')', i);
        if (close < 0) return fail('missing ) after (?# comment', p.length);
        i = close + 1;
        continue;
      }
      if (p[i + 1] === '*') {
        const after = p[i + 2] ?? '';
        if (/[A-Za-z]/.test(after) || '*+?{'.includes(after)) throw new Unsure(); // (*VERB)
        if (after !== ')' && after !== '') return fail('(*VERB) not recognized or malformed', i + 2);
      }
      if (p[i + 1] === '?') {
        const opened = openGroup(p, i, names);
        if ('message' in opened) return opened;
        if (opened.setsOptions) {
          i = opened.next;
          last = 'unknown';
          continue;
        }
        groups.push(i);
        i = opened.next;
        last = 'none';
        continue;
      }
      groups.push(i);
      i++;
      last = 'none';
      continue;
    }
    if (c === ')') {
      if (groups.length === 0) return fail('unmatched closing parenthesis', i);
      groups.pop();
      i++;
      last = 'item';
      continue;
    }
    if (c === '|') {
      i++;
      last = 'none';
      continue;
    }
    if (c === '^' || c === '$') {
      i++;
      last = 'none';
      continue;
    }
    const quantifier = readQuantifier(p, i);
    if (quantifier) {
      if ('message' in quantifier) return quantifier;
      if (last === 'unknown') throw new Unsure();
      if (last === 'none' || last === 'modified' || (last === 'quantifier' && !isModifier(p, i))) {
        return fail('quantifier does not follow a repeatable item', quantifier.end - 1);
      }
      if (last === 'quantifier') {
        // the possessive + or lazy ? of the quantifier before
        i = quantifier.end;
        last = 'modified';
        continue;
      }
      i = quantifier.end;
      last = 'quantifier';
      continue;
    }
    i++;
    last = 'item';
  }
  if (groups.length > 0) return fail('missing closing parenthesis', p.length);
  return undefined;
}

/** `+` or `?` right after a quantifier: possessive or lazy, not a second quantifier. */
function isModifier(p: string, i: number): boolean {
  return p[i] === '+' || p[i] === '?';
}

/** A quantifier starting at `i`: *, +, ?, {n}, {n,}, {n,m}; a `{` that is not one is a literal. */
function readQuantifier(p: string, i: number): { end: number } | PcreError | undefined {
  const c = p[i];
  if (c === '*' || c === '+' || c === '?') return { end: i + 1 };
  if (c !== '{') return undefined;
  const match = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(i));
  if (!match) return undefined;
  const end = i + match[0].length;
  const min = readNumber(p, i + 1);
  if (typeof min === 'object') return min;
  if (match[3]) {
    const max = readNumber(p, i + 1 + match[1]!.length + 1);
    if (typeof max === 'object') return max;
    if (max < min) return { message: 'numbers out of order in {} quantifier', offset: end - 1 };
  }
  return { end };
}

/** Digits at `i`, as PCRE2 reads them: past 65535 it stops with an error after the digit that overflowed. */
function readNumber(p: string, i: number): number | PcreError {
  let n = 0;
  for (let j = i; j < p.length && p[j]! >= '0' && p[j]! <= '9'; j++) {
    n = n * 10 + (p.charCodeAt(j) - 48);
    if (n > MAX_QUANTIFIER) return { message: 'number too big in {} quantifier', offset: j + 1 };
  }
  return n;
}

/** A character class from its `[`: the offset after its `]`, or the error. */
function scanClass(p: string, start: number): number | PcreError {
  let i = start + 1;
  if (p[i] === '^') i++;
  if (p[i] === ']') i++; // a leading ] is a literal
  /** The previous element, for ranges: a single character, or a class (\d, [:alpha:]) that cannot start one. */
  let previous: { kind: 'char'; code: number } | { kind: 'class' } | undefined;
  while (i < p.length) {
    const c = p[i]!;
    if (c === ']') return i + 1;
    if (c === '[' && p[i + 1] === ':') {
      const close = p.indexOf(':]', i + 2);
      const name = close < 0 ? '' : p.slice(i + 2, close);
      if (close >= 0 && /^\^?[a-z]+$/.test(name)) {
        if (!POSIX_CLASSES.has(name.replace(/^\^/, ''))) return { message: 'unknown POSIX class name', offset: i + 2 };
        i = close + 2;
        previous = { kind: 'class' };
        continue;
      }
    }
    let element: { kind: 'char'; code: number } | { kind: 'class' };
    let next: number;
    if (c === '\\') {
      const e = p[i + 1];
      if (e === undefined) return { message: '\\ at end of pattern', offset: p.length };
      if (e === 'Q' || e === 'E' || 'pPxocNgk0123456789'.includes(e)) throw new Unsure();
      element = CLASS_ESCAPES.has(e) ? { kind: 'class' } : { kind: 'char', code: escapedCode(e) };
      next = i + 2;
    } else {
      element = { kind: 'char', code: c.codePointAt(0)! };
      next = i + (c.codePointAt(0)! > 0xffff ? 2 : 1);
    }
    // a range: previous - element
    if (c === '-' && previous && p[next] !== ']' && next < p.length) {
      const endChar = p[next]!;
      if (previous.kind === 'class') return { message: 'invalid range in character class', offset: i };
      if (endChar === '\\') {
        const e = p[next + 1];
        if (e === undefined) return { message: '\\ at end of pattern', offset: p.length };
        if (CLASS_ESCAPES.has(e)) return { message: 'invalid range in character class', offset: next + 2 };
        if ('QEpPxocNgk0123456789'.includes(e)) throw new Unsure();
        if (escapedCode(e) < previous.code) return { message: 'range out of order in character class', offset: next + 1 };
        i = next + 2;
        previous = undefined;
        continue;
      }
      if (endChar === '[') throw new Unsure();
      const code = endChar.codePointAt(0)!;
      if (code < previous.code) return { message: 'range out of order in character class', offset: next };
      i = next + (code > 0xffff ? 2 : 1);
      previous = undefined;
      continue;
    }
    previous = element;
    i = next;
  }
  return { message: 'missing terminating ] for character class', offset: p.length };
}

/** The character an escape stands for in a class (letters that are not classes stand for themselves). */
function escapedCode(e: string): number {
  const controls: Record<string, number> = { n: 10, r: 13, t: 9, f: 12, e: 27, a: 7, b: 8 };
  return controls[e] ?? e.codePointAt(0)!;
}

/** A `(?` construct at `i`: where its body starts, or the error PCRE2 gives for it. */
function openGroup(p: string, i: number, names: Set<string>): { next: number; setsOptions?: boolean } | PcreError {
  const c = p[i + 2];
  if (c === undefined) return { message: 'missing closing parenthesis', offset: p.length };
  if (c === ':' || c === '=' || c === '!' || c === '>' || c === '|') return { next: i + 3 };
  if (c === '<' && (p[i + 3] === '=' || p[i + 3] === '!')) return { next: i + 4 };
  if (c === '<' || c === "'" || (c === 'P' && p[i + 3] === '<')) {
    const nameStart = c === 'P' ? i + 4 : i + 3;
    const terminator = c === "'" ? "'" : '>';
    return groupName(p, nameStart, terminator, names);
  }
  if (c === 'P' || c === 'R' || c === '&' || c === '(' || c === 'C' || c === '+' || (c >= '0' && c <= '9')) throw new Unsure();
  if (c === '-' && p[i + 3] !== undefined && p[i + 3]! >= '0' && p[i + 3]! <= '9') throw new Unsure();
  // option settings: (?i) (?i-m) (?^x) (?i:...)
  let j = i + 2;
  if (p[j] === '^') j++;
  for (; j < p.length; j++) {
    const o = p[j]!;
    if (o === ')' ) return { next: j + 1, setsOptions: true };
    if (o === ':') return { next: j + 1 };
    if (o === '-') continue;
    if (o === 'x') throw new Unsure(); // extended mode: white space and # comments change everything
    if (!OPTION_LETTERS.has(o)) return { message: 'unrecognized character after (? or (?-', offset: j };
  }
  return { message: 'missing closing parenthesis', offset: p.length };
}

function groupName(p: string, start: number, terminator: string, names: Set<string>): { next: number } | PcreError {
  let j = start;
  if (p[j] === terminator) return { message: 'subpattern name expected', offset: j };
  if (p[j] !== undefined && p[j]! >= '0' && p[j]! <= '9') return { message: 'subpattern name must start with a non-digit', offset: j };
  while (j < p.length && /[A-Za-z0-9_]/.test(p[j]!)) j++;
  // (PCRE2's read_name: an empty name is told before a missing terminator)
  if (j === start) return { message: 'subpattern name expected', offset: j };
  if (p[j] !== terminator) return { message: 'syntax error in subpattern name (missing terminator?)', offset: j };
  const name = p.slice(start, j);
  if (names.has(name)) return { message: 'two named subpatterns have the same name (PCRE2_DUPNAMES not set)', offset: j + 1 };
  names.add(name);
  return { next: j + 1 };
}

/** nginx's message for a regex PCRE2 refuses: `pcre2_compile() failed: TEXT in "RE"[ at "REST"]`. */
export function pcreMessage(pattern: string, error: PcreError): string {
  const at = error.offset < pattern.length ? ` at "${pattern.slice(error.offset)}"` : '';
  return `pcre2_compile() failed: ${error.message} in "${pattern}"${at}`;
}
