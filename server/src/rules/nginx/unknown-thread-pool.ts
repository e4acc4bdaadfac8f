// `aio threads=NAME` books a thread pool by name when it is read; once the whole configuration is read,
// nginx gives "default" its 32 threads and refuses any other pool no `thread_pool` line defines
// (src/core/ngx_thread_pool.c, ngx_thread_pool_init_conf: `unknown thread pool "%V" in %s:%ui`, naming
// the first line that used the name). It is the thread pool module's init_conf: after the events
// module's checks and before shared memory is set up (as the real nginx -t orders them).

import type { ConfigDirective } from '../../model/config';
import { closestMatch } from '../../core/strings';
import { aioPool } from '../../semantics/handlers/threads';
import { insertIntoBlock } from '../edits';
import { defineRule } from '../rule';
import { refused, shown, wholeConfiguration } from '../support';

/** Between the events module's checks (foundAt -1) and the shared memory zones (their own reading order). */
const THREAD_POOL_INIT = -0.5;

export default defineRule({
  meta: {
    id: 'nginx/unknown-thread-pool',
    defaultSeverity: 'error',
    messages: {
      unknown: {
        text: 'unknown thread pool "{pool}"{suggestion}.',
        ...refused(
          '"aio threads={pool}" reads files in the thread pool of that name, and no thread_pool line of nginx.conf defines it (only "default" exists ' +
            'without one). nginx checks the names once the whole configuration is read, and names the first line that uses this one.',
        ),
      },
    },
    fixes: {
      rename: { title: 'Use thread pool "{pool}"', applicability: 'unsafe', changes: 'these files are read by the threads of another pool' },
      define: { title: 'Define thread pool "{pool}" with 32 threads in nginx.conf', applicability: 'unsafe', changes: 'nginx starts 32 more threads in each worker' },
    },
    reads: ['aio', 'thread_pool'],
    docs: {
      summary: 'An `aio threads=NAME` naming a thread pool no `thread_pool` line defines.',
      whatItDoes:
        'Reports each `aio threads=NAME` (not a variable) when the configuration, read from its nginx.conf, has no `thread_pool NAME threads=N;` ' +
        'and NAME is not `default` (the pool nginx makes by itself; names are compared as written, case included), with the message `nginx -t` ' +
        'prints. Files read inside http without their nginx.conf are not checked: the pool may be defined there.',
      whyItMatters:
        'nginx refuses the whole configuration once it is read: an `aio threads=` copied from another server whose nginx.conf defined the pool stops the next reload.',
      example: 'http {\n    server {\n        location /videos/ {\n            aio threads=video;\n        }\n    }\n}',
      useInstead: 'thread_pool video threads=16;\n\nhttp {\n    server {\n        location /videos/ {\n            aio threads=video;\n        }\n    }\n}',
      fixSafety:
        'Both fixes are unsafe: using another pool shares its threads, and defining the pool starts 32 threads in every worker process. ' +
        '`aio threads;` (the default pool) is the other way out.',
      references: ['https://nginx.org/en/docs/ngx_core_module.html#thread_pool', 'https://nginx.org/en/docs/http/ngx_http_core_module.html#aio'],
    },
  },
  check({ model, report }) {
    const main = wholeConfiguration(model);
    if (!main) return;
    const defined = new Set(model.named('thread_pool').flatMap((d) => (d.node.terminator === ';' && d.node.args[0] ? [d.node.args[0].value] : [])));
    const firstUse = new Map<string, ConfigDirective>();
    const uses = [...model.named('aio')].sort((a, b) => a.seq - b.seq);
    const rootFile = model.files.get(model.roots[0]!.file!);
    for (const d of uses) {
      const pool = aioPool(d);
      if (!pool || pool.name === 'default' || defined.has(pool.name)) continue;
      const first = !firstUse.has(pool.name);
      if (first) firstUse.set(pool.name, d);
      const near = pool.name === '' ? undefined : closestMatch(pool.name, defined);
      const fixes = () => [
        ...(near ? [{ fix: 'rename' as const, data: { pool: near }, edits: [{ file: d.file, start: pool.at.start, end: pool.at.end, newText: near }] }] : []),
        // (offered on the first use only: fixing every use at once must define the pool once)
        ...(first && rootFile && pool.name !== '' && /^[\w.-]+$/.test(pool.name)
          ? [{ fix: 'define' as const, data: { pool: pool.name }, edits: [insertIntoBlock(rootFile, rootFile.root, [`thread_pool ${pool.name} threads=32;`], (t) => t.block === undefined)] }]
          : []),
      ];
      report({
        message: 'unknown',
        data: { pool: shown(pool.name), suggestion: near ? ` (did you mean "${near}"?)` : '' },
        file: d.file,
        start: pool.at.start,
        end: pool.at.end,
        fixes,
        nginx: first ? { seq: d.seq, foundAt: THREAD_POOL_INIT, line: d.node.nginxLine, message: `unknown thread pool "${pool.name}"`, atStartup: true } : undefined,
      });
    }
  },
});
