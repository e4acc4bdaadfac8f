// Rule results carried from one analysis to the next (the language server analyses on every keystroke).
//
// When the only change since the analysis before is an edit a reparse in place read (nginx/reparse.ts:
// statements of one block replaced by those read in their place), a rule whose declared `reads` name
// none of the names of those statements, before or after, gives the findings it gave before, moved by
// the offsets and lines the edit added or removed: they are taken over instead of running the rule
// again. An edit of one simple directive's arguments on one line names only that directive; any other
// (a name typed, statements written, deleted, split or joined, lines added) names EVERY_NAME too. A
// rule that checks each directive on its own (`perDirective`) takes over its findings about the other
// directives and checks the edited ones and their block's directive (when a name changed, those beside
// them too). A rule that checks each location on its own (`perLocation`) keeps its findings about the
// other locations across an edit inside a location, and checks that location and those nested in it.
// Anything else runs the rule: another file changed, an include or load_module edited, the settings or
// the files of the project changed, a finding or an edit of a fix inside the edited statements, when a
// name changed a fix inserting into their block, a text naming a line the edit moved, a verdict when
// statements or syntax issues came or went. test/engine/reuse.test.ts compares the result with a full
// analysis after each of those edits of directives of every name in real configurations.

import { basename } from 'node:path';
import { escapeRegExp, type LineIndex, type Position, type Range } from '../core/text';
import { type Comment, type Directive, forEachDirective, type ParsedFile } from '../nginx/ast';
import { isOpaqueBlock, readsBlock } from '../nginx/directives';
import { directiveHolding, type ReparseEdit } from '../nginx/reparse';
import findingLimit from '../rules/kasmlint/finding-limit';
import { COMMENTS, EVERY_NAME, type NginxError, type Rule, SYNTAX_ISSUES, VARIABLES } from '../rules/rule';
import type { Finding, RelatedInformation } from './findings';

/** What one rule gave in an analysis: its findings, and the first error of nginx's among its reports. */
export interface RuleRecord {
  findings: readonly Finding[];
  verdict?: VerdictCandidate;
}

/** An error nginx would stop at, with the file and offset of what it stops at. */
export type VerdictCandidate = NginxError & { file: string; offset: number };

/** What an analysis was made of: another analysis may take its rule records only if all of it is the same. */
export interface ReuseBasis {
  projectDir: string;
  projectKind: string;
  settings: object;
  preset: string;
  rules: readonly Rule[];
  fileList: readonly string[];
  files: ReadonlyMap<string, ParsedFile>;
  roots: ReadonlyArray<{ file?: string; context: string; reason: string }>;
  /** Files read outside the configuration: their findings are rewritten, nothing is kept. */
  outside: number;
}

/** What an analysis leaves for the next one. */
export interface ReusableResults {
  basis: ReuseBasis;
  records: ReadonlyMap<string, RuleRecord>;
}

/** Pseudo-names whose change inside a location reaches past it: variables, every name, where the parser stopped. */
const PAST_THE_LOCATION = [VARIABLES, EVERY_NAME, SYNTAX_ISSUES];

/** Names whose arguments decide what the configuration is made of: every rule runs again. */
const STRUCTURAL = new Set(['include', 'load_module']);

type Relazy = (finding: Finding, range: Range, related: RelatedInformation[]) => Finding;

export interface ReusePlan {
  /**
   * The rule's findings from the analysis before, moved to the edited text; undefined when the rule
   * must run. `relazy` makes a finding whose fixes are computed on demand again, for the new analysis.
   */
  take(rule: Rule, relazy: Relazy, lazy: (finding: Finding) => boolean): RuleRecord | undefined;
  /**
   * For a rule that checks each directive on its own (`perDirective`): its findings about every
   * directive but the edited one, moved, and where the edited directive and its block's directive start
   * in the new text (the rule checks their instances); when a name changed, the directives beside it
   * too (such a rule reads their names). Undefined when the rule must run whole. Nothing edited: every finding, and no directive to
   * check.
   */
  takeOthers(rule: Rule, relazy: Relazy, lazy: (finding: Finding) => boolean): PartialRecord | undefined;
  /**
   * For a rule that checks each location on its own (`perLocation`), across an edit inside a location:
   * its findings about every other location, moved, and where the edited location starts in the new
   * text (the rule checks its instances and the locations nested in them). Undefined when the rule must
   * run whole.
   */
  takeOtherLocations(rule: Rule, relazy: Relazy, lazy: (finding: Finding) => boolean): PartialRecord | undefined;
}

