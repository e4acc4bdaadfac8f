// What `cloudflared tunnel run` does with its config file before it serves, in its order, and where
// it stops:
//   1. config.ReadConfigFile: yaml.v3 reads the first document and decodes it into configFileSettings
//      (config/configuration.go); a syntax error or any type error stops it (all type errors are
//      listed together: "yaml: unmarshal errors:");
//   2. altsrc.ApplyInputSource: the flags in the file, the first of a wrong type stops it
//      (configFileSettings.Bool/String/Int/Duration/StringSlice: "expected boolean found string for ...");
//   3. runCommand and prepareTunnelConfig (cmd/cloudflared/tunnel/subcommands.go, configuration.go):
//      the token, the tags, post-quantum with the protocol, the ingress rules
//      (ingress.ParseIngressFromConfigAndCLI), the protocol, the grace period, edge-ip-version and
//      edge-bind-address.
// `refusals` holds what cloudflared prints when it stops (empty when it starts): the findings at
// error level are exactly these. What depends on the machine (files, names looked up through the
// API, addresses to bind) is not decided here.

import { parseDuration, formatDuration } from './go/duration';
import { base64Decode } from './go/base64';
import { parseIPOk } from './go/net';
import { goFormat, goTypeName, type GoValue } from './go/values';
import { CONFIG_FILE_SETTINGS } from './config-types';
import { FLAGS, type FlagInfo } from './flags';
import { ingressRules, type IngressErrorKind, type IngressRule, singleOriginUrlError, structField, validateIngress } from './ingress';
import { type FirstDocument, parseFirstDocument, type YNode } from './yamlv3/compose';
import { decode, type DecodeResult, type FieldValue, type StructValue } from './yamlv3/decode';

export type RefusalKind =
  | 'yaml'
  | 'type'
  | 'duplicate'
  | 'flag'
  | 'token'
  | 'tag'
  | 'post-quantum'
  | 'protocol'
  | 'url'
  | 'grace-period'
  | 'edge-ip-version'
  | 'edge-bind-address'
  | IngressErrorKind;

export interface Refusal {
  kind: RefusalKind;
  /** cloudflared's own text. */
  message: string;
  start: number;
  end: number;
  /** The value the refusal is about, and its key. */
  node?: YNode;
  key?: YNode;
  /** For duplicates: the first key. */
  first?: YNode;
  rule?: IngressRule;
  flag?: FlagInfo;
}

export interface TunnelLoad {
  document: FirstDocument;
  decoded?: DecodeResult;
  /** configFileSettings: Configuration's fields, and the other top-level keys (`inline`). */
  top?: StructValue;
  rules: IngressRule[];
  /** The top-level originRequest: every rule's defaults. */
  defaults?: StructValue;
  /** The flags cloudflared applies from the file (a value of the right type, and not its zero). */
  applied: Map<string, GoValue>;
  refusals: Refusal[];
}

/** The protocols NewProtocolSelector knows (connection/protocol.go); h2mux is upgraded with a warning. */
const PROTOCOLS = ['auto', 'quic', 'http2', 'h2mux'];
const AVAILABLE_PROTOCOLS =
  "Available protocols: 'auto' - starts with QUIC and falls back to HTTP/2 (the default and recommended option); 'quic' - based on QUIC, relying on UDP egress to Cloudflare edge; 'http2' - using Go's HTTP2 library, relying on TCP egress to Cloudflare edge";
