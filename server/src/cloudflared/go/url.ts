// Go's net/url Parse (url.go: Parse, parse, getScheme, parseAuthority, parseHost, unescape) and
// URL.Hostname/Port, with the errors cloudflared returns as they are: `parse "http://[::1": missing ']'
// in host`, `... invalid port ":port" after host`, `... first path segment in URL cannot contain colon`.

import { goQuote } from './strconv';

export interface GoUrl {
  scheme: string;
  opaque: string;
  host: string;
  path: string;
  rawQuery: string;
  fragment: string;
}

type Mode = 'host' | 'zone' | 'path' | 'user' | 'fragment';

const isHexDigit = (c: string) => /^[0-9a-fA-F]$/.test(c);

/** shouldEscape (url.go) for the characters the host and zone modes check. */
function shouldEscape(c: string, mode: Mode): boolean {
  if (/^[A-Za-z0-9]$/.test(c)) return false;
  if (mode === 'host' || mode === 'zone') {
    if ("!$&'()*+,;=:[]<>\"".includes(c)) return false;
  }
  if ('-_.~'.includes(c)) return false;
  if ('$&+,/:;=?@'.includes(c)) {
    if (mode === 'path') return c === '?';
    if (mode === 'user') return c === '@' || c === '/' || c === '?' || c === ':';
    if (mode === 'fragment') return false;
  }
  if (mode === 'fragment' && '!()*'.includes(c)) return false;
  return true;
}

/** unescape: the decoded text, or Go's error. */
function unescape(s: string, mode: Mode): { ok: true; value: string } | { ok: false; error: string } {
  const text = s;
  for (let i = 0; i < text.length; ) {
    const c = text[i]!;
    if (c === '%') {
      if (i + 2 >= text.length || !isHexDigit(text[i + 1]!) || !isHexDigit(text[i + 2]!)) {
        const rest = text.slice(i);
        return { ok: false, error: `invalid URL escape ${goQuote(rest.length > 3 ? rest.slice(0, 3) : rest)}` };
      }
      if (mode === 'host' && parseInt(text[i + 1]!, 16) < 8 && text.slice(i, i + 3) !== '%25') {
        return { ok: false, error: `invalid URL escape ${goQuote(text.slice(i, i + 3))}` };
      }
      if (mode === 'zone') {
        const v = parseInt(text.slice(i + 1, i + 3), 16);
        if (text.slice(i, i + 3) !== '%25' && v !== 0x20 && shouldEscape(String.fromCharCode(v), 'host')) {
          return { ok: false, error: `invalid URL escape ${goQuote(text.slice(i, i + 3))}` };
        }
      }
      i += 3;
      continue;
    }
    if ((mode === 'host' || mode === 'zone') && c.charCodeAt(0) < 0x80 && shouldEscape(c, mode)) {
      return { ok: false, error: `invalid character ${goQuote(c)} in host name` };
    }
    i++;
  }
  return { ok: true, value: decodePercent(s) };
}

/** url.PathUnescape. */
export function pathUnescape(s: string): { ok: true; value: string } | { ok: false; error: string } {
  return unescape(s, 'path');
}

function decodePercent(s: string): string {
  try {
    return decodeURIComponent(s.replace(/%(?![0-9a-fA-F]{2})/g, '%25'));
  } catch {
    return s;
  }
}

function validOptionalPort(port: string): boolean {
  if (port === '') return true;
  if (port[0] !== ':') return false;
  return /^[0-9]*$/.test(port.slice(1));
}

function getScheme(raw: string): { scheme: string; rest: string } | { error: string } {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (/[A-Za-z]/.test(c)) continue;
    if (/[0-9+.-]/.test(c)) {
      if (i === 0) return { scheme: '', rest: raw };
      continue;
    }
    if (c === ':') {
      if (i === 0) return { error: 'missing protocol scheme' };
      return { scheme: raw.slice(0, i), rest: raw.slice(i + 1) };
    }
    return { scheme: '', rest: raw };
  }
  return { scheme: '', rest: raw };
}

