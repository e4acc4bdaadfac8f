// Text edits the fixes share, formatted like the surrounding file.

import { indentationAt, lineBreakOf } from '../core/text';
import type { Directive, ParsedFile } from '../nginx/ast';
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
