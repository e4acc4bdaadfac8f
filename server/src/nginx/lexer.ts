// NGINX's configuration tokenizer, state for state (src/core/ngx_conf_file.c, ngx_conf_read_token),
// with error recovery added: where nginx stops at the first error, this reports it with the message and
// line nginx prints, then carries on so that the rest of the file still gets a tree.

export interface Token {
  /** Offset of the first character, an opening quote included. */
  start: number;
  /** Offset after the last character, a closing quote included. */
  end: number;
  /** The argument as nginx hands it to a directive: quotes removed, escapes resolved. */
  value: string;
  quote: '' | '"' | "'";
}

export interface Comment {
  /** Offset of the `#`. */
  start: number;
  /** Offset of the end of the comment (before the line break). */
  end: number;
  /** The text after `#`. */
  text: string;
}

export interface RelatedSpan {
  start: number;
  end: number;
  message: string;
}

export interface SyntaxIssue {
  message: string;
  start: number;
  end: number;
  /** The line nginx prints with this error (1-based, counting \n only). */
  nginxLine: number;
  related?: RelatedSpan[];
}

/** How a statement ended: `;`, `{`, `}` or the end of the file. */
export type StatementEnd = ';' | '{' | '}' | 'eof';

export interface Statement {
  tokens: Token[];
  end: StatementEnd;
  /** Offset of the terminating character (text length at end of file). */
  endOffset: number;
  /** nginx line of the terminator: where nginx reports errors about this directive. */
  endLine: number;
  /** True when the statement was cut short by an error (unexpected `}` or end of file). */
  broken: boolean;
}

const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const SEMICOLON = 59;
const LBRACE = 123;
const RBRACE = 125;
const HASH = 35;
const BACKSLASH = 92;
const DQUOTE = 34;
const SQUOTE = 39;
const DOLLAR = 36;
const RPAREN = 41;

/** nginx reads its configuration through a 4096-byte buffer; no token may fill it. */
const NGX_CONF_BUFFER = 4096;

/** The ASCII characters (1) that change nothing but the position, in one state of the tokenizer. */
function plainTable(special: string): Uint8Array {
  const table = new Uint8Array(128).fill(1);
  for (const ch of special) table[ch.charCodeAt(0)] = 0;
  return table;
}
const IN_COMMENT = plainTable('\n');
const BLANK = (() => {
  const table = new Uint8Array(128);
  table[SPACE] = table[TAB] = table[CR] = 1; // a line feed counts a line: read one by one
  return table;
})();
const IN_WORD = plainTable(' \t\r\n;{$\\');
const IN_DQUOTED = plainTable('"\n$\\');
const IN_SQUOTED = plainTable("'\n$\\");

function isSpace(c: number): boolean {
  return c === SPACE || c === TAB || c === CR || c === LF;
}

export class Lexer {
  readonly issues: SyntaxIssue[] = [];
  readonly comments: Comment[] = [];

  private pos = 0;
  /** nginx's line counter: 1 + the number of \n read so far. */
  private line = 1;
  /** Byte offset of `pos` in the file, for the 4096-byte token limit. */
  private bytePos = 0;

  /**
   * @param latin1 the text was decoded byte for byte (not valid UTF-8), so every character is one byte.
   */
  constructor(
    private readonly text: string,
    private readonly latin1 = false,
  ) {}

  get offset(): number {
    return this.pos;
  }

  get currentLine(): number {
    return this.line;
  }

  private byteLength(c: number): number {
    if (this.latin1 || c < 0x80) return 1;
    if (c < 0x800) return 2;
    if (c >= 0xd800 && c <= 0xdfff) return 2; // each half of a surrogate pair: 4 bytes for the pair
    return 3;
  }

  private issue(message: string, start: number, end: number, nginxLine: number, related?: RelatedSpan[]): void {
    const hints = related ?? this.multilineStringsBefore(start);
    this.issues.push(hints.length > 0 ? { message, start, end, nginxLine, related: hints } : { message, start, end, nginxLine });
  }

