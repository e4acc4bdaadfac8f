// Caches, as their handlers read them: proxy_cache_path and its fastcgi, uwsgi and scgi twins
// (ngx_http_file_cache_set_slot, src/http/ngx_http_file_cache.c: levels=, use_temp_path=,
// keys_zone=NAME:SIZE of at least two 4 KiB pages, inactive=, max_size=, min_free=, the loader_ and
// manager_ tunables; any other word is an invalid parameter, and keys_zone= is required), *_cache_valid
// (ngx_http_file_cache_valid_set_slot), open_file_cache (ngx_http_core_open_file_cache) and
// ssl_session_cache (ngx_http_ssl_session_cache, the same in stream and mail), and the levels of the
// temp paths (ngx_conf_set_path_slot). Read in nginx 1.22.1's source and tried on its nginx -t.

import type { Token } from '../../nginx/ast';
import type { Handler, HandlerError } from '../handler';
import { parseDecimal, parseOffset, parseSize, parseTime } from '../values';

/** Two pages of 4 KiB (x86-64 Linux): the smallest keys zone nginx takes. */
const MIN_KEYS_ZONE = 2n * 4096n;

/** levels=1:2 and the like: one to three levels of 1 or 2 characters, separated by ":". */
function validLevels(spec: string): boolean {
  return spec === '' || /^[12](?::[12]){0,2}$/.test(spec);
}

/** What a time-valued parameter takes (`inactive=` in seconds, the loader's and manager's in milliseconds). */
const TIMES: Record<string, boolean> = { 'inactive=': true, 'loader_sleep=': false, 'loader_threshold=': false, 'manager_sleep=': false, 'manager_threshold=': false };
const COUNTS = ['loader_files=', 'manager_files='];
const OFFSETS = ['max_size=', 'min_free='];

function parameterError(name: string, token: Token): HandlerError | undefined | 'unknown' {
  const word = token.value;
  const explain = `${name} takes a folder, then keys_zone=NAME:SIZE and optional parameters: levels=1:2, inactive=10m, max_size=1g, use_temp_path=off...`;
  if (word.startsWith('levels=')) {
    return validLevels(word.slice(7)) ? undefined : { message: `invalid "levels" "${word}"`, at: token, explain: 'levels= takes one to three levels of 1 or 2 characters, separated by ":" (levels=1:2).' };
  }
  if (word.startsWith('use_temp_path=')) {
    const value = word.slice(14);
    return value === 'on' || value === 'off' ? undefined : { message: `invalid use_temp_path value "${word}", it must be "on" or "off"`, at: token, explain };
  }
  if (word.startsWith('keys_zone=')) {
    const colon = word.indexOf(':', 10);
    const size = colon < 0 ? undefined : parseSize(word.slice(colon + 1));
    if (size === undefined) return { message: `invalid keys zone size "${word}"`, at: token, explain: 'keys_zone= takes the zone\'s name and its size: keys_zone=pages:10m (1 MB holds about 8,000 keys).' };
    if (size < MIN_KEYS_ZONE) return { message: `keys zone "${word}" is too small`, at: token, explain: 'A keys zone takes at least two pages of memory (8k).' };
    return undefined;
  }
  for (const [prefix, isSec] of Object.entries(TIMES)) {
    if (word.startsWith(prefix)) return parseTime(word.slice(prefix.length), isSec) === undefined ? { message: `invalid ${prefix.slice(0, -1)} value "${word}"`, at: token, explain } : undefined;
  }
  for (const prefix of COUNTS) {
    if (word.startsWith(prefix)) return parseDecimal(word.slice(prefix.length)) === undefined ? { message: `invalid ${prefix.slice(0, -1)} value "${word}"`, at: token, explain } : undefined;
  }
  for (const prefix of OFFSETS) {
    if (word.startsWith(prefix)) return parseOffset(word.slice(prefix.length)) === undefined ? { message: `invalid ${prefix.slice(0, -1)} value "${word}"`, at: token, explain } : undefined;
  }
  return 'unknown';
}

export const cachePathHandler: Handler = ({ node }) => {
  let zoned = false;
  for (const token of node.args.slice(1)) {
    const error = parameterError(node.name, token);
    if (error === 'unknown') {
      return { message: `invalid parameter "${token.value}"`, at: token, explain: `${node.name} takes keys_zone=, levels=, use_temp_path=, inactive=, max_size=, min_free= and the loader_ and manager_ tunables.` };
    }
    if (error) return error;
    // the last keys_zone= is the one nginx keeps; an empty name is no name
    if (token.value.startsWith('keys_zone=')) zoned = token.value.indexOf(':') > 10;
  }
  if (!zoned) return { message: `"${node.name}" must have "keys_zone" parameter`, at: node.nameToken, explain: 'A cache needs a shared memory zone for its keys: keys_zone=NAME:10m.' };
  return undefined;
};

