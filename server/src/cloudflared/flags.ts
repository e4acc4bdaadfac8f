// The command-line flags cloudflared also reads from its config file, as `cloudflared tunnel run`
// sees them. Only flags wrapped with altsrc are read, and only by their name, never an alias
// (vendor/github.com/urfave/cli/v2/altsrc/flag.go, ApplyInputSourceValue); the flags of the run
// command come first, then those of the tunnel command (ApplyInputSource walks c.Lineage()), which is
// the order in which a bad value stops cloudflared (cmd/cloudflared/tunnel/subcommands.go
// buildRunCommand, cmd.go tunnelFlags, configureProxyFlags, sshFlags, configureCloudflaredFlags,
// cliutil/logger.go ConfigureLoggingFlags, configureProxyDNSFlags). Types and defaults as declared.

import type { KeyInfo, KeyType } from './keys';

/** How config/configuration.go's configFileSettings reads the value: Bool, String, Int, Duration, StringSlice. */
export type FlagType = 'bool' | 'string' | 'path' | 'int' | 'duration' | 'strings';

export interface FlagInfo extends KeyInfo {
  flag: FlagType;
  aliases?: readonly string[];
  hidden?: boolean;
  /** A flag of the single-origin mode (--url): with ingress rules it does nothing; its originRequest key if any. */
  legacy?: string | true;
  /** "DEPRECATED. No longer has any effect." and the like. */
  noEffect?: string;
}

const TYPE_OF: Record<FlagType, KeyType> = { bool: 'bool', string: 'string', path: 'string', int: 'int', duration: 'duration', strings: 'strings' };

type Spec = Omit<FlagInfo, 'type'>;

function flags(list: Spec[]): FlagInfo[] {
  return list.map((f) => ({ ...f, type: TYPE_OF[f.flag] }));
}

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'fatal'];