  /** Reads the next statement, as ngx_conf_read_token returns the next directive's words. */
  next(): Statement {
    const text = this.text;
    const n = text.length;
    const tokens: Token[] = [];

    let lastSpace = true;
    let needSpace = false;
    let sharpComment = false;
    let quoted = false;
    let dQuoted = false;
    let sQuoted = false;
    let variable = false;

    // nginx's `start`: where the current word begins; it moves over white space between words.
    let start = this.pos;
    let startByte = this.bytePos;
    let startLine = this.line;
    let tokenStart = this.pos; // where the token's raw text begins (its quote included)
    let valueStart = this.pos; // where its value begins (after a quote)
    let commentStart = -1;

    // pushToken, statement and finishComment take what they need as arguments: closures over these
    // variables would be made again for each of a large file's hundred thousand statements

    for (;;) {
      if (this.pos >= n) {
        if (commentStart >= 0) {
          this.finishComment(commentStart, n);
          commentStart = -1;
        }
        if (tokens.length > 0 || !lastSpace) {
          let related: RelatedSpan[] | undefined;
          if (!lastSpace && !needSpace) {
            // A word was still open: keep it in the tree (an editor shows the half-typed directive).
            if (dQuoted || sQuoted) {
              related = [{ start: tokenStart, end: tokenStart + 1, message: 'the string opened here is never closed' }];
              pushToken(tokens, text, tokenStart, valueStart, n, n, dQuoted ? '"' : "'");
            } else {
              pushToken(tokens, text, tokenStart, valueStart, n, n, '');
            }
          }
          this.issue('unexpected end of file, expecting ";" or "}"', n, n, this.line, related);
          return statement(tokens, 'eof', n, this.line, true);
        }
        return statement(tokens, 'eof', n, this.line);
      }

      // Runs of characters that change no state (indentation, the letters of a word or a string, a
      // comment's text) are skipped in one loop; the loop below then reads the character that ends them.
      if (!quoted && !needSpace && !variable) {
        const plain = sharpComment ? IN_COMMENT : lastSpace ? BLANK : dQuoted ? IN_DQUOTED : sQuoted ? IN_SQUOTED : IN_WORD;
        // as many as the 4096-byte budget of the word allows, so that the loop below reports a word too long
        const stop = Math.min(n, this.pos + (startByte + NGX_CONF_BUFFER - this.bytePos));
        let end = this.pos;
        while (end < stop) {
          const c = text.charCodeAt(end);
          if (c >= 0x80 || plain[c] === 0) break;
          end++;
        }
        if (end > this.pos) {
          if (lastSpace && !sharpComment) {
            // as if each blank had been read: the word would start at the last one
            start = end - 1;
            startByte = this.bytePos + (end - 1 - this.pos);
            startLine = this.line;
          }
          this.bytePos += end - this.pos;
          this.pos = end;
          continue;
        }
      }

      const c = text.charCodeAt(this.pos);
      const width = this.byteLength(c);
      if (this.bytePos + width > startByte + NGX_CONF_BUFFER) {
        this.reportTooLong(start, startLine, dQuoted ? '"' : sQuoted ? "'" : '');
        startByte = Number.POSITIVE_INFINITY; // once per word
      }
      const at = this.pos;
      this.pos++;
      this.bytePos += width;

      if (c === LF) {
        this.line++;
        if (sharpComment) {
          sharpComment = false;
          this.finishComment(commentStart, at);
          commentStart = -1;
        }
      }

      if (sharpComment) continue;

      if (quoted) {
        quoted = false;
        continue;
      }

      if (needSpace) {
        if (isSpace(c)) {
          lastSpace = true;
          needSpace = false;
          continue;
        }
        if (c === SEMICOLON) return statement(tokens, ';', at, this.line);
        if (c === LBRACE) return statement(tokens, '{', at, this.line);
        if (c === RPAREN) {
          lastSpace = true;
          needSpace = false;
        } else {
          this.issue(`unexpected "${text[at]}"`, at, at + 1, this.line);
          // Recover as if a space separated the quoted word from this one.
          lastSpace = true;
          needSpace = false;
        }
      }

      if (lastSpace) {
        start = at;
        startByte = this.bytePos - width;
        startLine = this.line;

        if (isSpace(c)) continue;

        switch (c) {
          case SEMICOLON:
          case LBRACE:
            if (tokens.length === 0) {
              this.issue(`unexpected "${text[at]}"`, at, at + 1, this.line);
              continue;
            }
            return statement(tokens, c === LBRACE ? '{' : ';', at, this.line);

          case RBRACE:
            if (tokens.length !== 0) {
              this.issue('unexpected "}"', at, at + 1, this.line);
              return statement(tokens, '}', at, this.line, true);
            }
            return statement(tokens, '}', at, this.line);

          case HASH:
            sharpComment = true;
            commentStart = at;
            continue;

          case BACKSLASH:
            quoted = true;
            lastSpace = false;
            tokenStart = valueStart = at;
            continue;

          case DQUOTE:
          case SQUOTE:
            start = at + 1;
            startByte = this.bytePos;
            if (c === DQUOTE) dQuoted = true;
            else sQuoted = true;
            lastSpace = false;
            tokenStart = at;
            valueStart = at + 1;
            continue;

          case DOLLAR:
            variable = true;
            lastSpace = false;
            tokenStart = valueStart = at;
            continue;

          default:
            lastSpace = false;
            tokenStart = valueStart = at;
        }
      } else {
        if (c === LBRACE && variable) continue;
        variable = false;

        if (c === BACKSLASH) {
          quoted = true;
          continue;
        }
        if (c === DOLLAR) {
          variable = true;
          continue;
        }

        let found = false;
        if (dQuoted) {
          if (c === DQUOTE) {
            dQuoted = false;
            needSpace = true;
            found = true;
          }
        } else if (sQuoted) {
          if (c === SQUOTE) {
            sQuoted = false;
            needSpace = true;
            found = true;
          }
        } else if (isSpace(c) || c === SEMICOLON || c === LBRACE) {
          lastSpace = true;
          found = true;
        }

        if (found) {
          if (needSpace) {
            pushToken(tokens, text, tokenStart, valueStart, at + 1, at, c === DQUOTE ? '"' : "'");
            if (text.slice(valueStart, at).includes('\n')) this.noteMultilineString(tokenStart, at);
          } else {
            pushToken(tokens, text, tokenStart, valueStart, at, at, '');
          }
          if (c === SEMICOLON) return statement(tokens, ';', at, this.line);
          if (c === LBRACE) return statement(tokens, '{', at, this.line);
        }
      }
    }
  }

