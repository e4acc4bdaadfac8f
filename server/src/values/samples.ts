// Strings a regex accepts, as a person would write them: `^https?://(www\.)?example\.com$` gives
// https://www.example.com and https://example.com. The analyses start from these samples and mutate
// them into what an attacker would send; every candidate is then checked against the automaton.

import type { ByteSet } from './charset';
import type { RegexNode } from './regex';

function representative(set: ByteSet, within?: ByteSet): string | undefined {
  const byte = (within ? set.intersect(within) : set).representative();
  return byte === undefined ? undefined : String.fromCharCode(byte);
}

/** Only literal text inside (no wildcard, class or type): an optional part worth showing in samples. */
function literalOnly(node: RegexNode): boolean {
  switch (node.kind) {
    case 'chars':
      return node.syntax === 'literal' || node.syntax === 'escape';
    case 'seq':
      return node.items.every(literalOnly);
    case 'group':
      return !node.look && literalOnly(node.body);
    case 'alt':
      return node.options.every(literalOnly);
    default:
      return false;
  }
}

function product(left: string[], right: string[], limit: number): string[] {
  const out: string[] = [];
  for (const a of left) {
    for (const b of right) {
      out.push(a + b);
      if (out.length >= limit) return out;
    }
  }
  return out;
}

/**
 * Up to `limit` strings the node matches, the most natural first: optional literal parts present
 * (`https?` gives https), optional wildcard parts absent, each alternative in turn, repeats at their
 * minimum (once for `+`). Bytes are drawn from `within` when given. Anchors and lookarounds are
 * ignored: check a sample with `matches` before relying on it.
 */
export function samples(node: RegexNode, limit = 16, within?: ByteSet, overrides?: ReadonlyMap<RegexNode, string>): string[] {
  return generate(node, limit, within, false, overrides);
}

/**
 * `repeated`: inside a repeat, where a lone `.` stands for any character rather than a mistyped dot.
 * `overrides`: nodes that produce a given text (a capture group holding an attacker's payload).
 */
function generate(node: RegexNode, limit: number, within: ByteSet | undefined, repeated: boolean, overrides?: ReadonlyMap<RegexNode, string>): string[] {
  const forced = overrides?.get(node);
  if (forced !== undefined) return [forced];
  const samples = (n: RegexNode, l: number, w: ByteSet | undefined) => generate(n, l, w, repeated, overrides);
  switch (node.kind) {
    case 'chars': {
      // an unescaped dot between name characters was meant as a dot (kasm.example.com)
      if (node.syntax === 'dot' && !repeated && node.set.hasChar('.') && (!within || within.hasChar('.'))) return ['.'];
      const c = representative(node.set, within);
      return c === undefined ? [] : [c];
    }
    case 'seq': {
      let acc = [''];
      for (const item of node.items) {
        acc = product(acc, samples(item, limit, within), limit);
        if (acc.length === 0) return [];
      }
      return acc;
    }
    case 'alt':
      return node.options.flatMap((o) => samples(o, limit, within)).slice(0, limit);
    case 'group':
      return node.look ? [''] : samples(node.body, limit, within);
    case 'repeat': {
      if (node.max === 0) return [''];
      const body = generate(node.body, limit, within, repeated || node.max > 1, overrides);
      const copies = Math.max(node.min, 1);
      const copied = body.map((b) => b.repeat(copies));
      if (node.min > 0) return copied.slice(0, limit);
      return (literalOnly(node.body) ? [...copied, ''] : ['', ...copied]).slice(0, limit);
    }
    default:
      return [''];
  }
}
