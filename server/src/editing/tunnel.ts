// Hover and completion in a cloudflared config, from the key table the rules use.

import { ingressRules, type TunnelDocument } from '../cloudflared/document';
import { checkService, isLoopback } from '../cloudflared/ingress';
import type { KeyInfo } from '../cloudflared/keys';
import { TOP, walkKeys, type Place } from '../cloudflared/walk';

export interface TunnelHover {
  markdown: string;
  start: number;
  end: number;
}

function describe(info: KeyInfo, place: Place): string {
  const type = { bool: 'boolean', duration: 'duration (Go: 30s, 1m30s)', int: 'integer', uint: 'unsigned integer', string: 'string', strings: 'list of strings', ipRules: 'list of {prefix, ports, allow}', access: 'mapping {required, teamName, audTag}', map: 'mapping', rules: 'list of rules' }[info.type];
  const lines = [`**${info.key}** · cloudflared · ${place === 'top' ? 'top level' : place}`, '', info.description, '', `Type: ${type}`];
  if (info.default !== undefined && info.default !== '') lines.push(`Default: \`${info.default}\``);
  if (info.values) lines.push(`Values: ${info.values.map((v) => `\`${v}\``).join(', ')}`);
  return lines.join('\n');
}

/** The documentation of the key under the cursor. */
export function tunnelHoverAt(doc: TunnelDocument, offset: number): TunnelHover | undefined {
  let found: TunnelHover | undefined;
  walkKeys(doc, ({ entry, info, place }) => {
    const [start, end] = entry.keyNode.range ?? [0, 0];
    if (info && offset >= start && offset <= end) found = { markdown: describe(info, place), start, end };
  });
  return found;
}

export interface TunnelCompletion {
  label: string;
  detail: string;
  documentation: string;
  insertText: string;
}

/**
 * Keys that fit at the cursor's indentation: the mapping whose other keys sit in the same column.
 * A key already present is not offered again.
 */
export function tunnelCompletions(doc: TunnelDocument, offset: number): TunnelCompletion[] {
  const text = doc.file.text;
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  if (!/^\s*(-\s+)?[\w-]*$/.test(before)) return [];
  const typed = before.replace(/^\s*(-\s+)?/, '');
  const column = before.length - typed.length;
  // The mapping whose keys sit in this column, nearest above the cursor (the top level for column 0).
  let known: ReadonlyMap<string, KeyInfo> | undefined = column === 0 ? TOP : undefined;
  let present = new Set<string>();
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
  present = siblings.get(known) ?? new Set();
  return [...known.values()]
    .filter((info) => !present.has(info.key) || info.key === typed)
    .map((info) => ({
      label: info.key,
      detail: `${info.type}${info.default !== undefined && info.default !== '' ? ` (default ${info.default})` : ''}`,
      documentation: info.description,
      insertText: `${info.key}: `,
    }));
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
  return ingressRules(doc)
    .rules.filter((r) => r.hostname !== '' && targetsKasm(r.service))
    .map((r) => ({
      start: r.node.range![0],
      end: r.node.range![0],
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
