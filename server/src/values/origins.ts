// Where nginx's built-in variables get their bytes, by name and prefix: from the client as sent, from
// the client but decoded by nginx, from the client but checked by nginx, from an upstream's response,
// or from nginx itself. This is the security view of a variable; whether a variable exists in a given
// nginx version is a different question (server/src/nginx/variables.ts).
//
// Facts (nginx sources, src/http/):
// - request line and header values never hold CR or LF: ngx_http_parse_request_line ends the line at
//   them and, since 1.21.1, refuses control characters and spaces in it; ngx_http_parse_header_line
//   ends a value at CR/LF and refuses NUL (ngx_http_parse.c). HTTP/2 and HTTP/3 headers are checked alike.
// - $uri is decoded: ngx_http_parse_complex_uri turns %XX into the byte (%0D%0A become CR LF; %00 is
//   refused) and resolves "." and ".." segments, so it never holds a "/../" segment.
// - $args, $arg_*, $request_uri, $cookie_* are the raw bytes the client sent (not decoded).
// - $host is the Host header (or the request line's host) after ngx_http_validate_host: lower-cased,
//   port and trailing dot removed, ".." "/" and NUL refused.
// - $remote_user is the user part of a Basic Authorization header, base64-decoded: any byte but ":".

import { ByteSet, CR, LF } from './charset';

export type OriginKind =
  /** bytes the client chose and sent, unchanged */
  | 'client'
  /** bytes the client chose, percent-decoded and normalised by nginx */
  | 'decoded'
  /** chosen by the client among what nginx accepts after a check (the host name) */
  | 'checked'
  /** a header or cookie of an upstream's response */
  | 'upstream'
  /** set by nginx or by the configuration (addresses, times, the scheme, ...) */
  | 'server'
  /** text written in the configuration */
  | 'literal'
  /** a variable kasmlint cannot follow (a module it does not know, perl_set, js_set, ...) */
  | 'unknown';

export interface BuiltinOrigin {
  kind: OriginKind;
  /** The bytes it can hold. */
  bytes: ByteSet;
  /** Always starts with "/" (the request path). */
  slash?: boolean;
  /** For messages: "the client's Host header, as sent". */
  description: string;
}

const HEADER_BYTES = ByteSet.ALL.minus(ByteSet.of(CR, LF, 0));
/** What the request line can carry since 1.21.1: printable bytes and bytes above 0x7f, no space. */
const REQUEST_LINE_BYTES = ByteSet.range(0x21, 0x7e).union(ByteSet.range(0x80, 0xff));
const DECODED_BYTES = ByteSet.ALL.minus(ByteSet.of(0));
const HOST_BYTES = REQUEST_LINE_BYTES.minus(ByteSet.chars('/ABCDEFGHIJKLMNOPQRSTUVWXYZ'));
const TOKEN_BYTES = ByteSet.range(0x41, 0x5a).union(ByteSet.chars('_-'));
const SERVER_BYTES = ByteSet.range(0x20, 0x7e);

const client = (bytes: ByteSet, description: string, slash = false): BuiltinOrigin => ({ kind: 'client', bytes, description, ...(slash ? { slash } : {}) });
const decoded = (description: string): BuiltinOrigin => ({ kind: 'decoded', bytes: DECODED_BYTES, slash: true, description });
const server = (description: string): BuiltinOrigin => ({ kind: 'server', bytes: SERVER_BYTES, description });