/** connection.MaxGracePeriod. */
const MAX_GRACE_PERIOD = 3n * 60n * 1000_000_000n;
/** tag.go tagRegexp: a header name, "=", printable ASCII. */
const TAG = /^([a-zA-Z0-9!#$%&'*+\-.^_`|~]+)=([\x20-\x7e]+)$/;

function span(node: YNode | undefined, fallback: { start: number; end: number }): { start: number; end: number } {
  return node ? { start: node.start, end: Math.max(node.end, node.start) } : fallback;
}

export function loadTunnel(text: string, latin1 = false): TunnelLoad {
  const document = parseFirstDocument(text, latin1);
  const load: TunnelLoad = { document, rules: [], applied: new Map(), refusals: [] };
  if (document.error) {
    load.refusals.push({ kind: 'yaml', message: document.error.message, start: document.error.offset, end: document.error.end });
    return load;
  }
  const decoded = decode(document.root, CONFIG_FILE_SETTINGS);
  load.decoded = decoded;
  if (decoded.fatal) {
    load.refusals.push({ kind: 'yaml', message: decoded.fatal.message, ...span(decoded.fatal.node, { start: 0, end: 0 }), node: decoded.fatal.node });
    return load;
  }
  const top = decoded.value && typeof decoded.value === 'object' && 'fields' in decoded.value ? (decoded.value as StructValue) : undefined;
  load.top = top;
  load.rules = ingressRules(top);
  load.defaults = structField(top, 'originRequest');
  // The flags are read even past a refusal, so that the warnings about them still hold.
  const flagError = applyFlags(load);
  if (decoded.errors.length > 0) {
    for (const e of decoded.errors) load.refusals.push({ kind: e.kind === 'duplicate' ? 'duplicate' : 'type', message: e.message, ...span(e.node, { start: 0, end: 0 }), node: e.node, first: e.first });
    return load;
  }
  if (flagError) {
    load.refusals.push(flagError);
    return load;
  }
  const startError = startUp(load);
  if (startError) load.refusals.push(startError);
  return load;
}

/** The top-level keys that are not Configuration fields: what the flag reader sees. */
export function settingsOf(top: StructValue | undefined): Map<string, FieldValue> {
  return top?.inline ?? new Map();
}

/**
 * configFileSettings' typed getters, flag by flag in cloudflared's order: fills load.applied with
 * every flag of the right type, and returns the first that is not (where cloudflared stops).
 */
function applyFlags(load: TunnelLoad): Refusal | undefined {
  let first: Refusal | undefined;
  for (const flag of FLAGS) {
    const error = applyFlag(load, flag);
    first ??= error;
  }
  return first;
}

function applyFlag(load: TunnelLoad, flag: FlagInfo): Refusal | undefined {
  const entry = settingsOf(load.top).get(flag.key);
  if (!entry) return undefined;
  const raw = entry.value as GoValue;
  const refuse = (message: string): Refusal => ({ kind: 'flag', message, ...span(entry.node, span(entry.key, { start: 0, end: 0 })), node: entry.node, key: entry.key, flag });
  switch (flag.flag) {
    case 'bool':
      if (raw.t !== 'bool') return refuse(`expected boolean found ${goTypeName(raw)} for ${flag.key}`);
      if (raw.v) load.applied.set(flag.key, raw);
      break;
    case 'string':
    case 'path':
      if (raw.t !== 'string') return refuse(`expected string found ${goTypeName(raw)} for ${flag.key}`);
      if (raw.v !== '') load.applied.set(flag.key, raw);
      break;
    case 'int':
      if (raw.t !== 'int') return refuse(`expected int found ${goTypeName(raw)} for ${flag.key}`);
      if (raw.v > 0n) load.applied.set(flag.key, raw);
      break;
    case 'duration': {
      if (raw.t !== 'string') return refuse(`expected duration found ${goTypeName(raw)} for ${flag.key}`);
      const d = parseDuration(raw.v);
      if (!d.ok) return refuse(d.error);
      if (d.nanoseconds > 0n) load.applied.set(flag.key, raw);
      break;
    }
    case 'strings': {
      if (raw.t !== 'slice') return refuse(`expected string slice found ${goTypeName(raw)} for ${flag.key}`);
      const bad = raw.items.findIndex((item) => item.t !== 'string');
      // fmt.Errorf("expected string, found %T for %v", i, v): the index's type (int) and the value.
      if (bad >= 0) return refuse(`expected string, found int for ${goFormat(raw.items[bad]!)}`);
      load.applied.set(flag.key, raw);
      break;
    }
  }
  return undefined;
}

function appliedString(load: TunnelLoad, name: string): string | undefined {
  const v = load.applied.get(name);
  return v?.t === 'string' ? v.v : undefined;
}

function flagRefusal(load: TunnelLoad, kind: RefusalKind, name: string, message: string, node?: YNode): Refusal {
  const entry = settingsOf(load.top).get(name)!;
  const at = node ?? entry.node;
  return { kind, message, start: at.start, end: Math.max(at.end, at.start), node: at, key: entry.key, flag: FLAGS.find((f) => f.key === name) };
}

/** runCommand and prepareTunnelConfig, as far as the file decides them. */
function startUp(load: TunnelLoad): Refusal | undefined {
  const token = appliedString(load, 'token');
  if (token !== undefined && !validToken(token)) return flagRefusal(load, 'token', 'token', 'Provided Tunnel token is not valid.');

  const tags = load.applied.get('tag');
  if (tags?.t === 'slice') {
    const entry = settingsOf(load.top).get('tag')!;
    for (const [i, tag] of tags.items.entries()) {
      const value = (tag as { v: string }).v;
      if (!TAG.test(value)) return flagRefusal(load, 'tag', 'tag', `Tag parse failure: Cannot parse tag value ${value}`, entry.node.content[i]);
    }
  }

  const protocol = appliedString(load, 'protocol') ?? 'auto';
  const postQuantum = load.applied.has('post-quantum');
  if (postQuantum && protocol !== 'auto' && protocol !== 'quic') return flagRefusal(load, 'post-quantum', 'protocol', 'post-quantum is only supported with the quic transport');

  // ingress.go ParseIngressFromConfigAndCLI: the file's rules, else the single origin of the flags.
  if (load.rules.length === 0 && !load.applied.has('hello-world') && !load.applied.has('bastion')) {
    const url = appliedString(load, 'url');
    const error = url !== undefined ? singleOriginUrlError(url) : undefined;
    if (error) return flagRefusal(load, 'url', 'url', error);
  }
  const ingressError = load.rules.length > 0 ? validateIngress(load.rules, load.defaults) : undefined;
  if (ingressError) {
    const at = span(ingressError.node ?? ingressError.rule.node, { start: 0, end: 0 });
    return { kind: ingressError.kind, message: ingressError.message, ...at, node: ingressError.node, key: ingressError.key, rule: ingressError.rule };
  }

  if (!postQuantum && !PROTOCOLS.includes(protocol)) return flagRefusal(load, 'protocol', 'protocol', `unknown protocol ${protocol}, ${AVAILABLE_PROTOCOLS}`);

  const grace = appliedString(load, 'grace-period');
  if (grace !== undefined) {
    const d = parseDuration(grace);
    if (d.ok && d.nanoseconds > MAX_GRACE_PERIOD) return flagRefusal(load, 'grace-period', 'grace-period', `grace-period must be equal or less than ${formatDuration(MAX_GRACE_PERIOD)}`);
  }

  const ipVersion = appliedString(load, 'edge-ip-version');
  if (ipVersion !== undefined && !['4', '6', 'auto'].includes(ipVersion)) return flagRefusal(load, 'edge-ip-version', 'edge-ip-version', `invalid value for edge-ip-version: ${ipVersion}`);

  const bind = appliedString(load, 'edge-bind-address');
  if (bind !== undefined && !parseIPOk(bind)) return flagRefusal(load, 'edge-bind-address', 'edge-bind-address', `invalid value for edge-bind-address: ${bind}`);
  return undefined;
}

/**
 * ParseToken (subcommands.go): base64 (standard, padded) of a JSON object whose "a" and "e" are
 * strings, "s" base64 bytes and "t" a UUID (connection.TunnelToken); unknown keys are ignored and
 * encoding/json matches keys without regard to case.
 */
function validToken(token: string): boolean {
  const bytes = base64Decode(token);
  if (bytes === undefined) return false;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes, 'binary').toString('utf8'));
  } catch {
    return false;
  }
  if (json === null) return true;
  if (typeof json !== 'object' || Array.isArray(json)) return false;
  for (const [key, value] of Object.entries(json as Record<string, unknown>)) {
    if (value === null) continue;
    const k = key.toLowerCase();
    if ((k === 'a' || k === 'e') && typeof value !== 'string') return false;
    if (k === 's' && (typeof value !== 'string' || base64Decode(value) === undefined)) return false;
    if (k === 't' && (typeof value !== 'string' || !isUuid(value))) return false;
  }
  return true;
}

