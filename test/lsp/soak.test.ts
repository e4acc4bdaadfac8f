// The language server under a long editing session: one server process (dist/server.js over stdio, as
// editors run it) gets thousands of random operations through the real protocol: incremental edits
// typed faster than the analysis runs, whole-text replacements with junk, opens and closes (files of a
// Kasm tree and a cloudflared config in the workspace, and new scratch files outside it), and hover,
// completion, code action, outline and definition requests fired without waiting.
// At every checkpoint: the server is alive, every request answered, each open document's latest
// diagnostics are for its latest version, lie inside its text and equal what the engine finds for the
// same texts; closed scratch files have no diagnostics left. Memory (heap after a forced GC) after
// the session is compared with memory after the warm-up. KASMLINT_SOAK_OPS sets the length.

import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
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

const OPERATIONS = Number(process.env.KASMLINT_SOAK_OPS ?? 4000);
const CHECKPOINT_EVERY = 250;
const WARM_UP = 500;
const SEED = Number(process.env.KASMLINT_SOAK_SEED ?? 20261123);
const PIECES = ['{', '}', ';', '"', "'", '#', '$', '\n', ' ', 'a', 'server {', 'location / {', 'add_header X-Frame-Options DENY;', 'proxy_pass https://kasm_api;', 'include services.d/*.conf;', ': ', '- ', 'noTLSVerify: true'];

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? filesUnder(join(dir, name)) : [join(dir, name)]));
}

interface Status {
  documents: number;
  analyses: number;
  heapUsedBytes: number;
  rssBytes: number;
  garbageCollected: boolean;
}

