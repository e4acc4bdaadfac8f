// A regex as a Thompson automaton over bytes, simulated state-set by state-set: deciding whether a
// pattern matches a subject takes time linear in the subject whatever the pattern (no backtracking),
// so the analyses can test candidate strings (an attacker's Origin) against any configuration regex.
// Lookarounds, backreferences and possessive repeats are approximated (a lookaround always passes, a
// backreference matches anything): `regex.exact` says whether the answers are exact.

import { ByteSet } from './charset';
import type { AssertKind, Regex, RegexNode } from './regex';

export type State =
  | { t: 'char'; set: ByteSet; out: number }
  | { t: 'split'; outs: number[] }
  | { t: 'assert'; what: AssertKind; multiline: boolean; out: number }
  | { t: 'open'; group: number; out: number }
  | { t: 'close'; group: number; out: number }
  | { t: 'match' };

export interface Automaton {
  regex: Regex;
  states: State[];
  start: number;
  match: number;
  /** captureShape's answers, by group: a regex is shared by every directive that writes it. */
  shapes: Map<number, CaptureShape | undefined>;
}

/** Beyond this many states (counted repeats expand), a pattern is not analysed. */
export const MAX_STATES = 20_000;

class TooBig extends Error {}

function build(regex: Regex): Automaton {
  const states: State[] = [{ t: 'match' }];
  const add = (s: State): number => {
    if (states.length >= MAX_STATES) throw new TooBig();
    states.push(s);
    return states.length - 1;
  };
  const anyLoop = (next: number): number => {
    const split = add({ t: 'split', outs: [] });
    const char = add({ t: 'char', set: ByteSet.ALL, out: split });
    (states[split] as { outs: number[] }).outs = [char, next];
    return split;
  };
  // Builds `node` followed by the state `next`; returns the node's entry state.
  const compile = (node: RegexNode, next: number): number => {
    switch (node.kind) {
      case 'chars':
        return add({ t: 'char', set: node.set, out: next });
      case 'seq': {
        let entry = next;
        for (let i = node.items.length - 1; i >= 0; i--) entry = compile(node.items[i]!, entry);
        return entry;
      }
      case 'alt':
        return add({ t: 'split', outs: node.options.map((o) => compile(o, next)) });
      case 'group': {
        if (node.look) return next; // approximated: the assertion passes
        if (node.capture === undefined) return compile(node.body, next);
        const close = add({ t: 'close', group: node.capture, out: next });
        return add({ t: 'open', group: node.capture, out: compile(node.body, close) });
      }
      case 'repeat': {
        let entry = next;
        if (node.max === Infinity) {
          const loop = add({ t: 'split', outs: [] });
          (states[loop] as { outs: number[] }).outs = [compile(node.body, loop), next];
          entry = loop;
        } else {
          for (let i = node.max - node.min; i > 0; i--) entry = add({ t: 'split', outs: [compile(node.body, entry), next] });
        }
        for (let i = 0; i < node.min; i++) entry = compile(node.body, entry);
        return entry;
      }
      case 'assert':
        return node.what === 'other' ? next : add({ t: 'assert', what: node.what, multiline: node.multiline, out: next });
      case 'backref':
      case 'unknown':
        return anyLoop(next);
      default:
        return next;
    }
  };
  const start = compile(regex.root, 0);
  return { regex, states, start, match: 0, shapes: new Map() };
}

const automata = new WeakMap<Regex, Automaton | null>();

/** The automaton of a parsed regex, or undefined when it would be too large to analyse. */
export function automatonOf(regex: Regex): Automaton | undefined {
  let a = automata.get(regex);
  if (a === undefined) {
    try {
      a = build(regex);
    } catch (e) {
      if (!(e instanceof TooBig)) throw e;
      a = null;
    }
    automata.set(regex, a);
  }
  return a ?? undefined;
}

const isWord = (b: number | undefined) => b !== undefined && ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x5f);

function assertionHolds(state: Extract<State, { t: 'assert' }>, subject: Uint8Array, i: number, newline: ByteSet): boolean {
  const prev = i > 0 ? subject[i - 1] : undefined;
  const next = i < subject.length ? subject[i] : undefined;
  const atEnd = i === subject.length;
  const beforeFinalNewline = i === subject.length - 1 && next !== undefined && newline.has(next);
  switch (state.what) {
    case 'start':
      return i === 0 || (state.multiline && prev !== undefined && newline.has(prev));
    case 'end':
      return atEnd || beforeFinalNewline || (state.multiline && next !== undefined && newline.has(next));
    case 'subject-start':
      return i === 0;
    case 'subject-end':
      return atEnd;
    case 'subject-end-newline':
      return atEnd || beforeFinalNewline;
    case 'word':
      return isWord(prev) !== isWord(next);
    case 'not-word':
      return isWord(prev) === isWord(next);
    default:
      return true;
  }
}

