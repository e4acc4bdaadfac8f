// The editor's text of a file read through the parse an analysis made of an older text of it. While the
// user types, hover and completion are asked at every pause, on a text no analysis has read yet; where
// the two texts read alike, the answer is the one the analysed parse gives, its offsets and lines moved,
// and the file is not parsed again (a reparse in place of a 10,000-line file took milliseconds and left
// megabytes of objects that the main thread's collector then copied, at every keystroke).
//
// Where they read alike: before the change, up to the last word that ends before it (nginx reads a
// file from its start: the same characters leave the tokenizer in the same state); after it, from the
// end of the directive it stays inside, when that still reads as one directive on its own, or from the
// first statement end after it where both texts' statements end (the conditions of the reparses in
// place, nginx/reparse.ts). Where the user types (a new directive's name, say), completion reads the
// statement under the cursor on its own, from the last statement start before the change, in the
// context of the analysed block there. Elsewhere a view has no answer and the caller parses the text.

import { LineIndex, type Position, type Range } from '../core/text';
import type { ProjectAnalysis } from '../engine/analyze';
import { blockAt, type ParsedFile } from '../nginx/ast';
import type { ContextKind, DirectiveCatalog } from '../nginx/directives';
import { parseNginx } from '../nginx/parser';
import { changeBetween, changedDirective, changedStatements, type TextChange, UNTERMINATED } from '../nginx/reparse';
import { type CompletionEntry, completionsAt, isWordChar } from './completion';
import { hoverAt } from './hover';
import { contextAt, locate } from './locate';

/** How far below the change's first line a position may be for the statement there to be read on its own. */
const MAX_LINES_FROM_CHANGE = 200;

export class AnalysedView {
  private readonly change: TextChange;
  /** Lines the change added (removed, when negative). */
  private readonly lineDelta: number;
  /** The line of the change's start, and of its end in the analysed text. */
  private readonly startLine: number;
  private readonly oldEndLine: number;
  /** Where the analysed text reads alike again after the change (an offset of it), computed when first asked. */
  private after: number | null | undefined;

  constructor(
    readonly analysed: ParsedFile,
    readonly text: string,
  ) {
    this.change = changeBetween(analysed.text, text);
    const { start, oldEnd, newEnd } = this.change;
    // the break characters around the change are counted with it: a \r before it may now be followed by a \n
    const from = Math.max(0, start - 1);
    const lineCount = (s: string, a: number, b: number) => new LineIndex(s.slice(a, Math.min(s.length, b + 1))).lineCount;
    this.lineDelta = lineCount(text, from, newEnd) - lineCount(analysed.text, from, oldEnd);
    this.startLine = analysed.lines.positionAt(start).line;
    this.oldEndLine = analysed.lines.positionAt(oldEnd).line;
  }

  /** The offset of the analysed text that reads as `position` of the editor's text does, if one does. */
  analysedOffset(position: Position): number | undefined {
    const lines = this.analysed.lines;
    if (position.line < this.startLine) return lines.offsetAt(position);
    if (position.line === this.startLine) {
      const offset = lines.lineStart(position.line) + position.character;
      return offset < this.change.start ? offset : undefined;
    }
    const after = this.readsAlikeFrom();
    if (after === undefined || position.line <= this.oldEndLine + this.lineDelta) return undefined;
    const offset = lines.offsetAt({ line: position.line - this.lineDelta, character: position.character });
    return offset >= after ? offset : undefined;
  }

  /** The range of the editor's text that [start, end) of the analysed text is, if both ends read alike. */
  range(start: number, end: number): Range | undefined {
    if (end < this.change.start) return this.analysed.lines.range(start, end);
    const after = this.readsAlikeFrom();
    if (after === undefined || start < after) return undefined;
    const range = this.analysed.lines.range(start, end);
    if (range.start.line <= this.oldEndLine) return undefined;
    return { start: { line: range.start.line + this.lineDelta, character: range.start.character }, end: { line: range.end.line + this.lineDelta, character: range.end.character } };
  }

  /**
   * The statement under `position` in the changed part of the editor's text, read on its own: from the
   * last place before the change where nginx's tokenizer starts a statement (the same state in both
   * texts: the text before it is the same), to the end of the word under the position; with the
   * context of the analysed block it is in. Undefined where that is not what a parse of the whole text
   * reads (a block opened or closed since, a Lua block, a syntax issue before it), or far from the change.
   */
  statementAt(position: Position, analysis: ProjectAnalysis): { file: ParsedFile; offset: number; start: number; context: ContextKind; lineStart: number; lineEnd: number } | undefined {
    const old = this.analysed;
    if (position.line < this.startLine || position.line - this.startLine > MAX_LINES_FROM_CHANGE) return undefined;
    // the position's line in the editor's text: lines up to the change's are where they were
    let lineStart = old.lines.lineStart(this.startLine);
    for (let line = this.startLine; line < position.line; line++) {
      const next = nextLineStart(this.text, lineStart);
      if (next === undefined) return undefined;
      lineStart = next;
    }
    const lineEnd = lineEndOf(this.text, lineStart);
    const offset = Math.min(lineStart + position.character, lineEnd);
    const from = Math.min(this.change.start, offset);

    const block = blockAt(old.root, from);
    if (block.lua) return undefined;
    const around = block.directives.find((d) => d.start <= from && from < d.end);
    if (around?.block && from > around.block.open) return undefined;
    const comment = around ? undefined : block.comments.find((c) => c.start <= from && from < c.end);
    const start = around?.start ?? comment?.start ?? from;
    if (old.issues.some((issue) => issue.start < start)) return undefined;

    let end = offset;
    while (end < lineEnd && isWordChar(this.text[end])) end++;
    const file = parseNginx(old.path, this.text.slice(start, end), { latin1: old.latin1 });
    // what the statement opens or closes is not read here: the whole text is
    // (a quoted word it cuts is another word than the whole text's)
    if (file.issues.some((issue) => issue.message !== UNTERMINATED || issue.related !== undefined)) return undefined;
    if (blockAt(file.root, offset - start) !== file.root) return undefined;
    // a statement the fragment ends inside goes on past it in the whole text
    const last = file.root.directives.at(-1);
    if (last && last.terminator === null) last.end = file.text.length;
    return { file, offset: offset - start, start, context: contextAt(analysis, old, start), lineStart, lineEnd };
  }

