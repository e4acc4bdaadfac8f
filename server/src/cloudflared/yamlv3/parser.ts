// yaml.v3's event parser (parserc.go): the LL(1) state machine over the scanner's tokens, with its
// error texts. Comment events and fields are left out (yaml.v3 never emits TAIL-COMMENT in v3.0.1;
// comments only travel on events), the rest is kept state for state.

import { type Mark, YamlStop } from './reader';
import { type ScalarStyle, Scanner, type Token, type TokenType } from './scanner';

export type EventType =
  | 'STREAM-START'
  | 'STREAM-END'
  | 'DOCUMENT-START'
  | 'DOCUMENT-END'
  | 'ALIAS'
  | 'SCALAR'
  | 'SEQUENCE-START'
  | 'SEQUENCE-END'
  | 'MAPPING-START'
  | 'MAPPING-END';

export interface YamlEvent {
  type: EventType;
  start: Mark;
  end: Mark;
  anchor?: string;
  tag?: string;
  value?: string;
  style?: ScalarStyle;
  flow?: boolean;
}

type State =
  | 'STREAM-START'
  | 'IMPLICIT-DOCUMENT-START'
  | 'DOCUMENT-START'
  | 'DOCUMENT-CONTENT'
  | 'DOCUMENT-END'
  | 'BLOCK-NODE'
  | 'BLOCK-NODE-OR-INDENTLESS-SEQUENCE'
  | 'FLOW-NODE'
  | 'BLOCK-SEQUENCE-FIRST-ENTRY'
  | 'BLOCK-SEQUENCE-ENTRY'
  | 'INDENTLESS-SEQUENCE-ENTRY'
  | 'BLOCK-MAPPING-FIRST-KEY'
  | 'BLOCK-MAPPING-KEY'
  | 'BLOCK-MAPPING-VALUE'
  | 'FLOW-SEQUENCE-FIRST-ENTRY'
  | 'FLOW-SEQUENCE-ENTRY'
  | 'FLOW-SEQUENCE-ENTRY-MAPPING-KEY'
  | 'FLOW-SEQUENCE-ENTRY-MAPPING-VALUE'
  | 'FLOW-SEQUENCE-ENTRY-MAPPING-END'
  | 'FLOW-MAPPING-FIRST-KEY'
  | 'FLOW-MAPPING-KEY'
  | 'FLOW-MAPPING-VALUE'
  | 'FLOW-MAPPING-EMPTY-VALUE'
  | 'END';

interface TagDirective {
  handle: string;
  prefix: string;
}

const DEFAULT_TAG_DIRECTIVES: TagDirective[] = [
  { handle: '!', prefix: '!' },
  { handle: '!!', prefix: 'tag:yaml.org,2002:' },
];

export class EventParser {
  readonly scanner: Scanner;
  private state: State = 'STREAM-START';
  private readonly states: State[] = [];
  private readonly marks: Mark[] = [];
  private tagDirectives: TagDirective[] = [];

  constructor(scanner: Scanner) {
    this.scanner = scanner;
  }

  /** yaml_parser_parse: the next event, or undefined after the stream's end. */
  next(): YamlEvent | undefined {
    if (this.scanner.streamEndProduced || this.state === 'END') return undefined;
    return this.dispatch();
  }

  private error(problem: string, problemMark: Mark): never {
    throw new YamlStop('parser', problem, undefined, problemMark);
  }

  private errorContext(context: string, contextMark: Mark, problem: string, problemMark: Mark): never {
    throw new YamlStop('parser', problem, contextMark, problemMark, context);
  }

  private peek(): Token {
    return this.scanner.peek();
  }

  private skip(): void {
    this.scanner.skipToken();
  }

  private pop(): State {
    return this.states.pop()!;
  }

