// What a reparse in place computes from the text before an edit (the language server does it on each
// keystroke): the line index after the edit, derived from the one before, must equal the index of the new
// text read whole (\n, \r\n and lone \r breaks on every side of the edit, and NGINX's own line numbers);
// the lengths of the unchanged start and end, found block by block, must be those found character by character.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineIndex, unchangedPrefix, unchangedSuffix } from '../../server/src/core/text';

/** A small deterministic generator (mulberry32), so that a failure comes back with the same seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = ['\n', '\r', '\r\n', 'a', 'bc', ' ', 'listen 80;', '\n\n', '\r\r'];

function text(next: () => number, pieces: number): string {
  let out = '';
  for (let i = 0; i < pieces; i++) out += PIECES[Math.floor(next() * PIECES.length)];
  return out;
}

function sameIndex(actual: LineIndex, expected: LineIndex, what: string): void {
  assert.equal(actual.lineCount, expected.lineCount, `${what}: line count`);
  for (let offset = 0; offset <= expected.text.length; offset++) {
    assert.deepEqual(actual.positionAt(offset), expected.positionAt(offset), `${what}: position of ${offset}`);
    assert.equal(actual.nginxLine(offset), expected.nginxLine(offset), `${what}: nginx line of ${offset}`);
  }
  for (let line = 0; line < expected.lineCount; line++) assert.equal(actual.lineStart(line), expected.lineStart(line), `${what}: start of line ${line}`);
}

test('an index moved past an edit equals the index of the new text', () => {
  const next = random(17);
  for (let round = 0; round < 3_000; round++) {
    const before = text(next, Math.floor(next() * 12));
    const start = Math.floor(next() * (before.length + 1));
    const oldEnd = start + Math.floor(next() * (before.length - start + 1));
    const inserted = text(next, Math.floor(next() * 4));
    const after = before.slice(0, start) + inserted + before.slice(oldEnd);
    const what = `round ${round}: ${JSON.stringify(before)} [${start}, ${oldEnd}) -> ${JSON.stringify(inserted)}`;
    sameIndex(new LineIndex(before).afterEdit(after, start, oldEnd, start + inserted.length), new LineIndex(after), what);
  }
});

test('an index read whole puts each line where the text breaks (\\n, \\r\\n, lone \\r; a text with no \\r is read another way)', () => {
  const next = random(41);
  for (let round = 0; round < 2_000; round++) {
    const whole = text(next, Math.floor(next() * 16));
    const sample = round % 2 === 0 ? whole.replaceAll('\r', '') : whole;
    const expectedStarts = [0];
    for (let i = 0; i < sample.length; i++) {
      if (sample[i] === '\n' || (sample[i] === '\r' && sample[i + 1] !== '\n')) expectedStarts.push(i + 1);
    }
    const index = new LineIndex(sample);
    const what = `round ${round}: ${JSON.stringify(sample)}`;
    assert.equal(index.lineCount, expectedStarts.length, `${what}: line count`);
    expectedStarts.forEach((start, line) => assert.equal(index.lineStart(line), start, `${what}: start of line ${line}`));
    for (let offset = 0; offset <= sample.length; offset++) {
      const nginxLine = 1 + [...sample.slice(0, offset + 1)].filter((c) => c === '\n').length; // up to and including the character
      assert.equal(index.nginxLine(offset), nginxLine, `${what}: nginx line of ${offset}`);
    }
  }
});

test('the unchanged start and end of two texts, around blocks of every size', () => {
  const next = random(29);
  const naivePrefix = (a: string, b: string) => {
    let i = 0;
    while (i < Math.min(a.length, b.length) && a[i] === b[i]) i++;
    return i;
  };
  const naiveSuffix = (a: string, b: string, max: number) => {
    let n = 0;
    while (n < max && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
    return n;
  };
  for (let round = 0; round < 400; round++) {
    const base = text(next, Math.floor(next() * 900));
    const at = Math.floor(next() * (base.length + 1));
    const cut = Math.floor(next() * 3);
    const edited = base.slice(0, at) + text(next, Math.floor(next() * 2)) + base.slice(Math.min(base.length, at + cut));
    const prefix = unchangedPrefix(base, edited);
    assert.equal(prefix, naivePrefix(base, edited), `round ${round}: prefix`);
    const max = Math.min(base.length, edited.length) - prefix;
    assert.equal(unchangedSuffix(base, edited, max), naiveSuffix(base, edited, max), `round ${round}: suffix`);
    assert.equal(unchangedSuffix(base, edited), naiveSuffix(base, edited, Math.min(base.length, edited.length)), `round ${round}: suffix, no bound`);
  }
});
