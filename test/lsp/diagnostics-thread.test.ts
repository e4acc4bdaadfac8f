// The main thread's side of the diagnostics thread, with stand-in threads (small worker scripts written
// to a fresh folder) that answer, die, or die on every start: a request pending when the thread dies
// gets its fallback, a thread that died is started again and gets the open documents again, one that
// dies on every start is given up after a few restarts, and published deltas become whole lists.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { DiagnosticsThread } from '../../server/src/lsp/diagnostics-thread';
import type { OpenDocument } from '../../server/src/workspace/overlay';

const INIT = { kind: 'init' as const, folders: [], support: { related: false, documentChanges: false, showDocument: false }, debounceMs: 0 };

/**
 * A stand-in thread: every document it is sent is published back with one diagnostic per line (as a
 * delta: indexes for the lines it published before), `memory` is answered, and `die` (a file path)
 * makes it exit while a request is pending if that file does not exist yet (it is created first).
 */
const STAND_IN = `
const { parentPort } = require('node:worker_threads');
const { existsSync, writeFileSync } = require('node:fs');
const sent = new Map();
parentPort.on('message', (m) => {
  if (m.kind === 'document') {
    const before = sent.get(m.path) ?? [];
    const lines = m.text.split('\\n');
    const delta = lines.map((line, i) => {
      const at = before.indexOf(line);
      return at >= 0 ? at : { range: { start: { line: i, character: 0 }, end: { line: i, character: line.length } }, message: line };
    });
    sent.set(m.path, lines);
    parentPort.postMessage({ kind: 'publish', files: [{ uri: 'file://' + m.path, version: m.version, delta }], read: [[m.path, m.version]], logs: [] });
  }
  if (m.kind === 'request') {
    const die = process.env.STAND_IN_DIE;
    if (die === 'always' || (die && !existsSync(die))) {
      if (die !== 'always') writeFileSync(die, 'died once');
      process.exit(3);
    }
    parentPort.postMessage({ kind: 'reply', id: m.id, value: { heapUsedBytes: 42 } });
  }
});
`;

function standIn(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kasmlint-thread-'));
  const script = join(dir, 'stand-in.js');
  writeFileSync(script, STAND_IN);
  return script;
}

function harness(script: string, t: { after: (f: () => Promise<void>) => void }) {
  const open = new Map<string, OpenDocument>();
  const published: PublishDiagnosticsParams[] = [];
  const logs: string[] = [];
  const thread = new DiagnosticsThread({ script, publish: (n) => published.push(n), log: (m) => logs.push(m), editorSettings: async () => undefined, openDocuments: () => open });
  t.after(() => thread.stop());
  return { open, published, logs, thread };
}

async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  assert.ok(check(), what);
}

test('deltas become whole lists, and the document versions they read tell whether the findings are current', async (t) => {
  const { open, published, thread } = harness(standIn(), t);
  thread.start(INIT);
  open.set('/w/a.conf', { text: 'one\ntwo', version: 1 });
  thread.send({ kind: 'document', path: '/w/a.conf', text: 'one\ntwo', version: 1, opened: true });
  await eventually(() => published.length === 1, 'the first publish');
  open.set('/w/a.conf', { text: 'zero\none\ntwo', version: 2 });
  assert.equal(thread.isCurrent('/w/a.conf', (p) => open.get(p)?.version), false, 'the thread read version 1');
  thread.send({ kind: 'document', path: '/w/a.conf', text: 'zero\none\ntwo', version: 2, opened: false });
  await eventually(() => published.length === 2, 'the second publish');
  assert.deepEqual(published[1]!.diagnostics.map((d) => d.message), ['zero', 'one', 'two']);
  assert.equal(published[1]!.diagnostics[1], published[0]!.diagnostics[0], 'an unchanged diagnostic is the one received before');
  assert.equal(thread.isCurrent('/w/a.conf', (p) => open.get(p)?.version), true);
  assert.deepEqual(await thread.request({ method: 'memory' }, { heapUsedBytes: 0 }), { heapUsedBytes: 42 });
});

test('a thread that dies: the pending request gets its fallback, the next thread gets the open documents', async (t) => {
  const script = standIn();
  process.env.STAND_IN_DIE = join(mkdtempSync(join(tmpdir(), 'kasmlint-thread-died-')), 'died');
  try {
    const { open, published, logs, thread } = harness(script, t);
    thread.start(INIT);
    open.set('/w/a.conf', { text: 'one', version: 7 });
    thread.send({ kind: 'document', path: '/w/a.conf', text: 'one', version: 7, opened: true });
    await eventually(() => published.length === 1, 'the first publish');
    assert.deepEqual(await thread.request({ method: 'memory' }, { heapUsedBytes: -1 }), { heapUsedBytes: -1 }, 'the fallback');
    await eventually(() => published.length === 2, 'the open document published again by the new thread');
    assert.deepEqual(published[1], { uri: 'file:///w/a.conf', version: 7, diagnostics: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } }, message: 'one' }] });
    assert.ok(logs.some((l) => /diagnostics thread ended \(exit code 3\); starting it again/.test(l)), logs.join('\n'));
    assert.deepEqual(await thread.request({ method: 'memory' }, { heapUsedBytes: -1 }), { heapUsedBytes: 42 }, 'the new thread answers');
  } finally {
    delete process.env.STAND_IN_DIE;
  }
});

test('a thread that dies on every start is given up after a few restarts; requests then get their fallback at once', async (t) => {
  const script = standIn();
  process.env.STAND_IN_DIE = 'always';
  try {
    const { logs, thread } = harness(script, t);
    thread.start(INIT);
    for (let i = 0; i < 10 && !logs.some((l) => /not started again/.test(l)); i++) {
      assert.deepEqual(await thread.request({ method: 'memory' }, { heapUsedBytes: -1 }), { heapUsedBytes: -1 });
    }
    assert.ok(logs.some((l) => /not started again after 5 restarts/.test(l)), logs.join('\n'));
    assert.deepEqual(await thread.request({ method: 'memory' }, { heapUsedBytes: -1 }), { heapUsedBytes: -1 });
  } finally {
    delete process.env.STAND_IN_DIE;
  }
});
