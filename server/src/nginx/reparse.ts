// A file parsed again after an edit that stays inside one simple directive (`name args;`: typing a
// value, a name, a variable): only that directive's new text is read; the rest of the tree is copied,
// its offsets and lines moved by what the edit added or removed. The result equals parseNginx on the
// whole new text (test/nginx/reparse.test.ts holds it to that on random edits of real files); any other
// edit gives undefined and the caller parses the whole text.
//
// Why reading one statement again is enough: nginx's tokenizer (ngx_conf_read_token) starts every
// statement in the same state, after the `;` of the one before, whatever came earlier; a word's length
// limit counts from the word's own start. What it remembers across statements is only the position,
// the line and, for hints, the last string that spanned lines: the edit is accepted only where none of
// them can change what is found after it (no syntax issue from the directive on, no quoted string
// across lines in the old or new directive).

import { unchangedPrefix, unchangedSuffix } from '../core/text';
import type { Block, Comment, Directive, ParsedFile, SyntaxIssue, Token } from './ast';
import { parseNginx } from './parser';

export function reparse(old: ParsedFile, text: string): ParsedFile | undefined {
  return old.text === text ? old : reparseDirective(old, text)?.file;
}

/**
 * What a reparse in place changed: one simple directive's text, from `start` to `end` in the old text
 * (its name's first character to its `;`); offsets at or after `end` moved by `delta`, nothing before
 * `start` moved. The engine reuses rule results across such an edit (engine/reuse.ts).
 */
export interface DirectiveEdit {
  from: ParsedFile;
  start: number;
  end: number;
  delta: number;
  /** Lines added (or removed, when negative) inside the directive. */
  lineDelta: number;
  /** The directive's name before and after the edit, and the names of the blocks around it, innermost first. */
  oldName: string;
  newName: string;
  owners: string[];
}

/** Where two texts of a file differ: [start, oldEnd) of the old text was replaced by [start, newEnd) of the new. */
export interface TextChange {
  start: number;
  oldEnd: number;
  newEnd: number;
}

export function changeBetween(before: string, text: string): TextChange {
  const start = unchangedPrefix(before, text);
  const suffix = unchangedSuffix(before, text, Math.min(before.length, text.length) - start);
  return { start, oldEnd: before.length - suffix, newEnd: text.length - suffix };
}

/**
 * The simple directive of `old` that a change stays inside, and what its new text reads as on its own,
 * when that is all that changes in how the file reads (see the top of this file); otherwise undefined.
 */
export function changedDirective(old: ParsedFile, text: string, change = changeBetween(old.text, text)): { edited: Directive; replacement: Directive } | undefined {
  const before = old.text;
  const edited = leafAt(old.root, change.start);
  if (!edited || edited.start > change.start || change.oldEnd > edited.end) return undefined;
  if (old.issues.some((issue) => issue.end > edited.start || issue.related?.some((r) => r.end > edited.start))) return undefined;
  if (spansLines(edited, before) || old.comments.some((c) => c.start >= edited.start && c.start < edited.end)) return undefined;

  const statement = text.slice(edited.start, edited.end + text.length - before.length);
  const alone = parseNginx(old.path, statement, { latin1: old.latin1 });
  const replacement = alone.root.directives[0];
  if (
    !replacement ||
    alone.root.directives.length !== 1 ||
    alone.issues.length > 0 ||
    alone.comments.length > 0 ||
    replacement.terminator !== ';' ||
    replacement.start !== 0 ||
    replacement.end !== statement.length ||
    spansLines(replacement, statement)
  ) {
    return undefined;
  }
  return { edited, replacement };
}