/** proxy_cache_valid [code ... | any] time (ngx_http_file_cache_valid_set_slot): the time first, then each code. */
export const cacheValidHandler: Handler = ({ node }) => {
  const time = node.args[node.args.length - 1]!;
  if (parseTime(time.value, true) === undefined) return { message: `invalid time value "${time.value}"`, at: time, explain: `${node.name} ends with how long responses stay valid (10m, 1h); the codes, or any, come before it.` };
  for (const code of node.args.slice(0, -1)) {
    if (code.value === 'any') continue;
    const status = parseDecimal(code.value);
    if (status === undefined || status < 100n || status > 599n) return { message: `invalid status "${code.value}"`, at: code, explain: 'The codes are HTTP status codes from 100 to 599, or any.' };
  }
  return undefined;
};

/** open_file_cache max=N [inactive=TIME] | off (ngx_http_core_open_file_cache): max= above 0 is needed unless off. */
export const openFileCacheHandler: Handler = ({ node }) => {
  let max = false;
  let off = false;
  const explain = 'open_file_cache takes max=N (above 0) and inactive=TIME, or off.';
  for (const token of node.args) {
    const word = token.value;
    if (word.startsWith('max=')) {
      const value = parseDecimal(word.slice(4));
      if (value === undefined || value === 0n) return { message: `invalid "open_file_cache" parameter "${word}"`, at: token, explain };
      max = true;
    } else if (word.startsWith('inactive=')) {
      if (parseTime(word.slice(9), true) === undefined) return { message: `invalid "open_file_cache" parameter "${word}"`, at: token, explain };
    } else if (word === 'off') {
      off = true;
    } else {
      return { message: `invalid "open_file_cache" parameter "${word}"`, at: token, explain };
    }
  }
  if (!off && !max) return { message: '"open_file_cache" must have the "max" parameter', at: node.nameToken, explain };
  return undefined;
};

/** Eight pages of 4 KiB: the smallest shared SSL session cache nginx takes. */
const MIN_SESSION_CACHE = 8n * 4096n;

/** ssl_session_cache off | none | [builtin[:size]] [shared:name:size] (ngx_http_ssl_session_cache and its stream and mail twins). */
export const sslSessionCacheHandler: Handler = ({ node }) => {
  const explain = 'ssl_session_cache takes off, none, builtin[:SESSIONS] and shared:NAME:SIZE (at least 32k; 1 MB holds about 4,000 sessions).';
  for (const token of node.args) {
    const word = token.value;
    if (word === 'off' || word === 'none' || word === 'builtin') continue;
    if (word.length > 8 && word.startsWith('builtin:')) {
      if (parseDecimal(word.slice(8)) === undefined) return { message: `invalid session cache "${word}"`, at: token, explain };
      continue;
    }
    if (word.length > 7 && word.startsWith('shared:')) {
      const colon = word.indexOf(':', 7);
      const size = colon <= 7 ? undefined : parseSize(word.slice(colon + 1));
      if (size === undefined) return { message: `invalid session cache "${word}"`, at: token, explain };
      if (size < MIN_SESSION_CACHE) return { message: `session cache "${word}" is too small`, at: token, explain };
      continue;
    }
    return { message: `invalid session cache "${word}"`, at: token, explain };
  }
  return undefined;
};

/**
 * client_body_temp_path and the *_temp_path (ngx_conf_set_path_slot, src/core/ngx_file.c): after the
 * folder, up to three levels, each a whole number above 0, whose names with their "/" fit in 10 + levels.
 */
export const tempPathHandler: Handler = ({ node }) => {
  let length = 0;
  const levels = node.args.slice(1);
  for (const token of levels) {
    const level = parseDecimal(token.value);
    if (level === undefined || level === 0n) return { message: `"${node.name}" directive invalid value`, at: token, explain: `${node.name} takes a folder, then up to three levels of sub-folders, each the length of its name (1 2 makes a/bc/).` };
    length += Number(level) + 1;
  }
  if (length > 10 + levels.length) return { message: `"${node.name}" directive invalid value`, at: levels[levels.length - 1], explain: 'The levels\' names, each with its "/", may take at most 10 characters more than there are levels.' };
  return undefined;
};
