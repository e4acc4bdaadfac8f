// Hover and completion answered through the analysed parse of an older text (editing/analysed-view.ts)
// must be what the same requests answer on a parse of the editor's whole text, at every position where
// the view answers; on random runs of edits of real configurations, and the view must answer often,
// before the edit and after it.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineIndex, type Position } from '../../server/src/core/text';
import { AnalysedView, completionsThroughView, completionsWhereTyped, hoverThroughView, hoverWhereTyped } from '../../server/src/editing/analysed-view';
import { completionsAt } from '../../server/src/editing/completion';
import { hoverAt } from '../../server/src/editing/hover';
import type { ProjectAnalysis } from '../../server/src/engine/analyze';
import type { ParsedFile } from '../../server/src/nginx/ast';
import { parseNginx } from '../../server/src/nginx/parser';
import { randomEdit, statementEdit } from '../support/edits';
import { lint, join } from '../support/engine';
import { KASM_FIXTURE } from '../support/kasm';
import { seededRandom } from '../support/random';

const ROOT = join(__dirname, '../../..'); // out/test/editor: the repository

function analyses(): ProjectAnalysis[] {
  return lint([KASM_FIXTURE, join(ROOT, 'examples')]).analyses.filter((a) => a.model.files.size > 0);
}

/** A position of the text: mostly on a word, sometimes anywhere. */
function randomPosition(parsed: ParsedFile, random: (n: number) => number): Position {
  const words = [...parsed.text.matchAll(/[A-Za-z_$][\w$]*/g)];
  const offset = words.length > 0 && random(4) < 3 ? words[random(words.length)]!.index! + random(4) : random(parsed.text.length + 1);
  return parsed.lines.positionAt(offset);
}

const plainEntries = (entries: ReturnType<typeof completionsAt>, range: (s: number, e: number) => unknown) =>
  entries.map((e) => ({ label: e.label, kind: e.kind, detail: e.detail, insertText: e.insertText, range: range(e.start, e.end) }));

test('hover and completion through the analysed parse equal those on a parse of the new text, on random edits', () => {
  const random = seededRandom(20261204);
  const answered = { hover: 0, hoverable: 0, hoverWhereTyped: 0, completion: 0, afterTheEdit: 0, whereTyped: 0, asked: 0 };
  for (const analysis of analyses()) {
    for (const analysed of analysis.model.files.values()) {
      for (let i = 0; i < 8; i++) {
        // one or two edits since the analysis (the user types faster than the server analyses)
        // (half of them across statements: a directive typed on a new line, a line deleted, a brace)
        const edit = random(2) === 0 ? randomEdit : statementEdit;
        let text = edit(analysed.text, analysed, random);
        if (random(2) === 0) text = randomEdit(text, parseNginx(analysed.path, text), random);
        if (text === analysed.text) continue;
        const parsed = parseNginx(analysed.path, text);
        const view = new AnalysedView(analysed, text);
        const lines = new LineIndex(text);
        const changedLine = lines.positionAt(unchangedPrefixOf(analysed.text, text)).line;
        for (let p = 0; p < 8; p++) {
          const position = randomPosition(parsed, random);
          const offset = lines.offsetAt(position);
          answered.asked++;
          const where = `${analysed.path} edited (${i}), at ${position.line + 1}:${position.character + 1}`;

          const hover = hoverThroughView(view, analysis, analysis.catalog, position);
          const word = hoverAt(analysis, analysis.catalog, parsed, offset);
          if (word) answered.hoverable++;
          if (hover) {
            assert.ok(word, `hover ${where}`);
            assert.deepStrictEqual(hover, { markdown: word.markdown, range: lines.range(word.start, word.end) }, `hover ${where}`);
            answered.hover++;
            if (position.line > changedLine) answered.afterTheEdit++;
          }

          const typedHover = hover ? undefined : hoverWhereTyped(view, analysis, analysis.catalog, position);
          if (typedHover) {
            assert.deepStrictEqual(typedHover.word, word && { markdown: word.markdown, range: lines.range(word.start, word.end) }, `hover where typed, ${where}`);
            answered.hoverWhereTyped++;
          }

          const completion = completionsThroughView(view, analysis, analysis.catalog, position);
          const typed = completionsWhereTyped(view, analysis, analysis.catalog, position);
          const entries = completionsAt(analysis, analysis.catalog, parsed, offset);
          if (completion) {
            assert.deepStrictEqual(plainEntries(completion.entries, completion.range), plainEntries(entries, (s, e) => lines.range(s, e)), `completion ${where}`);
            answered.completion++;
            if (position.line > changedLine) answered.afterTheEdit++;
          }
          if (typed) {
            assert.deepStrictEqual(plainEntries(typed.entries, typed.range), plainEntries(entries, (s, e) => lines.range(s, e)), `completion where typed, ${where}`);
            if (!completion) answered.whereTyped++;
          }
        }
      }
    }
  }
  // most positions read alike (an edit changes one place); many edits break what follows them (a
  // quote, a brace), where only the text before the edit is read through the view
  assert.ok(answered.hover > answered.hoverable * 0.5 && answered.completion > answered.asked * 0.5, JSON.stringify(answered));
  assert.ok(answered.afterTheEdit > 150 && answered.whereTyped > 150 && answered.hoverWhereTyped > 100, JSON.stringify(answered));
});