const NAMED: Record<string, BuiltinOrigin> = {
  http_host: client(HEADER_BYTES, "the client's Host header, as sent (any name, port included)"),
  args: client(REQUEST_LINE_BYTES.minus(ByteSet.chars('#')), 'the query string, as sent'),
  query_string: client(REQUEST_LINE_BYTES.minus(ByteSet.chars('#')), 'the query string, as sent'),
  request_uri: client(REQUEST_LINE_BYTES.minus(ByteSet.chars('#')), 'the request URI, as sent (not decoded)', true),
  request: client(REQUEST_LINE_BYTES.union(ByteSet.chars(' ')), 'the request line, as sent'),
  request_body: client(ByteSet.ALL, 'the request body'),
  content_type: client(HEADER_BYTES, "the client's Content-Type header"),
  content_length: client(HEADER_BYTES, "the client's Content-Length header"),
  remote_user: client(ByteSet.ALL.minus(ByteSet.chars(':')), 'the user name of a Basic Authorization header, base64-decoded (any byte but ":")'),
  proxy_add_x_forwarded_for: client(HEADER_BYTES, "the client's X-Forwarded-For header followed by its address"),
  uri: decoded('the request path, percent-decoded and normalised by nginx: %0A becomes a line feed'),
  document_uri: decoded('the request path, percent-decoded and normalised by nginx: %0A becomes a line feed'),
  request_filename: decoded('the file path built from the decoded request path'),
  fastcgi_script_name: decoded('the script path, from the decoded request path'),
  fastcgi_path_info: decoded('the path info, from the decoded request path'),
  host: { kind: 'checked', bytes: HOST_BYTES, description: "the request's host name, checked by nginx (lower-cased, no port, no \"/\")" },
  request_method: { kind: 'checked', bytes: TOKEN_BYTES, description: 'the request method' },
  server_name: server('the server_name of the server'),
  scheme: server('the scheme of the connection'),
  https: server('"on" over TLS'),
  server_addr: server("the server's address"),
  server_port: server("the server's port"),
  server_protocol: server('the request protocol'),
  remote_addr: server("the client's address"),
  binary_remote_addr: server("the client's address"),
  remote_port: server("the client's port"),
  realip_remote_addr: server("the client's address"),
  realip_remote_port: server("the client's port"),
  hostname: server("the machine's host name"),
  nginx_version: server("nginx's version"),
  pid: server('the worker process id'),
  msec: server('the time'),
  time_iso8601: server('the time'),
  time_local: server('the time'),
  request_id: server('a random request id'),
  request_time: server('the request time'),
  request_length: server('the request length'),
  connection: server('the connection number'),
  connection_requests: server('the request count of the connection'),
  connection_time: server('the connection time'),
  status: server('the response status'),
  is_args: server('"?" when there are arguments'),
  document_root: server('the root of the location'),
  realpath_root: server('the root of the location'),
  proxy_host: server('the host of proxy_pass'),
  proxy_port: server('the port of proxy_pass'),
  body_bytes_sent: server('a byte count'),
  bytes_sent: server('a byte count'),
  limit_rate: server('the rate limit'),
  invalid_referer: server('"" or "1"'),
  secure_link: server('the secure_link result'),
  upstream_addr: server("the upstream's address"),
  upstream_status: server("the upstream's status"),
  upstream_response_time: server('a time'),
  upstream_connect_time: server('a time'),
  upstream_header_time: server('a time'),
  upstream_response_length: server('a length'),
  upstream_cache_status: server('the cache status'),
  connections_active: server('a count'),
  connections_reading: server('a count'),
  connections_writing: server('a count'),
  connections_waiting: server('a count'),
  gzip_ratio: server('a ratio'),
};

const PREFIXES: Array<[string, (name: string) => BuiltinOrigin]> = [
  ['http_', (name) => client(HEADER_BYTES, `the client's ${headerName(name)} header, as sent`)],
  ['arg_', (name) => client(REQUEST_LINE_BYTES.minus(ByteSet.chars('&#')), `the query parameter "${name}", as sent (not decoded)`)],
  ['cookie_', (name) => client(HEADER_BYTES.minus(ByteSet.chars(';')), `the cookie "${name}", as sent`)],
  ['upstream_http_', (name) => ({ kind: 'upstream', bytes: HEADER_BYTES, description: `the ${headerName(name)} header of the upstream's response` })],
  ['upstream_cookie_', (name) => ({ kind: 'upstream', bytes: HEADER_BYTES, description: `the cookie "${name}" set by the upstream's response` })],
  ['upstream_trailer_', (name) => ({ kind: 'upstream', bytes: HEADER_BYTES, description: `the ${headerName(name)} trailer of the upstream's response` })],
  ['sent_http_', (name) => ({ kind: 'upstream', bytes: HEADER_BYTES, description: `the ${headerName(name)} header of the response` })],
  ['sent_trailer_', (name) => ({ kind: 'upstream', bytes: HEADER_BYTES, description: `the ${headerName(name)} trailer of the response` })],
  ['ssl_client_', () => ({ kind: 'client', bytes: HEADER_BYTES, description: "a field of the client's certificate" })],
  ['ssl_', () => server('a TLS property of the connection')],
  ['geoip_', () => server('a GeoIP lookup of the address')],
];

/** "x_forwarded_host" → "X-Forwarded-Host". */
function headerName(name: string): string {
  return name
    .split('_')
    .map((w) => (w ? w[0]!.toUpperCase() + w.slice(1) : w))
    .join('-');
}

const cache = new Map<string, BuiltinOrigin | null>();

/** The origin of a built-in variable (lower-case name, without "$"), or undefined for other variables. */
export function builtinOrigin(name: string): BuiltinOrigin | undefined {
  let found = cache.get(name);
  if (found === undefined) {
    found = NAMED[name] ?? null;
    if (!found) {
      for (const [prefix, make] of PREFIXES) {
        if (name.startsWith(prefix) && name.length > prefix.length) {
          found = make(name.slice(prefix.length));
          break;
        }
      }
    }
    cache.set(name, found ?? null);
  }
  return found ?? undefined;
}

/** The client chose these bytes (as sent, or decoded by nginx). */
export function clientControlled(kind: OriginKind): boolean {
  return kind === 'client' || kind === 'decoded';
}
