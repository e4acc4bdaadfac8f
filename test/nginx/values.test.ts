// nginx's value parsers, held to the real nginx: sizes, offsets, times and numbers written every way
// (edge cases and seeded random strings) are accepted or refused, with the same message, by kasmlint
// and by `nginx -t`; and the measured table of which parser reads which argument
// (server/src/nginx/data/values.json, from test/tools/probe-values.ts) still holds on this nginx.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { type ValueTable } from '../../server/src/semantics/value-table';
import valueData from '../../server/src/nginx/data/values.json';
import { describe, ourVerdict } from '../support/engine';
import { inParallel, nginxTestAsync, nginxVersion, writeTree } from '../support/nginx';
import { inScratch, probeFolder, PROBED_CONTEXTS, wrapInContext } from '../support/probe-directives';
import { DIRECTIVE_CONTEXTS, DirectiveCatalog } from '../../server/src/nginx/directives';
import { seededRandom } from '../support/random';

const TABLE = valueData as unknown as ValueTable;

const EDGES = [
  '0', '1', '01', '10k', '10K', '10m', '10M', '10g', '10G', '1t', 'k', '', ' ', '1 ', ' 1', '-1', '+1', '1.5', '1e3',
  '9223372036854775807', '9223372036854775808', '9007199254740993k', '8796093022207k', '8796093022208k', '8589934591m',
  '500ms', '1s', '1m', '1h', '1d', '1w', '1M', '1y', '1h 30m', '1h30m', '30m 1h', '1m 1m', '1y 1M 1w 1d 1h 1m 1s 1ms',
  '1s 500ms', '1ms 1s', '1 s', '1  s', '1s ', 'ms', '1mss', '1h 1', '1h 30', '10 20', '292471208y', '292471209y',
  '106751991167d', '106751991168d', '9223372036854775s', '9223372036854776s', '1x',
];

const KINDS: Array<{ kind: string; name: string; context: Parameters<typeof wrapInContext>[0] }> = [
  { kind: 'size', name: 'client_body_buffer_size', context: 'http.location' },
  { kind: 'offset', name: 'client_max_body_size', context: 'http.location' },
  { kind: 'msec', name: 'proxy_read_timeout', context: 'http.location' },
  { kind: 'sec', name: 'ssl_session_timeout', context: 'http.server' },
  { kind: 'number', name: 'keepalive_requests', context: 'http.location' },
  { kind: 'bounded number', name: 'gzip_comp_level', context: 'http.location' },
];

function randomValues(count: number): string[] {
  const random = seededRandom(20261202);
  const alphabet = '0123456789012345678901234567890123456789kKmMgGshdwyM ';
  return Array.from({ length: count }, () => Array.from({ length: 1 + random(8) }, () => alphabet[random(alphabet.length)]).join(''));
}

test('sizes, offsets, times and numbers are refused exactly when nginx refuses them, with its message', { timeout: 600_000 }, async (t) => {
  const version = nginxVersion();
  const values = [...EDGES, ...randomValues(60)];
  const cases = KINDS.flatMap(({ name, context }) => values.map((value) => ({ name, context, value })));
  const results = await inParallel(
    cases.map(({ name, context, value }) => async () => {
      const dir = writeTree({ 'nginx.conf': wrapInContext(context, `${name} "${value}";`) });
      const real = await nginxTestAsync(join(dir, 'nginx.conf'));
      const ours = ourVerdict(dir, version);
      const same = real.ok === ours.ok && (real.ok || (!ours.ok && real.message === ours.message && real.line === ours.line));
      return same ? undefined : `${name} "${value}": nginx -t: ${describe(real)}; kasmlint: ${describe(ours)}`;
    }),
  );
  const disagreements = results.filter((r): r is string => r !== undefined);
  t.diagnostic(`${cases.length} values (${values.length} per parser), ${cases.length - disagreements.length} in agreement`);
  assert.deepEqual(disagreements, []);
});

