// The hashes nginx builds once it has read a block: the server names of each address and port that
// several servers share (http/ngx_http.c ngx_http_server_names, stream/ngx_stream.c since 1.25.5) and
// the keys of each map (ngx_http_map_module.c, ngx_stream_map_module.c). A name or key too long for a
// bucket, a max_size of 0 or a bucket over 64k make nginx refuse the configuration with no file or
// line; more keys than max_size buckets can hold make nginx -t warn at every start and reload.

import type { ConfigBlock, ConfigDirective, ConfigModel } from '../../model/config';
import { DEFINES_FIRST, variableScope } from '../../semantics/variable-uses';
import { versionNumber } from '../../nginx/directives';
import { addSettings, atHttpLevel } from '../../proxy/locations';
import { HEADER_HASHES, headerHashRefusals } from '../../semantics/header-hashes';
import { parseDecimal } from '../../semantics/values';
import { listenEntries } from '../../semantics/listens';
import { parseRegex } from '../../values/regex';
import {
  alignToCacheLine,
  bucketSizeFor,
  buildHash,
  buildWildcardHash,
  CACHE_LINE,
  elementSize,
  fileName,
  keyBytes,
  lowercased,
  refusedSizes,
  type HashKey,
  type HashOutcome,
  type HashSettings,
} from '../../semantics/hashes';
import type { EditSpec, Report } from '../rule';
import { defineRule } from '../rule';
import { includeTrail, nameSpan, refused, shown } from '../support';

/** A key of a hash and the word it comes from. */
interface Named {
  directive: ConfigDirective;
  /** The argument (a server name) or, for a map entry, undefined: the entry's key is its name. */
  arg?: number;
  text: string;
  filed: ReturnType<typeof fileName>;
}

