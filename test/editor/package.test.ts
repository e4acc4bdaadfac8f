// The .vsix users install: built by `npm run package` with @vscode/vsce, small, no native module, and
// the manifest VS Code 1.90+ reads.

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';

const ROOT = join(__dirname, '../../..');

function zipEntries(path: string): string[] {
  const out = execFileSync('python3', ['-c', 'import sys,zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', path], { encoding: 'utf8' });
  return out.trim().split('\n');
}

test('npm run package makes a .vsix under 3 MB without native modules', { timeout: 180_000 }, () => {
  const run = spawnSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(run.status, 0, `${run.stdout}${run.stderr}`);
  const vsix = join(ROOT, 'dist/kasmlint.vsix');
  const size = statSync(vsix).size;
  assert.ok(size < 3 * 1024 * 1024, `${size} bytes`);
  const entries = zipEntries(vsix);
  for (const needed of ['extension/package.json', 'extension/dist/client.js', 'extension/dist/server.js', 'extension/syntaxes/nginx.tmLanguage.json', 'extension/snippets/nginx.json', 'extension/snippets/cloudflared.json', 'extension/schemas/kasmlintrc.schema.json', 'extension/docs/rules/nginx/syntax.md', 'extension/LICENSE.txt']) {
    assert.ok(entries.includes(needed), `missing ${needed}`);
  }
  assert.deepEqual(entries.filter((e) => e.endsWith('.node') || e.includes('node_modules/') || e.endsWith('.map') || e.includes('/test/')), []);
  // every file of the extension the client starts or hands to a task (the server, the CLI of the validate task)
  const clientSources = readdirSync(join(ROOT, 'client/src')).filter((f) => f.endsWith('.ts')).map((f) => readFileSync(join(ROOT, 'client/src', f), 'utf8'));
  const started = clientSources.flatMap((text) => [...text.matchAll(/asAbsolutePath\('([^']+)'\)/g)].map((m) => m[1]!));
  assert.ok(started.includes('dist/kasmlint.js') && started.includes('dist/server.js'), started.join(', '));
  for (const path of started) assert.ok(entries.includes(`extension/${path}`), `the client uses ${path}, which the .vsix lacks`);
  assert.ok(entries.includes('extension/dist/kasmlint-cli.js'), 'dist/kasmlint.js loads dist/kasmlint-cli.js');
});

test('the manifest targets VS Code 1.90+, and the bundles require only Node built-ins and vscode', () => {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  assert.equal(manifest.engines.vscode, '^1.90.0');
  assert.equal(manifest.main, './dist/client.js');
  assert.deepEqual(manifest.contributes.languages.map((l: { id: string }) => l.id), ['nginx']);
  assert.ok(!manifest.contributes.languages[0].extensions, 'must not claim every .conf file');
  const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
  for (const bundle of ['dist/client.js', 'dist/server.js', 'dist/kasmlint.js', 'dist/kasmlint-cli.js']) {
    const text = readFileSync(join(ROOT, bundle), 'utf8');
    const required = new Set([...text.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]!));
    const foreign = [...required].filter((r) => !builtins.has(r) && r !== 'vscode');
    assert.deepEqual(foreign, [], `${bundle} requires modules that are not bundled`);
  }
});
