// Measures which directives the installed nginx refuses to see twice at one level ("is duplicate") and
// writes server/src/nginx/data/duplicates.json. For each directive it finds arguments nginx accepts, then
// repeats the directive. Run: node out/tools/probe-duplicates.js (after npm run build).
// test/nginx/duplicates.test.ts re-checks the written data against the installed nginx.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIRECTIVE_CONTEXTS, DirectiveCatalog, type ContextKind } from '../../server/src/nginx/directives';
import { inParallel, nginxTestAsync, nginxVersion, writeTree } from '../support/nginx';
import { probeFolder, PROBED_CONTEXTS, wrapInContext } from '../support/probe-directives';

const GENERIC: string[][] = [
  [], ['on'], ['off'], ['1'], ['10'], ['1s'], ['10m'], ['1k'], ['/tmp'], ['/tmp/x'], ['text/html'], ['$host'],
  ['any'], ['none'], ['all'], ['auto'], ['127.0.0.1'], ['127.0.0.1:8081'], ['unix:/tmp/x.sock'], ['x'], ['GET'],
  ['http://127.0.0.1'], ['4', '8k'], ['x', 'y'], ['X-A', 'b'], ['$host', '$host'], ['1', '1'], ['1s', '1s'],
  ['$host', 'zone=z:1m', 'rate=1r/s'], ['$host', 'zone=z:1m'], ['zone=z'], ['z', '1m'], ['/tmp', 'keys_zone=z:1m'],
  ['$v', '1'], ['404', '/x'], ['/x', '/y'], ['/x', '=404'], ['80'], ['127.0.0.1:8081', 'default_server'],
  ['error'], ['crit'], ['default'], ['always'], ['TLSv1.2'], ['HIGH'], ['prime256v1'], ['builtin'], ['shared:S:1m'],
];

export interface DuplicateData {
  nginx: string;
  /** Directives nginx refuses twice at one level, with arguments it accepts once. */
  single: Record<string, string[]>;
  /** Directives nginx accepts twice at one level. */
  repeatable: Record<string, string[]>;
}

async function accepted(context: ContextKind, lines: string[]): Promise<{ ok: boolean; message?: string }> {
  // the probe paths (/tmp/x...) go to this probe's own folder: nginx opens some of them
  const dir = probeFolder();
  writeTree({ 'nginx.conf': wrapInContext(context, lines.join(' ').replace(/(?<=[\s:"'])\/tmp(?=[/\s;"']|$)/g, dir)) }, dir);
  const verdict = await nginxTestAsync(join(dir, 'nginx.conf'));
  return { ok: verdict.ok, message: verdict.message };
}

async function main(): Promise<void> {
  const version = nginxVersion();
  const catalog = DirectiveCatalog.forVersion(version);
  const data: DuplicateData = { nginx: version, single: {}, repeatable: {} };
  const names = catalog.names().sort();

  await inParallel(
    names.map((name) => async () => {
      const context = PROBED_CONTEXTS.find((c) => DIRECTIVE_CONTEXTS.includes(c) && catalog.specIn(name, c) && !catalog.specIn(name, c)!.isBlock);
      if (!context) return;
      const spec = catalog.specIn(name, context)!;
      const fromDefault = spec.default.trim() ? [spec.default.trim().split(/\s+/)] : [];
      const candidates = [...fromDefault, ...GENERIC].filter((args) => spec.counts.accepts(args.length));
      // Some directives are single with one value and repeatable with another (`proxy_redirect off`
      // versus `proxy_redirect /a /b`): only a directive refused twice with every value is single.
      let single: string[] | undefined;
      let repeatable: string[] | undefined;
      for (const args of candidates) {
        const line = `${name} ${args.map((a) => (/[\s;{}]/.test(a) ? `"${a}"` : a)).join(' ')};`;
        if (!(await accepted(context, [line])).ok) continue;
        const twice = await accepted(context, [line, line]);
        if (twice.ok) repeatable ??= args;
        else if (twice.message === `"${name}" directive is duplicate`) single ??= args;
      }
      if (single && !repeatable) data.single[name] = single;
      else if (repeatable && !single) data.repeatable[name] = repeatable;
    }),
    4,
  );

  const sorted = (o: Record<string, string[]>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
  const out = { nginx: data.nginx, single: sorted(data.single), repeatable: sorted(data.repeatable) };
  const path = join(process.argv[2] ?? 'server/src/nginx/data', 'duplicates.json');
  writeFileSync(path, `${JSON.stringify(out, null, 1)}\n`);
  console.log(`${path}: nginx ${version}: ${Object.keys(out.single).length} single, ${Object.keys(out.repeatable).length} repeatable`);
}

void main();