/** What a rule checking each directive on its own keeps across an edit (ReusePlan.takeOthers). */
export interface PartialRecord extends RuleRecord {
  /** The directives to check again, in the edited text. */
  checked?: readonly DirectivePlace[];
  /**
   * The rule's first error of nginx's before the edit, when it was about a directive checked again
   * (typing a directive's name makes one at each keystroke): every other error of the rule comes after
   * it, so the check must find one no later, or the rule runs whole to find which comes first.
   */
  displacedVerdict?: VerdictCandidate;
  /** The location to check again (with those nested in it), in the edited text. */
  location?: DirectivePlace;
}

/** Where a directive starts in a file, and its name. */
export interface DirectivePlace {
  path: string;
  start: number;
  name: string;
}

/** How the rule records of `previous` carry to an analysis of `current`, or undefined if they do not. */
export function planReuse(
  previous: ReusableResults | undefined,
  current: ReuseBasis,
  editOf: (file: ParsedFile) => ReparseEdit | undefined,
  /** The names of the blocks the model reads a file in (`geo $x { include list.conf; }`: geo). */
  includedIn: (path: string) => string[],
): ReusePlan | undefined {
  if (!previous || current.outside > 0) return undefined;
  const before = previous.basis;
  if (
    before.outside > 0 ||
    before.projectDir !== current.projectDir ||
    before.projectKind !== current.projectKind ||
    before.settings !== current.settings ||
    before.preset !== current.preset ||
    before.rules !== current.rules ||
    !sameList(before.fileList, current.fileList) ||
    !sameRoots(before.roots, current.roots) ||
    before.files.size !== current.files.size
  ) {
    return undefined;
  }
  let edited: { path: string; edit: ReparseEdit; file: ParsedFile } | undefined;
  for (const [path, file] of current.files) {
    const old = before.files.get(path);
    if (old === file) continue;
    const edit = old && !edited ? editOf(file) : undefined;
    if (!edit || edit.from !== old) return undefined;
    edited = { path, edit, file };
  }
  // nothing changed (a file saved, opened, a request to analyse again): only what reads the disk runs
  if (!edited) return takeOver([], undefined, previous.records, true);
  const { edit } = edited;
  // (nginx counts lines by \n, the editor also by \r: both must move alike, positions are moved by lines)
  if (edited.file.lines.lineCount - edit.from.lines.lineCount !== edit.lineDelta) return undefined;
  const names = namesIn(edit.replaced, edit.added);
  if (names.some((name) => STRUCTURAL.has(name))) return undefined;
  // one simple directive whose arguments changed, its name kept; otherwise a name was typed or changed,
  // or statements added or removed: the rules that read one of their names, or every directive's, run
  const [replaced] = edit.replaced;
  const [added] = edit.added;
  // (a change before the statement's start, in the indentation of its line, is not one of its arguments)
  const argumentsOnly =
    edit.replaced.length === 1 &&
    edit.added.length === 1 &&
    !replaced!.block &&
    !added!.block &&
    replaced!.name === added!.name &&
    replaced!.terminator === ';' &&
    added!.terminator === ';' &&
    edit.change.start >= replaced!.start;
  // the text read again before and after. Fixes read the indentation and line breaks around them:
  // arguments edited on one line leave every line as it was but that one, after its indentation (the
  // statement starts after it); otherwise the fixes inserting into the block are computed again.
  const oldText = edit.from.text.slice(edit.start, edit.end);
  const newText = edited.file.text.slice(edit.start, edit.end + edit.delta);
  const { change } = edit;
  const acrossLines = /[\r\n]/.test(edit.from.text.slice(change.start, change.oldEnd)) || /[\r\n]/.test(edited.file.text.slice(change.start, change.newEnd));
  if (acrossLines && argumentsOnly) return undefined;
  // a map's (geo's, types'...) entries are its arguments, in its block or in a file included there
  const owners = edit.owners.length > 0 ? [edit.owners[0]!] : includedIn(edited.path);
  const opaqueOwners = owners.filter(isOpaqueBlock);
  // a block given to a directive that takes none (`proxy_set_header ... {`) is part of its text, which
  // rules read (a fix copies it): its contents count as its arguments, up to the first real block
  const misusedOwners: string[] = [];
  for (const owner of edit.owners) {
    if (readsBlock(owner)) break;
    misusedOwners.push(owner);
  }
  const commented = commentIn(edit.from.comments, edit.start, edit.end) || commentIn(edited.file.comments, edit.start, edit.end + edit.delta);
  // text that names no variable, before or after, leaves every variable's uses and definitions as they were
  // (what nginx/syntax reports about a file, its syntax issues and a NUL byte, is kept: not when one
  // came or went, nor when one stands among the directives the rules checking each directive check
  // again, which would drop it)
  const blockStart = edit.owner?.start ?? 0;
  const issueAmongChecked = edit.from.issues.some((issue) => issue.end >= blockStart && issue.start <= edit.block.close);
  const nul = oldText.includes('\0') || newText.includes('\0');
  const changed = [
    ...names,
    ...(argumentsOnly ? [] : [EVERY_NAME]),
    ...(commented ? [COMMENTS] : []),
    ...(edit.issuesChanged || issueAmongChecked || nul ? [SYNTAX_ISSUES] : []),
    ...opaqueOwners,
    ...misusedOwners,
    ...(oldText.includes('$') || newText.includes('$') ? [VARIABLES] : []),
  ];
  if (changed.some((name) => STRUCTURAL.has(name))) return undefined;
  // (a syntax issue is a step of nginx's reading order too)
  const recounted = edit.issuesChanged || countDirectives(edit.replaced) !== countDirectives(edit.added);
  const mover = new Mover(edited.path, edit, edit.from.lines, edited.file.lines, !argumentsOnly, recounted);
  // (an entry of a map, geo, types... is checked with its block, not on its own)
  return takeOver(changed, mover, previous.records, opaqueOwners.length === 0);
}

