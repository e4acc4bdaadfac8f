// yaml.v3's scanner (scannerc.go), step for step: which input is a token, where it starts, and which
// error stops the scan, with yaml.v3's problem and context texts. The [Go] additions of yaml.v3 are
// kept: comments are consumed as yaml_parser_scan_line_comment / yaml_parser_scan_comments consume
// them, and the token queue keeps two tokens of lookahead (yaml_parser_fetch_more_tokens), which
// decides how far past the first document the scanner reads. Comment texts are not kept: they only
// place comments and BLOCK-END marks, never change a token or an error.

import { type Mark, Reader, YamlStop } from './reader';

export type TokenType =
  | 'STREAM-START'
  | 'STREAM-END'
  | 'VERSION-DIRECTIVE'
  | 'TAG-DIRECTIVE'
  | 'DOCUMENT-START'
  | 'DOCUMENT-END'
  | 'BLOCK-SEQUENCE-START'
  | 'BLOCK-MAPPING-START'
  | 'BLOCK-END'
  | 'FLOW-SEQUENCE-START'
  | 'FLOW-SEQUENCE-END'
  | 'FLOW-MAPPING-START'
  | 'FLOW-MAPPING-END'
  | 'BLOCK-ENTRY'
  | 'FLOW-ENTRY'
  | 'KEY'
  | 'VALUE'
  | 'ALIAS'
  | 'ANCHOR'
  | 'TAG'
  | 'SCALAR';

export type ScalarStyle = 'plain' | 'single' | 'double' | 'literal' | 'folded';

export interface Token {
  type: TokenType;
  start: Mark;
  end: Mark;
  /** Scalar value, anchor or alias name, tag handle, %TAG handle. */
  value?: string;
  /** Tag suffix. */
  suffix?: string;
  /** %TAG prefix. */
  prefix?: string;
  style?: ScalarStyle;
  major?: number;
  minor?: number;
}

interface SimpleKey {
  possible: boolean;
  required: boolean;
  tokenNumber: number;
  mark: Mark;
}

const NUL = 0;
const is = (c: number, s: string) => c === s.charCodeAt(0);
const isBlank = (c: number) => c === 0x20 || c === 0x09;
const isBreak = (c: number) => c === 0x0d || c === 0x0a || c === 0x85 || c === 0x2028 || c === 0x2029;
const isBreakz = (c: number) => isBreak(c) || c === NUL;
const isBlankz = (c: number) => isBlank(c) || isBreakz(c);
const isAlpha = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x2d;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isHex = (c: number) => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
const asHex = (c: number) => (c >= 0x61 ? c - 0x61 + 10 : c >= 0x41 ? c - 0x41 + 10 : c - 0x30);
/** The characters that cannot start a plain scalar (scannerc.go yaml_parser_fetch_next_token). */
const INDICATORS = new Set([...'-?:,[]{}#&*!|>\'"%@`'].map((c) => c.charCodeAt(0)));
const TAG_URI = new Set([...';/?:@&=+$,.!~*\'()[]%'].map((c) => c.charCodeAt(0)));
const MAX_FLOW_LEVEL = 10000; // scannerc.go max_flow_level
const MAX_INDENTS = 10000; // scannerc.go max_indents

export class Scanner {
  readonly reader: Reader;
  private pos = 0;
  // The position as yaml.v3's parser.mark, kept in numbers: a Mark object is made only when one is kept.
  private markIndex = 0;
  private markLine = 0;
  private markColumn = 0;
  private newlines = 0;
  private readonly tokens: Token[] = [];
  private head = 0;
  private tokensParsed = 0;
  private tokenAvailable = false;
  private streamStartProduced = false;
  streamEndProduced = false;
  private indent = -1;
  private readonly indents: number[] = [];
  private simpleKeyAllowed = false;
  private readonly simpleKeys: SimpleKey[] = [];
  private readonly simpleKeysByToken = new Map<number, number>();
  private flowLevel = 0;

  constructor(reader: Reader) {
    this.reader = reader;
  }

  // ---- the buffer ------------------------------------------------------------------------------

  private cache(n: number): void {
    if (this.reader.available(this.pos) < n) this.reader.ensure(this.pos, n);
  }

  private at(k = 0): number {
    return this.reader.at(this.pos + k);
  }

  /** A copy of the position, for a token or a simple key to keep. */
  get mark(): Mark {
    return { index: this.markIndex, line: this.markLine, column: this.markColumn };
  }

