// The hashes of header names nginx builds when it merges each server and location, once the http
// block is read: proxy_headers_hash (the names of proxy_set_header and proxy_hide_header with their
// defaults, sized by proxy_headers_hash_*: ngx_http_proxy_merge_loc_conf), grpc_headers_hash, the
// *_hide_headers_hash of fastcgi, uwsgi and scgi (ngx_http_upstream_hide_headers_hash), and the
// *_params_hash of their HTTP_ params (the header names they set). All but proxy's are 512 buckets of
// 64 bytes. A level builds its hash when it sets its own lines of the hash's directives; the first
// server builds the one it inherits from the http level, which the levels that set none share.
// (proxy_pass_header and its kin take their names out of the hash: they never make it fail.)

import type { ConfigBlock, ConfigDirective } from '../model/config';
import { effective } from '../model/effective';
import { sizeSetting } from './block-hashes';
import { alignToCacheLine, CACHE_LINE, elementSize, keyBytes, refusedSizes, type HashSettings } from './hashes';
import { parseDecimal } from './values';

interface HeaderHash {
  /** The hash's name as nginx prints it. */
  name: string;
  /** The directives whose first argument is a name in the hash (a param's, past `HTTP_`). */
  directives: readonly string[];
  params?: boolean;
  /** Sized by `<sizedBy>_max_size` and `<sizedBy>_bucket_size` (proxy only); else 512 buckets of a cache line. */
  sizedBy?: string;
  /** The module's place among nginx's http modules: its merges run after those of the modules before it. */
  order: number;
}

// (proxy and grpc build two hashes of one name: the headers they set and the headers they hide)
export const HEADER_HASHES: readonly HeaderHash[] = [
  { name: 'proxy_headers_hash', directives: ['proxy_hide_header'], sizedBy: 'proxy_headers_hash', order: 1 },
  { name: 'proxy_headers_hash', directives: ['proxy_set_header'], sizedBy: 'proxy_headers_hash', order: 1 },
  { name: 'fastcgi_hide_headers_hash', directives: ['fastcgi_hide_header'], order: 2 },
  { name: 'fastcgi_params_hash', directives: ['fastcgi_param'], params: true, order: 2 },
  { name: 'uwsgi_hide_headers_hash', directives: ['uwsgi_hide_header'], order: 3 },
  { name: 'uwsgi_params_hash', directives: ['uwsgi_param'], params: true, order: 3 },
  { name: 'scgi_hide_headers_hash', directives: ['scgi_hide_header'], order: 4 },
  { name: 'scgi_params_hash', directives: ['scgi_param'], params: true, order: 4 },
  { name: 'grpc_headers_hash', directives: ['grpc_hide_header'], order: 5 },
  { name: 'grpc_headers_hash', directives: ['grpc_set_header'], order: 5 },
];

export interface HeaderHashRefusal {
  hash: HeaderHash;
  message: string;
  /** The level whose merge builds the hash. */
  level: ConfigBlock;
  /** The line whose name does not fit, and its length in bytes. */
  key?: { directive: ConfigDirective; length: number };
  /** The size line at fault (max_size 0, a bucket over 64k). */
  setting?: ConfigDirective;
  settings: HashSettings;
}

function sizeAt(level: ConfigBlock, name: string, version: string, byDefault: number): { directive?: ConfigDirective; value?: number } {
  const directive = effective(level, name, version).directives.at(-1);
  return { directive, value: sizeSetting(directive, byDefault) };
}

/** The name a line puts in the hash, if it puts one. */
function keyOf(hash: HeaderHash, directive: ConfigDirective): string | undefined {
  const name = directive.node.args[0]?.value;
  if (name === undefined || directive.node.terminator !== ';') return undefined;
  if (!hash.params) return name;
  return name.length > 5 && name.startsWith('HTTP_') ? name.slice(5) : undefined;
}

/**
 * The levels whose merge builds `hash`, each with the lines in effect there: every level inside `http`
 * that sets its own lines, and the first server that sets none (it builds the http level's hash, of
 * nginx's defaults at least, which every level that sets none then shares).
 */
