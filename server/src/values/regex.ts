// nginx's regexes as PCRE2 reads them (location ~, if ~, rewrite, map ~, server_name ~, ...), parsed
// into a tree the analyses walk: which bytes a capture can hold, whether the pattern is anchored, what
// it accepts. The tree is never turned into a JavaScript RegExp and never run by a backtracking
// engine; automaton.ts simulates it in time linear in the subject.
//
// Semantics follow PCRE2 in 8-bit, non-UTF mode, nginx's default (ngx_regex_compile sets
// PCRE2_CASELESS for ~* and nothing else): `.` is any byte but the newline (LF), `$` matches at the end
// or before a final newline, \s includes \v, \w is ASCII, caseless matching folds ASCII letters only.
// Nesting stops at PCRE2's default parentheses limit (250), so the walks over the tree are bounded.

import { TextMemo } from '../core/maps';
import { ByteSet, DIGITS, HORIZONTAL, SPACE, VERTICAL, WORD } from './charset';

export type AssertKind = 'start' | 'end' | 'word' | 'not-word' | 'subject-start' | 'subject-end' | 'subject-end-newline' | 'other';

interface Span {
  /** Offsets of the node in the pattern. */
  start: number;
  end: number;
}

export type RegexNode =
  | (Span & { kind: 'chars'; set: ByteSet; syntax: 'literal' | 'escape' | 'dot' | 'class' | 'type' })
  | (Span & { kind: 'seq'; items: RegexNode[] })
  | (Span & { kind: 'alt'; options: RegexNode[] })
  | (Span & { kind: 'group'; body: RegexNode; capture?: number; name?: string; look?: 'ahead' | 'behind'; negative?: boolean; atomic?: boolean })
  | (Span & { kind: 'repeat'; body: RegexNode; min: number; max: number; mode: 'greedy' | 'lazy' | 'possessive' })
  | (Span & { kind: 'assert'; what: AssertKind; multiline: boolean })
  | (Span & { kind: 'backref' })
  | (Span & { kind: 'unknown' });

export interface Regex {
  source: string;
  caseless: boolean;
  root: RegexNode;
  /** How many capturing groups the pattern has ($1 ... $n). */
  groups: number;
  /** Named groups, by name (a name may number several groups with (?J) or (?|...)). */
  names: Map<string, number[]>;
  /** False when the pattern uses what the automaton only approximates (lookarounds, backreferences, recursion). */
  exact: boolean;
  /** The bytes that end a line for `.`, `$` and multiline `^` (LF unless a (*CR)-style verb says otherwise). */
  newline: ByteSet;
}

export type RegexParse = { ok: true; regex: Regex } | { ok: false; error: string; offset: number };

/** PCRE2's default limit on nested parentheses. */
export const MAX_NESTING = 250;
/** Longer patterns are not analysed (an nginx argument is at most 4096 bytes). */
export const MAX_PATTERN = 16_384;

interface Flags {
  caseless: boolean;
  dotall: boolean;
  multiline: boolean;
  extended: boolean;
  ungreedy: boolean;
  noAutoCapture: boolean;
}

class RegexError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const POSIX_CLASSES: Record<string, ByteSet> = {
  alpha: ByteSet.range(0x41, 0x5a).union(ByteSet.range(0x61, 0x7a)),
  digit: DIGITS,
  alnum: ByteSet.range(0x41, 0x5a).union(ByteSet.range(0x61, 0x7a)).union(DIGITS),
  upper: ByteSet.range(0x41, 0x5a),
  lower: ByteSet.range(0x61, 0x7a),
  space: SPACE,
  blank: ByteSet.of(0x20, 0x09),
  cntrl: ByteSet.range(0, 0x1f).union(ByteSet.of(0x7f)),
  graph: ByteSet.range(0x21, 0x7e),
  print: ByteSet.range(0x20, 0x7e),
  punct: ByteSet.range(0x21, 0x7e).minus(ByteSet.range(0x41, 0x5a).union(ByteSet.range(0x61, 0x7a)).union(DIGITS)),
  xdigit: DIGITS.union(ByteSet.range(0x41, 0x46)).union(ByteSet.range(0x61, 0x66)),
  word: WORD,
  ascii: ByteSet.range(0, 0x7f),
};

const SIMPLE_ESCAPES: Record<string, number> = { n: 0x0a, r: 0x0d, t: 0x09, f: 0x0c, e: 0x1b, a: 0x07 };

