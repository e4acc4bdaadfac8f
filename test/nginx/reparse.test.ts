// An edit inside one directive is parsed again by reading that directive alone (reparse): the result
// must be the parse of the whole new text, node for node, on random edits of real files, and the parent
// and owner links must make one tree.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Block, Directive, ParsedFile } from '../../server/src/nginx/ast';
import { parseNginx } from '../../server/src/nginx/parser';
import { reparse, reparseStatements } from '../../server/src/nginx/reparse';
import { KASM_FIXTURE } from '../support/kasm';
import { randomEdit, statementEdit } from '../support/edits';
import { seededRandom } from '../support/random';

const ROOT = join(__dirname, '../../..'); // out/test/nginx: the repository

function confFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? confFiles(join(dir, e.name)) : e.name.endsWith('.conf') ? [join(dir, e.name)] : [],
  );
}

/** The tree as plain data (links checked, then left out). */
function plain(file: ParsedFile): unknown {
  const block = (b: Block, owner: Directive | undefined): unknown => {
    assert.equal(b.owner, owner, 'a block belongs to the directive that opens it');
    return {
      open: b.open,
      close: b.close,
      lua: b.lua,
      comments: b.comments,
      directives: b.directives.map((d) => {
        assert.equal(d.parent, b, `${d.name} is listed in the block it names as its parent`);
        const { parent, block: inner, ...rest } = d;
        return { ...rest, block: inner ? block(inner, d) : undefined };
      }),
    };
  };
  assert.equal(file.lines.text, file.text);
  return { path: file.path, text: file.text, latin1: file.latin1, comments: file.comments, issues: file.issues, root: block(file.root, undefined) };
}

/**
 * Runs of `editsPerFile` random edits of every real file, each on the result of the one before (as the
 * language server keeps them): each edit `reparser` reads again must parse as the whole new text does.
 */
function readAgainOnRandomEdits(
  edit: (text: string, parsed: ParsedFile, random: (n: number) => number) => string,
  reparser: (old: ParsedFile, text: string) => ParsedFile | undefined,
  seed: number,
  editsPerFile: number,
): { edits: number; inPlace: number } {
  const files = [...confFiles(join(ROOT, 'test/corpus/nginx')), ...confFiles(KASM_FIXTURE), ...confFiles(join(ROOT, 'examples'))];
  assert.ok(files.length > 100, `${files.length} files`);
  const random = seededRandom(seed);
  let edits = 0;
  let inPlace = 0;
  for (const path of files) {
    let text = readFileSync(path, 'utf8');
    let parsed = parseNginx(path, text);
    for (let i = 0; i < editsPerFile; i++) {
      const next = edit(text, parsed, random);
      if (next === text) continue;
      edits++;
      const again = reparser(parsed, next);
      const whole = parseNginx(path, next);
      if (again) {
        inPlace++;
        assert.deepStrictEqual(plain(again), plain(whole), `${path}, edit ${i}`);
      }
      text = next;
      parsed = again ?? whole;
    }
  }
  return { edits, inPlace };
}

test('an edit read again in place parses as the whole new text does, on random edits of real files', () => {
  const { edits, inPlace } = readAgainOnRandomEdits(randomEdit, reparse, 20261202, 12);
  // many edits break the file (a brace, a quote, a line break) or fall in a file with syntax errors:
  // those are parsed whole; hundreds of the others must have been read in place
  assert.ok(inPlace >= 300 && inPlace > edits * 0.15, `${inPlace} of ${edits} edits read in place`);
});

test('statements read again after an edit across them parse as the whole new text does, on random edits of real files', () => {
  const { edits, inPlace } = readAgainOnRandomEdits(statementEdit, (old, text) => reparseStatements(old, text)?.file, 20261204, 10);
  // many edits open a block or a string, or fall where the file has syntax errors: those are parsed whole
  assert.ok(inPlace >= 500 && inPlace > edits * 0.3, `${inPlace} of ${edits} edits read again in place`);
});

test('edits that reach beyond one directive are parsed whole', () => {
  const text = 'http {\n    server {\n        listen 80;\n        root /srv;\n    }\n}\n';
  const parsed = parseNginx('/x.conf', text);
  const cases = [
    text.replace('listen 80;', 'listen 80'), // the ; goes: the next directive joins it
    text.replace('listen 80;', 'listen 80; index a;'), // two directives
    text.replace('listen 80;', 'listen 80 {'), // a block opens
    text.replace('root /srv;', 'root "/srv\n";'), // a string across lines
    text.replace('root /srv;', 'root /srv; # note'), // a comment after it: outside the directive
    text.replace('server {', 'server  {'), // the edit is in a block's opening
  ];
  for (const next of cases) {
    const again = reparse(parsed, next);
    if (again) assert.deepStrictEqual(plain(again), plain(parseNginx('/x.conf', next)), next);
  }
  assert.equal(reparse(parsed, cases[0]!), undefined);
  assert.equal(reparse(parsed, cases[1]!), undefined);
  assert.equal(reparse(parsed, cases[2]!), undefined);
  assert.equal(reparse(parsed, cases[3]!), undefined);
  // a value typed in place, longer by one character and by a line
  const longer = reparse(parsed, text.replace('listen 80;', 'listen 8080;'));
  assert.ok(longer);
  assert.deepStrictEqual(plain(longer), plain(parseNginx('/x.conf', text.replace('listen 80;', 'listen 8080;'))));
  const taller = text.replace('listen 80;', 'listen\n            80;');
  assert.deepStrictEqual(plain(reparse(parsed, taller)!), plain(parseNginx('/x.conf', taller)));
});

test("a directive typed before a block's } (or at a file's end) is read in place at every keystroke, left open until its ;", () => {
  const files = [...confFiles(KASM_FIXTURE), ...confFiles(join(ROOT, 'examples'))];
  let keystrokes = 0;
  let inPlace = 0;
  for (const path of files) {
    const original = readFileSync(path, 'utf8');
    const parsed = parseNginx(path, original);
    if (parsed.issues.length > 0) continue;
    // the last block of the file, and the file's own end
    let last: Block | undefined;
    const visit = (b: Block) => b.directives.forEach((d) => d.block && ((last = d.block), visit(d.block)));
    visit(parsed.root);
    const ends = [...(last?.close != null && last.directives.length > 0 ? [{ at: last.directives.at(-1)!.end, indent: '\n    ' }] : []), { at: original.trimEnd().length, indent: '\n' }];
    for (const { at, indent } of ends) {
      let text = original;
      let tree = parsed;
      const typed = `${indent}proxy_buffering "off";`;
      for (let i = 1; i <= typed.length; i++) {
        const next = original.slice(0, at) + typed.slice(0, i) + original.slice(at);
        const again = reparseStatements(tree, next)?.file;
        const whole = parseNginx(path, next);
        keystrokes++;
        if (again) {
          inPlace++;
          assert.deepStrictEqual(plain(again), plain(whole), `${path}: ${JSON.stringify(typed.slice(0, i))} typed at ${at}`);
        }
        text = next;
        tree = again ?? whole;
      }
      assert.equal(text.length, original.length + typed.length);
    }
  }
  assert.ok(keystrokes > 300, `${keystrokes} keystrokes`);
  // the quote typed open runs to the end of the file (read whole); every other keystroke is read in place
  assert.ok(inPlace > keystrokes * 0.6, `${inPlace} of ${keystrokes} keystrokes read in place`);
});