test('a directive being typed is completed from its statement read on its own, in the context of its analysed block', () => {
  const { analysis, path, text } = kasmWebsite();
  const at = text.indexOf('\n', text.indexOf('location')) + 1; // the line after a location's opening
  const typed = `${text.slice(0, at)}        proxy_re\n${text.slice(at)}`; // the next line's words join it: not a reparse in place
  const view = new AnalysedView(analysis.model.files.get(path)!, typed);
  const position = new LineIndex(typed).positionAt(at + '        proxy_re'.length);
  const answer = completionsWhereTyped(view, analysis, analysis.catalog, position);
  assert.ok(answer);
  const labels = answer.entries.map((e) => e.label);
  assert.ok(labels.includes('proxy_read_timeout') && labels.includes('proxy_pass') && !labels.includes('server_name'), 'a location\'s directives');
  assert.deepStrictEqual(answer.range(answer.entries[0]!.start, answer.entries[0]!.end), { start: { line: position.line, character: 8 }, end: position });
  // a block opened since the analysis: its context is not the analysed one's, the whole text is parsed
  const opened = `${text.slice(0, at)}        if ($x) {\n            re\n${text.slice(at)}`;
  const inBlock = new LineIndex(opened).positionAt(opened.indexOf('            re') + 14);
  assert.equal(completionsWhereTyped(new AnalysedView(analysis.model.files.get(path)!, opened), analysis, analysis.catalog, inBlock), undefined);
});

function kasmWebsite() {
  const analysis = lint([KASM_FIXTURE]).analyses.find((a) => a.project.kind === 'kasm')!;
  const path = join(KASM_FIXTURE, 'services.d/website.conf');
  return { analysis, path, text: analysis.model.files.get(path)!.text };
}

test('the view does not answer inside what an edit changed, nor after an edit that changes how the rest reads', () => {
  const text = 'http {\n    server {\n        listen 80;\n        root /srv;\n        index index.html;\n    }\n}\n';
  const analysed = parseNginx('/x.conf', text);
  // a value typed in place: after it, lines read alike; the edited word does not
  const typed = new AnalysedView(analysed, text.replace('listen 80;', 'listen 8080;'));
  assert.equal(typed.analysedOffset({ line: 2, character: 18 }), undefined, 'inside the edited directive');
  assert.equal(typed.analysedOffset({ line: 3, character: 9 }), text.indexOf('root') + 1);
  assert.equal(typed.analysedOffset({ line: 1, character: 5 }), text.indexOf('server') + 1);
  // a line added inside the directive: the lines after it move down
  const taller = new AnalysedView(analysed, text.replace('listen 80;', 'listen\n            80;'));
  assert.equal(taller.analysedOffset({ line: 4, character: 9 }), text.indexOf('root') + 1);
  assert.deepStrictEqual(taller.range(text.indexOf('root'), text.indexOf('root') + 4), { start: { line: 4, character: 8 }, end: { line: 4, character: 12 } });
  // a quote opened: everything after it reads differently, only the text before it is read through the view
  const quoted = new AnalysedView(analysed, text.replace('listen 80;', 'listen "80;'));
  assert.equal(quoted.analysedOffset({ line: 3, character: 9 }), undefined);
  assert.equal(quoted.analysedOffset({ line: 1, character: 5 }), text.indexOf('server') + 1);
  // a word that ends where the edit starts may go on in the new text: its range is not taken
  const longer = new AnalysedView(analysed, text.replace('/srv;', '/srvx;'));
  assert.equal(longer.range(text.indexOf('/srv'), text.indexOf('/srv') + 4), undefined);
});

function unchangedPrefixOf(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}