/** \d, \w, \s, \h, \v and their negations, the same inside and outside a class. */
const TYPE_ESCAPES = new Map<string, ByteSet>([
  ['d', DIGITS],
  ['D', DIGITS.complement()],
  ['w', WORD],
  ['W', WORD.complement()],
  ['s', SPACE],
  ['S', SPACE.complement()],
  ['h', HORIZONTAL],
  ['H', HORIZONTAL.complement()],
  ['v', VERTICAL],
  ['V', VERTICAL.complement()],
]);

class Parser {
  private pos = 0;
  private groupCount = 0;
  private readonly names = new Map<string, number[]>();
  private exact = true;
  private newline = ByteSet.of(0x0a);

  constructor(
    private readonly src: string,
    private readonly caseless: boolean,
  ) {}

  parse(): Regex {
    this.skipStartVerbs();
    const flags: Flags = { caseless: this.caseless, dotall: false, multiline: false, extended: false, ungreedy: false, noAutoCapture: false };
    const root = this.alternation(flags, 0);
    if (this.pos < this.src.length) throw new RegexError('unmatched closing parenthesis', this.pos);
    return { source: this.src, caseless: this.caseless, root, groups: this.groupCount, names: this.names, exact: this.exact, newline: this.newline };
  }

  /** (*UTF), (*CRLF), (*LIMIT_MATCH=n), ...: start-of-pattern settings. */
  private skipStartVerbs(): void {
    for (let m = /^\(\*([A-Z_]+)(=\d+)?\)/.exec(this.src); m; m = /^\(\*([A-Z_]+)(=\d+)?\)/.exec(this.src.slice(this.pos))) {
      const verb = m[1]!;
      if (verb === 'CR') this.newline = ByteSet.of(0x0d);
      else if (verb === 'CRLF' || verb === 'ANYCRLF') this.newline = ByteSet.of(0x0a, 0x0d);
      else if (verb === 'ANY') this.newline = VERTICAL;
      else if (verb === 'NUL') this.newline = ByteSet.of(0);
      else if (verb === 'LF') this.newline = ByteSet.of(0x0a);
      this.pos += m[0].length;
    }
  }

  private peek(offset = 0): string | undefined {
    return this.src[this.pos + offset];
  }

  private alternation(flags: Flags, depth: number, branchReset?: { base: number; max: number }): RegexNode {
    const start = this.pos;
    const options: RegexNode[] = [this.sequence(flags, depth)];
    while (this.peek() === '|') {
      this.pos++;
      if (branchReset) {
        branchReset.max = Math.max(branchReset.max, this.groupCount);
        this.groupCount = branchReset.base;
      }
      options.push(this.sequence(flags, depth));
    }
    if (branchReset) this.groupCount = Math.max(branchReset.max, this.groupCount);
    return options.length === 1 ? options[0]! : { kind: 'alt', options, start, end: this.pos };
  }

  private sequence(flags: Flags, depth: number): RegexNode {
    const start = this.pos;
    const items: RegexNode[] = [];
    for (;;) {
      this.skipExtended(flags);
      const c = this.peek();
      if (c === undefined || c === '|' || c === ')') break;
      const atom = this.atom(flags, depth);
      if (!atom) continue; // an option setting or a comment
      items.push(this.quantified(atom, flags));
    }
    return items.length === 1 ? items[0]! : { kind: 'seq', items, start, end: this.pos };
  }

  private skipExtended(flags: Flags): void {
    if (!flags.extended) return;
    for (;;) {
      const c = this.peek();
      if (c !== undefined && /\s/.test(c)) this.pos++;
      else if (c === '#') {
        while (this.pos < this.src.length && this.src[this.pos] !== '\n') this.pos++;
      } else return;
    }
  }

