// The JSON schema of a cloudflared config (none is published), generated from the key table the
// rules read, so that the two cannot disagree. VS Code's YAML support uses it for validation and
// completion (contributes.yamlValidation); `npm run docs` writes it to schemas/.

import { ACCESS_KEYS, INGRESS_RULE_KEYS, IP_RULE_KEYS, type KeyInfo, ORIGIN_REQUEST_KEYS, WARP_ROUTING_KEYS } from './keys';
import { TOP } from './walk';

type Schema = Record<string, unknown>;

const GO_DURATION = '^[-+]?(0|([0-9]*(\\.[0-9]*)?(ns|us|µs|μs|ms|s|m|h))+)$';
const YAML_BOOLS = ['true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'on', 'On', 'ON', 'off', 'Off', 'OFF'];

function valueSchema(info: KeyInfo, flag: boolean): Schema {
  switch (info.type) {
    case 'bool':
      // A YAML parser reads `yes` as a string; yaml.v3 (and cloudflared) as true, except for flags.
      return flag ? { type: 'boolean' } : { anyOf: [{ type: 'boolean' }, { enum: YAML_BOOLS.filter((b) => !/^(true|false)$/i.test(b)) }] };
    case 'duration':
      return { type: 'string', pattern: GO_DURATION };
    case 'int':
      return { type: 'integer' };
    case 'uint':
      return { type: 'integer', minimum: 0 };
    case 'string':
      return info.values ? { anyOf: [{ enum: [...info.values] }, { type: 'string' }] } : { type: 'string' };
    case 'strings':
      return { anyOf: [{ type: 'array', items: { type: ['string', 'integer'] } }, { type: 'string' }] };
    case 'access':
      return mapping(ACCESS_KEYS, false);
    case 'ipRules':
      return { type: 'array', items: mapping(IP_RULE_KEYS, false) };
    case 'map':
    case 'rules':
      return {};
  }
}

function mapping(keys: ReadonlyMap<string, KeyInfo>, flags: boolean, nested: Record<string, Schema> = {}): Schema {
  const properties: Record<string, Schema> = {};
  for (const info of keys.values()) {
    properties[info.key] = {
      ...(nested[info.key] ?? valueSchema(info, flags && !['tunnel', 'credentials-file'].includes(info.key))),
      description: info.description + (info.default !== undefined && info.default !== '' ? ` Default: ${info.default}.` : ''),
    };
  }
  return { type: 'object', properties, additionalProperties: false };
}

export function tunnelSchema(): Schema {
  const originRequest = mapping(ORIGIN_REQUEST_KEYS, false);
  const rule = mapping(INGRESS_RULE_KEYS, false, { originRequest });
  const top = mapping(TOP, true, {
    originRequest,
    'warp-routing': mapping(WARP_ROUTING_KEYS, false),
    ingress: { type: 'array', items: { ...rule, required: ['service'] } },
  });
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'cloudflared tunnel configuration (config.yml), as cloudflared 2026.8 reads it',
    ...top,
  };
}
