// What every end-to-end file shares: a real VS Code (code-server 4.100.3, VS Code 1.100.3, Node
// extension host) with the packaged extension installed, opened on a workspace and driven through
// Chromium by playwright-core as a user would drive it, and the steps a user takes (commands, files,
// hovers, the Problems panel). Each *.e2e.ts file is its own process with its own code-server, so
// module state here belongs to one file. A screenshot of each step is kept under ARTIFACTS/<file>.

import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Finding } from '../../server/src/engine/findings';

export const ROOT = resolve(__dirname, '../../..');
const CODE_SERVER = process.env.KASMLINT_CODE_SERVER_DIR ?? join(process.env.HOME ?? '/root', '.cache/kasmlint-tools/code-server-4.100.3');
const ENTRY = join(CODE_SERVER, 'node_modules/code-server/out/node/entry.js');
const VSIX = join(ROOT, 'dist/kasmlint.vsix');
export const ARTIFACTS = resolve(process.env.KASMLINT_E2E_ARTIFACTS ?? join(ROOT, 'artifacts/e2e'));
const CHROMIUM = process.env.KASMLINT_CHROMIUM ?? '/usr/lib/chromium/chromium';
const STEP_TIMEOUT = 60_000;

let server: ChildProcess | undefined;
let serverLog = '';
let browser: Browser | undefined;
let current: Page | undefined;
let shots = '';
let shot = 0;

/** The page of the running VS Code (after `launch`). */
export function page(): Page {
  if (!current) throw new Error('code-server is not running: call launch() in before()');
  return current;
}

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

export interface LaunchOptions {
  /** A fresh folder of this run (mkdtemp) for code-server's user data and extensions. */
  scratch: string;
  /** The folder VS Code opens. */
  workspace: string;
  /** Names this file's screenshot folder under ARTIFACTS. */
  name: string;
  /** User settings on top of those that keep the workbench quiet. */
  settings?: Record<string, unknown>;
}

/** Installs the packaged extension into a new code-server, starts it on a free port and opens the workspace in Chromium. */
export async function launch(options: LaunchOptions): Promise<Page> {
  shots = join(ARTIFACTS, options.name);
  rmSync(shots, { recursive: true, force: true });
  mkdirSync(shots, { recursive: true });
  const userData = join(options.scratch, 'user-data');
  const extensions = join(options.scratch, 'extensions');
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
      ...options.settings,
    }),
  );
  const installed = execFileSync(process.execPath, [ENTRY, '--user-data-dir', userData, '--extensions-dir', extensions, '--install-extension', VSIX], { encoding: 'utf8' });
  assert.match(installed, /Extension 'kasmlint\.vsix' was successfully installed/);

  const port = await freePort();
  server = spawn(
    process.execPath,
    [ENTRY, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--user-data-dir', userData, '--extensions-dir', extensions, options.workspace],
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
  current = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  current.setDefaultTimeout(30_000);
  await current.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(options.workspace)}`);
  await current.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await current.locator('.explorer-folders-view').waitFor({ timeout: 60_000 });
  return current;
}

/** Stops Chromium and code-server; prints code-server's log when a step failed. */
export async function shutdown(): Promise<void> {
  await browser?.close();
  server?.kill();
  if (process.exitCode) console.error(`code-server's log:\n${serverLog}`);
}

async function screenshot(name: string): Promise<void> {
  shot += 1;
  await page().screenshot({ path: join(shots, `${String(shot).padStart(2, '0')}-${name}.png`) });
}

/** A step of the scenario: a test whose screenshot is kept, whether it passes or fails. */
export function step(name: string, body: () => Promise<void>): void {
  test(name, { timeout: STEP_TIMEOUT }, async () => {
    try {
      await body();
    } finally {
      await screenshot(name.replace(/[^a-z0-9]+/gi, '-').toLowerCase().replace(/^-|-$/g, '')).catch(() => undefined);
    }
  });
}

export async function command(title: string): Promise<void> {
  const p = page();
  await p.keyboard.press('Control+Shift+P');
  await p.locator('.quick-input-widget input').waitFor();
  await p.keyboard.type(title);
  await p.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().click();
}

export async function openFile(name: string, folder: string): Promise<void> {
  const p = page();
  await p.keyboard.press('Control+P');
  await p.locator('.quick-input-widget input').waitFor();
  await p.keyboard.type(name);
  await p.locator('.quick-input-list .monaco-list-row', { hasText: name }).filter({ hasText: folder }).first().click();
  await p.locator('.tab.active', { hasText: name }).waitFor();
  await p.locator('.monaco-editor .view-line').first().waitFor();
}