function buildingLevels(hash: HeaderHash, http: ConfigBlock, servers: readonly ConfigBlock[], lines: readonly ConfigDirective[], version: string): Array<{ level: ConfigBlock; lines: ConfigDirective[] }> {
  const levels = new Set<ConfigBlock>();
  for (const line of lines) if (line.parent !== http) levels.add(line.parent);
  const inheriting = servers.find((server) => !levels.has(server));
  if (inheriting) levels.add(inheriting);
  return [...levels].map((level) => ({ level, lines: hash.directives.flatMap((name) => effective(level, name, version).directives) }));
}

/**
 * Whether some level could refuse the hash: a name longer than the smallest bucket written (or the
 * default one) holds, a max_size of 0 or a bucket over 64k anywhere. Answered from the lines alone,
 * without working out each level's.
 */
function anyRefusalPossible(hash: HeaderHash, lines: readonly ConfigDirective[], sizers: readonly ConfigDirective[]): boolean {
  let smallestBucket = CACHE_LINE;
  for (const sizer of sizers) {
    const value = parseDecimal(sizer.node.args[0]?.value ?? '');
    if (value === undefined) continue;
    if (sizer.node.name.endsWith('_max_size')) {
      if (value === 0n) return true;
    } else {
      const bucket = alignToCacheLine(Number(value));
      if (bucket > 65536 - CACHE_LINE || bucket === 0) return true; // 0: not even nginx's own header names fit
      smallestBucket = Math.min(smallestBucket, bucket);
    }
  }
  for (const line of lines) {
    const key = keyOf(hash, line);
    if (key !== undefined && elementSize(keyBytes(key, line.file.latin1).length) + 8 > smallestBucket) return true;
  }
  return false;
}

/** What nginx refuses in the header hashes of one http block whose servers are `servers` (merged in this order). */
export function headerHashRefusals(http: ConfigBlock, servers: readonly ConfigBlock[], named: (name: string) => readonly ConfigDirective[], version: string): HeaderHashRefusal[] {
  const within = (d: ConfigDirective) => {
    for (let b: ConfigBlock | undefined = d.parent; b; b = b.parent) if (b === http) return true;
    return false;
  };
  const refusals: HeaderHashRefusal[] = [];
  for (const hash of HEADER_HASHES) {
    const lines = hash.directives.flatMap((name) => named(name)).filter(within);
    const sizers = hash.sizedBy ? [`${hash.sizedBy}_max_size`, `${hash.sizedBy}_bucket_size`].flatMap((name) => named(name)).filter(within) : [];
    if (lines.length === 0 && sizers.length === 0) continue;
    if (!anyRefusalPossible(hash, lines, sizers)) continue; // the usual case: short names, sizes left alone
    for (const { level, lines: inEffect } of buildingLevels(hash, http, servers, lines, version)) {
      const max = hash.sizedBy ? sizeAt(level, `${hash.sizedBy}_max_size`, version, 512) : { value: 512 };
      const bucket = hash.sizedBy ? sizeAt(level, `${hash.sizedBy}_bucket_size`, version, 64) : { value: CACHE_LINE };
      if (max.value === undefined || bucket.value === undefined) continue; // an invalid number: nginx/invalid-value
      const settings = { name: hash.name, maxSize: max.value, bucketSize: alignToCacheLine(bucket.value) };
      const keyed = inEffect.flatMap((directive) => {
        const key = keyOf(hash, directive);
        return key === undefined ? [] : [{ directive, key: keyBytes(key, directive.file.latin1) }];
      });
      // nginx's own names (Host, Connection...; Date, Server...) are always in the hash: short, but not nothing
      const refused = refusedSizes([...keyed.map((k) => k.key), 'Host'], settings);
      if (!refused) continue;
      const culprit = refused.key === undefined ? undefined : keyed.find((k) => k.key === refused.key);
      refusals.push({
        hash,
        message: refused.message,
        level,
        settings,
        key: culprit && { directive: culprit.directive, length: culprit.key.length },
        setting: refused.setting === 'max_size' ? max.directive : bucket.directive,
      });
    }
  }
  return refusals;
}