test('the measured table of value parsers holds on this nginx', { timeout: 600_000 }, async () => {
  const wrong: string[] = [];
  const entries = Object.entries(TABLE.directives);
  await inParallel(
    entries.map(([name, entry]) => async () => {
      // a directive of Debian's build that the configured version lacks upstream (max_headers, a backport)
      if (!contextOf(name)) return;
      for (let i = 0; i < entry.args.length; i++) {
        const kind = entry.args[i];
        if (!kind || kind.kind === 'string') continue;
        const dir = probeFolder();
        const args = inScratch(entry.probedWith, dir).map((a, j) => (j === i ? 'kasmlintX' : a));
        writeTree({ 'nginx.conf': wrapInContext(contextOf(name)!, `${name} ${args.map((a) => `"${a}"`).join(' ')};`) }, dir);
        const message = (await nginxTestAsync(join(dir, 'nginx.conf'))).message ?? 'accepted';
        const expected = {
          flag: `invalid value "kasmlintX" in "${name}" directive, it must be "on" or "off"`,
          number: `"${name}" directive invalid number`,
          enum: 'invalid value "kasmlintX"',
        }[kind.kind as string] ?? `"${name}" directive invalid value`;
        if (message !== expected) wrong.push(`${name} argument ${i + 1} (${kind.kind}): nginx says ${message}`);
      }
    }),
  );
  assert.deepEqual(wrong, []);
});

/**
 * Values written every way a configuration writes them, each in every measured argument of every
 * directive of the table: a directive whose handler is its own (expires takes -1, +1d, @18h) must not be
 * held to the generic parser the probe matched it with, nor a generic one to another's words.
 */
const WORDS = [
  '0', '1', '-1', '+1', '@1h', '@25h', '1.5', '10%', '1k', '1m', '1g', '1h', '1d', '100ms', '1h 30m', '-1d',
  'on', 'off', 'max', 'epoch', 'auto', 'none', 'any', 'all', 'default', 'unlimited', 'modified', 'x', '-', '$host',
];

test('every measured argument of every directive takes or refuses each word as nginx does', { timeout: 900_000 }, async (t) => {
  const version = nginxVersion();
  const cases = Object.entries(TABLE.directives).flatMap(([name, entry]) =>
    // (hash sizes are refused when nginx builds the hash after reading everything, from the names it holds)
    contextOf(name) === undefined || /_hash_(max|bucket)_size$/.test(name) ? [] : entry.args.flatMap((kind, i) => (kind === null ? [] : WORDS.map((word) => ({ name, entry, i, word })))),
  );
  const results = await inParallel(
    cases.map(({ name, entry, i, word }) => async () => {
      const dir = probeFolder();
      const args = inScratch(entry.probedWith, dir).map((a, j) => (j === i ? word : a));
      writeTree({ 'nginx.conf': wrapInContext(contextOf(name)!, `${name} ${args.map((a) => `"${a}"`).join(' ')};`) }, dir);
      const real = await nginxTestAsync(join(dir, 'nginx.conf'));
      const ours = ourVerdict(dir, version);
      const same = real.ok === ours.ok && (real.ok || (!ours.ok && real.message === ours.message && real.line === ours.line));
      return same ? undefined : `${name} ${args.join(' ')}: nginx -t: ${describe(real)}; kasmlint: ${describe(ours)}`;
    }),
  );
  const disagreements = results.filter((r): r is string => r !== undefined);
  t.diagnostic(`${cases.length} directives and words, ${cases.length - disagreements.length} in agreement`);
  assert.deepEqual(disagreements, []);
});

/** The first context the table's directive is valid in, as the probe chose it. */
function contextOf(name: string): Parameters<typeof wrapInContext>[0] | undefined {
  const catalog = DirectiveCatalog.forVersion(nginxVersion());
  return PROBED_CONTEXTS.find((c) => DIRECTIVE_CONTEXTS.includes(c) && catalog.specIn(name, c) && !catalog.specIn(name, c)!.isBlock);
}
