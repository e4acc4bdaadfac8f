import type { ConfigBlock, ConfigDirective, ConfigModel } from '../../model/config';
import { effective } from '../../model/effective';
import { parseDecimal, parseSize } from '../../semantics/values';
import { defineRule } from '../rule';
import { httpBlocks, mergeFoundAt, type MERGING_MODULES, serversOf, within } from '../http-merge';
import { includeTrail, refused } from '../support';

/**
 * The memory page nginx sizes its default buffers with (`8 4k|8k` in the reference: 4k on the x86-64
 * and arm64 Linux nginx runs on).
 */
const PAGE = 4096n;

/** The modules whose buffers ngx_http_<module>_merge_loc_conf checks, in nginx's module order. */
const MODULES = ['proxy', 'fastcgi', 'uwsgi', 'scgi'] as const;

interface Bufs {
  num: bigint;
  size: bigint;
}

/** A value in effect at a level: the directive that sets it (if any) and its parsed value. */
interface InEffect<T> {
  directive?: ConfigDirective;
  value: T;
}

function sizeIn(block: ConfigBlock, name: string, version: string, byDefault: bigint): InEffect<bigint> | undefined {
  const directive = effective(block, name, version).directives.at(-1);
  if (!directive) return { value: byDefault };
  const value = parseSize(directive.node.args[0]?.value ?? '');
  return value === undefined ? undefined : { directive, value };
}

function bufsIn(block: ConfigBlock, name: string, version: string): InEffect<Bufs> | undefined {
  const directive = effective(block, name, version).directives.at(-1);
  if (!directive) return { value: { num: 8n, size: PAGE } };
  const num = parseDecimal(directive.node.args[0]?.value ?? '');
  const size = parseSize(directive.node.args[1]?.value ?? '');
  return num === undefined || size === undefined ? undefined : { directive, value: { num, size } };
}

interface Refusal {
  message: string;
  /** The directives whose values clash, most specific first (the finding is shown on the first one set). */
  involved: Array<ConfigDirective | undefined>;
}

/** ngx_http_<module>_merge_loc_conf's checks of one level's buffers, in its order. */
function bufferRefusal(block: ConfigBlock, module: (typeof MODULES)[number], version: string): Refusal | undefined {
  const name = (what: string) => `${module}_${what}`;
  const bufferSize = sizeIn(block, name('buffer_size'), version, PAGE);
  const bufs = bufsIn(block, name('buffers'), version);
  if (!bufferSize || !bufs) return undefined; // an invalid value: nginx/invalid-value
  if (bufs.value.num < 2n) return { message: `there must be at least 2 "${name('buffers')}"`, involved: [bufs.directive] };
  const size = bufferSize.value > bufs.value.size ? bufferSize.value : bufs.value.size;
  const largest = `the maximum of the value of "${name('buffer_size')}" and one of the "${name('buffers')}"`;
  const busy = sizeIn(block, name('busy_buffers_size'), version, 2n * size);
  if (!busy) return undefined;
  if (busy.value < size) return { message: `"${name('busy_buffers_size')}" must be equal to or greater than ${largest}`, involved: [busy.directive, bufferSize.directive, bufs.directive] };
  if (busy.value > (bufs.value.num - 1n) * bufs.value.size) {
    return { message: `"${name('busy_buffers_size')}" must be less than the size of all "${name('buffers')}" minus one buffer`, involved: [bufs.directive, busy.directive, bufferSize.directive] };
  }
  const tempWrite = sizeIn(block, name('temp_file_write_size'), version, 2n * size);
  if (!tempWrite) return undefined;
  if (tempWrite.value < size) return { message: `"${name('temp_file_write_size')}" must be equal to or greater than ${largest}`, involved: [tempWrite.directive, bufferSize.directive, bufs.directive] };
  const maxTemp = sizeIn(block, name('max_temp_file_size'), version, 1024n * 1024n * 1024n);
  if (!maxTemp) return undefined;
  if (maxTemp.value !== 0n && maxTemp.value < size) {
    return { message: `"${name('max_temp_file_size')}" must be equal to zero to disable temporary files usage or must be equal to or greater than ${largest}`, involved: [maxTemp.directive, bufferSize.directive, bufs.directive] };
  }
  return undefined;
}

/** ngx_http_core_merge_srv_conf: the large header buffers hold a connection's pool. */
function headerBufferRefusal(server: ConfigBlock, version: string): Refusal | undefined {
  const pool = sizeIn(server, 'connection_pool_size', version, 512n);
  const large = bufsIn(server, 'large_client_header_buffers', version);
  if (!pool || !large) return undefined;
  const largeSize = large.directive ? large.value.size : 8192n;
  if (largeSize >= pool.value) return undefined;
  return { message: 'the "large_client_header_buffers" size must be equal to or greater than "connection_pool_size"', involved: [large.directive, pool.directive] };
}

