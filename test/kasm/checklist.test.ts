// The hardening checklist: on the stock Kasm tree, after each step's fix, and after all of them (every
// step done, the steps' rules silent, and the real nginx -t accepting the result). Expectations about
// what is open come from the rules themselves, run on the same files.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { checklistOf, CHECKLIST_RULES, fixStepInMemory, STEPS, type StepState } from '../../server/src/kasm/checklist';
import { makeCertificate } from '../support/certs';
import { host, lint } from '../support/engine';
import { copyKasmFixture, kasmCompose, kasmInstall, prepareKasmTreeForNginx } from '../support/kasm';
import { nginxTest } from '../support/nginx';

/** A CA that still runs an OCSP responder: stapling can work (tls/stapling reports certificates naming none). */
const OCSP = 'http://127.0.0.1:9/ocsp';

const states = (paths: string[]) => Object.fromEntries(checklistOf(paths, { host }).checklist.steps.map((s) => [s.id, s.state])) as Record<string, StepState>;

function applyStep(step: string, paths: string[]): number {
  const { texts, applied } = fixStepInMemory(step, paths, { host });
  for (const [file, text] of texts) writeFileSync(file, text);
  return applied;
}

const CLI = join(__dirname, '../../../dist/kasmlint.js');

/** The built CLI, in its own process, as users run it. */
function cli(args: string[], cwd: string): { status: number; out: string; err: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: result.status ?? -1, out: result.stdout, err: result.stderr };
}

test('the stock tree: every step of the guide open but CORS partly, the certificates unknown (not beside the tree), no front proxy or tunnel', () => {
  const dir = copyKasmFixture(join(mkdtempSync(join(tmpdir(), 'kasmlint-checklist-')), 'kasm'));
  const { checklist } = checklistOf([dir], { host });
  assert.deepEqual(Object.fromEntries(checklist.steps.map((s) => [s.id, s.state])), {
    'x-frame-options': 'not-done',
    'content-security-policy': 'not-done',
    'cross-origin-embedder-policy': 'not-done',
    tls: 'not-done',
    dhparam: 'not-done',
    certificates: 'unknown',
    'referrer-policy': 'not-done',
    'rate-limiting': 'not-done',
    cors: 'partly',
    'front-proxy-websocket': 'not-applicable',
    cloudflared: 'not-applicable',
  });
  assert.equal(checklist.open, 8);
  // Where a step is open is where its rules report: the same findings, not a second opinion.
  const findings = lint([dir]).findings;
  for (const step of checklist.steps) {
    const definition = STEPS.find((s) => s.id === step.id)!;
    const expected = findings.filter((f) => definition.rules.includes(f.rule) && (!definition.minSeverity || f.severity !== 'hint'));
    if (step.id === 'dhparam' || step.id === 'certificates') continue; // they share kasm/compose-volume, silent here
    assert.deepEqual(
      step.where.map((w) => `${w.file}:${w.range.start.line} ${w.rule}`).sort(),
      expected.map((f) => `${f.file}:${f.range.start.line} ${f.rule}`).sort(),
      step.id,
    );
  }
  const cors = checklist.steps.find((s) => s.id === 'cors')!;
  assert.deepEqual(cors.places, { total: 4, open: 3 });
  assert.match(checklist.steps.find((s) => s.id === 'certificates')!.summary, /cannot read \/etc\/ssl\/certs\/kasm_nginx\.crt/);
  assert.equal(checklist.steps.find((s) => s.id === 'x-frame-options')!.fix?.applicability, 'unsafe');
  assert.equal(checklist.steps.find((s) => s.id === 'referrer-policy')!.fix?.applicability, 'safe');
});

test("a rule switched off in .kasmlintrc.json does not make its step done: the checklist asks the guide's question", () => {
  const dir = copyKasmFixture(join(mkdtempSync(join(tmpdir(), 'kasmlint-checklist-')), 'kasm'));
  writeFileSync(join(dir, '.kasmlintrc.json'), '{ "rules": { "headers/x-frame-options": "off", "headers/referrer-policy": "hint" } }');
  assert.equal(lint([dir]).findings.filter((f) => f.rule === 'headers/x-frame-options').length, 0);
  const { checklist } = checklistOf([dir], { host });
  const xfo = checklist.steps.find((s) => s.id === 'x-frame-options')!;
  assert.equal(xfo.state, 'not-done');
  assert.equal(checklist.steps.find((s) => s.id === 'referrer-policy')!.where[0]!.severity, 'information', "the rule's own severity");
});

