// Hover and completion in a cloudflared config (keys, and the values of keys that have a fixed set),
// from the key and flag tables the rules and the JSON schema use.

import type { TunnelDocument } from '../cloudflared/document';
import { FLAG_ALIASES, type FlagInfo } from '../cloudflared/flags';
import { checkService, isLoopback } from '../cloudflared/ingress';
import type { KeyInfo, KeyType } from '../cloudflared/keys';
import { KEYS_OF, TOP, walkKeys, type KeyVisit, type Place } from '../cloudflared/walk';

export interface TunnelHover {
  markdown: string;
  start: number;
  end: number;
}

const TYPE_NAMES: Record<KeyType, string> = {
  bool: 'boolean',
  duration: 'duration (Go: 30s, 1m30s)',
  int: 'integer',
  uint: 'unsigned integer',
  uint64: 'unsigned integer',
  string: 'string',
  strings: 'list of strings',
  ints: 'list of integers',
  ipRules: 'list of {prefix, ports, allow}',
  access: 'mapping {required, teamName, audTag, environment}',
  originRequest: 'mapping (originRequest settings)',
  warpRouting: 'mapping {connectTimeout, maxActiveFlows, tcpKeepAlive}',
  rules: 'list of ingress rules',
};

function isFlag(info: KeyInfo): info is FlagInfo {
  return 'flag' in info;
}

function describe(info: KeyInfo, place: Place): string {
  const where = place === 'top' ? (isFlag(info) ? 'flag read from the file' : 'top level') : place;
  const lines = [`**${info.key}** · cloudflared · ${where}`, '', info.description, '', `Type: ${TYPE_NAMES[info.type]}`];
  if (info.default !== undefined && info.default !== '') lines.push(`Default: \`${info.default}\``);
  if (info.values) lines.push(`Values: ${info.values.map((v) => `\`${v}\``).join(', ')}`);
  if (isFlag(info)) {
    if (info.type === 'string') lines.push('', 'Read as a string: quote a number (`"4"`), or cloudflared stops at start-up.');
    if (info.aliases?.length) lines.push('', `Command-line aliases (${info.aliases.map((a) => `-${a.length > 1 ? '-' : ''}${a}`).join(', ')}) are not read from the file: write \`${info.key}\`.`);
    if (info.legacy) lines.push('', 'Read only when the file has no ingress rules.');
    if (info.noEffect) lines.push('', `No effect: ${info.noEffect}`);
  }
  return lines.join('\n');
}

/** The documentation of the key under the cursor. */
export function tunnelHoverAt(doc: TunnelDocument, offset: number): TunnelHover | undefined {
  let found: TunnelHover | undefined;
  walkKeys(doc, ({ entry, info, place }) => {
    const [start, end] = entry.keyNode.range ?? [0, 0];
    if (offset < start || offset > end) return;
    if (info) found = { markdown: describe(info, place), start, end };
    const alias = place === 'top' ? FLAG_ALIASES.get(entry.key) : undefined;
    if (!info && alias) found = { markdown: `**${entry.key}** · cloudflared · not read\n\nAn alias of \`${alias.key}\` on the command line only: cloudflared reads flags from its config file by their full name, so this key is ignored.`, start, end };
  });
  return found;
}

export interface TunnelCompletion {
  label: string;
  kind: 'key' | 'value';
  detail: string;
  documentation: string;
  insertText: string;
  /** The text the completion replaces (what is typed of it). */
  start: number;
  end: number;
}

function lineBefore(text: string, offset: number): { lineStart: number; before: string } {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return { lineStart, before: text.slice(lineStart, offset) };
}

