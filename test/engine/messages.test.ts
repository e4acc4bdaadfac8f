// Messages that fit the Problems panel: each NGINX rule's `text` is one sentence of at most 100
// characters without Kasm words, its `why` and fix titles are Kasm-free too (Kasm words go to
// `whyKasm`/`changesKasm`), every unsafe fix says what it changes, and a configuration that is not
// Kasm's is never told about Kasm.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Finding } from '../../server/src/engine/findings';
import { RULES } from '../../server/src/rules/registry';
import { messageParts, type FixDeclaration, type MessageDeclaration } from '../../server/src/rules/rule';
import { lint } from '../support/engine';
import { genericProxyTree } from '../support/generic-proxies';
import { writeTree } from '../support/nginx';

/** Kasm, kasm_proxy, kasmweb... but not kasmlint, the tool's own name. */
const KASM_WORD = /kasm(?!lint)/i;
const TEXT_LIMIT = 100;
// The cloudflared rules' messages are another change's (issue 14).
const NGINX_RULES = RULES.filter((r) => !r.meta.id.startsWith('cloudflared/'));

function declaredMessages() {
  return NGINX_RULES.flatMap((r) => Object.entries(r.meta.messages as Record<string, MessageDeclaration>).map(([key, m]) => ({ id: `${r.meta.id} ${key}`, parts: messageParts(m) })));
}

test('every NGINX message text is one sentence of at most 100 characters, without Kasm words', () => {
  const problems: string[] = [];
  for (const { id, parts } of declaredMessages()) {
    const text = parts.text;
    if (text.length > TEXT_LIMIT) problems.push(`${id}: ${text.length} characters`);
    if (KASM_WORD.test(text)) problems.push(`${id}: says Kasm: ${text}`);
    // A second sentence starts after ". " (or "? ", "! ") with a capital letter.
    if (/[.!?]\s+[A-Z]/.test(text.replace(/\{\w+\}/g, 'x'))) problems.push(`${id}: more than one sentence: ${text}`);
    if (!/[.?)]$/.test(text)) problems.push(`${id}: does not end a sentence: ${text}`);
  }
  assert.deepEqual(problems, []);
});

test('why they matter is written for any nginx; Kasm words only in whyKasm', () => {
  const problems: string[] = [];
  for (const { id, parts } of declaredMessages()) {
    if (!parts.why) problems.push(`${id}: no why`);
    else if (KASM_WORD.test(parts.why)) problems.push(`${id}: why says Kasm (put it in whyKasm): ${parts.why}`);
  }
  assert.deepEqual(problems, []);
});

test('fix titles are Kasm-free, and every unsafe fix ends with what it changes', () => {
  const problems: string[] = [];
  for (const rule of NGINX_RULES) {
    for (const [key, fix] of Object.entries((rule.meta.fixes ?? {}) as Record<string, FixDeclaration>)) {
      const id = `${rule.meta.id} ${key}`;
      if (KASM_WORD.test(fix.title) || KASM_WORD.test(fix.changes ?? '')) problems.push(`${id}: says Kasm: ${fix.title} — ${fix.changes}`);
      if (fix.applicability === 'unsafe' && !fix.changes) problems.push(`${id}: unsafe, but does not say what it changes`);
      if (fix.applicability === 'safe' && (fix.changes || fix.changesKasm)) problems.push(`${id}: safe, yet says it changes behaviour`);
    }
  }
  assert.deepEqual(problems, []);
});

/** Everything a finding shows a user: its line, its detail, its fixes' titles, its related information. */
function shownText(f: Finding): string[] {
  return [f.message, f.detail ?? '', ...f.fixes.map((x) => x.title), ...f.related.map((r) => r.message)];
}

test("a configuration that is not Kasm's is never told about Kasm", () => {
  const corpus = join(__dirname, '../../../test/corpus/nginx');
  const trees = [
    genericProxyTree(),
    ...readdirSync(corpus)
      .filter((name) => name.endsWith('.conf'))
      .map((name) => readFileSync(join(corpus, name), 'utf8'))
      .filter((text) => !KASM_WORD.test(text))
      .map((text) => ({ 'nginx.conf': text })),
  ];
  const told: string[] = [];
  let findings = 0;
  for (const files of trees) {
    for (const f of lint([writeTree(files)]).findings) {
      findings++;
      for (const text of shownText(f)) if (KASM_WORD.test(text)) told.push(`${f.rule}: ${text}`);
    }
  }
  assert.ok(findings > 40, `only ${findings} findings: the corpus no longer exercises the rules`);
  assert.deepEqual(told, []);
});

test('on a Kasm tree the detail speaks of Kasm where the rule has Kasm words to say', () => {
  const kasm = join(__dirname, '../../../../shared/fixtures/kasm-1.16.1');
  const cors = lint([kasm]).findings.find((f) => f.rule === 'cors/reflected-origin')!;
  assert.match(cors.detail!, /signed-in Kasm user/);
  assert.match(cors.fixes[0]!.title, / — narrows who may call Kasm$/);
});