/** The module's directives (or the core's), by the names nginx's merge reads. */
function namesOf(module: (typeof MODULES)[number] | 'core'): string[] {
  if (module === 'core') return ['connection_pool_size', 'large_client_header_buffers'];
  return ['buffers', 'buffer_size', 'busy_buffers_size', 'temp_file_write_size', 'max_temp_file_size'].map((what) => `${module}_${what}`);
}

const MERGED = new Set(['http.server', 'http.location', 'http.if.server', 'http.if.location', 'http.limit_except']);

/**
 * The levels whose sizes can differ, in nginx's merge order (servers in turn, each location before
 * those inside it: the reading order): the first server (every server that sets none of `names` has
 * its sizes, from the http level or nginx's defaults) and each level that sets one of them (a level
 * that sets none has the sizes of the one around it, checked before it). With none set anywhere,
 * nginx's defaults hold and nothing is checked.
 */
function levelsToCheck(model: ConfigModel, http: ConfigBlock, firstServer: ConfigBlock, names: readonly string[], core: boolean): ConfigBlock[] {
  const levels = new Set<ConfigBlock>();
  for (const name of names) {
    for (const d of model.named(name)) {
      if (!within(d.parent, http)) continue;
      if (d.parent === http) levels.add(firstServer);
      else if (core ? d.parent.context === 'http.server' : MERGED.has(d.parent.context)) levels.add(d.parent);
    }
  }
  return [...levels].sort((a, b) => a.owner!.seq - b.owner!.seq);
}

export default defineRule({
  meta: {
    id: 'nginx/buffer-sizes',
    defaultSeverity: 'error',
    messages: {
      refused: {
        text: '{nginx}.',
        ...refused('nginx checks the buffer sizes in effect in every server and location once the http block is read, and names where that block ends ({where}), not this line.'),
      },
    },
    reads: [...MODULES.flatMap(namesOf), ...namesOf('core')],
    docs: {
      summary: 'Buffer sizes that clash with each other, which nginx refuses when it merges each location\'s settings.',
      whatItDoes:
        'Works out the sizes in effect in every server, location, `if` and `limit_except` block (set there or inherited, nginx\'s defaults otherwise: ' +
        '`8 4k` buffers of one memory page) and checks them as nginx does once the http block is read: at least two `proxy_buffers`; ' +
        '`proxy_busy_buffers_size` at least the larger of `proxy_buffer_size` and one buffer, and less than all the buffers but one; ' +
        '`proxy_temp_file_write_size` and `proxy_max_temp_file_size` (unless 0) at least that size; the same for fastcgi, uwsgi and scgi; and ' +
        '`large_client_header_buffers` at least `connection_pool_size`. The default of `proxy_busy_buffers_size` is twice the larger size, so ' +
        'smaller buffers alone can break it.',
      whyItMatters:
        'nginx refuses the whole configuration, naming the end of the http block rather than the directive: lowering `proxy_buffers` to save ' +
        'memory is a common way to take a proxy down on reload.',
      example: 'location / {\n    proxy_buffers 4 2k;\n    proxy_pass http://backend;\n}',
      useInstead: 'location / {\n    proxy_buffers 4 4k;\n    proxy_busy_buffers_size 8k;\n    proxy_pass http://backend;\n}',
    },
  },
  check({ model, catalog, report }) {
    const version = catalog.version;
    for (const { block: http, end } of httpBlocks(model)) {
      const where = end ? `line ${end.line} of ${end.file.path.split('/').pop()}` : "the image's nginx.conf";
      const reported = new Set<string>();
      const refuse = (level: ConfigBlock, refusal: Refusal, module: keyof typeof MERGING_MODULES) => {
        const at = refusal.involved.find((d) => d !== undefined) ?? level.owner!;
        const key = `${at.seq} ${refusal.message}`;
        if (reported.has(key)) return;
        reported.add(key);
        report({
          message: 'refused',
          data: { nginx: refusal.message, where },
          file: at.file,
          start: at.node.start,
          end: at.node.end,
          related: includeTrail(at),
          // found when ngx_http_block merges the servers, module after module, before the locations are sorted
          nginx: {
            seq: level.owner!.seq,
            line: end?.line ?? 0,
            file: end?.file.path,
            unlocated: end === undefined,
            message: refusal.message,
            foundAt: mergeFoundAt(http, module),
          },
        });
      };
      const firstServer = serversOf(http)[0];
      if (!firstServer) continue; // nothing is merged
      for (const level of levelsToCheck(model, http, firstServer, namesOf('core'), true)) {
        const refusal = headerBufferRefusal(level, version);
        if (refusal) refuse(level, refusal, 'core');
      }
      for (const module of MODULES) {
        for (const level of levelsToCheck(model, http, firstServer, namesOf(module), false)) {
          const refusal = bufferRefusal(level, module, version);
          if (refusal) refuse(level, refusal, module);
        }
      }
    }
  },
});
