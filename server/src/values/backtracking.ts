// Catastrophic backtracking, found without running the regex. PCRE (nginx's engine) backtracks: on a
// subject that does not match, it tries every way the pattern could split it. Two shapes make that
// number explode:
// - exponential: a repeated part that can match the same text in two ways (`(a+)+`, `(\w+\s?)*`); in
//   automaton terms, two different paths from a state back to itself reading the same bytes, found in
//   the product of the automaton with itself;
// - polynomial: k unbounded repeats in a row that can trade bytes between them (`(.+)/(.+)/(.+)$`: the
//   slashes can be matched by the dots), O(n^k) splits of an n-byte subject.
// PCRE gives up after its match limit (10,000,000 steps by default) and nginx answers 500, after
// burning that much CPU in a worker for each such request.
// Each finding comes with an example subject built from the pattern, and checked (by the linear-time
// automaton) to be rejected: the kind of subject that makes PCRE try every split.

import { automatonOf, epsilonReach, matches, type Automaton } from './automaton';
import { ByteSet } from './charset';
import { bytesOf, nullable, type Regex, type RegexNode } from './regex';
import { samples } from './samples';

export interface Backtracking {
  kind: 'exponential' | 'polynomial';
  /** For polynomial: the number of repeats trading bytes (the exponent of the subject's length). */
  degree: number;
  /** The subject that makes PCRE try every split: prefix + pump × repeat + suffix. */
  prefix: string;
  pump: string;
  repeat: number;
  suffix: string;
  /** The part of the pattern responsible. */
  start: number;
  end: number;
}

/** Repeats allowing more than this many copies trade bytes like unbounded ones. */
const LONG_REPEAT = 32;
const MAX_CHAR_STATES = 300;
const MAX_PRODUCT_EDGES = 1_500_000;

type Item =
  | { kind: 'star'; set: ByteSet; node: RegexNode }
  | { kind: 'fixed'; set: ByteSet; node: RegexNode }
  | { kind: 'end'; node: RegexNode }
  | { kind: 'opaque'; node: RegexNode };

type FixedItem = Extract<Item, { kind: 'fixed' }>;

/** PCRE2's default match limit. */
export const MATCH_LIMIT = 10_000_000;

/** How many repetitions of the pumped text make n^degree/degree! splits exceed twice the match limit (at most 4,000). */
function repeatsToExhaust(degree: number): number {
  let factorial = 1;
  for (let i = 2; i <= degree; i++) factorial *= i;
  return Math.min(4_000, Math.ceil((2 * MATCH_LIMIT * factorial) ** (1 / degree)));
}

function unbounded(node: RegexNode): boolean {
  let found = false;
  const walk = (n: RegexNode): void => {
    if (found) return;
    if (n.kind === 'repeat' && n.max > LONG_REPEAT) found = true;
    else if (n.kind === 'seq') n.items.forEach(walk);
    else if (n.kind === 'alt') n.options.forEach(walk);
    else if (n.kind === 'group' && !n.look) walk(n.body);
    else if (n.kind === 'repeat') walk(n.body);
  };
  walk(node);
  return found;
}

/** The pattern as a flat sequence: groups opened, repeats and alternations kept whole. */
function linear(node: RegexNode, out: Item[] = []): Item[] {
  switch (node.kind) {
    case 'seq':
      for (const item of node.items) linear(item, out);
      break;
    case 'group':
      if (node.look) break;
      if (node.atomic) out.push({ kind: 'opaque', node });
      else linear(node.body, out);
      break;
    case 'repeat':
      if (node.max > LONG_REPEAT && node.mode !== 'possessive' && !unbounded(node.body)) out.push({ kind: 'star', set: bytesOf(node.body), node });
      else if (unbounded(node.body) || node.mode === 'possessive') out.push({ kind: 'opaque', node });
      else out.push({ kind: 'fixed', set: bytesOf(node), node });
      break;
    case 'alt':
      out.push(unbounded(node) ? { kind: 'opaque', node } : { kind: 'fixed', set: bytesOf(node), node });
      break;
    case 'chars':
      out.push({ kind: 'fixed', set: node.set, node });
      break;
    case 'assert':
      if (node.what === 'end' || node.what === 'subject-end' || node.what === 'subject-end-newline') out.push({ kind: 'end', node });
      break;
    default:
      out.push({ kind: 'opaque', node });
  }
  return out;
}

