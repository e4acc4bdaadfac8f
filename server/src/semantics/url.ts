// ngx_parse_url (src/core/ngx_inet.c): how nginx reads an address in `listen`, upstream `server`,
// `proxy_pass`, `resolver`... and the error it gives. Host names are not resolved here: nginx resolves
// some at read time, which only the machine it runs on can decide.

import { TextMemo } from '../core/maps';

export interface UrlOptions {
  /** `listen`: a bare number is a port, ranges `80-90` are allowed, no URI. */
  listen?: boolean;
  /** A URI part is allowed after the host (`proxy_pass`). */
  uriPart?: boolean;
  defaultPort?: number;
}

export interface ParsedUrl {
  /** ngx_parse_url's error (`invalid port`, `no host`...). */
  error?: string;
  unix?: string;
  /** The host as written ([..] kept for IPv6), empty for a bare port. */
  host: string;
  port: number;
  lastPort?: number;
  /** The port was not written (the default applies). */
  noPort: boolean;
  /** 0.0.0.0, [::] or `*`: every address. */
  wildcard: boolean;
  /** IPv4 or IPv6 literal (no resolution needed). */
  literal?: 'ipv4' | 'ipv6';
  uri?: string;
}

/** ngx_atoi: digits only; anything else (empty, sign, overflow) is NGX_ERROR (-1). */
function atoi(text: string): number {
  if (text.length === 0 || !/^[0-9]+$/.test(text)) return -1;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : -1;
}

/** ngx_inet_addr: a dotted IPv4 address with exactly three dots, each octet at most 255. */
export function isIpv4(text: string): boolean {
  let octet = 0;
  let dots = 0;
  for (const c of text) {
    if (c >= '0' && c <= '9') {
      octet = octet * 10 + (c.charCodeAt(0) - 48);
      if (octet > 255) return false;
    } else if (c === '.') {
      dots++;
      octet = 0;
    } else return false;
  }
  return dots === 3;
}

/** ngx_inet6_addr: the textual IPv6 forms it takes (hex groups, one `::`, an embedded IPv4 tail). */
/**
 * ngx_ptocidr (core/ngx_inet.c): an IPv4 or IPv6 address with an optional /mask of at most 32 or 128;
 * 255.255.255.255 is INADDR_NONE to ngx_inet_addr, so refused.
 */
export function isCidr(net: string): boolean {
  const slash = net.indexOf('/');
  const address = slash < 0 ? net : net.slice(0, slash);
  const v4 = isIpv4(address);
  if ((!v4 && !isIpv6(address)) || address === '255.255.255.255') return false;
  if (slash < 0) return true;
  const mask = net.slice(slash + 1);
  return /^[0-9]+$/.test(mask) && Number(mask) <= (v4 ? 32 : 128);
}

export function isIpv6(text: string): boolean {
  if (text.length === 0) return false;
  let groups = 0;
  let compressed = false;
  let i = 0;
  if (text.startsWith('::')) {
    compressed = true;
    i = 2;
    if (i === text.length) return true;
  } else if (text.startsWith(':')) return false;
  while (i < text.length) {
    const rest = text.slice(i);
    const v4 = /^(\d+\.\d+\.\d+\.\d+)$/.exec(rest);
    if (v4 && isIpv4(v4[1]!)) {
      groups += 2;
      i = text.length;
      break;
    }
    const hex = /^[0-9A-Fa-f]{1,4}/.exec(rest);
    if (!hex) return false;
    groups++;
    i += hex[0].length;
    if (i === text.length) break;
    if (text[i] !== ':') return false;
    i++;
    if (text[i] === ':') {
      if (compressed) return false;
      compressed = true;
      i++;
      if (i === text.length) break;
    } else if (i === text.length) return false;
  }
  return compressed ? groups < 8 : groups === 8;
}

function portsOf(text: string, listen: boolean): { error?: string; port?: number; lastPort?: number } {
  let len = text;
  let lastPort: number | undefined;
  if (listen) {
    const dash = text.indexOf('-');
    if (dash >= 0) {
      const n = atoi(text.slice(dash + 1));
      if (n < 1 || n > 65535) return { error: 'invalid port' };
      lastPort = n;
      len = text.slice(0, dash);
    }
  }
  const n = atoi(len);
  if (n < 1 || n > 65535) return { error: 'invalid port' };
  if (lastPort !== undefined && n > lastPort) return { error: 'invalid port range' };
  return { port: n, lastPort };
}

/** Answers already given (a configuration repeats its addresses in every server and location). */
const parsedUrls = new TextMemo<ParsedUrl>(5_000, 256);

/** How nginx's ngx_parse_url reads an address (the result is shared: do not change it). */
export function parseUrl(url: string, options: UrlOptions = {}): ParsedUrl {
  const key = `${options.listen ? 1 : 0}${options.uriPart ? 1 : 0}${options.defaultPort ?? 0}\0${url}`;
  return parsedUrls.get(key, () => Object.freeze(parseUrlNow(url, options)));
}

