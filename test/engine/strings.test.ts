// The did-you-mean search (Suggester, closestMatch) prunes candidates by length and letter counts and
// stops a row early; it must pick what a plain search over every candidate picks: the nearest by
// Levenshtein distance (case ignored), the first in code-unit order among equals, within
// max(2, length / 4) edits.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closestMatch, editDistanceWithin, Suggester } from '../../server/src/core/strings';
import { DirectiveCatalog } from '../../server/src/nginx/directives';
import { seededRandom } from '../support/random';

function levenshtein(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      rows[i]![j] = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return rows[a.length]![b.length]!;
}

function plainSearch(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = levenshtein(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance || (d === bestDistance && c < best!)) [best, bestDistance] = [c, d];
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 4)) ? best : undefined;
}

/** A directive name with a few random edits: letters, '_' and digits inserted, deleted, replaced, swapped. */
function typo(name: string, random: (n: number) => number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz_0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let word = name;
  for (let edits = 1 + random(5); edits > 0; edits--) {
    const at = random(word.length + 1);
    const letter = alphabet[random(alphabet.length)]!;
    switch (random(4)) {
      case 0: word = word.slice(0, at) + letter + word.slice(at); break;
      case 1: word = word.slice(0, at) + word.slice(at + 1); break;
      case 2: word = word.slice(0, at) + letter + word.slice(at + 1); break;
      default: word = word.slice(0, at) + word.slice(at + 1, at + 2) + word.slice(at, at + 1) + word.slice(at + 2);
    }
  }
  return word || 'x';
}

test('the pruned did-you-mean picks what a plain search over every directive picks, on 3,000 typos', () => {
  const catalog = DirectiveCatalog.forVersion('1.25.1');
  const contexts = ['http', 'http.server', 'http.location', 'main'] as const;
  const random = seededRandom(20261202);
  let suggested = 0;
  for (const context of contexts) {
    const names = catalog.names().filter((n) => catalog.specIn(n, context));
    const suggester = new Suggester(names);
    for (let i = 0; i < 750; i++) {
      const word = typo(names[random(names.length)]!, random);
      const want = plainSearch(word, names);
      assert.equal(suggester.closest(word), want, `${context}: ${word}`);
      assert.equal(closestMatch(word, names), want, `${context}: ${word}`);
      if (want) suggested++;
    }
  }
  assert.ok(suggested > 1000, `${suggested} typos got a suggestion`);
});

test('editDistanceWithin is the distance up to its limit, and limit + 1 beyond it', () => {
  const random = seededRandom(7);
  const words = ['proxy_pass', 'PROXY_PASS', 'listen', 'ssl_protocols', '', 'a', 'add_header_inherit', 'x'.repeat(70)];
  for (let i = 0; i < 2000; i++) {
    const a = typo(words[random(words.length)] || 'w', random);
    const b = typo(words[random(words.length)] || 'w', random);
    const limit = random(12);
    const d = levenshtein(a, b);
    assert.equal(editDistanceWithin(a, b, limit), d <= limit ? d : limit + 1, `${a} / ${b} within ${limit}`);
  }
});