/** Adds `from` and every state reachable from it without consuming a byte at position `i`. */
function closure(a: Automaton, from: number, subject: Uint8Array, i: number, into: Set<number>): void {
  const stack = [from];
  while (stack.length > 0) {
    const s = stack.pop()!;
    if (into.has(s)) continue;
    into.add(s);
    const state = a.states[s]!;
    if (state.t === 'split') for (let k = state.outs.length - 1; k >= 0; k--) stack.push(state.outs[k]!);
    else if (state.t === 'open' || state.t === 'close') stack.push(state.out);
    else if (state.t === 'assert' && assertionHolds(state, subject, i, a.regex.newline)) stack.push(state.out);
  }
}

/** One byte per character (its low 8 bits; a character outside the BMP counts once, by its first half). */
export function toBytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    bytes[n++] = unit & 0xff;
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) i++;
    }
  }
  return n === text.length ? bytes : bytes.slice(0, n);
}

/** A part of a subject that is one text repeated: `count` copies of `length` bytes from `start`. */
export interface Repetition {
  start: number;
  length: number;
  count: number;
}

/**
 * Whether PCRE would find a match in `subject` (unanchored search, as nginx runs its regexes), decided
 * in time linear in the subject. Exact when `regex.exact`; otherwise it may say yes where PCRE says no.
 * With `repeated`, the part of the subject it names is walked until the states at the start of a copy
 * come back, then skipped a whole number of cycles: the answer is the same, the time linear in
 * the subject without its repeats (an example subject for catastrophic backtracking repeats its pump
 * up to 4,000 times).
 */
export function matches(a: Automaton, subject: string | Uint8Array, repeated?: Repetition): boolean {
  const bytes = typeof subject === 'string' ? toBytes(subject) : subject;
  // copies whose every byte, and the bytes on either side, lie inside the repetition, away from the
  // subject's ends, read alike: the assertions see the same neighbours, so equal states before such
  // a copy give equal states after it
  const firstUniform = 1;
  const lastUniform = repeated ? repeated.count - 3 : -1;
  const seenAt = new Map<string, number>(); // the states before a uniform copy -> that copy
  let jumped = !repeated || repeated.length === 0; // one jump: the copies left after it are walked
  let current = new Set<number>();
  for (let i = 0; i <= bytes.length; i++) {
    if (!jumped && repeated && i >= repeated.start && (i - repeated.start) % repeated.length === 0) {
      const copy = (i - repeated.start) / repeated.length;
      if (copy >= firstUniform && copy <= lastUniform) {
        const key = [...current].sort((x, y) => x - y).join(',');
        const before = seenAt.get(key);
        if (before === undefined) seenAt.set(key, copy);
        else {
          const cycle = copy - before;
          i += Math.floor((lastUniform - copy) / cycle) * cycle * repeated.length;
          jumped = true;
        }
      }
    }
    closure(a, a.start, bytes, i, current);
    if (current.has(a.match)) return true;
    if (i === bytes.length) break;
    const byte = bytes[i]!;
    const next = new Set<number>();
    for (const s of current) {
      const state = a.states[s]!;
      if (state.t === 'char' && state.set.has(byte)) closure(a, state.out, bytes, i + 1, next);
    }
    if (next.has(a.match)) return true;
    current = next;
  }
  return false;
}

/** States reachable from `from` without consuming a byte, assertions taken as passable (an over-approximation). */
export function epsilonReach(a: Automaton, from: number, stopAt?: (s: number) => boolean): Set<number> {
  const seen = new Set<number>();
  const stack = [from];
  while (stack.length > 0) {
    const s = stack.pop()!;
    if (seen.has(s)) continue;
    seen.add(s);
    if (stopAt?.(s)) continue;
    const state = a.states[s]!;
    if (state.t === 'split') stack.push(...state.outs);
    else if (state.t === 'open' || state.t === 'close' || state.t === 'assert') stack.push(state.out);
  }
  return seen;
}

const reverseEpsilon = new WeakMap<Automaton, number[][]>();

/** The states from which one of `targets` is reached without consuming a byte (assertions passable). */
function reverseEpsilonReach(a: Automaton, targets: readonly number[]): Set<number> {
  let reverse = reverseEpsilon.get(a);
  if (!reverse) {
    reverse = a.states.map(() => []);
    a.states.forEach((state, i) => {
      if (state.t === 'split') for (const o of state.outs) reverse![o]!.push(i);
      else if (state.t === 'open' || state.t === 'close' || state.t === 'assert') reverse![state.out]!.push(i);
    });
    reverseEpsilon.set(a, reverse);
  }
  const seen = new Set<number>();
  const stack = [...targets];
  while (stack.length > 0) {
    const s = stack.pop()!;
    if (seen.has(s)) continue;
    seen.add(s);
    stack.push(...reverse[s]!);
  }
  return seen;
}

