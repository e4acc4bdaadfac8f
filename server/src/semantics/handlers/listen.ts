// `listen` in http, stream and mail servers: ngx_http_core_listen (http/ngx_http_core_module.c),
// ngx_stream_core_listen, ngx_mail_core_listen. The address goes through ngx_parse_url; each parameter
// is matched case-sensitively in the order nginx tests them; the target platform is Linux (Kasm's
// proxy container), where setfib is unknown, accept_filter is ignored, and so_keepalive is tunable.

import { versionNumber } from '../../nginx/directives';
import type { Token } from '../../nginx/ast';
import type { Handler, HandlerError } from '../handler';
import { parseUrl } from '../url';
import { parseSize, parseTime } from '../values';

type Family = 'http' | 'stream' | 'mail';

const EXPLAIN_ADDRESS =
  'listen takes an address and port (`443`, `127.0.0.1:8443`, `[::]:443`, `unix:/path`), then parameters.';

function atoi(text: string): number {
  return /^[0-9]+$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : -1;
}

/** so_keepalive=on|off|[idle][:[interval][:[count]]], as the tunable form on Linux reads it. */
function validKeepalive(value: string): boolean {
  if (value === 'on' || value === 'off') return true;
  const [idle = '', interval = '', ...rest] = value.split(':');
  const count = rest.join(':');
  const seconds = (s: string) => (s === '' ? 0n : parseTime(s, true));
  const a = seconds(idle);
  const b = seconds(interval);
  const c = count === '' ? 0 : atoi(count);
  if (a === undefined || b === undefined || c === -1) return false;
  return !(a === 0n && b === 0n && c === 0);
}

interface ParameterRule {
  /** Matches the parameter word. */
  test: (word: string) => boolean;
  /** Versions (open source) and families that have it. */
  since?: string;
  until?: string;
  families: readonly Family[];
  /** nginx's message when the value is wrong. */
  check?: (word: string) => string | undefined;
}

const ALL: readonly Family[] = ['http', 'stream', 'mail'];

const PARAMETERS: ParameterRule[] = [
  { test: (w) => w === 'default_server' || w === 'default', families: ['http'] },
  { test: (w) => w === 'default_server', families: ['stream'], since: '1.25.5' },
  { test: (w) => w === 'udp', families: ['stream'] },
  { test: (w) => w === 'bind', families: ALL },
  {
    test: (w) => w.startsWith('fastopen='),
    families: ['http', 'stream'],
    check: (w) => (atoi(w.slice(9)) === -1 ? `invalid fastopen "${w}"` : undefined),
  },
  {
    test: (w) => w.startsWith('backlog='),
    families: ALL,
    check: (w) => (atoi(w.slice(8)) <= 0 ? `invalid backlog "${w}"` : undefined),
  },
  { test: (w) => w.startsWith('rcvbuf='), families: ['http', 'stream'], check: (w) => (parseSize(w.slice(7)) === undefined ? `invalid rcvbuf "${w}"` : undefined) },
  { test: (w) => w.startsWith('sndbuf='), families: ['http', 'stream'], check: (w) => (parseSize(w.slice(7)) === undefined ? `invalid sndbuf "${w}"` : undefined) },
  { test: (w) => w.startsWith('accept_filter='), families: ['http'] },
  { test: (w) => w === 'deferred', families: ['http'] },
  { test: (w) => w === 'deferred', families: ['stream'], since: '1.25.5' },
  {
    test: (w) => w.startsWith('ipv6only=o'),
    families: ALL,
    check: (w) => (w.slice(10) === 'n' || w.slice(10) === 'ff' ? undefined : `invalid ipv6only flags "${w.slice(9)}"`),
  },
  { test: (w) => w === 'reuseport', families: ['http', 'stream'] },
  { test: (w) => w === 'reuseport', families: ['mail'], since: '1.15.1' },
  { test: (w) => w === 'ssl', families: ALL },
  { test: (w) => w === 'spdy', families: ['http'], since: '1.3.15', until: '1.9.5' },
  { test: (w) => w === 'http2', families: ['http'], since: '1.9.5' },
  { test: (w) => w === 'quic', families: ['http'], since: '1.25.0' },
  {
    test: (w) => w.startsWith('so_keepalive='),
    families: ALL,
    check: (w) => (validKeepalive(w.slice(13)) ? undefined : `invalid so_keepalive value: "${w.slice(13)}"`),
  },
  { test: (w) => w === 'proxy_protocol', families: ['http'], since: '1.5.12' },
  { test: (w) => w === 'proxy_protocol', families: ['stream'], since: '1.11.4' },
  { test: (w) => w === 'proxy_protocol', families: ['mail'], since: '1.19.8' },
];

