import { listeningSockets } from '../../semantics/listening-sockets';
import { workerConnections } from '../../semantics/worker-connections';
import { insertIntoBlock, replaceArguments } from '../edits';
import { defineRule } from '../rule';
import { refused, wholeConfiguration } from '../support';

export default defineRule({
  meta: {
    id: 'nginx/too-few-worker-connections',
    defaultSeverity: 'error',
    messages: {
      tooFew: {
        text: '{connections} worker_connections are not enough for {sockets} listening sockets.',
        ...refused(
          'A worker holds one of its worker_connections for each listening socket, and one for its channel to the master process; ' +
            'nginx checks that they fit when it loads the configuration, naming no file or line. The fix raises worker_connections by ' +
            'what the sockets take, leaving the connections for clients as they were.',
        ),
      },
    },
    fixes: {
      raise: { title: 'Set worker_connections {value}', applicability: 'unsafe', changes: 'each worker may hold up to {value} connections' },
    },
    reads: ['events', 'worker_connections', 'http', 'stream', 'mail', 'server', 'listen'],
    docs: {
      summary: 'Fewer `worker_connections` than the listening sockets need.',
      whatItDoes:
        'In a whole configuration (nginx.conf with its events block), counts the listening sockets nginx opens for the `listen` lines of ' +
        'http, stream and mail: one for each port listened on with the wildcard address, plus one for each other address of that port that ' +
        'sets `bind` or a socket option (`backlog=`, `reuseport`...), or one for each address of a port with no wildcard; a server without ' +
        '`listen` listens on *:80 (*:8000 when nginx does not run as root). Reports a `worker_connections` (512 when the events block sets ' +
        'none) lower than that count plus one, the check nginx makes when it loads the configuration (ngx_event_init_conf). Listens on ' +
        'host names are not counted (nginx resolves them): a count that leaves them out says "at least".',
      whyItMatters:
        'nginx refuses to start with "N worker_connections are not enough for M listening sockets", naming no file or line: it shows up ' +
        'when a configuration grows to listen on many addresses, or in test and container configurations that set a tiny worker_connections.',
      example: 'events {\n    worker_connections 2;\n}\nhttp {\n    server { listen 127.0.0.1:8080; listen 127.0.0.2:8080; }\n}',
      useInstead: 'events {\n    worker_connections 5;\n}\nhttp {\n    server { listen 127.0.0.1:8080; listen 127.0.0.2:8080; }\n}',
      fixSafety:
        'Offered, not applied in bulk: the fix adds one connection per listening socket and one for the channel to the value in effect, so ' +
        'that clients keep the connections they had; each worker may then hold that many, which a low worker_rlimit_nofile may not allow.',
      references: ['https://nginx.org/en/docs/ngx_core_module.html#worker_connections', 'https://nginx.org/en/docs/http/ngx_http_core_module.html#listen'],
    },
  },
  check({ model, report }) {
    const main = wholeConfiguration(model);
    if (!main) return;
    // without an events block nginx stops first (nginx/missing-events)
    const events = main.items.find((d) => d.node.name === 'events' && d.block);
    if (!events?.block) return;
    const { setting, value: connections } = workerConnections(events);
    if (connections === undefined) return; // a number nginx refuses: nginx/invalid-value
    const sockets = listeningSockets(main);
    if (connections >= sockets.count + 1) return;
    const value = String(connections + sockets.count + 1);
    const where = setting ?? events;
    const span = setting ? { start: setting.node.start, end: setting.node.end } : { start: events.node.nameToken.start, end: events.node.nameToken.end };
    const message = `${connections} worker_connections are not enough for ${sockets.count} listening sockets`;
    report({
      message: 'tooFew',
      data: { connections, sockets: sockets.exact ? String(sockets.count) : `at least ${sockets.count}` },
      file: where.file,
      ...span,
      // checked by the events module's init_conf once the configuration is read, before shared memory is set up
      nginx: sockets.exact ? { seq: events.seq, foundAt: -1, line: 0, message, atStartup: true, unlocated: true } : undefined,
      fixes: () => [{ fix: 'raise', data: { value }, edits: [setting ? replaceArguments(setting.file, setting.node, value) : insertIntoBlock(events.file, events.node.block!, [`worker_connections ${value};`])] }],
    });
  },
});
