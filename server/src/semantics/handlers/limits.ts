// The parameters of the rate and connection limits (http/modules/ngx_http_limit_req_module.c,
// ngx_http_limit_conn_module.c, and their stream twins): zone=NAME:SIZE, rate=, burst=, delay=.

import type { Token } from '../../nginx/ast';
import { versionNumber } from '../../nginx/directives';
import type { Handler, HandlerError } from '../handler';
import { parseSize } from '../values';
import { scriptError } from './rewrite';

/** A shared zone must hold at least 8 pages (4 KiB pages on x86-64 Linux). */
const MIN_ZONE = 8 * 4096;

function atoi(text: string): number {
  return /^[0-9]+$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : -1;
}

function zoneError(token: Token): HandlerError | undefined {
  const spec = token.value.slice(5);
  const colon = spec.indexOf(':');
  const explain = 'A zone is written zone=name:size, the size in bytes with k or m (at least 32k).';
  if (colon < 0) return { message: `invalid zone size "${token.value}"`, at: token, explain };
  const size = parseSize(spec.slice(colon + 1));
  if (size === undefined) return { message: `invalid zone size "${token.value}"`, at: token, explain };
  if (size < MIN_ZONE) return { message: `zone "${token.value}" is too small`, at: token, explain };
  return undefined;
}

/** limit_req_zone KEY zone=NAME:SIZE rate=N(r/s|r/m); limit_conn_zone KEY zone=NAME:SIZE. */
export const zoneDefinitionHandler: Handler = ({ node }) => {
  const withRate = node.name === 'limit_req_zone';
  const key = scriptError(node.args[0]!);
  if (key) return key;
  let named = false;
  for (const token of node.args.slice(1)) {
    const word = token.value;
    if (word.startsWith('zone=')) {
      const error = zoneError(token);
      if (error) return error;
      named = word.slice(5).indexOf(':') > 0;
      continue;
    }
    if (withRate && word.startsWith('rate=')) {
      let digits = word.slice(5);
      if (word.endsWith('r/s') || word.endsWith('r/m')) digits = word.slice(5, -3);
      if (atoi(digits) <= 0) return { message: `invalid rate "${word}"`, at: token, explain: 'A rate is a whole number of requests per second or minute: rate=10r/s, rate=30r/m.' };
      continue;
    }
    return { message: `invalid parameter "${word}"`, at: token, explain: withRate ? `${node.name} takes a key, zone=name:size and rate=N r/s or r/m.` : `${node.name} takes a key and zone=name:size.` };
  }
  if (!named) return { message: `"${node.name}" must have "zone" parameter`, at: node.nameToken, explain: 'Name the zone and its size: zone=name:10m.' };
  return undefined;
};

/** limit_req zone=NAME [burst=N] [nodelay | delay=N]. */
export const limitReqHandler: Handler = ({ node }, { catalog }) => {
  const version = versionNumber(catalog.version);
  const explain = 'limit_req takes zone=name, then burst=N, nodelay or delay=N (N a positive whole number).';
  let zone = false;
  for (const token of node.args) {
    const word = token.value;
    if (word.startsWith('zone=')) {
      zone = true;
      continue;
    }
    if (word.startsWith('burst=')) {
      if (atoi(word.slice(6)) <= 0) return { message: `invalid burst value "${word}"`, at: token, explain };
      continue;
    }
    if (word.startsWith('delay=') && version >= versionNumber('1.15.7')) {
      if (atoi(word.slice(6)) <= 0) return { message: `invalid delay value "${word}"`, at: token, explain };
      continue;
    }
    if (word === 'nodelay') continue;
    return { message: `invalid parameter "${word}"`, at: token, explain };
  }
  return zone ? undefined : { message: '"limit_req" must have "zone" parameter', at: node.nameToken, explain };
};

/** limit_conn ZONE N. */
export const limitConnHandler: Handler = ({ node }) => {
  const count = node.args[1]!;
  const n = atoi(count.value);
  const explain = 'limit_conn takes a zone name and the number of connections allowed (1 to 65535).';
  if (n <= 0) return { message: `invalid number of connections "${count.value}"`, at: count, explain };
  if (n > 65535) return { message: 'connection limit must be less 65536', at: count, explain };
  return undefined;
};
