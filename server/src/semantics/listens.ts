// The listening addresses of the servers of an http (or stream) block, as nginx books them while it
// reads `listen` (http/ngx_http.c ngx_http_add_listen, ngx_http_add_addresses): one entry per address
// and port, named as nginx prints it (`0.0.0.0:80`, `127.0.0.1:8443`, `[::]:443`, `unix:/path`).
// Addresses given as host names are left out: nginx resolves them, which only its machine can do.

import type { ConfigBlock, ConfigDirective } from '../model/config';
import { parseUrl } from './url';

export interface ListenEntry {
  directive: ConfigDirective;
  /** The `server` directive whose block holds the listen. */
  server: ConfigDirective;
  /** The address and port as nginx prints them. */
  address: string;
  defaultServer: boolean;
  /** Sets listening socket options (bind, backlog=, reuseport, ...): at most one listen of an address may. */
  options: boolean;
  ssl: boolean;
  quic: boolean;
  /** A UDP socket (quic, or stream's udp): a different socket from TCP on the same address. */
  udp: boolean;
}

const OPTION = /^(bind|deferred|reuseport|(setfib|fastopen|backlog|rcvbuf|sndbuf|accept_filter|ipv6only|so_keepalive)=.*)$/;

/** The address text nginx prints, when it can be told without resolving a name. */
function addresses(text: string, family: 'http' | 'stream'): string[] | undefined {
  const url = parseUrl(text, { listen: true, defaultPort: family === 'http' ? 80 : 0 });
  if (url.error) return undefined;
  if (url.unix) return [`unix:${url.unix}`];
  let host: string;
  if (url.literal === 'ipv4') host = url.wildcard ? '0.0.0.0' : url.host.split('.').map((o) => String(Number(o || '0'))).join('.');
  else if (url.literal === 'ipv6' && (url.host === '[::]' || url.host === '[::1]')) host = url.host;
  else return undefined;
  const ports: number[] = [];
  for (let port = url.port; port <= (url.lastPort ?? url.port); port++) ports.push(port);
  return ports.map((port) => `${host}:${port}`);
}

/** Whether a directive is a complete `listen` with the `ssl` parameter. */
export function listensWithSsl(d: ConfigDirective): boolean {
  return d.node.name === 'listen' && d.node.terminator === ';' && d.node.args.slice(1).some((a) => a.value === 'ssl');
}

/** Every listen of the servers of `block` (an http or stream block), in nginx's reading order. */
export function listenEntries(block: ConfigBlock): ListenEntry[] {
  const family = block.context === 'stream' ? 'stream' : 'http';
  const entries: ListenEntry[] = [];
  // a listen counts in a server of this block, not deeper: the servers' own levels, not the whole tree
  for (const server of block.items) {
    if (server.node.name !== 'server' || !server.block) continue;
    for (const directive of server.block.items) {
      if (directive.node.name !== 'listen' || directive.node.terminator !== ';' || directive.node.args.length === 0) continue;
      addEntries(directive, server);
    }
  }
  return entries;

  function addEntries(directive: ConfigDirective, server: ConfigDirective): void {
    const words = directive.node.args.slice(1).map((a) => a.value);
    for (const address of addresses(directive.node.args[0]!.value, family) ?? []) {
      entries.push({
        directive,
        server,
        address,
        defaultServer: words.includes('default_server') || words.includes('default'),
        options: words.some((w) => OPTION.test(w)),
        ssl: words.includes('ssl'),
        quic: words.includes('quic'),
        udp: words.includes('quic') || words.includes('udp'),
      });
    }
  }
}

/** The http and stream blocks of the model's first root (the configuration nginx reads). */
export function serverBlocks(model: { roots: ReadonlyArray<{ block: ConfigBlock }> }): ConfigBlock[] {
  const root = model.roots[0];
  if (!root) return [];
  if (root.block.context === 'http' || root.block.context === 'stream') return [root.block];
  return root.block.items.filter((d) => d.block && (d.block.context === 'http' || d.block.context === 'stream')).map((d) => d.block!);
}
