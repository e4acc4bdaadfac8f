// The upstream block's directives (http/ngx_http_upstream.c ngx_http_upstream_server, the balancer
// modules, ngx_http_upstream_keepalive_module.c, ngx_http_upstream_zone_module.c) and the *_pass
// directives that name an upstream (ngx_http_proxy_module.c, fastcgi, uwsgi, scgi, grpc, memcached).

import { type ConfigBlock, type ConfigDirective, modelMemoKey } from '../../model/config';
import type { Token } from '../../nginx/ast';
import { versionNumber } from '../../nginx/directives';
import type { Handler, HandlerEnv, HandlerError } from '../handler';
import { locationName } from '../location';
import { isIpv4, isIpv6, parseUrl, passTarget } from '../url';
import { parseSize, parseTime } from '../values';
import { variableScope } from '../variable-uses';
import { scriptError } from './rewrite';

function atoi(text: string): number {
  return /^[0-9]+$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : -1;
}

interface ServerParameter {
  test: (word: string) => boolean;
  valid?: (word: string) => boolean;
  /** Open-source nginx has it since (NGINX Plus has every one). */
  since?: string;
  plusOnly?: boolean;
  /** Not allowed once hash, ip_hash or random is set (the balancer's flags lack it). */
  backup?: boolean;
  family?: 'http' | 'stream';
}

const SERVER_PARAMETERS: ServerParameter[] = [
  { test: (w) => w.startsWith('weight='), valid: (w) => atoi(w.slice(7)) > 0 },
  { test: (w) => w.startsWith('max_conns='), valid: (w) => atoi(w.slice(10)) >= 0, since: '1.11.5' },
  { test: (w) => w.startsWith('max_fails='), valid: (w) => atoi(w.slice(10)) >= 0 },
  { test: (w) => w.startsWith('fail_timeout='), valid: (w) => parseTime(w.slice(13), true) !== undefined },
  { test: (w) => w === 'backup', backup: true },
  { test: (w) => w === 'down' },
  { test: (w) => w === 'resolve', since: '1.27.3' },
  { test: (w) => w.startsWith('service='), since: '1.27.3', family: 'http' },
  { test: (w) => w.startsWith('slow_start='), plusOnly: true },
  { test: (w) => w === 'drain', plusOnly: true },
  { test: (w) => w.startsWith('route='), plusOnly: true, family: 'http' },
];

const SERVER_EXPLAIN =
  'An upstream server takes an address, then weight=, max_conns=, max_fails=, fail_timeout=, backup or down ' +
  '(resolve and service= since nginx 1.27.3; slow_start=, drain and route= only in NGINX Plus).';

/** The balancer set so far in this upstream block: hash, ip_hash and random leave `backup` out. */
function backupRefused(directive: ConfigDirective): string | undefined {
  let refusing: string | undefined;
  for (const sibling of directive.parent.items) {
    if (sibling === directive) break;
    const name = sibling.node.name;
    if (name === 'hash' || name === 'ip_hash' || name === 'random') refusing = name;
    else if (name === 'least_conn') refusing = undefined;
  }
  return refusing;
}

export const upstreamServerHandler: Handler = (directive, env) => {
  const { node } = directive;
  const family = directive.parent.context === 'stream.upstream' ? 'stream' : 'http';
  const version = versionNumber(env.catalog.version);
  for (const token of node.args.slice(1)) {
    const word = token.value;
    const parameter = SERVER_PARAMETERS.find((p) => p.test(word) && (!p.family || p.family === family));
    const available = parameter && (env.catalog.edition === 'plus' || (!parameter.plusOnly && (!parameter.since || version >= versionNumber(parameter.since))));
    if (!parameter || !available || (parameter.valid && !parameter.valid(word))) {
      const note = parameter?.plusOnly && env.catalog.edition !== 'plus' ? ` "${word.split('=')[0]}" is an NGINX Plus parameter.` : '';
      const newer = parameter?.since && !available ? ` "${word.split('=')[0]}" appeared in nginx ${parameter.since}; the nginx configured here is ${env.catalog.version}.` : '';
      return { message: `invalid parameter "${word}"`, at: token, explain: `${SERVER_EXPLAIN}${note}${newer}` };
    }
    if (parameter.backup) {
      const balancer = backupRefused(directive);
      if (balancer) return { message: `balancing method does not support parameter "${word}"`, at: token, explain: `The ${balancer} balancing method set above has no backup servers.` };
    }
  }
  const address = node.args[0]!;
  const url = parseUrl(address.value, { defaultPort: family === 'http' ? 80 : 0 });
  if (url.error) return { message: `${url.error} in upstream "${address.value}"`, at: address, explain: 'An upstream server is host:port, an IP address (IPv6 in brackets) or unix:/path.' };
  // a host name is resolved first (host not found, or its addresses): only an address is known to lack the port here
  if (family === 'stream' && url.noPort && !url.unix && isAddress(url.host)) return { message: `no port in upstream "${address.value}"`, at: address, explain: 'A stream upstream server needs a port.' };
  return undefined;
};