  private advanceLine(chars: number): void {
    this.markIndex += chars;
    this.markLine++;
    this.markColumn = 0;
  }

  private skip(): void {
    if (!isBlank(this.at())) this.newlines = 0;
    this.markIndex++;
    this.markColumn++;
    this.pos++;
  }

  private skipLine(): void {
    if (is(this.at(), '\r') && is(this.at(1), '\n')) {
      this.advanceLine(2);
      this.pos += 2;
      this.newlines++;
    } else if (isBreak(this.at())) {
      this.advanceLine(1);
      this.pos++;
      this.newlines++;
    }
  }

  private read(s: string): string {
    if (!isBlank(this.at())) this.newlines = 0;
    const c = this.at();
    this.markIndex++;
    this.markColumn++;
    this.pos++;
    return s + String.fromCodePoint(c);
  }

  private readLine(s: string): string {
    const c = this.at();
    if (is(c, '\r') && is(this.at(1), '\n')) {
      s += '\n';
      this.pos += 2;
      this.markIndex++;
    } else if (is(c, '\r') || is(c, '\n') || c === 0x85) {
      s += '\n';
      this.pos += 1;
    } else if (c === 0x2028 || c === 0x2029) {
      s += String.fromCodePoint(c);
      this.pos += 1;
    } else {
      return s;
    }
    this.advanceLine(1);
    this.newlines++;
    return s;
  }

  private scannerError(context: string, contextMark: Mark, problem: string): never {
    throw new YamlStop('scanner', problem, contextMark, this.mark, context);
  }

  // ---- the token queue -------------------------------------------------------------------------

  /** The next token, fetching as yaml_parser_fetch_more_tokens does (peek_token, parserc.go). */
  peek(): Token {
    if (!this.tokenAvailable) this.fetchMoreTokens();
    return this.tokens[this.head]!;
  }

  /** skip_token (parserc.go). */
  skipToken(): void {
    this.tokenAvailable = false;
    this.tokensParsed++;
    this.streamEndProduced = this.tokens[this.head]!.type === 'STREAM-END';
    this.head++;
  }

  private insertToken(pos: number, token: Token): void {
    if (pos < 0) this.tokens.push(token);
    else this.tokens.splice(this.head + pos, 0, token);
  }

  private fetchMoreTokens(): void {
    for (;;) {
      // [Go] two tokens of lookahead, unless a simple key at the head needs more.
      if (this.head < this.tokens.length - 2) {
        const index = this.simpleKeysByToken.get(this.tokensParsed);
        if (index === undefined) break;
        if (!this.simpleKeyIsValid(this.simpleKeys[index]!)) break;
      }
      this.fetchNextToken();
    }
    this.tokenAvailable = true;
  }

  private fetchNextToken(): void {
    this.cache(1);
    if (!this.streamStartProduced) {
      this.fetchStreamStart();
      return;
    }
    const scanMark = this.mark;
    this.scanToNextToken();
    this.unrollIndent(this.markColumn, scanMark);
    this.cache(4);
    const c = this.at();
    if (c === NUL) {
      this.fetchStreamEnd();
      return;
    }
    if (this.markColumn === 0 && is(c, '%')) {
      this.fetchDirective();
      return;
    }
    if (this.markColumn === 0 && is(c, '-') && is(this.at(1), '-') && is(this.at(2), '-') && isBlankz(this.at(3))) {
      this.fetchDocumentIndicator('DOCUMENT-START');
      return;
    }
    if (this.markColumn === 0 && is(c, '.') && is(this.at(1), '.') && is(this.at(2), '.') && isBlankz(this.at(3))) {
      this.fetchDocumentIndicator('DOCUMENT-END');
      return;
    }
    this.fetchTokenAt(c);
    // The deferred line comment scan of yaml_parser_fetch_next_token.
    if (this.tokens.length > 0 && this.tokens[this.tokens.length - 1]!.type === 'BLOCK-ENTRY') return;
    this.scanLineComment();
  }

