// Reading any YAML mapping with `yaml`'s tree, ranges kept, for files kasmlint reads but does not
// judge as cloudflared does (Kasm's docker-compose.yaml): the first document, and small accessors.

import { Composer, type Document, isMap, isScalar, isSeq, type Node, type Pair, Parser, type YAMLMap, type YAMLSeq } from 'yaml';

export interface Entry {
  key: string;
  keyNode: Node;
  value: Node | null;
  pair: Pair;
}

/** The top-level mapping of a text's first YAML document, and whether the text has errors. */
export function yamlTopMapping(text: string): { top: YAMLMap | undefined; errors: number } {
  for (const doc of new Composer({ uniqueKeys: false }).compose(new Parser().parse(text), true, text.length)) {
    const first = doc as Document.Parsed;
    return { top: isMap(first.contents) ? first.contents : undefined, errors: first.errors.length };
  }
  return { top: undefined, errors: 0 };
}

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

/** The last entry of a key. */
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
export function scalarText(node: Node | null | undefined): string {
  return node && isScalar(node) && node.value !== null ? String(node.value) : '';
}
