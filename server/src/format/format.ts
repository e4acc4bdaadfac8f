// The formatter: rewrites the white space between a file's elements (./elements.ts) and nothing else,
// then parses its output and compares: a result whose elements differ from the input's is never
// returned, so a formatted file is read by nginx exactly as before. A file with a syntax error is not
// formatted (what was not parsed is not rewritten).
//
// Layout: one directive per line, indented one unit per block; `}` on its own line (an empty block is
// `{}`); a comment stays on the line of what it follows, or on its own line at the block's indentation;
// blank lines kept, at most one in a row, none at the start or end of a block; the arguments of a
// directive written over several lines stay on those lines, aligned under the first argument; the
// keys of map, geo, types, split_clients and charset_map bodies padded to one column. Words are
// written as they are (quotes, escapes, regexes); the body of a `*_by_lua_block` is not touched.

import { lineBreakOf, type Range } from '../core/text';
import type { Block, Directive, ParsedFile } from '../nginx/ast';
import { parseNginx } from '../nginx/parser';
import { elementsOf, sameElements, type Element } from './elements';

export interface FormatOptions {
  /** One level of indentation: spaces or a tab. */
  indent: string;
  /** Line break to write; default: the file's own. */
  eol?: '\n' | '\r\n';
  /** End the file with a line break (default), or without one (false). */
  insertFinalNewline?: boolean;
  /** Remove white space at the end of comment lines (default true; code lines never keep any). */
  trimTrailingWhitespace?: boolean;
}

export const DEFAULT_FORMAT_OPTIONS: FormatOptions = { indent: '    ' };

export type FormatResult = { ok: true; text: string } | { ok: false; reason: string };

/** Blocks whose entries are keys and values: the keys are padded to one column. */
const KEY_VALUE_BLOCKS = new Set(['map', 'geo', 'types', 'split_clients', 'charset_map']);

