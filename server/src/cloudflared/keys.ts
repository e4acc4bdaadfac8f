// The keys cloudflared reads from its config file, with their types and defaults, as cloudflared
// 2026.8.2 declares them (config/configuration.go, ingress/config.go, the CLI flags of
// cmd/cloudflared). The rules, the hover, the completion and the JSON schema all read this one table.

export type KeyType = 'bool' | 'duration' | 'int' | 'uint' | 'string' | 'strings' | 'ipRules' | 'access' | 'map' | 'rules';

export interface KeyInfo {
  key: string;
  type: KeyType;
  default?: string;
  description: string;
  /** Values with a meaning, for completion and the schema. */
  values?: readonly string[];
}

function keys(list: KeyInfo[]): ReadonlyMap<string, KeyInfo> {
  return new Map(list.map((k) => [k.key, k]));
}

/** originRequest, in an ingress rule or at the top level (the rule's own wins, key by key). */
export const ORIGIN_REQUEST_KEYS = keys([
  { key: 'connectTimeout', type: 'duration', default: '30s', description: 'How long to wait for a TCP connection to the origin.' },
  { key: 'tlsTimeout', type: 'duration', default: '10s', description: 'How long to wait for the TLS handshake with the origin.' },
  { key: 'tcpKeepAlive', type: 'duration', default: '30s', description: 'TCP keep-alive interval of connections to the origin.' },
  { key: 'noHappyEyeballs', type: 'bool', default: 'false', description: 'Do not fall back from IPv6 to IPv4 (Happy Eyeballs) when dialing the origin.' },
  { key: 'keepAliveConnections', type: 'int', default: '100', description: 'Idle keep-alive connections kept open to the origin.' },
  { key: 'keepAliveTimeout', type: 'duration', default: '1m30s', description: 'How long an idle keep-alive connection to the origin stays open.' },
  { key: 'httpHostHeader', type: 'string', default: '', description: 'Host header sent to the origin (the original one goes in X-Forwarded-Host).' },
  {
    key: 'originServerName',
    type: 'string',
    default: '',
    description: "Name the origin's certificate must carry (TLS SNI and verification). For Kasm, a name in Kasm's certificate.",
  },
  { key: 'matchSNItoHost', type: 'bool', default: 'false', description: "Send the request's Host as TLS SNI to the origin, request by request." },
  {
    key: 'caPool',
    type: 'string',
    default: '',
    description: "PEM file of the certificate authorities (or the self-signed certificate) the origin's certificate is verified against. For Kasm: /opt/kasm/current/certs/kasm_nginx.crt.",
  },
  {
    key: 'noTLSVerify',
    type: 'bool',
    default: 'false',
    description: "Accept any certificate from the origin (Go's InsecureSkipVerify): no verification at all. Prefer caPool with originServerName.",
  },
  { key: 'disableChunkedEncoding', type: 'bool', default: 'false', description: 'Do not use chunked transfer encoding to the origin (for WSGI servers).' },
  { key: 'bastionMode', type: 'bool', default: 'false', description: "Act as a jump host: the rule's service is ignored." },
  { key: 'proxyAddress', type: 'string', default: '127.0.0.1', description: 'Listen address of the local proxy (socks-proxy and TCP services).' },
  { key: 'proxyPort', type: 'uint', default: '0', description: 'Listen port of the local proxy (0: a random port).' },
  { key: 'proxyType', type: 'string', default: '', description: 'Type of the local proxy: only "socks" has a meaning.', values: ['socks'] },
  { key: 'ipRules', type: 'ipRules', default: '[]', description: "Which networks and ports a socks-proxy rule allows; read only from the rule's own originRequest." },
  { key: 'http2Origin', type: 'bool', default: 'false', description: 'Speak HTTP/2 to the origin (it must support it over TLS).' },
  {
    key: 'access',
    type: 'access',
    description: "Cloudflare Access JWT validation (required, teamName, audTag). Enforced only from the rule's own originRequest, never from the top-level one.",
  },
]);

export const ACCESS_KEYS = keys([
  { key: 'required', type: 'bool', default: 'false', description: 'Reject requests without a valid Cloudflare Access token.' },
  { key: 'teamName', type: 'string', description: 'Your Cloudflare Zero Trust team name.' },
  { key: 'audTag', type: 'strings', description: 'Audience tags of the Access application.' },
  { key: 'environment', type: 'string', description: 'Access environment (e.g. "fed").' },
]);

export const IP_RULE_KEYS = keys([
  { key: 'prefix', type: 'string', description: 'A CIDR network.' },
  { key: 'ports', type: 'strings', description: 'Ports (1-65535).' },
  { key: 'allow', type: 'bool', description: 'Allow (true) or deny (false).' },
]);

export const INGRESS_RULE_KEYS = keys([
  { key: 'hostname', type: 'string', description: 'The public host name the rule matches; "*.example.com" matches any subdomain. Empty or "*": any.' },
  { key: 'path', type: 'string', description: 'An unanchored Go (RE2) regular expression on the request path.' },
  {
    key: 'service',
    type: 'string',
    description: 'Where matching requests go: a URL with scheme and host and no path (https://localhost:443), http_status:NNN, hello_world, unix:PATH, unix+tls:PATH, socks-proxy, bastion.',
  },
  { key: 'originRequest', type: 'map', description: 'Settings for the connection to this origin; they override the top-level originRequest key by key.' },
]);

export const WARP_ROUTING_KEYS = keys([
  { key: 'connectTimeout', type: 'duration', default: '5s', description: 'How long to wait for a connection from a WARP client to a private network.' },
  { key: 'maxActiveFlows', type: 'uint', default: '0', description: 'Maximum concurrent private-network flows (0: unlimited).' },
  { key: 'tcpKeepAlive', type: 'duration', default: '30s', description: 'TCP keep-alive interval of private-network connections.' },
]);