  private quantified(atom: RegexNode, flags: Flags): RegexNode {
    this.skipExtended(flags);
    const rest = this.src.slice(this.pos);
    const m = /^(?:([*+?])|\{(\d+)(?:(,)(\d*))?\})([?+]?)/.exec(rest);
    if (!m) return atom;
    if (atom.kind === 'assert' && atom.what !== 'other') {
      // PCRE accepts a quantified assertion and treats it as at most one repetition of it
      this.pos += m[0].length;
      return atom;
    }
    let min: number;
    let max: number;
    if (m[1] === '*') [min, max] = [0, Infinity];
    else if (m[1] === '+') [min, max] = [1, Infinity];
    else if (m[1] === '?') [min, max] = [0, 1];
    else {
      min = Number(m[2]);
      max = m[3] ? (m[4] ? Number(m[4]) : Infinity) : min;
      if (min > 65535 || max !== Infinity && max > 65535) throw new RegexError('number too big in {} quantifier', this.pos);
      if (max < min) throw new RegexError('numbers out of order in {} quantifier', this.pos);
    }
    this.pos += m[0].length;
    let mode: 'greedy' | 'lazy' | 'possessive' = m[5] === '+' ? 'possessive' : m[5] === '?' ? 'lazy' : 'greedy';
    if (flags.ungreedy && m[5] !== '+') mode = mode === 'lazy' ? 'greedy' : 'lazy';
    if (mode === 'possessive') this.exact = false;
    const node: RegexNode = { kind: 'repeat', body: atom, min, max, mode, start: atom.start, end: this.pos };
    // a quantifier after a quantifier is an error in PCRE ("a**"), but "a{2}{3}" is two repeats
    return node;
  }

  private atom(flags: Flags, depth: number): RegexNode | undefined {
    const start = this.pos;
    const c = this.src[this.pos]!;
    if (c === '(') return this.group(flags, depth);
    if (c === '[') return this.charClass(flags);
    if (c === '*' || c === '+' || c === '?') throw new RegexError('quantifier does not follow a repeatable item', this.pos);
    if (c === '{' && /^\{\d+(,\d*)?\}/.test(this.src.slice(this.pos))) throw new RegexError('quantifier does not follow a repeatable item', this.pos);
    this.pos++;
    if (c === '.') {
      const set = flags.dotall ? ByteSet.ALL : ByteSet.ALL.minus(this.newline);
      return { kind: 'chars', set, syntax: 'dot', start, end: this.pos };
    }
    if (c === '^') return { kind: 'assert', what: 'start', multiline: flags.multiline, start, end: this.pos };
    if (c === '$') return { kind: 'assert', what: 'end', multiline: flags.multiline, start, end: this.pos };
    if (c === '\\') return this.escape(flags, start);
    return this.literal(c.charCodeAt(0) & 0xff, flags, start, 'literal');
  }

  private literal(byte: number, flags: Flags, start: number, syntax: 'literal' | 'escape'): RegexNode {
    const set = flags.caseless ? ByteSet.of(byte).caseless() : ByteSet.of(byte);
    return { kind: 'chars', set, syntax, start, end: this.pos };
  }

