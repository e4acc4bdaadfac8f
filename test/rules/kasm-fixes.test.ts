// Every fix of every rule on the real Kasm 1.16.1 tree, one at a time: after it, real `nginx -t`
// accepts the tree, the finding is gone, and fixing everything twice changes nothing the second time.
// (The tree holds both rdp_https_gateway files, which nginx refuses together; a real install has one,
// so rdp_https_gateway_webapp.conf is left out, as in the fixture test.)

import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import type { Finding, Fix } from '../../server/src/engine/findings';
import { applyTextEdits, fixPaths } from '../../server/src/engine/fix';
import { LineIndex } from '../../server/src/core/text';
import { host, lint } from '../support/engine';
import { copyKasmFixture, prepareKasmTreeForNginx } from '../support/kasm';
import { inParallel, nginxTestAsync } from '../support/nginx';

function kasmCopy(settings?: object): string {
  const dir = mkdtempSync(join(tmpdir(), 'kasmlint-kasm-fix-'));
  copyKasmFixture(dir);
  rmSync(join(dir, 'services.d/rdp_https_gateway_webapp.conf'));
  if (settings) writeFileSync(join(dir, '.kasmlintrc.json'), JSON.stringify(settings));
  return dir;
}

/** Where an offset lands once `edits` are applied to its file. */
function shifted(text: string, offset: number, edits: Fix['edits']): number {
  const lines = new LineIndex(text);
  let delta = 0;
  for (const e of edits) {
    const start = lines.offsetAt(e.range.start);
    const end = lines.offsetAt(e.range.end);
    if (end <= offset && !(start === end && start === offset)) delta += e.newText.length - (end - start);
  }
  return offset + delta;
}

interface Trial {
  finding: Finding;
  fix: Fix;
}

/** Each distinct fix once (many findings share one fix: the allow-list map, the rate-limit edit). */
function trials(findings: readonly Finding[], families: readonly string[]): Trial[] {
  const seen = new Set<string>();
  const list: Trial[] = [];
  for (const finding of findings) {
    if (!families.some((f) => finding.rule.startsWith(f))) continue;
    for (const fix of finding.fixes) {
      const key = JSON.stringify(fix.edits);
      if (seen.has(key)) continue;
      seen.add(key);
      list.push({ finding, fix });
    }
  }
  return list;
}

async function checkEveryFix(source: string, families: readonly string[]): Promise<{ tried: number; problems: string[] }> {
  const before = lint([source]).findings;
  const list = trials(before, families);
  const problems = await inParallel(
    list.map(({ finding, fix }) => async () => {
      const dir = mkdtempSync(join(tmpdir(), 'kasmlint-kasm-trial-'));
      cpSync(source, dir, { recursive: true });
      const byFile = new Map<string, Fix['edits']>();
      for (const e of fix.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
      for (const [file, edits] of byFile) {
        const target = join(dir, relative(source, file));
        writeFileSync(target, applyTextEdits(readFileSync(file, 'utf8'), edits));
      }
      const label = `${finding.rule} ${relative(source, finding.file)}:${finding.range.start.line + 1} "${fix.title}"`;
      const issues: string[] = [];

      const text = readFileSync(finding.file, 'utf8');
      const at = shifted(text, new LineIndex(text).offsetAt(finding.range.start), byFile.get(finding.file) ?? []);
      const fixedFile = join(dir, relative(source, finding.file));
      const line = new LineIndex(readFileSync(fixedFile, 'utf8')).positionAt(at).line;
      const after = lint([dir]).findings;
      if (after.some((f) => f.rule === finding.rule && f.file === fixedFile && f.range.start.line === line && f.message === finding.message)) {
        issues.push(`${label}: still reported after the fix`);
      }
      const verdict = await nginxTestAsync(prepareKasmTreeForNginx(dir).mainConf);
      if (!verdict.ok) issues.push(`${label}: nginx -t rejects the fixed tree: ${verdict.message} (${verdict.file}:${verdict.line})`);
      return issues;
    }),
    8,
  );
  return { tried: list.length, problems: problems.flat() };
}

const FAMILIES = ['websocket/', 'proxy/', 'headers/', 'cors/', 'ratelimit/', 'tls/'];

test('every fix on the Kasm tree: nginx -t accepts the result and the finding is gone', async (t) => {
  const { tried, problems } = await checkEveryFix(kasmCopy(), FAMILIES);
  t.diagnostic(`${tried} distinct fixes tried, each checked with nginx -t`);
  assert.ok(tried > 50, `only ${tried} fixes`);
  assert.deepEqual(problems, []);
});

test('rate-limit and realip fixes for each deployment on the Kasm tree', async (t) => {
  for (const deployment of ['behind-proxy', 'cloudflare-tunnel']) {
    const { tried, problems } = await checkEveryFix(kasmCopy({ deployment }), ['ratelimit/']);
    t.diagnostic(`${deployment}: ${tried} fixes`);
    assert.ok(tried >= 1);
    assert.deepEqual(problems, []);
  }
});

test('fixing everything (unsafe fixes too) converges, nginx -t accepts it, and a second run changes nothing', async () => {
  const dir = kasmCopy();
  const first = fixPaths([dir], { host, unsafe: true });
  assert.deepEqual(first.errors, []);
  assert.ok(first.applied > 20, `applied ${first.applied}`);
  const verdict = await nginxTestAsync(prepareKasmTreeForNginx(dir).mainConf);
  assert.ok(verdict.ok, verdict.output);
  const second = fixPaths([dir], { host, unsafe: true });
  assert.equal(second.applied, 0, second.run.findings.filter((f) => f.fixes.length).map((f) => `${f.rule} ${f.file}:${f.range.start.line + 1}`).join('\n'));
  const left = second.run.findings.filter((f) => FAMILIES.some((fam) => f.rule.startsWith(fam)) && f.fixes.length > 0);
  assert.deepEqual(left.map((f) => `${f.rule} ${relative(dir, f.file)}:${f.range.start.line + 1} ${f.message}`), []);
});
