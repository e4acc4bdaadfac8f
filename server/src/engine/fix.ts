// Applying fixes: the preferred fix of each finding (safe ones, or unsafe too when asked), without
// overlaps, file by file; then lint again and repeat until nothing is left to fix. Only files that were
// read are written, each atomically, and a fix spanning files is applied to all of them or to none.

import { LineIndex } from '../core/text';
import type { ParsedFile } from '../nginx/ast';
import findingLimit from '../rules/kasmlint/finding-limit';
import { commitWrite, discardWrite, prepareWrite, type PreparedWrite } from '../workspace/write';
import type { Finding, Fix, TextEdit } from './findings';
import { lintPaths, type LintOptions, type LintRun } from './lint';
import { addTo } from '../core/maps';

/**
 * Applies non-overlapping edits to a text, in one pass over it (an insertion and a replacement that
 * start at one point: the insertion first). Splicing edit by edit copied the whole text at each of
 * them: 20,020 fixes of a 4 MB file spent 49 of their 95 s in the kernel.
 */
export function applyTextEdits(text: string, edits: readonly TextEdit[], lines = new LineIndex(text)): string {
  const spans = edits
    .map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), text: e.newText }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  const pieces: string[] = [];
  let done = 0;
  for (const span of spans) {
    pieces.push(text.slice(done, span.start), span.text);
    done = span.end;
  }
  pieces.push(text.slice(done));
  return pieces.join('');
}

function comparePositions(p: TextEdit['range']['start'], q: TextEdit['range']['start']): number {
  return p.line - q.line || p.character - q.character;
}

function isEmpty(e: TextEdit): boolean {
  return comparePositions(e.range.start, e.range.end) === 0;
}

/** Edits that touch the same text, or two insertions at one point (their order would be arbitrary). */
function overlaps(a: TextEdit, b: TextEdit): boolean {
  if (a.file !== b.file) return false;
  if (isEmpty(a) && isEmpty(b)) return comparePositions(a.range.start, b.range.start) === 0;
  return comparePositions(a.range.start, b.range.end) < 0 && comparePositions(b.range.start, a.range.end) < 0;
}

function identical(a: TextEdit, b: TextEdit): boolean {
  return (
    a.file === b.file &&
    comparePositions(a.range.start, b.range.start) === 0 &&
    comparePositions(a.range.end, b.range.end) === 0 &&
    a.newText === b.newText
  );
}

export interface ChosenFix {
  finding: Finding;
  fix: Fix;
}

/** Which fix of a finding to apply: its preferred one, unless a caller (a checklist step) asks for another. */
export type FixPicker = (finding: Finding) => Fix | undefined;

export const preferredFix: FixPicker = (finding) => finding.fixes.find((f) => f.preferred);

/**
 * The edits already chosen, by file and by each line they touch: whether a new edit overlaps one is
 * asked of those on its lines only (a list of every edit asked of each new one was quadratic: 20,000
 * fixes in one file, 400 million comparisons a pass).
 */
class ChosenEdits {
  private readonly byLine = new Map<string, Map<number, TextEdit[]>>();

  private near(edit: TextEdit): TextEdit[] {
    const lines = this.byLine.get(edit.file);
    if (!lines) return [];
    const found: TextEdit[] = [];
    for (let line = edit.range.start.line; line <= edit.range.end.line; line++) found.push(...(lines.get(line) ?? []));
    return found;
  }

  /** An edit chosen already that overlaps this one without being the same. */
  conflicts(edit: TextEdit): boolean {
    return this.near(edit).some((t) => !identical(edit, t) && overlaps(edit, t));
  }

  /** Adds the edit, unless the same edit is there already (one fix for several problems). */
  add(edit: TextEdit): void {
    if (this.near(edit).some((t) => identical(edit, t))) return;
    let lines = this.byLine.get(edit.file);
    if (!lines) this.byLine.set(edit.file, (lines = new Map()));
    for (let line = edit.range.start.line; line <= edit.range.end.line; line++) addTo(lines, line, edit);
  }
}

/**
 * The preferred fix of each finding that may be applied in bulk, skipping any that overlaps one already
 * chosen. `allowUnsafe` may depend on the finding (its configuration's fixAll.unsafe setting).
 */
