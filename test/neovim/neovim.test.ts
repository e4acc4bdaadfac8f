// Neovim (Debian's 0.7, installed by scripts/ensure-tools.sh) as a second real LSP client nobody here wrote.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { formatNginx } from '../../server/src/format/format';
import { messUp } from '../support/format';
import { copyKasmFixture } from '../support/kasm';
import { seededRandom } from '../support/random';

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

test('Neovim: Format Document on a messy services.d file, then Rename of the upstream it proxies to, across the tree', { timeout: 90_000 }, () => {
  const tree = copyKasmFixture(mkdtempSync(join(tmpdir(), 'kasmlint-nvim-edit-')));
  const file = join(tree, 'services.d/client_api.conf');
  const original = readFileSync(file, 'utf8');
  // (ending with a line break: Neovim keeps a missing final one as a buffer option, not as text)
  writeFileSync(file, messUp(original, seededRandom(42)).replace(/\s*$/, '\n'));
  const result = spawnSync('nvim', ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-S', join(ROOT, 'test/neovim/editing.lua')], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, KASMLINT_SERVER: join(ROOT, 'dist/server.js'), KASMLINT_ROOT: tree, KASMLINT_FILE: file, KASMLINT_UPSTREAM: 'kasm_api', KASMLINT_NEW_NAME: 'kasm_api_servers' },
  });
  assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
  assert.match(result.stdout, /prepareRename: kasm_api\nrenamed in 6 files/);
  const formatted = formatNginx(file, original);
  assert.ok(formatted.ok);
  assert.equal(readFileSync(file, 'utf8'), formatted.text.replaceAll('http://kasm_api;', 'http://kasm_api_servers;'));
  assert.match(readFileSync(join(tree, 'upstream_api.conf'), 'utf8'), /upstream kasm_api_servers \{\n\s+server kasm_api:8080;/);
  assert.match(readFileSync(join(tree, 'services.d/admin_api.conf'), 'utf8'), /proxy_pass\thttp:\/\/kasm_api_servers;/);
});
