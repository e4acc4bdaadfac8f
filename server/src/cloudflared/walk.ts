// Every key of a cloudflared config as the editor sees it (yaml's tolerant tree, see editorTree), with
// what cloudflared expects there: the key table of the mapping it sits in (top level with the flags,
// an ingress rule, originRequest, access, ipRules, warp-routing). The rules do not use this walk:
// they read cloudflared's own decoding (load.ts).

import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import { editorTree, type TunnelDocument } from './document';
import { FLAGS } from './flags';
import { ACCESS_KEYS, INGRESS_RULE_KEYS, IP_RULE_KEYS, type KeyInfo, ORIGIN_REQUEST_KEYS, TOP_LEVEL_KEYS, WARP_ROUTING_KEYS } from './keys';

export type Place = 'top' | 'ingress rule' | 'originRequest' | 'access' | 'ipRules' | 'warp-routing';

export interface EditorEntry {
  key: string;
  keyNode: Node;
  value: Node | null;
  pair: Pair;
}

export interface KeyVisit {
  entry: EditorEntry;
  place: Place;
  /** What the key is, or undefined when cloudflared does not know it there. */
  info?: KeyInfo;
  /** The keys cloudflared knows there. */
  known: ReadonlyMap<string, KeyInfo>;
}

/** Every key of the top level: the file's own (Configuration) and the flags cloudflared reads from it. */
export const TOP: ReadonlyMap<string, KeyInfo> = new Map<string, KeyInfo>([...TOP_LEVEL_KEYS, ...FLAGS.map((f) => [f.key, f] as const)]);

/** What each key of a mapping holds, when it is itself a mapping or a list of mappings. */
const NESTED = new Map<Place, ReadonlyMap<string, { place: Place; list: boolean }>>([
  ['top', new Map([['originRequest', { place: 'originRequest', list: false }], ['warp-routing', { place: 'warp-routing', list: false }], ['ingress', { place: 'ingress rule', list: true }]])],
  ['ingress rule', new Map([['originRequest', { place: 'originRequest', list: false }]])],
  ['originRequest', new Map([['access', { place: 'access', list: false }], ['ipRules', { place: 'ipRules', list: true }]])],
]);

export const KEYS_OF: Readonly<Record<Place, ReadonlyMap<string, KeyInfo>>> = {
  top: TOP,
  'ingress rule': INGRESS_RULE_KEYS,
  originRequest: ORIGIN_REQUEST_KEYS,
  access: ACCESS_KEYS,
  ipRules: IP_RULE_KEYS,
  'warp-routing': WARP_ROUTING_KEYS,
};

function entries(map: YAMLMap): EditorEntry[] {
  return map.items.flatMap((pair) => {
    const keyNode = pair.key as Node | null;
    return keyNode && isScalar(keyNode) ? [{ key: String(keyNode.value), keyNode, value: (pair.value as Node | null) ?? null, pair }] : [];
  });
}

export function walkKeys(doc: TunnelDocument, visit: (v: KeyVisit) => void): void {
  const mapping = (node: unknown, place: Place) => {
    if (!isMap(node)) return;
    const known = KEYS_OF[place];
    for (const e of entries(node)) {
      const info = known.get(e.key);
      visit({ entry: e, place, info, known });
      const nested = info && NESTED.get(place)?.get(e.key);
      if (!nested) continue;
      if (!nested.list) mapping(e.value, nested.place);
      else if (isSeq(e.value)) for (const item of e.value.items) mapping(item, nested.place);
    }
  };
  mapping(editorTree(doc), 'top');
}

