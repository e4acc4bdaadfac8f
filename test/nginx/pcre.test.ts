// The regex compile errors kasmlint reports, held to the real nginx (Debian's, linked with PCRE2): on
// hand-written edge cases and on seeded random patterns built from regex pieces, every error kasmlint
// claims is nginx's error, word for word (text, quoting, "at" position); and it catches most of them.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { pcreError, pcreMessage } from '../../server/src/semantics/pcre';
import { inParallel, nginxTestAsync, writeTree } from '../support/nginx';
import { seededRandom } from '../support/random';

const EDGES = [
  '^/(a|b', 'a)b', '*.php', 'a**', 'a{2,1}', 'a{99999}', 'a{1000000}', '[abc', '[z-a]', '(?<n>a)(?<n>b)', '(?Q)', 'a(?#x', '(?P<1a>x)',
  'x{1,2}{3}', '[[:foo:]]', 'a?+', 'a|*', '(*)', '(?', '\\c', '[\\d-z]', 'a++', '(?i', '^(?!x', '^*a', 'a$*', '\\b*', '(?=a)*', 'a{,3}',
  'a{3', '{3}', 'a{1,2}?', 'a{1,2}+', 'a{1,2}*', '\\Qa)\\E', '[]a]', '[^]a]', '[a-\\d]', '[a-]', '(?i)a', '(?-i:a)', '(?^i:a)', '(?a)',
  '(?J)', '(?U)', '(?|a|b)', '(?>a)', '.{1,2}', 'a{65536}', 'a{65535}', '(a)++', '(?<name>a)', '(?<a-b>x)', '(?<>x)', '[[:alpha:]-z]',
  '[%--]', '(?#ok)a', '$*', 'x\\iy', 'x\\ly', 'x\\My', '^/desktop/(.*)$', '\\.(jpg|png)$', '^/api/(?<version>v[0-9]+)/', '(?i)^/kasm',
  '^~/(a', '(?<(?<n>x))', '(?<-x>y)', "(?'(x)", 'a*?+', 'a+*', '[\\w-.]', '[a-z-0]', '[\\]-a]', '(?:a|b))', '((a)', '[[:^alpha:]]', '[:alpha:]', 'a{1}{2}',
];

const PIECES = ['a', 'b', '.', '*', '+', '?', '(', ')', '[', ']', '{', '}', '1', '2', ',', '|', '^', '$', '\\d', '\\w', '-', '(?:', '(?<n>', '(?i)', 'z', '\\.', '[:alpha:]', '{2,1}', '{1,3}', 'x'];

function randomPatterns(count: number): string[] {
  const random = seededRandom(Number(process.env.KASMLINT_PCRE_SEED ?? 20261202));
  return Array.from({ length: count }, () => Array.from({ length: 1 + random(7) }, () => PIECES[random(PIECES.length)]).join(''));
}

/** nginx's verdict on `location ~ "pattern"`. */
async function nginxSays(pattern: string): Promise<string | undefined> {
  const quoted = pattern.replace(/"/g, '\\"');
  const dir = writeTree({ 'nginx.conf': `events {}\nhttp {\n server {\n  listen 127.0.0.1:18080;\n  location ~ "${quoted}" { return 200; }\n }\n}\n` });
  const verdict = await nginxTestAsync(join(dir, 'nginx.conf'));
  return verdict.ok ? undefined : verdict.message;
}

test('every regex error kasmlint reports is the one nginx reports, word for word', { timeout: 600_000 }, async (t) => {
  const patterns = [...new Set([...EDGES, ...randomPatterns(700)])].filter((p) => !p.endsWith('\\'));
  const results = await inParallel(
    patterns.map((pattern) => async () => {
      const ours = pcreError(pattern);
      const real = await nginxSays(pattern);
      return { pattern, ours: ours ? pcreMessage(pattern, ours) : undefined, real: real?.startsWith('pcre2_compile()') ? real : undefined };
    }),
  );
  const wrong = results.filter((r) => r.ours !== undefined && r.ours !== r.real).map((r) => `${r.pattern}: nginx: ${r.real ?? 'accepted'}; kasmlint: ${r.ours}`);
  const refused = results.filter((r) => r.real !== undefined);
  const caught = refused.filter((r) => r.ours === r.real).length;
  t.diagnostic(`${patterns.length} patterns, ${refused.length} refused by nginx's PCRE2; kasmlint reports ${caught} of them exactly (${((caught / refused.length) * 100).toFixed(1)}%), and claims no error nginx does not give`);
  assert.deepEqual(wrong, []);
  assert.ok(caught / refused.length > 0.8, 'kasmlint catches most regex errors');
});