export const keepaliveHandler: Handler = (directive) => {
  if (!directive.parent.context.endsWith('upstream')) return undefined;
  const count = directive.node.args[0]!;
  if (atoi(count.value) <= 0) return { message: `invalid value "${count.value}" in "keepalive" directive`, at: count, explain: 'keepalive takes the number of idle connections to keep, a positive whole number.' };
  return undefined;
};

export const upstreamZoneHandler: Handler = ({ node }) => {
  const [name, size] = node.args;
  if (!name!.value) return { message: `invalid zone name "${name!.value}"`, at: name, explain: 'zone takes a name and an optional size.' };
  if (size) {
    const bytes = parseSize(size.value);
    if (bytes === undefined) return { message: `invalid zone size "${size.value}"`, at: size, explain: 'A zone size is in bytes, with k or m.' };
    if (bytes < 8 * 4096) return { message: `zone "${name!.value}" is too small`, at: size, explain: 'A shared zone needs at least 32k.' };
  }
  return undefined;
};

export const hashHandler: Handler = ({ node }) => {
  const extra = node.args[1];
  if (extra && extra.value !== 'consistent') return { message: `invalid parameter "${extra.value}"`, at: extra, explain: 'hash takes a key and, optionally, consistent.' };
  return scriptError(node.args[0]!);
};

export const randomHandler: Handler = ({ node }) => {
  const [two, method] = node.args;
  const explain = 'random takes nothing, or two, optionally followed by least_conn.';
  if (two && two.value !== 'two') return { message: `invalid parameter "${two.value}"`, at: two, explain };
  if (method && method.value !== 'least_conn') return { message: `invalid parameter "${method.value}"`, at: method, explain };
  return undefined;
};

const URI_PART_MESSAGE =
  '"proxy_pass" cannot have URI part in location given by regular expression, or inside named location, or inside "if" statement, or inside "limit_except" block';

/** Whether the directive stands where nginx cannot replace the matched part of the URI. */
function noUriPlace(directive: ConfigDirective): string | undefined {
  const context = directive.parent.context;
  if (context === 'http.if.location') return 'inside "if"';
  if (context === 'http.limit_except') return 'inside "limit_except"';
  const owner = directive.parent.owner;
  if (owner?.node.name !== 'location') return undefined;
  const location = locationName(owner);
  if (location?.regex) return 'in a regex location';
  if (location?.named) return 'in a named location';
  return undefined;
}

export const proxyPassHandler: Handler = (directive, env) => {
  const url = directive.node.args[0]!;
  if (url.value.includes('$')) return scriptError(url);
  const lower = url.value.toLowerCase();
  const scheme = lower.startsWith('http://') ? 7 : lower.startsWith('https://') ? 8 : 0;
  if (!scheme) {
    return { message: 'invalid URL prefix', at: url, explain: 'proxy_pass takes a URL starting with http:// or https:// (an upstream name goes after it: http://backend).' };
  }
  const rest = url.value.slice(scheme);
  const parsed = parseUrl(rest, { uriPart: true, defaultPort: scheme === 7 ? 80 : 443 });
  if (parsed.error) return { message: `${parsed.error} in upstream "${rest}"`, at: url, explain: 'The address after the scheme is host[:port][/uri], [IPv6][:port] or unix:/path[:/uri].' };
  const place = noUriPlace(directive);
  if (place && parsed.uri !== undefined) {
    return { message: URI_PART_MESSAGE, at: url, explain: `Here (${place}) nginx cannot tell which part of the request URI the URI part of proxy_pass replaces: remove it (and rewrite the URI with "rewrite ... break" if needed).` };
  }
  return portOnUpstream(directive, env, parsed, url);
};

const UPSTREAM_NAMES = modelMemoKey<Map<ConfigBlock, Set<string>>>('upstream names of each http or stream block');

