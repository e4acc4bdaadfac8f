// Bundles the extension client, the language server, the CLI, the benchmark and the tests with esbuild.
// Everything the programs import is bundled (the @nginx/reference-lib package is ESM-only, so bundling
// is also what lets CommonJS output use it); only `vscode` (provided by the editor) stays external.
import * as esbuild from 'esbuild';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * @nginx/reference-lib holds nginx.org's reference twice (HTML and Markdown) as one 1.7 MB object
 * literal, which every process compiled at start-up. The programs read only the Markdown, once: the
 * bundles carry what the library returns for it, evaluated here, as JSON strings parsed when first
 * asked for (a string is scanned, not compiled). With the data files below: the CLI's bundle 3.8 ->
 * 2.7 MB, a run on a one-line configuration 157 -> 147 ms (Node alone: 50 ms).
 * The descriptions (620 of the 810 kB) are a string of their own, parsed when one is first read (a
 * hover, a completion entry's documentation): a lint reads none, and parsed them at every CLI run.
 */
const referenceMarkdown = {
  name: 'reference-lib-markdown',
  setup(build) {
    build.onResolve({ filter: /^@nginx\/reference-lib$/ }, () => ({ path: 'markdown', namespace: 'reference-lib' }));
    build.onLoad({ filter: /.*/, namespace: 'reference-lib' }, async () => {
      const { Format, getDirectives, getVariables } = await import('@nginx/reference-lib');
      const directives = getDirectives(Format.Markdown);
      const variables = getVariables(Format.Markdown);
      const withoutDescription = ({ description: _, ...rest }) => rest;
      const entries = JSON.stringify({ directives: directives.map(withoutDescription), variables: variables.map(withoutDescription) });
      const descriptions = JSON.stringify({ directives: directives.map((d) => d.description), variables: variables.map((v) => v.description) });
      return {
        loader: 'js',
        contents: [
          `// What @nginx/reference-lib returns for Format.Markdown (scripts/build.mjs).`,
          `export const Format = { Markdown: ${Format.Markdown}, HTML: ${Format.HTML} };`,
          `let descriptions;`,
          `const describe = () => (descriptions ??= JSON.parse(${JSON.stringify(descriptions)}));`,
          `class Entry {`,
          `  #list;`,
          `  #index;`,
          `  constructor(fields, list, index) {`,
          `    Object.assign(this, fields);`,
          `    this.#list = list;`,
          `    this.#index = index;`,
          `  }`,
          `  get description() {`,
          `    return describe()[this.#list][this.#index];`,
          `  }`,
          `}`,
          `let data;`,
          `const markdown = (format) => {`,
          `  if (format !== Format.Markdown) throw new Error('only the Markdown of @nginx/reference-lib is bundled');`,
          `  if (!data) {`,
          `    const parsed = JSON.parse(${JSON.stringify(entries)});`,
          `    data = {`,
          `      directives: parsed.directives.map((d, i) => new Entry(d, 'directives', i)),`,
          `      variables: parsed.variables.map((v, i) => new Entry(v, 'variables', i)),`,
          `    };`,
          `  }`,
          `  return data;`,
          `};`,
          `export const getDirectives = (format) => markdown(format).directives;`,
          `export const getVariables = (format) => markdown(format).variables;`,
        ].join('\n'),
      };
    });
  },
};

/**
 * The data files the engine ships (measured tables), likewise as JSON strings: an object literal of the
 * same data compiles slower. A CommonJS module, as esbuild makes of a JSON file (`require` gets the
 * value itself); the packages' own JSON files are left to esbuild.
 */
const jsonAsString = {
  name: 'json-as-string',
  setup(build) {
    build.onLoad({ filter: /\.json$/ }, async (args) => {
      if (args.path.includes('/node_modules/')) return undefined;
      const text = await readFile(args.path, 'utf8');
      return { loader: 'js', contents: `module.exports = JSON.parse(${JSON.stringify(JSON.stringify(JSON.parse(text)))});` };
    });
  },
};

const common = {
  bundle: true,
  plugins: [referenceMarkdown, jsonAsString],
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  logLevel: 'warning',
  external: ['vscode'],
};

const programs = [
  { in: 'client/src/extension.ts', out: 'dist/client.js' },
  { in: 'server/src/lsp/server.ts', out: 'dist/server.js' },
  { in: 'server/src/cli/main.ts', out: 'dist/kasmlint-cli.js' },
  { in: 'test/bench/bench.ts', out: 'dist/bench.js' },
];

function findTests(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...findTests(path));
    else if (name.endsWith('.test.ts')) found.push(path);
  }
  return found;
}