  private dispatch(): YamlEvent {
    switch (this.state) {
      case 'STREAM-START':
        return this.streamStart();
      case 'IMPLICIT-DOCUMENT-START':
        return this.documentStart(true);
      case 'DOCUMENT-START':
        return this.documentStart(false);
      case 'DOCUMENT-CONTENT':
        return this.documentContent();
      case 'DOCUMENT-END':
        return this.documentEnd();
      case 'BLOCK-NODE':
        return this.node(true, false);
      case 'BLOCK-NODE-OR-INDENTLESS-SEQUENCE':
        return this.node(true, true);
      case 'FLOW-NODE':
        return this.node(false, false);
      case 'BLOCK-SEQUENCE-FIRST-ENTRY':
        return this.blockSequenceEntry(true);
      case 'BLOCK-SEQUENCE-ENTRY':
        return this.blockSequenceEntry(false);
      case 'INDENTLESS-SEQUENCE-ENTRY':
        return this.indentlessSequenceEntry();
      case 'BLOCK-MAPPING-FIRST-KEY':
        return this.blockMappingKey(true);
      case 'BLOCK-MAPPING-KEY':
        return this.blockMappingKey(false);
      case 'BLOCK-MAPPING-VALUE':
        return this.blockMappingValue();
      case 'FLOW-SEQUENCE-FIRST-ENTRY':
        return this.flowSequenceEntry(true);
      case 'FLOW-SEQUENCE-ENTRY':
        return this.flowSequenceEntry(false);
      case 'FLOW-SEQUENCE-ENTRY-MAPPING-KEY':
        return this.flowSequenceEntryMappingKey();
      case 'FLOW-SEQUENCE-ENTRY-MAPPING-VALUE':
        return this.flowSequenceEntryMappingValue();
      case 'FLOW-SEQUENCE-ENTRY-MAPPING-END':
        return this.flowSequenceEntryMappingEnd();
      case 'FLOW-MAPPING-FIRST-KEY':
        return this.flowMappingKey(true);
      case 'FLOW-MAPPING-KEY':
        return this.flowMappingKey(false);
      case 'FLOW-MAPPING-VALUE':
        return this.flowMappingValue(false);
      case 'FLOW-MAPPING-EMPTY-VALUE':
        return this.flowMappingValue(true);
      case 'END':
        throw new Error('parser past its end');
    }
  }

  private streamStart(): YamlEvent {
    const token = this.peek();
    if (token.type !== 'STREAM-START') this.error('did not find expected <stream-start>', token.start);
    this.state = 'IMPLICIT-DOCUMENT-START';
    this.skip();
    return { type: 'STREAM-START', start: token.start, end: token.end };
  }

  private documentStart(implicit: boolean): YamlEvent {
    let token = this.peek();
    if (!implicit) {
      while (token.type === 'DOCUMENT-END') {
        this.skip();
        token = this.peek();
      }
    }
    if (implicit && token.type !== 'VERSION-DIRECTIVE' && token.type !== 'TAG-DIRECTIVE' && token.type !== 'DOCUMENT-START' && token.type !== 'STREAM-END') {
      this.processDirectives();
      this.states.push('DOCUMENT-END');
      this.state = 'BLOCK-NODE';
      return { type: 'DOCUMENT-START', start: token.start, end: token.end };
    }
    if (token.type !== 'STREAM-END') {
      const start = token.start;
      this.processDirectives();
      token = this.peek();
      if (token.type !== 'DOCUMENT-START') this.error('did not find expected <document start>', token.start);
      this.states.push('DOCUMENT-END');
      this.state = 'DOCUMENT-CONTENT';
      this.skip();
      return { type: 'DOCUMENT-START', start, end: token.end };
    }
    this.state = 'END';
    this.skip();
    return { type: 'STREAM-END', start: token.start, end: token.end };
  }

  private documentContent(): YamlEvent {
    const token = this.peek();
    if (['VERSION-DIRECTIVE', 'TAG-DIRECTIVE', 'DOCUMENT-START', 'DOCUMENT-END', 'STREAM-END'].includes(token.type)) {
      this.state = this.pop();
      return emptyScalar(token.start);
    }
    return this.node(true, false);
  }