function parseUrlNow(url: string, options: UrlOptions): ParsedUrl {
  const listen = options.listen ?? false;
  const defaultPort = options.defaultPort ?? 0;
  const base: ParsedUrl = { host: '', port: defaultPort, noPort: true, wildcard: false };
  if (url.slice(0, 5).toLowerCase() === 'unix:') {
    let path = url.slice(5);
    let uri: string | undefined;
    if (options.uriPart) {
      const colon = path.indexOf(':');
      if (colon >= 0) {
        uri = path.slice(colon + 1);
        path = path.slice(0, colon);
      }
    }
    if (path.length === 0) return { ...base, error: 'no path in the unix domain socket' };
    // sun_path holds 108 bytes, the terminating NUL included
    if (Buffer.byteLength(path, 'latin1') + 1 > 108) return { ...base, error: 'too long path in the unix domain socket' };
    return { ...base, unix: path, host: path, uri };
  }
  if (url.startsWith('[')) return parseInet6(url, listen, options.uriPart ?? false, base);
  return parseInet(url, listen, options.uriPart ?? false, base);
}

function parseInet(url: string, listen: boolean, uriPart: boolean, base: ParsedUrl): ParsedUrl {
  let last = url.length;
  let port = url.indexOf(':');
  let uri = url.indexOf('/');
  const args = url.indexOf('?');
  if (args >= 0 && (uri < 0 || args < uri)) uri = args;
  const result: ParsedUrl = { ...base };
  if (uri >= 0) {
    if (listen || !uriPart) return { ...base, error: 'invalid host' };
    result.uri = url.slice(uri);
    last = uri;
    if (uri < port) port = -1;
  }
  if (port >= 0) {
    const ports = portsOf(url.slice(port + 1, last), listen);
    if (ports.error) return { ...base, error: ports.error };
    result.port = ports.port!;
    result.lastPort = ports.lastPort;
    result.noPort = false;
    last = port;
  } else if (uri < 0 && listen) {
    // "test value as port only": a bare port or port range listens on every address
    const dash = url.indexOf('-');
    let head = url;
    let error: string | undefined;
    let lastPort: number | undefined;
    let hostName = false;
    if (dash >= 0) {
      const n = atoi(url.slice(dash + 1));
      if (n === -1) hostName = true;
      else if (n < 1 || n > 65535) error = 'invalid port';
      else lastPort = n;
      head = url.slice(0, dash);
    }
    const n = hostName ? -1 : atoi(head);
    if (n !== -1) {
      if (error) return { ...base, error };
      if (n < 1 || n > 65535) return { ...base, error: 'invalid port' };
      if (lastPort !== undefined && n > lastPort) return { ...base, error: 'invalid port range' };
      return { ...base, port: n, lastPort, noPort: false, wildcard: true, literal: 'ipv4' };
    }
  }
  const host = url.slice(0, last);
  if (host.length === 0) return { ...base, error: 'no host' };
  result.host = host;
  if (listen && host === '*') return { ...result, wildcard: true, literal: 'ipv4' };
  if (isIpv4(host)) return { ...result, literal: 'ipv4', wildcard: host.split('.').every((octet) => Number(octet || '0') === 0) };
  return result;
}

function parseInet6(url: string, listen: boolean, uriPart: boolean, base: ParsedUrl): ParsedUrl {
  const close = url.indexOf(']', 1);
  if (close < 0) return { ...base, error: 'invalid host' };
  let last = url.length;
  const result: ParsedUrl = { ...base };
  const uri = url.indexOf('/', close + 1);
  if (uri >= 0) {
    if (listen || !uriPart) return { ...base, error: 'invalid host' };
    result.uri = url.slice(uri);
    last = uri;
  }
  const portStart = close + 1;
  if (portStart < last) {
    if (url[portStart] !== ':') return { ...base, error: 'invalid host' };
    const ports = portsOf(url.slice(portStart + 1, last), listen);
    if (ports.error) return { ...base, error: ports.error };
    result.port = ports.port!;
    result.lastPort = ports.lastPort;
    result.noPort = false;
  }
  const address = url.slice(1, close);
  if (address.length === 0) return { ...base, error: 'no host' };
  if (!isIpv6(address)) return { ...base, error: 'invalid IPv6 address' };
  result.host = `[${address}]`;
  result.literal = 'ipv6';
  result.wildcard = /^[0:]+$/.test(address);
  return result;
}

/** The host a *_pass names (`http://Backend/x` and `backend:9000` name "Backend" and "backend"), and whether it gives a port. */
export function passTarget(url: string): { host: string; port: boolean } {
  const authority = url.replace(/^[a-z]+:\/\//i, '').replace(/[/?].*$/, '');
  return { host: authority.replace(/:\d+$/, ''), port: /:\d+$/.test(authority) };
}
