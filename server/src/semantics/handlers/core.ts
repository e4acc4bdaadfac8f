// Handlers of ngx_http_core_module and ngx_http_headers_module directives with checks of their own
// (http/ngx_http_core_module.c, http/modules/ngx_http_headers_filter_module.c, core/ngx_resolver.c).

import type { Token } from '../../nginx/ast';
import { versionNumber } from '../../nginx/directives';
import type { Handler, HandlerError } from '../handler';
import { parseUrl } from '../url';
import { hasVariables, parseTime } from '../values';
import { scriptError } from './rewrite';

export const locationHandler: Handler = ({ node }) => {
  if (node.args.length !== 2) return undefined;
  const modifier = node.args[0]!;
  if (['=', '^~', '~', '~*'].includes(modifier.value)) return undefined;
  return {
    message: `invalid location modifier "${modifier.value}"`,
    at: modifier,
    explain: 'A location modifier is =, ^~, ~ or ~* (or none), followed by the path or regex.',
  };
};

export const serverNameHandler: Handler = ({ node }) => {
  for (const arg of node.args) {
    const name = arg.value;
    if ((name.startsWith('*') && (name.length < 3 || name[1] !== '.')) || (name.startsWith('.') && name.length < 2)) {
      return { message: `server name "${name}" is invalid`, at: arg, explain: 'A wildcard name starts with "*." (as in *.example.com) or is a leading-dot name such as .example.com.' };
    }
    if (name === '~') return { message: 'empty regex in server name "~"', at: arg, explain: 'A regex server name is ~ followed by the regex, without a space.' };
  }
  return undefined;
};

export const errorPageHandler: Handler = ({ node }) => {
  const args = node.args;
  const explain = 'error_page takes status codes (300 to 599, not 499), optionally =response, then the URI.';
  let n = 1;
  const changer = args[args.length - 2]!;
  if (changer.value.startsWith('=')) {
    if (args.length === 2) return { message: `invalid value "${changer.value}"`, at: changer, explain };
    if (changer.value.length > 1 && !/^[0-9]+$/.test(changer.value.slice(1))) return { message: `invalid value "${changer.value}"`, at: changer, explain };
    n = 2;
  }
  const uriError = scriptError(args[args.length - 1]!);
  if (uriError) return uriError;
  for (const arg of args.slice(0, args.length - n)) {
    const code = /^[0-9]+$/.test(arg.value) ? Number(arg.value) : Number.NaN;
    if (Number.isNaN(code) || code === 499) return { message: `invalid value "${arg.value}"`, at: arg, explain };
    if (code < 300 || code > 599) return { message: `value "${arg.value}" must be between 300 and 599`, at: arg, explain };
  }
  return undefined;
};

/** add_header and add_trailer: NAME VALUE [always]. */
export const addHeaderHandler: Handler = ({ node }) => {
  const third = node.args[2];
  if (third && third.value !== 'always') {
    return {
      message: `invalid parameter "${third.value}"`,
      at: third,
      explain: 'The third argument can only be "always". A value with spaces must be quoted as one argument.',
    };
  }
  return scriptError(node.args[1]!);
};

/**
 * expires [modified] time|epoch|max|off: ngx_http_headers_expires and ngx_http_parse_expires
 * (http/modules/ngx_http_headers_filter_module.c). A value with variables is only compiled: it is
 * parsed per request, and a bad one then sends no Expires header.
 */
export const expiresHandler: Handler = ({ node }) => {
  const explain = 'expires takes a time (12h, -1, +1d, @18h30m for a time of day), epoch, max or off, after "modified" to count from the Last-Modified date.';
  const modified = node.args.length === 2;
  if (modified && node.args[0]!.value !== 'modified') return { message: '"expires" directive invalid value', at: node.args[0], explain };
  const token = node.args[modified ? 1 : 0]!;
  if (hasVariables(token.value)) return scriptError(token);
  let value = token.value;
  if (!modified && (value === 'epoch' || value === 'max' || value === 'off')) return undefined;
  const daily = value.startsWith('@');
  if (daily && modified) return { message: '"expires" directive daily time cannot be used with "modified" parameter', at: token, explain };
  if (daily || value.startsWith('+') || value.startsWith('-')) value = value.slice(1);
  const seconds = parseTime(value, true);
  if (seconds === undefined) return { message: '"expires" directive invalid value', at: token, explain };
  if (daily && seconds > 24n * 60n * 60n) return { message: '"expires" directive daily time value must be less than 24 hours', at: token, explain };
  return undefined;
};

/** charset, source_charset (http/modules/ngx_http_charset_filter_module.c): a name, or "$" and a variable's name. */
export const charsetHandler: Handler = ({ node }) => {
  const value = node.args[0]!;
  if (value.value !== '$') return undefined;
  return { message: 'invalid variable name "$"', at: value, explain: `${node.name} takes a charset's name (utf-8) or a variable holding one ($charset).` };
};

export const tryFilesHandler: Handler = ({ node }) => {
  for (const arg of node.args) {
    const error = scriptError(arg);
    if (error) return error;
  }
  const last = node.args[node.args.length - 1]!;
  if (last.value.startsWith('=')) {
    const code = /^[0-9]+$/.test(last.value.slice(1)) ? Number(last.value.slice(1)) : Number.NaN;
    if (Number.isNaN(code) || code > 999) return { message: `invalid code "${last.value}"`, at: last, explain: 'The last argument of try_files is a URI, a named location, or =code.' };
  }
  return undefined;
};