/** The upstream names (lower case) each http or stream block defines, once per model: each *_pass asks all of them. */
function upstreamNames(env: HandlerEnv): Map<ConfigBlock, Set<string>> {
  return env.model.memo(UPSTREAM_NAMES, () => {
    const names = new Map<ConfigBlock, Set<string>>();
    for (const u of env.model.named('upstream')) {
      const name = u.node.args[0]?.value.toLowerCase();
      if (name === undefined) continue;
      let set = names.get(u.parent);
      if (!set) names.set(u.parent, (set = new Set()));
      set.add(name);
    }
    return names;
  });
}

const UPSTREAM_BLOCKS = modelMemoKey<Map<string, ConfigDirective>>('first upstream of each name');

/** The first http upstream block of each name (names compared without case), once per model. */
function upstreamBlocks(env: HandlerEnv): Map<string, ConfigDirective> {
  return env.model.memo(UPSTREAM_BLOCKS, () => {
    const blocks = new Map<string, ConfigDirective>();
    for (const d of env.model.named('upstream')) {
      const name = d.node.args[0]?.value.toLowerCase();
      if (d.parent.context === 'http' && name !== undefined && !blocks.has(name)) blocks.set(name, d);
    }
    return blocks;
  });
}

/** `proxy_pass http://name:8080` where `upstream name {}` is defined earlier: an upstream block's port is its servers'. */
function portOnUpstream(directive: ConfigDirective, env: HandlerEnv, parsed: ReturnType<typeof parseUrl>, token: Token): HandlerError | undefined {
  if (parsed.noPort || parsed.unix) return undefined;
  const block = upstreamBlocks(env).get(parsed.host.toLowerCase());
  if (!block || block.seq > directive.seq) return undefined;
  return {
    message: `upstream "${parsed.host}" may not have port ${parsed.port}`,
    at: token,
    explain: `"${parsed.host}" is the upstream block at line ${block.node.nginxLine}: its servers carry the ports; name it without one.`,
  };
}

/** fastcgi_pass, scgi_pass, uwsgi_pass, grpc_pass, memcached_pass: an address (with a scheme for uwsgi and grpc). */
export const addressPassHandler: Handler = (directive, env) => {
  const { node } = directive;
  const address = node.args[0]!;
  if (address.value.includes('$') && node.name !== 'memcached_pass') return scriptError(address);
  const schemes: Record<string, string[]> = { uwsgi_pass: ['uwsgi://', 'suwsgi://'], grpc_pass: ['grpc://', 'grpcs://'] };
  let rest = address.value;
  for (const scheme of schemes[node.name] ?? []) {
    if (rest.toLowerCase().startsWith(scheme)) {
      rest = rest.slice(scheme.length);
      break;
    }
  }
  const parsed = parseUrl(rest, {});
  const explain = `${node.name} takes host:port, an IP address and port, unix:/path, or an upstream name.`;
  if (parsed.error) return { message: `${parsed.error} in upstream "${rest}"`, at: address, explain };
  if (address.value.includes('$') || parsed.unix || !parsed.noPort) return undefined;
  // without a port it names an upstream block, or one nginx makes of the host, which needs a port: the
  // upstream module says so when it sets up the upstreams, once the http block is read
  // (another *_pass naming the host, with a port, is the upstream nginx finds for it: not judged here)
  const http = variableScope(directive)?.block;
  const host = parsed.host.toLowerCase();
  if (!http || upstreamNames(env).get(http)?.has(host) || (passHosts(env).get(http)?.get(host) ?? 0) > 1) return undefined;
  return { message: `no port in upstream "${parsed.host}"`, at: address, explain: `${explain} No upstream block of this http block is named "${parsed.host}".`, atBlockEnd: true };
};

const PASS_HOSTS = modelMemoKey<Map<ConfigBlock, Map<string, number>>>('hosts the *_pass lines of each http block name');
/** The directives of http that name an upstream (or a host nginx makes one of). */
export const HTTP_PASSES = ['proxy_pass', 'fastcgi_pass', 'uwsgi_pass', 'scgi_pass', 'grpc_pass', 'memcached_pass'];

/** How many *_pass lines of each http block name each host (lower case; schemes and ports left out). */
function passHosts(env: HandlerEnv): Map<ConfigBlock, Map<string, number>> {
  return env.model.memo(PASS_HOSTS, () => {
    const byBlock = new Map<ConfigBlock, Map<string, number>>();
    for (const name of HTTP_PASSES) {
      for (const d of env.model.named(name)) {
        const block = variableScope(d)?.block;
        const value = d.node.args[0]?.value;
        if (!block || value === undefined || value.includes('$')) continue;
        const host = passTarget(value).host.toLowerCase();
        let hosts = byBlock.get(block);
        if (!hosts) byBlock.set(block, (hosts = new Map()));
        hosts.set(host, (hosts.get(host) ?? 0) + 1);
      }
    }
    return byBlock;
  });
}