  private escape(flags: Flags, start: number): RegexNode {
    const c = this.src[this.pos];
    if (c === undefined) throw new RegexError('\\ at end of pattern', start);
    this.pos++;
    const type = (set: ByteSet): RegexNode => ({ kind: 'chars', set, syntax: 'type', start, end: this.pos });
    const typed = TYPE_ESCAPES.get(c);
    if (typed) return type(typed);
    switch (c) {
      case 'N':
        return type(ByteSet.ALL.minus(this.newline));
      case 'R':
        this.exact = false; // a line break: one of \n \v \f \r \x85, or \r\n
        return { kind: 'repeat', body: type(VERTICAL), min: 1, max: 2, mode: 'greedy', start, end: this.pos };
      case 'b':
        return { kind: 'assert', what: 'word', multiline: false, start, end: this.pos };
      case 'B':
        return { kind: 'assert', what: 'not-word', multiline: false, start, end: this.pos };
      case 'A':
        return { kind: 'assert', what: 'subject-start', multiline: false, start, end: this.pos };
      case 'z':
        return { kind: 'assert', what: 'subject-end', multiline: false, start, end: this.pos };
      case 'Z':
        return { kind: 'assert', what: 'subject-end-newline', multiline: false, start, end: this.pos };
      case 'G':
      case 'K':
        this.exact = false;
        return { kind: 'assert', what: 'other', multiline: false, start, end: this.pos };
      case 'Q': {
        const close = this.src.indexOf('\\E', this.pos);
        const text = this.src.slice(this.pos, close < 0 ? undefined : close);
        this.pos = close < 0 ? this.src.length : close + 2;
        const items = [...text].map((ch, i): RegexNode => {
          const set = flags.caseless ? ByteSet.of(ch.charCodeAt(0) & 0xff).caseless() : ByteSet.of(ch.charCodeAt(0) & 0xff);
          return { kind: 'chars', set, syntax: 'escape', start: start + 2 + i, end: start + 3 + i };
        });
        return { kind: 'seq', items, start, end: this.pos };
      }
      case 'E':
        return { kind: 'seq', items: [], start, end: this.pos };
      case 'p':
      case 'P':
      case 'X':
      case 'C': {
        if ((c === 'p' || c === 'P') && this.peek() === '{') this.pos = Math.max(this.pos, this.src.indexOf('}', this.pos) + 1);
        else if (c === 'p' || c === 'P') this.pos++;
        this.exact = false;
        return type(ByteSet.ALL);
      }
      case 'g':
      case 'k': {
        const m = /^(\{[^}]*\}|<[^>]*>|'[^']*'|-?\d+)/.exec(this.src.slice(this.pos));
        if (m) this.pos += m[0].length;
        this.exact = false;
        return { kind: 'backref', start, end: this.pos };
      }
      default:
        break;
    }
    if (c >= '1' && c <= '9') {
      while (/\d/.test(this.peek() ?? '')) this.pos++;
      this.exact = false;
      return { kind: 'backref', start, end: this.pos };
    }
    const byte = this.escapedByte(c);
    return this.literal(byte, flags, start, 'escape');
  }

  /** The byte an escape stands for, once its letter (`c`) has been read: \n, \x41, \x{41}, \0, \o{...}, \cX, or the character itself. */
  private escapedByte(c: string): number {
    if (c in SIMPLE_ESCAPES) return SIMPLE_ESCAPES[c]!;
    if (c === 'x') {
      const braced = /^\{([0-9a-fA-F]+)\}/.exec(this.src.slice(this.pos));
      if (braced) {
        this.pos += braced[0].length;
        return Number.parseInt(braced[1]!, 16) & 0xff;
      }
      const m = /^[0-9a-fA-F]{0,2}/.exec(this.src.slice(this.pos))!;
      this.pos += m[0].length;
      return m[0] ? Number.parseInt(m[0], 16) : 0;
    }
    if (c === 'o') {
      const m = /^\{([0-7]+)\}/.exec(this.src.slice(this.pos));
      if (m) {
        this.pos += m[0].length;
        return Number.parseInt(m[1]!, 8) & 0xff;
      }
      return 'o'.charCodeAt(0);
    }
    if (c === '0') {
      const m = /^[0-7]{0,2}/.exec(this.src.slice(this.pos))!;
      this.pos += m[0].length;
      return Number.parseInt(`0${m[0]}`, 8);
    }
    if (c === 'c') {
      const next = this.src[this.pos];
      if (next === undefined) throw new RegexError('\\c at end of pattern', this.pos);
      this.pos++;
      return next.toUpperCase().charCodeAt(0) ^ 0x40;
    }
    if (/[a-zA-Z]/.test(c)) {
      // PCRE2 refuses unknown letter escapes ("unrecognized character follows \")
      throw new RegexError('unrecognized character follows \\', this.pos - 1);
    }
    return c.charCodeAt(0) & 0xff;
  }

  private charClass(flags: Flags): RegexNode {
    const start = this.pos;
    this.pos++;
    let negate = false;
    if (this.peek() === '^') {
      negate = true;
      this.pos++;
    }
    let set = ByteSet.EMPTY;
    let first = true;
    for (;;) {
      const c = this.peek();
      if (c === undefined) throw new RegexError('missing terminating ] for character class', start);
      if (c === ']' && !first) {
        this.pos++;
        break;
      }
      first = false;
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(this.src.slice(this.pos));
      if (posix) {
        const named = POSIX_CLASSES[posix[2]!];
        if (!named) throw new RegexError('unknown POSIX class name', this.pos);
        set = set.union(posix[1] ? named.complement() : named);
        this.pos += posix[0].length;
        continue;
      }
      const low = this.classAtom();
      if (low instanceof ByteSet) {
        set = set.union(low);
        continue;
      }
      if (this.peek() === '-' && this.peek(1) !== ']' && this.peek(1) !== undefined) {
        const save = this.pos;
        this.pos++;
        const high = this.classAtom();
        if (high instanceof ByteSet) {
          // "a-\d": the hyphen is literal
          set = set.union(ByteSet.of(low, 0x2d)).union(high);
          continue;
        }
        if (high < low) throw new RegexError('range out of order in character class', save);
        set = set.union(ByteSet.range(low, high));
        continue;
      }
      set = set.union(ByteSet.of(low));
    }
    if (flags.caseless) set = set.caseless();
    if (negate) set = set.complement();
    return { kind: 'chars', set, syntax: 'class', start, end: this.pos };
  }

  /** One member of a class: a byte, or a set for \d-style escapes. */
  private classAtom(): number | ByteSet {
    const c = this.src[this.pos]!;
    this.pos++;
    if (c !== '\\') return c.charCodeAt(0) & 0xff;
    const e = this.src[this.pos];
    if (e === undefined) throw new RegexError('\\ at end of pattern', this.pos);
    this.pos++;
    const typed = TYPE_ESCAPES.get(e);
    if (typed) return typed;
    switch (e) {
      case 'b':
        return 0x08;
      case 'p':
      case 'P':
        if (this.peek() === '{') this.pos = Math.max(this.pos, this.src.indexOf('}', this.pos) + 1);
        else this.pos++;
        this.exact = false;
        return ByteSet.ALL;
      case 'Q': {
        const close = this.src.indexOf('\\E', this.pos);
        const text = this.src.slice(this.pos, close < 0 ? undefined : close);
        this.pos = close < 0 ? this.src.length : close + 2;
        return ByteSet.chars(text);
      }
      case 'E':
        return ByteSet.EMPTY;
      default:
        return this.escapedByte(e);
    }
  }

  private group(outer: Flags, depth: number): RegexNode | undefined {
    const start = this.pos;
    if (depth >= MAX_NESTING) throw new RegexError('parentheses are too deeply nested', start);
    this.pos++;
    const flags = { ...outer };
    const rest = this.src.slice(this.pos);
    let capture: number | undefined;
    let name: string | undefined;
    let look: 'ahead' | 'behind' | undefined;
    let negative = false;
    let atomic = false;
    let branchReset: { base: number; max: number } | undefined;

    if (rest.startsWith('?#')) {
      const close = this.src.indexOf(')', this.pos);
      if (close < 0) throw new RegexError('missing ) after (?# comment', start);
      this.pos = close + 1;
      return undefined;
    }
    if (rest.startsWith('*')) {
      // backtracking verbs ((*FAIL), (*SKIP), ...) and (*positive_lookahead:...) forms: not modelled
      const close = this.src.indexOf(')', this.pos);
      if (close < 0) throw new RegexError('missing )', start);
      this.pos = close + 1;
      this.exact = false;
      return { kind: 'unknown', start, end: this.pos };
    }
    if (rest.startsWith('?')) {
      const m = /^\?(?:(:)|(\|)|(>)|(=)|(!)|(<=)|(<!)|P?<([A-Za-z_]\w*)>|'([A-Za-z_]\w*)'|([imnsxUJ-]*)(:|\)))/.exec(rest);
      if (!m) {
        if (/^\?(R|[+-]?\d+|&\w+|P>\w+|P=\w+|C\d*)\)/.test(rest) || /^\?\(/.test(rest)) {
          // recursion, subroutine calls, named backreference (?P=name), callouts, conditionals: approximated
          this.exact = false;
          if (/^\?P=\w+\)/.test(rest)) {
            this.pos += rest.indexOf(')') + 1;
            return { kind: 'backref', start, end: this.pos };
          }
          if (/^\?\(/.test(rest)) {
            // a conditional group: (?(cond)yes|no): read its condition, then both branches
            const close = this.src.indexOf(')', this.pos + 2);
            if (close < 0) throw new RegexError('malformed conditional group', start);
            this.pos = close + 1;
            const body = this.alternation(flags, depth + 1);
            if (this.peek() !== ')') throw new RegexError('missing closing parenthesis', start);
            this.pos++;
            return { kind: 'group', body, start, end: this.pos };
          }
          this.pos += rest.indexOf(')') + 1;
          return { kind: 'unknown', start, end: this.pos };
        }
        throw new RegexError('unrecognized character after (? or (?-', this.pos);
      }
      this.pos += m[0].length;
      if (m[2]) branchReset = { base: this.groupCount, max: this.groupCount };
      else if (m[3]) atomic = true;
      else if (m[4]) look = 'ahead';
      else if (m[5]) [look, negative] = ['ahead', true];
      else if (m[6]) look = 'behind';
      else if (m[7]) [look, negative] = ['behind', true];
      else if (m[8] ?? m[9]) {
        name = m[8] ?? m[9];
        capture = ++this.groupCount;
        const list = this.names.get(name!) ?? [];
        list.push(capture);
        this.names.set(name!, list);
      } else if (m[11] !== undefined) {
        applyOptions(m[10] ?? '', flags);
        if (m[11] === ')') {
          // (?i): the option applies to the rest of the enclosing group
          Object.assign(outer, flags);
          return undefined;
        }
      }
      if (look || atomic) this.exact = false;
    } else if (!flags.noAutoCapture) {
      capture = ++this.groupCount;
    }
    const body = this.alternation(flags, depth + 1, branchReset);
    if (this.peek() !== ')') throw new RegexError('missing closing parenthesis', start);
    this.pos++;
    const node: RegexNode = { kind: 'group', body, start, end: this.pos };
    if (capture !== undefined) node.capture = capture;
    if (name !== undefined) node.name = name;
    if (look) node.look = look;
    if (negative) node.negative = true;
    if (atomic) node.atomic = true;
    return node;
  }
}

