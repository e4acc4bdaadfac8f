// A cloudflared config file as kasmlint holds it: cloudflared's own reading of it (load.ts: yaml.v3's
// decoding and the start-up checks, which decide every rule's findings), and, for the editor's hover
// and completion, `yaml`'s error-tolerant tree of the text, which still has keys while the file is
// being typed and does not parse.

import { Composer, type Document, isMap, Parser, type YAMLMap } from 'yaml';
import type { Comment } from '../nginx/ast';
import { LineIndex } from '../core/text';
import { loadTunnel, type TunnelLoad } from './load';

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
  /** What cloudflared makes of the file, and where it stops. */
  load: TunnelLoad;
  /** yaml.v3's syntax error, when cloudflared cannot read the file at all. */
  syntax: YamlProblem[];
  /** The comments that may be kasmlint suppressions (others are not collected). */
  comments: Comment[];
}

export function parseTunnel(path: string, text: string, latin1 = false): TunnelDocument {
  const file: TunnelFile = { path, text, lines: new LineIndex(text), latin1 };
  const load = loadTunnel(text, latin1);
  const error = load.document.error;
  const syntax = error ? [{ start: Math.min(error.offset, text.length), end: Math.min(error.end, text.length), message: error.message }] : [];
  return { file, load, syntax, comments: text.includes('kasmlint-') ? yamlComments([...new Parser().parse(text)]) : [] };
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

const editorTrees = new WeakMap<TunnelDocument, YAMLMap | undefined>();

/**
 * The top-level mapping as `yaml` recovers it from any text (the first document), for hover and
 * completion: they must work on a half-typed line that yaml.v3 refuses.
 */
export function editorTree(doc: TunnelDocument): YAMLMap | undefined {
  if (editorTrees.has(doc)) return editorTrees.get(doc);
  const text = doc.file.text;
  let first: Document.Parsed | undefined;
  for (const next of new Composer({ uniqueKeys: false }).compose(new Parser().parse(text), true, text.length)) {
    first = next;
    break;
  }
  const top = first && isMap(first.contents) ? first.contents : undefined;
  editorTrees.set(doc, top);
  return top;
}

/** The 1-based line of an offset, as cloudflared's messages count. */
export function lineOf(file: TunnelFile, offset: number): number {
  return file.lines.positionAt(offset).line + 1;
}
