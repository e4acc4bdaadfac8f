// Random edits of a parsed file, as typing makes them, for the tests that hold what is read again after
// an edit (a reparse in place, a request answered through an older parse) to a parse of the whole text.

import type { Block, ParsedFile } from '../../server/src/nginx/ast';

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