function sampleOf(items: readonly Item[], within: ByteSet): string | undefined {
  let text = '';
  for (const item of items) {
    if (item.kind === 'end') continue;
    const s = samples(item.node, 1, within)[0];
    if (s === undefined) return undefined;
    text += s;
  }
  return text;
}

function withinSubject(text: string, subject: ByteSet): boolean {
  return [...text].every((c) => subject.has(c.charCodeAt(0)));
}

/** A rejected ending for `prefix + pump×repeat`: what follows the repeats, broken, or a newline before more text. */
function rejectedSuffix(a: Automaton, prefix: string, pump: string, repeat: number, rest: string | undefined, subject: ByteSet): string | undefined {
  const r = rest ?? '';
  const head = prefix + pump.repeat(repeat);
  const repeated = { start: prefix.length, length: pump.length, count: repeat };
  const candidates = [`${r}\nx`, '\nx', `${r}!`, '!', `${r.slice(0, -1)}!`, `${r}\x00`, '\x00', ' ', '~', ''];
  return candidates.find((suffix) => withinSubject(suffix, subject) && !matches(a, head + suffix, repeated));
}

function polynomial(regex: Regex, a: Automaton, subject: ByteSet): Backtracking | undefined {
  const items = linear(regex.root);
  let best: { first: number; last: number; degree: number; pump: ByteSet; between: FixedItem[] } | undefined;
  for (let i = 0; i < items.length; i++) {
    const head = items[i]!;
    if (head.kind !== 'star') continue;
    let pump = head.set.intersect(subject);
    let degree = 1;
    let last = i;
    let between: FixedItem[] = [];
    let firstBetween: FixedItem[] | undefined;
    for (let j = i + 1; j < items.length && !pump.isEmpty(); j++) {
      const item = items[j]!;
      if (item.kind === 'fixed') {
        between.push(item);
        continue;
      }
      if (item.kind !== 'star') break;
      const joined = pump.intersect(item.set);
      // the repeats trade bytes when both take the pumped byte, and the text between them too (or it can be empty)
      if (joined.isEmpty() || !between.every((b) => nullable(b.node) || b.set.overlaps(joined))) break;
      firstBetween ??= between;
      pump = joined;
      degree++;
      last = j;
      between = [];
    }
    if (degree >= 2 && (!best || degree > best.degree)) best = { first: i, last, degree, pump, between: firstBetween ?? [] };
  }
  if (!best) return undefined;
  const prefix = sampleOf(items.slice(0, best.first), subject);
  const separator = sampleOf(best.between.filter((b) => !nullable(b.node) || b.set.overlaps(best.pump)), best.pump);
  const pumpByte = best.pump.representative();
  if (prefix === undefined || separator === undefined || pumpByte === undefined) return undefined;
  const pump = String.fromCharCode(pumpByte) + separator;
  const repeat = repeatsToExhaust(best.degree);
  const suffix = rejectedSuffix(a, prefix, pump, repeat, sampleOf(items.slice(best.last + 1), subject), subject);
  if (suffix === undefined) return undefined;
  const first = items[best.first]!.node;
  const last = items[best.last]!.node;
  return { kind: 'polynomial', degree: best.degree, prefix, pump, repeat, suffix, start: first.start, end: last.end };
}

interface CharGraph {
  /** Char states, by compact index. */
  nodes: number[];
  sets: ByteSet[];
  succ: number[][];
  entry: number[];
}

