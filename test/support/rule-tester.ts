// A RuleTester in the manner of ESLint's: for one rule, cases where it must stay silent, and cases
// where it must report at given lines, with the text its preferred fixes produce. Each fix output is
// checked to re-lint clean for that rule, to change nothing when applied again, and, when the case is
// a whole nginx configuration, to be accepted by the real `nginx -t`.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Finding } from '../../server/src/engine/findings';
import { applyTextEdits, chooseFixes } from '../../server/src/engine/fix';
import { RULES_BY_ID } from '../../server/src/rules/registry';
import type { Preset } from '../../server/src/engine/presets';
import { messageParts, type MessageDeclaration } from '../../server/src/rules/rule';
import { lint } from './engine';
import { nginxTest, writeTree } from './nginx';

export interface ExpectedFinding {
  path: string;
  /** 1-based line of the finding's start. */
  line: number;
  /** 1-based column, when it matters. */
  column?: number;
  message?: RegExp;
  /** Why it matters, as the finding's detail says it (on a Kasm tree, the Kasm wording). */
  detail?: RegExp;
  severity?: Finding['severity'];
}

export interface RuleCase {
  name: string;
  files: Record<string, string>;
  /** The preset to lint with (default: the one chosen for the configuration). */
  preset?: Preset;
}

export interface InvalidCase extends RuleCase {
  findings: ExpectedFinding[];
  /** The files after applying the preferred fix of each finding (unsafe ones included). */
  output?: Record<string, string>;
  /** The fixed tree is a whole nginx configuration that `nginx -t` must accept (nginx.conf at its root). */
  nginxAcceptsOutput?: boolean;
  /** The other fixes: for each, the files after applying the fix whose title matches, instead of the preferred one. */
  alternatives?: Array<{ title: RegExp; output: Record<string, string> }>;
}

/** Every message the cases of this test file produced, by rule id (for `everyMessageProduced`). */
const produced = new Map<string, string[]>();

function findingsOf(rule: string, dir: string, preset?: Preset): Array<Finding & { path: string }> {
  const found = lint([dir], (s) => ({ ...s, preset: preset ?? s.preset }))
    .findings.filter((f) => f.rule === rule)
    .map((f) => ({ ...f, path: f.file.slice(dir.length + 1) }));
  produced.set(rule, [...(produced.get(rule) ?? []), ...found.map((f) => f.message)]);
  return found;
}

