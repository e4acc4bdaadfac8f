// The most common mistake in an nginx configuration: a forgotten `;`. nginx then reads the next
// line's directive as more arguments of this one (`listen 8083` + `server_name a.example.org;` is one
// directive `listen 8083 server_name a.example.org`), and refuses it with a message about that merged
// directive (`invalid parameter "server_name"`), or even accepts it (`server_name` takes any words).
// Found here from the shape: an argument that starts a line, is a directive valid in this place, and
// leaves two directives nginx would each accept (or more, when the next ones lack their `;` too).

import { type ConfigDirective, type ConfigModel, modelMemoKey } from '../model/config';
import type { Directive, ParsedFile, SyntaxIssue, Token } from '../nginx/ast';
import type { ContextKind, DirectiveCatalog } from '../nginx/directives';

export interface MissingSemicolon {
  /** The directive as nginx read it (two or more directives run together). */
  directive: Directive;
  /** The argument that is really the next directive's name. */
  word: Token;
  /** Offset right after the last token before the line break: where the `;` belongs. */
  insertAt: number;
  /** 1-based line of that token (where the `;` is missing) and of the next directive. */
  line: number;
  nextLine: number;
  /** The `;` the next directives lack too (where each belongs, and its 1-based line), when several ran together. */
  alsoMissing: Array<{ insertAt: number; line: number }>;
}

function lineOf(file: ParsedFile, offset: number): number {
  return file.lines.positionAt(offset).line + 1;
}

/** Whether `count` arguments and this terminator make a directive nginx reads as `name` in `context`. */
function plausible(catalog: DirectiveCatalog, name: string, context: ContextKind, count: number, terminator: Directive['terminator']): boolean {
  const spec = catalog.specIn(name, context);
  if (!spec || !spec.counts.accepts(count)) return false;
  return terminator === null || spec.isBlock === (terminator === '{');
}

/** The forgotten `;` inside a directive as nginx read it, if its shape shows one. */
export function findMissingSemicolon(node: Directive, file: ParsedFile, context: ContextKind, catalog: DirectiveCatalog): MissingSemicolon | undefined {
  // a directive on one line cannot hold the next one
  const last = node.args[node.args.length - 1] ?? node.nameToken;
  const breakAt = file.text.indexOf('\n', node.nameToken.end);
  if (breakAt < 0 || breakAt >= last.start) return undefined;
  const tokens = [node.nameToken, ...node.args];
  for (let k = 1; k < tokens.length; k++) {
    const previous = tokens[k - 1]!;
    const word = tokens[k]!;
    if (word.quote !== '' || lineOf(file, word.start) === lineOf(file, previous.end)) continue;
    // the words before the break make a complete directive, and the rest another one (or several, each
    // missing its `;` too)
    if (!plausible(catalog, node.name, context, k - 1, ';')) continue;
    const starts = directivesFrom(tokens, k, file, context, catalog, node.terminator);
    if (!starts) continue;
    const alsoMissing = starts.map((at) => ({ insertAt: tokens[at - 1]!.end, line: lineOf(file, tokens[at - 1]!.end) }));
    return { directive: node, word, insertAt: previous.end, line: lineOf(file, previous.end), nextLine: lineOf(file, word.start), alsoMissing };
  }
  return undefined;
}

/**
 * Whether tokens[from..] read as directives one after another, each starting a line, the last ended by
 * `terminator`: the indices of the tokens that start the directives after the first, if so.
 */
function directivesFrom(tokens: readonly Token[], from: number, file: ParsedFile, context: ContextKind, catalog: DirectiveCatalog, terminator: Directive['terminator']): number[] | undefined {
  // a directive that takes any number of words (server_name) may swallow the next ones: split first
  const name = tokens[from]!.value;
  for (let k = from + 1; k < tokens.length; k++) {
    const word = tokens[k]!;
    if (word.quote !== '' || lineOf(file, word.start) === lineOf(file, tokens[k - 1]!.end)) continue;
    if (!plausible(catalog, name, context, k - from - 1, ';')) continue;
    const rest = directivesFrom(tokens, k, file, context, catalog, terminator);
    if (rest) return [k, ...rest];
  }
  return plausible(catalog, name, context, tokens.length - from - 1, terminator) ? [] : undefined;
}

/** For a directive of the model. */
export function missingSemicolonIn(directive: ConfigDirective, catalog: DirectiveCatalog): MissingSemicolon | undefined {
  if (directive.node.args.length === 0) return undefined;
  return findMissingSemicolon(directive.node, directive.file, directive.parent.context, catalog);
}

