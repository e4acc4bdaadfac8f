// The packaged extension in a real VS Code: code-server 4.100.3 (VS Code 1.100.3, Node extension host),
// driven through Chromium by playwright-core as a user would drive it. Run by `npm run test:e2e`
// (scripts/test-e2e.sh installs code-server and builds the .vsix first), also by .ci/run.
// Every expectation about findings and fixes comes from the engine run on the same files: the editor
// must show what kasmlint computes, and a screenshot of each step is kept under ARTIFACTS.

import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { applyTextEdits } from '../../server/src/engine/fix';
import type { Finding } from '../../server/src/engine/findings';
import { lint } from '../support/engine';
import { copyKasmFixture } from '../support/kasm';

// Called inside the page (by evaluate), where the DOM's global exists; this file is compiled without the DOM library.
declare const getComputedStyle: (element: unknown) => { color: string };

const ROOT = resolve(__dirname, '../../..');
const CODE_SERVER = process.env.KASMLINT_CODE_SERVER_DIR ?? join(process.env.HOME ?? '/root', '.cache/kasmlint-tools/code-server-4.100.3');
const ENTRY = join(CODE_SERVER, 'node_modules/code-server/out/node/entry.js');
const VSIX = join(ROOT, 'dist/kasmlint.vsix');
export const ARTIFACTS = resolve(process.env.KASMLINT_E2E_ARTIFACTS ?? join(ROOT, 'artifacts/e2e'));
const CHROMIUM = process.env.KASMLINT_CHROMIUM ?? '/usr/lib/chromium/chromium';
const STEP_TIMEOUT = 60_000;

const scratch = join(tmpdir(), `kasmlint-e2e-${process.pid}`);
const workspace = join(scratch, 'workspace');
const kasm = join(workspace, 'kasm');
const tunnelConfig = join(workspace, 'cloudflared/config.yml');
const extraConf = join(kasm, 'services.d/desktop.conf');

let server: ChildProcess | undefined;
let serverLog = '';
let browser: Browser | undefined;
let page: Page;
let shot = 0;
/** The engine's findings on the untouched workspace. */
let expected: Finding[] = [];

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolvePort(port));
    });
  });
}

async function screenshot(name: string): Promise<void> {
  shot += 1;
  await page.screenshot({ path: join(ARTIFACTS, `${String(shot).padStart(2, '0')}-${name}.png`) });
}

/** A step of the scenario: a test whose screenshot is kept, whether it passes or fails. */
function step(name: string, body: () => Promise<void>): void {
  test(name, { timeout: STEP_TIMEOUT }, async () => {
    try {
      await body();
    } finally {
      await screenshot(name.replace(/[^a-z0-9]+/gi, '-').toLowerCase().replace(/^-|-$/g, '')).catch(() => undefined);
    }
  });
}

async function command(title: string): Promise<void> {
  await page.keyboard.press('Control+Shift+P');
  await page.locator('.quick-input-widget input').waitFor();
  await page.keyboard.type(title);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().click();
}

async function openFile(name: string, folder: string): Promise<void> {
  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget input').waitFor();
  await page.keyboard.type(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).filter({ hasText: folder }).first().click();
  await page.locator('.tab.active', { hasText: name }).waitFor();
  await page.locator('.monaco-editor .view-line').first().waitFor();
}

/** The token of the visible editor line containing `lineText` whose text is `token`. */
function tokenOf(lineText: string, token: string | RegExp) {
  return page
    .locator('.monaco-editor .view-line', { hasText: lineText })
    .first()
    .locator('span > span', { hasText: typeof token === 'string' ? new RegExp(`^${token.replace(/[$.]/g, '\\$&')}$`) : token })
    .first();
}

/** Moves the pointer onto a token as a user would; returns the hover that appears, holding `text`. */
async function hoverOver(token: ReturnType<typeof tokenOf>, text: string) {
  await command('View: Focus Active Editor Group');
  const box = (await token.boundingBox())!;
  await page.mouse.move(box.x + 1, box.y + 1);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
  const hover = page.locator('.monaco-hover-content', { hasText: text });
  await hover.waitFor();
  return hover;
}

interface ProblemRow {
  severity: string;
  rule: string;
  line: number;
  column: number;
  message: string;
}

