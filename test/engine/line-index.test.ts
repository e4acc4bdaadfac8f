// A file's line index after an edit is derived from the one before (the language server does it on each
// keystroke of a reparse in place): it must equal the index of the new text read whole, with \n, \r\n
// and lone \r breaks on every side of the edit, and NGINX's own line numbers (\n only).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineIndex } from '../../server/src/core/text';

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
