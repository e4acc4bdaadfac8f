// Where a request's time goes during edits: node out/tools/request-latency.js FILE LINE CHARACTER [EDITS] [METHOD].
// Opens FILE in the server (dist/server.js, debounce 0), then for each edit (a space appended to the
// last line) sends a hover (or METHOD: completion) at LINE:CHARACTER at once (BURST=1: a completion and a
// code action with it; REPLACE='from|to{i}' edits inside the text instead; INCREMENTAL=1 sends each
// edit as the span that changed, as editors do) and prints the median and p99 of: the hover alone
// (no edit), the hover right after an edit, and the edit's diagnostics. SERVER_NODE_ARGS passes options
// to the server's node (SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR" profiles it).

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { LspClient, uri } from '../support/lsp-client';

async function main(): Promise<void> {
  const [file, line, character, count, kind = 'hover'] = process.argv.slice(2);
  if (!file || line === undefined || character === undefined || !['hover', 'completion'].includes(kind)) {
    console.error('usage: request-latency.js FILE LINE CHARACTER [EDITS] [hover|completion]');
    process.exit(2);
  }
  const edits = Number(count ?? 50);
  const client = new LspClient(['--stdio'], join(__dirname, '../../dist/server.js'), process.env.SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []);
  // as VS Code declares them (documentation of completion entries resolved when shown)
  await client.initialize(dirname(file), {
    hover: {},
    completion: {
      completionItem: { resolveSupport: { properties: ['documentation', 'detail', 'additionalTextEdits'] } },
      completionList: { itemDefaults: ['commitCharacters', 'editRange', 'insertTextFormat', 'insertTextMode', 'data'] },
    },
  }, 0);
  const method = `textDocument/${kind}`;
  const text = readFileSync(file, 'utf8');
  const textDocument = { uri: uri(file) };
  const position = { line: Number(line), character: Number(character) };
  await client.open(file, text, 1);
  await client.waitForDiagnostics(textDocument.uri, (d) => d.version === 1);
  let current = text;
  const alone: number[] = [];
  const afterEdit: number[] = [];
  const diagnostics: number[] = [];
  for (let i = 0; i < edits; i++) {
    let start = performance.now();
    await client.request(method, { textDocument, position });
    alone.push(performance.now() - start);
    const version = i + 2;
    start = performance.now();
    // REPLACE='from|to' edits in place instead: `from` replaced by `to`, where {i} is the edit's number
    const [from, to] = process.env.REPLACE?.split('|') ?? [];
    const next = from !== undefined && to !== undefined ? text.replace(from, to.replace('{i}', String(i))) : `${text}${' '.repeat(i + 1)}`;
    // INCREMENTAL=1: the change sent as the span that differs from the text before, as editors send keystrokes
    void (process.env.INCREMENTAL ? client.edit(file, version, ...changedSpan(current, next)) : client.change(file, version, next));
    current = next;
    // BURST=1: a completion and a code action (as the light bulb asks) are sent with it, as the bench does
    const others = process.env.BURST
      ? [client.request('textDocument/completion', { textDocument, position }), client.request('textDocument/codeAction', { textDocument, range: { start: position, end: position }, context: { diagnostics: [], triggerKind: 2 } })]
      : [];
    await client.request(method, { textDocument, position });
    afterEdit.push(performance.now() - start);
    await Promise.all(others);
    await client.waitForDiagnostics(textDocument.uri, (d) => d.version === version);
    diagnostics.push(performance.now() - start);
  }
  await client.shutdown();
  const stat = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return `median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} ms, p99 ${sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)]!.toFixed(1)} ms`;
  };
  console.log(`${kind} alone: ${stat(alone)}`);
  console.log(`${kind} right after an edit: ${stat(afterEdit)}`);
  console.log(`the edit's diagnostics: ${stat(diagnostics)}`);
  const from = Math.min(50, Math.floor(diagnostics.length / 2));
  console.log(`from edit ${from} on (JIT warmed up): ${kind} after an edit ${stat(afterEdit.slice(from))}; diagnostics ${stat(diagnostics.slice(from))}`);
  const slowest = diagnostics.map((ms, edit) => ({ ms, edit })).sort((a, b) => b.ms - a.ms).slice(0, 8);
  console.log(`slowest edits (number: ms): ${slowest.map((s) => `${s.edit}: ${s.ms.toFixed(1)}`).join(', ')}`);
}

/** The range of `before` that differs from `after`, and its text in `after` (common start and end left out). */
function changedSpan(before: string, after: string): [{ start: Position; end: Position }, string] {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let end = 0;
  while (end < before.length - start && end < after.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
  return [{ start: positionAt(before, start), end: positionAt(before, before.length - end) }, after.slice(start, after.length - end)];
}

function positionAt(text: string, offset: number): Position {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let line = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return { line, character: offset - lineStart };
}

interface Position {
  line: number;
  character: number;
}

void main();
