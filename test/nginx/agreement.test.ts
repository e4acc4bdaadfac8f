// Our parser and nginx/* rules against the real `nginx -t` on a corpus of valid and broken
// configurations: the same accept/reject decision, the same message, in the same file at the same line.
// Both verdicts are computed here, from the files; nothing is recorded in advance.

import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { describe, ourVerdict } from '../support/engine';
import { nginxTest, nginxVersion } from '../support/nginx';

const CORPUS = join(__dirname, '../../../test/corpus/nginx');

function cases(): Array<{ name: string; dir: string }> {
  return readdirSync(CORPUS)
    .sort()
    .map((name) => {
      const path = join(CORPUS, name);
      if (statSync(path).isDirectory()) return { name, dir: path };
      // a single-file case becomes nginx.conf of its own folder
      const dir = mkdtempSync(join(tmpdir(), 'kasmlint-case-'));
      copyFileSync(path, join(dir, 'nginx.conf'));
      return { name, dir };
    });
}

test('nginx -t and kasmlint agree on every configuration of the corpus', (t) => {
  const version = nginxVersion();
  const disagreements: string[] = [];
  let rejected = 0;
  const all = cases();
  for (const { name, dir } of all) {
    const real = nginxTest(join(dir, 'nginx.conf'), dir);
    const ours = ourVerdict(dir, version);
    if (!real.ok) rejected++;
    const crashedOnCycle = !real.ok && real.message === 'crashed (SIGSEGV)' && !ours.ok && ours.message.includes('include cycle');
    const same =
      crashedOnCycle ||
      (real.ok && ours.ok) ||
      (!real.ok &&
        !ours.ok &&
        real.message === ours.message &&
        // nginx names no file and line for some errors (zero size shared memory zone, [crit] pread() ...)
        (real.file === undefined
          ? ours.file === undefined || real.message.startsWith('pread()')
          : ours.file !== undefined && basename(real.file) === basename(ours.file) && real.line === ours.line));
    if (!same) disagreements.push(`${name}: nginx -t: ${describe(real)}; kasmlint: ${describe(ours)}`);
  }
  t.diagnostic(`nginx ${version}: ${all.length} configurations, ${rejected} rejected by nginx -t, ${all.length - disagreements.length} in agreement`);
  assert.ok(rejected >= all.length / 2 && rejected < all.length, 'the corpus must hold both valid and broken configurations');
  assert.deepEqual(disagreements, []);
});