const exists = (p) => { try { statSync(p); return true; } catch { return false; } };

rmSync('out', { recursive: true, force: true });
const builds = programs
  .filter((p) => exists(p.in))
  .map((p) => esbuild.build({
    ...common,
    entryPoints: [p.in],
    outfile: p.out,
    banner: p.banner ? { js: p.banner } : undefined,
  }));
const tests = findTests('test');
if (tests.length > 0) {
  builds.push(esbuild.build({ ...common, entryPoints: tests, outdir: 'out/test', outbase: 'test' }));
}
// The @vscode/test-electron runner and the suite it loads into VS Code (not run by node --test).
if (exists('test/extension-host/run.ts')) {
  builds.push(esbuild.build({ ...common, entryPoints: ['test/extension-host/run.ts', 'test/extension-host/suite/index.ts'], outdir: 'out/extension-host', outbase: 'test/extension-host' }));
}
// The end-to-end suite in code-server, beside the tests so that paths relative to the tests hold (run by
// scripts/test-e2e.sh: scripts/test.sh runs *.test.js only).
const e2e = exists('test/e2e') ? readdirSync('test/e2e').filter((f) => f.endsWith('.e2e.ts')).map((f) => join('test/e2e', f)) : [];
if (e2e.length > 0) {
  builds.push(esbuild.build({ ...common, entryPoints: e2e, outdir: 'out/test/e2e', external: [...common.external, 'playwright-core'] }));
}
// Tools that measure the real nginx/openssl and write the data files the engine ships.
const tools = exists('test/tools') ? readdirSync('test/tools').filter((f) => f.endsWith('.ts')).map((f) => join('test/tools', f)) : [];
if (tools.length > 0) {
  builds.push(esbuild.build({ ...common, entryPoints: tools, outdir: 'out/tools' }));
}
await Promise.all(builds);

// The `kasmlint` command: loads dist/kasmlint-cli.js with V8's code cache (server/src/cli/code-cache.ts),
// which it names by this digest of the bundle it was built with.
if (exists('server/src/cli/launcher.ts')) {
  const digest = createHash('sha256').update(readFileSync('dist/kasmlint-cli.js')).digest('hex').slice(0, 16);
  await esbuild.build({
    ...common,
    entryPoints: ['server/src/cli/launcher.ts'],
    outfile: 'dist/kasmlint.js',
    banner: { js: '#!/usr/bin/env node' },
    define: { KASMLINT_CLI_DIGEST: JSON.stringify(digest) },
  });
}

// A program's bundle must be ASCII: one other character (esbuild escapes those of strings, not those of
// the comments it keeps) makes Node decode the whole file as UTF-8 the slow way and keep it as a
// two-byte string, at every start (dist/server.js: 13-70 ms instead of 2 ms, twice its size in memory).
for (const out of [...programs.map((p) => p.out), 'dist/kasmlint.js'].filter(exists)) {
  const text = readFileSync(out, 'latin1');
  const at = text.search(/[^\x00-\x7f]/);
  if (at >= 0) {
    const line = text.slice(0, at).split('\n').length;
    const shown = text.slice(text.lastIndexOf('\n', at) + 1, text.indexOf('\n', at)).trim();
    throw new Error(`${out}:${line}: a character outside ASCII in the bundle (write it as an escape, or in ASCII if it is in a comment): ${shown}`);
  }
}
