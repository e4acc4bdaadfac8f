// The TextMate grammar against scope assertions on hard cases (vscode-tmgrammar-test): quoted map keys,
// regexes with braces, ${var} inside strings, Lua blocks, comments only at word boundaries.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const ROOT = join(__dirname, '../../..');

test('syntaxes/nginx.tmLanguage.json passes every grammar test file', () => {
  const files = readdirSync(join(ROOT, 'test/grammar')).filter((f) => f.endsWith('.test.nginx'));
  assert.ok(files.length >= 4);
  const result = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules/vscode-tmgrammar-test/dist/unit.js'), '-g', 'syntaxes/nginx.tmLanguage.json', ...files.map((f) => `test/grammar/${f}`)],
    { cwd: ROOT, encoding: 'utf8' },
  );
  assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
  for (const file of files) assert.match(result.stdout, new RegExp(`✓ test/grammar/${file.replace('.', '\\.')} run successfuly`));
});