  private documentEnd(): YamlEvent {
    const token = this.peek();
    const start = token.start;
    let end = token.start;
    if (token.type === 'DOCUMENT-END') {
      end = token.end;
      this.skip();
    }
    this.tagDirectives = [];
    this.state = 'DOCUMENT-START';
    return { type: 'DOCUMENT-END', start, end };
  }

  private node(block: boolean, indentlessSequence: boolean): YamlEvent {
    let token = this.peek();
    if (token.type === 'ALIAS') {
      this.state = this.pop();
      this.skip();
      return { type: 'ALIAS', start: token.start, end: token.end, anchor: token.value };
    }
    let start = token.start;
    let end = token.start;
    let tagToken = false;
    let tagHandle = '';
    let tagSuffix = '';
    let anchor: string | undefined;
    let tagMark = token.start;
    if (token.type === 'ANCHOR') {
      anchor = token.value;
      start = token.start;
      end = token.end;
      this.skip();
      token = this.peek();
      if (token.type === 'TAG') {
        tagToken = true;
        tagHandle = token.value ?? '';
        tagSuffix = token.suffix ?? '';
        tagMark = token.start;
        end = token.end;
        this.skip();
        token = this.peek();
      }
    } else if (token.type === 'TAG') {
      tagToken = true;
      tagHandle = token.value ?? '';
      tagSuffix = token.suffix ?? '';
      start = token.start;
      tagMark = token.start;
      end = token.end;
      this.skip();
      token = this.peek();
      if (token.type === 'ANCHOR') {
        anchor = token.value;
        end = token.end;
        this.skip();
        token = this.peek();
      }
    }
    let tag = '';
    if (tagToken) {
      if (tagHandle === '') {
        tag = tagSuffix;
      } else {
        const directive = this.tagDirectives.find((d) => d.handle === tagHandle);
        if (directive) tag = directive.prefix + tagSuffix;
        if (tag === '') this.errorContext('while parsing a node', start, 'found undefined tag handle', tagMark);
      }
    }
    if (indentlessSequence && token.type === 'BLOCK-ENTRY') {
      this.state = 'INDENTLESS-SEQUENCE-ENTRY';
      return { type: 'SEQUENCE-START', start, end: token.end, anchor, tag };
    }
    if (token.type === 'SCALAR') {
      this.state = this.pop();
      this.skip();
      return { type: 'SCALAR', start, end: token.end, anchor, tag, value: token.value ?? '', style: token.style };
    }
    if (token.type === 'FLOW-SEQUENCE-START') {
      this.state = 'FLOW-SEQUENCE-FIRST-ENTRY';
      return { type: 'SEQUENCE-START', start, end: token.end, anchor, tag, flow: true };
    }
    if (token.type === 'FLOW-MAPPING-START') {
      this.state = 'FLOW-MAPPING-FIRST-KEY';
      return { type: 'MAPPING-START', start, end: token.end, anchor, tag, flow: true };
    }
    if (block && token.type === 'BLOCK-SEQUENCE-START') {
      this.state = 'BLOCK-SEQUENCE-FIRST-ENTRY';
      return { type: 'SEQUENCE-START', start, end: token.end, anchor, tag };
    }
    if (block && token.type === 'BLOCK-MAPPING-START') {
      this.state = 'BLOCK-MAPPING-FIRST-KEY';
      return { type: 'MAPPING-START', start, end: token.end, anchor, tag };
    }
    if (anchor !== undefined || tag !== '') {
      this.state = this.pop();
      return { type: 'SCALAR', start, end, anchor, tag, value: '', style: 'plain' };
    }
    this.errorContext(block ? 'while parsing a block node' : 'while parsing a flow node', start, 'did not find expected node content', token.start);
  }

