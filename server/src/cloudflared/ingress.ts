// cloudflared's validation of its ingress rules (ingress/ingress.go validateIngress, validateHostname,
// validateAccessConfiguration; ipaccess/access.go NewRuleByCIDR), rule by rule and in its order:
// the service first (bastion mode decided before the URL is read), then Access, the hostname, the
// path. The first error stops cloudflared; its text is returned as cloudflared prints it.

import { atoi, atoiError } from './go/strconv';
import { parseCIDROk, parseIPOk, splitHostPort, splitHostPortOk } from './go/net';
import { goRegexpError } from './go/regexp';
import { parseUrl, pathUnescape, urlHostname, urlPort } from './go/url';
import type { FieldValue, StructValue } from './yamlv3/decode';
import type { YNode } from './yamlv3/compose';

const HOSTNAME_PORT = 'Hostname cannot contain a port';
const BAD_WILDCARD = 'Hostname patterns can have at most one wildcard character ("*") and it can only be used for subdomains, e.g. "*.example.com"';
const LAST_NOT_CATCH_ALL = 'The last ingress rule must match all URLs (i.e. it should not have a hostname or path filter)';
export const NO_RULES = "The config file doesn't contain any ingress rules";
export const NO_RULES_AT_RUN = 'No ingress rules were defined in provided config (if any) nor from the cli, cloudflared will return 503 for all incoming HTTP requests';
const TEAM_NAME_BLANK = 'access.TeamName cannot be blank when access.audTags are present';
export const URL_WITH_INGRESS = "You can't set the --url flag (or $TUNNEL_URL) when using multiple-origin ingress rules";

/** One decoded ingress rule; `index` is cloudflared's rule number minus one (null items dropped). */
export interface IngressRule {
  index: number;
  value: StructValue;
  node: YNode;
  hostname: string;
  path: string;
  service: string;
  originRequest?: StructValue;
}

export function field(struct: StructValue | undefined, key: string): FieldValue | undefined {
  return struct?.fields.get(key);
}

export function stringField(struct: StructValue | undefined, key: string): string {
  const v = field(struct, key)?.value;
  return typeof v === 'string' ? v : '';
}

export function boolField(struct: StructValue | undefined, key: string): boolean | undefined {
  const v = field(struct, key)?.value;
  return typeof v === 'boolean' ? v : undefined;
}

export function structField(struct: StructValue | undefined, key: string): StructValue | undefined {
  const v = field(struct, key)?.value;
  return v && typeof v === 'object' && 'fields' in v ? (v as StructValue) : undefined;
}

export function listField(struct: StructValue | undefined, key: string): unknown[] {
  const v = field(struct, key)?.value;
  return Array.isArray(v) ? v : [];
}

export function ingressRules(top: StructValue | undefined): IngressRule[] {
  return listField(top, 'ingress').flatMap((item, index) => {
    if (!item || typeof item !== 'object' || !('fields' in item)) return [];
    const value = item as StructValue;
    return [{ index, value, node: value.node, hostname: stringField(value, 'hostname'), path: stringField(value, 'path'), service: stringField(value, 'service'), originRequest: structField(value, 'originRequest') }];
  });
}

/** Matches every request: no hostname (or "*") and no path. */
function isCatchAll(rule: Pick<IngressRule, 'hostname' | 'path'>): boolean {
  return (rule.hostname === '' || rule.hostname === '*') && rule.path === '';
}

export interface OriginUrl {
  scheme: string;
  hostname: string;
  port?: number;
}

export type ServiceKind = 'url' | 'status' | 'hello_world' | 'unix' | 'unix+tls' | 'bastion' | 'socks-proxy';

export type ServiceCheck = { ok: true; kind: 'url'; url: OriginUrl } | { ok: true; kind: Exclude<ServiceKind, 'url'> } | { ok: false; message: string };

/** Default ports of the TCP-over-WebSocket schemes (cmd.go hostnameFromURI) and of HTTP. */
const DEFAULT_PORTS: Record<string, number> = { http: 80, ws: 80, https: 443, wss: 443, ssh: 22, rdp: 3389, smb: 445, tcp: 7864 };

/** The service part of validateIngress, before the socks-proxy ip rules. */
export function checkService(service: string, bastionMode = false): ServiceCheck {
  if (service.startsWith('unix:')) return { ok: true, kind: 'unix' };
  if (service.startsWith('unix+tls:')) return { ok: true, kind: 'unix+tls' };
  if (service.startsWith('http_status:')) {
    const code = service.slice('http_status:'.length);
    const n = atoi(code);
    if (!n.ok) return { ok: false, message: `invalid HTTP status code: ${atoiError(code, n.error)}` };
    if (n.value < 100n || n.value > 999n) return { ok: false, message: `invalid HTTP status code: ${n.value}` };
    return { ok: true, kind: 'status' };
  }
  if (service === 'hello-world' || service === 'hello_world') return { ok: true, kind: 'hello_world' };
  if (service === 'socks-proxy') return { ok: true, kind: 'socks-proxy' };
  if (service === 'bastion' || bastionMode) return { ok: true, kind: 'bastion' };
  const parsed = parseUrl(service);
  if (!parsed.ok) return { ok: false, message: parsed.error };
  const u = parsed.url;
  if (u.scheme === '' || urlHostname(u) === '') return { ok: false, message: `${service} is an invalid address, please make sure it has a scheme and a hostname` };
  if (u.path !== '') {
    return { ok: false, message: `${service} is an invalid address, ingress rules don't support proxying to a different path on the origin service. The path will be the same as the eyeball request's path` };
  }
  const port = urlPort(u);
  return { ok: true, kind: 'url', url: { scheme: u.scheme, hostname: urlHostname(u), port: port !== '' ? Number(port) : DEFAULT_PORTS[u.scheme] } };
}

