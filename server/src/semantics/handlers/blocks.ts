// The bodies of map, geo and split_clients: their entries are read by the block's own handler
// (http/modules/ngx_http_map_module.c ngx_http_map, ngx_http_geo_module.c ngx_http_geo,
// ngx_http_split_clients_module.c), entry after entry, with messages of their own (no "directive").

import type { ConfigDirective } from '../../model/config';
import type { HandlerError } from '../handler';
import { isCidr, isIpv4 } from '../url';
import { scriptError } from './rewrite';

export interface EntryError extends HandlerError {
  /** The entry nginx was reading; undefined when found once the block is read (at its `}`). */
  entry?: ConfigDirective;
}

/** An entry's words: the "directive name" the parser saw, then its arguments. */
function words(entry: ConfigDirective): string[] {
  return [entry.node.name, ...entry.node.args.map((a) => a.value)];
}

/** The entries nginx hands to the block's handler: up to one whose statement never ended (its tokenizer stops there). */
function* handedEntries(owner: ConfigDirective): Iterable<ConfigDirective> {
  for (const entry of owner.block!.items) {
    if (entry.node.terminator === null) return;
    yield entry;
  }
}

/** A network of a geo entry: ngx_ptocidr's, and 255.255.255.255 (which ngx_ptocidr refuses: geo reads it apart). */
function validNetwork(net: string): boolean {
  return net === '255.255.255.255' || isCidr(net);
}

function validRange(range: string): boolean {
  const dash = range.indexOf('-');
  if (dash < 0) return false;
  const [start, end] = [range.slice(0, dash), range.slice(dash + 1)];
  if (!isIpv4(start) || !isIpv4(end) || start === '255.255.255.255' || end === '255.255.255.255') return false;
  const n = (a: string) => a.split('.').reduce((v, o) => v * 256 + Number(o || '0'), 0);
  return n(start) <= n(end);
}

const GEO_EXPLAIN = 'A geo entry is a network (CIDR) or, after "ranges", an address range, followed by its value; or default, delete, proxy, include.';

function geoEntries(owner: ConfigDirective): EntryError | undefined {
  let ranges = false;
  let cidrSeen = false;
  for (const entry of handedEntries(owner)) {
    const w = words(entry);
    const at = entry.node.nameToken;
    if (w.length === 1 && w[0] === 'ranges') {
      if (cidrSeen) return { entry, message: 'the "ranges" directive must be the first directive inside "geo" block', at, explain: GEO_EXPLAIN };
      ranges = true;
      continue;
    }
    if (w.length === 1 && w[0] === 'proxy_recursive') continue;
    if (w.length !== 2) return { entry, message: 'invalid number of the geo parameters', at, explain: GEO_EXPLAIN };
    if (w[0] === 'include') continue;
    if (w[0] === 'proxy') {
      if (!validNetwork(w[1]!)) return { entry, message: `invalid network "${w[1]}"`, at: entry.node.args[0], explain: GEO_EXPLAIN };
      continue;
    }
    if (w[0] === 'default') continue;
    const net = w[0] === 'delete' ? w[1]! : w[0]!;
    const token = w[0] === 'delete' ? entry.node.args[0]! : at;
    if (ranges) {
      if (!validRange(net)) return { entry, message: `invalid range "${net}"`, at: token, explain: GEO_EXPLAIN };
    } else {
      cidrSeen = true;
      if (!validNetwork(net)) return { entry, message: `invalid network "${net}"`, at: token, explain: GEO_EXPLAIN };
    }
  }
  return undefined;
}

const MAP_EXPLAIN = 'A map entry is a key (a string, ~regex, or default) followed by one value; quote values with spaces.';

function mapEntries(owner: ConfigDirective): EntryError | undefined {
  let hostnames = false;
  let defaultSeen = false;
  const keys = new Set<string>();
  for (const entry of handedEntries(owner)) {
    const w = words(entry);
    const at = entry.node.nameToken;
    if (w.length === 1 && (w[0] === 'hostnames' || w[0] === 'volatile')) {
      if (w[0] === 'hostnames') hostnames = true;
      continue;
    }
    if (w.length !== 2) return { entry, message: 'invalid number of the map parameters', at, explain: MAP_EXPLAIN };
    if (w[0] === 'include') continue;
    const value = scriptError(entry.node.args[0]!);
    if (value) return { entry, ...value };
    if (w[0] === 'default') {
      if (defaultSeen) return { entry, message: 'duplicate default map parameter', at, explain: 'A map has one default value.' };
      defaultSeen = true;
      continue;
    }
    if (w[0]!.startsWith('~')) continue; // a regex key: nginx/invalid-regex
    let key = w[0]!.startsWith('\\') ? w[0]!.slice(1) : w[0]!;
    key = key.toLowerCase();
    if (hostnames) key = key.replace(/^\./, '');
    if (keys.has(key)) return { entry, message: `conflicting parameter "${w[0]!.replace(/^\\/, '')}"`, at, explain: 'The same key appears twice in this map (keys are compared without case).' };
    keys.add(key);
  }
  return undefined;
}

/** ngx_atofp with two decimals: "12.5" → 1250; undefined when it is not such a number. */
function percent(text: string): number | undefined {
  if (!/^[0-9]*\.?[0-9]*$/.test(text) || text === '' || text === '.') return undefined;
  const [whole, fraction = ''] = text.split('.');
  if (fraction.length > 2) return undefined;
  return Number(whole || '0') * 100 + Number(fraction.padEnd(2, '0'));
}

function splitClientsEntries(owner: ConfigDirective): EntryError | undefined {
  const shares: number[] = [];
  for (const entry of handedEntries(owner)) {
    const key = entry.node.name;
    if (key === '*') {
      shares.push(0);
      continue;
    }
    const value = key.endsWith('%') ? percent(key.slice(0, -1)) : undefined;
    if (!value) return { entry, message: `invalid percent value "${key}"`, at: entry.node.nameToken, explain: 'A split_clients share is a percentage such as 10% or 0.5% (two decimals at most), or * for the rest.' };
    shares.push(value);
  }
  // added up once the block is read
  let sum = 0;
  for (const share of shares) {
    sum = share ? sum + share : 10000;
    if (sum > 10000) {
      const close = owner.node.block?.close ?? owner.node.end;
      return { message: 'percent total is greater than 100%', at: { start: close, end: close + 1 }, explain: 'The shares add up to more than 100% ("*" counts as the rest, so nothing may follow it).' };
    }
  }
  return undefined;
}

/** ngx_http_upstream (and stream's): an upstream block without servers, found at its `}`. */
function upstreamServers(owner: ConfigDirective): EntryError | undefined {
  if (!owner.parent.context.match(/^(http|stream)$/) || owner.block!.items.some((d) => d.node.name === 'server')) return undefined;
  const close = owner.node.block?.close ?? owner.node.end;
  return { message: 'no servers are inside upstream', at: { start: close, end: close + 1 }, explain: 'An upstream block needs at least one server line.' };
}

const BLOCKS: Partial<Record<string, (owner: ConfigDirective) => EntryError | undefined>> = {
  geo: geoEntries,
  map: mapEntries,
  split_clients: splitClientsEntries,
  upstream: upstreamServers,
};

/** The first entry (or the end) of a map, geo or split_clients block that nginx refuses. */
export function checkBlockEntries(owner: ConfigDirective): EntryError | undefined {
  const check = BLOCKS[owner.node.name];
  return check && owner.block ? check(owner) : undefined;
}
