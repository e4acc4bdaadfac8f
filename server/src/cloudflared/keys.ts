// The keys of a cloudflared config file, with their types and defaults, as cloudflared 2026.8
// declares them: the YAML structs of config/configuration.go (Configuration, OriginRequestConfig,
// AccessConfig, IngressIPRule, WarpRoutingConfig, UnvalidatedIngressRule) and the defaults of
// ingress/config.go (originRequestFromConfig, NewWarpRoutingConfig). The decoder (config-types.ts),
// the rules, the hover, the completion and the JSON schema all read these tables; the command-line
// flags usable as top-level keys are in flags.ts.

export type KeyType =
  | 'bool'
  | 'duration'
  | 'int'
  | 'uint'
  | 'uint64'
  | 'string'
  | 'strings'
  | 'ints'
  | 'ipRules'
  | 'access'
  | 'originRequest'
  | 'warpRouting'
  | 'rules';

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

/** OriginRequestConfig (every field a pointer: absent = the default, key by key). */
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
    description: "Accept any certificate from the origin (Go's InsecureSkipVerify): no verification at all. Prefer caPool with originServerName. No effect on http://, ws:// or TCP origins, which have no TLS.",
  },
  { key: 'disableChunkedEncoding', type: 'bool', default: 'false', description: 'Do not use chunked transfer encoding to the origin (for WSGI servers).' },
  { key: 'bastionMode', type: 'bool', default: 'false', description: "Act as a jump host: the rule's service is not even validated (cloudflared decides bastion mode before reading the URL)." },
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

/** AccessConfig. */
export const ACCESS_KEYS = keys([
  { key: 'required', type: 'bool', default: 'false', description: 'Reject requests without a valid Cloudflare Access token.' },
  { key: 'teamName', type: 'string', description: 'Your Cloudflare Zero Trust team name: required once audTag is set and required is true.' },
  { key: 'audTag', type: 'strings', description: 'Audience tags of the Access application (a list, even for one tag).' },
  { key: 'environment', type: 'string', description: 'Access environment (e.g. "fed").' },
]);

/** IngressIPRule. */
export const IP_RULE_KEYS = keys([
  { key: 'prefix', type: 'string', description: 'A CIDR network (10.0.0.0/8, 2001:db8::/32): a bare address is refused.' },
  { key: 'ports', type: 'ints', description: 'Ports from 1 to 65535 (a list, even for one port); none means every port.' },
  { key: 'allow', type: 'bool', default: 'false', description: 'Allow (true) or deny (false).' },
]);

/** UnvalidatedIngressRule (hostname, path and service carry no yaml tag: their lower-case names). */
export const INGRESS_RULE_KEYS = keys([
  { key: 'hostname', type: 'string', description: 'The public host name the rule matches; "*.example.com" matches any subdomain. Empty or "*": any.' },
  { key: 'path', type: 'string', description: 'An unanchored Go (RE2) regular expression on the request path.' },
  {
    key: 'service',
    type: 'string',
    description: 'Where matching requests go: a URL with scheme and host and no path (https://localhost:443), http_status:NNN, hello_world, unix:PATH, unix+tls:PATH, socks-proxy, bastion.',
    values: ['https://localhost:443', 'http://localhost:80', 'http_status:404', 'hello_world', 'bastion', 'socks-proxy', 'unix:/run/app.sock', 'unix+tls:/run/app.sock', 'ssh://localhost:22', 'rdp://localhost:3389', 'tcp://localhost:7864'],
  },
  { key: 'originRequest', type: 'originRequest', description: 'Settings for the connection to this origin; they override the top-level originRequest key by key.' },
]);

/** WarpRoutingConfig (enabled was removed in 2023.9.0). */
export const WARP_ROUTING_KEYS = keys([
  { key: 'connectTimeout', type: 'duration', default: '5s', description: 'How long to wait for a connection from a WARP client to a private network.' },
  { key: 'maxActiveFlows', type: 'uint64', default: '0', description: 'Maximum concurrent private-network flows (0: unlimited).' },
  { key: 'tcpKeepAlive', type: 'duration', default: '30s', description: 'TCP keep-alive interval of private-network connections.' },
]);

/** Configuration: the keys of the file itself, beside the command-line flags usable as keys. */
export const TOP_LEVEL_KEYS = keys([
  { key: 'tunnel', type: 'string', description: 'The tunnel UUID (or name) this connector runs.' },
  { key: 'ingress', type: 'rules', description: 'The ingress rules, matched in order; the last one must match everything (e.g. "- service: http_status:404").' },
  { key: 'warp-routing', type: 'warpRouting', description: 'Private network routing for WARP clients.' },
  { key: 'originRequest', type: 'originRequest', description: 'Default originRequest settings for every ingress rule (access and ipRules excepted).' },
]);
