// Edits of a cloudflared config that keep its layout: whole lines at the indentation of their
// neighbours, the file's line breaks.

import type { Node } from 'yaml';
import { indentationAt, lineBreakOf } from '../core/text';
import type { EditSpec } from '../rules/rule';
import type { Entry, TunnelFile } from './document';

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

/** The end of an entry's value on its last line, comments on that line included. */
function entryEnd(file: TunnelFile, e: Entry): number {
  const valueEnd = e.value?.range?.[1] ?? e.keyNode.range?.[1] ?? 0;
  // A block value's range can end at the start of the next line: step back onto its own.
  let end = valueEnd;
  while (end > 0 && (file.text[end - 1] === '\n' || file.text[end - 1] === '\r')) end--;
  return lineEnd(file.text, end);
}

/** Replaces the lines of an entry (key and value) with `lines`, at the entry's indentation. */
export function replaceEntry(file: TunnelFile, e: Entry, lines: readonly string[]): EditSpec {
  const keyStart = e.keyNode.range![0];
  const indent = indentationAt(file.text, keyStart);
  const eol = lineBreakOf(file.text);
  return { file, start: keyStart, end: entryEnd(file, e), newText: lines.map((l, i) => (i === 0 ? l : `${eol}${indent}${l}`)).join('') };
}

/** Removes an entry's lines entirely. */
export function removeEntry(file: TunnelFile, e: Entry): EditSpec {
  const start = lineStart(file.text, e.keyNode.range![0]);
  let end = entryEnd(file, e);
  if (file.text.startsWith('\r\n', end)) end += 2;
  else if (end < file.text.length) end += 1;
  return { file, start, end, newText: '' };
}

/** A new list item after `last` (an item of the same list), at its indentation: `- text`. */
export function appendListItem(file: TunnelFile, last: Node, lines: readonly string[]): EditSpec {
  const itemStart = last.range![0];
  const dashLine = file.text.slice(lineStart(file.text, itemStart), itemStart);
  const dash = /^(\s*)-\s*/.exec(dashLine);
  const indent = dash ? dash[1]! : indentationAt(file.text, itemStart);
  const inner = dash ? ' '.repeat(dash[0].length - dash[1]!.length) : '  ';
  const eol = lineBreakOf(file.text);
  let end = last.range![1];
  while (end > 0 && (file.text[end - 1] === '\n' || file.text[end - 1] === '\r')) end--;
  end = lineEnd(file.text, end);
  return { file, start: end, end, newText: lines.map((l, i) => `${eol}${indent}${i === 0 ? '- ' : inner}${l}`).join('') };
}

/** Replaces a scalar (a key or a value) with `text`. */
export function replaceScalar(file: TunnelFile, node: Node, text: string): EditSpec {
  return { file, start: node.range![0], end: node.range![1], newText: text };
}
