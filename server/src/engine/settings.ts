// Settings: the defaults, a `.kasmlintrc.json` found beside or above the linted files (or given with
// --config), and the editor's `kasmlint.*` settings. One shape for the CLI and the server.

import { dirname, isAbsolute, join, resolve } from 'node:path';
import { closestMatch } from '../core/strings';
import type { FileHost } from '../workspace/host';
import type { Severity } from './findings';
import { PRESETS, type Preset } from './presets';
import type { OptionDeclaration } from '../rules/rule';
import type { Edition } from '../nginx/directives';

export const SETTINGS_FILE = '.kasmlintrc.json';

/** Kasm's proxy image (kasmweb/nginx:1.25.1) is the nginx most users of this tool run. */
export const DEFAULT_NGINX_VERSION = '1.25.1';

export const TLS_PROFILES = ['mozilla-intermediate', 'mozilla-modern', 'kasm-default', 'kasm-strict', 'stig'] as const;
export type TlsProfile = (typeof TLS_PROFILES)[number];

export const DEPLOYMENTS = ['direct', 'behind-proxy', 'cloudflare-tunnel'] as const;
export type Deployment = (typeof DEPLOYMENTS)[number];

export interface RuleSettings {
  severity?: Severity | 'off';
  options: Record<string, unknown>;
}

export interface PathMapping {
  /** An absolute path as the config names it (e.g. /etc/nginx/conf.d). */
  from: string;
  /** Where those files are here (absolute). */
  to: string;
}

export interface Settings {
  nginxVersion: string;
  /** Open-source nginx or NGINX Plus. */
  nginxEdition: Edition;
  /** nginx's configuration prefix: relative include paths are resolved against it. */
  prefix?: string;
  pathMappings: PathMapping[];
  rules: Record<string, RuleSettings>;
  tlsProfile: TlsProfile;
  deployment: Deployment;
  /** The addresses of the front proxy (F5, load balancer, cloudflared) whose X-Forwarded-For may be trusted. */
  trustedProxies?: string[];
  /** A rule stops after this many findings in one configuration (generated or hostile configs); 0: no limit. */
  maxFindingsPerRule: number;
  /** Kasm's docker-compose.yaml, when it is not at ../../docker/docker-compose.yaml from the Kasm tree. */
  composeFile?: string;
  /** The preset the user chose; undefined: chosen from the configuration (automaticPreset). */
  preset?: Preset;
  /** Fix-all (the editor's fix-all and fix-on-save, `--fix`) applies unsafe fixes too. */
  fixAllUnsafe: boolean;
  /** Where these settings were read from, for messages. */
  source?: string;
}

export function defaultSettings(): Settings {
  return {
    nginxVersion: DEFAULT_NGINX_VERSION,
    nginxEdition: 'oss',
    pathMappings: [],
    rules: {},
    tlsProfile: 'mozilla-intermediate',
    deployment: 'direct',
    maxFindingsPerRule: DEFAULT_MAX_FINDINGS_PER_RULE,
    fixAllUnsafe: false,
  };
}

export const DEFAULT_MAX_FINDINGS_PER_RULE = 1000;

export class SettingsError extends Error {}

const SEVERITIES = new Set(['error', 'warning', 'information', 'hint', 'off']);
const KNOWN_KEYS = new Set(['$schema', 'nginxVersion', 'nginxEdition', 'prefix', 'pathMappings', 'rules', 'tlsProfile', 'deployment', 'trustedProxies', 'maxFindingsPerRule', 'composeFile', 'preset', 'fixAll']);

/**
 * Validates a settings object (from JSON or the editor) and merges it over `base`.
 * Relative paths in it are resolved against `baseDir`. Throws SettingsError with every problem found.
 */
