// Measures, on the installed nginx, which value parser each directive argument goes through (nginx's
// ngx_conf_set_*_slot: flag, number, size, offset, time in seconds or milliseconds, enumeration) and
// whether the argument is compiled with variables, and writes server/src/nginx/data/values.json.
// For each directive it starts from arguments nginx accepts (server/src/nginx/data/duplicates.json),
// replaces one argument at a time with probe values, and reads nginx's answer: the slot parsers have
// messages of their own (ngx_conf_file.c), and what each accepts tells them apart (a size takes k and
// m, an offset also g; a time in milliseconds takes "ms", one in seconds does not).
// Run: node out/tools/probe-values.js (after npm run build). test/nginx/values.test.ts re-checks it.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIRECTIVE_CONTEXTS, DirectiveCatalog, type ContextKind } from '../../server/src/nginx/directives';
import type { ValueKind, ValueTable } from '../../server/src/semantics/value-table';
import { inParallel, nginxTestAsync, nginxVersion, writeTree } from '../support/nginx';
import { inScratch, probeFolder, PROBED_CONTEXTS, wrapInContext } from '../support/probe-directives';

const GARBAGE = 'kasmlintX';
const PROBE_VARIABLE = 'kasmlint_probe';

async function verdict(context: ContextKind, name: string, args: string[]): Promise<string> {
  const dir = probeFolder();
  const line = `${name} ${inScratch(args, dir).map((a) => (/[\s;{}]/.test(a) ? `"${a}"` : a)).join(' ')};`;
  writeTree({ 'nginx.conf': wrapInContext(context, line) }, dir);
  const result = await nginxTestAsync(join(dir, 'nginx.conf'));
  return result.ok ? 'ok' : (result.message ?? 'failed');
}

/** What nginx's answers to the probe values say about the parser of one argument. */
async function classify(context: ContextKind, name: string, args: string[], index: number): Promise<ValueKind | undefined> {
  const at = (value: string) => verdict(context, name, args.map((a, i) => (i === index ? value : a)));
  const garbage = await at(GARBAGE);
  const variables = (await at(`$${PROBE_VARIABLE}`)) === `unknown "${PROBE_VARIABLE}" variable`;
  if (garbage === 'ok') return variables ? { kind: 'string', variables } : undefined;
  if (garbage === `invalid value "${GARBAGE}" in "${name}" directive, it must be "on" or "off"`) return { kind: 'flag' };
  if (garbage === `"${name}" directive invalid number`) return { kind: 'number', variables, ...(await bounds(at)) };
  if (garbage === `invalid value "${GARBAGE}"`) return { kind: 'enum', variables };
  if (garbage !== `"${name}" directive invalid value`) return undefined; // a handler of its own
  const [k, g, ms, s] = await Promise.all([at('1k'), at('1g'), at('1ms'), at('1s')]);
  if (g === 'ok') return { kind: 'offset', variables };
  if (k === 'ok') return { kind: 'size', variables };
  if (ms === 'ok') return { kind: 'msec', variables };
  if (s === 'ok') return { kind: 'sec', variables };
  return undefined;
}

/** The range ngx_conf_check_num_bounds puts on a number, read from its message for 0 and for a large value. */
async function bounds(at: (value: string) => Promise<string>): Promise<{ min?: number; max?: number }> {
  for (const probe of ['0', '99999999']) {
    const message = await at(probe);
    const between = /^value must be between (\d+) and (\d+)$/.exec(message);
    if (between) return { min: Number(between[1]), max: Number(between[2]) };
    const above = /^value must be equal to or greater than (\d+)$/.exec(message);
    if (above) return { min: Number(above[1]) };
  }
  return {};
}

async function main(): Promise<void> {
  const version = nginxVersion();
  const catalog = DirectiveCatalog.forVersion(version);
  const accepted = JSON.parse(readFileSync(join(__dirname, '../../server/src/nginx/data/duplicates.json'), 'utf8')) as {
    single: Record<string, string[]>;
    repeatable: Record<string, string[]>;
  };
  const table: ValueTable = { nginx: version, directives: {} };
  const names = Object.keys({ ...accepted.single, ...accepted.repeatable }).sort();
  await inParallel(
    names.map((name) => async () => {
      const args = accepted.single[name] ?? accepted.repeatable[name]!;
      const context = PROBED_CONTEXTS.find((c) => DIRECTIVE_CONTEXTS.includes(c) && catalog.specIn(name, c) && !catalog.specIn(name, c)!.isBlock);
      if (!context || (await verdict(context, name, args)) !== 'ok') return;
      const kinds: Array<ValueKind | null> = [];
      for (let i = 0; i < args.length; i++) kinds.push((await classify(context, name, args, i)) ?? null);
      if (kinds.some((k) => k !== null)) table.directives[name] = { probedWith: args, args: kinds };
    }),
    4,
  );
  const sorted = Object.fromEntries(Object.entries(table.directives).sort(([a], [b]) => (a < b ? -1 : 1)));
  const path = join(process.argv[2] ?? 'server/src/nginx/data', 'values.json');
  writeFileSync(path, `${JSON.stringify({ nginx: version, directives: sorted }, null, 1)}\n`);
  console.log(`${path}: nginx ${version}: ${Object.keys(sorted).length} directives with measured value parsers`);
}

void main();