/** The token of the visible editor line containing `lineText` whose text is `token`. */
export function tokenOf(lineText: string, token: string | RegExp) {
  return page()
    .locator('.monaco-editor .view-line', { hasText: lineText })
    .first()
    .locator('span > span', { hasText: typeof token === 'string' ? new RegExp(`^${token.replace(/[$.]/g, '\\$&')}$`) : token })
    .first();
}

/** Moves the pointer onto a token as a user would; returns the hover that appears, holding `text`. */
export async function hoverOver(token: ReturnType<typeof tokenOf>, text: string) {
  const p = page();
  await command('View: Focus Active Editor Group');
  const box = (await token.boundingBox())!;
  await p.mouse.move(box.x + 1, box.y + 1);
  await p.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
  const hover = p.locator('.monaco-hover-content', { hasText: text });
  await hover.waitFor();
  return hover;
}

export interface ProblemRow {
  severity: string;
  rule: string;
  line: number;
  column: number;
  message: string;
}

/**
 * The rows of the Problems panel under one file name; related-information rows left out. The panel's
 * filter matches names as substrings (agent.conf also lists upstream_agent.conf), so the rows are read
 * from this file's group, in the list's own order (data-index). The panel re-renders when diagnostics
 * are published again (opening a file sends its diagnostics with the document's version): each reading
 * takes every row in one snapshot of the page, and a reading counts once the next one agrees with it.
 */
export async function problemsOf(fileName: string, count: number): Promise<ProblemRow[]> {
  const p = page();
  await command('View: Focus Problems');
  const filter = p.locator('.markers-panel-action-filter input, .viewpane-filter input').first();
  await filter.fill(fileName);
  const all = p.locator('.markers-panel .monaco-list-row');
  const read = async (): Promise<{ rows: ProblemRow[]; files: string[] }> => {
    const listed = await all.evaluateAll((els) =>
      els.map((e) => ({
        index: Number(e.getAttribute('data-index')),
        file: / in file (.*) of folder /.exec(e.getAttribute('aria-label') ?? '')?.[1],
        icon: e.querySelector('.marker-icon')?.getAttribute('class') ?? undefined,
        // innerText, as a user reads it (the DOM's types are not this project's: a structural view)
        rule: (e.querySelector('.marker-code') as unknown as { innerText: string } | null)?.innerText ?? '',
        position: (e.querySelector('.marker-line') as unknown as { innerText: string } | null)?.innerText ?? '',
        message: (e.querySelector('.marker-message') as unknown as { innerText: string } | null)?.innerText ?? '',
      })),
    );
    listed.sort((a, b) => a.index - b.index);
    const rows: ProblemRow[] = [];
    const files: string[] = [];
    let inFile = false;
    for (const row of listed) {
      if (row.file !== undefined) {
        files.push(row.file);
        inFile = row.file === fileName;
      } else if (inFile && row.icon !== undefined) {
        const [, line, column] = /\[Ln (\d+), Col (\d+)\]/.exec(row.position) ?? [];
        // the icon's classes: marker-icon, the severity, and quickFix while the panel shows a row's light bulb
        const severity = row.icon.split(/\s+/).filter((c: string) => c !== 'marker-icon' && c !== 'quickFix').join(' ');
        rows.push({ severity, rule: row.rule, line: Number(line), column: Number(column), message: row.message });
      }
    }
    return { rows, files };
  };
  let seen = '';
  let previous = '';
  let result: ProblemRow[] = [];
  await assertEventually(
    async () => {
      // the panel may drop a filter typed while it was still opening (seen once in CI: all files listed)
      if ((await filter.inputValue()) !== fileName) await filter.fill(fileName);
      const { rows, files } = await read();
      const now = JSON.stringify(rows);
      seen = `${rows.length} rows for it, files ${JSON.stringify(files)}, filter "${await filter.inputValue()}"`;
      const settled = files.includes(fileName) && rows.length === count && now === previous;
      previous = now;
      result = rows;
      return settled;
    },
    () => `${count} problems listed for ${fileName}, the same on two readings in a row (the panel shows ${seen})`,
  );
  return result;
}

export async function assertEventually(probe: () => Promise<boolean>, what: () => string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for: ${what()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** What the Problems panel shows of our findings: everything but hints, with VS Code's severity names. */
export function asProblems(findings: readonly Finding[], file: string): ProblemRow[] {
  const icon = { error: 'error', warning: 'warning', information: 'info', hint: 'hint' } as const;
  return findings
    .filter((f) => f.file === file && f.severity !== 'hint')
    .map((f) => ({ severity: icon[f.severity], rule: f.rule, line: f.range.start.line + 1, column: f.range.start.character + 1, message: f.message }));
}

export const byPosition = (a: { line: number; column: number; rule: string }, b: { line: number; column: number; rule: string }) =>
  a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule);