export function applySettings(
  base: Settings,
  raw: unknown,
  baseDir: string,
  source: string,
  knownRules: KnownRules,
): Settings {
  const problems: string[] = [];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new SettingsError(`${source}: expected a JSON object`);
  }
  const input = raw as Record<string, unknown>;
  const result: Settings = { ...base, pathMappings: [...base.pathMappings], rules: { ...base.rules }, source };

  for (const key of Object.keys(input)) {
    if (!KNOWN_KEYS.has(key)) problems.push(`unknown setting "${key}" (known: ${[...KNOWN_KEYS].filter((k) => k !== '$schema').join(', ')})`);
  }

  if (input.nginxVersion !== undefined) {
    if (typeof input.nginxVersion === 'string' && /^\d+\.\d+(\.\d+)?$/.test(input.nginxVersion)) {
      result.nginxVersion = input.nginxVersion.split('.').length === 2 ? `${input.nginxVersion}.0` : input.nginxVersion;
    } else problems.push(`"nginxVersion" must be a version such as "1.25.1"`);
  }

  if (input.nginxEdition !== undefined) {
    if (input.nginxEdition === 'oss' || input.nginxEdition === 'plus') result.nginxEdition = input.nginxEdition;
    else problems.push(`"nginxEdition" must be "oss" (open-source nginx) or "plus" (NGINX Plus)`);
  }

  if (input.prefix !== undefined) {
    if (typeof input.prefix === 'string' && input.prefix !== '') result.prefix = resolve(baseDir, input.prefix);
    else problems.push(`"prefix" must be a path`);
  }

  if (input.pathMappings !== undefined) {
    const mappings = input.pathMappings;
    if (typeof mappings !== 'object' || mappings === null || Array.isArray(mappings)) {
      problems.push(`"pathMappings" must be an object such as { "/etc/nginx/conf.d": "." }`);
    } else {
      for (const [from, to] of Object.entries(mappings)) {
        if (!isAbsolute(from)) problems.push(`pathMappings: "${from}" must be an absolute path (as the config names it)`);
        else if (typeof to !== 'string') problems.push(`pathMappings: the target of "${from}" must be a path`);
        else result.pathMappings.unshift({ from: trimSlash(from), to: trimSlash(resolve(baseDir, to)) });
      }
    }
  }

  if (input.rules !== undefined) {
    if (typeof input.rules !== 'object' || input.rules === null || Array.isArray(input.rules)) {
      problems.push(`"rules" must be an object of rule ids`);
    } else {
      for (const [id, value] of Object.entries(input.rules)) {
        const rule = knownRules.get(id);
        if (!rule) {
          problems.push(`rules: unknown rule "${id}"${suggest(id, knownRules.keys())}`);
          continue;
        }
        const parsed = parseRuleSetting(value);
        const optionProblems = typeof parsed === 'string' ? [parsed] : checkOptions(parsed.options, rule.meta.options ?? {});
        if (optionProblems.length > 0) problems.push(...optionProblems.map((p) => `rules: "${id}": ${p}`));
        else if (typeof parsed !== 'string') result.rules[id] = { severity: parsed.severity ?? result.rules[id]?.severity, options: { ...result.rules[id]?.options, ...parsed.options } };
      }
    }
  }

  if (input.tlsProfile !== undefined) {
    if (TLS_PROFILES.includes(input.tlsProfile as TlsProfile)) result.tlsProfile = input.tlsProfile as TlsProfile;
    else problems.push(`"tlsProfile" must be one of ${TLS_PROFILES.join(', ')}`);
  }

  if (input.deployment !== undefined) {
    if (DEPLOYMENTS.includes(input.deployment as Deployment)) result.deployment = input.deployment as Deployment;
    else problems.push(`"deployment" must be one of ${DEPLOYMENTS.join(', ')}`);
  }

  if (input.trustedProxies !== undefined) {
    const list = input.trustedProxies;
    if (!Array.isArray(list) || list.some((a) => typeof a !== 'string')) problems.push('"trustedProxies" must be a list of addresses, such as ["10.0.0.5", "192.168.10.0/24"]');
    else {
      const invalid = (list as string[]).filter((a) => !isAddressOrNetwork(a));
      if (invalid.length > 0) problems.push(`trustedProxies: ${invalid.map((a) => `"${a}"`).join(', ')} ${invalid.length === 1 ? 'is' : 'are'} not an IP address, a CIDR network or "unix:"`);
      else result.trustedProxies = [...(list as string[])];
    }
  }

  if (input.maxFindingsPerRule !== undefined) {
    const max = input.maxFindingsPerRule;
    if (typeof max === 'number' && Number.isInteger(max) && max >= 0) result.maxFindingsPerRule = max;
    else problems.push('"maxFindingsPerRule" must be a whole number, 0 for no limit');
  }

  if (input.composeFile !== undefined) {
    if (typeof input.composeFile === 'string' && input.composeFile !== '') result.composeFile = resolve(baseDir, input.composeFile);
    else problems.push('"composeFile" must be the path of Kasm\'s docker-compose.yaml');
  }

  if (input.preset !== undefined) {
    if (input.preset === 'auto') result.preset = undefined;
    else if (PRESETS.includes(input.preset as Preset)) result.preset = input.preset as Preset;
    else problems.push(`"preset" must be one of ${PRESETS.join(', ')} or auto${typeof input.preset === 'string' ? suggest(input.preset, PRESETS) : ''}`);
  }

  if (input.fixAll !== undefined) {
    const fixAll = input.fixAll as Record<string, unknown>;
    const extra = typeof fixAll === 'object' && fixAll !== null && !Array.isArray(fixAll) ? Object.keys(fixAll).filter((k) => k !== 'unsafe') : [];
    if (typeof fixAll !== 'object' || fixAll === null || Array.isArray(fixAll) || extra.length > 0 || (fixAll.unsafe !== undefined && typeof fixAll.unsafe !== 'boolean')) {
      problems.push('"fixAll" must be an object such as { "unsafe": true }');
    } else if (fixAll.unsafe !== undefined) result.fixAllUnsafe = fixAll.unsafe as boolean;
  }

  if (problems.length > 0) throw new SettingsError(`${source}:\n  ${problems.join('\n  ')}`);
  return result;
}