/** google/uuid Parse: the 36-character form, {braced}, urn:uuid:, or 32 hex digits. */
export function isUuid(s: string): boolean {
  const hex = '[0-9a-fA-F]';
  const dashed = `${hex}{8}-${hex}{4}-${hex}{4}-${hex}{4}-${hex}{12}`;
  return new RegExp(`^(${dashed}|\\{${dashed}\\}|urn:uuid:${dashed}|${hex}{32})$`, 'i').test(s);
}

/** The refusals of these kinds (at most the one where cloudflared stops, or all its type errors). */
export function refusalsOf(load: TunnelLoad, kinds: readonly RefusalKind[]): Refusal[] {
  return load.refusals.filter((r) => kinds.includes(r.kind));
}

const keyIndexes = new WeakMap<YNode, Map<YNode, { mapping: YNode; value: YNode }>>();

/** The mapping holding a key (found by identity) and the key's value, anywhere in the document. */
export function entryOfKey(root: YNode | undefined, key: YNode): { mapping: YNode; value: YNode } | undefined {
  if (!root) return undefined;
  let index = keyIndexes.get(root);
  if (!index) {
    index = new Map();
    const stack = [root];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node.kind === 'mapping') for (let i = 0; i + 1 < node.content.length; i += 2) index.set(node.content[i]!, { mapping: node, value: node.content[i + 1]! });
      if (node.kind === 'mapping' || node.kind === 'sequence') stack.push(...node.content);
    }
    keyIndexes.set(root, index);
  }
  return index.get(key);
}