/**
 * The innermost `location` around the edited statements, in the edited file's old tree, when it is
 * closed and includes no file (whose locations would be nested in it, their findings in another file).
 */
function locationAround(edit: ReparseEdit): Directive | undefined {
  for (let d = edit.owner; d; d = d.parent.owner) {
    if (d.name !== 'location') continue;
    if (!d.block || d.block.close === null) return undefined;
    let includes = false;
    forEachDirective(d.block, (x) => (includes ||= x.name === 'include'));
    return includes ? undefined : d;
  }
  return undefined;
}

/** The names of the directives, those of their blocks included. */
function namesIn(...lists: ReadonlyArray<readonly Directive[]>): string[] {
  const names = new Set<string>();
  for (const list of lists) for (const d of list) forEachDirectiveIn(d, (x) => names.add(x.name));
  return [...names];
}

/** How many directives, those of their blocks included (each is a step of nginx's reading order). */
function countDirectives(list: readonly Directive[]): number {
  let count = 0;
  for (const d of list) forEachDirectiveIn(d, () => count++);
  return count;
}

/** `d` and the directives of its block, those of theirs included. */
function forEachDirectiveIn(d: Directive, visit: (d: Directive) => void): void {
  visit(d);
  if (d.block) forEachDirective(d.block, visit);
}

/** Whether a comment of a file (in text order) starts in [start, end). */
function commentIn(comments: readonly Comment[], start: number, end: number): boolean {
  let low = 0;
  let high = comments.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (comments[middle]!.start < start) low = middle + 1;
    else high = middle;
  }
  return low < comments.length && comments[low]!.start < end;
}

/**
 * The plan that takes over the records of the rules that read none of `changed`, moved by `move` if
 * given; with `alone`, the edited directive is checked on its own by the rules that check each directive.
 */
