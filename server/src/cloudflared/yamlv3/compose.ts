// The first document of a file as yaml.v3's Decoder.Decode reads it (yaml.go Decode, decode.go
// parser): nodes with yaml.v3's tags, styles and 1-based lines, plus the text range of each. Only the
// first document is read; the scanner's lookahead may still stop on the first tokens after it. A
// stop is reported as parser.fail() words it ("yaml: line 3: did not find expected key"; parser
// errors give the 0-based line of their context, scanner errors the 1-based one).

import { Reader, YamlStop, type Mark } from './reader';
import { EventParser, type YamlEvent } from './parser';
import { Scanner } from './scanner';
import { MAP_TAG, MERGE_TAG, resolve, SEQ_TAG, shortTag, STR_TAG } from './resolve';

export type NodeKind = 'document' | 'sequence' | 'mapping' | 'scalar' | 'alias';

export interface YNode {
  kind: NodeKind;
  /** Node.Tag as yaml.v3 sets it while parsing ("!!str", "!!int", "!!map", "!foo", ...; "" for aliases). */
  tag: string;
  /** Scalar text, alias name. */
  value: string;
  /** TaggedStyle: an explicit tag. */
  tagged: boolean;
  /** Single- or double-quoted, literal or folded: yaml.v3's "indicated string" styles. */
  quoted: boolean;
  style: 'plain' | 'single' | 'double' | 'literal' | 'folded' | 'flow' | 'block';
  anchor?: string;
  /** The anchored node an alias stands for. */
  alias?: YNode;
  content: YNode[];
  /** 1-based line and column, as Node.Line and Node.Column. */
  line: number;
  column: number;
  /** Text offsets (UTF-16). */
  start: number;
  end: number;
}

export interface FirstDocument {
  /** The document's content; absent when the stream has no document (an empty file: io.EOF). */
  root?: YNode;
  /** What yaml.v3 stopped on, if it did; `root` then holds what was built before. */
  error?: { message: string; offset: number; end: number };
  /** Where the text after the first document starts, when there is more than comments (never read). */
  rest?: number;
}

/** parser.fail() (decode.go): "yaml: " + "line N: " (when N != 0) + the problem. */
function failMessage(stop: YamlStop): string {
  let line = 0;
  const bump = stop.kind === 'scanner' ? 1 : 0;
  if (stop.contextMark && stop.contextMark.line !== 0) line = stop.contextMark.line + bump;
  else if (stop.problemMark && stop.problemMark.line !== 0) line = stop.problemMark.line + bump;
  return `yaml: ${line !== 0 ? `line ${line}: ` : ''}${stop.problem || 'unknown problem parsing YAML content'}`;
}

/** Node.indicatedString (yaml.go). */
export function indicatedString(n: YNode): boolean {
  return n.kind === 'scalar' && (shortTag(n.tag) === STR_TAG || ((n.tag === '' || n.tag === '!') && n.quoted));
}

/** Node.ShortTag (yaml.go). */
export function nodeShortTag(n: YNode): string {
  if (indicatedString(n)) return STR_TAG;
  if (n.tag === '' || n.tag === '!') {
    if (n.kind === 'mapping') return MAP_TAG;
    if (n.kind === 'sequence') return SEQ_TAG;
    if (n.kind === 'alias') return n.alias ? nodeShortTag(n.alias) : '';
    if (n.kind === 'scalar') return resolve('', n.value)[0];
    return '';
  }
  return shortTag(n.tag);
}

