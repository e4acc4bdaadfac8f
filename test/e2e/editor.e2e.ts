// The editing features in a real VS Code (see support.ts), on a copy of the Kasm 1.16.1 tree in a folder
// not named nginx: diagnostics before any file is opened, Kasm's top-level files opened as NGINX,
// Format Document on a messy file (the formatter's output, still accepted by nginx -t), Rename of an
// upstream across files, a document link, the restart command, and the tunnel code lens. Every
// expectation comes from the engine run on the same files. KASMLINT_README_SCREENSHOTS=<folder> also
// writes the Marketplace README's screenshots there.

import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { formatNginx } from '../../server/src/format/format';
import type { Finding } from '../../server/src/engine/findings';
import { lint } from '../support/engine';
import { messUp } from '../support/format';
import { copyKasmFixture, prepareKasmTreeForNginx } from '../support/kasm';
import { nginxTest } from '../support/nginx';
import { seededRandom } from '../support/random';
import { asProblems, assertEventually, byPosition, command, launch, openFile, page, problemsOf, ROOT, shutdown, step, tokenOf } from './support';

const scratch = mkdtempSync(join(tmpdir(), 'kasmlint-e2e-editor-'));
const workspace = join(scratch, 'workspace');
const kasm = join(workspace, 'kasm-proxy');
const website = join(kasm, 'services.d/website.conf');
const tunnelConfig = join(workspace, 'cloudflared/config.yml');
let messy = '';
let expected: Finding[] = [];

async function readmeScreenshot(name: string): Promise<void> {
  const dir = process.env.KASMLINT_README_SCREENSHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page().mouse.move(200, 760); // off the editor: no hover in the picture
  await page().screenshot({ path: join(dir, `${name}.png`) });
}

before(async () => {
  copyKasmFixture(kasm);
  messy = messUp(readFileSync(website, 'utf8'), seededRandom(2026)).replace(/\s*$/, '\n');
  writeFileSync(website, messy);
  mkdirSync(join(workspace, 'cloudflared'), { recursive: true });
  cpSync(join(ROOT, 'examples/cloudflared/config.yml'), tunnelConfig);
  expected = lint([workspace]).findings;
  await launch({
    scratch,
    workspace,
    name: 'editor',
    // the editor's formatting options as set here, not guessed from the messy file
    settings: { 'editor.detectIndentation': false, 'editor.tabSize': 4, 'editor.insertSpaces': true, 'files.insertFinalNewline': false },
  });
});

after(async () => {
  await shutdown();
  rmSync(scratch, { recursive: true, force: true });
});

step('the findings of the Kasm tree are in the Problems panel before any file is opened', async () => {
  const want = asProblems(expected, join(kasm, 'services.d/agent.conf')).sort(byPosition);
  assert.ok(want.length > 0);
  assert.deepEqual((await problemsOf('agent.conf', want.length)).sort(byPosition), want);
});

step("Kasm's compress.conf, in a folder not named nginx, opens as NGINX", async () => {
  await openFile('compress.conf', 'kasm-proxy');
  const mode = page().locator('.statusbar-item#status\\.editor\\.mode');
  let shown = '';
  await assertEventually(async () => (shown = (await mode.innerText()).trim()) === 'NGINX', () => `the language mode NGINX, not ${shown}`);
});

step('Format Document on a messy website.conf gives the formatter output, and nginx -t accepts the tree', async () => {
  const want = formatNginx(website, messy, { indent: '    ' });
  assert.ok(want.ok);
  assert.notEqual(want.text, messy);
  await openFile('website.conf', 'services.d');
  await readmeScreenshot('format-before');
  await command('Format Document');
  await command('File: Save');
  await assertEventually(async () => readFileSync(website, 'utf8') === want.text, () => `website.conf saved formatted, not:\n${readFileSync(website, 'utf8')}`);
  // only white space changed: the same findings, on the formatted lines
  const findings = asProblems(lint([workspace]).findings, website);
  assert.deepEqual(findings.map((f) => f.rule).sort(), asProblems(expected, website).map((f) => f.rule).sort());
  await problemsOf('website.conf', findings.length);
  await command('View: Focus Active Editor Group');
  await readmeScreenshot('format-after');
  const verdict = nginxTest(prepareKasmTreeForNginx(kasm, ['services.d/rdp_https_gateway_webapp.conf']).mainConf);
  assert.ok(verdict.ok, verdict.output);
});

step('Rename of an upstream updates its block and the services.d files that proxy to it', async () => {
  const users = ['admin_api.conf', 'client_api.conf', 'subscription_api.conf'].map((f) => join(kasm, 'services.d', f));
  await openFile('upstream_api.conf', 'kasm-proxy');
  // the cursor into the name of `upstream kasm_api {` (line 3), wherever the grammar splits its tokens
  const line = readFileSync(join(kasm, 'upstream_api.conf'), 'utf8').split('\n').findIndex((l) => /upstream kasm_api/.test(l)) + 1;
  await command('Go to Line/Column...');
  await page().keyboard.type(`${line}:16`);
  await page().keyboard.press('Enter');
  await page().keyboard.press('F2');
  const input = page().locator('.rename-box input');
  await input.waitFor();
  await readmeScreenshot('rename');
  await input.fill('kasm_api_servers');
  await page().keyboard.press('Enter');
  await input.waitFor({ state: 'hidden' });
  await command('File: Save All');
  await assertEventually(async () => /upstream kasm_api_servers \{/.test(readFileSync(join(kasm, 'upstream_api.conf'), 'utf8')), () => 'upstream_api.conf renamed');
  for (const path of users) {
    await assertEventually(async () => /proxy_pass\s+http:\/\/kasm_api_servers;/.test(readFileSync(path, 'utf8')), () => `${path} renamed:\n${readFileSync(path, 'utf8')}`);
  }
  assert.match(readFileSync(join(kasm, 'upstream_api.conf'), 'utf8'), /server kasm_api:8080;/, 'the docker host of the same name is not the upstream');
});

step("a document link opens the file: orchestrator.conf's services.d mask opens its first file", async () => {
  await openFile('orchestrator.conf', 'kasm-proxy');
  await tokenOf('include', /services\.d/).click();
  await command('Open Link');
  await page().locator('.tab.active', { hasText: 'admin_api.conf' }).waitFor();
});

step('kasmlint: Restart server restarts it in the same output channel, and says so', async () => {
  await command('kasmlint: Restart server');
  await page().locator('.notifications-toasts', { hasText: 'kasmlint: the language server restarted.' }).waitFor();
  await command('Output: Show Output Channels...');
  const channels = page().locator('.quick-input-list .monaco-list-row', { hasText: 'kasmlint' });
  await channels.first().waitFor();
  assert.equal(await channels.count(), 1, 'one kasmlint channel');
  await page().keyboard.press('Escape');
});

step("the tunnel's code lens shows Kasm's zone values, with a way to copy them and Kasm's documentation", async () => {
  await openFile('config.yml', 'cloudflared');
  const lens = page().locator('.codelens-decoration a', { hasText: 'Kasm zone: Upstream Auth Address' }).first();
  await lens.waitFor();
  await command('Notifications: Clear All Notifications');
  await readmeScreenshot('code-lens');
  await lens.click();
  const toast = page().locator('.notifications-toasts .notification-toast', { hasText: 'Kasm zone settings for this tunnel' });
  await toast.waitFor();
  const text = await toast.innerText();
  assert.match(text, /Upstream Auth Address = kasm\.example\.com, Proxy Port = 0/);
  assert.match(text, /Copy the values/);
  assert.match(text, /Open Kasm's zone documentation/);
});
