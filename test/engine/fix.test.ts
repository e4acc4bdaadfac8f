// Applying fixes in bulk (engine/fix.ts): which fixes are chosen when their edits touch the same text,
// and the text the chosen edits make, against edits applied one at a time from the end.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { LineIndex } from '../../server/src/core/text';
import { applyTextEdits, chooseFixes, fixPaths } from '../../server/src/engine/fix';
import type { Finding, TextEdit } from '../../server/src/engine/findings';
import { lintPaths } from '../../server/src/engine/lint';
import { NodeFileHost } from '../../server/src/workspace/host';
import { writeTree } from '../support/nginx';

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

test('fixPaths fixes every finding of a rule stopped by maxFindingsPerRule, and reports the run after with the limit', () => {
  // 30 ports of two servers without a default one: one fix each, two a pass within the limit, which
  // would need fifteen passes (there are ten); and 30 findings without a fix (a name resolved once)
  const servers = Array.from({ length: 30 }, (_, i) => `    server { listen ${8100 + i}; server_name a${i}.example.test; location / { proxy_pass http://backend${i}.example.test; } }\n    server { listen ${8100 + i}; server_name b${i}.example.test; return 204; }\n`).join('');
  const dir = writeTree({ 'nginx.conf': `events {}\nhttp {\n${servers}}\n`, '.kasmlintrc.json': '{ "maxFindingsPerRule": 2 }' });
  const host = new NodeFileHost();
  const before = lintPaths([dir], { host }).findings.filter((f) => f.rule === 'server/no-default').length;
  assert.equal(before, 2);
  const fixed = fixPaths([dir], { host, unsafe: false });
  assert.equal(fixed.run.findings.filter((f) => f.rule === 'server/no-default').length, 0);
  assert.equal((readFileSync(join(dir, 'nginx.conf'), 'utf8').match(/ default_server;/g) ?? []).length, 30);
  // the run reported is read with the limit: no rule past two findings
  const counts = new Map<string, number>();
  for (const f of fixed.run.findings) if (!f.rule.startsWith('kasmlint/')) counts.set(f.rule, (counts.get(f.rule) ?? 0) + 1);
  assert.equal(counts.get('proxy/stale-dns'), 2);
  assert.ok([...counts.values()].every((n) => n <= 2), JSON.stringify([...counts]));
});
