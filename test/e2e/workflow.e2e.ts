// The hardening workflow in a real VS Code (code-server, see support.ts) on a copy of the stock Kasm
// tree: the checklist view lists the guide's steps as the engine evaluates them, a step's fix button
// applies that step (the files on disk are what the engine's step fix produces), and "kasmlint:
// Validate with nginx" runs the real nginx (Debian's, from the user's kasmlint.nginxPath) and puts its
// own error into the Problems panel at its file and line. Expectations come from the engine run on the
// same files.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { checklistOf, fixStepInMemory, type Checklist } from '../../server/src/kasm/checklist';
import { validate } from '../../server/src/validate/validate';
import { host } from '../support/engine';
import { copyKasmFixture } from '../support/kasm';
import { NGINX } from '../support/nginx';
import { assertEventually, command, launch, page, shutdown, step } from './support';

const scratch = mkdtempSync(join(tmpdir(), 'kasmlint-e2e-workflow-'));
const workspace = join(scratch, 'workspace');
const kasm = join(workspace, 'kasm');

let expected: Checklist;
/** The engine's fix of the Referrer-Policy step: the new text of each file. */
let referrerFix: Map<string, string>;

before(async () => {
  copyKasmFixture(kasm);
  expected = checklistOf([workspace], { host }).checklist;
  referrerFix = fixStepInMemory('referrer-policy', [workspace], { host }).texts;
  // Program paths are machine-scoped settings: the user's own (here the remote user's, as code-server keeps them).
  const programs = { 'kasmlint.nginxPath': NGINX, 'kasmlint.dockerPath': join(scratch, 'no-docker-here') };
  mkdirSync(join(scratch, 'user-data/Machine'), { recursive: true });
  writeFileSync(join(scratch, 'user-data/Machine/settings.json'), JSON.stringify(programs));
  await launch({ scratch, workspace, name: 'workflow', settings: programs });
});

after(async () => {
  await shutdown();
  rmSync(scratch, { recursive: true, force: true });
});

const view = () => page().locator('.pane', { has: page().locator('.pane-header', { hasText: 'Kasm Hardening' }) });
const rowOf = (title: string) => view().locator('.monaco-list-row', { has: page().locator('.label-name', { hasText: new RegExp(`^${title}$`) }) });

step('the checklist view lists the steps of the guide as the engine sees them, and the status bar counts the open ones', async () => {
  assert.equal(expected.open, 8);
  const status = page().locator('.statusbar-item', { hasText: `${expected.open} open` });
  await status.waitFor();
  await status.click();
  await view().locator('.monaco-list-row').first().waitFor();
  // The Explorer's own folder tree takes the height the list needs (it only renders the rows in sight).
  await page().locator('.pane-header', { hasText: /^Workspace/i }).first().click();
  await assertEventually(async () => (await view().locator('.monaco-list-row').count()) === expected.steps.length, () => `${expected.steps.length} rows`);
  const rows = await view().locator('.monaco-list-row').evaluateAll((els) =>
    els.map((e) => ({ title: e.querySelector('.label-name')?.textContent ?? '', summary: e.querySelector('.label-description')?.textContent ?? '' })),
  );
  assert.deepEqual(
    rows,
    expected.steps.map((s) => ({ title: s.title, summary: s.summary })),
  );
});

step("a step's fix button applies the step: the files saved are the engine's fix, and the row turns done", async () => {
  const row = rowOf('Referrer-Policy');
  const toast = page().locator('.notification-toast', { hasText: 'Referrer-Policy' });
  // The view refreshes when it is shown (the step before opened it): a click on a row it renders again
  // meanwhile reaches nothing (seen once in CI, the button's tooltip up and no command run). The fix is
  // idempotent, so a click that did run and is repeated changes nothing more.
  for (let attempt = 0; ; attempt++) {
    await row.hover();
    await row.locator('.action-label[aria-label="Apply this step\'s fix"]').click();
    try {
      await toast.waitFor({ timeout: 10_000 });
      break;
    } catch (error) {
      if (attempt === 2) throw error;
    }
  }
  await command('File: Save All');
  for (const [file, text] of referrerFix) {
    await assertEventually(async () => readFileSync(file, 'utf8') === text, () => `${file} saved with the step's fix:\n${readFileSync(file, 'utf8')}`);
  }
  await assertEventually(
    async () => ((await rowOf('Referrer-Policy').locator('.label-description').textContent()) ?? '').startsWith('done'),
    () => 'the Referrer-Policy row to say done',
  );
  await page().locator('.statusbar-item', { hasText: `${expected.open - 1} open` }).waitFor();
});

step("kasmlint: Validate with nginx puts nginx's own error into the Problems panel, at its file and line", async () => {
  // What the real nginx says about the files as they are now (the previous step saved a fix in them).
  const validation = await validate(workspace, { host, nginx: NGINX, useDocker: false });
  const nginxError = validation.messages.find((m) => m.severity === 'error')!;
  assert.equal(nginxError.message, 'duplicate location "/rpc"');
  await command('kasmlint: Validate with nginx');
  await command('View: Focus Problems');
  const file = nginxError.file!.split('/').pop()!;
  await page().locator('.markers-panel-action-filter input, .viewpane-filter input').first().fill(file);
  const rows = page().locator('.markers-panel .monaco-list-row');
  // nginx's row, beside kasmlint's own finding of the same duplicate (source kasmlint, code nginx/duplicate-location).
  const nginxRow = async () => (await rows.allInnerTexts()).find((t) => t.startsWith(`${nginxError.message}\nnginx -t\n`));
  await assertEventually(async () => (await nginxRow()) !== undefined, () => "a Problems row whose source is nginx -t");
  assert.match((await nginxRow())!, new RegExp(`\\[Ln ${nginxError.line}, Col \\d+\\]$`));
});
