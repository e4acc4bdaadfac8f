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
// across lines in the old or new directive). reparseStatements reads the statements of one block the
// same way; a last statement left open before the block's `}` is read with its issue where the whole
// parse puts it.

import { unchangedPrefix, unchangedSuffix } from '../core/text';
import { blockAt, type Block, type Comment, type Directive, type ParsedFile, type SyntaxIssue, type Token } from './ast';
import { parseNginx } from './parser';

export function reparse(old: ParsedFile, text: string): ParsedFile | undefined {
  return old.text === text ? old : reparseDirective(old, text)?.file;
}

/**
 * What a reparse in place changed: statements of one block, from `start` to `end` in the old text
 * (one simple directive's name to its `;`, or statements read again: from the first one's start, or
 * the end of the one before, to the last one's end); offsets at or after `end` moved by `delta`, nothing
 * before `start` moved. The engine reuses rule results across such an edit (engine/reuse.ts).
 */
export interface ReparseEdit {
  from: ParsedFile;
  start: number;
  end: number;
  delta: number;
  /** Lines added (or removed, when negative) between `start` and `end`. */
  lineDelta: number;
  /** The statements replaced, in the old tree, and those read in their place, in the new one. */
  replaced: readonly Directive[];
  added: readonly Directive[];
  /** The names of the blocks around them, innermost first. */
  owners: string[];
  /** Their block, in the old text: from its `{` (-1 at a file's top level) to its `}` or the file's end. */
  block: { open: number; close: number };
  /** Where the texts differ. */
  change: TextChange;
  /** The statements of that block in the old tree, the replaced ones among them, and the directive that opens it. */
  statements: readonly Directive[];
  owner: Directive | undefined;
  /** The file's syntax issues changed: a statement left open at the block's end was read again. */
  issuesChanged: boolean;
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

/** A reparse that says what it changed (see ReparseEdit); undefined where the whole text must be parsed. */
export function reparseDirective(old: ParsedFile, text: string, change = changeBetween(old.text, text)): { file: ParsedFile; edit: ReparseEdit } | undefined {
  const found = changedDirective(old, text, change);
  if (!found) return undefined;
  const { edited, replacement } = found;
  const block = edited.parent;
  const index = block.directives.indexOf(edited);
  return splicedWithEdit(old, text, change, { block, first: index, end: index + 1, start: edited.start, oldEnd: edited.end, read: { directives: [replacement], comments: [], blockComments: [] } });
}

function splicedWithEdit(old: ParsedFile, text: string, change: TextChange, statements: Statements): { file: ParsedFile; edit: ReparseEdit } {
  const { file, added } = spliced(old, text, change, statements);
  const { block, start, oldEnd: end } = statements;
  const owners: string[] = [];
  for (let b: Block | undefined = block; b?.owner; b = b.owner.parent) owners.push(b.owner.name);
  const delta = text.length - old.text.length;
  const lineDelta = countLines(text.slice(start, end + delta)) - countLines(old.text.slice(start, end));
  const within = { open: block.open, close: block.close ?? old.text.length };
  const replaced = block.directives.slice(statements.first, statements.end);
  // (the issue of a statement still open, moved with the block's end, is the same issue)
  const before = statements.replacedIssue;
  const now = file.issues.at(-1);
  const sameIssue = before !== undefined && statements.unterminated !== undefined && now !== undefined && now.message === before.message && now.start === before.start + delta && now.nginxLine === before.nginxLine + lineDelta;
  const issuesChanged = !sameIssue && (statements.unterminated !== undefined || before !== undefined);
  return { file, edit: { from: old, start, end, delta, lineDelta, replaced, added, owners, block: within, change, statements: block.directives, owner: block.owner, issuesChanged } };
}

/**
 * A file parsed again after an edit inside one block that reaches beyond one directive (a directive
 * typed on a new line, deleted, pasted, a block typed whole): the statements of that block from the
 * last statement start before the edit are read again, to the first end of a statement after the edit
 * where the new text's statements end too; the rest of the tree is copied as reparseDirective copies it.
 * Undefined where that cannot be told without parsing the whole text (a brace of the block edited, a
 * syntax issue from there on, a Lua block); the result equals parseNginx on the whole new text.
 */
export function reparseStatements(old: ParsedFile, text: string, change = changeBetween(old.text, text)): { file: ParsedFile; edit: ReparseEdit } | undefined {
  const statements = changedStatements(old, text, change);
  return statements && splicedWithEdit(old, text, change, statements);
}

/**
 * The statements of one block of `old` that a change reaches, read again on their own, when from the
 * end of the last of them on the new text reads as the old one did (see reparseStatements).
 */
export function changedStatements(old: ParsedFile, text: string, change = changeBetween(old.text, text)): Statements | undefined {
  const block = blockAt(old.root, change.start);
  const close = block.close ?? (block === old.root ? old.text.length : null);
  if (block.lua || close === null || change.oldEnd > close) return undefined;
  const directives = block.directives;
  // the first statement the edit reaches (or the first after it), and where reading starts: its start,
  // or the end of the statement before when the edit is between statements
  // (a statement left open at the block's end goes on to it: what is typed after it continues it)
  let first = directives.findIndex((d) => d.end > change.start || d.terminator === null);
  if (first < 0) first = directives.length;
  const at = directives[first];
  const start = at && at.start <= change.start ? at.start : first > 0 ? directives[first - 1]!.end : block.open + 1;
  // (an issue at `start` too: one at the end of the file is where the edit continues it), but for the
  // block's last statement left open, read again with the rest
  const later = old.issues.filter((issue) => issue.end >= start || issue.related?.some((r) => r.end >= start));
  if (later.length > 1 || (later.length === 1 && !isOpenAtEnd(later[0]!, block, close))) return undefined;

  const delta = text.length - old.text.length;
  // statement ends at or after the edit's end, then the block's end: the first where the new text's
  // statements end too is where the two parses meet again
  let end = first;
  while (end < directives.length && directives[end]!.end < change.oldEnd) end++;
  // (the statement left open is read again, to the block's end)
  if (later.length > 0) end = directives.length;
  for (let tries = 0; tries < MAX_STATEMENT_TRIES && end <= directives.length; tries++, end++) {
    const oldEnd = end < directives.length ? directives[end]!.end : close;
    const read = parseNginx(old.path, text.slice(start, oldEnd + delta), { latin1: old.latin1 });
    // a last statement still open at the block's end reads there as the whole text does, with its issue
    // where the block ends
    const open = oldEnd === close ? openAtEnd(read, block) : undefined;
    // (the lexer points an error at a string across lines that ended shortly before it: not read here;
    // before `start` both texts are the same)
    if (open && quotedAcrossLinesBefore(old.root, old.text, open.start + start - MULTILINE_HINT_REACH, start)) return undefined;
    if ((read.issues.length === 0 || open) && !commentCut(read, text, oldEnd + delta)) {
      const statements: Statements = { block, first, end: Math.min(end + 1, directives.length), start, oldEnd, read: { directives: read.root.directives, comments: read.comments, blockComments: read.root.comments } };
      if (open) statements.unterminated = open;
      if (later[0]) statements.replacedIssue = later[0];
      return statements;
    }
    // a statement still open there may end at a later end; a brace the block does not have will not
    if (read.issues.some((issue) => issue.message !== UNTERMINATED)) return undefined;
  }
  return undefined;
}

/** Whether `issue` is the one a last statement left open gives at the end of `block` (which ends at `close`). */
function isOpenAtEnd(issue: SyntaxIssue, block: Block, close: number): boolean {
  const last = block.directives.at(-1);
  if (issue.related || !last || last.terminator !== null || last.block) return false;
  return block.owner ? issue.message === UNEXPECTED_CLOSE && issue.start === close : issue.message === UNTERMINATED && issue.start === close;
}

/**
 * When what was read ends with a statement left open (a word, no quote open) and nothing else is wrong:
 * the issue the whole text gives for it, at the block's `}` (or, at a file's top level, at its end).
 */
function openAtEnd(read: ParsedFile, block: Block): SyntaxIssue | undefined {
  const [issue, other] = read.issues;
  if (!issue || other || issue.message !== UNTERMINATED || issue.related || issue.start !== read.text.length) return undefined;
  const last = read.root.directives.at(-1);
  if (!last || last.terminator !== null) return undefined;
  // (nginx reads a `}` as a brace only where a word may start: glued to a word, a quote or an escaped
  // space, it is not one)
  if (block.owner && (last.args.at(-1) ?? last.nameToken).end >= read.text.length) return undefined;
  return block.owner ? { message: UNEXPECTED_CLOSE, start: issue.start, end: issue.start + 1, nginxLine: issue.nginxLine } : issue;
}

/** How far before an error the lexer looks back for a string across lines (lexer.ts, multilineStringsBefore). */
const MULTILINE_HINT_REACH = 2000;

/** Whether a quoted word across lines ends in (from, to] (in statements of `block` and the blocks in it). */
function quotedAcrossLinesBefore(block: Block, text: string, from: number, to: number): boolean {
  for (const d of block.directives) {
    if (d.end <= from) continue;
    if (d.start >= to) break;
    if ([d.nameToken, ...d.args].some((t) => t.quote !== '' && t.end > from && t.end <= to && text.slice(t.start, t.end).includes('\n'))) return true;
    if (d.block && quotedAcrossLinesBefore(d.block, text, from, to)) return true;
  }
  return false;
}

/** What the lexer says at a `}` that cuts a statement short. */
const UNEXPECTED_CLOSE = 'unexpected "}"';

/** Whether the text read ends inside a comment that goes on in the whole text (to the next line break). */
function commentCut(read: ParsedFile, text: string, end: number): boolean {
  const last = read.comments.at(-1);
  const length = read.text.length;
  const open = last !== undefined && (last.end === length || (last.end === length - 1 && read.text.endsWith('\r')));
  return open && end < text.length && text[end] !== '\n';
}

/** The lexer's issue for a statement the text ends inside (ngx_conf_read_token). */
export const UNTERMINATED = 'unexpected end of file, expecting ";" or "}"';

/** How many statement ends after an edit are tried before the whole text is parsed. */
const MAX_STATEMENT_TRIES = 8;

/** Statements [first, end) of `block`, from `start` to `oldEnd` in the old text, replaced by those `read` on their own (offsets from `start`). */
export interface Statements {
  block: Block;
  first: number;
  end: number;
  start: number;
  oldEnd: number;
  /** What was read: the directives, every comment, and the comments outside their blocks. */
  read: { directives: Directive[]; comments: Comment[]; blockComments: Comment[] };
  /**
   * The issue of a last statement left open at the block's end (a directive typed before its `}`), as
   * the whole parse reports it (offsets from `start`).
   */
  unterminated?: SyntaxIssue;
  /** The old tree's issue of such a statement, which the statements read again replace. */
  replacedIssue?: SyntaxIssue;
}

/**
 * The new tree: the old one copied with the statements replaced, offsets at or after their old end
 * moved by what the edit added or removed, and the lines after them by the lines it added.
 */
function spliced(old: ParsedFile, text: string, change: TextChange, statements: Statements): { file: ParsedFile; added: Directive[] } {
  const before = old.text;
  const delta = text.length - before.length;
  const { start, oldEnd: movedFrom } = statements; // offsets at or after movedFrom (in the old text) move by delta
  const lines = old.lines.afterEdit(text, change.start, change.oldEnd, change.newEnd);
  const lineDelta = countLines(text.slice(start, movedFrom + delta)) - countLines(before.slice(start, movedFrom));
  const firstLine = start > 0 ? lines.nginxLine(start - 1) - 1 : 0; // the line breaks before `start` (nginxLine counts one at its offset)
  const at = (offset: number) => (offset >= movedFrom ? offset + delta : offset);
  // (tokens and comments written out, not spread: a long file has tens of thousands after an edit)
  const token = (t: Token): Token => (t.start >= movedFrom && delta !== 0 ? movedToken(t, delta) : t);
  const comment = (c: Comment): Comment => (c.start >= movedFrom && delta !== 0 ? movedCommentBy(c, delta) : c);
  const commentCopies = new Map<Comment, Comment>();
  const movedComment = (c: Comment) => {
    let copy = commentCopies.get(c);
    if (!copy) commentCopies.set(c, (copy = comment(c)));
    return copy;
  };
  // what was read on its own: offsets from `start`, lines from its line
  const readToken = (t: Token): Token => movedToken(t, start);
  const readComments = new Map(statements.read.comments.map((c) => [c, movedCommentBy(c, start)]));
  const readBlock = (block: Block, owner: Directive | undefined): Block => {
    const lua = block.lua && { start: block.lua.start + start, end: block.lua.end + start };
    return { owner, open: block.open + start, close: block.close === null ? null : block.close + start, directives: [], comments: block.comments.map((c) => readComments.get(c)!), lua };
  };
  const readDirective = (d: Directive, parent: Block): Directive => ({
    name: d.name,
    nameToken: readToken(d.nameToken),
    args: d.args.map(readToken),
    terminator: d.terminator,
    terminatorOffset: d.terminatorOffset + start,
    nginxLine: d.nginxLine + firstLine,
    start: d.start + start,
    end: d.end + start,
    block: undefined,
    parent,
    memo: undefined, // new words
  });

  const copyDirective = (d: Directive, parent: Block): Directive => {
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
      // (an end is where a statement stops: one that stops where an insertion starts stays before it)
      end: d.end > movedFrom || d.start >= movedFrom ? d.end + delta : d.end,
      block: undefined,
      parent,
      memo: d.memo, // the same words
    };
  };

