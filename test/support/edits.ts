// Random edits of a parsed file, as typing makes them, for the tests that hold what is read again after
// an edit (a reparse in place, a request answered through an older parse) to a parse of the whole text.

import type { Block, Directive, ParsedFile } from '../../server/src/nginx/ast';

const INSERTS = ['', '', 'a', '1', '0', 's', ' ', '  ', ';', '{', '}', '"', "'", '#', '\n', '$', '${host}', 'on', '\\', '_x', ' off', '"a b"', '\t'];

/** A random edit: mostly inside a word of a directive (where typing happens), sometimes anywhere. */
export function randomEdit(text: string, parsed: ParsedFile, random: (n: number) => number): string {
  const words: Array<{ start: number; end: number }> = [];
  const visit = (b: Block) => {
    for (const d of b.directives) {
      words.push(d.nameToken, ...d.args);
      if (d.block) visit(d.block);
    }
  };
  visit(parsed.root);
  let at: number;
  if (words.length > 0 && random(10) < 8) {
    const word = words[random(words.length)]!;
    at = word.start + random(word.end - word.start + 1);
  } else at = random(text.length + 1);
  const removed = Math.min(random(4), text.length - at);
  return text.slice(0, at) + INSERTS[random(INSERTS.length)]! + text.slice(at + removed);
}

/** Edits as typing across statements makes them: a line typed, deleted, pasted, a brace or a quote. */
export function statementEdit(text: string, parsed: ParsedFile, random: (n: number) => number): string {
  const directives: Directive[] = [];
  const visit = (b: Block) => {
    for (const d of b.directives) {
      directives.push(d);
      if (d.block) visit(d.block);
    }
  };
  visit(parsed.root);
  const d = directives.length > 0 ? directives[random(directives.length)]! : undefined;
  const lineStart = (offset: number) => text.lastIndexOf('\n', offset - 1) + 1;
  switch (d ? random(7) : 6) {
    case 0: // a directive's name typed on a new line before a directive (its words join the next statement)
      return `${text.slice(0, lineStart(d!.start))}    proxy_buf\n${text.slice(lineStart(d!.start))}`;
    case 1: // a whole directive typed
      return `${text.slice(0, lineStart(d!.start))}    gzip on;\n${text.slice(lineStart(d!.start))}`;
    case 2: // a directive deleted with its line
      return text.slice(0, lineStart(d!.start)) + text.slice(Math.min(text.length, text.indexOf('\n', d!.end) + 1 || text.length));
    case 3: // its terminator deleted
      return d!.terminator === ';' ? text.slice(0, d!.terminatorOffset) + text.slice(d!.terminatorOffset + 1) : text;
    case 4: // a block typed whole, or opened
      return `${text.slice(0, lineStart(d!.start))}    location /x { return 204; }\n${random(2) ? '    if ($x) {\n' : ''}${text.slice(lineStart(d!.start))}`;
    case 5: // a comment, or a quote
      return `${text.slice(0, d!.end)}${random(2) ? ' # note' : ' "'}${text.slice(d!.end)}`;
    default:
      return randomEdit(text, parsed, random);
  }
}