interface Emitted {
  text: string;
  /** Output offsets of each element. */
  at: Array<{ start: number; end: number }>;
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

/** The width of the key column of a key-value block: its longest key followed by a value on the same line. */
function keyWidth(file: ParsedFile, block: Block, cache: Map<Block, number>): number {
  let width = cache.get(block);
  if (width === undefined) {
    width = 0;
    if (block.owner && KEY_VALUE_BLOCKS.has(block.owner.name)) {
      for (const d of block.directives) {
        if (valueOnNameLine(file, d)) width = Math.max(width, d.nameToken.end - d.nameToken.start);
      }
    }
    cache.set(block, width);
  }
  return width;
}

/** Whether a directive's first argument is on its name's line (a comment between them would end that line). */
function valueOnNameLine(file: ParsedFile, d: Directive): boolean {
  const first = d.args[0];
  return first !== undefined && countNewlines(file.text, d.nameToken.end, first.start) === 0;
}

function emit(file: ParsedFile, elements: readonly Element[], options: FormatOptions): Emitted {
  const text = file.text;
  const unit = options.indent;
  const eol = options.eol ?? (lineBreakOf(text) as '\n' | '\r\n');
  const trim = options.trimTrailingWhitespace !== false;
  const widths = new Map<Block, number>();
  const parts: string[] = [];
  const at: Emitted['at'] = [];
  let length = 0;
  const write = (s: string) => {
    parts.push(s);
    length += s.length;
  };

  let depth = 0;
  /**
   * The directive whose words are being written; the indentation of its continuation lines (under the
   * last argument of its first line); the space after its name; whether its first line is still open.
   */
  let current: Directive | undefined;
  let continuation = '';
  let afterName = ' ';
  let firstLine = false;
  let lineStart = 0;

  for (let i = 0; i < elements.length; i++) {
    const e = elements[i]!;
    const prev = elements[i - 1];
    const newlines = prev ? countNewlines(text, prev.end, e.start) : 0;
    const blankAllowed = prev !== undefined && prev.kind !== '{' && newlines >= 2;
    const indent = unit.repeat(depth);
    let raw = text.slice(e.start, e.end);

    switch (e.kind) {
      case 'name': {
        if (prev) write(blankAllowed ? eol + eol : eol);
        write(indent);
        lineStart = length - indent.length;
        const d = e.directive!;
        current = d;
        const width = keyWidth(file, d.parent, widths);
        afterName = valueOnNameLine(file, d) ? ' '.repeat(Math.max(width - (e.end - e.start), 0) + 1) : ' ';
        continuation = indent + unit;
        firstLine = true;
        break;
      }
      case 'argument':
        if (prev!.end === e.start) break; // `"x")`: words that touch stay together
        if (newlines > 0) {
          write(eol + continuation);
          firstLine = false;
        } else {
          write(prev!.kind === 'name' ? afterName : ' ');
          if (firstLine) continuation = indent + ' '.repeat(length - lineStart - indent.length);
        }
        break;
      case ';':
        if (prev?.kind === 'comment') write(eol + continuation);
        current = undefined;
        break;
      case '{':
        write(prev?.kind === 'comment' ? eol + continuation : ' ');
        current = undefined;
        depth++;
        break;
      case 'lua':
        break; // right after its `{`, as written
      case '}':
        depth--;
        if (!(prev?.kind === 'lua' || (prev?.kind === '{' && prev.directive === e.directive))) write(eol + unit.repeat(depth));
        break;
      case 'comment':
        if (trim) raw = raw.replace(/[ \t\r]+$/, '');
        firstLine = false;
        if (prev && newlines === 0) write(' ');
        else {
          if (prev) write(blankAllowed && !current ? eol + eol : eol);
          write(current ? continuation : indent);
        }
        break;
    }
    at.push({ start: length, end: length + raw.length });
    write(raw);
    if (raw.includes('\n')) firstLine = false;
  }
  if (elements.length > 0 && options.insertFinalNewline !== false) write(eol);
  return { text: parts.join(''), at };
}

interface Prepared {
  file: ParsedFile;
  elements: Element[];
}

function prepare(path: string, text: string, latin1: boolean): Prepared | { reason: string } {
  const file = parseNginx(path, text, { latin1 });
  const issue = file.issues[0];
  if (issue) return { reason: `not formatted: line ${issue.nginxLine}: ${issue.message} (fix the syntax error first)` };
  const listed = elementsOf(file);
  if (!listed.ok) return { reason: `not formatted: ${listed.reason}` };
  return { file, elements: listed.elements };
}

/** Whether `output` is read as `input` is: no syntax error, and the same elements. */
function readAlike(input: Prepared, output: string): boolean {
  const file = parseNginx(input.file.path, output, { latin1: input.file.latin1 });
  if (file.issues.length > 0) return false;
  const listed = elementsOf(file);
  return listed.ok && sameElements(input.file, input.elements, file, listed.elements);
}

/** The formatted text of a whole file. */
export function formatNginx(path: string, text: string, options: FormatOptions = DEFAULT_FORMAT_OPTIONS, latin1 = false): FormatResult {
  const input = prepare(path, text, latin1);
  if ('reason' in input) return { ok: false, reason: input.reason };
  const { text: output } = emit(input.file, input.elements, options);
  if (!readAlike(input, output)) return { ok: false, reason: BUG };
  return { ok: true, text: output };
}

const BUG = 'not formatted: the result would not be read as the original is (a bug in kasmlint: please report it with the file)';

export type RangeFormatResult = { ok: true; start: number; end: number; newText: string } | { ok: false; reason: string };

/**
 * Formatting of the lines a range touches: the whole lines of the elements that start on them (more
 * when a formatted line also holds elements from outside), replaced by their formatted lines. Lines
 * are nginx's (ended by \n); offsets are into `text`; `newText` replaces [start, end).
 */
export function formatNginxRange(path: string, text: string, range: Range, options: FormatOptions = DEFAULT_FORMAT_OPTIONS, latin1 = false): RangeFormatResult {
  const input = prepare(path, text, latin1);
  if ('reason' in input) return { ok: false, reason: input.reason };
  const { elements } = input;
  const emitted = emit(input.file, elements, options);
  if (!readAlike(input, emitted.text)) return { ok: false, reason: BUG };

  const source = new Lines(text);
  const target = new Lines(emitted.text);
  const rangeStart = input.file.lines.offsetAt(range.start);
  const rangeEnd = input.file.lines.offsetAt(range.end);
  const firstLine = source.lineOf(rangeStart);
  const lastLine = source.lineOf(rangeEnd) - (rangeEnd > rangeStart && text[rangeEnd - 1] === '\n' ? 1 : 0);
  let first = elements.findIndex((e) => source.lineOf(e.start) >= firstLine);
  let last = first - 1;
  for (let i = Math.max(first, 0); i < elements.length && source.lineOf(elements[i]!.start) <= lastLine; i++) last = i;
  if (first < 0 || last < first) return { ok: true, start: 0, end: 0, newText: '' };

  // Grow [first, last] until the source lines and the formatted lines it spans hold nothing else.
  const startLine = (lines: Lines, span: { start: number }) => lines.lineOf(span.start);
  const endLine = (lines: Lines, span: { end: number }) => lines.lineOf(span.end - 1);
  for (let grown = true; grown; ) {
    grown = false;
    for (const [lines, spans] of [[source, elements], [target, emitted.at]] as const) {
      while (first > 0 && endLine(lines, spans[first - 1]!) === startLine(lines, spans[first]!)) [first, grown] = [first - 1, true];
      while (last < elements.length - 1 && startLine(lines, spans[last + 1]!) === endLine(lines, spans[last]!)) [last, grown] = [last + 1, true];
    }
  }
  return {
    ok: true,
    start: source.startOf(elements[first]!.start),
    end: source.endOf(elements[last]!.end),
    newText: emitted.text.slice(target.startOf(emitted.at[first]!.start), target.endOf(emitted.at[last]!.end)),
  };
}

/** Lines as nginx counts them: ended by \n only. */
class Lines {
  private readonly breaks: number[] = [];

  constructor(private readonly text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.breaks.push(i);
  }

  /** The number of line breaks before `offset`. */
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.breaks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.breaks[mid]! < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The start of the line holding `offset`. */
  startOf(offset: number): number {
    return this.text.lastIndexOf('\n', offset - 1) + 1;
  }

  /** Where the line holding the character before `offset` ends (its \r\n or \n excluded). */
  endOf(offset: number): number {
    const lf = this.text.indexOf('\n', offset);
    if (lf < 0) return this.text.length;
    return lf > offset && this.text[lf - 1] === '\r' ? lf - 1 : lf;
  }
}
