// Bundles the extension client, the language server, the CLI, the benchmark and the tests with esbuild.
// Everything the programs import is bundled (the @nginx/reference-lib package is ESM-only, so bundling
// is also what lets CommonJS output use it); only `vscode` (provided by the editor) stays external.
import * as esbuild from 'esbuild';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  logLevel: 'warning',
  external: ['vscode'],
};

const programs = [
  { in: 'client/src/extension.ts', out: 'dist/client.js' },
  { in: 'server/src/lsp/main.ts', out: 'dist/server.js' },
  { in: 'server/src/cli/main.ts', out: 'dist/kasmlint.js', banner: '#!/usr/bin/env node' },
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
