// The hashes nginx builds from a block once it has read it, and what it builds them from: the server
// names of each address and port that several servers share (http/ngx_http.c ngx_http_server_names,
// stream/ngx_stream.c since 1.25.5), the keys of each map (ngx_http_map_module.c,
// ngx_stream_map_module.c) and the variables the configuration adds (ngx_http_variables_init_vars).
// Each is a HashSite; outcomeOf builds it as nginx does (hashes.ts).

import { keptIn, TextMemo } from '../core/maps';
import { type ConfigBlock, type ConfigDirective, type ConfigModel, within } from '../model/config';
import { effective } from '../model/effective';
import { versionNumber } from '../nginx/directives';
import { parseRegex } from '../values/regex';
import {
  alignToCacheLine,
  buildHash,
  buildWildcardHash,
  CACHE_LINE,
  fileName,
  type FiledName,
  keyBytes,
  lowercased,
  refusedSizes,
  type HashKey,
  type HashOutcome,
  type HashSettings,
} from './hashes';
import { listenEntries } from './listens';
import { parseDecimal } from './values';
import { createdVariableArgument, VARIABLE_CREATORS, variableScope } from './variable-uses';

/** A key of a hash and the word it comes from. */
export interface Named {
  directive: ConfigDirective;
  /** The argument (a server name) or, for a map entry, undefined: the entry's key is its name. */
  arg?: number;
  text: string;
  filed: FiledName;
}

/** One hash nginx builds, with what it is built from and where its sizes are set. */
export interface HashSite {
  kind: 'server names' | 'map keys' | 'variable names' | 'types';
  settings: HashSettings;
  names: Named[];
  /** The directives that set max_size and bucket_size, when written. */
  maxSize?: ConfigDirective;
  bucketSize?: ConfigDirective;
  /** Where the finding goes when no name is at fault, and whose seq orders nginx's verdict. */
  anchor: ConfigDirective;
  /** nginx's reading position when it builds the hash. */
  foundAt: number;
  /** The address (server names) as nginx prints it. */
  address?: string;
  /** Where a new `*_hash_bucket_size` line goes (http only): above this top-level block. */
  insertAbove?: ConfigBlock;
  /** Set where the bucket size can no longer be changed (map_hash_bucket_size after the first map). */
  fixed?: boolean;
  /** Only some of the keys are known (nginx's own variables join the configuration's): only the checks the longest key decides. */
  partial?: boolean;
}

/** The number a size directive sets, its default when there is none; undefined for a value that is not a number. */
export function sizeSetting(directive: ConfigDirective | undefined, byDefault: number): number | undefined {
  if (!directive) return byDefault;
  const value = parseDecimal(directive.node.args[0]?.value ?? '');
  return value === undefined || value > BigInt(Number.MAX_SAFE_INTEGER) ? undefined : Number(value);
}

/** The last directive of `name` at the level of `block` itself (the main-conf directives of http and stream). */
function setAt(block: ConfigBlock, name: string, before = Number.POSITIVE_INFINITY): ConfigDirective | undefined {
  let found: ConfigDirective | undefined;
  for (const d of block.items) if (d.node.name === name && d.node.terminator === ';' && d.seq < before) found = d;
  return found;
}

/** The http and stream blocks read to their end (a Kasm tree's http block is the image's: its root). */
export function mainBlocks(model: ConfigModel): ConfigBlock[] {
  const blocks: ConfigBlock[] = [];
  for (const d of [...model.named('http'), ...model.named('stream')]) {
    if (d.block && d.block.endSeq !== undefined && d.node.block?.close !== null && (d.block.context === 'http' || d.block.context === 'stream')) blocks.push(d.block);
  }
  for (const root of model.roots) if (root.file === undefined && root.context === 'http') blocks.push(root.block);
  return blocks;
}

function hasCaptures(pattern: string): boolean {
  const parsed = parseRegex(pattern);
  return parsed.ok && parsed.regex.groups > 0;
}

