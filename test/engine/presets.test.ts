// Presets: which one a configuration gets, that each finding's severity is the one its rule's page
// lists for that preset, that a Kasm tree which follows the whole hardening guide has nothing at warning
// or above under kasm-hardened (and the real nginx accepts it), and that the generic preset is quiet
// about per-location headers on generic reverse proxies while still loud about real defects.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SEVERITY_ORDER, type Finding } from '../../server/src/engine/findings';
import { fixPaths } from '../../server/src/engine/fix';
import { PRESETS, type Preset } from '../../server/src/engine/presets';
import { applySettings, defaultSettings, SettingsError } from '../../server/src/engine/settings';
import { renderRuleDoc } from '../../server/src/rules/docs';
import { RULES_BY_ID } from '../../server/src/rules/registry';
import { messageParts, type MessageDeclaration } from '../../server/src/rules/rule';
import { host, lint } from '../support/engine';
import { genericProxyTree } from '../support/generic-proxies';
import { copyKasmFixture, KASM_FIXTURE, prepareKasmTreeForNginx, throwAwayCertificate } from '../support/kasm';
import { nginxTest, writeTree } from '../support/nginx';

const atLeastWarning = (f: Finding) => SEVERITY_ORDER[f.severity] <= SEVERITY_ORDER.warning;

test('the preset is chosen from the configuration unless the settings name one', () => {
  const generic = writeTree({ 'nginx.conf': 'events {}\nhttp {}\n' });
  assert.equal(lint([generic]).analyses[0]!.preset, 'nginx-recommended');
  assert.equal(lint([KASM_FIXTURE]).analyses[0]!.preset, 'kasm-default');
  assert.equal(lint([KASM_FIXTURE], (s) => ({ ...s, preset: 'nginx-recommended' })).analyses[0]!.preset, 'nginx-recommended');
  writeFileSync(join(generic, '.kasmlintrc.json'), '{ "preset": "kasm-hardened" }');
  assert.equal(lint([generic]).analyses[0]!.preset, 'kasm-hardened');
  // "auto" in a settings file undoes an editor setting
  const editor = applySettings(defaultSettings(), { preset: 'kasm-hardened' }, '/', 'editor', RULES_BY_ID);
  assert.equal(applySettings(editor, { preset: 'auto' }, '/', 'file', RULES_BY_ID).preset, undefined);
  assert.throws(() => applySettings(defaultSettings(), { preset: 'kasm-hardend' }, '/', 'x', RULES_BY_ID), /"preset" must be one of .* \(did you mean "kasm-hardened"\?\)/);
  assert.throws(() => applySettings(defaultSettings(), { fixAll: { unsafe: 'yes' } }, '/', 'x', RULES_BY_ID), SettingsError);
});

/** The severity the rule's page gives a finding's message under a preset (its row, or "every finding"). */
function documentedSeverity(f: Finding, preset: Preset): string | undefined {
  const rule = RULES_BY_ID.get(f.rule)!;
  const page = renderRuleDoc(rule);
  const column = PRESETS.indexOf(preset);
  const rows = page.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| finding'));
  const messages = Object.values(rule.meta.messages as Record<string, MessageDeclaration>).map((m) => messageParts(m).text);
  const text = messages.find((t) => new RegExp(`^${t.split(/\{\w+\}/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]*?')}$`).test(f.message));
  const row = rows.find((r) => r.startsWith('| every finding |')) ?? rows.find((r) => text !== undefined && r.startsWith(`| ${text.replace(/\|/g, '\\|')} |`));
  return row?.split(' | ')[column + 1]?.replace(/ \|$/, '');
}

test("each finding's severity is the one its rule's page lists for the preset", () => {
  const generic = writeTree(genericProxyTree());
  const mismatches: string[] = [];
  let checked = 0;
  for (const preset of PRESETS) {
    for (const f of [...lint([KASM_FIXTURE], (s) => ({ ...s, preset })).findings, ...lint([generic], (s) => ({ ...s, preset })).findings]) {
      if (RULES_BY_ID.get(f.rule)!.meta.docs.severityNote) continue; // the page says how the finding grades itself
      checked++;
      const documented = documentedSeverity(f, preset);
      if (documented !== f.severity) mismatches.push(`${preset} ${f.rule}: ${f.severity}, the page says ${documented}: ${f.message}`);
    }
  }
  assert.ok(checked > 200, `${checked}`);
  assert.deepEqual(mismatches, []);
});