test("each step's fix does that step in a Kasm install, leaves the others as they were, and nginx -t accepts the result", () => {
  const certificate = makeCertificate({ cn: 'kasm.example.com', ocsp: OCSP });
  const before = states([kasmInstall({ certificate, dhparam: true }).tree]);
  assert.deepEqual(
    Object.entries(before).filter(([, s]) => s === 'not-done' || s === 'partly').map(([id]) => id),
    ['x-frame-options', 'content-security-policy', 'cross-origin-embedder-policy', 'tls', 'dhparam', 'referrer-policy', 'rate-limiting', 'cors'],
  );
  assert.equal(before.certificates, 'done', 'a CA-signed certificate for the server_name, mounted by the stock compose file');
  for (const step of STEPS.filter((s) => before[s.id] === 'not-done' || before[s.id] === 'partly')) {
    const install = kasmInstall({ certificate, dhparam: true });
    assert.ok(applyStep(step.id, [install.tree]) > 0, `${step.id}: something to apply`);
    const after = states([install.tree]);
    assert.equal(after[step.id], 'done', `${step.id} after its fix`);
    for (const other of STEPS.filter((s) => s.id !== step.id)) assert.equal(after[other.id], before[other.id], `${other.id} after the fix of ${step.id}`);
    const verdict = nginxTest(prepareKasmTreeForNginx(install.tree).mainConf);
    assert.ok(verdict.ok, `${step.id}: nginx -t: ${verdict.output}`);
  }
});

test('the dhparam step adds ssl_dhparam and the volume the guide shows in docker-compose.yaml', () => {
  const install = kasmInstall({ certificate: makeCertificate({ cn: 'kasm.example.com', ocsp: OCSP }), dhparam: true });
  applyStep('dhparam', [install.tree]);
  assert.match(readFileSync(join(install.tree, 'orchestrator.conf'), 'utf8'), /\n {4}ssl_dhparam \/etc\/ssl\/certs\/dhparam\.pem;\n/);
  assert.equal(readFileSync(install.compose, 'utf8'), kasmCompose(['/opt/kasm/1.16.1/certs/dhparam.pem:/etc/ssl/certs/dhparam.pem']));
});

test('after every fix: all steps done, none of their rules reports anything, and nginx -t accepts the tree', () => {
  const install = kasmInstall({ certificate: makeCertificate({ cn: 'kasm.example.com', ocsp: OCSP }), dhparam: true });
  for (const step of STEPS) applyStep(step.id, [install.tree]);
  const { checklist } = checklistOf([install.tree], { host });
  assert.deepEqual(
    checklist.steps.filter((s) => s.state !== 'done' && s.state !== 'not-applicable').map((s) => `${s.id}: ${s.summary}`),
    [],
  );
  assert.equal(checklist.open, 0);
  assert.deepEqual(lint([install.tree]).findings.filter((f) => CHECKLIST_RULES.has(f.rule)).map((f) => `${f.rule} ${f.message}`), []);
  const verdict = nginxTest(prepareKasmTreeForNginx(install.tree).mainConf);
  assert.ok(verdict.ok, verdict.output);
});

test('the dhparam step stays open until the file exists, and says so', () => {
  const install = kasmInstall({ certificate: makeCertificate({ cn: 'kasm.example.com', ocsp: OCSP }) });
  applyStep('dhparam', [install.tree]);
  const step = checklistOf([install.tree], { host }).checklist.steps.find((s) => s.id === 'dhparam')!;
  // The volume is there now, its source is not: kasm/compose-volume says so, and the step stays open.
  assert.equal(step.state, 'not-done');
  assert.deepEqual(step.where.map((w) => w.rule), ['kasm/compose-volume']);
  assert.match(step.where[0]!.message, /dhparam\.pem, mounted at \/etc\/ssl\/certs\/dhparam\.pem, does not exist/);
});

test('a self-signed certificate keeps the certificates step open; a key of another certificate too', () => {
  const selfSigned = kasmInstall({ certificate: makeCertificate({ cn: 'kasm.example.com', selfSigned: true }) });
  const step = checklistOf([selfSigned.tree], { host }).checklist.steps.find((s) => s.id === 'certificates')!;
  assert.equal(step.state, 'not-done');
  assert.deepEqual(step.where.map((w) => w.rule), ['tls/certificate']);
  assert.equal(step.fix, undefined, 'replacing a certificate is not an edit');
  assert.match(step.manual!, /kasm_nginx\.crt/);

  const mismatched = kasmInstall({ certificate: { crt: makeCertificate({ cn: 'kasm.example.com', ocsp: OCSP }).crt, key: makeCertificate({ cn: 'kasm.example.com', ocsp: OCSP }).key } });
  assert.equal(states([mismatched.tree]).certificates, 'not-done');
});

