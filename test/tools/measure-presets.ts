// Findings per severity under each preset on three configurations: the stock Kasm 1.16.1 tree, the same
// tree after the fixes of every step of Kasm's hardening guide (the rules outside the guide turned off
// while fixing; one of the two rdp gateways removed, as a real install has one), and the generic
// reverse proxies of test/support/generic-proxies.ts. Run: node out/tools/measure-presets.js [KASM-TREE]
// (default: ../shared/fixtures/kasm-1.16.1 beside the repository).

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Severity } from '../../server/src/engine/findings';
import { fixPaths } from '../../server/src/engine/fix';
import { PRESETS } from '../../server/src/engine/presets';
import { host, lint } from '../support/engine';
import { genericProxyTree } from '../support/generic-proxies';
import { copyKasmFixture, throwAwayCertificate } from '../support/kasm';
import { writeTree } from '../support/nginx';

const KASM_TREE = resolve(process.argv[2] ?? join(__dirname, '../../../shared/fixtures/kasm-1.16.1'));
const OUTSIDE_THE_GUIDE = ['headers/x-content-type-options', 'headers/missing-always', 'proxy/upstream-tls-unverified', 'headers/hide-upstream', 'tls/session', 'tls/stapling'];

function hardenedKasmTree(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kasmlint-measure-'));
  copyKasmFixture(dir, KASM_TREE);
  rmSync(join(dir, 'services.d/rdp_https_gateway_webapp.conf'));
  const settings = join(mkdtempSync(join(tmpdir(), 'kasmlint-measure-guide-')), 'guide.json');
  writeFileSync(settings, JSON.stringify({ preset: 'kasm-hardened', rules: Object.fromEntries(OUTSIDE_THE_GUIDE.map((r) => [r, 'off'])) }));
  fixPaths([dir], { host, configFile: settings, unsafe: true });
  return dir;
}

function genericTree(): string {
  const { crt, key } = throwAwayCertificate();
  return writeTree({ ...genericProxyTree(), 'keys/cert.crt': readFileSync(crt, 'utf8'), 'keys/cert.key': readFileSync(key, 'utf8') });
}

const trees: Array<[string, string]> = [
  ['stock Kasm 1.16.1 tree', KASM_TREE],
  ["Kasm tree after the guide's fixes", hardenedKasmTree()],
  ['generic reverse proxies', genericTree()],
];
const severities: Severity[] = ['error', 'warning', 'information', 'hint'];
console.log(`| configuration | preset | ${severities.join(' | ')} |\n|---|---|${severities.map(() => '---|').join('')}`);
for (const [name, dir] of trees) {
  for (const preset of PRESETS) {
    const findings = lint([dir], (s) => ({ ...s, preset })).findings;
    console.log(`| ${name} | ${preset} | ${severities.map((s) => findings.filter((f) => f.severity === s).length).join(' | ')} |`);
  }
}
