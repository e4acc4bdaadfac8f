// The lexical elements of a parsed file, in text order: the words of each directive, its `;` or `{`,
// each block's `}`, the comments, and the untouched body of a `*_by_lua_block`. What lies between two
// elements is white space only: the formatter rewrites that white space and nothing else, and two
// texts with equal element sequences are read alike by nginx (same words, quotes as written, same
// blocks, same comments).

import { forEachDirective, type Directive, type ParsedFile } from '../nginx/ast';

export type ElementKind = 'name' | 'argument' | ';' | '{' | '}' | 'comment' | 'lua';

export interface Element {
  kind: ElementKind;
  start: number;
  end: number;
  /** The directive a word, `;` or `{` belongs to; for `}`, the directive whose block it closes. */
  directive?: Directive;
}

/** Every element of a file sorted by offset, or why the file's text is not only elements and white space. */
export function elementsOf(file: ParsedFile): { ok: true; elements: Element[] } | { ok: false; reason: string } {
  const elements: Element[] = [];
  forEachDirective(file.root, (d) => {
    elements.push({ kind: 'name', start: d.nameToken.start, end: d.nameToken.end, directive: d });
    for (const arg of d.args) elements.push({ kind: 'argument', start: arg.start, end: arg.end, directive: d });
    if (d.terminator) elements.push({ kind: d.terminator, start: d.terminatorOffset, end: d.terminatorOffset + 1, directive: d });
    const block = d.block;
    if (!block) return;
    if (block.lua && block.lua.end > block.lua.start) elements.push({ kind: 'lua', start: block.lua.start, end: block.lua.end, directive: d });
    if (block.close !== null) elements.push({ kind: '}', start: block.close, end: block.close + 1, directive: d });
  });
  for (const c of file.comments) elements.push({ kind: 'comment', start: c.start, end: c.end });
  elements.sort((a, b) => a.start - b.start);

  const text = file.text;
  let at = 0;
  for (let i = 0; i <= elements.length; i++) {
    const next = i < elements.length ? elements[i]!.start : text.length;
    if (next < at) return { ok: false, reason: `overlapping elements at offset ${next}` };
    for (let j = at; j < next; j++) {
      const c = text.charCodeAt(j);
      if (c !== 32 && c !== 9 && c !== 13 && c !== 10) return { ok: false, reason: `unexpected text ${JSON.stringify(text.slice(j, j + 20))} at offset ${j}` };
    }
    if (i < elements.length) at = elements[i]!.end;
  }
  return { ok: true, elements };
}

/** What nginx reads of an element: its text as written, but a comment's trailing white space (which nothing reads). */
function readable(file: ParsedFile, e: Element): string {
  const raw = file.text.slice(e.start, e.end);
  return e.kind === 'comment' ? raw.replace(/[ \t\r]+$/, '') : raw;
}

/** Whether two files' elements are read alike: the same kinds, with the same readable text. */
export function sameElements(a: ParsedFile, aElements: readonly Element[], b: ParsedFile, bElements: readonly Element[]): boolean {
  if (aElements.length !== bElements.length) return false;
  for (let i = 0; i < aElements.length; i++) {
    const x = aElements[i]!;
    const y = bElements[i]!;
    if (x.kind !== y.kind || readable(a, x) !== readable(b, y)) return false;
  }
  return true;
}

/** The elements as `kind:text` lines, for tests and messages. */
export function readableElements(file: ParsedFile, elements: readonly Element[]): string[] {
  return elements.map((e) => `${e.kind}:${readable(file, e)}`);
}