/**
 * A host that resolves to itself wherever nginx runs: an IPv6 address in brackets, or an IPv4 one in
 * any form getaddrinfo takes as numbers (inet_aton: "10.1" is 10.0.0.1, "404" is 0.0.1.148).
 */
function isAddress(host: string): boolean {
  if (host.startsWith('[') && host.endsWith(']')) return isIpv6(host.slice(1, -1));
  if (isIpv4(host)) return true;
  if (!/^[0-9]+(\.[0-9]+){0,3}$/.test(host)) return false;
  const parts = host.split('.').map(Number);
  const last = parts.pop()!;
  return parts.every((p) => p < 256) && last < 256 ** (4 - parts.length);
}

const STREAM_PASS_EXPLAIN = 'proxy_pass of stream takes host:port, an address and port, unix:/path, or the name of an upstream block of this stream block.';

/**
 * proxy_pass of stream (stream/ngx_stream_proxy_module.c ngx_stream_proxy_pass): a value with
 * variables is compiled; another is parsed without resolving it and names an upstream block or makes
 * one of its own, which needs a port: ngx_stream_upstream_init_round_robin says so once the stream
 * block is read (at the proxy_pass's line), after upstream blocks of that name anywhere in it are known.
 */
export const streamProxyPassHandler: Handler = (directive, env) => {
  const value = directive.node.args[0]!;
  if (value.value.includes('$')) return scriptError(value);
  const url = parseUrl(value.value);
  if (url.error) return { message: `${url.error} in upstream "${value.value}"`, at: value, explain: STREAM_PASS_EXPLAIN };
  if (url.unix) return undefined;
  const host = url.host.toLowerCase();
  const stream = variableScope(directive)?.block;
  if (!url.noPort) {
    // an upstream block of that name read before: its servers carry the ports (ngx_stream_upstream_add, nginx 1.22.1 ngx_stream_upstream.c:604)
    // (one read later refuses this proxy_pass's port when nginx reads it, naming this line: :611)
    const block = env.model.named('upstream').find((d) => d.parent === stream && d.node.args[0]?.value.toLowerCase() === host);
    if (!block) return undefined;
    const explain = `"${url.host}" is the upstream block at line ${block.node.nginxLine}: its servers carry the ports; name it without one.`;
    return { message: `upstream "${url.host}" may not have port ${url.port}`, at: value, explain, ...(block.seq > directive.seq ? { foundAt: block.seq } : {}) };
  }
  if (stream && upstreamNames(env).get(stream)?.has(host)) return undefined;
  return { message: `no port in upstream "${url.host}"`, at: value, explain: STREAM_PASS_EXPLAIN, atBlockEnd: true };
};

/**
 * proxy_cookie_domain and proxy_cookie_path (ngx_http_proxy_cookie_domain, _path): two words rewrite a
 * cookie's attribute, one word can only be off.
 */
export const cookieRewriteHandler: Handler = ({ node }) => {
  const [from, to] = node.args as [Token, Token | undefined];
  if (!to) return from.value === 'off' ? undefined : { message: `invalid parameter "${from.value}"`, at: from, explain: `${node.name} takes what the upstream writes and what to write instead (two words), or off.` };
  // both words are compiled with their variables (the first is a regex when it starts with "~")
  return (from.value.startsWith('~') ? undefined : scriptError(from)) ?? scriptError(to);
};

/** ngx_parse_addr: an IPv4 address (not 255.255.255.255, INADDR_NONE to nginx) or a bare IPv6 one. */
function isBindAddress(text: string): boolean {
  return (isIpv4(text) && text !== '255.255.255.255') || isIpv6(text);
}

/** ngx_parse_addr_port (src/core/ngx_inet.c): an address, optionally with a port from 1 to 65535 ([v6]:port). */
function isAddressWithPort(text: string): boolean {
  if (isBindAddress(text)) return true;
  let host: string;
  let port: string;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0 || close === text.length - 1 || text[close + 1] !== ':') return false;
    host = text.slice(1, close);
    port = text.slice(close + 2);
  } else {
    const colon = text.indexOf(':');
    if (colon < 0) return false;
    host = text.slice(0, colon);
    port = text.slice(colon + 1);
  }
  const n = /^[0-9]+$/.test(port) ? Number(port) : -1;
  return n >= 1 && n <= 65535 && isBindAddress(host);
}

