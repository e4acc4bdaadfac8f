// The server's analyses under bursts of edits (dist/server.js over stdio, debounce 0): an analysis that a
// newer edit made useless is abandoned, requests are answered while an analysis runs, and whatever was
// abandoned, the diagnostics of each document's last version equal a full analysis of the same texts
// by the engine, compared after every burst.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LineIndex } from '../../server/src/core/text';
import { lintPaths } from '../../server/src/engine/lint';
import { OverlayHost, type OpenDocument } from '../../server/src/workspace/overlay';
import { NodeFileHost } from '../../server/src/workspace/host';
import { copyKasmFixture } from '../support/kasm';
import { LspClient, uri } from '../support/lsp-client';
import { seededRandom } from '../support/random';

const SEED = Number(process.env.KASMLINT_INCREMENTAL_SEED ?? 20261202);
const BURSTS = Number(process.env.KASMLINT_INCREMENTAL_BURSTS ?? 40);
const PIECES = ['{', '}', ';', '"', '#', '$', '\n', ' ', 'x', 'location /a/ {', 'add_header X-Frame-Options DENY;', 'proxy_set_header Host $http_host;', 'expires 1h;', 'upstream u { server 127.0.0.1; }'];

function analysedCount(client: LspClient): number {
  return client.logs.filter((l) => l.startsWith('analysed ')).length;
}

const key = (d: { rule: string; range: unknown; message: string }) => `${d.rule} ${JSON.stringify(d.range)} ${d.message}`;

test('bursts of edits on a Kasm tree: older analyses abandoned, the last version equal to a full analysis after every burst', { timeout: 10 * 60_000 }, async (t) => {
  const random = seededRandom(SEED);
  const workspace = mkdtempSync(join(tmpdir(), 'kasmlint-incremental-'));
  const kasm = copyKasmFixture(join(workspace, 'kasm'));
  const files = ['orchestrator.conf', 'services.d/website.conf', 'upstream_agent.conf'].map((f) => join(kasm, f));
  const client = new LspClient();
  t.after(() => client.shutdown());
  await client.initialize(workspace, {}, 0);
  const docs = new Map<string, { text: string; version: number }>();
  for (const path of files) {
    const text = readFileSync(path, 'utf8');
    docs.set(path, { text, version: 1 });
    await client.open(path, text, 1);
  }
  await client.waitFor(() => files.every((path) => client.diagnostics.get(uri(path))?.version === 1), 30_000, 'the first diagnostics');
  const analysedAtStart = analysedCount(client);
  let edits = 0;
  for (let burst = 0; burst < BURSTS; burst++) {
    const analysedBefore = analysedCount(client);
    const size = 5 + random(20);
    for (let i = 0; i < size; i++) {
      const path = files[random(files.length)]!;
      const doc = docs.get(path)!;
      const start = random(doc.text.length + 1);
      const end = random(3) === 0 ? Math.min(doc.text.length, start + 1 + random(20)) : start;
      const inserted = PIECES[random(PIECES.length)]!;
      const range = new LineIndex(doc.text).range(start, end);
      doc.text = doc.text.slice(0, start) + inserted + doc.text.slice(end);
      doc.version++;
      edits++;
      void client.edit(path, doc.version, range, inserted); // not waited for: a burst, as typing sends it
    }
    await client.waitFor(() => [...docs].every(([path, doc]) => client.diagnostics.get(uri(path))?.version === doc.version), 60_000, `diagnostics of burst ${burst}`);
    // what the engine finds in the same texts, from scratch
    const overlay = new Map<string, OpenDocument>([...docs].map(([p, d]) => [p, { text: d.text, version: d.version }]));
    const engine = lintPaths([kasm], { host: new OverlayHost(new NodeFileHost(), overlay) });
    for (const [path] of docs) {
      const published = (client.diagnostics.get(uri(path))!.diagnostics as Diagnostic[]).map((d) => key({ rule: String(d.code), range: d.range, message: d.message })).sort();
      const expected = engine.findings.filter((f) => f.file === path).map(key).sort();
      assert.deepEqual(published, expected, `${path} after burst ${burst}: the server's diagnostics differ from a full analysis`);
    }
    assert.ok(analysedCount(client) - analysedBefore <= size, 'no more analyses than edits');
  }
  const analyses = analysedCount(client) - analysedAtStart;
  t.diagnostic(`${edits} edits in ${BURSTS} bursts: ${analyses} analyses ran to their end`);
  assert.ok(analyses < edits, `${analyses} analyses for ${edits} edits: none was abandoned`);
});

test('a hover on a large file is answered while the analysis of the edit before it runs', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kasmlint-incremental-large-'));
  const lines = ['events {}', 'http {', '    server {', '        listen 8080;'];
  for (let i = 0; lines.length < 9_990; i++) lines.push(`        location /p${i}/ {`, '            proxy_set_header Host $host;', `            proxy_read_timeout ${(i % 90) + 10}s;`, '            proxy_pass http://127.0.0.1:9000;', '        }');
  lines.push('    }', '}', '');
  const file = join(dir, 'nginx.conf');
  const text = lines.join('\n');
  writeFileSync(file, text);
  const client = new LspClient();
  t.after(() => client.shutdown());
  await client.initialize(dir, { hover: {} }, 0);
  await client.open(file, text, 1);
  await client.waitForDiagnostics(uri(file), (d) => d.version === 1);
  // a first hover waits for the analysis the editing features answer from (the diagnostics have theirs)
  await client.request('textDocument/hover', { textDocument: { uri: uri(file) }, position: { line: 6, character: 14 } });
  const order: string[] = [];
  void client.change(file, 2, text.replace('proxy_read_timeout 10s;', 'proxy_read_timeout 11s;'));
  const diagnostics = client.waitForDiagnostics(uri(file), (d) => d.version === 2).then(() => order.push('diagnostics'));
  const hover = client.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: uri(file) }, position: { line: 6, character: 14 } }).then((h) => {
    order.push('hover');
    return h;
  });
  const answer = await hover;
  await diagnostics;
  assert.match(answer?.contents.value ?? '', /proxy_read_timeout/, 'the hover documents the directive under the cursor');
  assert.deepEqual(order, ['hover', 'diagnostics'], 'the hover did not wait for the analysis');
});