/** One hash nginx builds, with what it is built from and where its sizes are set. */
interface HashSite {
  kind: 'server names' | 'map keys' | 'variable names';
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

function sizeSetting(directive: ConfigDirective | undefined, byDefault: number): number | undefined {
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
function mainBlocks(model: ConfigModel): ConfigBlock[] {
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
function serverNameSites(block: ConfigBlock, version: string): HashSite[] {
  const stream = block.context === 'stream';
  if (stream && versionNumber(version) < versionNumber('1.25.5')) return [];
  const max = setAt(block, 'server_names_hash_max_size');
  const bucket = setAt(block, 'server_names_hash_bucket_size');
  const maxSize = sizeSetting(max, 512);
  const bucketSize = sizeSetting(bucket, CACHE_LINE);
  if (maxSize === undefined || bucketSize === undefined) return []; // an invalid number: nginx/invalid-value
  const settings = { name: 'server_names_hash', maxSize, bucketSize: alignToCacheLine(bucketSize) };

  // by socket: a quic (or stream udp) listen is a port of its own beside TCP's on the same address
  const servers = new Map<string, { address: string; list: Array<{ server: ConfigDirective; isDefault: boolean }> }>();
  const add = (address: string, udp: boolean, server: ConfigDirective, isDefault: boolean) => {
    const key = `${address}${udp ? ' udp' : ''}`;
    const group = servers.get(key) ?? { address, list: [] };
    if (!group.list.some((s) => s.server === server)) group.list.push({ server, isDefault });
    servers.set(key, group);
  };
  for (const entry of listenEntries(block)) add(entry.address, entry.udp, entry.server, entry.defaultServer);
  // a server without listen gets *:80 when the block is merged, after every listen written
  if (!stream) {
    for (const server of block.items) {
      if (server.node.name === 'server' && server.block && !server.block.items.some((d) => d.node.name === 'listen')) add('0.0.0.0:80', false, server, false);
    }
  }

  const sites: HashSite[] = [];
  for (const { address, list } of servers.values()) {
    const defaultServer = (list.find((s) => s.isDefault) ?? list[0])!.server;
    if (list.length < 2 && !captures(defaultServer)) continue;
    const names = list.flatMap(({ server }) => serverNames(server));
    sites.push({
      kind: 'server names',
      settings,
      names: names.filter((n) => !n.text.startsWith('~')),
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

/** A server's names as its server_name lines give them, or "" when it has none. */
function serverNames(server: ConfigDirective): Named[] {
  const lines = server.block!.items.filter((d) => d.node.name === 'server_name' && d.node.terminator === ';');
  if (lines.length === 0) return [{ directive: server, text: '', filed: fileName('') }];
  return lines.flatMap((directive) =>
    directive.node.args.flatMap((arg, i) =>
      // $hostname is the machine's name, which only nginx's machine knows
      arg.value === '$hostname' ? [] : [{ directive, arg: i, text: arg.value, filed: arg.value.startsWith('~') ? { kind: 'invalid' as const } : fileName(lowercased(keyBytes(arg.value, directive.file.latin1))) }],
    ),
  );
}

/** The hash of each map of a block; its sizes are those set before the first map, which fixes them. */
function mapSites(block: ConfigBlock): HashSite[] {
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

const DEFINERS = [...DEFINES_FIRST, 'map', 'split_clients', 'geo'];

/** The argument holding the variable a directive adds to the variables hash, if it adds one. */
function definedArgument(directive: ConfigDirective): number | undefined {
  const { node } = directive;
  if (node.terminator === null || directive.parent.context === 'opaque') return undefined;
  const at = DEFINES_FIRST.has(node.name) ? 0 : node.name === 'map' || node.name === 'split_clients' ? 1 : node.args.length - 1;
  return node.args[at]?.value.startsWith('$') ? at : undefined;
}

/**
 * The variables hash of a block, built when it ends (ngx_http_variables_init_vars, after the unknown
 * variables): nginx's own variables (all short) and those the configuration adds. Named captures are
 * left out: PCRE2 refuses names over 32 bytes.
 */
function variableSite(model: ConfigModel, block: ConfigBlock): HashSite | undefined {
  const max = setAt(block, 'variables_hash_max_size');
  const bucket = setAt(block, 'variables_hash_bucket_size');
  const maxSize = sizeSetting(max, 1024);
  const bucketSize = sizeSetting(bucket, 64);
  const anchor = block.owner ?? block.items[0];
  if (maxSize === undefined || bucketSize === undefined || !anchor) return undefined;
  const names: Named[] = [];
  for (const name of DEFINERS) {
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
function outcomeOf(site: HashSite): { outcome: HashOutcome; invalid?: Named } {
  if (site.partial) return { outcome: refusedSizes(site.names.map((n) => (n.filed.kind === 'exact' ? n.filed.key : '')), site.settings) ?? { kind: 'ok' } };
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
function longestElement(name: Named): number {
  if (name.filed.kind === 'invalid') return 0;
  if (name.filed.kind === 'exact') return name.filed.key.length;
  return Math.max(...name.filed.key.split('.').map((label) => label.length));
}

const DIRECTIVE: Record<HashSite['kind'], string> = { 'server names': 'server_names_hash', 'map keys': 'map_hash', 'variable names': 'variables_hash' };

/** The smallest power-of-two bucket size, above the one in effect, with which the hash builds without a warning. */
function bucketWithoutWarning(site: HashSite): number | undefined {
  for (let size = site.settings.bucketSize * 2; size <= 4096; size *= 2) {
    if (outcomeOf({ ...site, settings: { ...site.settings, bucketSize: size } }).outcome.kind === 'ok') return size;
  }
  return undefined;
}

/** The edit that sets the bucket size to `size`: the value of the line in effect, or a new line above the first server or map. */
function setBucketSize(site: HashSite, size: number): EditSpec | undefined {
  if (site.fixed) return undefined;
  const line = site.bucketSize;
  if (line) {
    const arg = line.node.args[0]!;
    return { file: line.file, start: arg.start, end: arg.end, newText: String(size) };
  }
  return site.insertAbove ? atHttpLevel(site.insertAbove, [`${DIRECTIVE[site.kind]}_bucket_size ${size};`]) : undefined;
}

/** Contexts where the `*_headers_hash_*` sizes may be set. */
const SIZED_CONTEXTS = new Set(['http', 'http.server', 'http.location']);

/** The header hashes nginx builds when it merges the servers and locations of `http` (semantics/header-hashes.ts). */
function reportHeaderHashes(model: ConfigModel, http: ConfigBlock, version: string, report: (r: Report<'bucket' | 'setting', 'raise'>) => void): void {
  const servers = http.items.flatMap((d) => (d.node.name === 'server' && d.block ? [d.block] : []));
  if (servers.length === 0) return; // nothing is merged
  const reported = new Set<string>();
  for (const refusal of headerHashRefusals(http, servers, (name) => model.named(name), version)) {
    const { hash, key, level, settings } = refusal;
    const at = key?.directive ?? refusal.setting ?? level.owner!;
    const id = `${at.seq} ${refusal.message}`;
    if (reported.has(id)) continue;
    reported.add(id);
    // found as ngx_http_merge_servers merges the module's settings, level after level
    const nginx = { seq: level.owner!.seq + 0.5, line: 0, unlocated: true, foundAt: (http.endSeq ?? Number.MAX_SAFE_INTEGER) - 0.5 + hash.order / 10, message: refusal.message };
    const what = `the header names of ${hash.directives[0]}`;
    if (!key) {
      report({ message: 'setting', data: { nginx: refusal.message, what }, file: at.file, ...nameSpan(at), related: includeTrail(at), nginx });
      continue;
    }
    const size = bucketSizeFor(key.length);
    const name = `${hash.sizedBy}_bucket_size`;
    const line = refusal.setting;
    const edit = !hash.sizedBy ? undefined : line ? { file: line.file, start: line.node.args[0]!.start, end: line.node.args[0]!.end, newText: String(size) } : SIZED_CONTEXTS.has(level.context) ? addSettings(level, [`${name} ${size};`]) : undefined;
    const arg = key.directive.node.args[0]!;
    report({
      message: 'bucket',
      data: { nginx: refusal.message, what, usable: settings.bucketSize - 8, name: shown(arg.value), element: elementSize(key.length), bytes: key.length },
      file: key.directive.file,
      start: arg.start,
      end: arg.end,
      related: includeTrail(key.directive),
      nginx,
      fixes: edit ? [{ fix: 'raise', data: { directive: name, size }, edits: [edit] }] : [],
    });
  }
}

export default defineRule({
  meta: {
    id: 'nginx/hash-size',
    defaultSeverity: 'error',
    messages: {
      bucket: {
        text: '{nginx}.',
        ...refused(
          'nginx keeps {what} in a hash whose buckets hold {usable} bytes of entries; "{name}" ({bytes} bytes) makes an entry of {element} with its length and value pointer. ' +
            'It says so once it has read the block, with no file or line.',
        ),
      },
      setting: {
        text: '{nginx}.',
        ...refused('nginx checks the sizes of the hash of {what} when it builds it, once it has read the block, and names no file or line.'),
      },
      invalid: {
        text: '{nginx}.',
        ...refused('nginx files the names of the servers that share an address when the http block ends: a name may hold one "*", at its start ("*.example.com") or end ("www.example.*").'),
      },
      notOptimal: {
        text: 'nginx -t warns: {nginx}.',
        severity: 'warning',
        why:
          'nginx finds no table of at most {max} buckets of {bucketSize} bytes that holds the {count} {what}: it builds one of {max} buckets ' +
          'with longer buckets and prints this warning at every start, reload and nginx -t, where it hides the warnings that matter.',
      },
    },
    fixes: {
      raise: { title: 'Set {directive} to {size}', applicability: 'safe' },
    },
    reads: [
      ...['server_name', 'listen', 'server_names_hash_max_size', 'server_names_hash_bucket_size', 'map_hash_max_size', 'map_hash_bucket_size'],
      ...['variables_hash_max_size', 'variables_hash_bucket_size', ...DEFINERS, 'proxy_headers_hash_max_size', 'proxy_headers_hash_bucket_size'],
      ...HEADER_HASHES.flatMap((hash) => hash.directives),
    ],
    docs: {
      summary: 'A server name, map key, variable or header name too long for its hash bucket, hash sizes nginx refuses, and hashes nginx -t warns about.',
      whatItDoes:
        'Builds the hashes nginx builds from the configuration, as `ngx_hash_init` builds them on 64-bit Linux (cache line 64): the server ' +
        'names of every address and port that several servers share (or whose default server\'s name is a regex with captures), in http ' +
        'and, since 1.25.5, in stream; the keys of every `map`; and the variables of each http and stream block (those `set`, `map`, `geo` ' +
        'and the like add, beside nginx\'s own); and, when it merges each server and location, the header names of `proxy_set_header` and ' +
        '`proxy_hide_header` (sized by `proxy_headers_hash_*`), of grpc\'s and of the `*_hide_header` and `HTTP_` params of fastcgi, uwsgi ' +
        'and scgi (512 buckets of 64 bytes, which no directive changes). A bucket holds a name of at most 46 bytes by default (a wildcard name ' +
        'is stored label by label), `*_hash_max_size` may not be 0 and `*_hash_bucket_size` not above 65472: nginx refuses the ' +
        'configuration otherwise. When no table of at most `*_hash_max_size` buckets holds every key, nginx -t warns "could not build ' +
        'optimal": reported as a warning (not for variables, whose hash also holds the variables of every module nginx was built with). `map_hash_*` counts as set only before the first `map`, which fixes it (after it, nginx says ' +
        '"is duplicate").',
      whyItMatters:
        'A second server with a long name (`server_name workspaces-gateway.eu-west-1.internal.example.com`) is enough: nginx refuses to ' +
        'start, naming neither the file nor the line. The fix sets the bucket size to the next power of two that holds it.',
      example: 'server {\n    listen 443 ssl;\n    server_name kasm-workspaces-streaming-gateway.eu-west.example.com;\n}\nserver {\n    listen 443 ssl;\n    server_name admin.example.com;\n}',
      useInstead:
        'server_names_hash_bucket_size 128;\n\nserver {\n    listen 443 ssl;\n    server_name kasm-workspaces-streaming-gateway.eu-west.example.com;\n}\n' +
        'server {\n    listen 443 ssl;\n    server_name admin.example.com;\n}',
      fixSafety: 'Raises the bucket size in the line that sets it, or adds the line at http level (above the first map for map_hash_bucket_size): only memory changes. Safe.',
      references: ['https://nginx.org/en/docs/hash.html', 'https://nginx.org/en/docs/http/server_names.html#optimization'],
    },
  },
  check({ model, catalog, report }) {
    for (const block of mainBlocks(model)) {
      if (block.context === 'http') reportHeaderHashes(model, block, catalog.version, report);
      const variables = variableSite(model, block);
      for (const site of [...mapSites(block), ...(variables ? [variables] : []), ...serverNameSites(block, catalog.version)]) {
        const { outcome, invalid } = outcomeOf(site);
        const nginx = (message: string) => ({ seq: site.anchor.seq, line: 0, unlocated: true, foundAt: site.foundAt, message });
        const what = site.kind === 'server names' ? `the names of the servers on ${site.address}` : site.kind === 'map keys' ? 'the keys of this map' : 'the names of its variables';
        if (invalid) {
          const message = `invalid server name or wildcard "${invalid.text}" on ${site.address}`;
          const arg = invalid.directive.node.args[invalid.arg ?? 0];
          report({
            message: 'invalid',
            data: { nginx: message },
            file: invalid.directive.file,
            ...(arg ?? nameSpan(invalid.directive)),
            related: includeTrail(invalid.directive),
            nginx: nginx(message),
          });
          continue;
        }
        if (outcome.kind === 'ok') continue;
        const warning = outcome.kind === 'warning' ? outcome.message : outcome.warning;
        if (warning) {
          const at = site.bucketSize ?? site.maxSize ?? site.anchor;
          report({
            message: 'notOptimal',
            data: { nginx: warning, max: site.settings.maxSize, bucketSize: site.settings.bucketSize, count: site.names.length, what },
            file: at.file,
            ...nameSpan(at),
            related: includeTrail(at),
            fixes: () => {
              const size = bucketWithoutWarning(site);
              const edit = size === undefined ? undefined : setBucketSize(site, size);
              return edit && size ? [{ fix: 'raise', data: { directive: `${DIRECTIVE[site.kind]}_bucket_size`, size }, edits: [edit] }] : [];
            },
          });
        }
        if (outcome.kind !== 'error') continue;
        const culprit = outcome.key ? site.names.find((n) => elementSize(longestElement(n)) + 8 > site.settings.bucketSize) : undefined;
        if (culprit) {
          const length = longestElement(culprit);
          const size = bucketSizeFor(length);
          const arg = culprit.directive.node.args[culprit.arg ?? -1];
          // a variable's line may sit in a location: the setting goes above the server holding it
          const edit = setBucketSize(site.kind === 'variable names' && !site.bucketSize && block.context === 'http' ? { ...site, insertAbove: culprit.directive.parent } : site, size);
          report({
            message: 'bucket',
            data: { nginx: outcome.message, what, usable: site.settings.bucketSize - 8, name: shown(culprit.text), element: elementSize(length), bytes: length },
            file: culprit.directive.file,
            ...(arg ? { start: arg.start, end: arg.end } : nameSpan(culprit.directive)),
            related: includeTrail(culprit.directive),
            nginx: nginx(outcome.message),
            fixes: edit ? [{ fix: 'raise', data: { directive: `${DIRECTIVE[site.kind]}_bucket_size`, size }, edits: [edit] }] : [],
          });
          continue;
        }
        const at = (outcome.setting === 'max_size' ? site.maxSize : site.bucketSize) ?? site.anchor;
        report({ message: 'setting', data: { nginx: outcome.message, what }, file: at.file, ...nameSpan(at), related: includeTrail(at), nginx: nginx(outcome.message) });
      }
    }
  },
});