/** What set_real_ip_from accepts: an IPv4 or IPv6 address or network, or unix:. */
export function isAddressOrNetwork(value: string): boolean {
  if (value === 'unix:') return true;
  const [address = '', bits, ...rest] = value.split('/');
  if (rest.length > 0) return false;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  if (v4) return v4.slice(1).every((o) => Number(o) <= 255) && (bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= 32));
  const v6 = /^[0-9a-f:.]+$/i.test(address) && address.includes(':') && (address.match(/::/g)?.length ?? 0) <= 1;
  return v6 && (bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= 128));
}

/** The rules settings may name, with the options each declares (the registry's RULES_BY_ID). */
export type KnownRules = ReadonlyMap<string, { meta: { options?: Record<string, OptionDeclaration> } }>;

/** Problems with a rule's options: names it does not declare, values not of the declared default's type. */
function checkOptions(options: Record<string, unknown>, declared: Record<string, OptionDeclaration>): string[] {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(options)) {
    const declaration = declared[name];
    if (!declaration) {
      const names = Object.keys(declared);
      problems.push(`unknown option "${name}"${suggest(name, names)}${names.length === 0 ? ' (this rule has no options)' : `; its options: ${names.join(', ')}`}`);
      continue;
    }
    const expected = optionType(declaration.default);
    if (expected && optionType(value) !== expected) problems.push(`option "${name}" must be ${expected === 'list' ? 'a list of strings' : `a ${expected}`}`);
  }
  return problems;
}

function optionType(value: unknown): string | undefined {
  if (Array.isArray(value)) return value.every((v) => typeof v === 'string') ? 'list' : 'list of other values';
  return ['string', 'number', 'boolean'].includes(typeof value) ? typeof value : undefined;
}

function parseRuleSetting(value: unknown): RuleSettings | string {
  if (typeof value === 'string') {
    return SEVERITIES.has(value) ? { severity: value as RuleSettings['severity'], options: {} } : `"${value}" is not a severity (error, warning, information, hint, off)`;
  }
  if (Array.isArray(value) && value.length >= 1 && value.length <= 2 && typeof value[0] === 'string' && SEVERITIES.has(value[0])) {
    const options = value[1] ?? {};
    if (typeof options !== 'object' || options === null || Array.isArray(options)) return 'options must be an object';
    return { severity: value[0] as RuleSettings['severity'], options: options as Record<string, unknown> };
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const { severity, ...options } = value as Record<string, unknown>;
    if (severity !== undefined && (typeof severity !== 'string' || !SEVERITIES.has(severity))) return `"severity" must be error, warning, information, hint or off`;
    return { severity: severity as RuleSettings['severity'], options };
  }
  return 'expected a severity, [severity, {options}] or {"severity": ..., options}';
}

function trimSlash(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

/** ", did you mean ...?" for a near miss among `known`. */
export function suggest(word: string, known: Iterable<string>): string {
  const best = closestMatch(word, known);
  return best !== undefined ? ` (did you mean "${best}"?)` : '';
}

/** The nearest `.kasmlintrc.json` at or above `start` (a directory), if any. */
export function findSettingsFile(host: FileHost, start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    const candidate = join(dir, SETTINGS_FILE);
    if (host.kind(candidate) === 'file') return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Reads a settings file over the defaults. Throws SettingsError with a clear message on any problem. */
export function loadSettingsFile(host: FileHost, path: string, knownRules: KnownRules, base = defaultSettings()): Settings {
  const read = host.read(path);
  if (!read.ok) throw new SettingsError(`${path}: cannot read the settings file: ${read.message}`);
  let raw: unknown;
  try {
    raw = JSON.parse(read.text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new SettingsError(`${path}: not valid JSON: ${(error as Error).message}`);
  }
  return applySettings(base, raw, dirname(path), path, knownRules);
}
