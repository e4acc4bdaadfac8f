// The CLI's code cache (server/src/cli/code-cache.ts): the built dist/kasmlint.js run twice with its
// cache in a fresh folder, and the loader on small bundles of its own.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadWithCodeCache } from '../../server/src/cli/code-cache';
import { KASM_FIXTURE } from '../support/kasm';

const CLI = join(__dirname, '../../../dist/kasmlint.js');

function kasmlint(args: string[], cache: NodeJS.ProcessEnv): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...cache } });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

const cacheFiles = (folder: string) => readdirSync(folder).filter((name) => name.endsWith('.cache'));

test('the first run writes the code cache, the next ones read it and answer the same', () => {
  const folder = join(mkdtempSync(join(tmpdir(), 'kasmlint-code-cache-')), 'cache');
  const plain = kasmlint(['--format', 'json', KASM_FIXTURE], { KASMLINT_CODE_CACHE: 'off' });
  const first = kasmlint(['--format', 'json', KASM_FIXTURE], { KASMLINT_CACHE_DIR: folder });
  assert.deepEqual(first, plain);
  const [file] = cacheFiles(folder);
  assert.ok(file?.startsWith(`kasmlint-cli.js-${process.version}-`), `${readdirSync(folder)}`);
  assert.equal(cacheFiles(folder).length, 1);
  assert.equal(statSync(folder).mode & 0o777, 0o700, 'a folder of the user alone');
  assert.equal(statSync(join(folder, file)).mode & 0o777, 0o600);
  const written = readFileSync(join(folder, file));
  const before = statSync(join(folder, file)).mtimeMs;

  const second = kasmlint(['--format', 'json', KASM_FIXTURE], { KASMLINT_CACHE_DIR: folder });
  assert.deepEqual(second, plain);
  assert.equal(statSync(join(folder, file)).mtimeMs, before, 'read, not written again');
  assert.deepEqual(readFileSync(join(folder, file)), written);
});

test('a damaged cache is thrown away and written again; a folder others can write is not used', () => {
  const folder = mkdtempSync(join(tmpdir(), 'kasmlint-code-cache-'));
  const plain = kasmlint([KASM_FIXTURE], { KASMLINT_CODE_CACHE: 'off' });
  kasmlint([KASM_FIXTURE], { KASMLINT_CACHE_DIR: folder });
  const [file] = cacheFiles(folder);
  const path = join(folder, file!);
  const size = statSync(path).size;
  writeFileSync(path, Buffer.alloc(size, 0x5a));
  assert.deepEqual(kasmlint([KASM_FIXTURE], { KASMLINT_CACHE_DIR: folder }), plain);
  assert.notDeepEqual(readFileSync(path), Buffer.alloc(size, 0x5a), 'written again');
  assert.deepEqual(cacheFiles(folder), [file]);

  const shared = mkdtempSync(join(tmpdir(), 'kasmlint-code-cache-'));
  chmodSync(shared, 0o777);
  assert.deepEqual(kasmlint([KASM_FIXTURE], { KASMLINT_CACHE_DIR: shared }), plain);
  assert.deepEqual(readdirSync(shared), []);
});

test('no cache is written after a command that compiles little, or when it is turned off', () => {
  const folder = mkdtempSync(join(tmpdir(), 'kasmlint-code-cache-'));
  assert.equal(kasmlint(['--version'], { KASMLINT_CACHE_DIR: folder }).code, 0);
  assert.equal(kasmlint(['explain', 'tls/weak-protocol'], { KASMLINT_CACHE_DIR: folder }).code, 0);
  assert.deepEqual(cacheFiles(folder), []);
  kasmlint([KASM_FIXTURE], { KASMLINT_CACHE_DIR: folder, KASMLINT_CODE_CACHE: 'off' });
  assert.deepEqual(cacheFiles(folder), []);
});

test('the cache goes to the user\'s cache folder, except in CI where only KASMLINT_CACHE_DIR is used', { skip: process.platform !== 'linux' }, () => {
  const home = mkdtempSync(join(tmpdir(), 'kasmlint-code-cache-'));
  const user = { KASMLINT_CACHE_DIR: '', XDG_CACHE_HOME: join(home, 'xdg') };
  kasmlint([KASM_FIXTURE], { ...user, CI: 'true' });
  assert.deepEqual(readdirSync(home), [], 'nothing written in CI');
  kasmlint([KASM_FIXTURE], { ...user, CI: '' });
  assert.equal(cacheFiles(join(home, 'xdg', 'kasmlint')).length, 1);
});

test('a bundle changed since its cache was written runs its own code, even at the same length', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kasmlint-code-cache-'));
  const cache = { KASMLINT_CACHE_DIR: join(dir, 'cache') };
  const bundle = join(dir, 'bundle.js');
  const source = (answer: number) => `exports.answer = () => ${answer};\nexports.twice = (x) => x * 2;\n`;
  writeFileSync(bundle, source(1));
  const first = loadWithCodeCache(bundle, 'digest', cache);
  assert.equal(first.outcome, 'missing');
  assert.equal((first.exports.answer as () => number)(), 1);
  assert.equal((first.exports.twice as (x: number) => number)(21), 42);
  assert.equal(first.save(), 'written');
  const again = loadWithCodeCache(bundle, 'digest', cache);
  assert.equal(again.outcome, 'used');
  assert.equal((again.exports.answer as () => number)(), 1);

  // the same length, the same digest (a bundle edited by hand): its time of change names another cache
  writeFileSync(bundle, source(2));
  const later = new Date(statSync(bundle).mtimeMs + 5_000);
  utimesSync(bundle, later, later);
  const edited = loadWithCodeCache(bundle, 'digest', cache);
  assert.equal(edited.outcome, 'missing');
  assert.equal((edited.exports.answer as () => number)(), 2);
  edited.save();
  assert.equal(cacheFiles(cache.KASMLINT_CACHE_DIR).length, 2, 'the one before is kept (another version may still run)');
});
