// Builds the syntax tree of one file from the lexer's statements, as ngx_conf_parse walks them, and
// keeps going after errors. It never throws and never recurses, whatever the input.

import { LineIndex } from '../core/text';
import type { Block, Directive, ParsedFile, SyntaxIssue } from './ast';
import { Lexer, type Statement } from './lexer';

export interface ParseOptions {
  /** The text was decoded byte for byte because it is not valid UTF-8. */
  latin1?: boolean;
}

export function parseNginx(path: string, text: string, options: ParseOptions = {}): ParsedFile {
  const lexer = new Lexer(text, options.latin1 ?? false);
  const root: Block = { owner: undefined, open: -1, close: null, directives: [], comments: [], lua: undefined };
  const stack: Block[] = [root];
  const issues = lexer.issues; // one list, in the order nginx would meet the errors
  let commentsSeen = 0;

  const current = () => stack[stack.length - 1]!;

  // Comments read while reading a statement belong to the block open at that time.
  const collectComments = () => {
    const all = lexer.comments;
    for (; commentsSeen < all.length; commentsSeen++) current().comments.push(all[commentsSeen]!);
  };

  const addDirective = (statement: Statement, terminator: Directive['terminator']): Directive | undefined => {
    const nameToken = statement.tokens[0];
    if (!nameToken) return undefined;
    const args = statement.tokens.slice(1);
    const last = statement.tokens[statement.tokens.length - 1]!;
    const parent = current();
    const directive: Directive = {
      name: nameToken.value,
      nameToken,
      args,
      terminator,
      terminatorOffset: terminator ? statement.endOffset : last.end,
      nginxLine: statement.endLine,
      start: nameToken.start,
      end: terminator === ';' ? statement.endOffset + 1 : last.end,
      block: undefined, // (set below for a block: every directive has one layout)
      parent,
      memo: undefined,
    };
    parent.directives.push(directive);
    return directive;
  };

  for (;;) {
    const statement = lexer.next();
    collectComments();

    if (statement.end === ';') {
      addDirective(statement, ';');
      continue;
    }

    if (statement.end === '{') {
      const directive = addDirective(statement, '{')!;
      const block: Block = { owner: directive, open: statement.endOffset, close: null, directives: [], comments: [], lua: undefined };
      directive.block = block;
      if (directive.name.endsWith('_by_lua_block')) {
        const close = lexer.skipLuaBlock();
        block.lua = { start: statement.endOffset + 1, end: close ?? text.length };
        if (close === undefined) {
          issues.push(unclosedBlock(text.length, lexer.currentLine, directive));
          directive.end = text.length;
          break;
        }
        block.close = close;
        directive.end = close + 1;
        continue;
      }
      stack.push(block);
      continue;
    }

    if (statement.end === '}') {
      if (statement.tokens.length > 0) addDirective(statement, null); // the lexer reported it
      if (stack.length === 1) {
        if (!statement.broken) {
          issues.push({ message: 'unexpected "}"', start: statement.endOffset, end: statement.endOffset + 1, nginxLine: statement.endLine });
        }
        continue;
      }
      const block = stack.pop()!;
      block.close = statement.endOffset;
      block.owner!.end = statement.endOffset + 1;
      continue;
    }

    // End of file.
    if (statement.tokens.length > 0) addDirective(statement, null); // the lexer reported it
    if (stack.length > 1 && !statement.broken) {
      issues.push(unclosedBlock(text.length, statement.endLine, current().owner!));
    }
    for (let i = stack.length - 1; i > 0; i--) stack[i]!.owner!.end = text.length;
    break;
  }

  return { path, text, lines: new LineIndex(text), root, comments: lexer.comments, issues, latin1: options.latin1 ?? false };
}

function unclosedBlock(offset: number, nginxLine: number, owner: Directive): SyntaxIssue {
  const open = owner.block!.open;
  return {
    message: 'unexpected end of file, expecting "}"',
    start: offset,
    end: offset,
    nginxLine,
    related: [{ start: open, end: open + 1, message: `the "${owner.name}" block opened here is never closed` }],
  };
}
