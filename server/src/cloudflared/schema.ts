// The JSON schema of a cloudflared config (none is published), generated from the key and flag tables
// the rules read, so that the two cannot disagree. VS Code's YAML support uses it for validation and
// completion (contributes.yamlValidation); `npm run docs` writes it to schemas/. It describes what
// yaml.v3 decodes into cloudflared's Go types (config/configuration.go), as far as a JSON schema of a
// YAML 1.2 reading can: a string field takes any scalar (yaml.v3 keeps its text), an int field takes
// a float (truncated), a flag takes only its own type (configFileSettings' typed getters).

import { FLAGS } from './flags';
import { ACCESS_KEYS, INGRESS_RULE_KEYS, IP_RULE_KEYS, type KeyInfo, ORIGIN_REQUEST_KEYS, TOP_LEVEL_KEYS, WARP_ROUTING_KEYS } from './keys';

type Schema = Record<string, unknown>;

const GO_DURATION = '^[-+]?(0|([0-9]*(\\.[0-9]*)?(ns|us|µs|μs|ms|s|m|h))+)$';
/** yaml.v3 (resolve.go, decode.go) takes these YAML 1.1 words into a bool, quoted or not; a YAML 1.2 reader sees strings. */
const YAML11_BOOLS = ['y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'on', 'On', 'ON', 'off', 'Off', 'OFF'];
/** Integers yaml.v3 reads that a YAML 1.2 reader takes for strings (0b101, 0o17 are both; 0b only yaml.v3). */
const GO_INT_TEXT = '^[-+]?0b[01_]+$';
const SCALAR = { type: ['string', 'number', 'boolean'] };

function withValues(schema: Schema, info: KeyInfo): Schema {
  return info.values ? { anyOf: [{ enum: [...info.values] }, schema] } : schema;
}

/** A key of a struct the file decodes (Configuration and what it holds). */
function fieldSchema(info: KeyInfo): Schema {
  switch (info.type) {
    case 'bool':
      return { anyOf: [{ type: 'boolean' }, { enum: YAML11_BOOLS }] };
    case 'duration':
      return { type: 'string', pattern: GO_DURATION };
    case 'int':
      return { anyOf: [{ type: 'number' }, { type: 'string', pattern: GO_INT_TEXT }] };
    case 'uint':
    case 'uint64':
      return { anyOf: [{ type: 'number', minimum: 0 }, { type: 'string', pattern: GO_INT_TEXT }] };
    case 'string':
      return withValues(SCALAR, info);
    case 'strings':
      return { type: 'array', items: SCALAR };
    case 'ints':
      return { type: 'array', items: { type: 'number' } };
    case 'access':
      return mapping(ACCESS_KEYS);
    case 'ipRules':
      return { type: 'array', items: mapping(IP_RULE_KEYS) };
    case 'originRequest':
      return mapping(ORIGIN_REQUEST_KEYS);
    case 'warpRouting':
      return mapping(WARP_ROUTING_KEYS);
    case 'rules':
      return { type: 'array', items: { anyOf: [mapping(INGRESS_RULE_KEYS), { type: 'null' }] } };
  }
}

/** A flag read from the file: only its own Go type passes configFileSettings' getters. */
function flagSchema(info: KeyInfo): Schema {
  switch (info.type) {
    case 'bool':
      return { type: 'boolean' };
    case 'int':
      return { type: 'integer' };
    case 'duration':
      return { type: 'string', pattern: GO_DURATION };
    case 'strings':
      return { type: 'array', items: { type: 'string' } };
    default:
      return withValues({ type: 'string' }, info);
  }
}

function describe(info: KeyInfo): string {
  return info.description + (info.default !== undefined && info.default !== '' ? ` Default: ${info.default}.` : '');
}

function mapping(keys: ReadonlyMap<string, KeyInfo>): Schema {
  const properties: Record<string, Schema> = {};
  for (const info of keys.values()) properties[info.key] = { ...fieldSchema(info), description: describe(info) };
  return { type: ['object', 'null'], properties, additionalProperties: false };
}

export function tunnelSchema(): Schema {
  const properties: Record<string, Schema> = {};
  for (const info of TOP_LEVEL_KEYS.values()) properties[info.key] = { ...fieldSchema(info), description: describe(info) };
  for (const flag of FLAGS) properties[flag.key] = { ...flagSchema(flag), description: describe(flag) };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'cloudflared tunnel configuration (config.yml), as cloudflared 2026.8 reads it',
    type: 'object',
    properties,
    additionalProperties: false,
  };
}