/**
 * proxy_bind (and fastcgi_, uwsgi_, scgi_, grpc_, memcached_, stream's): off alone, or a local address
 * (an IP address, optionally with a port; variables are read per request), then transparent
 * (ngx_http_upstream_bind_set_slot, ngx_stream_proxy_bind).
 */
export const bindHandler: Handler = ({ node }) => {
  const [address, parameter] = node.args as [Token, Token | undefined];
  if (!parameter && address.value === 'off') return undefined;
  const explain = `${node.name} takes the local IP address connections to the upstream leave from (with a port, or variables), then transparent; or off.`;
  if (address.value.includes('$')) {
    const error = scriptError(address);
    if (error) return error;
  } else if (!isAddressWithPort(address.value)) {
    return { message: `invalid address "${address.value}"`, at: address, explain };
  }
  if (parameter && parameter.value !== 'transparent') return { message: `invalid parameter "${parameter.value}"`, at: parameter, explain };
  return undefined;
};

const FIRST_UPSTREAMS = modelMemoKey<Map<ConfigBlock, Map<string, ConfigDirective>>>('first upstream block of each name, per http or stream block');

/**
 * upstream NAME { } (ngx_http_upstream_add, and stream's): a second block of a name (compared without
 * case) in the same http or stream block is a duplicate, refused when nginx reads it.
 */
export const upstreamBlockHandler: Handler = (directive, env) => {
  const name = directive.node.args[0];
  if (!name || directive.node.terminator !== '{') return undefined;
  const firsts = env.model.memo(FIRST_UPSTREAMS, () => {
    const byBlock = new Map<ConfigBlock, Map<string, ConfigDirective>>();
    for (const u of env.model.named('upstream')) {
      const key = u.node.args[0]?.value.toLowerCase();
      if (key === undefined || u.node.terminator !== '{') continue;
      let names = byBlock.get(u.parent);
      if (!names) byBlock.set(u.parent, (names = new Map()));
      const known = names.get(key);
      if (!known || u.seq < known.seq) names.set(key, u);
    }
    return byBlock;
  });
  const first = firsts.get(directive.parent)?.get(name.value.toLowerCase());
  if (!first || first === directive) return undefined;
  return { message: `duplicate upstream "${name.value}"`, at: name, explain: `An upstream block of this name (case aside) is already defined at line ${first.node.nginxLine}${first.file === directive.file ? '' : ` of ${first.file.path}`}: rename one, or merge their servers.` };
};

/**
 * proxy_redirect (ngx_http_proxy_redirect): off, default, or what to replace and its replacement. After
 * "off" in a block, or "off" after others, a line is a duplicate; "default" needs the block's own
 * proxy_pass before it, without variables; the two words are compiled (the first is a regex when it
 * starts with "~": nginx/invalid-regex's).
 */
export const redirectHandler: Handler = (directive) => {
  const { node } = directive;
  const earlier = directive.parent.items.filter((d) => d.node.name === 'proxy_redirect' && d.seq < directive.seq && d.node.terminator === ';');
  if (earlier.some((d) => d.node.args.length === 1 && d.node.args[0]!.value === 'off')) {
    return { message: '"proxy_redirect" directive is duplicate', at: node.nameToken, explain: 'After "proxy_redirect off" in a block, no other proxy_redirect may follow.' };
  }
  const [from, to] = node.args as [Token, Token | undefined];
  const explain = 'proxy_redirect takes what to replace in Location and Refresh headers and its replacement, or default (after proxy_pass), or off.';
  if (!to) {
    if (from.value === 'off') return earlier.length > 0 ? { message: '"proxy_redirect" directive is duplicate', at: node.nameToken, explain: '"proxy_redirect off" cannot follow other proxy_redirect lines of the block.' } : undefined;
    if (from.value !== 'default') return { message: `invalid parameter "${from.value}"`, at: from, explain };
    const pass = directive.parent.items.find((d) => d.node.name === 'proxy_pass' && d.seq < directive.seq && d.node.terminator === ';');
    if (pass?.node.args[0]?.value.includes('$')) return { message: '"proxy_redirect default" cannot be used with "proxy_pass" directive with variables', at: from, explain };
    if (!pass) return { message: '"proxy_redirect default" should be placed after the "proxy_pass" directive', at: from, explain };
    return undefined;
  }
  return (from.value.startsWith('~') ? undefined : scriptError(from)) ?? scriptError(to);
};
