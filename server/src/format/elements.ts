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
  for (const e of elements) {
    if (e.start < at) return { ok: false, reason: `overlapping elements at offset ${e.start}` };
    const gap = text.slice(at, e.start);
    if (!/^[ \t\r\n]*$/.test(gap)) return { ok: false, reason: `unexpected text ${JSON.stringify(gap.trim().slice(0, 20))} at offset ${at}` };
    at = e.end;
  }
  if (!/^[ \t\r\n]*$/.test(text.slice(at))) return { ok: false, reason: `unexpected text at offset ${at}` };
  return { ok: true, elements };
}

/**
 * What nginx reads of an element: its text as written, except a comment's trailing white space (which
 * nothing reads). Two texts read alike have equal lists.
 */
export function readableElements(file: ParsedFile, elements: readonly Element[]): string[] {
  return elements.map((e) => {
    const raw = file.text.slice(e.start, e.end);
    return `${e.kind}:${e.kind === 'comment' ? raw.replace(/[ \t\r]+$/, '') : raw}`;
  });
}