test("kasm-hardened: the guide's steps are warnings on the stock tree; once they are done only what the guide does not cover is at warning or above, and nginx -t accepts the tree", async () => {
  const stock = lint([KASM_FIXTURE], (s) => ({ ...s, preset: 'kasm-hardened' })).findings;
  const steps = new Set(stock.filter((f) => f.severity === 'warning').map((f) => f.rule));
  for (const rule of ['headers/x-frame-options', 'headers/content-security-policy', 'headers/cross-origin-embedder-policy', 'headers/referrer-policy', 'ratelimit/missing', 'tls/dhparam']) {
    assert.ok(steps.has(rule), `${rule} is a step of the guide`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'kasmlint-hardened-'));
  copyKasmFixture(dir);
  rmSync(join(dir, 'services.d/rdp_https_gateway_webapp.conf')); // a real install has one of the two gateways
  // Only the guide's steps are fixed: the rules outside the guide are turned off while fixing.
  const outside = ['headers/x-content-type-options', 'headers/missing-always', 'proxy/upstream-tls-unverified', 'headers/hide-upstream', 'tls/session', 'tls/stapling'];
  const settingsFile = join(mkdtempSync(join(tmpdir(), 'kasmlint-guide-')), 'guide.json');
  writeFileSync(settingsFile, JSON.stringify({ preset: 'kasm-hardened', rules: Object.fromEntries(outside.map((r) => [r, 'off'])) }));
  const fixed = fixPaths([dir], { host, configFile: settingsFile, unsafe: true });
  assert.deepEqual(fixed.errors, []);
  const after = lint([dir], (s) => ({ ...s, preset: 'kasm-hardened' })).findings;
  // What the guide does not cover stays: Kasm's own website.conf rewrites are open to ReDoS (regex/redos).
  assert.deepEqual(after.filter(atLeastWarning).filter((f) => f.rule !== 'regex/redos').map((f) => `${f.rule} ${f.message}`), []);
  assert.deepEqual([...new Set(after.filter(atLeastWarning).map((f) => `${f.rule} ${f.file.slice(dir.length + 1)}`))], ['regex/redos services.d/website.conf']);
  assert.ok(after.some((f) => f.severity === 'information'), 'what the guide does not ask for stays information');
  const ready = prepareKasmTreeForNginx(dir);
  const verdict = nginxTest(ready.mainConf, ready.dir);
  assert.ok(verdict.ok, verdict.output);
});

test('nginx-recommended on generic reverse proxies: no per-location header or rate-limit noise at information or above, the real defects still warnings', () => {
  const { crt, key } = throwAwayCertificate();
  const dir = writeTree({ ...genericProxyTree(), 'keys/cert.crt': readFileSync(crt, 'utf8'), 'keys/cert.key': readFileSync(key, 'utf8') });
  assert.ok(nginxTest(join(dir, 'nginx.conf'), dir).ok, 'the generic tree is a configuration nginx accepts');
  const perLocation = ['headers/x-frame-options', 'headers/content-security-policy', 'headers/cross-origin-embedder-policy', 'headers/referrer-policy', 'headers/x-content-type-options', 'ratelimit/missing', 'headers/missing-always'];
  const generic = lint([dir]).findings;
  assert.deepEqual(generic.filter((f) => perLocation.includes(f.rule) && f.severity !== 'hint').map((f) => `${f.rule} ${f.severity}`), []);
  // The location that adds a CORS header drops the HSTS of ssl.conf; its OPTIONS branch drops only a CORS
  // header (Access-Control-Allow-Methods), which headers/inheritance reports only beside a security header.
  assert.deepEqual(generic.filter((f) => f.rule === 'headers/inheritance').map((f) => f.severity), ['warning']);
  // Kasm's default preset on the same tree: the hints and information the generic preset spares.
  const asKasm = lint([dir], (s) => ({ ...s, preset: 'kasm-default' })).findings;
  assert.ok(asKasm.length > generic.length * 2, `${asKasm.length} vs ${generic.length}`);
});

test('deny-all and API locations get no per-location page header finding', () => {
  const dir = writeTree(genericProxyTree());
  const findings = lint([dir], (s) => ({ ...s, preset: 'kasm-default' })).findings.filter((f) => f.rule === 'headers/x-frame-options');
  const at = findings.map((f) => `${f.file.slice(dir.length + 1)}:${f.range.start.line + 1}`);
  for (const place of ['sites/default.conf:16', 'sites/vault.conf:24', 'sites/photos.conf:13', 'sites/api.conf:5']) assert.ok(!at.includes(place), `${place} is reported: ${at.join(' ')}`);
  assert.ok(at.includes('sites/photos.conf:6'), 'the application itself is');
});

test('fixAll.unsafe in .kasmlintrc.json makes --fix apply the unsafe fixes too', () => {
  const config = 'events {}\nhttp {\n    server {\n        listen 8080;\n        location / {\n            add_header Access-Control-Allow-Origin $http_origin;\n            return 204;\n        }\n    }\n}\n';
  const safeOnly = writeTree({ 'nginx.conf': config });
  fixPaths([safeOnly], { host, unsafe: false });
  assert.match(readFileSync(join(safeOnly, 'nginx.conf'), 'utf8'), /\$http_origin;/);
  const withUnsafe = writeTree({ 'nginx.conf': config, '.kasmlintrc.json': '{ "fixAll": { "unsafe": true } }' });
  fixPaths([withUnsafe], { host, unsafe: false });
  assert.match(readFileSync(join(withUnsafe, 'nginx.conf'), 'utf8'), /map \$http_origin \$cors_allowed_origin/);
});