/** root and alias: nginx refuses the variables that depend on the root itself. */
export const rootHandler: Handler = (directive) => {
  const { node } = directive;
  const value = node.args[0]!;
  // one of root and alias per block (the same one twice is nginx/duplicate-directive's)
  const other = node.name === 'root' ? 'alias' : 'root';
  if (directive.parent.items.some((d) => d.node.name === other && d.seq < directive.seq && d.node.terminator === ';')) {
    return { message: `"${node.name}" directive is duplicate, "${other}" directive was specified earlier`, at: node.nameToken, explain: 'A location takes root or alias, not both: alias replaces the matched part of the path, root is put before the whole path.' };
  }
  if (node.name === 'alias' && directive.parent.owner?.node.name === 'location' && directive.parent.owner.node.args[0]?.value.startsWith('@')) {
    return { message: 'the "alias" directive cannot be used inside the named location', at: node.nameToken, explain: 'A named location matches no path for alias to replace: use root there.' };
  }
  for (const variable of ['document_root', 'realpath_root']) {
    if (value.value.includes(`$${variable}`) || value.value.includes(`\${${variable}}`)) {
      return {
        message: `the $${variable} variable cannot be used in the "${node.name}" directive`,
        at: value,
        explain: `$${variable} is computed from ${node.name} itself.`,
      };
    }
  }
  return scriptError(value);
};

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'MKCOL', 'COPY', 'MOVE', 'OPTIONS', 'PROPFIND', 'PROPPATCH', 'LOCK', 'UNLOCK', 'PATCH']);

export const limitExceptHandler: Handler = (directive) => {
  const { node } = directive;
  // (checked before the methods: ngx_http_core_limit_except)
  if (directive.parent.items.some((d) => d.node.name === 'limit_except' && d.seq < directive.seq && d.block)) {
    return { message: '"limit_except" directive is duplicate', at: node.nameToken, explain: 'A location takes one limit_except block: list every method it allows in that one.' };
  }
  const bad = node.args.find((a) => !METHODS.has(a.value.toUpperCase()));
  return bad ? { message: `invalid method "${bad.value}"`, at: bad, explain: `limit_except takes HTTP methods: ${[...METHODS].join(', ')}.` } : undefined;
};

/** resolver ADDRESS ... [valid=TIME] [ipv4=on|off] [ipv6=on|off] (core/ngx_resolver.c, ngx_resolver_create). */
export const resolverHandler: Handler = ({ node }, { catalog }) => {
  const version = versionNumber(catalog.version);
  const explain = 'resolver takes DNS server addresses (with an optional port), then valid=time, ipv4=on|off, ipv6=on|off.';
  let addresses = 0;
  let ipv4 = true;
  let ipv6 = true;
  for (const arg of node.args) {
    const word = arg.value;
    if (word.startsWith('valid=')) {
      if (parseTime(word.slice(6), true) === undefined) return { message: `invalid parameter: ${word}`, at: arg, explain };
      continue;
    }
    const family = /^ipv([46])=/.exec(word);
    if (family && (family[1] === '6' || version >= versionNumber('1.23.1'))) {
      const value = word.slice(5);
      if (value !== 'on' && value !== 'off') return { message: `invalid parameter: ${word}`, at: arg, explain };
      if (family[1] === '4') ipv4 = value === 'on';
      else ipv6 = value === 'on';
      continue;
    }
    const url = parseUrl(word, { defaultPort: 53 });
    if (url.error) return { message: `${url.error} in resolver "${word}"`, at: arg, explain };
    addresses++;
  }
  if (!ipv4 && !ipv6) return { message: '"ipv4" and "ipv6" cannot both be "off"', at: node.nameToken, explain: 'At least one address family must stay on.' };
  if (addresses === 0) return { message: 'no name servers defined', at: node.nameToken, explain };
  return undefined;
};

/** Values compiled with variables (their scripts must compile). */
export function compiledValue(index: number | 'all'): Handler {
  return ({ node }) => {
    const tokens: Token[] = index === 'all' ? node.args : node.args[index] ? [node.args[index]!] : [];
    for (const token of tokens) {
      const error: HandlerError | undefined = scriptError(token);
      if (error) return error;
    }
    return undefined;
  };
}

/** disable_symlinks off | on | if_not_owner [from=PART] (ngx_http_disable_symlinks). */
export const disableSymlinksHandler: Handler = ({ node }) => {
  const explain = 'disable_symlinks takes off, on or if_not_owner, then from= with the part of the path not checked (not with off).';
  let mode: string | undefined;
  let from = false;
  for (const token of node.args) {
    const word = token.value;
    if (word === 'off' || word === 'on' || word === 'if_not_owner') {
      mode = word;
      continue;
    }
    if (word.startsWith('from=')) {
      const error = scriptError({ ...token, start: token.start + 5, value: word.slice(5) }); // the part after from= is compiled
      if (error) return error;
      from = true;
      continue;
    }
    return { message: `invalid parameter "${word}"`, at: token, explain };
  }
  if (mode === undefined) return { message: '"disable_symlinks" must have "off", "on" or "if_not_owner" parameter', at: node.nameToken, explain };
  if (node.args.length === 1) return undefined;
  if (!from) return { message: `duplicate parameters "${node.args[0]!.value} ${node.args[1]!.value}"`, at: node.args[1], explain };
  if (mode === 'off') return { message: '"from=" cannot be used with "off" parameter', at: node.nameToken, explain };
  return undefined;
};

/**
 * index FILE... (ngx_http_index_set_index): each name in turn is refused when empty, then compiled. nginx's
 * message names the first index whichever is empty (it prints value[1]), as the real nginx -t shows.
 */
export const indexHandler: Handler = ({ node }) => {
  for (const token of node.args) {
    if (token.value === '') return { message: `index "${node.args[0]!.value}" in "index" directive is invalid`, at: token, explain: 'index takes the names of the files to try for a request ending in "/"; an empty one is refused.' };
    const error = scriptError(token);
    if (error) return error;
  }
  return undefined;
};