test('the front proxy and the tunnel: open when they miss what the networking guide asks, done after their fixes', () => {
  const root = mkdtempSync(join(tmpdir(), 'kasmlint-checklist-'));
  copyKasmFixture(join(root, 'kasm'));
  mkdirSync(join(root, 'front'));
  writeFileSync(
    join(root, 'front/nginx.conf'),
    'events {}\nhttp {\n    upstream kasm_backend {\n        server 127.0.0.1:443;\n    }\n    server {\n        listen 8080;\n        location / {\n            proxy_pass https://kasm_backend;\n            proxy_set_header Host $host;\n        }\n    }\n}\n',
  );
  mkdirSync(join(root, 'cloudflared'));
  writeFileSync(
    join(root, 'cloudflared/config.yml'),
    'tunnel: 6ff42ae2-765d-4adf-8112-31c55c1551ef\ncredentials-file: /root/.cloudflared/6ff42ae2-765d-4adf-8112-31c55c1551ef.json\ningress:\n  - hostname: kasm.example.com\n    service: https://localhost:443\n    originRequest:\n      noTLSVerify: true\n',
  );
  const before = checklistOf([root], { host }).checklist;
  assert.deepEqual(before.frontProxies, [join(root, 'front')]);
  assert.equal(before.steps.find((s) => s.id === 'front-proxy-websocket')!.state, 'not-done');
  const tunnel = before.steps.find((s) => s.id === 'cloudflared')!;
  assert.equal(tunnel.state, 'not-done');
  // noTLSVerify on loopback is what the networking guide prescribes (information): only the missing catch-all counts.
  assert.deepEqual(tunnel.where.map((w) => w.rule), ['cloudflared/catch-all']);

  applyStep('front-proxy-websocket', [root]);
  applyStep('cloudflared', [root]);
  const after = states([root]);
  assert.equal(after['front-proxy-websocket'], 'done');
  assert.equal(after.cloudflared, 'done');
  assert.ok(nginxTest(join(root, 'front/nginx.conf')).ok);
});

test('a Cloudflare Tunnel deployment without a cloudflared config here: the tunnel step cannot be told', () => {
  const dir = copyKasmFixture(join(mkdtempSync(join(tmpdir(), 'kasmlint-checklist-')), 'kasm'));
  writeFileSync(join(dir, '.kasmlintrc.json'), '{ "deployment": "cloudflare-tunnel" }');
  assert.equal(states([dir]).cloudflared, 'unknown');
});

test('kasmlint checklist: text and JSON, exit 1 while steps are open, --fix STEP writes the files', () => {
  const dir = copyKasmFixture(join(mkdtempSync(join(tmpdir(), 'kasmlint-checklist-')), 'kasm'));
  const text = cli(['checklist', '.'], dir);
  assert.equal(text.status, 1);
  assert.match(text.out, /^\[ \] X-Frame-Options: open in 15 of 15 locations \(15 findings\)$/m);
  assert.match(text.out, /fix \(safe\): Add "Referrer-Policy: same-origin" wherever it is missing: kasmlint checklist --fix referrer-policy/);
  assert.match(text.out, /^8 of 9 steps open\.$/m);

  const json = cli(['checklist', '--format', 'json', '.'], dir);
  const parsed = JSON.parse(json.out) as { version: number; open: number; steps: Array<{ id: string; state: string; where: unknown[] }> };
  assert.equal(parsed.version, 1);
  assert.equal(parsed.steps.length, STEPS.length);
  assert.equal(parsed.steps.find((s) => s.id === 'referrer-policy')!.where.length, 15);

  const fixed = cli(['checklist', '--fix', 'referrer-policy', '.'], dir);
  assert.match(fixed.err, /fixed 1 problem in services\.d\/website\.conf/);
  assert.match(fixed.out, /^\[x\] Referrer-Policy: done in all 15 locations$/m);
  assert.match(readFileSync(join(dir, 'services.d/website.conf'), 'utf8'), /add_header Referrer-Policy same-origin always;/);

  assert.equal(cli(['checklist', '--fix', 'no-such-step', '.'], dir).status, 2);
  assert.equal(cli(['checklist', '--exit-zero', '.'], dir).status, 0);
});

test("maxFindingsPerRule stops a rule's reports, not the checklist: a step's state and its fix cover every place", () => {
  const dir = copyKasmFixture(join(mkdtempSync(join(tmpdir(), 'kasmlint-checklist-')), 'kasm'));
  const unlimited = checklistOf([dir], { host }).checklist.steps.find((s) => s.id === 'rate-limiting')!;
  writeFileSync(join(dir, '.kasmlintrc.json'), '{ "maxFindingsPerRule": 1 }');
  const limited = checklistOf([dir], { host }).checklist.steps.find((s) => s.id === 'rate-limiting')!;
  assert.equal(limited.state, 'not-done');
  assert.equal(limited.where.length, unlimited.where.length);
  assert.ok(limited.where.length > 1);
  applyStep('rate-limiting', [dir]);
  writeFileSync(join(dir, '.kasmlintrc.json'), '{}');
  assert.equal(states([dir])['rate-limiting'], 'done');
});