function takeOver(changed: readonly string[], move: Mover | undefined, records: ReadonlyMap<string, RuleRecord>, alone: boolean): ReusePlan {
  const location = move && locationAround(move.edit);
  /**
   * The record's findings and verdict moved, those about the directives checked again left out if
   * `others`, those inside `location` (in the old text) if given.
   */
  const moved = (record: RuleRecord, relazy: Relazy, lazy: (finding: Finding) => boolean, others: boolean, within?: Directive): PartialRecord | undefined => {
    let verdict = record.verdict;
    let displacedVerdict: VerdictCandidate | undefined;
    // (statements added or removed renumber nginx's reading order after them, in every file read later)
    if (verdict && move?.recounted) return undefined;
    if (verdict && move && verdict.file === move.path) {
      if (others && move.inChecked(verdict.offset)) {
        // (an error of a directive checked again: which of the others comes next is not known)
        displacedVerdict = verdict;
        verdict = undefined;
      } else {
        const offset = move.offset(verdict.offset);
        if (offset === undefined || move.namesMovedLine(verdict.message)) return undefined;
        verdict = { ...verdict, offset, line: verdict.offset >= move.edit.end ? verdict.line + move.edit.lineDelta : verdict.line };
      }
    }
    const findings: Finding[] = [];
    for (const finding of record.findings) {
      if (others && move && finding.file === move.path && move.startsInChecked(finding.range)) continue;
      if (within && move && finding.file === move.path && move.startsInside(finding.range, within)) continue;
      const to = move ? move.finding(finding, relazy, lazy) : lazy(finding) ? relazy(finding, finding.range, finding.related) : finding;
      if (!to) return undefined;
      findings.push(to);
    }
    return verdict ? { findings, verdict } : displacedVerdict ? { findings, displacedVerdict } : { findings };
  };
  return {
    take(rule, relazy, lazy) {
      const reads = rule.meta.reads;
      if (!reads || changed.some((name) => reads.includes(name))) return undefined;
      const record = records.get(rule.meta.id);
      return record && moved(record, relazy, lazy, false);
    },
    takeOthers(rule, relazy, lazy) {
      const reads = rule.meta.perDirective?.reads;
      if (!reads || !alone || changed.some((name) => reads.includes(name))) return undefined;
      const record = records.get(rule.meta.id);
      const others = record && moved(record, relazy, lazy, true);
      if (!others) return undefined;
      return move ? { ...others, checked: move.checked() } : others;
    },
    takeOtherLocations(rule, relazy, lazy) {
      const outside = rule.meta.perLocation?.outside;
      const reads = rule.meta.reads;
      if (!outside || !reads || !move || !location || !alone) return undefined;
      if (changed.some((name) => reads.includes(name) && (outside.includes(name) || PAST_THE_LOCATION.includes(name)))) return undefined;
      const record = records.get(rule.meta.id);
      // (a rule stopped at its finding limit: which findings come first depends on every location)
      if (!record || record.verdict || record.findings.some((f) => f.rule === findingLimit.meta.id)) return undefined;
      const others = moved(record, relazy, lazy, false, location);
      return others && { ...others, location: { path: move.path, start: location.start, name: location.name } };
    },
  };
}

/** Offsets and positions of the edited file, from before the edit to after it. */
class Mover {
  /** Lines before `firstLine` and after `lastLine` (of the old text) hold the same text at the same place. */
  private readonly firstLine: number;
  private readonly lastLine: number;
  /** The line where the texts start to differ. */
  private readonly changeLine: number;
  /** The lines from the first directive checked again to the end of the last (see inChecked). */
  private readonly checkedFirstLine: number;
  private readonly checkedLastLine: number;
  /** The lines of the head of the block's directive, and of its `}` (-1 at a file's top level). */
  private readonly ownerFirstLine: number;
  private readonly ownerHeadLine: number;
  private readonly closeLine: number;

  constructor(
    readonly path: string,
    readonly edit: ReparseEdit,
    private readonly before: LineIndex,
    private readonly after: LineIndex,
    /**
     * A name changed (typed, or statements written or deleted): the rules checking each directive on
     * its own check the directives beside them too, and a fix inserting into their block may have
     * placed itself by the names there.
     */
    private readonly namesChanged: boolean,
    /** Statements added or removed: nginx's reading order (NginxError.seq) moved after them. */
    readonly recounted: boolean,
  ) {
    this.firstLine = before.positionAt(edit.start).line;
    this.lastLine = before.positionAt(edit.end).line;
    this.changeLine = before.positionAt(edit.change.start).line;
    const statements = edit.statements;
    const first = edit.owner?.start ?? statements[0]?.start ?? edit.start;
    this.checkedFirstLine = namesChanged ? before.positionAt(first).line : this.firstLine;
    this.checkedLastLine = namesChanged ? before.positionAt(edit.block.close).line : this.lastLine;
    this.ownerFirstLine = edit.owner ? before.positionAt(edit.owner.start).line : -1;
    this.ownerHeadLine = edit.owner ? before.positionAt(headEnd(edit.owner)).line : -1;
    this.closeLine = edit.owner ? before.positionAt(edit.block.close).line : -1;
  }