export interface CaptureShape {
  /** The bytes the capture can hold (anywhere in it). */
  bytes: ByteSet;
  /** The bytes it can start with. */
  first: ByteSet;
  /** The bytes that can come right before it in the subject. */
  before: ByteSet;
  /** It can begin at the start of the subject. */
  atStart: boolean;
  /** It can be empty. */
  canBeEmpty: boolean;
}

/** What capture `n` can hold and what precedes it, from the automaton (assertions taken as passable). */
export function captureShape(a: Automaton, n: number): CaptureShape | undefined {
  if (a.shapes.has(n)) return a.shapes.get(n);
  const shape = shapeOf(a, n);
  a.shapes.set(n, shape);
  return shape;
}

function shapeOf(a: Automaton, n: number): CaptureShape | undefined {
  const opens = a.states.flatMap((s, i) => (s.t === 'open' && s.group === n ? [i] : []));
  if (opens.length === 0) return undefined;
  let first = ByteSet.EMPTY;
  let before = ByteSet.EMPTY;
  let canBeEmpty = false;
  const isClose = (s: number) => {
    const state = a.states[s]!;
    return state.t === 'close' && state.group === n;
  };
  for (const open of opens) {
    for (const s of epsilonReach(a, open, isClose)) {
      const state = a.states[s]!;
      if (state.t === 'char') first = first.union(state.set);
      if (isClose(s)) canBeEmpty = true;
    }
  }
  // states that lead to an open without consuming: a char state whose next state is one of them
  // precedes the capture
  const leading = reverseEpsilonReach(a, opens);
  for (const state of a.states) if (state.t === 'char' && leading.has(state.out)) before = before.union(state.set);
  const atStart = leading.has(a.start);
  // the bytes inside: every char state reachable from an open before its close
  let bytes = ByteSet.EMPTY;
  const seen = new Set<number>();
  const stack = [...opens];
  while (stack.length > 0) {
    const s = stack.pop()!;
    if (seen.has(s) || isClose(s)) continue;
    seen.add(s);
    const state = a.states[s]!;
    if (state.t === 'char') {
      bytes = bytes.union(state.set);
      stack.push(state.out);
    } else if (state.t === 'split') stack.push(...state.outs);
    else if (state.t !== 'match') stack.push(state.out);
  }
  return { bytes, first, before, atStart, canBeEmpty };
}

/**
 * Whether capture `n` can hold `text` as a substring, read off the automaton (bytes inside the
 * group, assertions passable): `..` for traversal, CR LF for header splitting.
 */
export function captureCanContain(a: Automaton, n: number, text: string): boolean {
  const needle = toBytes(text);
  if (needle.length === 0) return true;
  // KMP failure function
  const fail = new Array<number>(needle.length).fill(0);
  for (let i = 1, k = 0; i < needle.length; i++) {
    while (k > 0 && needle[i] !== needle[k]) k = fail[k - 1]!;
    if (needle[i] === needle[k]) k++;
    fail[i] = k;
  }
  const advance = (k: number, byte: number): number => {
    while (k > 0 && byte !== needle[k]) k = fail[k - 1]!;
    return byte === needle[k] ? k + 1 : 0;
  };
  const distinct = [...new Set(needle)];
  const isClose = (s: number) => {
    const state = a.states[s]!;
    return state.t === 'close' && state.group === n;
  };
  const seen = new Set<string>();
  const stack: Array<[number, number]> = [];
  a.states.forEach((s, i) => {
    if (s.t === 'open' && s.group === n) stack.push([i, 0]);
  });
  while (stack.length > 0) {
    const [s, k] = stack.pop()!;
    const key = `${s}:${k}`;
    if (seen.has(key) || isClose(s)) continue;
    seen.add(key);
    const state = a.states[s]!;
    if (state.t === 'char') {
      for (const byte of distinct) {
        if (!state.set.has(byte)) continue;
        const nk = advance(k, byte);
        if (nk === needle.length) return true;
        stack.push([state.out, nk]);
      }
      if (!state.set.subsetOf(ByteSet.of(...distinct))) stack.push([state.out, 0]);
    } else if (state.t === 'split') for (const o of state.outs) stack.push([o, k]);
    else if (state.t !== 'match') stack.push([state.out, k]);
  }
  return false;
}
