// Every key of a cloudflared config, with what cloudflared expects there: the key table of the
// mapping it sits in (top level, an ingress rule, originRequest, access, ipRules, warp-routing).

import type { Node } from 'yaml';
import { asMap, asSeq, entries, type Entry, type TunnelDocument } from './document';
import {
  ACCESS_KEYS,
  FLAG_KEYS,
  INGRESS_RULE_KEYS,
  IP_RULE_KEYS,
  type KeyInfo,
  LEGACY_ORIGIN_FLAGS,
  ORIGIN_REQUEST_KEYS,
  TOP_LEVEL_KEYS,
  WARP_ROUTING_KEYS,
} from './keys';

export type Place = 'top' | 'ingress rule' | 'originRequest' | 'access' | 'ipRules' | 'warp-routing';

export interface KeyVisit {
  entry: Entry;
  place: Place;
  /** What the key is, or undefined when cloudflared does not know it there. */
  info?: KeyInfo;
  /** The keys cloudflared knows there. */
  known: ReadonlyMap<string, KeyInfo>;
  /** A command-line flag used as a top-level key (decoded by the flag library, not yaml.v3). */
  flag: boolean;
}

const LEGACY_INFO: ReadonlyMap<string, KeyInfo> = new Map(
  [...LEGACY_ORIGIN_FLAGS].map(([key, originKey]) => {
    const origin = originKey ? ORIGIN_REQUEST_KEYS.get(originKey) : undefined;
    const type = origin?.type === 'uint' ? 'int' : origin?.type ?? (key === 'url' || key === 'unix-socket' ? 'string' : 'bool');
    return [key, { key, type, description: `Legacy origin flag${originKey ? ` (originRequest.${originKey})` : ''}: read only when the file has no ingress rules.` }];
  }),
);

/** Every key of the top level: the file's own, the flags, the legacy origin flags. */
export const TOP: ReadonlyMap<string, KeyInfo> = new Map([...TOP_LEVEL_KEYS, ...FLAG_KEYS, ...LEGACY_INFO]);

export function walkKeys(doc: TunnelDocument, visit: (v: KeyVisit) => void): void {
  const mapping = (node: Node | null | undefined, place: Place, known: ReadonlyMap<string, KeyInfo>) => {
    const map = asMap(node);
    if (!map) return;
    for (const e of entries(map)) {
      const info = known.get(e.key);
      visit({ entry: e, place, info, known, flag: place === 'top' && !TOP_LEVEL_KEYS.has(e.key) });
      if (!info) continue;
      if (place === 'top' && e.key === 'originRequest') mapping(e.value, 'originRequest', ORIGIN_REQUEST_KEYS);
      else if (place === 'top' && e.key === 'warp-routing') mapping(e.value, 'warp-routing', WARP_ROUTING_KEYS);
      else if (place === 'top' && e.key === 'ingress') for (const item of asSeq(e.value)?.items ?? []) mapping(item as Node, 'ingress rule', INGRESS_RULE_KEYS);
      else if (place === 'ingress rule' && e.key === 'originRequest') mapping(e.value, 'originRequest', ORIGIN_REQUEST_KEYS);
      else if (place === 'originRequest' && e.key === 'access') mapping(e.value, 'access', ACCESS_KEYS);
      else if (place === 'originRequest' && e.key === 'ipRules') for (const item of asSeq(e.value)?.items ?? []) mapping(item as Node, 'ipRules', IP_RULE_KEYS);
    }
  };
  mapping(doc.top, 'top', TOP);
}
