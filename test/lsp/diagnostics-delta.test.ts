// The diagnostics the diagnostics thread sends as differences: whatever the edit did to a file's list
// (diagnostics added, removed, moved, their messages or related information changed, duplicates), the
// main thread rebuilds exactly the list the thread made, and what did not change is not sent again.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { applyDiagnosticsDelta, diagnosticsDelta, sameDiagnostic } from '../../server/src/lsp/diagnostics-delta';
import { seededRandom } from '../support/random';

const RULES = ['headers/missing-hsts', 'nginx/invalid-value', 'tls/weak-ciphers'];

function diagnostic(random: (n: number) => number): Diagnostic {
  const line = random(50);
  const d: Diagnostic = {
    range: { start: { line, character: random(10) }, end: { line: line + random(2), character: random(40) } },
    severity: (1 + random(4)) as Diagnostic['severity'],
    code: RULES[random(RULES.length)]!,
    source: 'kasmlint',
    message: `message ${random(4)}`,
  };
  if (random(4) === 0) d.relatedInformation = [{ location: { uri: `file:///t/${random(3)}.conf`, range: { start: { line: random(9), character: 0 }, end: { line: random(9), character: 4 } } }, message: `related ${random(2)}` }];
  return d;
}

/** A copy that shares nothing with the original: the thread makes new objects on every analysis. */
const copy = (d: Diagnostic): Diagnostic => JSON.parse(JSON.stringify(d)) as Diagnostic;

function edited(list: readonly Diagnostic[], random: (n: number) => number): Diagnostic[] {
  const next = list.map(copy);
  for (let edits = random(6); edits > 0; edits--) {
    const at = random(next.length + 1);
    switch (random(5)) {
      case 0:
        next.splice(at, 0, diagnostic(random));
        break;
      case 1:
        next.splice(at, 1);
        break;
      case 2:
        if (next[at]) next[at]!.range.start.line += 1 + random(3);
        break;
      case 3:
        if (next[at]) next[at]!.message += ' changed';
        break;
      default:
        if (next[at]) next.splice(random(next.length + 1), 0, copy(next[at]!)); // a duplicate
    }
  }
  return next;
}

test('a list rebuilt from its delta is the list the thread made, for random edits of random lists', () => {
  const random = seededRandom(20261203);
  let referenced = 0;
  let unchanged = 0;
  for (let round = 0; round < 2000; round++) {
    const before = Array.from({ length: random(30) }, () => diagnostic(random));
    const after = edited(before, random);
    const delta = diagnosticsDelta(before, after);
    assert.deepEqual(applyDiagnosticsDelta(before, delta), after, `round ${round}`);
    const indexes = delta.filter((item): item is number => typeof item === 'number');
    assert.equal(new Set(indexes).size, indexes.length, 'each diagnostic sent before stands for one diagnostic');
    referenced += indexes.length;
    unchanged += after.filter((d) => before.some((b) => sameDiagnostic(b, d))).length;
  }
  // a diagnostic equal to one sent before is sent as its index (duplicates beyond the earlier count aside)
  assert.ok(referenced >= unchanged * 0.97, `${referenced} of ${unchanged} unchanged diagnostics referenced`);
});

test('an edit that moves nothing sends indexes only; one new finding is the one object sent', () => {
  const random = seededRandom(7);
  const before = Array.from({ length: 2000 }, () => diagnostic(random));
  assert.ok(diagnosticsDelta(before, before.map(copy)).every((item) => typeof item === 'number'));
  const added = diagnostic(random);
  const after = [...before.slice(0, 700).map(copy), added, ...before.slice(700).map(copy)];
  const delta = diagnosticsDelta(before, after);
  assert.deepEqual(delta.filter((item) => typeof item !== 'number'), [added]);
  assert.deepEqual(applyDiagnosticsDelta(before, delta), after);
});

test('diagnostics that differ in any field shown are not the same', () => {
  const base: Diagnostic = { range: { start: { line: 1, character: 2 }, end: { line: 1, character: 9 } }, severity: 2, code: 'a/b', source: 'kasmlint', message: 'm' };
  assert.ok(sameDiagnostic(base, copy(base)));
  for (const change of [
    (d: Diagnostic) => (d.range.end.character = 10),
    (d: Diagnostic) => (d.severity = 1),
    (d: Diagnostic) => (d.code = 'a/c'),
    (d: Diagnostic) => (d.message = 'n'),
    (d: Diagnostic) => (d.relatedInformation = [{ location: { uri: 'file:///x', range: base.range }, message: 'r' }]),
  ]) {
    const other = copy(base);
    change(other);
    assert.ok(!sameDiagnostic(base, other), JSON.stringify(other));
  }
});
