// npm run bench: kasmlint's speed next to a reference measured in the same run on the same files.
// 1. parse + analyse (and format) a generated Kasm-like configuration of 100,000+ lines, against the real `nginx -t`;
// 2. the lint of each shape of configuration in shapes.ts (BENCH_SHAPES=a,b picks some), against nginx -t;
// 3. the hardening workflow on the Kasm tree; 4. the language server through the protocol.
// 5. each shape of scaling.ts at n and 4n (BENCH_SCALING_N, default 1,000; 8,000 finds smaller cliffs),
//    the lint and each rule on its own, to find cliffs (BENCH_SCALING_SHAPES=a,b picks some).
// BENCH_SECTIONS=tree,shapes,scaling,workflow,lsp picks sections (default: all).

import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { lintPaths } from '../../server/src/engine/lint';
import { formatNginx } from '../../server/src/format/format';
import { parseNginx } from '../../server/src/nginx/parser';
import { NodeFileHost } from '../../server/src/workspace/host';
import { LspClient, uri } from '../support/lsp-client';
import { checklistOf, fixStepInMemory } from '../../server/src/kasm/checklist';
import { validate } from '../../server/src/validate/validate';
import { prepareKasmTreeForNginx } from '../support/kasm';
import { kasmLike, SHAPES } from './shapes';
import { SCALING_SHAPES, writeScalingShape } from './scaling';
import { fasterGrowing, ruleTimes } from './rule-times';
import { SERVER_NODE_ARGS } from '../../client/src/server-launch';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);

// Every folder the bench writes (the shapes, copies of the Kasm tree, the CLI's code caches, the
// servers' scratch) goes into one folder of this run (os.tmpdir() reads TMPDIR at each call), removed at exit.
const scratch = mkdtempSync(join(tmpdir(), 'kasmlint-bench-'));
process.env.TMPDIR = scratch;
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
process.on('SIGINT', () => process.exit(130));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** `runs` timings of `run`, fewer when they add up to more than `budgetMs` (at least one). */
function time(run: () => void, runs = RUNS, budgetMs = Number.POSITIVE_INFINITY): number[] {
  const samples: number[] = [];
  let spent = 0;
  for (let i = 0; i < runs && spent <= budgetMs; i++) {
    const start = performance.now();
    run();
    samples.push(performance.now() - start);
    spent += samples[samples.length - 1]!;
  }
  return samples;
}