  private fetchTokenAt(c: number): void {
    const next = this.at(1);
    if (is(c, '[')) return this.fetchFlowCollectionStart('FLOW-SEQUENCE-START');
    if (is(c, '{')) return this.fetchFlowCollectionStart('FLOW-MAPPING-START');
    if (is(c, ']')) return this.fetchFlowCollectionEnd('FLOW-SEQUENCE-END');
    if (is(c, '}')) return this.fetchFlowCollectionEnd('FLOW-MAPPING-END');
    if (is(c, ',')) return this.fetchFlowEntry();
    if (is(c, '-') && isBlankz(next)) return this.fetchBlockEntry();
    if (is(c, '?') && (this.flowLevel > 0 || isBlankz(next))) return this.fetchKey();
    if (is(c, ':') && (this.flowLevel > 0 || isBlankz(next))) return this.fetchValue();
    if (is(c, '*')) return this.fetchAnchor('ALIAS');
    if (is(c, '&')) return this.fetchAnchor('ANCHOR');
    if (is(c, '!')) return this.fetchTag();
    if (is(c, '|') && this.flowLevel === 0) return this.fetchBlockScalar(true);
    if (is(c, '>') && this.flowLevel === 0) return this.fetchBlockScalar(false);
    if (is(c, "'")) return this.fetchFlowScalar(true);
    if (is(c, '"')) return this.fetchFlowScalar(false);
    const indicator = isBlankz(c) || INDICATORS.has(c);
    if (!indicator || (is(c, '-') && !isBlank(next)) || (this.flowLevel === 0 && (is(c, '?') || is(c, ':')) && !isBlankz(next))) {
      return this.fetchPlainScalar();
    }
    this.scannerError('while scanning for the next token', this.mark, 'found character that cannot start any token');
  }

  // ---- simple keys and indentation ---------------------------------------------------------------

  private simpleKeyIsValid(key: SimpleKey): boolean {
    if (!key.possible) return false;
    if (key.mark.line < this.markLine || key.mark.index + 1024 < this.markIndex) {
      if (key.required) this.scannerError('while scanning a simple key', key.mark, "could not find expected ':'");
      key.possible = false;
      return false;
    }
    return true;
  }

  private saveSimpleKey(): void {
    const required = this.flowLevel === 0 && this.indent === this.markColumn;
    if (!this.simpleKeyAllowed) return;
    const key: SimpleKey = { possible: true, required, tokenNumber: this.tokensParsed + (this.tokens.length - this.head), mark: this.mark };
    this.removeSimpleKey();
    this.simpleKeys[this.simpleKeys.length - 1] = key;
    this.simpleKeysByToken.set(key.tokenNumber, this.simpleKeys.length - 1);
  }

  private removeSimpleKey(): void {
    const key = this.simpleKeys[this.simpleKeys.length - 1]!;
    if (key.possible) {
      if (key.required) this.scannerError('while scanning a simple key', key.mark, "could not find expected ':'");
      key.possible = false;
      this.simpleKeysByToken.delete(key.tokenNumber);
    }
  }

  private increaseFlowLevel(): void {
    this.simpleKeys.push({ possible: false, required: false, tokenNumber: this.tokensParsed + (this.tokens.length - this.head), mark: this.mark });
    this.flowLevel++;
    if (this.flowLevel > MAX_FLOW_LEVEL) {
      this.scannerError('while increasing flow level', this.simpleKeys[this.simpleKeys.length - 1]!.mark, `exceeded max depth of ${MAX_FLOW_LEVEL}`);
    }
  }

  private decreaseFlowLevel(): void {
    if (this.flowLevel > 0) {
      this.flowLevel--;
      const last = this.simpleKeys.pop()!;
      this.simpleKeysByToken.delete(last.tokenNumber);
    }
  }

  private rollIndent(column: number, number: number, type: TokenType, mark: Mark): void {
    if (this.flowLevel > 0) return;
    if (this.indent < column) {
      this.indents.push(this.indent);
      this.indent = column;
      if (this.indents.length > MAX_INDENTS) {
        this.scannerError('while increasing indent level', this.simpleKeys[this.simpleKeys.length - 1]!.mark, `exceeded max depth of ${MAX_INDENTS}`);
      }
      this.insertToken(number > -1 ? number - this.tokensParsed : -1, { type, start: mark, end: mark });
    }
  }

  private unrollIndent(column: number, scanMark: Mark): void {
    if (this.flowLevel > 0) return;
    const mark = { ...scanMark, index: scanMark.index - 1 };
    while (this.indent > column) {
      this.insertToken(-1, { type: 'BLOCK-END', start: mark, end: mark });
      this.indent = this.indents.pop()!;
    }
  }

  // ---- fetchers ---------------------------------------------------------------------------------

  private fetchStreamStart(): void {
    this.indent = -1;
    this.simpleKeys.push({ possible: false, required: false, tokenNumber: 0, mark: this.mark });
    this.simpleKeyAllowed = true;
    this.streamStartProduced = true;
    this.insertToken(-1, { type: 'STREAM-START', start: this.mark, end: this.mark });
  }

