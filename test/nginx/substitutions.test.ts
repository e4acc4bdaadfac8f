// Agreement with the real `nginx -t` when one argument of a valid configuration is replaced by another
// word: every argument of every directive of the corpus's valid files, each word of a list that covers
// what configurations write (numbers, sizes, times, signs, on/off and the other keywords, addresses,
// variables, zone and rate parameters, quotes). Where the character mutations test the tokenizer, these
// reach each directive's handler with values it may not take. A sample of the cases runs (fixed seed;
// KASMLINT_SUBSTITUTION_SEED tries others, KASMLINT_SUBSTITUTION_CASES=all runs every one).
//
// Left out by design: what only the machine nginx runs on decides (host names, users, files, modules,
// certificates, addresses to bind), and how many connections the listening sockets need.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import type { Block } from '../../server/src/nginx/ast';
import { parseNginx } from '../../server/src/nginx/parser';
import { describe, ourVerdict } from '../support/engine';
import { inParallel, nginxTestAsync, nginxVersion, writeTree } from '../support/nginx';
import { seededRandom } from '../support/random';

const CORPUS = join(__dirname, '../../../test/corpus/nginx');
const SEED = Number(process.env.KASMLINT_SUBSTITUTION_SEED ?? 20261203);
const SAMPLE = process.env.KASMLINT_SUBSTITUTION_CASES === 'all' ? Number.POSITIVE_INFINITY : 2500;

/**
 * An absolute path inside the case's own folder: nginx -t opens (and creates) the log files a
 * configuration names, so an absolute word such as "/x" would make it write a file at the root.
 */
const SCRATCH = '/@scratch@';

const WORDS = [
  '0', '1', '-1', '+1', '@1h', '1.5', '10%', '1k', '1m', '1h', '1d', '100ms', '1h 30m', '404', '999', '',
  'on', 'off', 'max', 'epoch', 'auto', 'none', 'any', 'all', 'default', 'always', 'nodelay', 'x', '-', '~', '^~', '*', '=404',
  '$host', '$', '${host', 'a b', '127.0.0.1', '[::1]:80', 'unix:/x', `${SCRATCH}/x`, 'http://127.0.0.1', 'TLSv1.2', 'HIGH:!aNULL',
  'zone=z:1m', 'rate=1r/s', 'burst=5',
];

const MACHINE_DEPENDENT = /^(host not found|".*" is unsupported on this platform|open\(\) ".*" failed|mkdir\(\) ".*" failed|dlopen\(\) ".*" failed|getpwnam|getgrnam|cannot load certificate|BIO_new_file|bind\(\)|\d+ worker_connections are not enough)/;

interface Case {
  label: string;
  text: string;
}

function substitutions(): Case[] {
  const cases: Case[] = [];
  const files = readdirSync(CORPUS).filter((name) => /^(valid|handler-valid)-.*\.conf$/.test(name)).sort();
  for (const name of files) {
    const text = readFileSync(join(CORPUS, name), 'utf8');
    const pending: Block[] = [parseNginx(name, text).root];
    while (pending.length > 0) {
      for (const d of pending.pop()!.directives) {
        if (d.block) {
          pending.push(d.block);
          continue;
        }
        for (const arg of d.args) {
          for (const word of WORDS) {
            cases.push({ label: `${name}:${d.nginxLine} ${d.name} ${text.slice(arg.start, arg.end)} -> "${word}"`, text: `${text.slice(0, arg.start)}"${word}"${text.slice(arg.end)}` });
          }
        }
      }
    }
  }
  return cases;
}

test('nginx -t and kasmlint agree when an argument of a valid configuration is replaced by another word', { timeout: 900_000 }, async (t) => {
  const version = nginxVersion();
  const all = substitutions();
  const random = seededRandom(SEED);
  for (let i = all.length - 1; i > 0; i--) {
    const j = random(i + 1);
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  const sample = all.slice(0, SAMPLE);
  let machineDependent = 0;
  const results = await inParallel(
    sample.map(({ label, text }) => async () => {
      const dir = writeTree({});
      writeFileSync(join(dir, 'nginx.conf'), text.replaceAll(SCRATCH, dir));
      const real = await nginxTestAsync(join(dir, 'nginx.conf'));
      const ours = ourVerdict(dir, version);
      rmSync(dir, { recursive: true, force: true });
      if (real.ok ? ours.ok : !ours.ok && real.message === ours.message && real.line === ours.line) return undefined;
      if (!real.ok && MACHINE_DEPENDENT.test(real.message ?? '')) {
        machineDependent++;
        // nginx stopped there: kasmlint may only say what nginx would have met after it
        const after = !ours.ok && ours.file !== undefined && real.file !== undefined && basename(ours.file) === basename(real.file) && ours.line! > real.line!;
        if (ours.ok || after) return undefined;
      }
      return `${label}: nginx -t: ${describe(real)}; kasmlint: ${describe(ours)}`;
    }),
  );
  const disagreements = results.filter((r): r is string => r !== undefined);
  t.diagnostic(`${sample.length} of ${all.length} substitutions (seed ${SEED}); ${machineDependent} stopped nginx on what only its machine decides`);
  assert.deepEqual(disagreements, []);
});