/** The keys of the file itself, beside the command-line flags usable as keys. */
export const TOP_LEVEL_KEYS = keys([
  { key: 'tunnel', type: 'string', description: 'The tunnel UUID (or name) this connector runs.' },
  { key: 'credentials-file', type: 'string', description: "The tunnel's credentials JSON (from cloudflared tunnel create)." },
  { key: 'ingress', type: 'rules', description: 'The ingress rules, matched in order; the last one must match everything (e.g. "- service: http_status:404").' },
  { key: 'originRequest', type: 'map', description: 'Default originRequest settings for every ingress rule (access and ipRules excepted).' },
  { key: 'warp-routing', type: 'map', description: 'Private network routing for WARP clients.' },
]);

/** Command-line flags cloudflared also reads from the file (the ones that concern a running tunnel). */
export const FLAG_KEYS = keys([
  { key: 'loglevel', type: 'string', default: 'info', description: 'Log level.', values: ['debug', 'info', 'warn', 'error', 'fatal'] },
  { key: 'transport-loglevel', type: 'string', default: 'info', description: 'Log level of the connection to the edge.', values: ['debug', 'info', 'warn', 'error', 'fatal'] },
  { key: 'logfile', type: 'string', description: 'Write the log to this file.' },
  { key: 'log-directory', type: 'string', description: 'Write the log to this folder.' },
  { key: 'metrics', type: 'string', description: 'Address of the Prometheus metrics server (host:port).' },
  { key: 'protocol', type: 'string', default: 'auto', description: 'Protocol to the Cloudflare edge.', values: ['auto', 'quic', 'http2'] },
  { key: 'no-autoupdate', type: 'bool', default: 'false', description: 'Do not update cloudflared automatically.' },
  { key: 'autoupdate-freq', type: 'duration', default: '24h', description: 'How often to check for updates.' },
  { key: 'edge-ip-version', type: 'string', default: '4', description: 'IP version to reach the edge.', values: ['4', '6', 'auto'] },
  { key: 'edge-bind-address', type: 'string', description: 'Local address to reach the edge from.' },
  { key: 'region', type: 'string', description: 'Cloudflare edge region ("us" or empty for global).' },
  { key: 'retries', type: 'int', default: '5', description: 'Retries of a failed connection to the edge.' },
  { key: 'grace-period', type: 'duration', default: '30s', description: 'How long to wait for requests to finish on shutdown.' },
  { key: 'pidfile', type: 'string', description: 'Write the process id to this file.' },
  { key: 'token', type: 'string', description: 'A tunnel token (from the dashboard) instead of tunnel and credentials-file.' },
  { key: 'token-file', type: 'string', description: 'A file holding the tunnel token.' },
  { key: 'credentials-contents', type: 'string', description: 'The credentials JSON itself instead of credentials-file.' },
  { key: 'origincert', type: 'string', description: 'The account certificate (cert.pem) for tunnel management commands.' },
  { key: 'post-quantum', type: 'bool', default: 'false', description: 'Only post-quantum key agreement to the edge.' },
  { key: 'management-diagnostics', type: 'bool', default: 'true', description: 'Diagnostics through the management API.' },
  { key: 'label', type: 'string', description: 'A label for this connector.' },
  { key: 'name', type: 'string', description: 'Tunnel name (for quick tunnels).' },
  { key: 'features', type: 'strings', description: 'Opt-in features.' },
  { key: 'metrics-update-freq', type: 'duration', default: '5s', description: 'How often to update metrics.' },
  { key: 'compression-quality', type: 'int', default: '0', description: 'Cross-stream compression (0: off).' },
  { key: 'no-prechecks', type: 'bool', default: 'false', description: 'Skip the connectivity pre-checks.' },
  { key: 'trace-output', type: 'string', description: 'Write a runtime trace to this file.' },
  { key: 'proxy-dns', type: 'bool', default: 'false', description: 'Run a DNS-over-HTTPS proxy.' },
  { key: 'proxy-dns-port', type: 'int', default: '53', description: 'Port of the DNS proxy.' },
  { key: 'proxy-dns-address', type: 'string', default: 'localhost', description: 'Address of the DNS proxy.' },
  { key: 'proxy-dns-upstream', type: 'strings', description: 'DNS-over-HTTPS upstreams.' },
]);

/**
 * Origin flags from before ingress rules. cloudflared reads them only when the file has no ingress
 * rules; with rules they do nothing, however they look. Each maps to its originRequest key.
 */
export const LEGACY_ORIGIN_FLAGS: ReadonlyMap<string, string | undefined> = new Map([
  ['url', undefined],
  ['hello-world', undefined],
  ['unix-socket', undefined],
  ['bastion', 'bastionMode'],
  ['socks5', undefined],
  ['no-tls-verify', 'noTLSVerify'],
  ['origin-ca-pool', 'caPool'],
  ['origin-server-name', 'originServerName'],
  ['http-host-header', 'httpHostHeader'],
  ['no-chunked-encoding', 'disableChunkedEncoding'],
  ['http2-origin', 'http2Origin'],
  ['proxy-connect-timeout', 'connectTimeout'],
  ['proxy-tls-timeout', 'tlsTimeout'],
  ['proxy-tcp-keepalive', 'tcpKeepAlive'],
  ['proxy-no-happy-eyeballs', 'noHappyEyeballs'],
  ['proxy-keepalive-connections', 'keepAliveConnections'],
  ['proxy-keepalive-timeout', 'keepAliveTimeout'],
  ['proxy-address', 'proxyAddress'],
  ['proxy-port', 'proxyPort'],
]);