function applyOptions(options: string, flags: Flags): void {
  let on = true;
  for (const o of options) {
    if (o === '-') on = false;
    else if (o === 'i') flags.caseless = on;
    else if (o === 's') flags.dotall = on;
    else if (o === 'm') flags.multiline = on;
    else if (o === 'x') flags.extended = on;
    else if (o === 'U') flags.ungreedy = on;
    else if (o === 'n') flags.noAutoCapture = on;
  }
}

// (one memo for each case: a key made of a flag and the pattern was a new string to hash at each lookup)
const parsedByCase = { caseless: new TextMemo<RegexParse>(5_000), exact: new TextMemo<RegexParse>(5_000) };

/** Parses a PCRE pattern as nginx compiles it (`caseless` for `~*`). Never throws; results are cached. */
export function parseRegex(pattern: string, caseless = false): RegexParse {
  return (caseless ? parsedByCase.caseless : parsedByCase.exact).get(pattern, () => {
    if (pattern.length > MAX_PATTERN) return { ok: false, error: 'pattern too long to analyse', offset: 0 };
    try {
      return { ok: true, regex: new Parser(pattern, caseless).parse() };
    } catch (e) {
      if (!(e instanceof RegexError)) throw e;
      return { ok: false, error: e.message, offset: e.offset };
    }
  });
}