function charGraph(a: Automaton): CharGraph | undefined {
  const index = new Map<number, number>();
  a.states.forEach((s, i) => {
    if (s.t === 'char') index.set(i, index.size);
  });
  if (index.size > MAX_CHAR_STATES) return undefined;
  // the char states reached without consuming: the automaton without its epsilon moves
  const reach = (from: number): number[] => [...epsilonReach(a, from)].flatMap((s) => (a.states[s]!.t === 'char' ? [index.get(s)!] : []));
  const nodes = [...index.keys()];
  return {
    nodes,
    sets: nodes.map((s) => (a.states[s] as { set: ByteSet }).set),
    succ: nodes.map((s) => reach((a.states[s] as { out: number }).out)),
    entry: reach(a.start),
  };
}

/** A path of compact nodes from one of `from` to `to` (inclusive), through `allowed` steps. */
function pathBetween(from: number[], to: (n: number) => boolean, next: (n: number) => number[]): number[] | undefined {
  const parent = new Map<number, number>();
  const queue = [...from];
  for (const f of from) parent.set(f, -1);
  for (let k = 0; k < queue.length; k++) {
    const n = queue[k]!;
    if (to(n)) {
      const path = [n];
      for (let p = parent.get(n)!; p !== -1; p = parent.get(p)!) path.unshift(p);
      return path;
    }
    for (const m of next(n)) {
      if (!parent.has(m)) {
        parent.set(m, n);
        queue.push(m);
      }
    }
  }
  return undefined;
}

function exponential(a: Automaton, subject: ByteSet): Backtracking | undefined {
  const g = charGraph(a);
  if (!g) return undefined;
  const n = g.nodes.length;
  const sets = g.sets.map((s) => s.intersect(subject));
  const pairOk = (u: number, v: number) => sets[u]!.overlaps(sets[v]!);
  let edges = 0;
  const productSucc = (id: number): number[] => {
    const u = Math.floor(id / n);
    const v = id % n;
    const out: number[] = [];
    for (const u2 of g.succ[u]!) for (const v2 of g.succ[v]!) if (pairOk(u2, v2)) out.push(u2 * n + v2);
    edges += out.length;
    return out;
  };
  // Tarjan's strongly connected components over the product, iteratively, from the diagonal
  const indexOf = new Map<number, number>();
  const low = new Map<number, number>();
  const onStack = new Set<number>();
  const stack: number[] = [];
  const succCache = new Map<number, number[]>();
  const succ = (id: number) => {
    let s = succCache.get(id);
    if (!s) succCache.set(id, (s = productSucc(id)));
    return s;
  };
  let counter = 0;
  let found: { diagonal: number; other: number; members: Set<number> } | undefined;
  for (let q = 0; q < n && !found; q++) {
    const root = q * n + q;
    if (indexOf.has(root) || sets[q]!.isEmpty()) continue;
    const work: Array<{ id: number; k: number }> = [{ id: root, k: 0 }];
    indexOf.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0 && !found) {
      if (edges > MAX_PRODUCT_EDGES) return undefined;
      const top = work[work.length - 1]!;
      const next = succ(top.id);
      if (top.k < next.length) {
        const m = next[top.k++]!;
        if (!indexOf.has(m)) {
          indexOf.set(m, counter);
          low.set(m, counter++);
          stack.push(m);
          onStack.add(m);
          work.push({ id: m, k: 0 });
        } else if (onStack.has(m)) low.set(top.id, Math.min(low.get(top.id)!, indexOf.get(m)!));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1]!.id;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.id)!));
      }
      if (low.get(top.id) === indexOf.get(top.id)) {
        const members = new Set<number>();
        for (let m = stack.pop()!; ; m = stack.pop()!) {
          onStack.delete(m);
          members.add(m);
          if (m === top.id) break;
        }
        if (members.size < 2) continue;
        const diagonal = [...members].find((m) => Math.floor(m / n) === m % n);
        const other = [...members].find((m) => Math.floor(m / n) !== m % n);
        if (diagonal !== undefined && other !== undefined) found = { diagonal, other, members };
      }
    }
  }
  if (!found) return undefined;
  const { diagonal, other, members } = found;
  const inside = (id: number) => succ(id).filter((m) => members.has(m));
  const there = pathBetween([diagonal], (m) => m === other, inside);
  const back = pathBetween([other], (m) => m === diagonal, inside);
  const q = Math.floor(diagonal / n);
  const lead = pathBetween(g.entry, (m) => m === q, (m) => g.succ[m]!);
  if (!there || !back || !lead) return undefined;
  const label = (id: number) => String.fromCharCode(sets[Math.floor(id / n)]!.intersect(sets[id % n]!).representative()!);
  const prefix = lead.map((m) => String.fromCharCode(sets[m]!.representative()!)).join('');
  const pump = [...there.slice(1), ...back.slice(1)].map(label).join('');
  const repeat = 30;
  const suffix = rejectedSuffix(a, prefix, pump, repeat, undefined, subject);
  if (suffix === undefined) return undefined;
  return { kind: 'exponential', degree: 0, prefix, pump, repeat, suffix, start: 0, end: a.regex.source.length };
}

