// Neovim (Debian's 0.7, installed by scripts/ensure-tools.sh) as a second real LSP client nobody here wrote.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const ROOT = join(__dirname, '../../..');

test('Neovim: open a services.d file, receive diagnostics, apply the quick fix, write, diagnostics cleared', { timeout: 90_000 }, () => {
  const tree = mkdtempSync(join(tmpdir(), 'kasmlint-nvim-'));
  cpSync(join(ROOT, 'examples/kasm'), tree, { recursive: true });
  const file = join(tree, 'services.d/api.conf');
  const result = spawnSync('nvim', ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-S', join(ROOT, 'test/neovim/flow.lua')], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, KASMLINT_SERVER: join(ROOT, 'dist/server.js'), KASMLINT_ROOT: tree, KASMLINT_FILE: file },
  });
  assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
  assert.match(result.stdout, /diagnostic: unknown directive "proxy_set_heder"/);
  assert.match(result.stdout, /action: Change to "proxy_set_header"/);
  assert.match(readFileSync(file, 'utf8'), /^ {4}proxy_set_header X-Real-IP \$remote_addr;$/m);
});