/** The server-name hashes of a block: one per address several servers share (or whose default server's name captures). */
export function serverNameSites(block: ConfigBlock, version: string): HashSite[] {
  const stream = block.context === 'stream';
  if (stream && versionNumber(version) < versionNumber('1.25.5')) return [];
  const max = setAt(block, 'server_names_hash_max_size');
  const bucket = setAt(block, 'server_names_hash_bucket_size');
  const maxSize = sizeSetting(max, 512);
  const bucketSize = sizeSetting(bucket, CACHE_LINE);
  if (maxSize === undefined || bucketSize === undefined) return []; // an invalid number: nginx/invalid-value
  const settings = { name: 'server_names_hash', maxSize, bucketSize: alignToCacheLine(bucketSize) };

  // by socket: a quic (or stream udp) listen is a port of its own beside TCP's on the same address
  // (`listed`: a server with several listens on one socket is in its list once, found without a scan
  // of the list: thousands of servers may share a socket)
  const servers = new Map<string, { address: string; list: Array<{ server: ConfigDirective; isDefault: boolean }>; listed: Set<ConfigDirective> }>();
  const add = (address: string, udp: boolean, server: ConfigDirective, isDefault: boolean) => {
    const key = `${address}${udp ? ' udp' : ''}`;
    let group = servers.get(key);
    if (!group) servers.set(key, (group = { address, list: [], listed: new Set() }));
    if (group.listed.has(server)) return;
    group.listed.add(server);
    group.list.push({ server, isDefault });
  };
  for (const entry of listenEntries(block)) add(entry.address, entry.udp, entry.server, entry.defaultServer);
  // a server without listen gets *:80 when the block is merged, after every listen written
  if (!stream) {
    for (const server of block.items) {
      if (server.node.name === 'server' && server.block && !server.block.items.some((d) => d.node.name === 'listen')) add('0.0.0.0:80', false, server, false);
    }
  }

  const sites: HashSite[] = [];
  // (asked once per server: a server listening on 8,000 ports read its lines for each)
  const capturing = new Map<ConfigDirective, boolean>();
  for (const { address, list } of servers.values()) {
    const defaultServer = (list.find((s) => s.isDefault) ?? list[0])!.server;
    if (list.length < 2 && !keptIn(capturing, defaultServer, captures)) continue;
    const names: Named[] = [];
    for (const { server } of list) addServerNames(server, names);
    sites.push({
      kind: 'server names',
      settings,
      names,
      maxSize: max,
      bucketSize: bucket,
      anchor: defaultServer,
      foundAt: (block.endSeq ?? Number.MAX_SAFE_INTEGER) + 0.9,
      address,
      insertAbove: stream ? undefined : defaultServer.block,
    });
  }
  return sites;
}

/** Whether a server's names capture (each regex name sets it: the last one decides). */
function captures(server: ConfigDirective): boolean {
  let last: string | undefined;
  for (const d of server.block!.items) {
    if (d.node.name !== 'server_name' || d.node.terminator !== ';') continue;
    for (const arg of d.node.args) if (arg.value.startsWith('~')) last = arg.value;
  }
  return last !== undefined && hasCaptures(last.slice(1));
}

/**
 * Adds a server's names as its server_name lines give them (regexes are not hashed), or "" when it has
 * none. Plain loops and names filed once per text: a block of 4,000 servers is hashed again on every
 * analysis (with flatMap and filing each name, 10 ms).
 */
function addServerNames(server: ConfigDirective, names: Named[]): void {
  let lines = 0;
  for (const directive of server.block!.items) {
    if (directive.node.name !== 'server_name' || directive.node.terminator !== ';') continue;
    lines++;
    const args = directive.node.args;
    for (let i = 0; i < args.length; i++) {
      const text = args[i]!.value;
      // $hostname is the machine's name, which only nginx's machine knows
      if (text === '$hostname' || text.startsWith('~')) continue;
      names.push({ directive, arg: i, text, filed: filedServerName(text, directive.file.latin1) });
    }
  }
  if (lines === 0) names.push({ directive: server, text: '', filed: fileName('') });
}

/** Server names filed, by text (words of a file read byte for byte, latin1, are filed each time). */
const filedNames = new TextMemo<FiledName>(20_000, 256);

function filedServerName(text: string, latin1: boolean): FiledName {
  const file = () => fileName(lowercased(keyBytes(text, latin1)));
  return latin1 ? file() : filedNames.get(text, file);
}