/** A reparse that says what it changed (see DirectiveEdit); undefined where the whole text must be parsed. */
export function reparseDirective(old: ParsedFile, text: string): { file: ParsedFile; edit: DirectiveEdit } | undefined {
  const before = old.text;
  const change = changeBetween(before, text);
  const found = changedDirective(old, text, change);
  if (!found) return undefined;
  const { edited, replacement } = found;
  const prefix = change.start;
  const changedEnd = change.oldEnd; // the end of the replaced text, in the old text
  const delta = text.length - before.length;
  const statement = text.slice(edited.start, edited.end + delta);

  const lines = old.lines.afterEdit(text, prefix, changedEnd, changedEnd + delta);
  const lineDelta = countLines(statement) - countLines(before.slice(edited.start, edited.end));
  const firstLine = lines.nginxLine(edited.start) - 1;
  const movedFrom = edited.end; // offsets at or after it (in the old text) move by delta
  const at = (offset: number) => (offset >= movedFrom ? offset + delta : offset);
  const token = (t: Token): Token => (t.start >= movedFrom && delta !== 0 ? { ...t, start: t.start + delta, end: t.end + delta } : t);
  const comment = (c: Comment): Comment => (c.start >= movedFrom && delta !== 0 ? { ...c, start: c.start + delta, end: c.end + delta } : c);
  const commentCopies = new Map<Comment, Comment>();
  const movedComment = (c: Comment) => {
    let copy = commentCopies.get(c);
    if (!copy) commentCopies.set(c, (copy = comment(c)));
    return copy;
  };

  const copyDirective = (d: Directive, parent: Block): Directive => {
    if (d === edited) {
      const shift = (t: Token): Token => ({ ...t, start: t.start + edited.start, end: t.end + edited.start });
      return {
        name: replacement.name,
        nameToken: shift(replacement.nameToken),
        args: replacement.args.map(shift),
        terminator: ';',
        terminatorOffset: replacement.terminatorOffset + edited.start,
        nginxLine: replacement.nginxLine + firstLine,
        start: edited.start,
        end: edited.start + replacement.end,
        parent,
        memo: undefined, // new words
      };
    }
    // (a directive before the edit, or a block around it, keeps its words where they were: the same array)
    const moved = d.terminatorOffset >= movedFrom;
    return {
      name: d.name,
      nameToken: token(d.nameToken),
      args: moved && delta !== 0 ? d.args.map(token) : d.args,
      terminator: d.terminator,
      terminatorOffset: at(d.terminatorOffset),
      nginxLine: moved ? d.nginxLine + lineDelta : d.nginxLine,
      start: at(d.start),
      end: at(d.end),
      parent,
      memo: d.memo, // the same words
    };
  };

  const root: Block = copyBlock(old.root, undefined);
  // copied without recursion: nesting is only bounded by the file's size
  const pending: Array<{ from: Block; to: Block }> = [{ from: old.root, to: root }];
  while (pending.length > 0) {
    const { from, to } = pending.pop()!;
    // (made at its length: growing the lists of a long file element by element doubled their garbage)
    to.directives = from.directives.map((d) => {
      const copy = copyDirective(d, to);
      if (d.block) {
        copy.block = copyBlock(d.block, copy);
        pending.push({ from: d.block, to: copy.block });
      }
      return copy;
    });
  }

  function copyBlock(block: Block, owner: Directive | undefined): Block {
    const copy: Block = { open: block.open < 0 ? block.open : at(block.open), close: block.close === null ? null : at(block.close), directives: [], comments: block.comments.map(movedComment) };
    if (owner) copy.owner = owner;
    if (block.lua) copy.lua = { start: at(block.lua.start), end: at(block.lua.end) };
    return copy;
  }

  // every issue ends before the edited directive (checked above): they stay as they are
  const issues: SyntaxIssue[] = old.issues;
  const file: ParsedFile = { path: old.path, text, lines, root, comments: old.comments.map(movedComment), issues, latin1: old.latin1 };
  const owners: string[] = [];
  for (let block: Block | undefined = edited.parent; block?.owner; block = block.owner.parent) owners.push(block.owner.name);
  return { file, edit: { from: old, start: edited.start, end: edited.end, delta, lineDelta, oldName: edited.name, newName: replacement.name, owners } };
}

/** The innermost directive whose text holds `offset`, if it is a simple one (no block, ended by `;`). */
function leafAt(root: Block, offset: number): Directive | undefined {
  let block: Block | undefined = root;
  while (block) {
    const d = directiveHolding(block.directives, offset);
    if (!d) return undefined;
    if (!d.block) return d.terminator === ';' ? d : undefined;
    if (d.block.lua || offset <= d.block.open || (d.block.close !== null && offset >= d.block.close)) return undefined;
    block = d.block;
  }
  return undefined;
}

/** Binary search over directives in text order: the one with start <= offset < end. */
function directiveHolding(directives: readonly Directive[], offset: number): Directive | undefined {
  let low = 0;
  let high = directives.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const d = directives[mid]!;
    if (offset < d.start) high = mid - 1;
    else if (offset >= d.end) low = mid + 1;
    else return d;
  }
  return undefined;
}

/** Whether a quoted word of the directive runs over a line break (the tokenizer remembers those). */
function spansLines(d: Directive, text: string): boolean {
  return [d.nameToken, ...d.args].some((t) => t.quote !== '' && text.slice(t.start, t.end).includes('\n'));
}

function countLines(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++;
  return count;
}