function nginxT(dir: string): number | undefined {
  const probe = spawnSync('/usr/sbin/nginx', ['-v']);
  if (probe.error) return undefined;
  const samples = time(() => {
    const r = spawnSync('/usr/sbin/nginx', ['-t', '-q', '-p', dir, '-c', join(dir, 'nginx.conf'), '-e', 'stderr'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`nginx -t failed on the benchmark configuration: ${r.stderr}`);
  });
  return median(samples);
}

/** nginx -t on a copy of a Kasm tree laid out as the real nginx reads it outside the container. */
function kasmNginxT(kasm: string): number {
  const prepared = prepareKasmTreeForNginx(kasm);
  return median(time(() => spawnSync('/usr/sbin/nginx', ['-t', '-p', prepared.dir, '-c', prepared.mainConf, '-e', 'stderr'])));
}

const row = (label: string, ms: number | undefined, note = '') =>
  console.log(`${label.padEnd(46)} ${ms === undefined ? 'n/a'.padStart(11) : `${ms.toFixed(1)} ms`.padStart(11)}  ${note}`);

/** The 100,000-line Kasm-like tree: parse, format and lint, against nginx -t. */
function kasmTreeSection(): void {
  const shape = kasmLike();
  const host = new NodeFileHost();
  const texts = new Map<string, string>();
  const run0 = lintPaths([shape.lint], { host });
  for (const analysis of run0.analyses) for (const f of analysis.model.files.values()) texts.set(f.path, f.text);
  const expanded = run0.analyses.reduce((n, a) => n + a.model.directives().length, 0);
  if (run0.findings.some((f) => f.severity === 'error')) throw new Error(`the benchmark configuration has errors: ${run0.findings[0]!.message}`);

  const parse = median(time(() => {
    for (const [path, text] of texts) parseNginx(path, text);
  }));
  const analyse = median(time(() => lintPaths([shape.lint], { host })));
  // formatting each file, its check that the result reads alike (a second parse) included
  const format = median(time(() => {
    for (const [path, text] of texts) if (!formatNginx(path, text).ok) throw new Error(`${path} was not formatted`);
  }));
  const nginx = nginxT(shape.nginx);

  console.log(`\nkasmlint benchmark (median of ${RUNS} runs)`);
  console.log(
    `configuration: ${shape.files} files, ${shape.diskLines} lines on disk, ${shape.readLines} lines as nginx reads them ` +
      `(${shape.label}), ${expanded} directives after includes\n`,
  );
  row('kasmlint: parse every file', parse, `${((shape.diskLines / parse) * 1000 / 1e6).toFixed(2)} M lines/s`);
  row('kasmlint: format every file (and check it reads alike)', format, `${((shape.diskLines / format) * 1000 / 1e6).toFixed(2)} M lines/s`);
  row('kasmlint: read, parse, expand, all rules (lint)', analyse, `${((shape.readLines / analyse) * 1000 / 1e6).toFixed(2)} M lines read/s`);
  row('reference: nginx -t on the same files', nginx, nginx === undefined ? '(nginx not installed: run npm test once)' : `kasmlint takes ${(analyse / nginx).toFixed(2)}x the time of nginx -t`);
}

/** Every shape of configuration: the lint next to nginx -t, each measured in the same run. */
function shapesSection(): void {
  const only = process.env.BENCH_SHAPES?.split(',');
  const host = new NodeFileHost();
  console.log(`\nshapes of configuration: lint (read, parse, expand, all rules) next to nginx -t on the same files (median of up to ${RUNS} runs)`);
  console.log('(kasmlint: the lint in this process, warm; CLI: a `kasmlint` process, as CI runs it, started cold each time, with the');
  console.log(' code cache its first run wrote; first run: the CLI with no code cache yet, which it then writes)');
  console.log(`${'shape'.padEnd(58)} ${'lines'.padStart(7)} ${'kasmlint'.padStart(11)} ${'nginx -t'.padStart(11)}  ratio ${'CLI'.padStart(11)}  ratio  ${'first run'.padStart(9)}`);
  console.log(`(floor of the CLI column: ${cliFloor()})`);
  for (const [name, make] of Object.entries(SHAPES)) {
    if (only && !only.includes(name)) continue;
    const shape = make();
    const first = lintPaths([shape.lint], { host });
    const errors = first.findings.filter((f) => f.severity === 'error');
    if (!shape.expectErrors && errors.length > 0) throw new Error(`the ${name} configuration has errors: ${errors[0]!.message}`);
    if (shape.expectErrors && errors.length === 0) throw new Error(`the ${name} configuration should have errors`);
    // a slow shape gets fewer runs: at most about a minute each
    const lint = median(time(() => lintPaths([shape.lint], { host }), RUNS, 60_000));
    const nginx = nginxT(shape.nginx);
    const env = { ...process.env, KASMLINT_CACHE_DIR: mkdtempSync(join(tmpdir(), 'kasmlint-bench-cache-')) };
    const runCli = () => spawnSync(process.execPath, [join(__dirname, 'kasmlint.js'), '--format', 'json', '--exit-zero', shape.lint], { env });
    const firstRun = time(runCli, 1)[0]!;
    const cli = median(time(runCli, Math.min(RUNS, 5), 60_000));
    rmSync(env.KASMLINT_CACHE_DIR, { recursive: true, force: true });
    const label = `${shape.label}${shape.referenceNote ? ` (reference: ${shape.referenceNote})` : ''}`;
    const ratio = (ms: number) => (nginx === undefined ? '' : `${(ms / nginx).toFixed(2)}x`);
    console.log(
      `${label.padEnd(58)} ${String(shape.diskLines).padStart(7)} ${`${lint.toFixed(1)} ms`.padStart(11)} ${nginx === undefined ? 'n/a'.padStart(11) : `${nginx.toFixed(1)} ms`.padStart(11)}  ${ratio(lint).padStart(5)} ${`${cli.toFixed(0)} ms`.padStart(11)}  ${ratio(cli).padStart(5)}  ${`${firstRun.toFixed(0)} ms`.padStart(9)}`,
    );
  }
}

/** What a `kasmlint` process costs before it reads anything: the CLI on a one-line configuration, and node itself. */
function cliFloor(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kasmlint-bench-floor-'));
  writeFileSync(join(dir, 'nginx.conf'), 'events {}\n');
  const env = { ...process.env, KASMLINT_CACHE_DIR: join(dir, 'cache') };
  const runCli = () => spawnSync(process.execPath, [join(__dirname, 'kasmlint.js'), '--format', 'json', '--exit-zero', join(dir, 'nginx.conf')], { env });
  runCli(); // writes the code cache
  const cli = median(time(runCli));
  const node = median(time(() => spawnSync(process.execPath, ['-e', '0'])));
  rmSync(dir, { recursive: true, force: true });
  return `kasmlint on a one-line configuration takes ${cli.toFixed(0)} ms, of which starting node (node -e 0) ${node.toFixed(0)} ms`;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

/**
 * How a document changes: the whole new text in each didChange, or the changed span as an incremental
 * change, which is what VS Code, Neovim and other editors send to a server that asks for them (ours does).
 */
type Sync = 'full' | 'incremental';
const SYNC_LABEL: Record<Sync, string> = { full: 'whole text', incremental: 'incremental' };

/**
 * The didChange that makes `next` of `previous`, to send later: the whole new text, or the one span that
 * differs (found here, before the clock starts).
 */
function changeTo(client: LspClient, file: string, version: number, previous: string, next: string, sync: Sync): () => Promise<void> {
  if (sync === 'full') return () => client.change(file, version, next);
  let start = 0;
  while (start < previous.length && previous[start] === next[start]) start++;
  let suffix = 0;
  while (suffix < previous.length - start && suffix < next.length - start && previous[previous.length - 1 - suffix] === next[next.length - 1 - suffix]) suffix++;
  const position = (offset: number) => {
    const lineStart = previous.lastIndexOf('\n', offset - 1) + 1;
    let line = 0;
    for (let i = previous.indexOf('\n'); i >= 0 && i < lineStart; i = previous.indexOf('\n', i + 1)) line++;
    return { line, character: offset - lineStart };
  };
  const range = { start: position(start), end: position(previous.length - suffix) };
  const text = next.slice(start, next.length - suffix);
  return () => client.edit(file, version, range, text);
}

/** didChange → publishDiagnostics for `file`, through the real protocol, over `edits` edits. */
async function lspLatency(folder: string, file: string, edit: (text: string, i: number) => string, edits: number, debounce: number, sync: Sync) {
  const client = new LspClient(['--stdio'], join(__dirname, 'server.js'));
  await client.initialize(folder, {}, debounce);
  const text = readFileSync(file, 'utf8');
  const target = uri(file);
  const opening = performance.now();
  await client.open(file, text, 1);
  await client.waitForDiagnostics(target, (d) => d.version === 1);
  const firstDiagnostics = performance.now() - opening;
  const memoryBefore = rssMiB(client.process.pid!);
  const samples: number[] = [];
  let previous = text;
  for (let i = 0; i < edits; i++) {
    const version = i + 2;
    const next = edit(text, i);
    const send = changeTo(client, file, version, previous, next, sync);
    const start = performance.now();
    await send();
    await client.waitForDiagnostics(target, (d) => d.version === version);
    samples.push(performance.now() - start);
    previous = next;
  }
  const memoryAfter = rssMiB(client.process.pid!);
  await client.shutdown();
  return { firstDiagnostics, median: median(samples), p99: percentile(samples, 99), memoryBefore, memoryAfter };
}

interface Position {
  line: number;
  character: number;
}

/** What VS Code's client declares of completion that changes the answers: documentation resolved when shown, item defaults. */
const VSCODE_COMPLETION = {
  completionItem: { resolveSupport: { properties: ['documentation', 'detail', 'additionalTextEdits'] } },
  completionList: { itemDefaults: ['commitCharacters', 'editRange', 'insertTextFormat', 'insertTextMode', 'data'] },
};

/**
 * Hover, completion and code actions fired while edits arrive faster than the server analyses (one
 * edit, then the three requests, without waiting for diagnostics): each request's answer time.
 */
async function requestsDuringEdits(folder: string, file: string, edit: (text: string, i: number) => string, edits: number, at: { hover: Position; completion: Position; action: Position }, sync: Sync) {
  const client = new LspClient(['--stdio'], join(__dirname, 'server.js'));
  // as VS Code declares them (documentation of completion entries resolved when shown)
  await client.initialize(folder, { hover: {}, completion: VSCODE_COMPLETION, codeAction: {} }, 0);
  const text = readFileSync(file, 'utf8');
  const textDocument = { uri: uri(file) };
  await client.open(file, text, 1);
  await client.waitForDiagnostics(textDocument.uri, (d) => d.version === 1);
  const times: Record<'hover' | 'completion' | 'codeAction', number[]> = { hover: [], completion: [], codeAction: [] };
  const timed = async (kind: keyof typeof times, method: string, params: unknown) => {
    const start = performance.now();
    await client.request(method, params);
    times[kind].push(performance.now() - start);
  };
  let previous = text;
  for (let i = 0; i < edits; i++) {
    const next = edit(text, i);
    void changeTo(client, file, i + 2, previous, next, sync)();
    previous = next;
    await Promise.all([
      timed('hover', 'textDocument/hover', { textDocument, position: at.hover }),
      timed('completion', 'textDocument/completion', { textDocument, position: at.completion }),
      // as VS Code's light bulb asks while the cursor moves (triggerKind 2: automatic)
      timed('codeAction', 'textDocument/codeAction', { textDocument, range: { start: at.action, end: at.action }, context: { diagnostics: [], triggerKind: 2 } }),
    ]);
  }
  await client.waitForDiagnostics(textDocument.uri, (d) => d.version === edits + 1);
  await client.shutdown();
  return Object.fromEntries(Object.entries(times).map(([kind, samples]) => [kind, { median: median(samples), p99: percentile(samples, 99) }]));
}

/** Edits that type `proxy_buffering` a character at a time on a new line after the first location's opening. */
function typingEdit(text: string): (text: string, i: number) => string {
  const word = 'proxy_buffering';
  const lineStart = text.indexOf('\n', text.indexOf('location ')) + 1;
  return (base, i) => `${base.slice(0, lineStart)}        ${word.slice(0, (i % word.length) + 1)}\n${base.slice(lineStart)}`;
}

/**
 * Edits that type `proxy_buffering off;` a character at a time on a new line before the first
 * location's `}` (the line break first): until its `;`, a statement left open at the block's end.
 */
function typingAtEndEdit(text: string): (text: string, i: number) => string {
  const word = 'proxy_buffering off;';
  const location = text.indexOf('location ');
  const close = location + text.slice(location).search(/\n[ \t]*\}/); // the line break before the location's `}`
  // each round: the line break and its indentation, then the word a character at a time
  return (base, i) => `${base.slice(0, close)}\n        ${word.slice(0, i % (word.length + 1))}${base.slice(close)}`;
}

/**
 * Completion where the user types: a directive's name typed a character at a time on a new line after
 * the first location's opening (each keystroke an incremental change, then a completion at the cursor,
 * without waiting for diagnostics); the answer times.
 */
async function completionWhileTyping(folder: string, file: string, edits: number) {
  const client = new LspClient(['--stdio'], join(__dirname, 'server.js'));
  await client.initialize(folder, { completion: VSCODE_COMPLETION }, 0);
  const text = readFileSync(file, 'utf8');
  const textDocument = { uri: uri(file) };
  await client.open(file, text, 1);
  await client.waitForDiagnostics(textDocument.uri, (d) => d.version === 1);
  const word = 'proxy_buffering';
  const type = typingEdit(text);
  const line = text.slice(0, text.indexOf('\n', text.indexOf('location ')) + 1).split('\n').length - 1;
  const samples: number[] = [];
  let previous = text;
  for (let i = 0; i < edits; i++) {
    const typed = word.slice(0, (i % word.length) + 1);
    const next = type(text, i);
    const send = changeTo(client, file, i + 2, previous, next, 'incremental');
    previous = next;
    const start = performance.now();
    void send();
    await client.request('textDocument/completion', { textDocument, position: { line, character: 8 + typed.length } });
    samples.push(performance.now() - start);
  }
  await client.waitForDiagnostics(textDocument.uri, (d) => d.version === edits + 1);
  await client.shutdown();
  return { median: median(samples), p99: percentile(samples, 99) };
}

/**
 * The floor under every figure of this section: requests the server answers without analysing, on a
 * server that has nothing else to do. `kasmlint/status` goes from the main thread to the diagnostics
 * thread and back, as an edit's diagnostics do; a method the server does not have is answered by the
 * main thread alone.
 */
async function requestFloor(folder: string, file: string, requests: number) {
  const client = new LspClient(['--stdio'], join(__dirname, 'server.js'));
  await client.initialize(folder, {}, 0);
  const target = uri(file);
  await client.open(file, readFileSync(file, 'utf8'), 1);
  await client.waitForDiagnostics(target, (d) => d.version === 1);
  const bothThreads: number[] = [];
  const mainThread: number[] = [];
  for (let i = 0; i < requests; i++) {
    let start = performance.now();
    await client.request('kasmlint/status', {});
    bothThreads.push(performance.now() - start);
    start = performance.now();
    await client.request('kasmlint/no-such-method', {}).catch(() => undefined);
    mainThread.push(performance.now() - start);
  }
  await client.shutdown();
  const summary = (samples: number[]) => ({ median: median(samples), p99: percentile(samples, 99) });
  return { bothThreads: summary(bothThreads), mainThread: summary(mainThread) };
}

/** The server's memory (RSS) after the first 100 edits and after `edits`, each edit analysed and published. */
async function memoryOverEdits(folder: string, file: string, edit: (text: string, i: number) => string, edits: number) {
  const client = new LspClient(['--stdio'], join(__dirname, 'server.js'));
  await client.initialize(folder, {}, 0);
  const text = readFileSync(file, 'utf8');
  const target = uri(file);
  await client.open(file, text, 1);
  let after100 = 0;
  for (let i = 0; i < edits; i++) {
    const version = i + 2;
    await client.change(file, version, edit(text, i));
    await client.waitForDiagnostics(target, (d) => d.version === version);
    if (i + 1 === 100) after100 = rssMiB(client.process.pid!);
  }
  const last = rssMiB(client.process.pid!);
  await client.shutdown();
  return { after100, last };
}

async function lspSection(): Promise<void> {
  const EDITS = Number(process.env.BENCH_EDITS ?? 200);
  const MEMORY_EDITS = Number(process.env.BENCH_MEMORY_EDITS ?? 10_000);
  // a 10,000-line file of locations, read inside a server
  const big = mkdtempSync(join(tmpdir(), 'kasmlint-bench-lsp-'));
  const lines: string[] = ['events {}', 'http {', '    server {', '        listen 8080;'];
  for (let i = 0; lines.length < 9_990; i++) {
    lines.push(`        location /p${i}/ {`, '            proxy_set_header Host $host;', `            proxy_read_timeout ${i % 90 + 10}s;`, '            proxy_pass http://127.0.0.1:9000;', '        }');
  }
  lines.push('    }', '}', '');
  writeFileSync(join(big, 'nginx.conf'), lines.join('\n'));
  const bigFile = join(big, 'nginx.conf');
  const bigEdit = (text: string, i: number) => text.replace('proxy_read_timeout 10s;', `proxy_read_timeout ${10 + (i % 50)}s;`);
  // the same value, with a unit nginx refuses: the edited directive holds nginx's first error at each edit
  const bigRefused = (text: string, i: number) => text.replace('proxy_read_timeout 10s;', `proxy_read_timeout ${10 + (i % 50)}q;`);
  // a header of one location of 2,000 (what the location rules read)
  const bigHeader = (text: string, i: number) => text.replace('proxy_set_header Host $host;', `proxy_set_header Host $host:${8000 + (i % 50)};`);
  const bigNginx = nginxT(big);

  const kasm = mkdtempSync(join(tmpdir(), 'kasmlint-bench-kasm-'));
  cpSync(join(__dirname, '../../shared/fixtures/kasm-1.16.1'), kasm, { recursive: true });
  const website = join(kasm, 'services.d/website.conf');
  const kasmEdit = (text: string, i: number) => text.replace('expires         4h;', `expires         ${(i % 23) + 1}h;`);
  const kasmRefused = (text: string, i: number) => text.replace('expires         4h;', `expires         ${(i % 23) + 1}q;`);
  const kasmHeader = (text: string, i: number) => text.replace('"max-age=63072000"', `"max-age=${63072000 + (i % 50)}"`);
  const kasmNginx = kasmNginxT(kasm);

  const files = [
    { label: `10,000-line nginx.conf (${lines.length} lines)`, folder: big, file: bigFile, edit: bigEdit, refused: bigRefused, header: bigHeader, nginx: bigNginx, at: { hover: { line: 6, character: 14 }, completion: { line: 5, character: 15 }, action: { line: 6, character: 12 } } },
    { label: 'Kasm 1.16.1 tree (website.conf, 23 files)', folder: kasm, file: website, edit: kasmEdit, refused: kasmRefused, header: kasmHeader, nginx: kasmNginx, at: { hover: { line: 7, character: 10 }, completion: { line: 8, character: 12 }, action: { line: 7, character: 8 } } },
  ];
  console.log(`\nlanguage server, through the protocol (node ${SERVER_NODE_ARGS.join(' ')} dist/server.js, over stdio, as the editors start it): didChange → publishDiagnostics, ${EDITS} edits each`);
  for (const f of files) console.log(`reference: nginx -t on the ${f.label}: ${f.nginx === undefined ? 'n/a' : `${f.nginx.toFixed(1)} ms`}`);
  console.log(`${'file'.padEnd(46)} ${'changes'.padStart(11)} ${'debounce'.padStart(8)} ${'median'.padStart(9)} ${'p99'.padStart(9)} ${'p99/nginx -t'.padStart(13)}   server memory (RSS) before → after`);
  const opened: string[] = [];
  const runs: Array<{ debounce: number; sync: Sync }> = [{ debounce: 0, sync: 'incremental' }, { debounce: 0, sync: 'full' }, { debounce: 100, sync: 'incremental' }];
  for (const { debounce, sync } of runs) {
    for (const f of files) {
      const r = await lspLatency(f.folder, f.file, f.edit, EDITS, debounce, sync);
      if (debounce === 0 && sync === 'incremental') opened.push(`${f.label}: ${r.firstDiagnostics.toFixed(0)} ms`);
      console.log(
        `${f.label.padEnd(46)} ${SYNC_LABEL[sync].padStart(11)} ${`${debounce} ms`.padStart(8)} ${`${r.median.toFixed(1)} ms`.padStart(9)} ${`${r.p99.toFixed(1)} ms`.padStart(9)} ${(f.nginx === undefined ? 'n/a' : `${(r.p99 / f.nginx).toFixed(2)}x`).padStart(13)}   ${r.memoryBefore.toFixed(0)} MiB → ${r.memoryAfter.toFixed(0)} MiB`,
      );
    }
  }
  // the same, where each edit types a character of a directive's name on a new line (it joins the next
  // statement until its `;`), or a directive on a new line at a block's end (a statement left open
  // before the `}` until its `;`), or makes the edited value one nginx refuses (the edited directive then
  // holds nginx's first error, as while a value is typed), or edits a header's value in one location
  // (the rules checking each location check that one)
  type Case = (typeof files)[number];
  const kinds: Array<[string, (f: Case) => (text: string, i: number) => string]> = [
    ['typing', (f) => typingEdit(readFileSync(f.file, 'utf8'))],
    ['typing at end', (f) => typingAtEndEdit(readFileSync(f.file, 'utf8'))],
    ['value refused', (f) => f.refused],
    ['header value', (f) => f.header],
  ];
  for (const [kind, editOf] of kinds) {
    for (const f of files) {
      const r = await lspLatency(f.folder, f.file, editOf(f), EDITS, 0, 'incremental');
      console.log(
        `${`${f.label}, ${kind}`.padEnd(46)} ${SYNC_LABEL.incremental.padStart(11)} ${'0 ms'.padStart(8)} ${`${r.median.toFixed(1)} ms`.padStart(9)} ${`${r.p99.toFixed(1)} ms`.padStart(9)} ${(f.nginx === undefined ? 'n/a' : `${(r.p99 / f.nginx).toFixed(2)}x`).padStart(13)}   ${r.memoryBefore.toFixed(0)} MiB → ${r.memoryAfter.toFixed(0)} MiB`,
      );
    }
  }
  console.log('(incremental: the changed span, as editors send it; whole text: the document\'s text in each change. Debounce 100 ms is the editor default: the server waits that long after the last keystroke)');
  const floor = await requestFloor(kasm, website, 2 * EDITS);
  const floorCell = (r: { median: number; p99: number }) => `median ${r.median.toFixed(2)} ms, p99 ${r.p99.toFixed(1)} ms${kasmNginx === undefined ? '' : ` (${(r.p99 / kasmNginx).toFixed(2)}x nginx -t on the Kasm tree)`}`;
  console.log(`floor, requests answered without analysing (idle server, ${2 * EDITS} each): through both threads as diagnostics are (kasmlint/status) ${floorCell(floor.bothThreads)}; the main thread alone (an unknown method) ${floorCell(floor.mainThread)}`);
  console.log(`first diagnostics after opening the file in a server just started (debounce 0): ${opened.join('; ')}`);

  console.log(`\nrequests during a burst of edits (each edit followed at once by hover, completion and code action; ${EDITS} edits, debounce 0)`);
  console.log(`${'file'.padEnd(46)} ${'changes'.padStart(11)} ${'hover p50/p99'.padStart(18)} ${'completion p50/p99'.padStart(20)} ${'code action p50/p99'.padStart(21)}`);
  for (const sync of ['incremental', 'full'] as const) {
    for (const f of files) {
      const r = await requestsDuringEdits(f.folder, f.file, f.edit, EDITS, f.at, sync);
      const cell = (k: string, width: number) => `${r[k]!.median.toFixed(1)}/${r[k]!.p99.toFixed(1)} ms`.padStart(width);
      console.log(`${f.label.padEnd(46)} ${SYNC_LABEL[sync].padStart(11)} ${cell('hover', 18)} ${cell('completion', 20)} ${cell('codeAction', 21)}`);
    }
  }

  for (const f of files) {
    const r = await completionWhileTyping(f.folder, f.file, EDITS);
    console.log(`completion while typing a directive's name on a new line, ${f.label}: median ${r.median.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms`);
  }

  const memory = await memoryOverEdits(kasm, website, kasmEdit, MEMORY_EDITS);
  console.log(`\nserver memory (RSS) on the Kasm tree, every edit analysed: ${memory.after100.toFixed(0)} MiB after 100 edits, ${memory.last.toFixed(0)} MiB after ${MEMORY_EDITS.toLocaleString('en')} (${(((memory.last / memory.after100) - 1) * 100).toFixed(0)}%)`);
}

/** The hardening workflow on the Kasm 1.16.1 tree: the checklist and a step's fix next to a plain lint, validation next to nginx -t alone. */
async function workflowSection(): Promise<void> {
  const host = new NodeFileHost();
  const kasm = mkdtempSync(join(tmpdir(), 'kasmlint-bench-workflow-'));
  cpSync(join(__dirname, '../../shared/fixtures/kasm-1.16.1'), kasm, { recursive: true });
  console.log(`
hardening workflow on the Kasm 1.16.1 tree (median of ${RUNS} runs)`);
  const lint = median(time(() => lintPaths([kasm], { host })));
  row('lint (all rules)', lint);
  row('checklist (kasmlint checklist)', median(time(() => checklistOf([kasm], { host }))), 'lint + the steps');
  row('fix of the rate-limiting step, in memory', median(time(() => fixStepInMemory('rate-limiting', [kasm], { host }))), '21 locations, passes until none is left');
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await validate(kasm, { host, nginx: '/usr/sbin/nginx', useDocker: false });
    samples.push(performance.now() - start);
  }
  const bare = kasmNginxT(kasm);
  row('validate, local nginx (kasmlint validate)', median(samples), `nginx -t alone on a prepared copy: ${bare.toFixed(1)} ms (the rest: copy, stand-ins, name lookups)`);
}

