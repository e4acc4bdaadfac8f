// Edits of a cloudflared config that keep its layout: whole lines at the indentation of their
// neighbours, the file's line breaks. Places are text offsets (yaml.v3 nodes carry theirs).

import { indentationAt, lineBreakOf } from '../core/text';
import type { EditSpec } from '../rules/rule';
import type { TunnelFile } from './document';

export interface Span {
  start: number;
  end: number;
}

function lineStart(text: string, offset: number): number {
  let start = offset;
  while (start > 0 && text[start - 1] !== '\n' && text[start - 1] !== '\r') start--;
  return start;
}

function lineEnd(text: string, offset: number): number {
  let end = offset;
  while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
  return end;
}

/** The end of a node on its last line, comments on that line included. */
function endOfLastLine(file: TunnelFile, node: Span): number {
  // A block value can end at the start of the next line: step back onto its own.
  let end = Math.min(node.end, file.text.length);
  while (end > node.start && (file.text[end - 1] === '\n' || file.text[end - 1] === '\r')) end--;
  return lineEnd(file.text, end);
}

/** Replaces the lines of an entry (key and value) with `lines`, at the entry's indentation. */
export function replaceEntry(file: TunnelFile, key: Span, value: Span, lines: readonly string[]): EditSpec {
  const indent = indentationAt(file.text, key.start);
  const eol = lineBreakOf(file.text);
  return { file, start: key.start, end: endOfLastLine(file, value.end > key.end ? value : key), newText: lines.map((l, i) => (i === 0 ? l : `${eol}${indent}${l}`)).join('') };
}

/** Removes an entry's lines entirely. */
export function removeEntry(file: TunnelFile, key: Span, value: Span): EditSpec {
  const start = lineStart(file.text, key.start);
  let end = endOfLastLine(file, value.end > key.end ? value : key);
  if (file.text.startsWith('\r\n', end)) end += 2;
  else if (end < file.text.length) end += 1;
  return { file, start, end, newText: '' };
}

/** A new list item after `last` (an item of the same block list), at its indentation: `- text`. */
export function appendListItem(file: TunnelFile, last: Span, lines: readonly string[]): EditSpec {
  const dashLine = file.text.slice(lineStart(file.text, last.start), last.start);
  const dash = /^(\s*)-\s*/.exec(dashLine);
  const indent = dash ? dash[1]! : indentationAt(file.text, last.start);
  const inner = dash ? ' '.repeat(dash[0].length - dash[1]!.length) : '  ';
  const eol = lineBreakOf(file.text);
  const end = endOfLastLine(file, last);
  return { file, start: end, end, newText: lines.map((l, i) => `${eol}${indent}${i === 0 ? '- ' : inner}${l}`).join('') };
}

/** Replaces a scalar (a key or a value) with `text`. */
export function replaceScalar(file: TunnelFile, node: Span, text: string): EditSpec {
  return { file, start: node.start, end: node.end, newText: text };
}

/** Nothing but indentation before the node on its line (a `- ` list dash is something): its lines can go whole. */
export function startsLine(file: TunnelFile, node: Span): boolean {
  return /^[ \t]*$/.test(file.text.slice(lineStart(file.text, node.start), node.start));
}
