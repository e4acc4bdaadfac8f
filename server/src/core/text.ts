// Positions as LSP counts them: 0-based lines, characters in UTF-16 code units (JS string indices).
// Line breaks are \n, \r\n and \r, as in LSP. NGINX counts only \n; `nginxLine` gives its number.

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export class LineIndex {
  /** Offset of the first character of each line. */
  private readonly starts: number[];
  /** Offsets of every \n, for NGINX's line numbers. */
  private readonly newlines: number[];

  constructor(readonly text: string, known?: { starts: number[]; newlines: number[] }) {
    if (known) {
      this.starts = known.starts;
      this.newlines = known.newlines;
      return;
    }
    this.starts = [0];
    this.newlines = [];
    scanBreaks(text, 0, text.length, this.starts, this.newlines);
  }

  /**
   * The index of `text`, which is this index's text with [start, oldEnd) replaced by text[start, newEnd):
   * the lines before the edit are kept, those after it moved, only the edit (and the break before it, a
   * \r that a \n may now follow) scanned.
   */
  afterEdit(text: string, start: number, oldEnd: number, newEnd: number): LineIndex {
    const from = Math.max(0, start - 1); // break characters from here on are looked at again
    const delta = newEnd - oldEnd;
    const starts: number[] = [];
    const newlines: number[] = [];
    scanBreaks(text, from, newEnd, starts, newlines);
    return new LineIndex(text, {
      starts: spliced(this.starts, upperBound(this.starts, from), upperBound(this.starts, oldEnd), starts, delta),
      newlines: spliced(this.newlines, lowerBound(this.newlines, from), lowerBound(this.newlines, oldEnd), newlines, delta),
    });
  }

  get lineCount(): number {
    return this.starts.length;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const line = upperBound(this.starts, clamped) - 1;
    return { line, character: clamped - this.starts[line]! };
  }

  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.starts.length) return this.text.length;
    const lineStart = this.starts[position.line]!;
    const next = position.line + 1 < this.starts.length ? this.starts[position.line + 1]! : this.text.length;
    return Math.max(lineStart, Math.min(lineStart + position.character, next));
  }

  range(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }

  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))]!;
  }

  /** The text of a line without its line break. */
  lineText(line: number): string {
    const start = this.lineStart(line);
    let end = line + 1 < this.starts.length ? this.starts[line + 1]! : this.text.length;
    while (end > start && (this.text.charCodeAt(end - 1) === 10 || this.text.charCodeAt(end - 1) === 13)) end--;
    return this.text.slice(start, end);
  }

  /**
   * The line NGINX prints for an error raised after reading the character at `offset`
   * (1-based, counting \n up to and including that character). `offset === text.length` is end of file.
   */
  nginxLine(offset: number): number {
    return upperBound(this.newlines, Math.min(offset, this.text.length)) + 1;
  }
}

/** Adds the line starts and \n offsets of the breaks at text[from, to) (a \r followed by \n is one break, at the \n). */
function scanBreaks(text: string, from: number, to: number, starts: number[], newlines: number[]): void {
  const cr = text.indexOf('\r', from);
  if (cr < 0 || cr >= to) {
    // no \r: the \n alone, found by indexOf (many times faster than a loop over every character)
    for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) {
      newlines.push(i);
      starts.push(i + 1);
    }
    return;
  }
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      newlines.push(i);
      starts.push(i + 1);
    } else if (c === 13 && text.charCodeAt(i + 1) !== 10) {
      starts.push(i + 1);
    }
  }
}

/**
 * `sorted` with its elements [keep, tail) replaced by `middle` and those from `tail` on moved by
 * `delta`: the same array when that changes nothing, else one array made at its length (an edit on
 * one line of a long file keeps the count of lines; growing a list element by element made twice the
 * garbage at each keystroke).
 */
function spliced(sorted: number[], keep: number, tail: number, middle: readonly number[], delta: number): number[] {
  if (middle.length === tail - keep) {
    let same = delta === 0;
    for (let i = 0; same && i < middle.length; i++) same = middle[i] === sorted[keep + i];
    if (same) return sorted;
    const out = sorted.slice();
    for (let i = 0; i < middle.length; i++) out[keep + i] = middle[i]!;
    if (delta !== 0) for (let i = tail; i < out.length; i++) out[i]! += delta;
    return out;
  }
  const out = sorted.slice(0, keep);
  for (const value of middle) out.push(value);
  for (let i = tail; i < sorted.length; i++) out.push(sorted[i]! + delta);
  return out;
}

/** Index of the first element not less than `value` in a sorted array. */
function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first element greater than `value` in a sorted array. */
function upperBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

/** The indentation (spaces and tabs) at the start of the line holding `offset`. */
export function indentationAt(text: string, offset: number): string {
  let start = offset;
  while (start > 0 && text[start - 1] !== '\n' && text[start - 1] !== '\r') start--;
  let end = start;
  while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
  return text.slice(start, end);
}

/** The line break style a file uses, for edits that insert lines. */
export function lineBreakOf(text: string): string {
  const lf = text.indexOf('\n');
  return lf > 0 && text[lf - 1] === '\r' ? '\r\n' : '\n';
}

/** How many characters two texts share from their start. */
export function unchangedPrefix(a: string, b: string): number {
  const max = Math.min(a.length, b.length);
  let i = 0;
  // whole blocks first: comparing two slices is a memory comparison, a character at a time is not
  while (i + COMPARED_BLOCK <= max && a.slice(i, i + COMPARED_BLOCK) === b.slice(i, i + COMPARED_BLOCK)) i += COMPARED_BLOCK;
  while (i < max && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** How many characters two texts share at their end, at most `max`. */
export function unchangedSuffix(a: string, b: string, max = Math.min(a.length, b.length)): number {
  let n = 0;
  while (n + COMPARED_BLOCK <= max && a.slice(a.length - n - COMPARED_BLOCK, a.length - n) === b.slice(b.length - n - COMPARED_BLOCK, b.length - n)) n += COMPARED_BLOCK;
  while (n < max && a.charCodeAt(a.length - 1 - n) === b.charCodeAt(b.length - 1 - n)) n++;
  return n;
}

const COMPARED_BLOCK = 1024;

/** `text` with every character a regular expression gives a meaning to escaped. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
