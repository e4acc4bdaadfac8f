// The project's own rules about its layout: a rule `family/name` lives in
// server/src/rules/<family>/<name>.ts, has a generated docs page that is up to date and a test; the
// engine imports nothing from LSP or VS Code.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { renderRuleDoc, renderRuleIndex, ruleDocPath } from '../../server/src/rules/docs';
import Ajv from 'ajv';
import { applySettings, defaultSettings, SettingsError } from '../../server/src/engine/settings';
import { settingsSchema } from '../../server/src/engine/settings-schema';
import { tunnelSchema } from '../../server/src/cloudflared/schema';
import { RULES, RULES_BY_ID } from '../../server/src/rules/registry';
import { COMMENTS, EVERY_NAME, SYNTAX_ISSUES, VARIABLES } from '../../server/src/rules/rule';
import { DirectiveCatalog, NEWEST_VERSION } from '../../server/src/nginx/directives';
import { modulesWithDirective } from '../../server/src/nginx/modules';

const ROOT = join(__dirname, '../../..');

function filesUnder(dir: string, suffix: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path, suffix) : path.endsWith(suffix) ? [path] : [];
  });
}

test('each rule lives at the path its id names, and declares that id', () => {
  for (const rule of RULES) {
    const path = join(ROOT, 'server/src/rules', `${rule.meta.id}.ts`);
    assert.ok(existsSync(path), `${rule.meta.id}: no ${relative(ROOT, path)}`);
    assert.match(readFileSync(path, 'utf8'), new RegExp(`id: '${rule.meta.id}'`), `${relative(ROOT, path)} declares another id`);
  }
  const ruleFiles = filesUnder(join(ROOT, 'server/src/rules'), '.ts').filter((p) => /rules\/[a-z]+\/[a-z-]+\.ts$/.test(p));
  assert.deepEqual(ruleFiles.map((p) => relative(join(ROOT, 'server/src/rules'), p).replace(/\.ts$/, '')).sort(), RULES.map((r) => r.meta.id).sort());
});

test('docs/rules is generated from the rules and up to date (npm run docs)', () => {
  for (const rule of RULES) {
    const path = join(ROOT, 'docs/rules', ruleDocPath(rule.meta.id));
    assert.ok(existsSync(path), `missing ${relative(ROOT, path)}: run npm run docs`);
    assert.equal(readFileSync(path, 'utf8'), renderRuleDoc(rule), `${relative(ROOT, path)} is stale: run npm run docs`);
  }
  assert.equal(readFileSync(join(ROOT, 'docs/rules/README.md'), 'utf8'), renderRuleIndex(RULES));
});

test('schemas/kasmlintrc.schema.json is generated and up to date, and agrees with the settings reader', () => {
  const committed = JSON.parse(readFileSync(join(ROOT, 'schemas/kasmlintrc.schema.json'), 'utf8'));
  assert.deepEqual(committed, settingsSchema(RULES), 'stale: run npm run docs');
  const validate = new Ajv({ strict: false }).compile(committed);
  const good = {
    nginxVersion: '1.22.1',
    pathMappings: { '/etc/nginx/conf.d': '.' },
    rules: { 'nginx/unknown-directive': ['warning', { allow: ['more_*'] }], 'nginx/syntax': 'error' },
    tlsProfile: 'stig',
    deployment: 'behind-proxy',
    trustedProxies: ['10.0.0.5', '192.168.10.0/24'],
    maxFindingsPerRule: 0,
  };
  assert.ok(validate(good), JSON.stringify(validate.errors));
  assert.doesNotThrow(() => applySettings(defaultSettings(), good, '/', 'good', RULES_BY_ID));
  for (const bad of [{ colour: true }, { rules: { 'nginx/nope': 'off' } }, { rules: { 'nginx/syntax': 'loud' } }, { tlsProfile: 'weak' }, { pathMappings: { relative: '.' } }, { maxFindingsPerRule: -1 }, { rules: { 'nginx/unknown-directive': ['warning', { alow: ['more_*'] }] } }, { rules: { 'nginx/unknown-directive': { allow: 'more_*' } } }, { rules: { 'cloudflared/no-tls-verify': { options: { certificate: '/x.crt' } } } }]) {
    assert.equal(validate(bad), false, JSON.stringify(bad));
    assert.throws(() => applySettings(defaultSettings(), bad, '/', 'bad', RULES_BY_ID), SettingsError, JSON.stringify(bad));
  }
  assert.throws(
    () => applySettings(defaultSettings(), { rules: { 'nginx/unknown-directive': ['warning', { alow: [] }] } }, '/', 'x', RULES_BY_ID),
    /rules: "nginx\/unknown-directive": unknown option "alow" \(did you mean "allow"\?\); its options: allow/,
  );
  assert.throws(() => applySettings(defaultSettings(), { rules: { 'nginx/syntax': { level: 1 } } }, '/', 'x', RULES_BY_ID), /unknown option "level" \(this rule has no options\)/);
});

