// The editor's text of a file read through the parse an analysis made of an older text of it. While the
// user types, hover and completion are asked at every pause, on a text no analysis has read yet; where
// the two texts read alike, the answer is the one the analysed parse gives, its offsets and lines moved,
// and the file is not parsed again (a 10,000-line file took a millisecond to parse in place and
// megabytes of objects that the main thread's collector then copied, at every keystroke).
//
// Where they read alike: before the change, up to the last word that ends before it (nginx reads a
// file from its start: the same characters leave the tokenizer in the same state); after it, when the
// change stays inside one simple directive that still reads as one directive on its own (the reparse
// in place's condition, nginx/reparse.ts), from the end of that directive on. Elsewhere a view has no
// answer and the caller parses the text.

import { LineIndex, type Position, type Range } from '../core/text';
import type { ProjectAnalysis } from '../engine/analyze';
import type { ParsedFile } from '../nginx/ast';
import type { DirectiveCatalog } from '../nginx/directives';
import { changeBetween, changedDirective, type TextChange } from '../nginx/reparse';
import { type CompletionEntry, completionsAt } from './completion';
import { hoverAt } from './hover';
import { locate } from './locate';

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

  private readsAlikeFrom(): number | undefined {
    if (this.after === undefined) this.after = changedDirective(this.analysed, this.text, this.change)?.edited.end ?? null;
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