  private readonly movedRelated = (r: RelatedInformation): RelatedInformation | undefined => {
    if (r.file !== this.path) return r;
    const to = this.range(r.range);
    return to && (to === r.range ? r : { ...r, range: to });
  };

  /** Whether an offset of the old text is in the edited statements (see ReparseEdit: start to end). */
  inEdited(old: number): boolean {
    return old >= this.edit.start && old < this.edit.end;
  }

  /**
   * Whether an offset of the old text is in a directive the rules checking each directive on its own
   * check again: the edited ones, the block's own directive, and when a name changed those beside them
   * (from the name to the `;` or `{`, and a block's `}`: what such a rule reports there depends on what
   * the block holds, an upstream without a `server`).
   */
  inChecked(old: number): boolean {
    if (this.inEdited(old)) return true;
    const owner = this.edit.owner;
    if (owner && ((old >= owner.start && old < headEnd(owner)) || old === this.edit.block.close)) return true;
    if (!this.namesChanged) return false;
    const beside = directiveHolding(this.edit.statements, old);
    return beside !== undefined && (old < headEnd(beside) || old === beside.block?.close);
  }

  /** Whether a range of the old text starts in a directive checked again (a finding about it: see inChecked). */
  startsInChecked(old: Range): boolean {
    const line = old.start.line;
    const near = (line >= this.checkedFirstLine && line <= this.checkedLastLine) || (line >= this.ownerFirstLine && line <= this.ownerHeadLine) || line === this.closeLine;
    return near && this.inChecked(this.before.offsetAt(old.start));
  }

  /** Whether a range of the old text starts in the text of `d` (from its start to its block's `}`). */
  startsInside(old: Range, d: Directive): boolean {
    const offset = this.before.offsetAt(old.start);
    return offset >= d.start && offset <= (d.block?.close ?? d.end);
  }

  /** The directives checked again (see inChecked), where they start in the new text. */
  checked(): DirectivePlace[] {
    const { edit, path } = this;
    const places: DirectivePlace[] = [];
    for (const d of edit.added) forEachDirectiveIn(d, (x) => places.push({ path, start: x.start, name: x.name }));
    if (edit.owner) places.push({ path, start: edit.owner.start, name: edit.owner.name });
    if (!this.namesChanged) return places;
    const replaced = new Set(edit.replaced);
    for (const d of edit.statements) {
      if (!replaced.has(d)) places.push({ path, start: d.start < edit.start ? d.start : d.start + edit.delta, name: d.name });
    }
    return places;
  }

  /**
   * Whether a text names a line of the edited file at or after the edit's first line, as messages name
   * lines ("line 12", "lines 12", "name.conf:12"), which lines the edit moved.
   */
  namesMovedLine(...texts: Array<string | undefined>): boolean {
    if (this.edit.lineDelta === 0) return false;
    this.mention ??= new RegExp(`(?:\\blines? |${escapeRegExp(basename(this.path))}:)(\\d+)`, 'g');
    for (const text of texts) {
      if (!text) continue;
      for (const match of text.matchAll(this.mention)) if (Number(match[1]) - 1 >= this.firstLine) return true;
    }
    return false;
  }

  private mention: RegExp | undefined;

  /** The offset after the edit; undefined inside the edited statements (their start and end excepted). */
  offset(old: number): number | undefined {
    if (old <= this.edit.start) return old;
    if (old >= this.edit.end) return old + this.edit.delta;
    return undefined;
  }

  position(old: Position): Position | undefined {
    if (old.line < this.firstLine) return old;
    if (old.line > this.lastLine) return this.edit.lineDelta === 0 ? old : { line: old.line + this.edit.lineDelta, character: old.character };
    const offset = this.offset(this.before.offsetAt(old));
    return offset === undefined ? undefined : this.after.positionAt(offset);
  }