  private readsAlikeFrom(): number | undefined {
    if (this.after === undefined) {
      this.after = changedDirective(this.analysed, this.text, this.change)?.edited.end ?? changedStatements(this.analysed, this.text, this.change)?.oldEnd ?? null;
    }
    return this.after ?? undefined;
  }
}

/** The hover of the analysed parse at `position`, when the editor's text reads alike there. */
export function hoverThroughView(view: AnalysedView, analysis: ProjectAnalysis, catalog: DirectiveCatalog, position: Position): { markdown: string; range: Range } | undefined {
  const offset = view.analysedOffset(position);
  if (offset === undefined) return undefined;
  const word = hoverAt(analysis, catalog, view.analysed, offset);
  if (!word || !namedAlike(view, offset)) return undefined;
  const range = view.range(word.start, word.end);
  return range && { markdown: word.markdown, range };
}

/** Whether the directive at `offset` of the analysed parse has its name in the editor's text too (what a word in it is read against). */
function namedAlike(view: AnalysedView, offset: number): boolean {
  const directive = locate(view.analysed, offset).directive;
  return !directive || view.range(directive.nameToken.start, directive.nameToken.end) !== undefined;
}

/**
 * The completions of the analysed parse at `position`, when the editor's text reads alike there: the
 * word they replace, and the name of the directive whose arguments they complete.
 */
export function completionsThroughView(
  view: AnalysedView,
  analysis: ProjectAnalysis,
  catalog: DirectiveCatalog,
  position: Position,
): { entries: CompletionEntry[]; range: (start: number, end: number) => Range } | undefined {
  const offset = view.analysedOffset(position);
  if (offset === undefined) return undefined;
  const entries = completionsAt(analysis, catalog, view.analysed, offset);
  if (!namedAlike(view, offset)) return undefined;
  // every entry replaces the word at the position
  const word = entries[0];
  if (word && (!view.range(word.start, word.end) || entries.some((e) => e.start !== word.start || e.end !== word.end))) return undefined;
  return { entries, range: (start, end) => view.range(start, end)! };
}

/**
 * The hover where the user types: that of the statement under the position read on its own
 * (AnalysedView.statementAt), `word` undefined where there is none. Undefined where the statement
 * cannot be read so, or where the hover asks the analysis about the directive itself (the cipher
 * table looks for its server there).
 */
export function hoverWhereTyped(view: AnalysedView, analysis: ProjectAnalysis, catalog: DirectiveCatalog, position: Position): { word?: { markdown: string; range: Range } } | undefined {
  const statement = view.statementAt(position, analysis);
  if (!statement) return undefined;
  const { file, offset, start, context, lineStart, lineEnd } = statement;
  if (locate(file, offset).directive?.name === 'ssl_ciphers') return undefined;
  const word = hoverAt(analysis, catalog, file, offset, context);
  if (!word) return {};
  if (word.start + start < lineStart || word.end + start > lineEnd) return undefined;
  const at = (offset: number) => ({ line: position.line, character: offset + start - lineStart });
  return { word: { markdown: word.markdown, range: { start: at(word.start), end: at(word.end) } } };
}

/**
 * The completions where the user types (the changed part of the text): those of the statement under the
 * position read on its own (AnalysedView.statementAt), when every entry replaces a word of its line.
 */
export function completionsWhereTyped(
  view: AnalysedView,
  analysis: ProjectAnalysis,
  catalog: DirectiveCatalog,
  position: Position,
): { entries: CompletionEntry[]; range: (start: number, end: number) => Range } | undefined {
  const statement = view.statementAt(position, analysis);
  if (!statement) return undefined;
  const { file, offset, start, context, lineStart, lineEnd } = statement;
  const entries = completionsAt(analysis, catalog, file, offset, context);
  for (const entry of entries) {
    // (entries are made for each request: moved in place)
    entry.start += start;
    entry.end += start;
  }
  if (entries.some((e) => e.start < lineStart || e.end > lineEnd)) return undefined;
  const at = (offset: number) => ({ line: position.line, character: offset - lineStart });
  return { entries, range: (from, to) => ({ start: at(from), end: at(to) }) };
}

/** The offset of the line after the one starting at `from` (a line ends at \r\n, \r or \n, as LSP counts). */
function nextLineStart(text: string, from: number): number | undefined {
  const end = lineEndOf(text, from);
  if (end >= text.length) return undefined;
  return text[end] === '\r' && text[end + 1] === '\n' ? end + 2 : end + 1;
}

/** Where the line starting at `from` ends (its break, or the text's end). */
function lineEndOf(text: string, from: number): number {
  let end = from;
  while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
  return end;
}
