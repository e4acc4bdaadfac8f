// Applying fixes in bulk (engine/fix.ts): which fixes are chosen when their edits touch the same text,
// and the text the chosen edits make, against edits applied one at a time from the end.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineIndex } from '../../server/src/core/text';
import { applyTextEdits, chooseFixes } from '../../server/src/engine/fix';
import type { Finding, TextEdit } from '../../server/src/engine/findings';

const FILE = '/etc/nginx/nginx.conf';

function edit(text: string, from: number, to: number, newText: string): TextEdit {
  const lines = new LineIndex(text);
  return { file: FILE, range: lines.range(from, to), newText };
}

function finding(...edits: TextEdit[]): Finding {
  return { rule: 'test/rule', severity: 'warning', message: 'm', file: FILE, range: edits[0]!.range, related: [], fixes: [{ title: 't', applicability: 'safe', preferred: true, edits }] };
}

/** The edits applied one by one, from the last offset to the first (an insertion after a replacement at its point). */
function oneByOne(text: string, edits: readonly TextEdit[]): string {
  const lines = new LineIndex(text);
  const spans = edits.map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), text: e.newText })).sort((a, b) => b.start - a.start || b.end - a.end);
  let result = text;
  for (const s of spans) result = result.slice(0, s.start) + s.text + result.slice(s.end);
  return result;
}

test('edits applied in one pass make the text edits applied one by one make', () => {
  const text = 'server {\n    listen 80;\n    server_name a;\n}\n';
  const listen = text.indexOf('80');
  const edits = [edit(text, listen, listen, 'x'), edit(text, listen, listen + 2, '8080'), edit(text, text.indexOf('a;'), text.indexOf('a;') + 1, 'b'), edit(text, 0, 0, '# top\n'), edit(text, text.length, text.length, '# end\n')];
  const result = applyTextEdits(text, edits);
  assert.equal(result, oneByOne(text, edits));
  assert.equal(result, '# top\nserver {\n    listen x8080;\n    server_name b;\n}\n# end\n', 'an insertion and a replacement at one point: the insertion first');
  // many edits on a long text, in any order
  const long = Array.from({ length: 500 }, (_, i) => `    proxy_read_timeout ${i}s;`).join('\n');
  const many = Array.from({ length: 500 }, (_, i) => {
    const at = long.indexOf(` ${i}s;`) + 1;
    return edit(long, at, at + String(i).length, String(i * 2));
  }).reverse();
  assert.equal(applyTextEdits(long, many), oneByOne(long, many));
});

test('chooseFixes: a fix is skipped when an edit overlaps a chosen one, on its line or across lines; identical edits are shared', () => {
  const text = 'a b c\nd e f\ng h i\n';
  const at = (s: string) => text.indexOf(s);
  const first = finding(edit(text, at('b'), at('b') + 1, 'B'));
  const overlapping = finding(edit(text, at('a'), at('c'), 'X'));
  const sameEdit = finding(edit(text, at('b'), at('b') + 1, 'B'), edit(text, at('h'), at('h') + 1, 'H'));
  const acrossLines = finding(edit(text, at('c'), at('h') + 1, 'Y'));
  const twoInsertions = [finding(edit(text, at('d'), at('d'), '1')), finding(edit(text, at('d'), at('d'), '2'))];
  const chosen = chooseFixes([first, overlapping, sameEdit, acrossLines, ...twoInsertions], false).map((c) => c.finding);
  assert.deepEqual(chosen, [first, sameEdit, twoInsertions[0]], 'the overlapping fix, the one across lines (it covers h) and the second insertion at one point are left for a later pass');
});
