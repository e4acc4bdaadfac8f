// The hardening workflow over LSP, as any editor can use it: kasmlint/checklist (open editors' texts
// win over the disk), kasmlint/checklistFix (one workspace/applyEdit), kasmlint/validate (the real
// nginx; messages at URIs and whole-line ranges) and kasmlint/restartProxy (refused without a clean
// validation inside the container).

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { applyTextEdits } from '../../server/src/engine/fix';
import { checklistOf, fixStepInMemory } from '../../server/src/kasm/checklist';
import { host } from '../support/engine';
import { copyKasmFixture } from '../support/kasm';
import { LspClient, uri } from '../support/lsp-client';
import { NGINX } from '../support/nginx';

interface Step {
  id: string;
  state: string;
  summary: string;
  where: Array<{ uri: string; rule: string }>;
}

describe('the hardening workflow through the language server', () => {
  let client: LspClient;
  let dir: string;
  let website: string;

  before(async () => {
    dir = copyKasmFixture(join(mkdtempSync(join(tmpdir(), 'kasmlint-lsp-workflow-')), 'kasm'));
    website = join(dir, 'services.d/website.conf');
    client = new LspClient();
    // The editor turns the rule off: the checklist still asks it (a step is the guide's, not a severity).
    client.settings = { rules: { 'headers/referrer-policy': 'off' } };
    await client.initialize(dir);
  });
  after(() => client.shutdown());

  test('kasmlint/checklist: the steps as the engine evaluates them, with an open editor\'s unsaved text', async () => {
    const steps = (await client.request<{ steps: Step[]; open: number }>('kasmlint/checklist', {})).steps;
    const engine = checklistOf([dir], { host }).checklist.steps;
    assert.deepEqual(
      steps.map((s) => [s.id, s.state, s.summary]),
      engine.map((s) => [s.id, s.state, s.summary]),
    );
    assert.ok(steps.find((s) => s.id === 'referrer-policy')!.where.every((w) => w.uri.startsWith('file://')));

    const text = readFileSync(website, 'utf8').replace("add_header      'X-Content-Type-Options' 'nosniff';", "add_header      'X-Content-Type-Options' 'nosniff';\n        add_header X-Frame-Options SAMEORIGIN always;");
    await client.open(website, text);
    await client.waitForDiagnostics(uri(website));
    const after = (await client.request<{ steps: Step[] }>('kasmlint/checklist', {})).steps.find((s) => s.id === 'x-frame-options')!;
    assert.equal(after.state, 'partly');
    assert.ok(!after.where.some((w) => w.uri === uri(website)), 'website.conf sends X-Frame-Options in the editor');
    await client.close(website);
  });

  test('kasmlint/checklistFix: the step applied as one workspace edit, the same as the engine\'s', async () => {
    client.appliedEdits.length = 0;
    const result = await client.request<{ applied: number; files: number }>('kasmlint/checklistFix', { step: 'referrer-policy' });
    const expected = fixStepInMemory('referrer-policy', [dir], { host }).texts;
    assert.equal(result.files, expected.size);
    assert.equal(client.appliedEdits.length, 1);
    const edit = client.appliedEdits[0] as WorkspaceEdit;
    const changes = edit.documentChanges as Array<{ textDocument: { uri: string }; edits: TextEdit[] }>;
    for (const [file, text] of expected) {
      const edits = changes.filter((c) => c.textDocument.uri === uri(file)).flatMap((c) => c.edits);
      assert.equal(applyTextEdits(readFileSync(file, 'utf8'), edits.map((e) => ({ file, range: e.range, newText: e.newText }))), text, file);
    }
    assert.deepEqual(await client.request('kasmlint/checklistFix', { step: 'no-such-step' }), { applied: 0, files: 0, failure: 'no step "no-such-step"' });
  });

  test('kasmlint/validate: the real nginx, its error at the file and the whole line; no restart after it', async () => {
    const result = await client.request<{ mode: string; ok: boolean; messages: Array<{ severity: string; message: string; uri?: string; range?: { start: { line: number; character: number }; end: { line: number; character: number } } }> }>(
      'kasmlint/validate',
      { uri: uri(website), nginx: NGINX, docker: join(dir, 'no-docker-here') },
    );
    assert.equal(result.mode, 'local');
    assert.equal(result.ok, false);
    const error = result.messages.find((m) => m.severity === 'error')!;
    const webapp = join(dir, 'services.d/rdp_https_gateway_webapp.conf');
    assert.equal(error.message, 'duplicate location "/rpc"');
    assert.equal(error.uri, uri(webapp));
    const line = readFileSync(webapp, 'utf8').split('\n')[error.range!.start.line]!;
    assert.match(line, /location \/rpc/);
    assert.deepEqual(error.range, { start: { line: 27, character: line.search(/\S/) }, end: { line: 27, character: line.trimEnd().length } });

    const restart = await client.request<{ ok: boolean; output: string }>('kasmlint/restartProxy', { uri: uri(website), nginx: NGINX, docker: join(dir, 'no-docker-here') });
    assert.equal(restart.ok, false);
    assert.match(restart.output, /only after nginx -t accepted the configuration inside it/);
  });
});