/** The rows of the Problems panel, filtered to one file name; related-information rows left out. */
async function problemsOf(fileName: string, count: number): Promise<ProblemRow[]> {
  await command('View: Focus Problems');
  const filter = page.locator('.markers-panel-action-filter input, .viewpane-filter input').first();
  await filter.fill(fileName);
  const rows = page.locator('.markers-panel .monaco-list-row').filter({ has: page.locator('.marker-icon') });
  // The panel applies a new filter a moment later: wait until the only file it lists is this one.
  const files = page.locator('.markers-panel .monaco-list-row[aria-label*=" in file "]');
  const listed = async () => (await files.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''))).map((l) => / in file (.*) of folder /.exec(l)?.[1]);
  await assertEventually(
    async () => JSON.stringify(await listed()) === JSON.stringify([fileName]) && (await rows.count()) === count,
    () => `${count} problems listed for ${fileName} alone`,
  );
  const result: ProblemRow[] = [];
  for (const row of await rows.all()) {
    const severity = (await row.locator('.marker-icon').getAttribute('class'))!.replace('marker-icon', '').trim();
    const [, line, column] = /\[Ln (\d+), Col (\d+)\]/.exec(await row.locator('.marker-line').innerText())!;
    result.push({ severity, rule: await row.locator('.marker-code').innerText(), line: Number(line), column: Number(column), message: await row.locator('.marker-message').innerText() });
  }
  return result;
}

async function assertEventually(probe: () => Promise<boolean>, what: () => string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for: ${what()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** What the Problems panel shows of our findings: everything but hints, with VS Code's severity names. */
function asProblems(findings: readonly Finding[], file: string): ProblemRow[] {
  const icon = { error: 'error', warning: 'warning', information: 'info', hint: 'hint' } as const;
  return findings
    .filter((f) => f.file === file && f.severity !== 'hint')
    .map((f) => ({ severity: icon[f.severity], rule: f.rule, line: f.range.start.line + 1, column: f.range.start.character + 1, message: f.message }));
}

const byPosition = (a: { line: number; column: number; rule: string }, b: { line: number; column: number; rule: string }) =>
  a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule);

before(async () => {
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
  rmSync(scratch, { recursive: true, force: true });
  copyKasmFixture(kasm);
  mkdirSync(join(workspace, 'cloudflared'), { recursive: true });
  cpSync(join(ROOT, 'examples/cloudflared/config.yml'), tunnelConfig);
  writeFileSync(extraConf, '');
  expected = lint([workspace]).findings;

  const userData = join(scratch, 'user-data');
  const extensions = join(scratch, 'extensions');
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(
    join(userData, 'User/settings.json'),
    JSON.stringify({
      'security.workspace.trust.enabled': false,
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'telemetry.telemetryLevel': 'off',
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'update.mode': 'none',
      'chat.disableAIFeatures': true,
      // Overlays that would cover the lines the steps click on.
      'editor.stickyScroll.enabled': false,
      'editor.minimap.enabled': false,
    }),
  );
  const installed = execFileSync(process.execPath, [ENTRY, '--user-data-dir', userData, '--extensions-dir', extensions, '--install-extension', VSIX], { encoding: 'utf8' });
  assert.match(installed, /Extension 'kasmlint\.vsix' was successfully installed/);

  const port = await freePort();
  server = spawn(
    process.execPath,
    [ENTRY, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--user-data-dir', userData, '--extensions-dir', extensions, workspace],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  server.stdout!.on('data', (d) => (serverLog += d));
  server.stderr!.on('data', (d) => (serverLog += d));
  await assertEventually(async () => serverLog.includes('HTTP server listening'), () => `code-server to listen:\n${serverLog}`);

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(30_000);
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.locator('.explorer-folders-view').waitFor({ timeout: 60_000 });
});

after(async () => {
  await browser?.close();
  server?.kill();
  if (process.exitCode) console.error(`code-server's log:\n${serverLog}`);
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
  await page.mouse.move(5, 450);
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
  const bulb = page.locator('.lightBulbWidget');
  await bulb.waitFor();
  await bulb.click();
  const menu = page.locator('.action-widget');
  await menu.waitFor();
  await assertEventually(async () => (await menu.locator('.monaco-list-row.action').count()) > 1, () => 'the quick fixes');
  const titles = await menu.locator('.monaco-list-row.action').allInnerTexts();
  assert.deepEqual(titles.slice(0, finding.fixes.length), finding.fixes.map((x) => x.title));
  // The action list lets keyboard and pointer focus move over its rows; Enter applies the focused one.
  for (let i = 0; i < titles.length && !(await menu.locator('.monaco-list-row.action.focused').innerText()).includes(fix.title); i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
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
  await page.locator('.monaco-editor textarea').first().focus();
  await page.keyboard.type('kasm-websocket-loc');
  const suggestion = page.locator('.suggest-widget .monaco-list-row', { hasText: 'kasm-websocket-location' }).first();
  await suggestion.waitFor();
  await suggestion.click();
  await page.keyboard.type('/desktop/');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+S');
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
  const editorColour = await page.locator('.monaco-editor .view-lines').first().evaluate((e) => getComputedStyle(e).color);
  assert.notEqual(directiveColour, editorColour, 'ssl_protocols is coloured');
  assert.notEqual(directiveColour, plainColour, 'directive and argument are told apart');
  await command('Developer: Inspect Editor Tokens and Scopes');
  const inspector = page.locator('.token-inspect-widget');
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