export function parseFirstDocument(text: string, latin1 = false): FirstDocument {
  const reader = new Reader(text, latin1);
  const events = new EventParser(new Scanner(reader));
  const offset = (m: Mark) => reader.offsetOf(m.index);
  const anchors = new Map<string, YNode>();
  let document: YNode | undefined;
  const stack: YNode[] = [];
  let lastEvent: YamlEvent | undefined;

  const node = (kind: NodeKind, defaultTag: string, tag: string | undefined, value: string, event: YamlEvent): YNode => {
    let nodeTag: string;
    let tagged = false;
    if (tag && tag !== '!') {
      nodeTag = shortTag(tag);
      tagged = true;
    } else if (defaultTag !== '') {
      nodeTag = defaultTag;
    } else if (kind === 'scalar') {
      nodeTag = resolve('', value)[0];
    } else {
      nodeTag = '';
    }
    return {
      kind,
      tag: nodeTag,
      value,
      tagged,
      quoted: false,
      style: 'plain',
      content: [],
      line: event.start.line + 1,
      column: event.start.column + 1,
      start: offset(event.start),
      end: offset(event.end),
    };
  };
  const add = (child: YNode) => {
    const parent = stack[stack.length - 1];
    if (parent) parent.content.push(child);
  };
  const next = (): YamlEvent => {
    const e = events.next();
    if (!e) throw new YamlStop('composer', 'attempted to go past the end of stream; corrupted value?');
    lastEvent = e;
    return e;
  };

  try {
    next(); // STREAM-START
    let e = next();
    if (e.type === 'STREAM-END') return {};
    if (e.type !== 'DOCUMENT-START') throw new YamlStop('composer', `expected DOCUMENT-START event but got ${e.type}`);
    document = node('document', '', undefined, '', e);
    stack.push(document);
    for (;;) {
      e = next();
      switch (e.type) {
        case 'SCALAR': {
          const style = e.style ?? 'plain';
          const quoted = style !== 'plain';
          const defaultTag = !quoted ? (e.value === '<<' ? MERGE_TAG : '') : STR_TAG;
          const n = node('scalar', defaultTag, e.tag, e.value ?? '', e);
          n.quoted = quoted;
          n.style = style;
          if (e.anchor !== undefined) {
            n.anchor = e.anchor;
            anchors.set(e.anchor, n);
          }
          add(n);
          break;
        }
        case 'ALIAS': {
          const n = node('alias', '', undefined, e.anchor ?? '', e);
          n.alias = anchors.get(n.value);
          if (!n.alias) throw new YamlStop('composer', `unknown anchor '${n.value}' referenced`);
          add(n);
          break;
        }
        case 'SEQUENCE-START':
        case 'MAPPING-START': {
          const kind = e.type === 'SEQUENCE-START' ? 'sequence' : 'mapping';
          const n = node(kind, kind === 'sequence' ? SEQ_TAG : MAP_TAG, e.tag, '', e);
          n.style = e.flow ? 'flow' : 'block';
          if (e.anchor !== undefined) {
            n.anchor = e.anchor;
            anchors.set(e.anchor, n);
          }
          add(n);
          stack.push(n);
          break;
        }
        case 'SEQUENCE-END':
        case 'MAPPING-END': {
          const n = stack.pop()!;
          const last = n.content[n.content.length - 1];
          n.end = n.style === 'flow' ? offset(e.end) : Math.max(n.end, last?.end ?? n.end);
          break;
        }
        case 'DOCUMENT-END':
          stack.pop();
          return { root: document.content[0], rest: ignoredRest(text, offset(e.end)) };
        default:
          throw new YamlStop('composer', `expected node event but got ${e.type}`);
      }
      if (stack.length === 1 && document.content.length === 1) {
        // The document's one node is complete: peek DOCUMENT-END (the scanner looks two tokens on).
        e = next();
        if (e.type !== 'DOCUMENT-END') throw new YamlStop('composer', `expected DOCUMENT-END event but got ${e.type}`);
        return { root: document.content[0], rest: ignoredRest(text, offset(e.end)) };
      }
    }
  } catch (error) {
    if (!(error instanceof YamlStop)) throw error;
    // Where the parser stopped; at the end of the text, where what was left open began (an unclosed "[").
    const stoppedAtEnd = error.problemMark !== undefined && offset(error.problemMark) >= text.length;
    const mark = (stoppedAtEnd ? error.contextMark : undefined) ?? error.problemMark ?? error.contextMark ?? lastEvent?.end;
    const at = error.offset ?? (mark ? offset(mark) : 0);
    closeOpen(stack, at);
    return { root: document?.content[0], error: { message: failMessage(error), offset: at, end: Math.max(at + 1, lineEnd(text, at)) } };
  }
}

function closeOpen(stack: YNode[], at: number): void {
  for (const n of stack) n.end = Math.max(n.end, at);
}

function lineEnd(text: string, at: number): number {
  let end = at;
  while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
  return end;
}

/** The first text after `from` that is not blank, a comment or a `...` line: what cloudflared never reads. */
function ignoredRest(text: string, from: number): number | undefined {
  let i = from;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '\ufeff') {
      i++;
    } else if (c === '#' || (text.startsWith('...', i) && /^\.\.\.[ \t]*(#.*)?$/.test(text.slice(i, lineEnd(text, i))))) {
      i = lineEnd(text, i);
    } else {
      return i;
    }
  }
  return undefined;
}
