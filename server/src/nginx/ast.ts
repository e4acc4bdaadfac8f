// The syntax tree of one NGINX file. Offsets are UTF-16 indices into the file's text; `LineIndex`
// turns them into positions. The tree knows nothing of includes or directive semantics.

import type { LineIndex } from '../core/text';
import type { Comment, SyntaxIssue, Token } from './lexer';

export type { Comment, SyntaxIssue, Token };

export interface Directive {
  name: string;
  /** The name as written (a token: it may be quoted). */
  nameToken: Token;
  args: Token[];
  /** `;`, `{`, or null when an error cut the directive short. */
  terminator: ';' | '{' | null;
  /** Offset of the terminator (or of the end of the last token when there is none). */
  terminatorOffset: number;
  /** nginx line of the terminator: where nginx reports errors about the directive. */
  nginxLine: number;
  /** Offset of the first character of the name. */
  start: number;
  /** Offset after the `;`, or after the block's `}`. */
  end: number;
  block?: Block;
  /** The block this directive stands in. */
  parent: Block;
  /**
   * What readers computed from the directive's words alone, never from its offsets or its place: kept
   * with the directive (a field: a WeakMap keyed by the tokens of 100,000 directives made the lint of
   * such a file 5 to 10% slower), and handed to its copy when a reparse in place moves it (nginx/reparse.ts).
   */
  memo?: DirectiveMemo;
}

export interface DirectiveMemo {
  /** semantics/variable-uses.ts: where the directive uses variables, as a directive or as a map entry. */
  variableSites?: readonly VariableSite[];
  mapEntryVariableSites?: readonly VariableSite[];
}

/** The directive's memo, made on first use with every field in one order (one object layout for V8). */
export function memoOf(directive: Directive): DirectiveMemo {
  return (directive.memo ??= { variableSites: undefined, mapEntryVariableSites: undefined });
}

/** A variable a directive uses: which word (-1 for the name) and where in that word's text, its quote included. */
export interface VariableSite {
  name: string;
  word: number;
  from: number;
  to: number;
  /** Compiled when the http block ends (after every directive read). */
  atMerge: boolean;
}

export interface Block {
  /** The directive that opens the block; undefined for a file's top level. */
  owner?: Directive;
  /** Offset of `{` (-1 for a file's top level). */
  open: number;
  /** Offset of `}`; null when the file ends first (or for a file's top level). */
  close: number | null;
  directives: Directive[];
  comments: Comment[];
  /** For `*_by_lua_block`: the body is Lua source, not directives. */
  lua?: { start: number; end: number };
}

export interface ParsedFile {
  path: string;
  text: string;
  lines: LineIndex;
  root: Block;
  /** Every comment of the file, in order. */
  comments: Comment[];
  /** Syntax errors in the order nginx would meet them: nginx -t reports the first. */
  issues: SyntaxIssue[];
  /** The text was not valid UTF-8 and was read byte for byte. */
  latin1: boolean;
}

/** Visits every directive of a block and of its nested blocks, in file order, without recursion. */
export function forEachDirective(block: Block, visit: (directive: Directive) => void): void {
  const stack: Array<{ block: Block; index: number }> = [{ block, index: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.index >= top.block.directives.length) {
      stack.pop();
      continue;
    }
    const directive = top.block.directives[top.index++]!;
    visit(directive);
    if (directive.block) stack.push({ block: directive.block, index: 0 });
  }
}

/** The innermost directive whose span contains `offset` (its block included), or undefined. */
export function directiveAt(root: Block, offset: number): Directive | undefined {
  let found: Directive | undefined;
  let block: Block | undefined = root;
  while (block) {
    const inside: Directive | undefined = block.directives.find((d) => d.start <= offset && offset <= d.end);
    if (!inside) break;
    found = inside;
    block = inside.block;
  }
  return found;
}

/** The innermost block that contains `offset` (a file's top level if none). */
export function blockAt(root: Block, offset: number): Block {
  let block = root;
  for (;;) {
    const inner = block.directives.find(
      (d) => d.block && d.block.open < offset && (d.block.close === null ? offset <= d.end : offset <= d.block.close),
    );
    if (!inner?.block) return block;
    block = inner.block;
  }
}

/** Arguments' values, for quick comparisons. */
export function argValues(directive: Directive): string[] {
  return directive.args.map((a) => a.value);
}
