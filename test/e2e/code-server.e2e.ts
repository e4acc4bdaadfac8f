// The packaged extension in a real VS Code (see support.ts) on a copy of the Kasm 1.16.1 tree and a
// cloudflared config. Run by `npm run test:e2e` (scripts/test-e2e.sh installs code-server and builds the
// .vsix first), also by .ci/run. Every expectation about findings and fixes comes from the engine run on
// the same files: the editor must show what kasmlint computes.

import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { applyTextEdits } from '../../server/src/engine/fix';
import type { Finding } from '../../server/src/engine/findings';
import { lint } from '../support/engine';
import { copyKasmFixture } from '../support/kasm';
import { asProblems, assertEventually, byPosition, command, hoverOver, launch, openFile, page, problemsOf, ROOT, shutdown, step, tokenOf } from './support';

// Called inside the page (by evaluate), where the DOM's global exists; this file is compiled without the DOM library.
declare const getComputedStyle: (element: unknown) => { color: string };

const scratch = mkdtempSync(join(tmpdir(), 'kasmlint-e2e-'));
const workspace = join(scratch, 'workspace');
const kasm = join(workspace, 'kasm');
const tunnelConfig = join(workspace, 'cloudflared/config.yml');
const extraConf = join(kasm, 'services.d/desktop.conf');

/** The engine's findings on the untouched workspace. */
let expected: Finding[] = [];

before(async () => {
  copyKasmFixture(kasm);
  mkdirSync(join(workspace, 'cloudflared'), { recursive: true });
  cpSync(join(ROOT, 'examples/cloudflared/config.yml'), tunnelConfig);
  writeFileSync(extraConf, '');
  expected = lint([workspace]).findings;
  await launch({ scratch, workspace, name: 'code-server' });
});

after(async () => {
  await shutdown();
  rmSync(scratch, { recursive: true, force: true });
});

step('the installed extension reports the findings of website.conf in the Problems panel', async () => {
  await openFile('website.conf', 'services.d');
  const want = asProblems(expected, join(kasm, 'services.d/website.conf')).sort(byPosition);
  assert.ok(want.some((p) => p.rule === 'cors/reflected-origin' && p.severity === 'error'), 'the fixture has its reflected CORS origin');
  const shown = (await problemsOf('website.conf', want.length)).sort(byPosition);
  assert.deepEqual(shown, want);
});

step('hovering a directive shows its reference documentation', async () => {
  const hover = await hoverOver(tokenOf('expires', 'expires'), 'ngx_http_headers_module');
  const text = await hover.innerText();
  assert.match(text, /^expires · ngx_http_headers_module/);
  assert.match(text, /Context: http, server, location, if \(in location\)/);
  assert.match(text, /Enables or disables adding or modifying the "Expires" and "Cache-Control" response header fields/);
  await page().mouse.move(5, 450);
  await hover.waitFor({ state: 'hidden' });
});

step('the CORS allow-list quick fix, chosen from the light bulb, changes the three files on disk', async () => {
  const file = join(kasm, 'services.d/website.conf');
  const finding = expected.find((f) => f.file === file && f.rule === 'cors/reflected-origin')!;
  const fix = finding.fixes.find((x) => /allow-list/.test(x.title))!;
  const byFile = new Map<string, typeof fix.edits>();
  for (const edit of fix.edits) byFile.set(edit.file, [...(byFile.get(edit.file) ?? []), edit]);
  assert.equal(byFile.size, 3, 'the fix spans orchestrator.conf, upstream_proxy.conf and website.conf');
  const want = new Map([...byFile].map(([path, edits]) => [path, applyTextEdits(readFileSync(path, 'utf8'), edits)]));

  await tokenOf('Access-Control-Allow-Origin', '$http_origin').click();
  const bulb = page().locator('.lightBulbWidget');
  await bulb.waitFor();
  await bulb.click();
  const menu = page().locator('.action-widget');
  await menu.waitFor();
  await assertEventually(async () => (await menu.locator('.monaco-list-row.action').count()) > 1, () => 'the quick fixes');
  const titles = await menu.locator('.monaco-list-row.action').allInnerTexts();
  assert.deepEqual(titles.slice(0, finding.fixes.length), finding.fixes.map((x) => x.title));
  // The action list lets keyboard and pointer focus move over its rows; Enter applies the focused one.
  for (let i = 0; i < titles.length && !(await menu.locator('.monaco-list-row.action.focused').innerText()).includes(fix.title); i++) await page().keyboard.press('ArrowDown');
  await page().keyboard.press('Enter');
  await menu.waitFor({ state: 'hidden' });
  await command('File: Save All');
  for (const [path, text] of want) {
    await assertEventually(async () => readFileSync(path, 'utf8') === text, () => `${path} saved with the fix:\n${readFileSync(path, 'utf8')}`);
  }
  // And the finding is gone from the editor.
  await assertEventually(
    async () => (await problemsOf('website.conf', asProblems(expected, file).length - 1)).every((p) => p.rule !== 'cors/reflected-origin'),
    () => 'cors/reflected-origin to disappear from the Problems panel',
  );
});