test('schemas/cloudflared.schema.json is generated from the key table, and accepts what cloudflared accepts', () => {
  const committed = JSON.parse(readFileSync(join(ROOT, 'schemas/cloudflared.schema.json'), 'utf8'));
  assert.deepEqual(committed, tunnelSchema(), 'stale: run npm run docs');
  const validate = new Ajv({ strict: false }).compile(committed);
  const guide = { tunnel: 'x', 'credentials-file': '/root/x.json', ingress: [{ hostname: 'kasm.example.com', service: 'https://localhost:443', originRequest: { noTLSVerify: 'yes', connectTimeout: '1m30s' } }, { service: 'http_status:404' }] };
  assert.ok(validate(guide), JSON.stringify(validate.errors));
  for (const bad of [{ ingress: [{ service: 'x', originRequest: { noTlsVerify: true } }] }, { ingress: [{ service: 'x', originRequest: { connectTimeout: 30 } }] }, { 'no-autoupdate': 'yes' }]) {
    assert.equal(validate(bad), false, JSON.stringify(bad));
  }
});

test('every rule has tests', () => {
  const tests = filesUnder(join(ROOT, 'test'), '.test.ts').map((p) => readFileSync(p, 'utf8')).join('\n');
  for (const rule of RULES) assert.ok(tests.includes(`'${rule.meta.id}'`), `no test names ${rule.meta.id}`);
});

test('the engine imports nothing from LSP or VS Code', () => {
  const engine = filesUnder(join(ROOT, 'server/src'), '.ts').filter((p) => !p.includes('/server/src/lsp/'));
  const offenders = engine.filter((p) => /from '(vscode|vscode-languageserver[^']*|vscode-languageclient[^']*)'/.test(readFileSync(p, 'utf8')));
  assert.deepEqual(offenders.map((p) => relative(ROOT, p)), []);
});

test('what is computed once per model is kept on the model (ConfigModel.memo), not in a WeakMap keyed by it or by its parts', () => {
  // The language server makes a model per keystroke. A module's WeakMap lives in V8's old generation,
  // whose young-generation collections take its values for live: a value that leads back to its model
  // kept every model, and all it holds, alive and promoted (model/config.ts, ConfigModel.memo).
  const perModel = /new WeakMap<\s*(ConfigModel|ConfigBlock|ConfigDirective|ProjectAnalysis|Root|readonly ConfigDirective\[\]|object)\b/;
  const offenders = filesUnder(join(ROOT, 'server/src'), '.ts').filter((p) => perModel.test(readFileSync(p, 'utf8')));
  assert.deepEqual(offenders.map((p) => relative(ROOT, p)), []);
});

test("every name a rule `reads` (as a whole or per directive) is a directive some nginx version, edition or known module has", () => {
  const catalogs = [DirectiveCatalog.forVersion(NEWEST_VERSION, 'oss'), DirectiveCatalog.forVersion(NEWEST_VERSION, 'plus')];
  const known = (name: string) => catalogs.some((c) => c.specs(name).length > 0 || c.absence(name) !== undefined) || modulesWithDirective(name).length > 0;
  const names = (rule: (typeof RULES)[number]) => [...(rule.meta.reads ?? []), ...(rule.meta.perDirective?.reads ?? [])].filter((name) => name !== VARIABLES && name !== EVERY_NAME && name !== COMMENTS && name !== SYNTAX_ISSUES);
  const unknown = RULES.flatMap((rule) => names(rule).filter((name) => !known(name)).map((name) => `${rule.meta.id}: ${name}`));
  assert.deepEqual(unknown, []);
});

test('a rule that checks each directive on its own and declares `reads` reads the names of its `perDirective.reads` too', () => {
  const offenders = RULES.filter((rule) => rule.meta.perDirective && rule.meta.reads && rule.meta.perDirective.reads.some((name) => !rule.meta.reads!.includes(name)));
  assert.deepEqual(offenders.map((rule) => rule.meta.id), []);
});

test('a rule that checks each location on its own declares `reads`, and the names it keeps global among them', () => {
  const offenders = RULES.filter((rule) => rule.meta.perLocation && (!rule.meta.reads || rule.meta.perDirective || rule.meta.perLocation.outside.some((name) => !rule.meta.reads!.includes(name))));
  assert.deepEqual(offenders.map((rule) => rule.meta.id), []);
  assert.ok(RULES.some((rule) => rule.meta.perLocation), 'the location rules declare it');
});
