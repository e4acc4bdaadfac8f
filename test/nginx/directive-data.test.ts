// The measured data the engine ships, re-measured on the installed nginx: which directives are refused
// twice at one level (server/src/nginx/data/duplicates.json), and which take only "on" or "off".

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import duplicates from '../../server/src/nginx/data/duplicates.json';
import { DIRECTIVE_CONTEXTS, DirectiveCatalog, isFlag } from '../../server/src/nginx/directives';
import { inParallel, nginxTestAsync, nginxVersion, writeTree } from '../support/nginx';
import { inScratch, probeFolder, PROBED_CONTEXTS, probe, wrapInContext } from '../support/probe-directives';

function line(name: string, args: string[]): string {
  return `${name} ${args.map((a) => (/[\s;{}]/.test(a) ? `"${a}"` : a)).join(' ')};`;
}

test('duplicates.json: every "single" directive is refused twice, every "repeatable" one accepted twice', { timeout: 300_000 }, async (t) => {
  const version = nginxVersion();
  const catalog = DirectiveCatalog.forVersion(version);
  const wrong: string[] = [];
  const entries = [
    ...Object.entries(duplicates.single).map(([name, args]) => ({ name, args, single: true })),
    ...Object.entries(duplicates.repeatable).map(([name, args]) => ({ name, args, single: false })),
  ];
  await inParallel(
    entries.map(({ name, args, single }) => async () => {
      const context = PROBED_CONTEXTS.find((c) => DIRECTIVE_CONTEXTS.includes(c) && catalog.specIn(name, c) && !catalog.specIn(name, c)!.isBlock);
      if (!context) return;
      const dir = probeFolder();
      const text = line(name, inScratch(args, dir));
      writeTree({ 'nginx.conf': wrapInContext(context, `${text} ${text}`) }, dir);
      const verdict = await nginxTestAsync(join(dir, 'nginx.conf'));
      const refused = verdict.message === `"${name}" directive is duplicate`;
      if (single !== refused) wrong.push(`${name}: recorded as ${single ? 'single' : 'repeatable'}, nginx ${version} says: ${verdict.ok ? 'accepted' : verdict.message}`);
    }),
    4,
  );
  t.diagnostic(`${entries.length} directives re-checked on nginx ${version} (data measured on nginx ${duplicates.nginx})`);
  assert.deepEqual(wrong, []);
});

test('directives that take on|off refuse any other value, as nginx/invalid-arguments reports', { timeout: 300_000 }, async (t) => {
  const version = nginxVersion();
  const catalog = DirectiveCatalog.forVersion(version);
  const wrong: string[] = [];
  let checked = 0;
  await inParallel(
    catalog.names().map((name) => async () => {
      const context = PROBED_CONTEXTS.find((c) => catalog.specIn(name, c) && isFlag(catalog.specIn(name, c)!, version));
      if (!context) return;
      if ((await probe(name, context, 1, false)) === 'unknown') return;
      checked++;
      const dir = writeTree({ 'nginx.conf': wrapInContext(context, `${name} maybe;`) });
      const verdict = await nginxTestAsync(join(dir, 'nginx.conf'));
      const expected = `invalid value "maybe" in "${name}" directive, it must be "on" or "off"`;
      if (verdict.message !== expected) wrong.push(`${name}: nginx says ${verdict.ok ? 'accepted' : verdict.message}`);
    }),
    4,
  );
  t.diagnostic(`${checked} on|off directives checked on nginx ${version}`);
  assert.ok(checked > 100);
  assert.deepEqual(wrong, []);
});
