// TextMemo (core/maps.ts): results kept by text. It lets its texts go when full while most lookups
// hit (junk typed into a file), and grows, up to a bound, when most miss (more texts in use than it holds).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TextMemo } from '../../server/src/core/maps';

/** A memo of `size` that counts how many times it computed a result. */
function counted(size: number, maxGrowth?: number): { memo: TextMemo<string>; look: (text: string) => void; computed: () => number } {
  const memo = new TextMemo<string>(size, Number.POSITIVE_INFINITY, maxGrowth);
  let computed = 0;
  return {
    memo,
    look: (text) => {
      memo.get(text, () => {
        computed++;
        return text.toUpperCase();
      });
    },
    computed: () => computed,
  };
}

test('a working set larger than the memo: it grows, and later sweeps compute nothing again', () => {
  const { memo, look, computed } = counted(100);
  const texts = Array.from({ length: 350 }, (_, i) => `^/page${i}/(.*)$`);
  for (let sweep = 0; sweep < 5; sweep++) texts.forEach(look);
  assert.equal(computed(), 350, 'each text computed once');
  assert.equal(memo.capacity, 400);
});

test('texts that come and go among ones that stay (a value being typed): it lets them go and keeps its size', () => {
  const { memo, look, computed } = counted(100);
  const stable = Array.from({ length: 50 }, (_, i) => `$host${i}`);
  for (let keystroke = 0; keystroke < 1000; keystroke++) {
    stable.forEach(look);
    look(`junk ${keystroke}`);
  }
  assert.equal(memo.capacity, 100);
  // the stable texts are computed again only after each clear (one per 50 junk texts)
  assert.ok(computed() < 1000 + 50 * 25, `computed ${computed()} times`);
});

test('it grows at most maxGrowth times its first size, then clears as before', () => {
  const { memo, look } = counted(10, 4);
  for (let sweep = 0; sweep < 3; sweep++) for (let i = 0; i < 1000; i++) look(`t${i}`);
  assert.equal(memo.capacity, 40);
});

test('texts longer than the bound are computed each time and not kept', () => {
  const memo = new TextMemo<number>(10, 5);
  let computed = 0;
  for (let i = 0; i < 3; i++) memo.get('a long text', () => ++computed);
  assert.equal(computed, 3);
});