/** In the order cloudflared applies them (the first bad one is the error it prints). */
export const FLAGS: readonly FlagInfo[] = flags([
  // subcommands.go buildRunCommand
  { key: 'force', flag: 'bool', aliases: ['f'], default: 'false', description: 'Run the tunnel even if another cloudflared runs it already (replaces the previous connector).' },
  { key: 'credentials-file', flag: 'string', aliases: ['cred-file'], description: "The tunnel's credentials JSON (from cloudflared tunnel create). Without it cloudflared looks for <tunnel id>.json in the origin certificate's folder, then ~/.cloudflared, ~/.cloudflare-warp, ~/cloudflare-warp, /etc/cloudflared, /usr/local/etc/cloudflared." },
  { key: 'credentials-contents', flag: 'string', description: 'The contents of the tunnel credentials JSON; wins over credentials-file.' },
  { key: 'post-quantum', flag: 'bool', aliases: ['pq'], default: 'false', description: 'Only post-quantum key agreement to the edge (QUIC only: refused with protocol: http2).' },
  { key: 'protocol', flag: 'string', aliases: ['p'], hidden: true, default: 'auto', description: "Protocol to Cloudflare's edge: auto (QUIC, falling back to HTTP/2), quic or http2.", values: ['auto', 'quic', 'http2'] },
  { key: 'features', flag: 'strings', aliases: ['F'], description: 'Opt-in features still in development (a list).' },
  { key: 'token', flag: 'string', description: 'A tunnel token (from the dashboard): carries the tunnel and its credentials, wins over them.' },
  { key: 'token-file', flag: 'string', description: 'A file holding the tunnel token.' },
  // cmd.go configureProxyFlags: the single-origin (legacy) flags
  { key: 'url', flag: 'string', default: 'http://localhost:8080', legacy: true, description: 'The one origin of a tunnel without ingress rules.' },
  { key: 'hello-world', flag: 'bool', default: 'false', legacy: true, description: 'Serve the built-in Hello World page (without ingress rules).' },
  { key: 'socks5', flag: 'bool', default: 'false', legacy: 'proxyType', description: 'Run as a SOCKS5 server (without ingress rules).' },
  { key: 'proxy-connect-timeout', flag: 'duration', default: '30s', legacy: 'connectTimeout', description: 'originRequest.connectTimeout of a tunnel without ingress rules.' },
  { key: 'proxy-tls-timeout', flag: 'duration', default: '10s', legacy: 'tlsTimeout', description: 'originRequest.tlsTimeout of a tunnel without ingress rules.' },
  { key: 'proxy-tcp-keepalive', flag: 'duration', default: '30s', legacy: 'tcpKeepAlive', description: 'originRequest.tcpKeepAlive of a tunnel without ingress rules.' },
  { key: 'proxy-no-happy-eyeballs', flag: 'bool', default: 'false', legacy: 'noHappyEyeballs', description: 'originRequest.noHappyEyeballs of a tunnel without ingress rules.' },
  { key: 'proxy-keepalive-connections', flag: 'int', default: '100', legacy: 'keepAliveConnections', description: 'originRequest.keepAliveConnections of a tunnel without ingress rules.' },
  { key: 'proxy-keepalive-timeout', flag: 'duration', default: '1m30s', legacy: 'keepAliveTimeout', description: 'originRequest.keepAliveTimeout of a tunnel without ingress rules.' },
  { key: 'proxy-connection-timeout', flag: 'duration', default: '1m30s', noEffect: 'DEPRECATED. No longer has any effect.', description: 'DEPRECATED. No longer has any effect.' },
  { key: 'proxy-expect-continue-timeout', flag: 'duration', default: '1m30s', noEffect: 'DEPRECATED. No longer has any effect.', description: 'DEPRECATED. No longer has any effect.' },
  { key: 'http-host-header', flag: 'string', legacy: 'httpHostHeader', description: 'originRequest.httpHostHeader of a tunnel without ingress rules.' },
  { key: 'origin-server-name', flag: 'string', legacy: 'originServerName', description: 'originRequest.originServerName of a tunnel without ingress rules.' },
  { key: 'unix-socket', flag: 'string', legacy: true, description: 'A unix socket as the one origin of a tunnel without ingress rules.' },
  { key: 'origin-ca-pool', flag: 'string', legacy: 'caPool', description: 'originRequest.caPool of a tunnel without ingress rules.' },
  { key: 'no-tls-verify', flag: 'bool', default: 'false', legacy: 'noTLSVerify', description: 'originRequest.noTLSVerify of a tunnel without ingress rules.' },
  { key: 'no-chunked-encoding', flag: 'bool', default: 'false', legacy: 'disableChunkedEncoding', description: 'originRequest.disableChunkedEncoding of a tunnel without ingress rules.' },
  { key: 'http2-origin', flag: 'bool', default: 'false', legacy: 'http2Origin', description: 'originRequest.http2Origin of a tunnel without ingress rules.' },
  { key: 'management-hostname', flag: 'string', hidden: true, default: 'management.argotunnel.com', description: 'Host name of management requests.' },
  { key: 'service-op-ip', flag: 'string', hidden: true, default: '198.41.200.113:80', description: 'Fallback address of the management service.' },
  { key: 'local-ssh-port', flag: 'string', hidden: true, default: '2222', description: 'Port of the built-in SSH server (a string: quote a number).' },
  { key: 'ssh-idle-timeout', flag: 'duration', hidden: true, description: 'SSH sessions close after this idle time.' },
  { key: 'ssh-max-timeout', flag: 'duration', hidden: true, description: 'SSH sessions close after this time.' },
  { key: 'bucket-name', flag: 'string', hidden: true, description: 'Bucket of uploaded SSH logs.' },
  { key: 'region-name', flag: 'string', hidden: true, description: 'Region of uploaded SSH logs.' },
  { key: 'secret-id', flag: 'string', hidden: true, description: 'Secret ID for uploading SSH logs.' },
  { key: 'access-key-id', flag: 'string', hidden: true, description: 'Access key ID for uploading SSH logs.' },
  { key: 'session-token', flag: 'string', hidden: true, description: 'Session token for uploading SSH logs.' },
  { key: 's3-url-host', flag: 'string', hidden: true, description: 'S3 host for uploading SSH logs.' },
  { key: 'host-key-path', flag: 'path', hidden: true, description: 'Folder of the SSH host keys (relative to the config file).' },
  { key: 'ssh-server', flag: 'bool', hidden: true, default: 'false', description: 'Run the built-in SSH server.' },
  { key: 'bastion', flag: 'bool', default: 'false', legacy: 'bastionMode', description: 'Run as a jump host (without ingress rules).' },
  { key: 'proxy-address', flag: 'string', default: '127.0.0.1', legacy: 'proxyAddress', description: 'originRequest.proxyAddress of a tunnel without ingress rules.' },
  { key: 'proxy-port', flag: 'int', default: '0', legacy: 'proxyPort', description: 'originRequest.proxyPort of a tunnel without ingress rules.' },
  // cmd.go configureCloudflaredFlags
  { key: 'origincert', flag: 'string', default: 'the first cert.pem in ~/.cloudflared, ~/.cloudflare-warp, ~/cloudflare-warp, /etc/cloudflared, /usr/local/etc/cloudflared', description: 'The account certificate (cert.pem, from cloudflared tunnel login): needed to run a tunnel named instead of by UUID.' },
  { key: 'autoupdate-freq', flag: 'duration', default: '24h', description: 'How often to check for updates.' },
  { key: 'no-autoupdate', flag: 'bool', default: 'false', description: 'Do not update cloudflared automatically.' },
  { key: 'no-prechecks', flag: 'bool', default: 'false', description: 'Skip the connectivity pre-checks at start-up.' },
  { key: 'metrics', flag: 'string', default: 'localhost:0 (first free of localhost:20241-20245)', description: 'Address of the Prometheus metrics server (host:port, a string).' },
  { key: 'pidfile', flag: 'string', description: 'Write the process id to this file after the first connection.' },
  // cliutil/logger.go ConfigureLoggingFlags
  { key: 'loglevel', flag: 'string', default: 'info', description: 'Log level.', values: LOG_LEVELS },
  { key: 'transport-loglevel', flag: 'string', aliases: ['proto-loglevel'], default: 'info', description: 'Log level of the connection to the edge.', values: LOG_LEVELS },
  { key: 'logfile', flag: 'string', description: 'Write the log to this file.' },
  { key: 'log-directory', flag: 'string', description: 'Write the log to this folder.' },
  { key: 'trace-output', flag: 'string', description: 'Write a runtime trace to this file when cloudflared stops.' },
  // cmd.go configureProxyDNSFlags
  { key: 'proxy-dns', flag: 'bool', default: 'false', description: 'Run a DNS-over-HTTPS proxy.' },
  { key: 'proxy-dns-port', flag: 'int', default: '53', description: 'Port of the DNS proxy.' },
  { key: 'proxy-dns-address', flag: 'string', default: 'localhost', description: 'Address of the DNS proxy.' },
  { key: 'proxy-dns-upstream', flag: 'strings', default: 'https://1.1.1.1/dns-query, https://1.0.0.1/dns-query', description: 'DNS-over-HTTPS upstreams (a list).' },
  { key: 'proxy-dns-max-upstream-conns', flag: 'int', default: '5', description: 'Concurrent connections to an upstream (0: no limit).' },
  { key: 'proxy-dns-bootstrap', flag: 'strings', default: 'https://162.159.36.1/dns-query, https://162.159.46.1/dns-query, https://[2606:4700:4700::1111]/dns-query, https://[2606:4700:4700::1001]/dns-query', description: 'Bootstrap DNS-over-HTTPS endpoints (a list).' },
  // cmd.go tunnelFlags
  { key: 'is-autoupdated', flag: 'bool', hidden: true, default: 'false', description: 'Set by cloudflared on the process it restarts after an update.' },
  { key: 'edge', flag: 'strings', hidden: true, description: "Edge addresses (Cloudflare's internal testing only; a list)." },
  { key: 'region', flag: 'string', description: 'Edge region ("us"), empty for the global one.', values: ['us'] },
  { key: 'edge-ip-version', flag: 'string', default: 'auto', description: 'IP version to reach the edge: "4", "6" or auto (a string: quote the numbers).', values: ['auto', '4', '6'] },
  { key: 'edge-bind-address', flag: 'string', description: 'Local IP address to reach the edge from.' },
  { key: 'cacert', flag: 'string', hidden: true, description: "Certificate authority of the edge's certificates." },
  { key: 'hostname', flag: 'string', description: 'A host name to route to the tunnel: ignored by `cloudflared tunnel run` (route it with cloudflared tunnel route dns).' },
  { key: 'id', flag: 'string', hidden: true, description: 'An identifier tying connections to this connector.' },
  { key: 'lb-pool', flag: 'string', description: 'A load balancer pool to add this origin to (with hostname).' },
  { key: 'api-key', flag: 'string', hidden: true, noEffect: 'This parameter has been deprecated since version 2017.10.1.', description: 'Deprecated since 2017.10.1.' },
  { key: 'api-email', flag: 'string', hidden: true, noEffect: 'This parameter has been deprecated since version 2017.10.1.', description: 'Deprecated since 2017.10.1.' },
  { key: 'api-ca-key', flag: 'string', hidden: true, noEffect: 'This parameter has been deprecated since version 2017.10.1.', description: 'Deprecated since 2017.10.1.' },
  { key: 'api-url', flag: 'string', hidden: true, default: 'https://api.cloudflare.com/client/v4', description: 'Base URL of the Cloudflare API.' },
  { key: 'metrics-update-freq', flag: 'duration', default: '5s', description: 'How often to update metrics.' },
  { key: 'tag', flag: 'strings', hidden: true, description: 'KEY=VALUE tags sent to the origin as headers (a list).' },
  { key: 'heartbeat-interval', flag: 'duration', hidden: true, default: '5s', description: 'Idle time before a heartbeat.' },
  { key: 'heartbeat-count', flag: 'int', hidden: true, default: '5', description: 'Unanswered heartbeats before closing a connection.' },
  { key: 'max-edge-addr-retries', flag: 'int', hidden: true, default: '8', description: 'Retries on edge addresses before falling back to another protocol.' },
  { key: 'retries', flag: 'int', default: '5', description: 'Retries of a failed connection to the edge.' },
  { key: 'ha-connections', flag: 'int', hidden: true, default: '4', description: 'Connections to the edge.' },
  { key: 'rpc-timeout', flag: 'duration', hidden: true, default: '5s', description: 'Timeout of RPC requests to the edge.' },
  { key: 'write-stream-timeout', flag: 'duration', hidden: true, default: '0s', description: 'Write timeout of streams to the origin or the edge (0: none).' },
  { key: 'quic-disable-pmtu-discovery', flag: 'bool', hidden: true, default: 'false', description: 'Disable path MTU discovery of QUIC connections.' },
  { key: 'quic-connection-level-flow-control-limit', flag: 'int', hidden: true, default: '31457280', description: 'QUIC connection-level flow control limit (bytes).' },
  { key: 'quic-stream-level-flow-control-limit', flag: 'int', hidden: true, default: '6291456', description: 'QUIC stream-level flow control limit (bytes).' },
  { key: 'label', flag: 'string', description: 'A label for this connector (default: the host name).' },
  { key: 'grace-period', flag: 'duration', default: '30s', description: 'How long to wait for requests to finish on shutdown (at most 3m).' },
  { key: 'compression-quality', flag: 'int', default: '0', description: 'Cross-stream compression (0: off, 1 low, 2 medium, 3 high).' },
  { key: 'use-reconnect-token', flag: 'bool', hidden: true, default: 'true', description: 'Reconnect with a token (classic tunnels).' },
  { key: 'dial-edge-timeout', flag: 'duration', hidden: true, default: '15s', description: 'Timeout to set up a connection with the edge.' },
  { key: 'stdin-control', flag: 'bool', hidden: true, default: 'false', description: 'Control the process through commands on stdin.' },
  { key: 'name', flag: 'string', aliases: ['n'], description: 'Create, route and run a tunnel of this name (cloudflared tunnel, not tunnel run).' },
  { key: 'ui', flag: 'bool', hidden: true, default: 'false', noEffect: '(depreciated) Launch tunnel UI.', description: 'Deprecated terminal UI.' },
  { key: 'quick-service', flag: 'string', hidden: true, default: 'https://api.trycloudflare.com', description: 'Service of quick tunnels.' },
  { key: 'max-fetch-size', flag: 'int', hidden: true, description: 'Most results fetched per API listing.' },
  { key: 'management-diagnostics', flag: 'bool', default: 'true', description: 'Diagnostic routes (/debug/pprof, /metrics) over the management service.' },
]);

export const FLAGS_BY_NAME: ReadonlyMap<string, FlagInfo> = new Map(FLAGS.map((f) => [f.key, f]));

/** Each alias a flag has on the command line, which cloudflared does not read from the file. */
export const FLAG_ALIASES: ReadonlyMap<string, FlagInfo> = new Map(FLAGS.flatMap((f) => (f.aliases ?? []).map((a) => [a, f] as const)));
