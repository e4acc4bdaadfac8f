// When several servers listen on one address and port and none is marked default_server, nginx
// uses the first one it reads for requests that name none of them (ngx_http_add_server: the first
// server added to an address becomes its default_server unless one is marked).

import { keptIn } from '../../core/maps';
import type { ConfigBlock, ConfigDirective } from '../../model/config';
import { directivesNamed } from '../support';
import { defineRule } from '../rule';

/** "80" → "*:80", "0.0.0.0:80" → "*:80", "[::]:443" → "[::]:443"; udp listens (quic) kept apart. */
export function socketOf(listen: ConfigDirective): string | undefined {
  const address = listen.node.args[0]?.value;
  if (!address || address.startsWith('unix:') || address.includes('$')) return address?.startsWith('unix:') ? address : undefined;
  let host = '*';
  let port = '80';
  const v6 = /^\[([^\]]*)\](?::(\d+))?$/.exec(address);
  if (v6) {
    host = `[${v6[1]}]`;
    port = v6[2] ?? '80';
  } else if (/^\d+$/.test(address)) port = address;
  else {
    const m = /^([^:]+)(?::(\d+))?$/.exec(address);
    if (!m) return undefined;
    host = m[1] === '0.0.0.0' || m[1] === '*' ? '*' : m[1]!.toLowerCase();
    port = m[2] ?? '80';
  }
  const datagram = listen.node.args.slice(1).some((a) => a.value === 'quic' || a.value === 'udp');
  return `${host}:${port}${datagram ? ' (quic)' : ''}`;
}

const isDefault = (listen: ConfigDirective) => listen.node.args.slice(1).some((a) => a.value === 'default_server' || a.value === 'default');

export default defineRule({
  meta: {
    id: 'server/no-default',
    defaultSeverity: 'information',
    messages: {
      implicit: {
        text: '{count} servers listen on {socket} and none is default_server.',
        why:
          'Requests that name none of them (scanners, requests by IP address, a mistyped name, a forged Host) go to the first server ' +
          'nginx reads for {socket}: {first}. With includes (sites-enabled/*, conf.d/*.conf) a new file can change which one that is. ' +
          'Mark the server meant to answer them with default_server, often one that only answers 444 or 404.',
      },
    },
    fixes: {
      mark: { title: 'Mark this server default_server (what nginx does today)', applicability: 'safe' },
    },
    reads: ['listen', 'server', 'server_name'],
    docs: {
      summary: 'Several servers on one address and port, none marked `default_server`.',
      whatItDoes:
        'Groups the http servers by the address and port of their `listen` lines (a server without `listen` counts for *:80) and ' +
        'reports each group of two or more servers in which no `listen` has `default_server`.',
      whyItMatters:
        'Which site answers a request for an unknown name is a security decision (it receives forged Host headers and is what scans ' +
        'see). Left implicit, it depends on file order, and changes when a file is added.',
      example: 'server {\n    listen 443 ssl;\n    server_name app.example.com;\n}\nserver {\n    listen 443 ssl;\n    server_name admin.example.com;\n}',
      useInstead:
        'server {\n    listen 443 ssl default_server;\n    server_name _;\n    ssl_reject_handshake on;\n}\nserver {\n    listen 443 ssl;\n    server_name app.example.com;\n}',
      fixSafety: 'Adds `default_server` to the listen line of the server nginx already uses as default: nothing changes but the configuration saying so. Safe.',
      references: ['https://nginx.org/en/docs/http/request_processing.html', 'https://nginx.org/en/docs/http/ngx_http_core_module.html#listen'],
    },
  },
  check({ model, report }) {
    // each socket's servers, in reading order, with their first listen of it: a server listing the
    // socket twice counts once, without a scan of the group (4,000 servers of conf.d on one port: 22 ms)
    const groups = new Map<string, Map<ConfigBlock, ConfigDirective | undefined>>();
    const seenServers = new Set<ConfigBlock>();
    for (const d of directivesNamed(model, 'server')) {
      if (d.block?.context !== 'http.server' || seenServers.has(d.block)) continue;
      seenServers.add(d.block);
      const listens = d.block.items.filter((i) => i.node.name === 'listen' && i.node.terminator === ';');
      const entries: Array<[string, ConfigDirective | undefined]> = listens.length === 0 ? [['*:80', undefined]] : listens.flatMap((l) => (socketOf(l) ? [[socketOf(l)!, l] as [string, ConfigDirective]] : []));
      for (const [socket, listen] of entries) {
        const servers = keptIn(groups, socket, () => new Map<ConfigBlock, ConfigDirective | undefined>());
        if (!servers.has(d.block)) servers.set(d.block, listen);
      }
    }
    for (const [socket, servers] of groups) {
      const entries = [...servers].map(([server, listen]) => ({ server, listen }));
      if (entries.length < 2 || entries.some((e) => e.listen && isDefault(e.listen))) continue;
      const first = entries[0]!;
      const owner = first.server.owner!;
      const name = first.server.items.find((i) => i.node.name === 'server_name')?.node.args[0]?.value;
      const anchor = first.listen ?? owner;
      report({
        message: 'implicit',
        data: { count: entries.length, socket, first: `the server${name ? ` ${name}` : ''} at ${owner.file.path.replace(/.*\//, '')}:${owner.file.lines.positionAt(owner.node.start).line + 1}` },
        file: anchor.file,
        start: anchor.node.start,
        end: anchor.node.end,
        related: entries.slice(1).map((e) => ({ file: (e.listen ?? e.server.owner!).file, start: (e.listen ?? e.server.owner!).node.start, end: (e.listen ?? e.server.owner!).node.end, message: `also listens on ${socket}` })),
        fixes: first.listen ? [{ fix: 'mark', edits: [{ file: first.listen.file, start: first.listen.node.args[0]!.end, end: first.listen.node.args[0]!.end, newText: ' default_server' }] }] : [],
      });
    }
  },
});
