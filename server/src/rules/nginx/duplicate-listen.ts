import { keptIn } from '../../core/maps';
import type { ConfigDirective } from '../../model/config';
import { versionNumber } from '../../nginx/directives';
import { listenEntries, serverBlocks, type ListenEntry } from '../../semantics/listens';
import { defineRule } from '../rule';
import { includeTrail } from '../support';

/** The listens booked for one address and port. */
interface Slot {
  byServer: Map<ConfigDirective, ListenEntry>;
  options?: ListenEntry;
  defaultServer?: ListenEntry;
}

export default defineRule({
  meta: {
    id: 'nginx/duplicate-listen',
    defaultSeverity: 'error',
    messages: {
      sameServer: { text: '{nginx}.', why: 'This server already listens on {address} (line {first}); nginx refuses the configuration.' },
      options: {
        text: '{nginx}.',
        why: 'Socket options (bind, backlog=, reuseport, so_keepalive=...) of {address} are set at line {first} already: nginx lets only one listen of an address set them, and refuses the configuration.',
      },
      defaultServer: {
        text: '{nginx}.',
        why: 'Another server is already the default_server of {address} (line {first}): an address has one default server, and nginx refuses the configuration.',
      },
    },
    reads: ['listen'],
    docs: {
      summary: 'Two listens of one address that nginx refuses: twice in a server, two default servers, socket options set twice.',
      whatItDoes:
        'Books every `listen` of the http (stream and mail) servers per address and port as nginx does while reading them (ngx_http_add_listen), ' +
        'and reports what nginx refuses, with its message: the same address twice in one server (`a duplicate listen`), two `default_server` ' +
        'flags for one address (`a duplicate default server for 0.0.0.0:443`), and socket options set by two listens of one address ' +
        '(`duplicate listen options for`). Addresses written as host names are not booked: nginx resolves them.',
      whyItMatters: 'Copying a server block to make a second site is the usual way to end up with two default servers, and nginx will not start.',
      example: 'server {\n    listen 443 ssl default_server;\n}\nserver {\n    listen 443 ssl default_server;\n}',
      useInstead: 'server {\n    listen 443 ssl default_server;\n}\nserver {\n    listen 443 ssl;\n}',
    },
  },
  check({ model, catalog, report }) {
    const version = versionNumber(catalog.version);
    const mailBlocks = model.named('mail').flatMap((d) => (d.block ? [d.block] : []));
    for (const block of [...serverBlocks(model), ...mailBlocks]) {
      // mail servers, and stream servers before 1.25.5, are not virtual servers: any second listen of an
      // address is refused (ngx_mail_core_listen, ngx_stream_core_listen)
      const oldStream = block.context === 'mail' || (block.context === 'stream' && version < versionNumber('1.25.5'));
      // a slot keeps each server's first entry by server, in reading order: a scan of the slot for each
      // listen made 4,000 servers on one port take 4,000 x 4,000 steps
      const booked = new Map<string, Slot>();
      for (const entry of listenEntries(block)) {
        const key = `${entry.address}${entry.udp ? '/udp' : ''}`;
        const slot = keptIn(booked, key, (): Slot => ({ byServer: new Map() }));
        const line = (e: ListenEntry) => e.directive.node.nginxLine;
        const at = (message: 'sameServer' | 'options' | 'defaultServer', nginx: string, first: ListenEntry) =>
          report({
            message,
            data: { nginx, address: entry.address, first: line(first) },
            file: entry.directive.file,
            start: entry.directive.node.args[0]!.start,
            end: entry.directive.node.args[0]!.end,
            related: [{ file: first.directive.file, start: first.directive.node.start, end: first.directive.node.end, message: `${entry.address} is booked here first` }, ...includeTrail(entry.directive)],
            nginx: { seq: entry.directive.seq, line: entry.directive.node.nginxLine, message: nginx },
          });
        const previous: ListenEntry | undefined = slot.byServer.values().next().value;
        if (oldStream && previous) {
          at('sameServer', `duplicate "${entry.address}" address and port pair`, previous);
          continue;
        }
        const sameServer = slot.byServer.get(entry.server);
        if (sameServer) {
          at('sameServer', `a duplicate listen ${entry.address}`, sameServer);
          continue;
        }
        if (entry.options && slot.options) {
          at('options', `duplicate listen options for ${slot.options.address}`, slot.options);
          continue;
        }
        if (entry.defaultServer && slot.defaultServer) {
          at('defaultServer', `a duplicate default server for ${entry.address}`, slot.defaultServer);
          continue;
        }
        slot.byServer.set(entry.server, entry);
        if (entry.options) slot.options = entry;
        if (entry.defaultServer) slot.defaultServer ??= entry;
      }
    }
  },
});