  /**
   * After a block indicator ("-", "?" or ":"): the node that follows it, or an empty scalar when the
   * next token ends the entry (parserc.go repeats this in each block state).
   */
  private afterIndicator(ends: readonly TokenType[], next: State, indentlessSequence: boolean): YamlEvent {
    const mark = this.peek().end;
    this.skip();
    if (!ends.includes(this.peek().type)) {
      this.states.push(next);
      return this.node(true, indentlessSequence);
    }
    this.state = next;
    return emptyScalar(mark);
  }

  /** The end of a block collection (BLOCK-END), or the error of its state. */
  private blockEnd(end: 'SEQUENCE-END' | 'MAPPING-END', context: string, problem: string): YamlEvent {
    const token = this.peek();
    if (token.type === 'BLOCK-END') return this.collectionEnd(end, token);
    this.errorContext(context, this.marks.pop()!, problem, token.start);
  }

  /** The token that ends a collection: back to the state before it. */
  private collectionEnd(end: 'SEQUENCE-END' | 'MAPPING-END', token: Token): YamlEvent {
    this.state = this.pop();
    this.marks.pop();
    this.skip();
    return { type: end, start: token.start, end: token.end };
  }

  /** Before a flow collection's next entry: its "," (none before the first), or the error of a missing one. */
  private flowSeparator(first: boolean, end: TokenType, context: string, problem: string): Token {
    const token = this.peek();
    if (first || token.type === end) return token;
    if (token.type !== 'FLOW-ENTRY') this.errorContext(context, this.marks.pop()!, problem, token.start);
    this.skip();
    return this.peek();
  }

  private blockSequenceEntry(first: boolean): YamlEvent {
    if (first) {
      this.marks.push(this.peek().start);
      this.skip();
    }
    if (this.peek().type === 'BLOCK-ENTRY') return this.afterIndicator(['BLOCK-ENTRY', 'BLOCK-END'], 'BLOCK-SEQUENCE-ENTRY', false);
    return this.blockEnd('SEQUENCE-END', 'while parsing a block collection', "did not find expected '-' indicator");
  }

  private indentlessSequenceEntry(): YamlEvent {
    const token = this.peek();
    if (token.type === 'BLOCK-ENTRY') return this.afterIndicator(['BLOCK-ENTRY', 'KEY', 'VALUE', 'BLOCK-END'], 'INDENTLESS-SEQUENCE-ENTRY', false);
    this.state = this.pop();
    return { type: 'SEQUENCE-END', start: token.start, end: token.start };
  }

  private blockMappingKey(first: boolean): YamlEvent {
    if (first) {
      this.marks.push(this.peek().start);
      this.skip();
    }
    if (this.peek().type === 'KEY') return this.afterIndicator(['KEY', 'VALUE', 'BLOCK-END'], 'BLOCK-MAPPING-VALUE', true);
    return this.blockEnd('MAPPING-END', 'while parsing a block mapping', 'did not find expected key');
  }

  private blockMappingValue(): YamlEvent {
    const token = this.peek();
    if (token.type === 'VALUE') return this.afterIndicator(['KEY', 'VALUE', 'BLOCK-END'], 'BLOCK-MAPPING-KEY', true);
    this.state = 'BLOCK-MAPPING-KEY';
    return emptyScalar(token.start);
  }

  private flowSequenceEntry(first: boolean): YamlEvent {
    if (first) {
      this.marks.push(this.peek().start);
      this.skip();
    }
    const token = this.flowSeparator(first, 'FLOW-SEQUENCE-END', 'while parsing a flow sequence', "did not find expected ',' or ']'");
    if (token.type === 'KEY') {
      this.state = 'FLOW-SEQUENCE-ENTRY-MAPPING-KEY';
      this.skip();
      return { type: 'MAPPING-START', start: token.start, end: token.end, flow: true };
    }
    if (token.type !== 'FLOW-SEQUENCE-END') {
      this.states.push('FLOW-SEQUENCE-ENTRY');
      return this.node(false, false);
    }
    return this.collectionEnd('SEQUENCE-END', token);
  }

