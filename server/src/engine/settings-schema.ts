// The JSON schema of .kasmlintrc.json (schemas/kasmlintrc.schema.json), generated from the rules and
// the settings this engine accepts, so that editor completion and validation match `applySettings`.

import type { Rule } from '../rules/rule';
import { PRESET_DESCRIPTIONS, PRESETS, presetSeverity } from './presets';
import { DEPLOYMENTS, TLS_PROFILES } from './settings';

const SEVERITY = { enum: ['error', 'warning', 'information', 'hint', 'off'] };

function optionSchema(value: unknown): Record<string, unknown> {
  if (Array.isArray(value)) return { type: 'array', items: { type: 'string' } };
  if (typeof value === 'boolean') return { type: 'boolean' };
  if (typeof value === 'number') return { type: 'number' };
  if (typeof value === 'string') return { type: 'string' };
  return {};
}

export function settingsSchema(rules: readonly Rule[]): Record<string, unknown> {
  const ruleProperties: Record<string, unknown> = {};
  for (const rule of rules) {
    const options = Object.entries(rule.meta.options ?? {});
    const optionsObject = {
      type: 'object',
      additionalProperties: false,
      properties: Object.fromEntries(options.map(([name, o]) => [name, { ...optionSchema(o.default), description: o.description, default: o.default }])),
    };
    ruleProperties[rule.meta.id] = {
      description: `${rule.meta.docs.summary} (${PRESETS.map((p) => `${p}: ${presetSeverity(rule.meta, p)}`).join(', ')})`,
      anyOf: [
        SEVERITY,
        { type: 'array', prefixItems: [SEVERITY, optionsObject], items: [SEVERITY, optionsObject], minItems: 1, maxItems: 2 },
        { type: 'object', properties: { severity: SEVERITY, ...optionsObject.properties }, additionalProperties: false },
      ],
    };
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'kasmlint settings (.kasmlintrc.json)',
    type: 'object',
    additionalProperties: false,
    properties: {
      $schema: { type: 'string' },
      nginxVersion: { type: 'string', pattern: '^\\d+\\.\\d+(\\.\\d+)?$', description: "The nginx version to check against (default 1.25.1, Kasm's proxy image)." },
      nginxEdition: { enum: ['oss', 'plus'], description: 'Open-source nginx ("oss", the default) or NGINX Plus ("plus"): decides which directives and parameters exist.' },
      prefix: { type: 'string', minLength: 1, description: "nginx's configuration prefix (the folder of nginx.conf), for relative include paths; relative to this file." },
      pathMappings: {
        type: 'object',
        description: 'Where the absolute paths the configuration names are here: { "/etc/nginx/conf.d": "." }; targets relative to this file.',
        propertyNames: { pattern: '^/' },
        additionalProperties: { type: 'string' },
      },
      rules: { type: 'object', additionalProperties: false, properties: ruleProperties, description: 'Severity and options per rule id.' },
      tlsProfile: { enum: [...TLS_PROFILES], description: 'The TLS profile the tls/* rules measure against.' },
      deployment: { enum: [...DEPLOYMENTS], description: 'How clients reach the Kasm proxy: direct, behind-proxy (F5, load balancer) or cloudflare-tunnel.' },
      trustedProxies: {
        type: 'array',
        items: { type: 'string', minLength: 1 },
        description: 'Addresses or CIDR networks of the front proxy (F5, load balancer, cloudflared) whose X-Forwarded-For or CF-Connecting-IP is trusted by the rate-limit fixes.',
      },
      preset: {
        enum: [...PRESETS, 'auto'],
        description: `The severity of every rule for a kind of configuration (auto: kasm-default for a Kasm tree, nginx-recommended otherwise). ${PRESETS.map((p) => `${p}: ${PRESET_DESCRIPTIONS[p]}`).join(' ')}`,
      },
      fixAll: {
        type: 'object',
        additionalProperties: false,
        properties: { unsafe: { type: 'boolean', description: 'Fix-all (the editor\'s fix-all and fix-on-save, kasmlint --fix) also applies the fixes that change behaviour.' } },
      },
      maxFindingsPerRule: {
        type: 'integer',
        minimum: 0,
        description: 'A rule stops reporting after this many findings in one configuration, and says so (default 1000; 0: no limit).',
      },
      composeFile: {
        type: 'string',
        minLength: 1,
        description: "Kasm's docker-compose.yaml (default: ../../docker/docker-compose.yaml from the Kasm tree, as in /opt/kasm/current); relative to this file.",
      },
    },
  };
}