/** Parameters that cannot go with `quic` (a UDP socket), as nginx names them (1.25.0+). */
const NOT_WITH_QUIC: Array<[string, (w: string) => boolean]> = [
  ['fastopen', (w) => w.startsWith('fastopen=')],
  ['backlog', (w) => w.startsWith('backlog=')],
  ['accept_filter', (w) => w.startsWith('accept_filter=')],
  ['deferred', (w) => w === 'deferred'],
  ['ssl', (w) => w === 'ssl'],
  ['http2', (w) => w === 'http2'],
  ['so_keepalive', (w) => w.startsWith('so_keepalive=')],
  ['proxy_protocol', (w) => w === 'proxy_protocol'],
];

function available(rule: ParameterRule, family: Family, version: number): boolean {
  if (!rule.families.includes(family)) return false;
  if (rule.since && version < versionNumber(rule.since)) return false;
  return !(rule.until && version >= versionNumber(rule.until));
}

/** The message for a word no parameter matches: it changed for stream with its virtual servers. */
function unknownParameter(word: string, family: Family, version: number): string {
  if (family === 'mail' || (family === 'stream' && version < versionNumber('1.25.5'))) return `the invalid "${word}" parameter`;
  return `invalid parameter "${word}"`;
}

function familyOf(context: string): Family {
  return context.startsWith('stream') ? 'stream' : context.startsWith('mail') ? 'mail' : 'http';
}

export const listen: Handler = (directive, { catalog }) => {
  const { node } = directive;
  const family = familyOf(directive.parent.context);
  const version = versionNumber(catalog.version);
  const address = node.args[0]!;
  const url = parseUrl(address.value, { listen: true, defaultPort: family === 'http' ? 80 : 0 });
  if (url.error) {
    return { message: `${url.error} in "${address.value}" of the "listen" directive`, at: address, explain: EXPLAIN_ADDRESS };
  }
  // a host name is resolved now: where that fails nginx stops before the parameters, which only the
  // machine nginx runs on can tell
  if (!url.literal && !url.unix && !url.wildcard && url.host.toLowerCase() !== 'localhost') return undefined;
  const words: Token[] = node.args.slice(1);
  for (const token of words) {
    const word = token.value;
    const rule = PARAMETERS.find((r) => r.test(word) && available(r, family, version));
    if (!rule) {
      const newer = PARAMETERS.find((r) => r.test(word) && r.families.includes(family) && r.since && version < versionNumber(r.since));
      const explain = newer
        ? `The "${word}" parameter appeared in nginx ${newer.since}; the nginx configured here is ${catalog.version}.`
        : `listen has no parameter "${word}". A forgotten ";" at the end of the line makes nginx read the next directive's words as parameters.`;
      return { message: unknownParameter(word, family, version), at: token, explain };
    }
    const message = rule.check?.(word);
    if (message) return { message, at: token, explain: `The value of "${word.split('=')[0]}" is not one nginx accepts.` };
  }
  if (family === 'http' && words.some((w) => w.value === 'quic')) {
    for (const [name, test] of NOT_WITH_QUIC) {
      const token = words.find((w) => test(w.value));
      if (token) return quicConflict(name, token);
    }
  }
  if (family === 'stream' && words.some((w) => w.value === 'udp')) {
    for (const [name, test] of NOT_WITH_QUIC.filter(([n]) => n !== 'http2')) {
      const token = words.find((w) => test(w.value));
      if (token) return { message: `"listen" directive "${name}" parameter is incompatible with "udp"`, at: token, explain: 'A UDP listening socket cannot take this TCP option.' };
    }
  }
  return undefined;
};

function quicConflict(name: string, token: Token): HandlerError {
  return { message: `"listen" directive "${name}" parameter is incompatible with "quic"`, at: token, explain: 'QUIC listens on UDP: TCP options and the TLS/HTTP2 parameters belong to a separate TCP listen.' };
}