  range(old: Range): Range | undefined {
    const start = this.position(old.start);
    const end = start && this.position(old.end);
    if (!start || !end || this.endsBeforeTyping(old)) return undefined;
    return start === old.start && end === old.end ? old : { start, end };
  }

  /**
   * Whether a range ends where the edited line's text ended before the change, blanks apart: a range
   * that runs to the end of its line's text (the line nginx names: engine/analyze.ts atNginxLine)
   * would now run over what was typed after it.
   */
  private endsBeforeTyping(old: Range): boolean {
    if (old.end.line !== this.changeLine) return false;
    const end = this.before.offsetAt(old.end);
    const typedAt = this.edit.change.start;
    return end <= typedAt && /^[ \t]*$/.test(this.edit.from.text.slice(end, typedAt));
  }

  /**
   * An edit's range after the edit; undefined when it overlaps the edited directive (its text may be
   * stale), an insertion strictly inside it included, or when a name changed when it is inside the
   * edited block (fixes place insertions after directives of some names). An insertion at its start or
   * end stays beside it.
   */
  editRange(old: Range): Range | undefined {
    if (this.namesChanged && this.before.offsetAt(old.start) > this.edit.block.open && this.before.offsetAt(old.end) <= this.edit.block.close) return undefined;
    if (old.end.line < this.firstLine) return old;
    if (old.start.line > this.lastLine) return this.range(old);
    const start = this.before.offsetAt(old.start);
    const end = this.before.offsetAt(old.end);
    if (start < this.edit.end && end > this.edit.start) return undefined;
    return this.range(old);
  }

  finding(finding: Finding, relazy: Relazy, lazy: (finding: Finding) => boolean): Finding | undefined {
    const inFile = finding.file === this.path;
    const range = inFile ? this.range(finding.range) : finding.range;
    if (!range) return undefined;
    const related = finding.related.length === 0 ? finding.related : movedAll(finding.related, this.movedRelated);
    if (!related) return undefined;
    // (a text that names a line the edit moved says another line now: the rule runs again)
    if (this.namesMovedLine(finding.message, finding.detail, ...finding.related.map((r) => r.message))) return undefined;
    // fixes computed on demand were computed on the trees before the edit: the new analysis computes them again
    if (lazy(finding)) return relazy(finding, range, related);
    if (this.edit.lineDelta !== 0 && this.namesMovedLine(...finding.fixes.flatMap((fix) => [fix.title, ...fix.edits.map((e) => e.newText)]))) return undefined;
    const fixes = movedAll(finding.fixes, (fix) => {
      const edits = movedAll(fix.edits, (e) => {
        if (e.file !== this.path) return e;
        const to = this.editRange(e.range);
        return to && (to === e.range ? e : { ...e, range: to });
      });
      return edits && (edits === fix.edits ? fix : { ...fix, edits });
    });
    if (!fixes) return undefined;
    if (range === finding.range && related === finding.related && fixes === finding.fixes) return finding;
    return { ...finding, range, related, fixes };
  }
}

/**
 * Each item moved by `move`: the same array when no item moved (most findings of a long file are on
 * lines an edit does not touch, and a copy of each would be garbage to collect), undefined when one
 * cannot be moved.
 */
function movedAll<T>(items: T[], move: (item: T) => T | undefined): T[] | undefined {
  let result: T[] | undefined;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const to = move(item);
    if (to === undefined) return undefined;
    if (to !== item && !result) result = items.slice(0, i);
    result?.push(to);
  }
  return result ?? items;
}

/**
 * The end of what a rule checking each directive on its own reports about a directive: after its `{`
 * for a block directive, its end otherwise, and for a map (geo, types...) its end: its entries are
 * checked with it.
 */
function headEnd(d: Directive): number {
  return d.block && !isOpaqueBlock(d.name) ? d.block.open + 1 : d.end;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function sameRoots(a: ReuseBasis['roots'], b: ReuseBasis['roots']): boolean {
  return a.length === b.length && a.every((r, i) => r.file === b[i]!.file && r.context === b[i]!.context && r.reason === b[i]!.reason);
}