  private flowSequenceEntryMappingKey(): YamlEvent {
    const token = this.peek();
    if (token.type !== 'VALUE' && token.type !== 'FLOW-ENTRY' && token.type !== 'FLOW-SEQUENCE-END') {
      this.states.push('FLOW-SEQUENCE-ENTRY-MAPPING-VALUE');
      return this.node(false, false);
    }
    const mark = token.end;
    this.skip();
    this.state = 'FLOW-SEQUENCE-ENTRY-MAPPING-VALUE';
    return emptyScalar(mark);
  }

  private flowSequenceEntryMappingValue(): YamlEvent {
    let token = this.peek();
    if (token.type === 'VALUE') {
      this.skip();
      token = this.peek();
      if (token.type !== 'FLOW-ENTRY' && token.type !== 'FLOW-SEQUENCE-END') {
        this.states.push('FLOW-SEQUENCE-ENTRY-MAPPING-END');
        return this.node(false, false);
      }
    }
    this.state = 'FLOW-SEQUENCE-ENTRY-MAPPING-END';
    return emptyScalar(token.start);
  }

  private flowSequenceEntryMappingEnd(): YamlEvent {
    const token = this.peek();
    this.state = 'FLOW-SEQUENCE-ENTRY';
    return { type: 'MAPPING-END', start: token.start, end: token.start };
  }

  private flowMappingKey(first: boolean): YamlEvent {
    if (first) {
      this.marks.push(this.peek().start);
      this.skip();
    }
    let token = this.flowSeparator(first, 'FLOW-MAPPING-END', 'while parsing a flow mapping', "did not find expected ',' or '}'");
    if (token.type === 'KEY') {
      this.skip();
      token = this.peek();
      if (token.type !== 'VALUE' && token.type !== 'FLOW-ENTRY' && token.type !== 'FLOW-MAPPING-END') {
        this.states.push('FLOW-MAPPING-VALUE');
        return this.node(false, false);
      }
      this.state = 'FLOW-MAPPING-VALUE';
      return emptyScalar(token.start);
    }
    if (token.type !== 'FLOW-MAPPING-END') {
      this.states.push('FLOW-MAPPING-EMPTY-VALUE');
      return this.node(false, false);
    }
    return this.collectionEnd('MAPPING-END', token);
  }

  private flowMappingValue(empty: boolean): YamlEvent {
    let token = this.peek();
    if (empty) {
      this.state = 'FLOW-MAPPING-KEY';
      return emptyScalar(token.start);
    }
    if (token.type === 'VALUE') {
      this.skip();
      token = this.peek();
      if (token.type !== 'FLOW-ENTRY' && token.type !== 'FLOW-MAPPING-END') {
        this.states.push('FLOW-MAPPING-KEY');
        return this.node(false, false);
      }
    }
    this.state = 'FLOW-MAPPING-KEY';
    return emptyScalar(token.start);
  }

  private processDirectives(): void {
    let token = this.peek();
    let version = false;
    while (token.type === 'VERSION-DIRECTIVE' || token.type === 'TAG-DIRECTIVE') {
      if (token.type === 'VERSION-DIRECTIVE') {
        if (version) this.error('found duplicate %YAML directive', token.start);
        if (token.major !== 1 || token.minor !== 1) this.error('found incompatible YAML document', token.start);
        version = true;
      } else {
        this.appendTagDirective({ handle: token.value ?? '', prefix: token.prefix ?? '' }, false, token.start);
      }
      this.skip();
      token = this.peek();
    }
    for (const directive of DEFAULT_TAG_DIRECTIVES) this.appendTagDirective(directive, true, token.start);
  }

  private appendTagDirective(value: TagDirective, allowDuplicates: boolean, mark: Mark): void {
    if (this.tagDirectives.some((d) => d.handle === value.handle)) {
      if (allowDuplicates) return;
      this.error('found duplicate %TAG directive', mark);
    }
    this.tagDirectives.push({ ...value });
  }
}

function emptyScalar(mark: Mark): YamlEvent {
  return { type: 'SCALAR', start: mark, end: mark, value: '', style: 'plain' };
}