function parseHost(host: string): { ok: true; host: string } | { ok: false; error: string } {
  if (host.startsWith('[')) {
    const i = host.lastIndexOf(']');
    if (i < 0) return { ok: false, error: "missing ']' in host" };
    const colonPort = host.slice(i + 1);
    if (!validOptionalPort(colonPort)) return { ok: false, error: `invalid port ${goQuote(colonPort)} after host` };
    const zone = host.slice(0, i).indexOf('%25');
    if (zone >= 0) {
      for (const [part, mode] of [
        [host.slice(0, zone), 'host'],
        [host.slice(zone, i), 'zone'],
        [host.slice(i), 'host'],
      ] as const) {
        const u = unescape(part, mode);
        if (!u.ok) return u;
      }
      return { ok: true, host: decodePercent(host) };
    }
  } else {
    const i = host.lastIndexOf(':');
    if (i !== -1) {
      const colonPort = host.slice(i);
      if (!validOptionalPort(colonPort)) return { ok: false, error: `invalid port ${goQuote(colonPort)} after host` };
    }
  }
  const u = unescape(host, 'host');
  return u.ok ? { ok: true, host: u.value } : u;
}

/** url.Parse: the URL, or the error exactly as Go prints it. */
export function parseUrl(rawURL: string): { ok: true; url: GoUrl } | { ok: false; error: string } {
  const hash = rawURL.indexOf('#');
  const u = hash >= 0 ? rawURL.slice(0, hash) : rawURL;
  const frag = hash >= 0 ? rawURL.slice(hash + 1) : '';
  const fail = (url: string, error: string) => ({ ok: false as const, error: `parse ${goQuote(url)}: ${error}` });
  if (/[\x00-\x1f\x7f]/.test(u)) return fail(u, 'net/url: invalid control character in URL');
  const url: GoUrl = { scheme: '', opaque: '', host: '', path: '', rawQuery: '', fragment: '' };
  if (u === '*') {
    url.path = '*';
  } else {
    const scheme = getScheme(u);
    if ('error' in scheme) return fail(u, scheme.error);
    url.scheme = scheme.scheme.toLowerCase();
    let rest = scheme.rest;
    if (rest.endsWith('?') && rest.split('?').length === 2) {
      rest = rest.slice(0, -1);
    } else {
      const q = rest.indexOf('?');
      if (q >= 0) [rest, url.rawQuery] = [rest.slice(0, q), rest.slice(q + 1)];
    }
    if (!rest.startsWith('/')) {
      if (url.scheme !== '') {
        url.opaque = rest;
        return finish();
      }
      const segment = rest.split('/')[0]!;
      if (segment.includes(':')) return fail(u, 'first path segment in URL cannot contain colon');
    }
    if ((url.scheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
      let authority = rest.slice(2);
      rest = '';
      const slash = authority.indexOf('/');
      if (slash >= 0) [authority, rest] = [authority.slice(0, slash), authority.slice(slash)];
      const at = authority.lastIndexOf('@');
      const host = parseHost(at < 0 ? authority : authority.slice(at + 1));
      if (!host.ok) return fail(u, host.error);
      if (at >= 0) {
        const userinfo = authority.slice(0, at);
        if (!/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(userinfo)) return fail(u, 'net/url: invalid userinfo');
        for (const part of userinfo.split(':').slice(0, 2)) {
          const un = unescape(part, 'user');
          if (!un.ok) return fail(u, un.error);
        }
      }
      url.host = host.host;
    }
    const path = unescape(rest, 'path');
    if (!path.ok) return fail(u, path.error);
    url.path = path.value;
  }
  return finish();

  function finish(): { ok: true; url: GoUrl } | { ok: false; error: string } {
    if (frag !== '') {
      const f = unescape(frag, 'fragment');
      if (!f.ok) return { ok: false, error: `parse ${goQuote(rawURL)}: ${f.error}` };
      url.fragment = f.value;
    }
    return { ok: true, url };
  }
}

/** splitHostPort of url.go: the port only when what follows the last colon is digits. */
function splitHostPort(hostPort: string): { host: string; port: string } {
  let host = hostPort;
  let port = '';
  const colon = host.lastIndexOf(':');
  if (colon !== -1 && validOptionalPort(host.slice(colon))) [host, port] = [host.slice(0, colon), host.slice(colon + 1)];
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return { host, port };
}

/** URL.Hostname. */
export function urlHostname(u: GoUrl): string {
  return splitHostPort(u.host).host;
}

/** URL.Port. */
export function urlPort(u: GoUrl): string {
  return splitHostPort(u.host).port;
}