/** The hash of each map of a block; its sizes are those set before the first map, which fixes them. */
export function mapSites(block: ConfigBlock): HashSite[] {
  const maps = block.items.filter((d) => d.node.name === 'map' && d.block && d.node.block?.close !== null);
  const first = maps[0];
  if (!first) return [];
  const max = setAt(block, 'map_hash_max_size', first.seq);
  const bucket = setAt(block, 'map_hash_bucket_size', first.seq);
  const maxSize = sizeSetting(max, 2048);
  const bucketSize = sizeSetting(bucket, CACHE_LINE);
  if (maxSize === undefined || bucketSize === undefined) return [];
  const settings = { name: 'map_hash', maxSize, bucketSize: alignToCacheLine(bucketSize) };
  const late = setAt(block, 'map_hash_bucket_size') !== bucket;
  return maps.map((map) => ({
    kind: 'map keys' as const,
    settings,
    names: mapKeys(map),
    maxSize: max,
    bucketSize: bucket,
    anchor: map,
    foundAt: map.block!.endSeq ?? Number.MAX_SAFE_INTEGER,
    insertAbove: block.context === 'stream' ? undefined : first.block,
    fixed: late,
  }));
}

/**
 * The extensions of each `types` block of an http block, hashed when nginx merges the level holding it
 * (ngx_http_core_merge_loc_conf, nginx 1.22.1 src/http/ngx_http_core_module.c:3622 and :3664) with
 * that level's types_hash_max_size and types_hash_bucket_size (defaults 1024 and 64, the bucket
 * aligned to the cache line); found with the core module's merge, first of the http modules.
 */
export function typesSites(model: ConfigModel, http: ConfigBlock, version: string): HashSite[] {
  const sites: HashSite[] = [];
  for (const types of model.named('types')) {
    const block = types.block;
    if (!block || types.node.block?.close === null || !within(types.parent, http)) continue;
    const max = effective(types.parent, 'types_hash_max_size', version).directives.at(-1);
    const bucket = effective(types.parent, 'types_hash_bucket_size', version).directives.at(-1);
    const maxSize = sizeSetting(max, 1024);
    const bucketSize = sizeSetting(bucket, 64);
    if (maxSize === undefined || bucketSize === undefined) continue;
    const names: Named[] = [];
    for (const entry of block.items) {
      if (entry.node.terminator !== ';' || entry.node.name === 'include') continue;
      entry.node.args.forEach((arg, i) => names.push({ directive: entry, arg: i, text: arg.value, filed: { kind: 'exact', key: lowercased(keyBytes(arg.value, entry.file.latin1)) } }));
    }
    sites.push({
      kind: 'types',
      settings: { name: 'types_hash', maxSize, bucketSize: alignToCacheLine(bucketSize) },
      names,
      maxSize: max,
      bucketSize: bucket,
      anchor: types,
      foundAt: (http.endSeq ?? Number.MAX_SAFE_INTEGER) - 0.5,
      // a new types_hash_bucket_size goes at http level, above the block holding the types (inherited by it)
      insertAbove: block,
    });
  }
  return sites;
}

/** The argument holding the variable a directive adds to the variables hash, if it adds one. */
function definedArgument(directive: ConfigDirective): number | undefined {
  const { node } = directive;
  if (node.terminator === null || directive.parent.context === 'opaque') return undefined;
  const at = createdVariableArgument(node.name, node.args.length);
  return at !== undefined && node.args[at]?.value.startsWith('$') ? at : undefined;
}

/**
 * The variables hash of a block, built when it ends (ngx_http_variables_init_vars, after the unknown
 * variables): nginx's own variables (all short) and those the configuration adds. Named captures are
 * left out: PCRE2 refuses names over 32 bytes.
 */
