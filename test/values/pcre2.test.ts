// kasmlint's regex automaton against the real PCRE2 that nginx links (libpcre2-8, through Python's
// ctypes): thousands of generated patterns and subjects, the same answers. Patterns PCRE2 refuses
// must be refused by the parser too.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { automatonOf, matches } from '../../server/src/values/automaton';
import { parseRegex } from '../../server/src/values/regex';
import { samples } from '../../server/src/values/samples';

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ATOMS = ['a', 'b', 'A', '.', '/', '\\.', '\\d', '\\w', '\\s', '\\W', '[a-c]', '[^/]', '[^a\\n]', '[.]', '\\n', '-', 'x', '\\x41', '[[:digit:]]'];
const QUANTIFIERS = ['', '', '', '*', '+', '?', '{1,3}', '{2}', '*?', '+?', '{0,2}'];

function pattern(rnd: () => number, depth = 0): string {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const n = 1 + Math.floor(rnd() * 4);
  let out = '';
  for (let i = 0; i < n; i++) {
    let atom = pick(ATOMS);
    if (depth < 2 && rnd() < 0.2) {
      const inner = [pattern(rnd, depth + 1)];
      if (rnd() < 0.4) inner.push(pattern(rnd, depth + 1));
      atom = `(${rnd() < 0.5 ? '?:' : ''}${inner.join('|')})`;
    }
    out += atom + pick(QUANTIFIERS);
  }
  if (rnd() < 0.3) out = `^${out}`;
  if (rnd() < 0.3) out = `${out}$`;
  if (rnd() < 0.05) out = `(?i)${out}`;
  return out;
}

function subjects(rnd: () => number, p: string, caseless: boolean): string[] {
  const out: string[] = [];
  const parsed = parseRegex(p, caseless);
  if (parsed.ok) out.push(...samples(parsed.regex.root, 4));
  const alphabet = 'abAB./-x1 \n\r_';
  while (out.length < 14) {
    const length = Math.floor(rnd() * 9);
    let s = '';
    for (let i = 0; i < length; i++) s += alphabet[Math.floor(rnd() * alphabet.length)];
    out.push(s);
    if (out.length % 5 === 0 && out[0] !== undefined) out.push(`x${out[0]}\n`);
  }
  return out;
}

test('the automaton agrees with the real PCRE2 on generated patterns and subjects', { timeout: 120_000 }, () => {
  const rnd = random(20261202);
  const jobs: Array<{ p: string; i: boolean; s: string[] }> = [];
  for (let k = 0; k < 1500; k++) {
    const p = pattern(rnd);
    const i = rnd() < 0.2;
    jobs.push({ p, i, s: subjects(rnd, p, i) });
  }
  const extra = ['^https?://(.*\\.)?example.com(:\\d+)?$', '^/workspace/(.+)/(.+)$', '(?s)^.+$', '\\bcat\\b', '^\\Qa.b\\E$', '(a)\\1', '[z-a]', 'a{3,2}', '\\y', 'a(?=b)'];
  for (const p of extra) jobs.push({ p, i: false, s: ['https://www.example.com', 'https://examplexcom', '/workspace/a/b', 'a\nb', 'a cat', 'a.b', 'aa', 'ab'] });
  const run = spawnSync('python3', [join(__dirname, '../../../test/support/pcre2.py')], { input: jobs.map((j) => JSON.stringify(j)).join('\n') + '\n', encoding: 'latin1', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(run.status, 0, run.stderr);
  const answers = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as { ok: boolean; r: number[] });
  assert.equal(answers.length, jobs.length);
  let compared = 0;
  const disagreements: string[] = [];
  jobs.forEach((job, k) => {
    const real = answers[k]!;
    const ours = parseRegex(job.p, job.i);
    if (ours.ok !== real.ok) {
      disagreements.push(`${JSON.stringify(job.p)}: PCRE2 ${real.ok ? 'compiles' : 'refuses'} it, kasmlint ${ours.ok ? 'parses' : 'refuses'} it`);
      return;
    }
    if (!ours.ok || !ours.regex.exact) return;
    const a = automatonOf(ours.regex)!;
    job.s.forEach((s, n) => {
      if (real.r[n] === -1) return;
      compared++;
      if (matches(a, s) !== (real.r[n] === 1)) disagreements.push(`${JSON.stringify(job.p)}${job.i ? ' (caseless)' : ''} on ${JSON.stringify(s)}: PCRE2 ${real.r[n] === 1 ? 'matches' : 'does not match'}`);
    });
  });
  assert.deepEqual(disagreements.slice(0, 20), []);
  assert.ok(compared > 15_000, `${compared} comparisons`);
});
