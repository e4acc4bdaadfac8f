// cloudflared's validation of one ingress rule (ingress/ingress.go, validateIngress and
// validateHostname), with its exact messages.

export interface OriginUrl {
  scheme: string;
  hostname: string;
  port?: number;
}

export type ServiceCheck =
  | { ok: true; kind: 'url'; url: OriginUrl }
  | { ok: true; kind: 'status' | 'hello_world' | 'unix' | 'bastion' | 'socks-proxy' }
  | { ok: false; message: string };

const DEFAULT_PORTS: Record<string, number> = { http: 80, ws: 80, https: 443, wss: 443, ssh: 22, rdp: 3389, smb: 445, tcp: 7864 };

/** Go's url.Parse, as far as cloudflared looks at it: scheme, host name, port, path. */
function parseUrl(service: string): { scheme: string; hostname: string; port?: string; path: string } | undefined {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)([^?#]*)/.exec(service);
  if (!m) return undefined;
  const authority = m[2]!.replace(/^.*@/, '');
  const bracketed = /^\[([^\]]*)\](?::(\d*))?$/.exec(authority);
  const [hostname, port] = bracketed ? [bracketed[1]!, bracketed[2]] : (authority.split(/:(?=[^:]*$)/) as [string, string | undefined]);
  return { scheme: m[1]!.toLowerCase(), hostname: hostname ?? '', port: port === '' ? undefined : port, path: m[3]! };
}

export function checkService(service: string): ServiceCheck {
  if (service.startsWith('unix:') || service.startsWith('unix+tls:')) return { ok: true, kind: 'unix' };
  if (service.startsWith('http_status:')) {
    const code = service.slice('http_status:'.length);
    if (!/^[-+]?\d+$/.test(code)) return { ok: false, message: `invalid HTTP status code: strconv.Atoi: parsing "${code}": invalid syntax` };
    const n = Number(code);
    if (n < 100 || n > 999) return { ok: false, message: `invalid HTTP status code: ${n}` };
    return { ok: true, kind: 'status' };
  }
  if (['hello_world', 'hello-world', 'helloworld'].includes(service)) return { ok: true, kind: 'hello_world' };
  if (service === 'bastion') return { ok: true, kind: 'bastion' };
  if (service === 'socks-proxy') return { ok: true, kind: 'socks-proxy' };
  const url = parseUrl(service);
  if (!url || url.hostname === '') return { ok: false, message: `${service} is an invalid address, please make sure it has a scheme and a hostname` };
  if (url.path !== '') {
    return {
      ok: false,
      message: `${service} is an invalid address, ingress rules don't support proxying to a different path on the origin service. The path will be the same as the eyeball request's path`,
    };
  }
  const port = url.port !== undefined ? Number(url.port) : DEFAULT_PORTS[url.scheme];
  return { ok: true, kind: 'url', url: { scheme: url.scheme, hostname: url.hostname, port } };
}

/** Go's net.SplitHostPort succeeds: the hostname carries a port. */
export function hostnameHasPort(hostname: string): boolean {
  if (/^\[[^\]]*\]:[^:]*$/.test(hostname)) return true;
  return /^[^:[\]]*:[^:]*$/.test(hostname);
}

export const HOSTNAME_PORT = 'Hostname cannot contain a port';
export const BAD_WILDCARD = 'Hostname patterns can have at most one wildcard character ("*") and it can only be used for subdomains, e.g. "*.example.com"';
export const LAST_NOT_CATCH_ALL = 'The last ingress rule must match all URLs (i.e. it should not have a hostname or path filter)';
export const NO_RULES = "The config file doesn't contain any ingress rules";

export function earlyCatchAll(index: number, hostname: string): string {
  return `Rule #${index + 1} is matching the hostname '${hostname}', but this will match every hostname, meaning the rules which follow it will never be triggered.`;
}

/**
 * RE2 (Go's regexp) rejects what JavaScript accepts here: look-around and back-references. Returns
 * Go's error for the first problem, or undefined when Go compiles the pattern.
 */
export function re2Error(pattern: string): string | undefined {
  const perl = /\(\?<?[=!]/.exec(pattern);
  if (perl) return `error parsing regexp: invalid or unsupported Perl syntax: \`${perl[0]}\``;
  const backReference = /\\[1-9]/.exec(pattern);
  if (backReference) return `error parsing regexp: invalid escape sequence: \`${backReference[0]}\``;
  // Go syntax JavaScript spells otherwise: named groups, inline flags, \A and \z.
  const asJs = pattern
    .replace(/\(\?P</g, '(?<')
    .replace(/\(\?[imsU]+\)/g, '')
    .replace(/\(\?[imsU]*-?[imsU]*:/g, '(?:')
    .replace(/\\A/g, '^')
    .replace(/\\z/g, '$');
  try {
    new RegExp(asJs);
  } catch (error) {
    const detail = (error as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '');
    return `error parsing regexp: ${detail.toLowerCase()}: \`${pattern}\``;
  }
  return undefined;
}

/** An origin on this machine: the tunnel's traffic never leaves it. */
export function isLoopback(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '::1' || h === '0:0:0:0:0:0:0:1';
}