/** validation.go supportedProtocols: the schemes the single-origin url flag takes. */
const SINGLE_ORIGIN_SCHEMES = ['http', 'https', 'rdp', 'ssh', 'smb', 'tcp'];

/**
 * The url flag of a tunnel without ingress rules (ingress.go parseSingleOriginService, validation.go
 * validateUrlString): cloudflared's error, wrapped as it wraps it, or undefined. The host name's IDNA
 * conversion, which almost never fails, is not checked.
 */
export function singleOriginUrlError(origin: string): string | undefined {
  const wrap = (error: string) => `Error validating origin URL: ${error}`;
  if (parseIPOk(origin) || (origin.startsWith('[') && origin.endsWith(']'))) return undefined;
  const hostPort = splitHostPort(origin);
  if (hostPort && parseIPOk(hostPort.host)) return undefined;
  const unescaped = pathUnescape(origin);
  if (!unescaped.ok) return wrap(`URL ${origin} has invalid escape characters `);
  const parsed = parseUrl(unescaped.value);
  if (!parsed.ok) return wrap(`URL ${origin} has invalid format`);
  const { scheme, host } = parsed.url;
  if (scheme !== '' && host !== '' && !SINGLE_ORIGIN_SCHEMES.includes(scheme)) return wrap(`Currently Cloudflare Tunnel does not support ${scheme} protocol.`);
  return undefined;
}

export type IngressErrorKind = 'service' | 'ip-rule' | 'access' | 'hostname-port' | 'hostname-wildcard' | 'last-not-catch-all' | 'early-catch-all' | 'path';

export interface IngressError {
  kind: IngressErrorKind;
  message: string;
  rule: IngressRule;
  /** The node the error is about (service value, hostname value, ...), when the rule has one. */
  node?: YNode;
  key?: YNode;
}

/** A boolean of a rule's originRequest: its own when set, else the top-level one's (ingress/config.go setConfig). */
export function ruleBool(rule: IngressRule, defaults: StructValue | undefined, key: string): boolean {
  return boolField(rule.originRequest, key) ?? boolField(defaults, key) ?? false;
}

/** validateIngress: the first error, or undefined when cloudflared accepts the rules. */
export function validateIngress(rules: readonly IngressRule[], defaults: StructValue | undefined): IngressError | undefined {
  for (const rule of rules) {
    const at = (name: string) => ({ node: field(rule.value, name)?.node, key: field(rule.value, name)?.key });
    const service = checkService(rule.service, ruleBool(rule, defaults, 'bastionMode'));
    if (!service.ok) return { kind: 'service', message: service.message, rule, ...at('service') };
    if (service.kind === 'socks-proxy') {
      const error = ipRuleError(rule);
      if (error) return error;
    }
    const access = structField(rule.originRequest, 'access');
    if (access && boolField(access, 'required') && stringField(access, 'teamName') === '' && listField(access, 'audTag').length > 0) {
      return { kind: 'access', message: TEAM_NAME_BLANK, rule, node: field(rule.originRequest, 'access')?.key };
    }
    if (splitHostPortOk(rule.hostname)) return { kind: 'hostname-port', message: HOSTNAME_PORT, rule, ...at('hostname') };
    if (rule.hostname.lastIndexOf('*') > 0) return { kind: 'hostname-wildcard', message: BAD_WILDCARD, rule, ...at('hostname') };
    const catchAll = isCatchAll(rule);
    const last = rule.index === rules.length - 1;
    if (last && !catchAll) return { kind: 'last-not-catch-all', message: LAST_NOT_CATCH_ALL, rule, ...at(rule.path !== '' ? 'path' : 'hostname') };
    if (!last && catchAll) return { kind: 'early-catch-all', message: earlyCatchAll(rule.index, rule.hostname), rule, node: rule.node };
    if (rule.path !== '') {
      const error = goRegexpError(rule.path);
      if (error) return { kind: 'path', message: `Rule #${rule.index + 1} has an invalid regex: ${error}`, rule, ...at('path') };
    }
  }
  return undefined;
}

function earlyCatchAll(index: number, hostname: string): string {
  return `Rule #${index + 1} is matching the hostname '${hostname}', but this will match every hostname, meaning the rules which follow it will never be triggered.`;
}

/** ipaccess.NewRuleByCIDR for each of the rule's own ipRules (the top-level ones are never used here). */
function ipRuleError(rule: IngressRule): IngressError | undefined {
  for (const item of listField(rule.originRequest, 'ipRules')) {
    const ipRule = item as StructValue;
    const prefixField = field(ipRule, 'prefix');
    const prefix = stringField(ipRule, 'prefix');
    const fail = (problem: string, node?: YNode): IngressError => ({ kind: 'ip-rule', message: `unable to create ip rule for socks-proxy: ${problem}`, rule, node: node ?? ipRule.node, key: prefixField?.key });
    if (prefix === '') return fail('no prefix provided');
    if (!parseCIDROk(prefix)) return fail(`unable to parse cidr: ${prefix}`, prefixField?.node);
    const ports = listField(ipRule, 'ports').map((p) => BigInt(p as bigint)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const bad = ports.find((p) => p < 1n || p > 65535n);
    if (bad !== undefined) return fail(`invalid port ${bad}, needs to be between 1 and 65535`, field(ipRule, 'ports')?.node);
  }
  return undefined;
}

/** An origin on this machine: the tunnel's traffic never leaves it. */
export function isLoopback(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '::1' || h === '0:0:0:0:0:0:0:1';
}