/** The keys at the cursor (a key being typed) or the values of the key before it (`protocol: `). */
export function tunnelCompletions(doc: TunnelDocument, offset: number): TunnelCompletion[] {
  const { lineStart, before } = lineBefore(doc.file.text, offset);
  const value = /^(\s*(?:-\s+)?)([\w-]+):[ \t]+(["']?)([\w.:/+-]*)$/.exec(before);
  if (value) return valueCompletions(doc, lineStart + value[1]!.length, value[2]!, value[3]!, offset - value[4]!.length - value[3]!.length, offset);
  return keyCompletions(doc, offset, before);
}

/**
 * Keys that fit at the cursor's indentation: the mapping whose other keys sit in the same column.
 * A key already present is not offered again.
 */
function keyCompletions(doc: TunnelDocument, offset: number, before: string): TunnelCompletion[] {
  const text = doc.file.text;
  if (!/^\s*(-\s+)?[\w-]*$/.test(before)) return [];
  const typed = before.replace(/^\s*(-\s+)?/, '');
  const column = before.length - typed.length;
  // The mapping whose keys sit in this column, nearest above the cursor (the top level for column 0).
  let known: ReadonlyMap<string, KeyInfo> | undefined = column === 0 ? TOP : undefined;
  let nearest = -1;
  const siblings = new Map<ReadonlyMap<string, KeyInfo>, Set<string>>();
  walkKeys(doc, ({ entry, known: here }) => {
    const start = entry.keyNode.range![0];
    if (start - (text.lastIndexOf('\n', start - 1) + 1) !== column) return;
    const set = siblings.get(here) ?? new Set<string>();
    set.add(entry.key);
    siblings.set(here, set);
    if (start <= offset && start > nearest) {
      nearest = start;
      known = here;
    }
  });
  if (!known) return [];
  const present = siblings.get(known) ?? new Set<string>();
  return [...(known as ReadonlyMap<string, KeyInfo>).values()]
    .filter((info) => !present.has(info.key) || info.key === typed)
    .filter((info) => !(isFlag(info) && (info.hidden || info.noEffect)) || (typed.length > 0 && info.key.startsWith(typed)))
    .map((info) => ({
      label: info.key,
      kind: 'key' as const,
      detail: `${TYPE_NAMES[info.type]}${info.default !== undefined && info.default !== '' ? ` (default ${info.default})` : ''}`,
      documentation: info.description,
      insertText: `${info.key}: `,
      start: offset - typed.length,
      end: offset,
    }));
}

/** The values of the key written at `keyStart`: its enumerated values, or true/false. */
function valueCompletions(doc: TunnelDocument, keyStart: number, key: string, quote: string, start: number, end: number): TunnelCompletion[] {
  let visit: KeyVisit | undefined;
  walkKeys(doc, (v) => {
    if (v.entry.keyNode.range?.[0] === keyStart) visit = v;
  });
  const info = visit?.info ?? (keyStart === lineBefore(doc.file.text, keyStart).lineStart ? KEYS_OF.top.get(key) : undefined);
  if (!info) return [];
  const flagString = isFlag(info) && info.type === 'string';
  const values = info.values ?? (info.type === 'bool' ? ['true', 'false'] : []);
  return values.map((v) => {
    // A string flag must be a YAML string: a number-like value is quoted (edge-ip-version: "4").
    const needsQuotes = flagString && /^[-+]?[0-9.]+$/.test(v);
    const insertText = quote ? `${v}${quote}` : needsQuotes ? `"${v}"` : v;
    return {
      label: v,
      kind: 'value' as const,
      detail: `${info.key}${info.default === v ? ' (default)' : ''}`,
      documentation: info.description,
      insertText,
      start: quote ? start + 1 : start,
      end,
    };
  });
}

export interface TunnelLens {
  start: number;
  end: number;
  title: string;
  /** The rule's public host name: Kasm's Upstream Auth Address. */
  hostname: string;
}

/**
 * A reminder above each rule that publishes Kasm: the zone settings Kasm's guide requires for a
 * tunnel, which live in Kasm's admin UI, not in this file.
 */
export function kasmZoneLenses(doc: TunnelDocument): TunnelLens[] {
  return doc.load.rules
    .filter((r) => r.hostname !== '' && targetsKasm(r.service))
    .map((r) => ({
      start: r.node.start,
      end: r.node.start,
      hostname: r.hostname,
      title: `Kasm zone: Upstream Auth Address = ${r.hostname}, Proxy Port = 0 (Admin › Infrastructure › Zones; new sessions only)`,
    }));
}

/** Kasm's web app: HTTPS on 443 of this machine, or a host named like Kasm. */
function targetsKasm(service: string): boolean {
  const check = checkService(service);
  if (!check.ok || check.kind !== 'url') return false;
  return (check.url.scheme === 'https' && check.url.port === 443 && isLoopback(check.url.hostname)) || /kasm/i.test(check.url.hostname);
}
