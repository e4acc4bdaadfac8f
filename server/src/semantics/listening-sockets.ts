// How many listening sockets nginx opens for a configuration: what ngx_event_init_conf
// (src/event/ngx_event.c) compares with worker_connections. The http, stream and mail modules each
// book their listens by port (family, port, TCP or UDP), then open one socket per port for the
// wildcard address when one is listened on, plus one for each other address that sets `bind` or a
// socket option (ngx_http_init_listening in src/http/ngx_http.c, the same in ngx_stream.c and
// ngx_mail.c); without a wildcard, one socket per address. A server of http without a listen gets
// *:80, or *:8000 when nginx does not run as root (ngx_http_core_server).

import type { ConfigBlock } from '../model/config';
import { type ListenEntry, listenEntries } from './listens';

export interface ListeningSockets {
  /** The sockets nginx opens, as far as the configuration tells without resolving names. */
  count: number;
  /** Whether `count` is what nginx counts: false when a listen names a host, or the default port depends on nginx's user. */
  exact: boolean;
}

interface Port {
  /** Whether the wildcard address is listened on. */
  wildcard: boolean;
  /** The other addresses, each with whether it gets a socket of its own (bind, or a socket option). */
  addresses: Map<string, boolean>;
}

function portKey(address: string, udp: boolean): { key: string; host: string } {
  if (address.startsWith('unix:')) return { key: address, host: address };
  const colon = address.lastIndexOf(':');
  const host = address.slice(0, colon);
  const family = host.startsWith('[') ? 'inet6' : 'inet';
  return { key: `${family} ${address.slice(colon + 1)}${udp ? ' udp' : ''}`, host };
}

function socketsOf(ports: ReadonlyMap<string, Port>): number {
  let count = 0;
  for (const port of ports.values()) {
    const own = [...port.addresses.values()];
    count += port.wildcard ? 1 + own.filter((bound) => bound).length : own.length;
  }
  return count;
}

function book(ports: Map<string, Port>, entries: readonly Pick<ListenEntry, 'address' | 'udp' | 'options'>[]): void {
  for (const entry of entries) {
    const { key, host } = portKey(entry.address, entry.udp);
    let port = ports.get(key);
    if (!port) ports.set(key, (port = { wildcard: false, addresses: new Map() }));
    if (host === '0.0.0.0' || host === '[::]') port.wildcard = true;
    else port.addresses.set(entry.address, (port.addresses.get(entry.address) ?? false) || entry.options);
  }
}

/** The listening sockets of the http, stream and mail blocks of a whole configuration's main context. */
export function listeningSockets(main: ConfigBlock): ListeningSockets {
  const ports = new Map<string, Port>();
  let exact = true;
  let serversWithoutListen = false;
  for (const block of main.items) {
    const name = block.node.name;
    if ((name !== 'http' && name !== 'stream' && name !== 'mail') || !block.block) continue;
    const entries = listenEntries(block.block);
    book(ports, entries);
    // a listen whose address is a host name (or an IPv6 address other than [::] and [::1]) books
    // what the name resolves to: not counted here
    const booked = new Set(entries.map((e) => e.directive));
    for (const server of block.block.items) {
      if (server.node.name !== 'server' || !server.block) continue;
      const listens = server.block.items.filter((d) => d.node.name === 'listen' && d.node.terminator === ';' && d.node.args.length > 0);
      if (listens.some((d) => !booked.has(d))) exact = false;
      if (name === 'http' && listens.length === 0) serversWithoutListen = true;
    }
  }
  if (!serversWithoutListen) return { count: socketsOf(ports), exact };
  const withDefault = (port: number) => {
    const copy = new Map([...ports].map(([key, p]) => [key, { wildcard: p.wildcard, addresses: new Map(p.addresses) }]));
    book(copy, [{ address: `0.0.0.0:${port}`, udp: false, options: false }]);
    return socketsOf(copy);
  };
  const asRoot = withDefault(80);
  const asOther = withDefault(8000);
  return { count: Math.min(asRoot, asOther), exact: exact && asRoot === asOther };
}
