// The real Kasm Workspaces 1.16.1 tree: kasmlint must read every file, raise no false nginx/* finding,
// and find the one real problem (`location /rpc` in two services.d files) exactly as nginx -t does.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { describe, lint, ourVerdict } from '../support/engine';
import { copyKasmFixture, KASM_FIXTURE, prepareKasmTreeForNginx } from '../support/kasm';
import { nginxTest, nginxVersion } from '../support/nginx';

test('the Kasm tree is read as Kasm reads it: services.d inside the servers of orchestrator.conf and orchestrator_http.conf', () => {
  const run = lint([KASM_FIXTURE]);
  assert.equal(run.analyses.length, 1);
  const { model, project } = run.analyses[0]!;
  assert.equal(project.kind, 'kasm');
  assert.equal(run.files.length, 23);
  const website = join(KASM_FIXTURE, 'services.d/website.conf');
  const contexts = model.instances(website).map((i) => `${i.block.context} ${basename(i.via!.file.path)}`);
  assert.deepEqual(contexts, ['http.server orchestrator.conf', 'http.server orchestrator_http.conf']);
  assert.equal(model.instances(join(KASM_FIXTURE, 'upstream_api.conf'))[0]!.block.context, 'http');
});

test('no false nginx/* finding; the duplicate /rpc location is found where nginx finds it', () => {
  const findings = lint([KASM_FIXTURE]).findings.filter((f) => f.rule.startsWith('nginx/'));
  assert.deepEqual(
    findings.map((f) => `${f.rule} ${basename(f.file)}:${f.range.start.line + 1} ${f.message.split(':')[0]}`),
    ['nginx/duplicate-location rdp_https_gateway_webapp.conf:28 duplicate location "/rpc"'],
  );
});

test('nginx -t on the real tree: same verdict, same file, same line', () => {
  const version = nginxVersion();
  const real = nginxTest(prepareKasmTreeForNginx(KASM_FIXTURE).mainConf);
  const ours = ourVerdict(KASM_FIXTURE, version);
  assert.equal(real.ok, false, real.output);
  assert.equal(describe(ours), describe(real));
});

test('without one of the two rdp_https_gateway files, nginx -t accepts the tree and so does kasmlint', () => {
  const real = nginxTest(prepareKasmTreeForNginx(KASM_FIXTURE, ['services.d/rdp_https_gateway_webapp.conf']).mainConf);
  assert.equal(real.ok, true, real.output);
  const copy = mkdtempSync(join(tmpdir(), 'kasmlint-kasm-copy-'));
  copyKasmFixture(copy);
  rmSync(join(copy, 'services.d/rdp_https_gateway_webapp.conf'));
  assert.deepEqual(ourVerdict(copy, nginxVersion()), { ok: true });
  assert.deepEqual(lint([copy]).findings.filter((f) => f.rule.startsWith('nginx/')), []);
});