/**
 * A directive cut short by `}` or the end of the file (nginx: `unexpected "}"`, `unexpected end of
 * file, expecting ";" or "}"`): its `;` is missing at its end. Returns the issue it explains.
 */
export function unterminatedDirective(directive: ConfigDirective): { issue: SyntaxIssue; insertAt: number; line: number } | undefined {
  const { node, file } = directive;
  if (node.terminator !== null) return undefined;
  const last = node.args[node.args.length - 1] ?? node.nameToken;
  // a string never closed runs to the end of the file: a ";" there would be inside it
  if (last.quote && (last.end - last.start < 2 || file.text[last.end - 1] !== last.quote)) return undefined;
  const issue = file.issues.find(
    (i) => (i.message === 'unexpected "}"' || i.message === 'unexpected end of file, expecting ";" or "}"') && i.start >= last.end && !/\S/.test(file.text.slice(last.end, i.start).replace(/#[^\n]*/g, '')),
  );
  return issue ? { issue, insertAt: last.end, line: lineOf(file, last.end) } : undefined;
}

export interface UnclosedBlock {
  issue: SyntaxIssue;
  owner: Directive;
  /** Where the `}` probably belongs, by the file's indentation: the start of the first line back at the owner's level. */
  insertAt: number;
  /** 1-based line of that place, or undefined when it is the end of the file. */
  line?: number;
  indent: string;
}

function indentation(text: string, lineStart: number): string {
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/**
 * `unexpected end of file, expecting "}"`: which block's `}` was forgotten, and where, by the file's
 * indentation: the block holding a line indented no deeper than the block itself (other than its own
 * `}`), the deepest such block; its `}` belongs just before that line. Without such a line, the block
 * nginx found open, closed at the end of the file.
 */
export function unclosedBlocks(file: ParsedFile): UnclosedBlock[] {
  const issue = file.issues.find((i) => i.message === 'unexpected end of file, expecting "}"' && i.related?.[0]);
  if (!issue) return [];
  const text = file.text;
  const lineStartOf = (offset: number) => text.lastIndexOf('\n', offset - 1) + 1;
  let best: UnclosedBlock | undefined;
  forEachDirectiveIn(file, (owner) => {
    if (!owner.block || owner.block.lua) return;
    const indent = indentation(text, lineStartOf(owner.start));
    if (best && best.indent.length >= indent.length) return;
    const stop = owner.block.close ?? text.length;
    for (let at = text.indexOf('\n', owner.block.open) + 1; at > 0 && at < stop; at = text.indexOf('\n', at) + 1) {
      const lineEnd = text.indexOf('\n', at) < 0 ? text.length : text.indexOf('\n', at);
      const rest = text.slice(at, lineEnd);
      if (!/\S/.test(rest) || /^\s*(#|\})/.test(rest)) continue;
      if (indentation(text, at).length <= indent.length) {
        best = { issue, owner, insertAt: at, line: lineOf(file, at), indent };
        return;
      }
    }
  });
  if (best) return [best];
  const open = issue.related![0]!.start;
  let owner: Directive | undefined;
  forEachDirectiveIn(file, (d) => {
    if (d.block && d.block.open === open) owner = d;
  });
  return owner ? [{ issue, owner, insertAt: text.length, indent: indentation(text, lineStartOf(owner.start)) }] : [];
}

function forEachDirectiveIn(file: ParsedFile, visit: (d: Directive) => void): void {
  const stack = [file.root];
  while (stack.length) {
    const block = stack.pop()!;
    for (const d of block.directives) {
      visit(d);
      if (d.block) stack.push(d.block);
    }
  }
}

const EXPLAINED = modelMemoKey<Set<SyntaxIssue>>('syntax issues a missing ; or } explains');

/** The syntax issues a forgotten `;` or `}` explains (nginx/missing-semicolon and nginx/missing-brace report them). */
export function issuesExplained(model: ConfigModel): Set<SyntaxIssue> {
  return model.memo(EXPLAINED, () => {
    const set = new Set<SyntaxIssue>();
    const directives = model.directives();
    for (let i = 0; i < directives.length; i++) {
      const d = directives[i]!;
      const found = d.node.terminator === null ? unterminatedDirective(d) : undefined;
      if (found) set.add(found.issue);
    }
    for (const file of model.files.values()) for (const unclosed of unclosedBlocks(file)) set.add(unclosed.issue);
    return set;
  });
}