export function variableSite(model: ConfigModel, block: ConfigBlock): HashSite | undefined {
  const max = setAt(block, 'variables_hash_max_size');
  const bucket = setAt(block, 'variables_hash_bucket_size');
  const maxSize = sizeSetting(max, 1024);
  const bucketSize = sizeSetting(bucket, 64);
  const anchor = block.owner ?? block.items[0];
  if (maxSize === undefined || bucketSize === undefined || !anchor) return undefined;
  const names: Named[] = [];
  for (const name of VARIABLE_CREATORS) {
    for (const directive of model.named(name)) {
      const at = definedArgument(directive);
      if (at === undefined || variableScope(directive)?.block !== block) continue;
      const text = directive.node.args[at]!.value.slice(1);
      names.push({ directive, arg: at, text, filed: { kind: 'exact', key: lowercased(keyBytes(text, directive.file.latin1)) } });
    }
  }
  return {
    kind: 'variable names',
    settings: { name: 'variables_hash', maxSize, bucketSize: alignToCacheLine(bucketSize) },
    names,
    maxSize: max,
    bucketSize: bucket,
    anchor,
    foundAt: (block.endSeq ?? Number.MAX_SAFE_INTEGER) + 0.8,
    partial: true,
  };
}

/** A map's keys as ngx_http_map files them: not default, include, regexes or the one-word flags; `\` taken off. */
function mapKeys(map: ConfigDirective): Named[] {
  let hostnames = false;
  const keys: Named[] = [];
  for (const entry of map.block!.items) {
    if (entry.node.terminator !== ';') break;
    const word = entry.node.name;
    if (entry.node.args.length === 0 && (word === 'hostnames' || word === 'volatile')) {
      hostnames ||= word === 'hostnames';
      continue;
    }
    if (entry.node.args.length !== 1 || word === 'include' || word === 'default' || word.startsWith('~')) continue;
    const text = word.startsWith('\\') ? word.slice(1) : word;
    const bytes = lowercased(keyBytes(text, entry.file.latin1));
    keys.push({ directive: entry, text, filed: hostnames ? fileName(bytes) : { kind: 'exact', key: bytes } });
  }
  return keys;
}

/** What ngx_http_server_names (or the map block) meets first: an invalid wildcard, or its hashes' outcome. */
export function outcomeOf(site: HashSite): { outcome: HashOutcome; invalid?: Named } {
  // nginx's own variables are always there: short, but not nothing (a bucket of 0 holds none)
  if (site.partial) return { outcome: refusedSizes([...site.names.map((n) => (n.filed.kind === 'exact' ? n.filed.key : '')), 'host'], site.settings) ?? { kind: 'ok' } };
  const exact: HashKey[] = [];
  const head: HashKey[] = [];
  const tail: HashKey[] = [];
  const taken = new Set<string>();
  for (const name of site.names) {
    const filed = name.filed;
    if (filed.kind === 'invalid') return { outcome: { kind: 'ok' }, invalid: name };
    // a name filed already ("conflicting server name", a warning) is left out; in a map, a conflict is refused before (nginx/invalid-value)
    const text = filed.key;
    // ".example.com" is filed both ways: it conflicts with "example.com" and with "*.example.com"
    if (filed.kind === 'exact') {
      if (taken.has(text)) continue;
      taken.add(text);
    } else {
      const conflicts = [`${filed.kind}:${text.replace(/\.$/, '')}`];
      if (filed.kind === 'head' && !text.endsWith('.')) conflicts.push(text.split('.').reverse().join('.'));
      if (conflicts.some((c) => taken.has(c))) continue;
      for (const c of conflicts) taken.add(c);
    }
    (filed.kind === 'exact' ? exact : filed.kind === 'head' ? head : tail).push(filed.key);
  }
  let warning: HashOutcome | undefined;
  for (const [keys, wildcard] of [
    [exact, false],
    [head, true],
    [tail, true],
  ] as const) {
    if (keys.length === 0) continue;
    const outcome = wildcard ? buildWildcardHash(keys, site.settings) : buildHash(keys, site.settings);
    if (outcome.kind === 'error') return { outcome: { ...outcome, warning: warning?.kind === 'warning' ? warning.message : outcome.warning } };
    if (outcome.kind === 'warning') warning ??= outcome;
  }
  return { outcome: warning ?? { kind: 'ok' } };
}

/** The longest element a name puts in the hash: the whole name, or for a wildcard its longest label. */
export function longestElement(name: Named): number {
  if (name.filed.kind === 'invalid') return 0;
  if (name.filed.kind === 'exact') return name.filed.key.length;
  return Math.max(...name.filed.key.split('.').map((label) => label.length));
}