  private fetchStreamEnd(): void {
    if (this.markColumn !== 0) this.advanceLine(0);
    this.unrollIndent(-1, this.mark);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, { type: 'STREAM-END', start: this.mark, end: this.mark });
  }

  private fetchDirective(): void {
    this.unrollIndent(-1, this.mark);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanDirective());
  }

  private fetchDocumentIndicator(type: TokenType): void {
    this.unrollIndent(-1, this.mark);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    const start = this.mark;
    this.skip();
    this.skip();
    this.skip();
    this.insertToken(-1, { type, start, end: this.mark });
  }

  private fetchFlowCollectionStart(type: TokenType): void {
    this.saveSimpleKey();
    this.increaseFlowLevel();
    this.simpleKeyAllowed = true;
    const start = this.mark;
    this.skip();
    this.insertToken(-1, { type, start, end: this.mark });
  }

  private fetchFlowCollectionEnd(type: TokenType): void {
    this.removeSimpleKey();
    this.decreaseFlowLevel();
    this.simpleKeyAllowed = false;
    const start = this.mark;
    this.skip();
    this.insertToken(-1, { type, start, end: this.mark });
  }

  private fetchFlowEntry(): void {
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    const start = this.mark;
    this.skip();
    this.insertToken(-1, { type: 'FLOW-ENTRY', start, end: this.mark });
  }

  private fetchBlockEntry(): void {
    if (this.flowLevel === 0) {
      if (!this.simpleKeyAllowed) this.scannerError('', this.mark, 'block sequence entries are not allowed in this context');
      this.rollIndent(this.markColumn, -1, 'BLOCK-SEQUENCE-START', this.mark);
    }
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    const start = this.mark;
    this.skip();
    this.insertToken(-1, { type: 'BLOCK-ENTRY', start, end: this.mark });
  }

  private fetchKey(): void {
    if (this.flowLevel === 0) {
      if (!this.simpleKeyAllowed) this.scannerError('', this.mark, 'mapping keys are not allowed in this context');
      this.rollIndent(this.markColumn, -1, 'BLOCK-MAPPING-START', this.mark);
    }
    this.removeSimpleKey();
    this.simpleKeyAllowed = this.flowLevel === 0;
    const start = this.mark;
    this.skip();
    this.insertToken(-1, { type: 'KEY', start, end: this.mark });
  }

  private fetchValue(): void {
    const key = this.simpleKeys[this.simpleKeys.length - 1]!;
    if (this.simpleKeyIsValid(key)) {
      this.insertToken(key.tokenNumber - this.tokensParsed, { type: 'KEY', start: key.mark, end: key.mark });
      this.rollIndent(key.mark.column, key.tokenNumber, 'BLOCK-MAPPING-START', key.mark);
      key.possible = false;
      this.simpleKeysByToken.delete(key.tokenNumber);
      this.simpleKeyAllowed = false;
    } else {
      if (this.flowLevel === 0) {
        if (!this.simpleKeyAllowed) this.scannerError('', this.mark, 'mapping values are not allowed in this context');
        this.rollIndent(this.markColumn, -1, 'BLOCK-MAPPING-START', this.mark);
      }
      this.simpleKeyAllowed = this.flowLevel === 0;
    }
    const start = this.mark;
    this.skip();
    this.insertToken(-1, { type: 'VALUE', start, end: this.mark });
  }

  private fetchAnchor(type: 'ALIAS' | 'ANCHOR'): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanAnchor(type));
  }

  private fetchTag(): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanTag());
  }

  private fetchBlockScalar(literal: boolean): void {
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    this.insertToken(-1, this.scanBlockScalar(literal));
  }

  private fetchFlowScalar(single: boolean): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanFlowScalar(single));
  }

  private fetchPlainScalar(): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanPlainScalar());
  }

  // ---- whitespace and comments ------------------------------------------------------------------

  private scanToNextToken(): void {
    for (;;) {
      this.cache(1);
      if (this.markColumn === 0 && this.at() === 0xfeff) this.skip();
      this.cache(1);
      while (is(this.at(), ' ') || ((this.flowLevel > 0 || !this.simpleKeyAllowed) && is(this.at(), '\t'))) {
        this.skip();
        this.cache(1);
      }
      if (is(this.at(), '#')) this.scanComments();
      if (isBreak(this.at())) {
        this.cache(2);
        this.skipLine();
        if (this.flowLevel === 0) this.simpleKeyAllowed = true;
      } else {
        break;
      }
    }
  }

  /** yaml_parser_scan_line_comment: a comment after a token on its line, consumed. */
  private scanLineComment(): void {
    if (this.newlines > 0) return;
    for (let peek = 0; peek < 512; peek++) {
      this.cache(peek + 1);
      if (isBlank(this.at(peek))) continue;
      if (is(this.at(peek), '#')) this.consumeCommentThrough(this.markIndex + peek);
      break;
    }
  }

  /** Skips to `seen` (blanks and lines) and reads the comment there up to its line break. */
  private consumeCommentThrough(seen: number): void {
    for (;;) {
      this.cache(1);
      if (isBreakz(this.at())) {
        if (this.markIndex >= seen) break;
        this.cache(2);
        this.skipLine();
      } else if (this.markIndex >= seen) {
        this.read('');
      } else {
        this.skip();
      }
    }
  }

  /** yaml_parser_scan_comments: a run of comment lines, consumed as yaml.v3 consumes it. */
  private scanComments(): void {
    let peek = 0;
    for (; peek < 512; peek++) {
      this.cache(peek + 1);
      const c = this.at(peek);
      if (isBlank(c)) continue;
      const closeFlow = this.flowLevel > 0 && (is(c, ']') || is(c, '}'));
      if (closeFlow || isBreakz(c)) {
        if (!isBreak(c)) break;
        continue;
      }
      if (!is(c, '#')) break;
      this.consumeCommentThrough(this.markIndex + peek);
      peek = 0;
    }
  }

  // ---- directives, anchors, tags ------------------------------------------------------------------

  private scanDirective(): Token {
    const start = this.mark;
    this.skip();
    this.cache(1);
    let name = '';
    while (isAlpha(this.at())) {
      name = this.read(name);
      this.cache(1);
    }
    if (name === '') this.scannerError('while scanning a directive', start, 'could not find expected directive name');
    if (!isBlankz(this.at())) this.scannerError('while scanning a directive', start, 'found unexpected non-alphabetical character');
    let token: Token;
    if (name === 'YAML') {
      this.skipBlanks();
      const major = this.scanVersionNumber(start);
      if (!is(this.at(), '.')) this.scannerError('while scanning a %YAML directive', start, "did not find expected digit or '.' character");
      this.skip();
      const minor = this.scanVersionNumber(start);
      token = { type: 'VERSION-DIRECTIVE', start, end: this.mark, major, minor };
    } else if (name === 'TAG') {
      this.skipBlanks();
      const handle = this.scanTagHandle(true, start);
      this.cache(1);
      if (!isBlank(this.at())) this.scannerError('while scanning a %TAG directive', start, 'did not find expected whitespace');
      this.skipBlanks();
      const prefix = this.scanTagUri(true, '', start);
      this.cache(1);
      if (!isBlankz(this.at())) this.scannerError('while scanning a %TAG directive', start, 'did not find expected whitespace or line break');
      token = { type: 'TAG-DIRECTIVE', start, end: this.mark, value: handle, prefix };
    } else {
      this.scannerError('while scanning a directive', start, 'found unknown directive name');
    }
    this.skipBlanks();
    if (is(this.at(), '#')) {
      while (!isBreakz(this.at())) {
        this.skip();
        this.cache(1);
      }
    }
    if (!isBreakz(this.at())) this.scannerError('while scanning a directive', start, 'did not find expected comment or line break');
    if (isBreak(this.at())) {
      this.cache(2);
      this.skipLine();
    }
    return token;
  }

  private skipBlanks(): void {
    this.cache(1);
    while (isBlank(this.at())) {
      this.skip();
      this.cache(1);
    }
  }

  private scanVersionNumber(start: Mark): number {
    this.cache(1);
    let value = 0;
    let length = 0;
    while (isDigit(this.at())) {
      length++;
      if (length > 2) this.scannerError('while scanning a %YAML directive', start, 'found extremely long version number');
      value = value * 10 + (this.at() - 0x30);
      this.skip();
      this.cache(1);
    }
    if (length === 0) this.scannerError('while scanning a %YAML directive', start, 'did not find expected version number');
    return value;
  }

  private scanAnchor(type: 'ALIAS' | 'ANCHOR'): Token {
    const start = this.mark;
    this.skip();
    this.cache(1);
    let s = '';
    while (isAlpha(this.at())) {
      s = this.read(s);
      this.cache(1);
    }
    const end = this.mark;
    const c = this.at();
    if (s === '' || !(isBlankz(c) || [...'?:,]}%@`'].some((i) => is(c, i)))) {
      this.scannerError(type === 'ANCHOR' ? 'while scanning an anchor' : 'while scanning an alias', start, 'did not find expected alphabetic or numeric character');
    }
    return { type, start, end, value: s };
  }

  private tagError(directive: boolean, start: Mark, problem: string): never {
    this.scannerError(directive ? 'while parsing a %TAG directive' : 'while parsing a tag', start, problem);
  }

  private scanTag(): Token {
    const start = this.mark;
    this.cache(2);
    let handle: string;
    let suffix: string;
    if (is(this.at(1), '<')) {
      handle = '';
      this.skip();
      this.skip();
      suffix = this.scanTagUri(false, '', start);
      if (!is(this.at(), '>')) this.scannerError('while scanning a tag', start, "did not find the expected '>'");
      this.skip();
    } else {
      handle = this.scanTagHandle(false, start);
      if (handle[0] === '!' && handle.length > 1 && handle[handle.length - 1] === '!') {
        suffix = this.scanTagUri(false, '', start);
      } else {
        suffix = this.scanTagUri(false, handle, start);
        handle = '!';
        if (suffix === '') [handle, suffix] = [suffix, handle];
      }
    }
    this.cache(1);
    if (!isBlankz(this.at())) this.scannerError('while scanning a tag', start, 'did not find expected whitespace or line break');
    return { type: 'TAG', start, end: this.mark, value: handle, suffix };
  }

  private scanTagHandle(directive: boolean, start: Mark): string {
    this.cache(1);
    if (!is(this.at(), '!')) this.tagError(directive, start, "did not find expected '!'");
    let s = this.read('');
    this.cache(1);
    while (isAlpha(this.at())) {
      s = this.read(s);
      this.cache(1);
    }
    if (is(this.at(), '!')) s = this.read(s);
    else if (directive && s !== '!') this.tagError(directive, start, "did not find expected '!'");
    return s;
  }

  private scanTagUri(directive: boolean, head: string, start: Mark): string {
    let s = head.length > 1 ? head.slice(1) : '';
    let hasTag = head.length > 0;
    this.cache(1);
    while (isAlpha(this.at()) || TAG_URI.has(this.at())) {
      if (is(this.at(), '%')) s += this.scanUriEscapes(directive, start);
      else s = this.read(s);
      this.cache(1);
      hasTag = true;
    }
    if (!hasTag) this.tagError(directive, start, 'did not find expected tag URI');
    return s;
  }

  private scanUriEscapes(directive: boolean, start: Mark): string {
    const octets: number[] = [];
    let w = 1024;
    while (w > 0) {
      this.cache(3);
      if (!(is(this.at(), '%') && isHex(this.at(1)) && isHex(this.at(2)))) this.tagError(directive, start, 'did not find URI escaped octet');
      const octet = (asHex(this.at(1)) << 4) + asHex(this.at(2));
      if (w === 1024) {
        w = (octet & 0x80) === 0 ? 1 : (octet & 0xe0) === 0xc0 ? 2 : (octet & 0xf0) === 0xe0 ? 3 : (octet & 0xf8) === 0xf0 ? 4 : 0;
        if (w === 0) this.tagError(directive, start, 'found an incorrect leading UTF-8 octet');
      } else if ((octet & 0xc0) !== 0x80) {
        this.tagError(directive, start, 'found an incorrect trailing UTF-8 octet');
      }
      octets.push(octet);
      this.skip();
      this.skip();
      this.skip();
      w--;
    }
    return Buffer.from(octets).toString('utf8');
  }

  // ---- scalars ----------------------------------------------------------------------------------

  private scanBlockScalar(literal: boolean): Token {
    const start = this.mark;
    this.skip();
    this.cache(1);
    let chomping = 0;
    let increment = 0;
    if (is(this.at(), '+') || is(this.at(), '-')) {
      chomping = is(this.at(), '+') ? 1 : -1;
      this.skip();
      this.cache(1);
      if (isDigit(this.at())) {
        if (is(this.at(), '0')) this.scannerError('while scanning a block scalar', start, 'found an indentation indicator equal to 0');
        increment = this.at() - 0x30;
        this.skip();
      }
    } else if (isDigit(this.at())) {
      if (is(this.at(), '0')) this.scannerError('while scanning a block scalar', start, 'found an indentation indicator equal to 0');
      increment = this.at() - 0x30;
      this.skip();
      this.cache(1);
      if (is(this.at(), '+') || is(this.at(), '-')) {
        chomping = is(this.at(), '+') ? 1 : -1;
        this.skip();
      }
    }
    this.skipBlanks();
    if (is(this.at(), '#')) {
      this.scanLineComment();
      while (!isBreakz(this.at())) {
        this.skip();
        this.cache(1);
      }
    }
    if (!isBreakz(this.at())) this.scannerError('while scanning a block scalar', start, 'did not find expected comment or line break');
    if (isBreak(this.at())) {
      this.cache(2);
      this.skipLine();
    }
    let end = this.mark;
    let indent = 0;
    if (increment > 0) indent = this.indent >= 0 ? this.indent + increment : increment;
    let s = '';
    let leadingBreak = '';
    let trailingBreaks = '';
    const breaks = () => {
      end = this.mark;
      let maxIndent = 0;
      for (;;) {
        this.cache(1);
        while ((indent === 0 || this.markColumn < indent) && is(this.at(), ' ')) {
          this.skip();
          this.cache(1);
        }
        if (this.markColumn > maxIndent) maxIndent = this.markColumn;
        if ((indent === 0 || this.markColumn < indent) && is(this.at(), '\t')) {
          this.scannerError('while scanning a block scalar', start, 'found a tab character where an indentation space is expected');
        }
        if (!isBreak(this.at())) break;
        this.cache(2);
        trailingBreaks = this.readLine(trailingBreaks);
        end = this.mark;
      }
      if (indent === 0) indent = Math.max(maxIndent, this.indent + 1, 1);
    };
    breaks();
    this.cache(1);
    let leadingBlank = false;
    while (this.markColumn === indent && this.at() !== NUL) {
      const trailingBlank = isBlank(this.at());
      if (!literal && !leadingBlank && !trailingBlank && leadingBreak[0] === '\n') {
        if (trailingBreaks === '') s += ' ';
      } else {
        s += leadingBreak;
      }
      leadingBreak = '';
      s += trailingBreaks;
      trailingBreaks = '';
      leadingBlank = isBlank(this.at());
      while (!isBreakz(this.at())) {
        s = this.read(s);
        this.cache(1);
      }
      this.cache(2);
      leadingBreak = this.readLine(leadingBreak);
      breaks();
    }
    if (chomping !== -1) s += leadingBreak;
    if (chomping === 1) s += trailingBreaks;
    return { type: 'SCALAR', start, end, value: s, style: literal ? 'literal' : 'folded' };
  }

  private scanFlowScalar(single: boolean): Token {
    const start = this.mark;
    this.skip();
    let s = '';
    let leadingBreak = '';
    let trailingBreaks = '';
    let whitespaces = '';
    for (;;) {
      this.cache(4);
      if (
        this.markColumn === 0 &&
        ((is(this.at(), '-') && is(this.at(1), '-') && is(this.at(2), '-')) || (is(this.at(), '.') && is(this.at(1), '.') && is(this.at(2), '.'))) &&
        isBlankz(this.at(3))
      ) {
        this.scannerError('while scanning a quoted scalar', start, 'found unexpected document indicator');
      }
      if (this.at() === NUL) this.scannerError('while scanning a quoted scalar', start, 'found unexpected end of stream');
      let leadingBlanks = false;
      while (!isBlankz(this.at())) {
        const c = this.at();
        if (single && is(c, "'") && is(this.at(1), "'")) {
          s += "'";
          this.skip();
          this.skip();
        } else if (single && is(c, "'")) {
          break;
        } else if (!single && is(c, '"')) {
          break;
        } else if (!single && is(c, '\\') && isBreak(this.at(1))) {
          this.cache(3);
          this.skip();
          this.skipLine();
          leadingBlanks = true;
          break;
        } else if (!single && is(c, '\\')) {
          let codeLength = 0;
          const e = String.fromCodePoint(this.at(1));
          const simple: Record<string, string> = {
            '0': '\0', a: '\x07', b: '\x08', t: '\t', '\t': '\t', n: '\n', v: '\x0b', f: '\x0c', r: '\r', e: '\x1b', ' ': ' ', '"': '"', "'": "'", '\\': '\\', N: '\x85', _: '\xa0', L: '\u2028', P: '\u2029',
          };
          if (e in simple) s += simple[e];
          else if (e === 'x') codeLength = 2;
          else if (e === 'u') codeLength = 4;
          else if (e === 'U') codeLength = 8;
          else this.scannerError('while parsing a quoted scalar', start, 'found unknown escape character');
          this.skip();
          this.skip();
          if (codeLength > 0) {
            this.cache(codeLength);
            let value = 0;
            for (let k = 0; k < codeLength; k++) {
              if (!isHex(this.at(k))) this.scannerError('while parsing a quoted scalar', start, 'did not find expected hexdecimal number');
              value = (value << 4) + asHex(this.at(k));
            }
            if ((value >= 0xd800 && value <= 0xdfff) || value > 0x10ffff) {
              this.scannerError('while parsing a quoted scalar', start, 'found invalid Unicode character escape code');
            }
            s += String.fromCodePoint(value);
            for (let k = 0; k < codeLength; k++) this.skip();
          }
        } else {
          s = this.read(s);
        }
        this.cache(2);
      }
      this.cache(1);
      if (single ? is(this.at(), "'") : is(this.at(), '"')) break;
      while (isBlank(this.at()) || isBreak(this.at())) {
        if (isBlank(this.at())) {
          if (!leadingBlanks) whitespaces = this.read(whitespaces);
          else this.skip();
        } else {
          this.cache(2);
          if (!leadingBlanks) {
            whitespaces = '';
            leadingBreak = this.readLine(leadingBreak);
            leadingBlanks = true;
          } else {
            trailingBreaks = this.readLine(trailingBreaks);
          }
        }
        this.cache(1);
      }
      if (leadingBlanks) {
        if (leadingBreak[0] === '\n') s += trailingBreaks === '' ? ' ' : trailingBreaks;
        else s += leadingBreak + trailingBreaks;
        trailingBreaks = '';
        leadingBreak = '';
      } else {
        s += whitespaces;
        whitespaces = '';
      }
    }
    this.skip();
    return { type: 'SCALAR', start, end: this.mark, value: s, style: single ? 'single' : 'double' };
  }

  private scanPlainScalar(): Token {
    let s = '';
    let leadingBreak = '';
    let trailingBreaks = '';
    let whitespaces = '';
    let leadingBlanks = false;
    const indent = this.indent + 1;
    const start = this.mark;
    let end = this.mark;
    for (;;) {
      this.cache(4);
      if (
        this.markColumn === 0 &&
        ((is(this.at(), '-') && is(this.at(1), '-') && is(this.at(2), '-')) || (is(this.at(), '.') && is(this.at(1), '.') && is(this.at(2), '.'))) &&
        isBlankz(this.at(3))
      ) {
        break;
      }
      if (is(this.at(), '#')) break;
      while (!isBlankz(this.at())) {
        const c = this.at();
        if ((is(c, ':') && isBlankz(this.at(1))) || (this.flowLevel > 0 && [...',?[]{}'].some((i) => is(c, i)))) break;
        if (leadingBlanks || whitespaces !== '') {
          if (leadingBlanks) {
            if (leadingBreak[0] === '\n') s += trailingBreaks === '' ? ' ' : trailingBreaks;
            else s += leadingBreak + trailingBreaks;
            trailingBreaks = '';
            leadingBreak = '';
            leadingBlanks = false;
          } else {
            s += whitespaces;
            whitespaces = '';
          }
        }
        s = this.read(s);
        end = this.mark;
        this.cache(2);
      }
      if (!(isBlank(this.at()) || isBreak(this.at()))) break;
      this.cache(1);
      while (isBlank(this.at()) || isBreak(this.at())) {
        if (isBlank(this.at())) {
          if (leadingBlanks && this.markColumn < indent && is(this.at(), '\t')) {
            this.scannerError('while scanning a plain scalar', start, 'found a tab character that violates indentation');
          }
          if (!leadingBlanks) whitespaces = this.read(whitespaces);
          else this.skip();
        } else {
          this.cache(2);
          if (!leadingBlanks) {
            whitespaces = '';
            leadingBreak = this.readLine(leadingBreak);
            leadingBlanks = true;
          } else {
            trailingBreaks = this.readLine(trailingBreaks);
          }
        }
        this.cache(1);
      }
      if (this.flowLevel === 0 && this.markColumn < indent) break;
    }
    if (leadingBlanks) this.simpleKeyAllowed = true;
    return { type: 'SCALAR', start, end, value: s, style: 'plain' };
  }
}
