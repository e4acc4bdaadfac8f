// The Go types cloudflared decodes its config file into (config/configuration.go), built from the key
// tables so that the decoder and the editor cannot disagree: configFileSettings inlines Configuration
// and keeps every other top-level key in a map[string]interface{} (Settings), which the flag reader
// then looks at (flags.ts).

import type { GoType, StructField } from './yamlv3/decode';
import { ACCESS_KEYS, INGRESS_RULE_KEYS, IP_RULE_KEYS, type KeyInfo, type KeyType, ORIGIN_REQUEST_KEYS, TOP_LEVEL_KEYS, WARP_ROUTING_KEYS } from './keys';

const ptr = (elem: GoType): GoType => ({ kind: 'ptr', elem });

function struct(name: string, table: ReadonlyMap<string, KeyInfo>, pointers: boolean, inlineMap = false): Extract<GoType, { kind: 'struct' }> {
  const fields: StructField[] = [...table.values()].map((info) => ({ key: info.key, type: goTypeOf(info.type, pointers) }));
  return { kind: 'struct', name, fields, inlineMap };
}

function goTypeOf(type: KeyType, pointer: boolean): GoType {
  const scalar = (t: GoType) => (pointer ? ptr(t) : t);
  switch (type) {
    case 'bool':
      return scalar({ kind: 'bool' });
    case 'duration':
      return scalar({ kind: 'customDuration' });
    case 'int':
      return scalar({ kind: 'int' });
    case 'uint':
      return scalar({ kind: 'uint' });
    case 'uint64':
      return scalar({ kind: 'uint64' });
    case 'string':
      return scalar({ kind: 'string' });
    case 'strings':
      return { kind: 'slice', elem: { kind: 'string' } };
    case 'ints':
      return { kind: 'slice', elem: { kind: 'int' } };
    case 'ipRules':
      return { kind: 'slice', elem: IP_RULE };
    case 'access':
      return ptr(ACCESS);
    case 'originRequest':
      return ORIGIN_REQUEST;
    case 'warpRouting':
      return WARP_ROUTING;
    case 'rules':
      return { kind: 'slice', elem: INGRESS_RULE };
  }
}

// IngressIPRule (Prefix *string: nil and "" are both "no prefix provided"), AccessConfig.
const IP_RULE = struct('config.IngressIPRule', IP_RULE_KEYS, false);
const ACCESS = struct('config.AccessConfig', ACCESS_KEYS, false);
const ORIGIN_REQUEST = struct('config.OriginRequestConfig', ORIGIN_REQUEST_KEYS, true);
const WARP_ROUTING = struct('config.WarpRoutingConfig', WARP_ROUTING_KEYS, true);
const INGRESS_RULE = struct('config.UnvalidatedIngressRule', INGRESS_RULE_KEYS, false);

/** configFileSettings: Configuration inline, Settings map[string]interface{} inline. */
export const CONFIG_FILE_SETTINGS = struct('config.configFileSettings', TOP_LEVEL_KEYS, false, true);

/** The keys of each struct, by its Go name (as yaml.v3's "field X not found in type T" names it). */
export const KEYS_BY_GO_TYPE: ReadonlyMap<string, ReadonlyMap<string, KeyInfo>> = new Map([
  ['config.IngressIPRule', IP_RULE_KEYS],
  ['config.AccessConfig', ACCESS_KEYS],
  ['config.OriginRequestConfig', ORIGIN_REQUEST_KEYS],
  ['config.WarpRoutingConfig', WARP_ROUTING_KEYS],
  ['config.UnvalidatedIngressRule', INGRESS_RULE_KEYS],
]);