  let added: Directive[] = [];
  const root: Block = copyBlock(old.root, undefined);
  // copied without recursion: nesting is only bounded by the file's size
  const pending: Array<{ from: Block; to: Block; read: boolean }> = [{ from: old.root, to: root, read: false }];
  while (pending.length > 0) {
    const { from, to, read } = pending.pop()!;
    const copy = (d: Directive, fromRead: boolean) => {
      const made = fromRead ? readDirective(d, to) : copyDirective(d, to);
      if (d.block) {
        made.block = fromRead ? readBlock(d.block, made) : copyBlock(d.block, made);
        pending.push({ from: d.block, to: made.block, read: fromRead });
      }
      return made;
    };
    if (from === statements.block && !read) {
      const { first, end } = statements;
      const kept = from.directives;
      added = statements.read.directives.map((d) => copy(d, true));
      to.directives = [...kept.slice(0, first).map((d) => copy(d, false)), ...added, ...kept.slice(end).map((d) => copy(d, false))];
    } else {
      // (made at its length: growing the lists of a long file element by element doubled their garbage)
      to.directives = from.directives.map((d) => copy(d, read));
    }
  }

  function copyBlock(block: Block, owner: Directive | undefined): Block {
    // the block whose statements are read again: its comments among them are those read
    const comments =
      block === statements.block
        ? [
            ...block.comments.filter((c) => c.start < start),
            ...statements.read.blockComments.map((c) => readComments.get(c)!),
            ...block.comments.filter((c) => c.start >= movedFrom).map(movedComment),
          ]
        : block.comments.map(movedComment);
    const lua = block.lua && { start: at(block.lua.start), end: at(block.lua.end) };
    return { owner, open: block.open < 0 ? block.open : at(block.open), close: block.close === null ? null : at(block.close), directives: [], comments, lua };
  }

  // every issue ends before the statements (checked by the callers) and stays as it is, but for the
  // one of a last statement left open at the block's end, which is read again
  const kept = statements.replacedIssue ? old.issues.filter((issue) => issue !== statements.replacedIssue) : old.issues;
  const open = statements.unterminated;
  const issues: SyntaxIssue[] = open ? [...kept, { ...open, start: open.start + start, end: open.end + start, nginxLine: open.nginxLine + firstLine }] : kept;
  const comments = [
    ...old.comments.filter((c) => c.start < start),
    ...statements.read.comments.map((c) => readComments.get(c)!),
    ...old.comments.filter((c) => c.start >= movedFrom).map(movedComment),
  ];
  return { file: { path: old.path, text, lines, root, comments, issues, latin1: old.latin1 }, added };
}

function movedToken(t: Token, by: number): Token {
  return { start: t.start + by, end: t.end + by, value: t.value, quote: t.quote };
}

function movedCommentBy(c: Comment, by: number): Comment {
  return { start: c.start + by, end: c.end + by, text: c.text };
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
export function directiveHolding(directives: readonly Directive[], offset: number): Directive | undefined {
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
