// A cloudflared config file, parsed with `yaml` keeping every node's range: the syntax errors, the
// top-level mapping, and the helpers the rules use to walk it.

import { Composer, Document, isMap, isScalar, isSeq, Parser, YAMLParseError, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Comment } from '../nginx/ast';
import { LineIndex } from '../core/text';

export interface TunnelFile {
  path: string;
  text: string;
  lines: LineIndex;
  /** The file was not valid UTF-8 and was read byte for byte. */
  latin1: boolean;
}

export interface YamlProblem {
  start: number;
  end: number;
  message: string;
}

export interface TunnelDocument {
  file: TunnelFile;
  /** The top-level mapping; undefined when the file is empty or not a mapping. */
  top?: YAMLMap;
  syntax: YamlProblem[];
  /** The comments that may be kasmlint suppressions (others are not collected). */
  comments: Comment[];
}

export interface Entry {
  key: string;
  keyNode: Node;
  value: Node | null;
  pair: Pair;
}

export function parseTunnel(path: string, text: string, latin1 = false): TunnelDocument {
  const file: TunnelFile = { path, text, lines: new LineIndex(text), latin1 };
  // One pass of yaml's parser feeds both the document (as parseDocument composes it) and the comments.
  const tokens = [...new Parser().parse(text)];
  let doc: Document.Parsed | undefined;
  for (const next of new Composer({ uniqueKeys: false, keepSourceTokens: true }).compose(tokens, true, text.length)) {
    if (!doc) doc = next;
    else {
      doc.errors.push(new YAMLParseError([next.range[0], next.range[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents; please use YAML.parseAllDocuments()'));
      break;
    }
  }
  if (!doc) throw new Error('yaml composed no document'); // compose(..., true) always ends with one
  const syntax = doc.errors.map((e) => ({ start: e.pos[0], end: Math.max(e.pos[1], e.pos[0]), message: e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '') }));
  const top = isMap(doc.contents) ? doc.contents : undefined;
  if (!top && doc.contents && !(isScalar(doc.contents) && (doc.contents.value === null || doc.contents.value === ''))) {
    const [start, end] = doc.contents.range ?? [0, 0];
    syntax.push({ start, end, message: 'the file must be a mapping of keys (tunnel:, ingress:, ...)' });
  }
  return { file, top, syntax, comments: text.includes('kasmlint-') ? yamlComments(tokens) : [] };
}

/** Every comment in yaml's concrete syntax tree of a text (a `#` in a string or block scalar is not one). */
function yamlComments(tokens: readonly unknown[]): Comment[] {
  const comments: Comment[] = [];
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const child of node) visit(child);
      return;
    }
    const token = node as { type?: string; offset?: number; source?: unknown };
    if (token.type === 'comment' && typeof token.offset === 'number' && typeof token.source === 'string') {
      comments.push({ start: token.offset, end: token.offset + token.source.length, text: token.source.slice(1) });
      return;
    }
    for (const [key, value] of Object.entries(node)) if (key !== 'source') visit(value);
  };
  visit(tokens);
  return comments.sort((a, b) => a.start - b.start);
}

/** The entries of a mapping whose keys are plain strings, in file order. */
export function entries(map: YAMLMap | undefined): Entry[] {
  if (!map) return [];
  const result: Entry[] = [];
  for (const pair of map.items) {
    const keyNode = pair.key as Node | null;
    if (!keyNode || !isScalar(keyNode)) continue;
    result.push({ key: String(keyNode.value), keyNode, value: (pair.value as Node | null) ?? null, pair });
  }
  return result;
}

/** The last entry of a key (yaml.v3 would have refused a duplicate; cloudflared/duplicate-key says so). */
export function entry(map: YAMLMap | undefined, key: string): Entry | undefined {
  return entries(map).filter((e) => e.key === key).at(-1);
}

export function asMap(node: Node | null | undefined): YAMLMap | undefined {
  return node && isMap(node) ? node : undefined;
}

export function asSeq(node: Node | null | undefined): YAMLSeq | undefined {
  return node && isSeq(node) ? node : undefined;
}

/** A scalar's string value ('' when absent, null or not a scalar). */
export function text(node: Node | null | undefined): string {
  return node && isScalar(node) && node.value !== null ? String(node.value) : '';
}

export function span(node: Node | null | undefined, fallback: Node): { start: number; end: number } {
  const range = (node ?? fallback).range ?? fallback.range ?? [0, 0, 0];
  return { start: range[0], end: range[1] };
}

/** The 1-based line of an offset, as cloudflared's messages count. */
export function lineOf(file: TunnelFile, offset: number): number {
  return file.lines.positionAt(offset).line + 1;
}

export interface IngressRule {
  index: number;
  node: YAMLMap;
  hostname: string;
  path: string;
  service: string;
  hostnameEntry?: Entry;
  pathEntry?: Entry;
  serviceEntry?: Entry;
  originRequest?: YAMLMap;
}

export function ingressRules(doc: TunnelDocument): { entry?: Entry; rules: IngressRule[] } {
  const ingress = entry(doc.top, 'ingress');
  const seq = asSeq(ingress?.value);
  const rules: IngressRule[] = [];
  (seq?.items ?? []).forEach((item, index) => {
    const node = asMap(item as Node);
    if (!node) return;
    const hostnameEntry = entry(node, 'hostname');
    const pathEntry = entry(node, 'path');
    const serviceEntry = entry(node, 'service');
    rules.push({
      index,
      node,
      hostname: text(hostnameEntry?.value),
      path: text(pathEntry?.value),
      service: text(serviceEntry?.value),
      hostnameEntry,
      pathEntry,
      serviceEntry,
      originRequest: asMap(entry(node, 'originRequest')?.value),
    });
  });
  return { entry: ingress, rules };
}

/** Matches every request: no hostname (or "*") and no path. */
export function isCatchAll(rule: Pick<IngressRule, 'hostname' | 'path'>): boolean {
  return (rule.hostname === '' || rule.hostname === '*') && rule.path === '';
}

/** Every mapping of the document, for checks that apply everywhere (duplicate keys). */
export function allMaps(doc: TunnelDocument): YAMLMap[] {
  const found: YAMLMap[] = [];
  const stack: Array<Node | null> = [doc.top ?? null];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node) continue;
    if (isMap(node)) {
      found.push(node);
      for (const pair of node.items) stack.push(pair.value as Node | null);
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(item as Node | null);
    }
  }
  return found;
}