/**
 * Each scaling shape linted at n and 4n next to nginx -t: a lint whose time grows much more than four
 * times has work for each pair of directives somewhere (a cliff), flagged; so is a rule whose own time
 * does (rule-times.ts), which the whole lint can hide.
 */
function scalingSection(): void {
  const n = Number(process.env.BENCH_SCALING_N ?? 1_000);
  const host = new NodeFileHost();
  console.log(`\nscaling: each shape at n = ${n.toLocaleString('en')} and 4n (the lint in this process, warm, fastest of 3; nginx -t, median of ${RUNS})`);
  console.log('(growth: the time at 4n over the time at n; about 4 is linear, a cliff shows as much more)');
  console.log(`${'shape'.padEnd(62)} ${'lint n'.padStart(9)} ${'lint 4n'.padStart(9)} ${'growth'.padStart(7)} ${'nginx -t n'.padStart(11)} ${'nginx -t 4n'.padStart(12)} ${'growth'.padStart(7)}  ratio at 4n`);
  const only = process.env.BENCH_SCALING_SHAPES?.split(',');
  for (const [name, shape] of Object.entries(SCALING_SHAPES)) {
    if (only && !only.includes(name)) continue;
    const measure = (size: number) => {
      const dir = mkdtempSync(join(tmpdir(), `kasmlint-bench-scaling-${name}-`));
      writeScalingShape(shape, size, dir);
      const main = join(dir, 'nginx.conf');
      lintPaths([main], { host });
      return { dir, main, lint: Math.min(...time(() => lintPaths([main], { host }), 3)), nginx: nginxT(dir), rules: ruleTimes(dir, main, host) };
    };
    const small = measure(n);
    const large = measure(4 * n);
    const growth = large.lint / small.lint;
    const nginxGrowth = small.nginx && large.nginx ? `${(large.nginx / small.nginx).toFixed(1)}x` : 'n/a';
    const ratio = large.nginx ? `${(large.lint / large.nginx).toFixed(2)}x` : 'n/a';
    const cliff = growth > 8 && large.lint >= 10 ? '  <- grows faster than the configuration' : '';
    const ms = (value: number | undefined) => (value === undefined ? 'n/a' : `${value.toFixed(1)} ms`);
    console.log(
      `${shape.label.padEnd(62)} ${ms(small.lint).padStart(9)} ${ms(large.lint).padStart(9)} ${`${growth.toFixed(1)}x`.padStart(7)} ${ms(small.nginx).padStart(11)} ${ms(large.nginx).padStart(12)} ${nginxGrowth.padStart(7)}  ${ratio.padStart(10)}${cliff}`,
    );
    for (const rule of fasterGrowing(small, large, host)) {
      console.log(`${`  rule ${rule.id} (alone)`.padEnd(62)} ${ms(rule.small).padStart(9)} ${ms(rule.large).padStart(9)} ${`${(rule.large / Math.max(rule.small, 0.1)).toFixed(1)}x`.padStart(7)}  <- this rule grows faster than the configuration`);
    }
  }
}

const sections = new Set(process.env.BENCH_SECTIONS?.split(',') ?? ['tree', 'shapes', 'scaling', 'workflow', 'lsp']);
if (sections.has('tree')) kasmTreeSection();
if (sections.has('shapes')) shapesSection();
if (sections.has('scaling')) scalingSection();
void (async () => {
  if (sections.has('workflow')) await workflowSection();
  if (sections.has('lsp')) await lspSection();
})();
