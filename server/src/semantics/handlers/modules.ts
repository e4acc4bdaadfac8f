// Checks of less common modules' handlers, each from nginx 1.22.1's source (the file and line named).

import type { ConfigDirective } from '../../model/config';
import type { Handler, HandlerError } from '../handler';
import { parseDecimal, parseSize, parseTime } from '../values';

/** A size that must be a power of two in a range (post handlers of gzip_window and gzip_hash, ngx_http_gzip_filter_module.c:1147 and :1171). */
function powerOfTwoSize(name: string, allowed: readonly string[]): (directive: ConfigDirective) => HandlerError | undefined {
  const sizes = new Set(allowed.map((a) => parseSize(a)));
  return ({ node }) => {
    const value = node.args[0];
    const size = value && parseSize(value.value);
    if (!value || size === undefined || sizes.has(size)) return undefined;
    const list = `${allowed.slice(0, -1).join(', ')}, or ${allowed.at(-1)}`;
    return { message: `"${name}" directive must be ${list}`, at: value, explain: `${name} takes one of ${list} bytes.` };
  };
}

/** sub_filter with an empty string to find (ngx_http_sub_filter, ngx_http_sub_filter_module.c:800). */
function emptySubFilter({ node }: ConfigDirective): HandlerError | undefined {
  const pattern = node.args[0];
  if (!pattern || pattern.value !== '') return undefined;
  return { message: 'empty search pattern', at: pattern, explain: 'sub_filter needs a non-empty string to replace.' };
}

/** open_log_file_cache max=N [inactive=] [min_uses=] [valid=] | off (ngx_http_log_open_file_cache, ngx_http_log_module.c:1770). */
export const openLogFileCacheHandler: Handler = ({ node }) => {
  const explain = 'open_log_file_cache takes max=N (above 0), inactive=TIME, min_uses=N and valid=TIME, or off.';
  let max = 0n;
  let off = false;
  for (const token of node.args) {
    const word = token.value;
    let ok: boolean;
    if (word.startsWith('max=')) {
      const value = parseDecimal(word.slice(4));
      ok = value !== undefined;
      max = value ?? 0n;
    } else if (word.startsWith('inactive=')) ok = parseTime(word.slice(9), true) !== undefined;
    else if (word.startsWith('min_uses=')) ok = parseDecimal(word.slice(9)) !== undefined;
    else if (word.startsWith('valid=')) ok = parseTime(word.slice(6), true) !== undefined;
    else {
      ok = word === 'off';
      off ||= ok;
    }
    if (!ok) return { message: `invalid "open_log_file_cache" parameter "${word}"`, at: token, explain };
  }
  if (!off && max === 0n) return { message: '"open_log_file_cache" must have "max" parameter', at: node.nameToken, explain };
  return undefined;
};

/**
 * The store and the cache of one module at one level: the second read refuses the first
 * (ngx_http_proxy_store and ngx_http_proxy_cache, ngx_http_proxy_module.c:4730 and :4784; fastcgi's,
 * uwsgi's and scgi's alike). "off" is always taken.
 */
function storeOrCache(directive: ConfigDirective): HandlerError | undefined {
  const { node } = directive;
  const [module, kind] = node.name.split('_') as [string, string];
  if (node.args[0]?.value === 'off') return undefined;
  const other = `${module}_${kind === 'store' ? 'cache' : 'store'}`;
  const items = directive.parent.items;
  const earlier = items.slice(0, items.indexOf(directive)).find((d) => d.node.name === other && d.node.terminator === ';' && d.node.args[0]?.value !== 'off');
  if (!earlier) return undefined;
  return { message: `"${node.name}" directive is incompatible with "${other}"`, at: node.nameToken, explain: `A ${module} level either stores responses (${module}_store) or caches them (${module}_cache), not both.` };
}

/** The store and cache directives, each checked against its sibling. */
export const STORE_AND_CACHE: readonly string[] = ['proxy', 'fastcgi', 'uwsgi', 'scgi'].flatMap((m) => [`${m}_store`, `${m}_cache`]);

/**
 * Checks made once the generic parsers have read the arguments (post handlers, or a handler's own
 * checks before it compiles the values), by directive: the values' script errors come after them.
 */
export const AFTER_SLOT: Readonly<Record<string, (directive: ConfigDirective) => HandlerError | undefined>> = {
  gzip_window: powerOfTwoSize('gzip_window', ['512', '1k', '2k', '4k', '8k', '16k', '32k']),
  gzip_hash: powerOfTwoSize('gzip_hash', ['512', '1k', '2k', '4k', '8k', '16k', '32k', '64k', '128k']),
  sub_filter: emptySubFilter,
  ...Object.fromEntries(STORE_AND_CACHE.map((name) => [name, storeOrCache])),
};
