// `--fix` under faults: whatever happens between reading and writing, a file holds either what it held
// or the complete fixed text; never a mix, never a truncated file, never a file changed behind us.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { fixPaths } from '../../server/src/engine/fix';
import { NodeFileHost, type ReadResult } from '../../server/src/workspace/host';
import { copyKasmFixture } from '../support/kasm';
import { writeTree } from '../support/nginx';

const ROOT = resolve(__dirname, '../../..');
const CLI = join(ROOT, 'dist/kasmlint.js');

/** A location without its WebSocket headers and a server_tokens directive missing: safe fixes exist. */
const FIXABLE = 'location /desktop/ {\n    proxy_pass https://127.0.0.1:8443;\n    add_header X-Content-Type-Options nosniff;\n}\n';

function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.set(path.slice(dir.length + 1), readFileSync(path, 'latin1'));
    }
  };
  walk(dir);
  return files;
}

function fixCli(dir: string, extra: string[] = []) {
  return spawnSync(process.execPath, [CLI, '--fix', '--unsafe-fixes', ...extra, dir], { encoding: 'utf8' });
}

test('a file changed on disk between the read and the write is not overwritten', () => {
  const dir = writeTree({ 'services.d/website.conf': FIXABLE });
  const file = join(dir, 'services.d/website.conf');
  const theirs = `${FIXABLE}# saved by someone else meanwhile\n`;
  // The engine reads the file as it was; by the time the fix is written, someone has saved a new version.
  writeFileSync(file, theirs);
  const host = new (class extends NodeFileHost {
    override read(path: string): ReadResult {
      return path === file ? { ok: true, text: FIXABLE, latin1: false } : super.read(path);
    }
  })();
  const outcome = fixPaths([dir], { host, unsafe: true });
  assert.equal(readFileSync(file, 'utf8'), theirs);
  assert.ok(outcome.errors.some((e) => e.includes('changed on disk since it was read; not written')), outcome.errors.join('\n'));
  assert.equal(outcome.fixedFiles.size, 0);
});

test('a temporary file left by a killed run is removed by the next write; one of a run still going is kept', () => {
  const dir = writeTree({ 'services.d/website.conf': FIXABLE });
  const ended = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const abandoned = `.website.conf.kasmlint-${ended.stdout}-abc123.tmp`;
  const ofRunning = `.website.conf.kasmlint-${process.pid}-def456.tmp`;
  for (const name of [abandoned, ofRunning]) writeFileSync(join(dir, 'services.d', name), 'half');
  fixCli(dir);
  const left = readdirSync(join(dir, 'services.d')).sort();
  assert.deepEqual(left, [ofRunning, 'website.conf']);
  assert.notEqual(readFileSync(join(dir, 'services.d/website.conf'), 'utf8'), FIXABLE);
});

test('a read-only file is left alone with a clear message, even for root; the other files are fixed', () => {
  const dir = writeTree({ 'services.d/a.conf': FIXABLE, 'services.d/b.conf': FIXABLE.replace('/desktop/', '/b/') });
  const readOnly = join(dir, 'services.d/a.conf');
  chmodSync(readOnly, 0o444);
  const run = fixCli(dir);
  assert.equal(readFileSync(readOnly, 'utf8'), FIXABLE);
  assert.equal(statSync(readOnly).mode & 0o777, 0o444);
  assert.match(run.stderr, /a\.conf: the file is read-only; not written/);
  assert.notEqual(readFileSync(join(dir, 'services.d/b.conf'), 'utf8'), FIXABLE.replace('/desktop/', '/b/'), 'b.conf is fixed');
  assert.equal(run.status, 2);
});

test('a write that fails for lack of space (a file size limit) leaves every original intact', () => {
  // RLIMIT_FSIZE makes write() fail with EFBIG past 1 KB, as a full disk fails it with ENOSPC, without privileges.
  const dir = writeTree({ 'services.d/website.conf': `${'# padding to pass the 1 KB limit\n'.repeat(40)}${FIXABLE}` });
  const before = snapshot(dir);
  const run = spawnSync('bash', ['-c', `ulimit -f 1 && exec "${process.execPath}" "${CLI}" --fix --unsafe-fixes "${dir}"`], { encoding: 'utf8' });
  assert.deepEqual(snapshot(dir), before, 'no file changed, no temporary file left');
  assert.match(run.stderr, /website\.conf: cannot write: .*; the file is unchanged/);
  assert.equal(run.status, 2);
});

test('killing --fix at any moment never leaves a truncated or half-fixed file', { timeout: 300_000 }, async (t) => {
  // The real Kasm tree, copied four times so that a run lasts long enough to be killed in the middle.
  const source = writeTree({});
  for (const copy of ['a', 'b', 'c', 'd']) copyKasmFixture(join(source, copy));
  const reference = writeTree({});
  cpSync(source, reference, { recursive: true });
  const started = Date.now();
  assert.equal(fixCli(reference).status === 2, false);
  const duration = Date.now() - started;
  const fixed = snapshot(reference);
  assert.notDeepEqual(fixed, snapshot(source), 'the fix changes the tree');

  let interrupted = 0;
  let leftTemporaries = 0;
  for (let trial = 0; trial < 12; trial++) {
    const dir = writeTree({});
    cpSync(source, dir, { recursive: true });
    const delay = Math.round(((trial + 0.5) / 12) * duration);
    const child = spawn(process.execPath, [CLI, '--fix', '--unsafe-fixes', dir], { stdio: 'ignore' });
    const exited = once(child, 'exit');
    await new Promise((r) => setTimeout(r, delay));
    child.kill('SIGKILL');
    const [, signal] = await exited;
    if (signal === 'SIGKILL') interrupted++;
    // Whatever the moment, every file is whole: finishing the job gives exactly the uninterrupted result.
    // A killed run may leave a temporary file (.<file>.kasmlint-<pid>-<random>.tmp, which no *.conf
    // include matches) beside a file it did not replace: the run that finishes the job removes it.
    if ([...snapshot(dir).keys()].some((path) => /\.kasmlint-\d+-\w+\.tmp$/.test(path))) leftTemporaries++;
    fixCli(dir);
    assert.deepEqual(snapshot(dir), fixed, `killed after ${delay} ms of ${duration} ms`);
  }
  assert.ok(interrupted >= 6, `only ${interrupted} runs were still going when killed`);
  t.diagnostic(`${interrupted} of 12 runs killed while running; ${leftTemporaries} left a temporary file, removed by the next run`);
});