step('a snippet expands, its first placeholder typed over', async () => {
  await openFile('desktop.conf', 'services.d');
  await page().locator('.monaco-editor textarea').first().focus();
  await page().keyboard.type('kasm-websocket-loc');
  const suggestion = page().locator('.suggest-widget .monaco-list-row', { hasText: 'kasm-websocket-location' }).first();
  await suggestion.waitFor();
  await suggestion.click();
  await page().keyboard.type('/desktop/');
  await page().keyboard.press('Escape');
  await page().keyboard.press('Control+S');
  const snippets = JSON.parse(readFileSync(join(ROOT, 'snippets/nginx.json'), 'utf8')) as Record<string, { prefix: string[]; body: string[] }>;
  const body = Object.values(snippets).find((s) => s.prefix.includes('kasm-websocket-location'))!.body;
  const expanded = body.map((line) =>
    line
      .replace(/\$\{1:[^}]*\}/g, '/desktop/')
      .replace(/\$\{\d+:([^}]*)\}/g, '$1')
      .replace(/\$\d+/g, '')
      .replace(/\\\$/g, '$'),
  );
  const meaningful = (lines: string[]) => lines.map((l) => l.trim()).filter((l) => l !== '');
  // The save may land in more than one write (seen once: the typed prefix first): wait for the last.
  await assertEventually(
    async () => JSON.stringify(meaningful(readFileSync(extraConf, 'utf8').split('\n'))) === JSON.stringify(meaningful(expanded)),
    () => `desktop.conf saved with the expanded snippet, not:\n${readFileSync(extraConf, 'utf8')}`,
  );
  const saved = readFileSync(extraConf, 'utf8').split('\n');
  assert.ok(saved.filter((l) => l.includes('proxy_')).every((l) => /^\s+proxy_/.test(l)), 'the body is indented inside the location');
});

step("orchestrator.conf's TLS block is coloured by the kasmlint grammar", async () => {
  await openFile('orchestrator.conf', 'kasm');
  const directive = tokenOf('ssl_protocols', 'ssl_protocols');
  await directive.click();
  const [directiveColour, plainColour] = await Promise.all([
    directive.evaluate((e) => getComputedStyle(e).color),
    tokenOf('ssl_protocols', /TLSv1\.2/).evaluate((e) => getComputedStyle(e).color),
  ]);
  const editorColour = await page().locator('.monaco-editor .view-lines').first().evaluate((e) => getComputedStyle(e).color);
  assert.notEqual(directiveColour, editorColour, 'ssl_protocols is coloured');
  assert.notEqual(directiveColour, plainColour, 'directive and argument are told apart');
  await command('Developer: Inspect Editor Tokens and Scopes');
  const inspector = page().locator('.token-inspect-widget');
  await inspector.waitFor();
  const scopes = await inspector.innerText();
  assert.match(scopes, /keyword\.other\.directive\.nginx/);
  assert.match(scopes, /source\.nginx/);
});

step('a cloudflared tunnel config gets its findings and key hovers', async () => {
  await openFile('config.yml', 'cloudflared');
  const want = asProblems(expected, tunnelConfig).sort(byPosition);
  assert.deepEqual(
    want.map((p) => p.rule),
    ['cloudflared/unknown-key', 'cloudflared/catch-all'],
  );
  assert.deepEqual((await problemsOf('config.yml', want.length)).sort(byPosition), want);
  const hover = await hoverOver(tokenOf('credentials-file', 'credentials-file'), 'credentials-file');
  assert.match(await hover.innerText(), /The tunnel's credentials JSON \(from cloudflared tunnel create\)/);
});
