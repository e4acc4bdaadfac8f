// Text edits the fixes share, formatted like the surrounding file.

import { indentationAt, lineBreakOf } from '../core/text';
import type { Block, Directive, ParsedFile } from '../nginx/ast';
import type { EditSpec } from './rule';

/** Removes a directive: its whole line(s) when it stands alone on them, otherwise just its text. */
export function removeDirective(file: ParsedFile, node: Directive): EditSpec {
  const text = file.text;
  let start = node.start;
  while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
  let end = node.end;
  while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
  const aloneBefore = start === 0 || text[start - 1] === '\n' || text[start - 1] === '\r';
  const aloneAfter = end === text.length || text[end] === '\n' || text[end] === '\r';
  if (aloneBefore && aloneAfter) {
    if (text[end] === '\r' && text[end + 1] === '\n') end += 2;
    else if (end < text.length) end += 1;
    return { file, start, end, newText: '' };
  }
  return { file, start: node.start, end: aloneAfter ? end : node.end, newText: '' };
}

/**
 * Inserts `lines` (directive texts without indentation) as new lines after `after`, indented like it.
 */
export function insertLinesAfter(file: ParsedFile, after: Directive, lines: readonly string[]): EditSpec {
  const indent = indentationAt(file.text, after.start);
  const eol = lineBreakOf(file.text);
  return { file, start: after.end, end: after.end, newText: lines.map((l) => `${eol}${indent}${l}`).join('') };
}

/** Replaces a directive's arguments (its name, spacing and terminator stay). */
export function replaceArguments(file: ParsedFile, node: Directive, text: string): EditSpec {
  if (node.args.length === 0) return { file, start: node.nameToken.end, end: node.nameToken.end, newText: ` ${text}` };
  return { file, start: node.args[0]!.start, end: node.args[node.args.length - 1]!.end, newText: text };
}

/** The indentation one level deeper than `offset`'s line, in the file's own style. */
function innerIndentation(text: string, offset: number): string {
  const unit = /\n(\t+|[ ]{2,8})\S/.exec(text)?.[1];
  const step = unit?.startsWith('\t') ? '\t' : unit ? ' '.repeat(Math.min(unit.length, 4)) : '    ';
  return indentationAt(text, offset) + step;
}

/**
 * Inserts directive lines into a block written in `file`: after the last of its own directives that
 * `after` accepts, else at the top of the block (or of the file, for a file's top level).
 */
export function insertIntoBlock(file: ParsedFile, block: Block, lines: readonly string[], after?: (d: Directive) => boolean): EditSpec {
  const own = block.directives.filter((d) => d.terminator !== null);
  const anchor = after ? [...own].reverse().find(after) : undefined;
  if (anchor) return insertLinesAfter(file, anchor, lines);
  const eol = lineBreakOf(file.text);
  if (block.open < 0) {
    return { file, start: 0, end: 0, newText: lines.map((l) => `${l}${eol}`).join('') };
  }
  const first = own[0];
  const indent = first ? indentationAt(file.text, first.start) : innerIndentation(file.text, block.open);
  const inserted = lines.map((l) => `${eol}${indent}${l}`).join('');
  // an empty block written on one line (`events {}`): its `}` goes to a line of its own
  const inside = block.close === null ? undefined : file.text.slice(block.open + 1, block.close);
  if (!first && inside !== undefined && /^[ \t]*$/.test(inside)) {
    return { file, start: block.open + 1, end: block.close!, newText: `${inserted}${eol}${indentationAt(file.text, block.open)}` };
  }
  return { file, start: block.open + 1, end: block.open + 1, newText: inserted };
}