  private finishComment(commentStart: number, end: number): void {
    const text = this.text;
    let stop = end;
    if (stop > commentStart + 1 && text.charCodeAt(stop - 1) === CR) stop--;
    this.comments.push({ start: commentStart, end: stop, text: text.slice(commentStart + 1, stop) });
  }

  private reportTooLong(start: number, startLine: number, openQuote: string): void {
    const message = openQuote
      ? `too long parameter, probably missing terminating "${openQuote}" character`
      : `too long parameter "${this.text.slice(start, start + 10)}..." started`;
    this.issue(message, start, Math.min(this.pos + 1, this.text.length), startLine);
  }

  private readonly multilineStrings: RelatedSpan[] = [];

  /**
   * A quoted string that spans lines is legal, but it is also what a missing closing quote looks like:
   * remembered so that the next error can point at the string's opening quote.
   */
  private noteMultilineString(open: number, close: number): void {
    this.multilineStrings.push({ start: open, end: close + 1, message: 'this quoted string spans several lines: is a closing quote missing?' });
  }

  /** The multi-line string that ended shortly before `offset`, if any: a hint for an error found there. */
  private multilineStringsBefore(offset: number): RelatedSpan[] {
    const last = this.multilineStrings[this.multilineStrings.length - 1];
    return last && last.end <= offset && offset - last.end < 2000 ? [last] : [];
  }

