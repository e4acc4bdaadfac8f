import { countArgument, DEFAULT_CONNECTIONS, workerConnections } from '../../semantics/worker-connections';
import { replaceArguments } from '../edits';
import { defineRule } from '../rule';

export default defineRule({
  meta: {
    id: 'workers/rlimit-nofile',
    defaultSeverity: 'warning',
    messages: {
      exceeds: {
        text: '{connections} worker_connections exceed the open file limit worker_rlimit_nofile {limit}.',
        why:
          'Each connection, the client\'s and each one to an upstream, holds a file descriptor, and a worker may open only worker_rlimit_nofile of them. ' +
          'Under load the worker runs out of descriptors first: accept() fails with "Too many open files" (logged at crit), the worker stops accepting ' +
          'for a while, and connections to upstreams and files it opens fail too. nginx -t warns "worker_connections exceed open file resource limit" ' +
          'only when its own limit is lower as well. The fix raises worker_rlimit_nofile to twice worker_connections.',
      },
      noHeadroom: {
        text: 'worker_rlimit_nofile {limit} is less than twice the {connections} worker_connections.',
        why:
          'Besides one descriptor per connection, a worker holds one for each file it is sending, each log file, temporary and cache file and listening ' +
          'socket: with fewer than about two descriptors per connection it can run out of them before worker_connections is reached, and then ' +
          'accept() fails with "Too many open files". The fix raises worker_rlimit_nofile to twice worker_connections.',
        severity: 'information',
      },
    },
    fixes: {
      raise: { title: 'Set worker_rlimit_nofile {value}', applicability: 'unsafe', changes: 'each worker may hold up to {value} open files' },
    },
    reads: ['events', 'worker_connections', 'worker_rlimit_nofile'],
    docs: {
      summary: '`worker_rlimit_nofile` lower than `worker_connections` (or than twice it).',
      whatItDoes:
        'In a configuration whose main context sets `worker_rlimit_nofile`, compares it with the `worker_connections` of the events block (512 when ' +
        'the block sets none). Reports a limit below `worker_connections` (nginx\'s own start-up warning, which `nginx -t` prints only when its ' +
        'own limit is lower too) as a warning, and a limit below twice `worker_connections` as information. Without `worker_rlimit_nofile` the ' +
        'limit is the one the service manager or container gives nginx, which a configuration does not show: nothing is reported.',
      whyItMatters:
        'A worker counts every client and upstream connection against `worker_connections`, and holds a file descriptor for each, plus one for ' +
        'every file it sends, log and temporary file. When the descriptors run out first, `accept()` fails with "Too many open files" and the ' +
        'worker stops accepting for a while: the server refuses connections well below the capacity the configuration claims.',
      example: 'worker_rlimit_nofile 1024;\nevents {\n    worker_connections 4096;\n}',
      useInstead: 'worker_rlimit_nofile 8192;\nevents {\n    worker_connections 4096;\n}',
      fixSafety:
        'Raising `worker_rlimit_nofile` is offered, not applied in bulk: the master process sets it for each worker with setrlimit(), which fails ' +
        '(logged as an alert, the worker keeps its old limit) when nginx does not start as root and the hard limit is lower.',
      references: [
        'https://nginx.org/en/docs/ngx_core_module.html#worker_rlimit_nofile',
        'https://nginx.org/en/docs/ngx_core_module.html#worker_connections',
      ],
    },
  },
  check({ model, report }) {
    const root = model.roots[0];
    if (!root || root.context !== 'main' || !root.file) return;
    const rlimit = root.block.items.find((d) => d.node.name === 'worker_rlimit_nofile' && d.node.terminator !== null);
    const limit = countArgument(rlimit);
    if (!rlimit || limit === undefined) return;
    // without the events block (a fragment), worker_connections may be set where this configuration does not show
    const events = root.block.items.find((d) => d.node.name === 'events' && d.block);
    if (!events?.block) return;
    const { setting, value: connections } = workerConnections(events);
    if (connections === undefined || limit >= 2 * connections) return;
    const value = String(2 * connections);
    report({
      message: limit < connections ? 'exceeds' : 'noHeadroom',
      data: { connections, limit },
      file: rlimit.file,
      start: rlimit.node.start,
      end: rlimit.node.end,
      related: setting
        ? [{ file: setting.file, start: setting.node.start, end: setting.node.end, message: `worker_connections ${connections}` }]
        : [{ file: events.file, start: events.node.nameToken.start, end: events.node.nameToken.end, message: `no worker_connections: ${DEFAULT_CONNECTIONS}, nginx's default` }],
      fixes: [{ fix: 'raise', data: { value }, edits: [replaceArguments(rlimit.file, rlimit.node, value)] }],
    });
  },
});