/** A message template as a pattern: its {placeholders} match any text. */
function templatePattern(template: string): RegExp {
  const parts = template.split(/\{\w+\}/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('[\\s\\S]*?')}$`);
}

/**
 * Registers, after the cases of a test file, a test that each message every one of these rules
 * declares was produced by at least one of the cases (so that no message goes untested).
 */
export function everyMessageProduced(ruleIds: readonly string[]): void {
  test(`every message of ${ruleIds.length} rules is produced by a case above`, () => {
    const missing: string[] = [];
    for (const id of ruleIds) {
      const messages = RULES_BY_ID.get(id)!.meta.messages as Record<string, MessageDeclaration>;
      for (const [key, declared] of Object.entries(messages)) {
        const template = messageParts(declared).text;
        if (!(produced.get(id) ?? []).some((m) => templatePattern(template).test(m))) missing.push(`${id} ${key}`);
      }
    }
    assert.deepEqual(missing, []);
  });
}

/** Applies the preferred fix of each finding in memory; returns the changed files' texts. */
function applyPreferredFixes(dir: string, findings: readonly Finding[]): Record<string, string> {
  const chosen = chooseFixes(findings, true);
  const byFile = new Map<string, typeof chosen[number]['fix']['edits']>();
  for (const { fix } of chosen) for (const e of fix.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  const out: Record<string, string> = {};
  for (const [file, edits] of byFile) {
    const unique = edits.filter((e, i) => edits.findIndex((o) => JSON.stringify(o) === JSON.stringify(e)) === i);
    out[file.slice(dir.length + 1)] = applyTextEdits(readFileSync(file, 'utf8'), unique);
  }
  return out;
}

/** `preset` applies to every case that names none (a rule its preset turns off for the configuration). */
export function ruleTests(ruleId: string, cases: { valid: RuleCase[]; invalid: InvalidCase[] }, options: { preset?: Preset } = {}): void {
  const rule = RULES_BY_ID.get(ruleId);
  test(`${ruleId}: declared with docs and messages`, () => {
    assert.ok(rule, `no rule ${ruleId}`);
    assert.ok(rule!.meta.docs.summary && rule!.meta.docs.whatItDoes && rule!.meta.docs.whyItMatters && rule!.meta.docs.example);
  });

  for (const c of cases.valid) {
    test(`${ruleId} stays silent: ${c.name}`, () => {
      const dir = writeTree(c.files);
      assert.deepEqual(findingsOf(ruleId, dir, c.preset ?? options.preset).map((f) => `${f.path}:${f.range.start.line + 1} ${f.message}`), []);
    });
  }

  for (const c of cases.invalid) {
    test(`${ruleId} reports: ${c.name}`, () => {
      const dir = writeTree(c.files);
      const preset = c.preset ?? options.preset;
      const found = findingsOf(ruleId, dir, preset);
      assert.deepEqual(
        found.map((f) => `${f.path}:${f.range.start.line + 1}`),
        c.findings.map((e) => `${e.path}:${e.line}`),
        found.map((f) => f.message).join('\n'),
      );
      c.findings.forEach((expected, i) => {
        const actual = found[i]!;
        if (expected.column !== undefined) assert.equal(actual.range.start.character + 1, expected.column, 'column');
        if (expected.message) assert.match(actual.message, expected.message);
        if (expected.detail) assert.match(actual.detail ?? '', expected.detail);
        if (expected.severity) assert.equal(actual.severity, expected.severity);
      });

      if (!c.output) {
        assert.deepEqual(found.flatMap((f) => f.fixes.filter((x) => x.preferred)), [], 'the rule offers a fix: give the expected output');
        return;
      }
      const checkFixed = (fixed: Record<string, string>, expected: Record<string, string>, label: string) => {
        assert.deepEqual(fixed, expected, label);
        // The fixed tree: the finding is gone, and fixing again changes nothing.
        const after = writeTree({ ...c.files, ...fixed });
        const remaining = findingsOf(ruleId, after, preset);
        const again = applyPreferredFixes(after, remaining);
        for (const [path, text] of Object.entries(again)) assert.equal(text, readFileSync(join(after, path), 'utf8'), `${label}: fixing ${path} twice changed it`);
        for (const f of remaining) {
          assert.ok(!c.findings.some((e) => e.path === f.path && e.line === f.range.start.line + 1 && f.fixes.length > 0), `${label}: still reported after the fix: ${f.message}`);
        }
        if (c.nginxAcceptsOutput) {
          const verdict = nginxTest(join(after, 'nginx.conf'), after);
          assert.ok(verdict.ok, `${label}: nginx -t rejects the fixed configuration: ${verdict.output}`);
        }
      };
      checkFixed(applyPreferredFixes(dir, found), c.output, 'preferred fix');
      for (const alternative of c.alternatives ?? []) {
        const chosen = found.map((f) => {
          const fix = f.fixes.find((x) => alternative.title.test(x.title));
          return { ...f, fixes: fix ? [{ ...fix, preferred: true }] : [] };
        });
        assert.ok(chosen.some((f) => f.fixes.length > 0), `no fix titled ${alternative.title}: ${found.flatMap((f) => f.fixes.map((x) => x.title)).join(' | ')}`);
        checkFixed(applyPreferredFixes(dir, chosen), alternative.output, `fix ${alternative.title}`);
      }
    });
  }
}