/** A request's answer; a failure or no answer within 30 s fails the test (rather than hanging it). */
function answered(request: Promise<unknown>, what: string): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer to ${what} within 30 s`)), 30_000)));
  return Promise.race([request, timeout])
    .catch((error: Error) => assert.fail(`${what}: ${error.message}`))
    .finally(() => clearTimeout(timer));
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

function key(d: { rule: string; range: unknown; message: string }): string {
  return `${d.rule} ${JSON.stringify(d.range)} ${d.message}`;
}

test(`the server through ${OPERATIONS} random edits, opens, closes and requests`, { timeout: 15 * 60_000 }, async (t) => {
  const random = seededRandom(SEED);
  const workspace = mkdtempSync(join(tmpdir(), 'kasmlint-soak-'));
  const kasm = copyKasmFixture(join(workspace, 'kasm'));
  mkdirSync(join(workspace, 'cloudflared'));
  cpSync(join(__dirname, '../../../examples/cloudflared/config.yml'), join(workspace, 'cloudflared/config.yml'));
  const outside = mkdtempSync(join(tmpdir(), 'kasmlint-soak-scratch-'));
  const projectFiles = [...filesUnder(kasm), join(workspace, 'cloudflared/config.yml')];

  const client = new LspClient(['--stdio'], undefined, ['--expose-gc']);
  t.after(() => {
    if (client.exitCode === null) client.process.kill(); // a failed assertion must not leave the server running
  });
  await client.initialize(workspace, { hover: {}, completion: {}, codeAction: {}, documentSymbol: {}, definition: {} }, 20);
  const docs = new Map<string, { text: string; version: number }>();
  const closedScratch = new Set<string>();
  let scratchCount = 0;
  let versionCounter = 0;
  const pending: Array<Promise<unknown>> = [];
  const counts = { edit: 0, replace: 0, open: 0, close: 0, request: 0 };
  const memory: Array<{ at: number; status: Status }> = [];
  const started = performance.now();

  const languageOf = (path: string) => (path.endsWith('.yml') ? 'yaml' : 'nginx');
  const randomDoc = () => [...docs.keys()][random(docs.size)]!;
  const randomPosition = (text: string) => new LineIndex(text).positionAt(random(text.length + 1));

  const open = async () => {
    let path: string;
    let text: string;
    const closed = projectFiles.filter((p) => !docs.has(p));
    if (random(3) === 0 || closed.length === 0) {
      // a file nobody has seen before, outside the workspace: its analysis must go when it closes
      path = join(outside, `scratch-${scratchCount++}.conf`);
      text = random(2) === 0 ? 'server {\n    listen 80;\n    location / {\n        proxy_pass http://127.0.0.1:8080;\n    }\n}\n' : PIECES.join('\n');
    } else {
      path = closed[random(closed.length)]!;
      text = readFileSync(path, 'utf8');
    }
    const version = ++versionCounter;
    docs.set(path, { text, version });
    closedScratch.delete(path);
    counts.open++;
    await client.open(path, text, version, languageOf(path));
  };

  const edit = async () => {
    const path = randomDoc();
    const doc = docs.get(path)!;
    const lines = new LineIndex(doc.text);
    const start = random(doc.text.length + 1);
    const end = random(3) === 0 ? Math.min(doc.text.length, start + 1 + random(30)) : start;
    const inserted = end > start && random(2) === 0 ? '' : PIECES[random(PIECES.length)]!;
    const range = lines.range(start, end);
    doc.text = doc.text.slice(0, start) + inserted + doc.text.slice(end);
    doc.version = ++versionCounter;
    counts.edit++;
    await client.edit(path, doc.version, range, inserted);
  };

  const replace = async () => {
    const path = randomDoc();
    const doc = docs.get(path)!;
    const junk = Array.from({ length: 200 + random(2000) }, () => String.fromCharCode(random(3) === 0 ? random(0x3000) : 32 + random(95))).join('');
    doc.text = random(2) === 0 ? junk : statSync(path, { throwIfNoEntry: false }) ? readFileSync(path, 'utf8') : '';
    doc.version = ++versionCounter;
    counts.replace++;
    await client.change(path, doc.version, doc.text);
  };

  const close = async () => {
    const path = randomDoc();
    docs.delete(path);
    if (path.startsWith(outside)) closedScratch.add(path);
    counts.close++;
    await client.close(path);
  };

  const request = () => {
    const path = randomDoc();
    const doc = docs.get(path)!;
    const textDocument = { uri: uri(path) };
    const position = randomPosition(doc.text);
    const diagnostics = client.diagnostics.get(uri(path))?.diagnostics ?? [];
    const calls: Array<() => Promise<unknown>> = [
      () => client.request('textDocument/hover', { textDocument, position }),
      () => client.request('textDocument/completion', { textDocument, position }),
      () => client.request('textDocument/documentSymbol', { textDocument }),
      () => client.request('textDocument/definition', { textDocument, position }),
      () => client.request('textDocument/foldingRange', { textDocument }),
      () => client.request('textDocument/codeAction', { textDocument, range: { start: position, end: position }, context: { diagnostics: diagnostics.slice(0, 3) } }),
    ];
    counts.request++;
    const which = random(calls.length);
    pending.push(answered(calls[which]!(), `request ${which} on ${path} version ${doc.version}`));
  };

  const checkpoint = async (at: number) => {
    assert.equal(client.exitCode, null, `the server exited: ${client.stderr.join('')}`);
    await Promise.all(pending.splice(0));
    // The diagnostics of every open document catch up with its latest version...
    await client.waitFor(
      () => [...docs].every(([path, doc]) => client.diagnostics.get(uri(path))?.version === doc.version),
      60_000,
      `diagnostics for the latest versions (operation ${at})`,
    );
    // ...lie inside its text, and are what the engine finds in the same texts.
    const overlay = new Map<string, OpenDocument>([...docs].map(([p, d]) => [p, { text: d.text, version: d.version }]));
    const engine = lintPaths([workspace], { host: new OverlayHost(new NodeFileHost(), overlay) });
    for (const [path, doc] of docs) {
      const published = client.diagnostics.get(uri(path))!.diagnostics as Diagnostic[];
      const lines = new LineIndex(doc.text);
      for (const d of published) {
        for (const p of [d.range.start, d.range.end]) {
          assert.ok(p.line < lines.lineCount && p.character <= lines.lineText(p.line).length, `${path}: ${d.code} at ${JSON.stringify(p)} is outside version ${doc.version}`);
        }
      }
      if (path.startsWith(outside)) continue; // scratch files are analysed alone, the engine run covers the workspace
      const expected = engine.findings.filter((f) => f.file === path).map(key).sort();
      const actual = published.map((d) => key({ rule: String(d.code), range: d.range, message: d.message })).sort();
      assert.deepEqual(actual, expected, `${path} (operation ${at}): the published diagnostics differ from the engine's`);
    }
    for (const path of closedScratch) assert.deepEqual(client.diagnostics.get(uri(path))?.diagnostics ?? [], [], `${path} was closed: its diagnostics must be cleared`);
    const status = await client.request<Status>('kasmlint/status', {});
    assert.ok(status.garbageCollected);
    assert.equal(status.documents, docs.size);
    // analyses: the Kasm tree, the tunnel config, and one per open scratch file (closed ones are dropped)
    const openScratch = [...docs.keys()].filter((p) => p.startsWith(outside)).length;
    assert.ok(status.analyses <= 2 + openScratch, `${status.analyses} analyses kept for ${openScratch} open scratch files`);
    memory.push({ at, status });
  };

  for (let i = 1; i <= OPERATIONS; i++) {
    const roll = random(100);
    if (docs.size === 0 || roll < 12) await open();
    else if (roll < 24) await close();
    else if (roll < 28) await replace();
    else if (roll < 80) await edit();
    else request();
    if (i % CHECKPOINT_EVERY === 0) await checkpoint(i);
  }
  const seconds = (performance.now() - started) / 1000;
  const warm = memory.find((m) => m.at >= WARM_UP)!.status;
  const last = memory[memory.length - 1]!.status;
  t.diagnostic(
    `${OPERATIONS} operations in ${seconds.toFixed(1)} s (${counts.edit} edits, ${counts.replace} replacements, ${counts.open} opens, ${counts.close} closes, ` +
      `${counts.request} requests, ${scratchCount} scratch files); heap after GC ${mib(warm.heapUsedBytes)} after ${WARM_UP} operations, ` +
      `${mib(last.heapUsedBytes)} at the end (RSS ${mib(warm.rssBytes)} -> ${mib(last.rssBytes)}); per checkpoint: ${memory.map((m) => mib(m.status.heapUsedBytes)).join(', ')}`,
  );
  assert.ok(last.heapUsedBytes < warm.heapUsedBytes * 1.25 + 8 * 1024 * 1024, `memory grew: ${mib(warm.heapUsedBytes)} -> ${mib(last.heapUsedBytes)}`);
  assert.equal(client.logs.filter((l) => /internal error/.test(l)).join('\n'), '');
  assert.equal(client.stderr.join(''), '');
  await client.shutdown();
  assert.equal(client.exitCode, 0);
});