/**
 * Whether PCRE can backtrack catastrophically on this regex, for subjects made of `subject` bytes
 * (a header value never holds a line feed; a decoded path can). Only exact patterns are judged:
 * possessive repeats, atomic groups and backreferences are left alone.
 */
export function catastrophicBacktracking(regex: Regex, subject: ByteSet = ByteSet.ALL): Backtracking | undefined {
  if (!regex.exact || atMostOneSimpleLoop(regex.root)) return undefined;
  return searchBacktracking(regex, subject);
}

/** The search itself (catastrophicBacktracking without its shortcut: the tests hold the two equal). */
export function searchBacktracking(regex: Regex, subject: ByteSet = ByteSet.ALL): Backtracking | undefined {
  if (!regex.exact) return undefined;
  let bySubject = found.get(regex);
  if (!bySubject) found.set(regex, (bySubject = new Map()));
  const key = subject.key();
  if (bySubject.has(key)) return bySubject.get(key);
  const a = automatonOf(regex);
  const result = a ? (exponential(a, subject) ?? polynomial(regex, a, subject)) : undefined;
  bySubject.set(key, result);
  return result;
}

/**
 * Whether the pattern repeats without bound at most once, and that repeat reads one character (`.*`,
 * `[^/]+`, `\d+`), inside no other repeat. Its automaton then has one loop, a state to itself: no two
 * paths from a state back to itself (exponential), no two repeats trading bytes (polynomial). Most
 * configuration regexes are such (`\.php$`, `^/api/(.*)$`), and the search costs 10 to 50 µs each: the
 * cold lint of 9,000 regexes spent 145 ms in it.
 */
export function atMostOneSimpleLoop(root: RegexNode): boolean {
  let loops = 0;
  const simple = (body: RegexNode): boolean => body.kind === 'chars' || (body.kind === 'group' && !body.look && !body.atomic && simple(body.body));
  const walk = (node: RegexNode, inRepeat: boolean): boolean => {
    switch (node.kind) {
      case 'seq':
        return node.items.every((item) => walk(item, inRepeat));
      case 'alt':
        return node.options.every((option) => walk(option, inRepeat));
      case 'group':
        return walk(node.body, inRepeat);
      case 'repeat':
        if (node.max <= LONG_REPEAT) return walk(node.body, inRepeat || node.max > 1);
        loops++;
        return loops === 1 && !inRepeat && simple(node.body);
      case 'backref':
      case 'unknown':
        return false;
      default:
        return true;
    }
  };
  return walk(root, false);
}

/** Answers by regex (parsed regexes are shared) and subject bytes: a location read in several servers is analysed once. */
const found = new WeakMap<Regex, Map<string, Backtracking | undefined>>();