export function chooseFixes(
  findings: readonly Finding[],
  allowUnsafe: boolean | ((finding: Finding) => boolean),
  excludedFiles: ReadonlySet<string> = new Set(),
  pick: FixPicker = preferredFix,
): ChosenFix[] {
  const chosen: ChosenFix[] = [];
  const taken = new ChosenEdits();
  for (const finding of findings) {
    const fix = pick(finding);
    if (!fix || fix.edits.length === 0) continue;
    if (fix.applicability !== 'safe' && !(typeof allowUnsafe === 'function' ? allowUnsafe(finding) : allowUnsafe)) continue;
    if (fix.edits.some((e) => excludedFiles.has(e.file))) continue;
    // identical edits from two findings (one fix for several problems) are applied once
    if (fix.edits.some((e) => taken.conflicts(e))) continue;
    for (const e of fix.edits) taken.add(e);
    chosen.push({ finding, fix });
  }
  return chosen;
}

/** The edits of the chosen fixes, per file; an edit two fixes share appears once. */
function editsByFile(chosen: readonly ChosenFix[]): Map<string, TextEdit[]> {
  const byFile = new Map<string, TextEdit[]>();
  const seen = new Set<string>();
  for (const { fix } of chosen) {
    for (const edit of fix.edits) {
      const { start, end } = edit.range;
      const key = `${edit.file}\0${start.line}:${start.character}-${end.line}:${end.character}\0${edit.newText}`;
      if (seen.has(key)) continue;
      seen.add(key);
      addTo(byFile, edit.file, edit);
    }
  }
  return byFile;
}

/** A lint run over texts held in memory: its findings, and the text it read for each file. */
export interface TextRun {
  findings: readonly Finding[];
  textOf(path: string): string | undefined;
}

/** A lint run as fixInMemory reads it: the texts of the nginx files, referenced files and cloudflared configs it read. */
export function textRunOf(run: LintRun): TextRun {
  const texts = new Map<string, string>();
  for (const analysis of run.analyses) {
    for (const file of analysis.model.referencedFiles()) texts.set(file.path, file.text);
    for (const file of analysis.model.files.values()) texts.set(file.path, file.text);
  }
  for (const t of run.tunnels) texts.set(t.tunnel.file.path, t.tunnel.file.text);
  return { findings: run.findings, textOf: (path) => texts.get(path) };
}

/** Passes of fixing before giving up (fixes inserted at one point need one pass each). */
const MAX_PASSES = 10;

/**
 * What `--fix` does, on texts in memory (the editor's fix-all): the preferred fix of each selected
 * finding, pass after pass, linting the changed texts again (`relint`) until nothing is left to fix.
 * Returns the new text of each file that changed and the number of fixes applied; a fix touching a file
 * whose text is unknown is skipped.
 */
export function fixInMemory(
  first: TextRun,
  relint: (changed: ReadonlyMap<string, string>) => TextRun,
  options: { unsafe: boolean; select: (finding: Finding) => boolean; pick?: FixPicker },
): { texts: Map<string, string>; applied: number } {
  const changed = new Map<string, string>();
  let applied = 0;
  let run = first;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const selected = run.findings.filter(options.select);
    const unknown = new Set(selected.flatMap((f) => f.fixes.flatMap((x) => x.edits.map((e) => e.file))).filter((p) => run.textOf(p) === undefined));
    const chosen = chooseFixes(selected, options.unsafe, unknown, options.pick);
    if (chosen.length === 0) break;
    for (const [path, edits] of editsByFile(chosen)) changed.set(path, applyTextEdits(run.textOf(path)!, edits));
    applied += chosen.length;
    run = relint(changed);
  }
  return { texts: changed, applied };
}

/** Whether offset `i` falls inside a CRLF or a surrogate pair, where an edit must not start or end. */
function splits(text: string, i: number): boolean {
  if (i <= 0 || i >= text.length) return false;
  const previous = text.charCodeAt(i - 1);
  const next = text.charCodeAt(i);
  return (previous === 13 && next === 10) || (previous >= 0xd800 && previous <= 0xdbff && next >= 0xdc00 && next <= 0xdfff);
}