/** The capturing group numbered `n` (the first one when (?|...) numbers several alike). */
export function captureGroup(regex: Regex, n: number): Extract<RegexNode, { kind: 'group' }> | undefined {
  let found: Extract<RegexNode, { kind: 'group' }> | undefined;
  visit(regex.root, (node) => {
    if (!found && node.kind === 'group' && node.capture === n) found = node;
  });
  return found;
}

/** Every node, parents before children (depth is bounded by MAX_NESTING). */
export function visit(node: RegexNode, each: (node: RegexNode, depth: number) => void, depth = 0): void {
  each(node, depth);
  switch (node.kind) {
    case 'seq':
      for (const item of node.items) visit(item, each, depth + 1);
      break;
    case 'alt':
      for (const option of node.options) visit(option, each, depth + 1);
      break;
    case 'group':
    case 'repeat':
      visit(node.body, each, depth + 1);
      break;
    default:
      break;
  }
}

/** The bytes a node can consume anywhere inside it (lookarounds excluded: they consume nothing). */
export function bytesOf(node: RegexNode): ByteSet {
  let set = ByteSet.EMPTY;
  const walk = (n: RegexNode): void => {
    switch (n.kind) {
      case 'chars':
        set = set.union(n.set);
        break;
      case 'seq':
        n.items.forEach(walk);
        break;
      case 'alt':
        n.options.forEach(walk);
        break;
      case 'group':
        if (!n.look) walk(n.body);
        break;
      case 'repeat':
        if (n.max > 0) walk(n.body);
        break;
      case 'backref':
      case 'unknown':
        set = ByteSet.ALL;
        break;
      default:
        break;
    }
  };
  walk(node);
  return set;
}

/** True when the node can match the empty string. */
export function nullable(node: RegexNode): boolean {
  switch (node.kind) {
    case 'chars':
      return false;
    case 'seq':
      return node.items.every(nullable);
    case 'alt':
      return node.options.some(nullable);
    case 'group':
      return node.look ? true : nullable(node.body);
    case 'repeat':
      return node.min === 0 || nullable(node.body);
    default:
      return true;
  }
}
