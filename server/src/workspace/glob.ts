// `include` masks as nginx expands them: glob(3) with no flags, so `*`, `?` and `[...]` per path
// component, a leading dot only matched by a literal dot, backslash escapes, and the matches sorted by
// byte value (nginx runs in the C locale). A mask that matches nothing includes nothing, silently.

import type { FileHost } from './host';

/** nginx globs an include path when it contains any of these (strpbrk(file, "*?[")). */
export function isGlob(path: string): boolean {
  return /[*?[]/.test(path);
}

export function expandGlob(host: FileHost, pattern: string): string[] {
  const parts = pattern.split('/').filter((p) => p !== '');
  let candidates = [pattern.startsWith('/') ? '' : '.'];
  parts.forEach((part, index) => {
    const last = index === parts.length - 1;
    const next: string[] = [];
    for (const base of candidates) {
      if (!hasMagic(part)) {
        const path = `${base}/${part.replace(/\\(.)/g, '$1')}`;
        const kind = host.kind(path);
        if (last ? kind !== undefined : kind === 'dir') next.push(path);
        continue;
      }
      const matcher = compile(part);
      for (const entry of host.list(base === '' ? '/' : base) ?? []) {
        if (!last && entry.kind !== 'dir') continue;
        if (matcher(entry.name)) next.push(`${base}/${entry.name}`);
      }
    }
    candidates = next;
  });
  return candidates.map((c) => (c === '' ? '/' : c)).sort(byteOrder);
}

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function hasMagic(part: string): boolean {
  for (let i = 0; i < part.length; i++) {
    const ch = part[i];
    if (ch === '\\') i++;
    else if (ch === '*' || ch === '?' || ch === '[') return true;
  }
  return false;
}

type Piece =
  | { kind: 'char'; ch: string }
  | { kind: 'any' }
  | { kind: 'star' }
  | { kind: 'set'; negate: boolean; test: (ch: string) => boolean };

const CLASSES: Record<string, RegExp> = {
  alnum: /[A-Za-z0-9]/, alpha: /[A-Za-z]/, digit: /[0-9]/, lower: /[a-z]/, upper: /[A-Z]/,
  space: /\s/, punct: /[!-/:-@[-`{-~]/, xdigit: /[0-9A-Fa-f]/, blank: /[ \t]/, cntrl: /[\x00-\x1f\x7f]/,
  print: /[\x20-\x7e]/, graph: /[\x21-\x7e]/,
};

/** fnmatch(3) with FNM_PERIOD, compiled once per mask component. */
export function compile(pattern: string): (name: string) => boolean {
  const pieces: Piece[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\' && i + 1 < pattern.length) {
      pieces.push({ kind: 'char', ch: pattern[++i]! });
    } else if (ch === '*') {
      if (pieces[pieces.length - 1]?.kind !== 'star') pieces.push({ kind: 'star' });
    } else if (ch === '?') {
      pieces.push({ kind: 'any' });
    } else if (ch === '[') {
      const set = readSet(pattern, i);
      if (set) {
        pieces.push(set.piece);
        i = set.end;
      } else {
        pieces.push({ kind: 'char', ch: '[' });
      }
    } else {
      pieces.push({ kind: 'char', ch });
    }
  }

  return (name: string) => {
    if (name.startsWith('.') && !(pieces[0]?.kind === 'char' && pieces[0].ch === '.')) return false;
    // Classic wildcard matching, backtracking only to the last star: linear in practice.
    let p = 0;
    let n = 0;
    let starP = -1;
    let starN = 0;
    while (n < name.length) {
      const piece = pieces[p];
      if (piece && piece.kind === 'star') {
        starP = p++;
        starN = n;
        continue;
      }
      if (piece && matchesOne(piece, name[n]!)) {
        p++;
        n++;
        continue;
      }
      if (starP < 0) return false;
      p = starP + 1;
      n = ++starN;
    }
    while (pieces[p]?.kind === 'star') p++;
    return p === pieces.length;
  };
}

function matchesOne(piece: Piece, ch: string): boolean {
  switch (piece.kind) {
    case 'char':
      return piece.ch === ch;
    case 'any':
      return ch !== '/';
    case 'set':
      return ch !== '/' && piece.test(ch) !== piece.negate;
    default:
      return false;
  }
}

/** A bracket expression starting at `start`, or undefined when it has no closing `]` (then `[` is literal). */
function readSet(pattern: string, start: number): { piece: Piece; end: number } | undefined {
  let i = start + 1;
  let negate = false;
  if (pattern[i] === '!' || pattern[i] === '^') {
    negate = true;
    i++;
  }
  const tests: Array<(ch: string) => boolean> = [];
  let first = true;
  while (i < pattern.length) {
    let ch = pattern[i]!;
    if (ch === ']' && !first) {
      return { piece: { kind: 'set', negate, test: (c) => tests.some((t) => t(c)) }, end: i };
    }
    first = false;
    if (ch === '[' && pattern[i + 1] === ':') {
      const close = pattern.indexOf(':]', i + 2);
      const cls = close > 0 ? CLASSES[pattern.slice(i + 2, close)] : undefined;
      if (cls) {
        tests.push((c) => cls.test(c));
        i = close + 2;
        continue;
      }
    }
    if (ch === '\\' && i + 1 < pattern.length) ch = pattern[++i]!;
    if (pattern[i + 1] === '-' && pattern[i + 2] !== undefined && pattern[i + 2] !== ']') {
      let hi = pattern[i + 2]!;
      let skip = 2;
      if (hi === '\\' && pattern[i + 3] !== undefined) {
        hi = pattern[i + 3]!;
        skip = 3;
      }
      const lo = ch;
      tests.push((c) => c >= lo && c <= hi);
      i += skip + 1;
      continue;
    }
    const literal = ch;
    tests.push((c) => c === literal);
    i++;
  }
  return undefined;
}