/** One edit that turns `before` into `after`: what lies between their common start and common end. */
export function replacementEdit(file: string, before: string, after: string): TextEdit {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  while (splits(before, start) || splits(after, start)) start--;
  let end = 0;
  while (end < before.length - start && end < after.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
  while (splits(before, before.length - end) || splits(after, after.length - end)) end--;
  const lines = new LineIndex(before);
  return { file, range: lines.range(start, before.length - end), newText: after.slice(start, after.length - end) };
}

export interface FixOutcome {
  /** The lint run after the last pass. */
  run: LintRun;
  /** Fixes applied, per file written. */
  fixedFiles: Map<string, number>;
  applied: number;
  /** Files that could not be written, and why (each left as it was). */
  errors: string[];
}


export interface FixPathsOptions extends LintOptions {
  unsafe: boolean;
  /** The findings of a run to fix (default: all of them). */
  select?: (run: LintRun) => readonly Finding[];
  pick?: FixPicker;
}

export function fixPaths(paths: readonly string[], options: FixPathsOptions): FixOutcome {
  const fixedFiles = new Map<string, number>();
  const errors: string[] = [];
  const failedFiles = new Set<string>();
  let applied = 0;
  // A rule stopped at maxFindingsPerRule offers the fixes of the findings it kept only: once one is,
  // the passes lint without the limit (a file of 22,000 fixes took the ten passes there are, a thousand
  // per rule and pass, and left 2,000), and the run reported at the end lints with it again.
  const unlimited: FixPathsOptions = { ...options, adjust: (settings) => ({ ...(options.adjust ? options.adjust(settings) : settings), maxFindingsPerRule: 0 }) };
  let limited = true;
  const stoppedByLimit = (r: LintRun) => r.findings.some((f) => f.rule === findingLimit.meta.id);
  let run = lintPaths(paths, options);

  for (let pass = 0; pass < MAX_PASSES; pass++) {
    if (limited && stoppedByLimit(run)) {
      limited = false;
      run = lintPaths(paths, unlimited);
    }
    const readFiles = new Map<string, Pick<ParsedFile, 'text' | 'latin1' | 'lines'>>();
    for (const analysis of run.analyses) {
      for (const file of analysis.model.files.values()) readFiles.set(file.path, file);
      for (const file of analysis.model.referencedFiles()) if (!readFiles.has(file.path)) readFiles.set(file.path, { ...file, lines: new LineIndex(file.text) });
    }
    for (const t of run.tunnels) readFiles.set(t.tunnel.file.path, t.tunnel.file);
    const unread = new Set<string>();
    for (const f of run.findings) for (const fix of f.fixes) for (const e of fix.edits) if (!readFiles.has(e.file)) unread.add(e.file);
    // The configurations whose settings say "fixAll": { "unsafe": true } get their unsafe fixes applied as with --unsafe-fixes.
    const unsafeFiles = new Set([
      ...run.analyses.filter((a) => a.settings.fixAllUnsafe).flatMap((a) => [...a.model.files.keys()]),
      ...run.tunnels.filter((t) => t.settings.fixAllUnsafe).map((t) => t.tunnel.file.path),
    ]);
    const unsafe = (f: Finding) => options.unsafe || unsafeFiles.has(f.file);

    let chosen: ChosenFix[] = [];
    let prepared: Array<{ path: string; write: PreparedWrite }> = [];
    // Prepare every file; if one cannot be written, drop the fixes that touch it and prepare again,
    // so that no fix is half applied.
    for (;;) {
      chosen = chooseFixes(options.select ? options.select(run) : run.findings, unsafe, new Set([...failedFiles, ...unread]), options.pick);
      prepared = [];
      let failed = false;
      for (const [path, edits] of editsByFile(chosen)) {
        const file = readFiles.get(path)!;
        const text = applyTextEdits(file.text, edits, file.lines);
        const write = prepareWrite(path, file.text, file.latin1, text);
        if ('error' in write) {
          errors.push(write.error);
          failedFiles.add(path);
          failed = true;
          break;
        }
        prepared.push({ path, write });
      }
      if (!failed) break;
      for (const p of prepared) discardWrite(p.write);
    }
    if (chosen.length === 0) break;

    for (const { path, write } of prepared) {
      const result = commitWrite(write);
      if (!result.ok) {
        errors.push(result.message);
        failedFiles.add(path);
      }
    }
    for (const { fix } of chosen) {
      if (fix.edits.some((e) => failedFiles.has(e.file))) continue;
      applied++;
      for (const file of new Set(fix.edits.map((e) => e.file))) fixedFiles.set(file, (fixedFiles.get(file) ?? 0) + 1);
    }
    run = lintPaths(paths, limited ? options : unlimited);
  }
  if (!limited) run = lintPaths(paths, options);
  return { run, fixedFiles, applied, errors: [...new Set(errors)] };
}