  /**
   * Skips the Lua body of a `*_by_lua_block { ... }` (OpenResty reads it with a Lua lexer, not nginx's):
   * strings, long brackets and comments may hold braces. Returns the offset of the closing `}`, or
   * undefined at end of file.
   */
  skipLuaBlock(): number | undefined {
    const text = this.text;
    const n = text.length;
    let depth = 0;
    while (this.pos < n) {
      const c = text.charCodeAt(this.pos);
      if (c === LF) this.line++;
      if (c === 45 /* - */ && text.charCodeAt(this.pos + 1) === 45) {
        this.pos += 2;
        const level = longBracketLevel(text, this.pos);
        if (level >= 0) this.skipLongBracket(level);
        else while (this.pos < n && text.charCodeAt(this.pos) !== LF) this.pos++;
        continue;
      }
      if (c === DQUOTE || c === SQUOTE) {
        this.pos++;
        while (this.pos < n) {
          const d = text.charCodeAt(this.pos);
          if (d === BACKSLASH) {
            if (text.charCodeAt(this.pos + 1) === LF) this.line++;
            this.pos += 2;
            continue;
          }
          if (d === LF) this.line++;
          this.pos++;
          if (d === c || d === LF) break;
        }
        continue;
      }
      if (c === 91 /* [ */) {
        const level = longBracketLevel(text, this.pos);
        if (level >= 0) {
          this.skipLongBracket(level);
          continue;
        }
      }
      if (c === LBRACE) depth++;
      if (c === RBRACE) {
        if (depth === 0) {
          this.pos++;
          return this.pos - 1;
        }
        depth--;
      }
      this.pos++;
    }
    this.bytePos = Number.NaN; // byte accounting does not apply after a Lua body; nothing reads it
    return undefined;
  }

  private skipLongBracket(level: number): void {
    const text = this.text;
    const close = ']' + '='.repeat(level) + ']';
    const end = text.indexOf(close, this.pos + level + 2);
    const stop = end < 0 ? text.length : end + close.length;
    for (let i = this.pos; i < stop; i++) if (text.charCodeAt(i) === LF) this.line++;
    this.pos = stop;
  }
}

function pushToken(tokens: Token[], text: string, tokenStart: number, valueStart: number, end: number, valueEnd: number, quote: Token['quote']): void {
  tokens.push({ start: tokenStart, end, value: unescape(text.slice(valueStart, valueEnd)), quote });
}

function statement(tokens: Token[], end: StatementEnd, endOffset: number, endLine: number, broken = false): Statement {
  return { tokens, end, endOffset, endLine, broken };
}

/** The level of a Lua long bracket opening at `at` (`[[` is 0, `[==[` is 2), or -1. */
function longBracketLevel(text: string, at: number): number {
  if (text.charCodeAt(at) !== 91) return -1;
  let i = at + 1;
  while (text.charCodeAt(i) === 61 /* = */) i++;
  return text.charCodeAt(i) === 91 ? i - at - 1 : -1;
}

/** nginx's unescaping of a word: \" \' \\ lose the backslash, \t \r \n become control characters. */
export function unescape(raw: string): string {
  if (!raw.includes('\\')) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (ch === '\\' && i + 1 < raw.length) {
      const next = raw[i + 1]!;
      if (next === '"' || next === "'" || next === '\\') {
        out += next;
        i++;
        continue;
      }
      if (next === 't' || next === 'r' || next === 'n') {
        out += next === 't' ? '\t' : next === 'r' ? '\r' : '\n';
        i++;
        continue;
      }
    }
    out += ch;
  }
  return out;
}
