import { versionNumber } from '../../nginx/directives';
import { defineRule } from '../rule';
import { wholeConfiguration } from '../support';

export default defineRule({
  meta: {
    id: 'workers/processes',
    defaultSeverity: 'hint',
    messages: {
      missing: {
        text: 'No worker_processes: nginx runs a single worker process.',
        why:
          'worker_processes defaults to 1, so one process on one CPU core handles every connection, however many cores the machine has, and ' +
          'one slow operation in it (a blocking disk read, a large TLS handshake burst) delays all of them. The fix sets "worker_processes auto", ' +
          'one worker per CPU core.',
      },
    },
    fixes: {
      auto: { title: 'Add "worker_processes auto;"', applicability: 'unsafe', changes: 'nginx starts one worker process per CPU core' },
    },
    reads: ['master_process'],
    docs: {
      summary: 'A whole configuration without `worker_processes` (one worker, nginx\'s default).',
      whatItDoes:
        'Reports a whole configuration (nginx.conf, or a file holding the http, stream or mail block) whose main context sets no ' +
        '`worker_processes`, unless `master_process off` makes the master serve alone. A fragment read as main, and a Kasm tree, whose main ' +
        'context is the proxy container\'s nginx.conf (which sets `worker_processes auto`), are not reported.',
      whyItMatters:
        'With the default of 1, nginx uses one CPU core whatever the machine has: under load it saturates that core while the others idle, and ' +
        'anything that blocks the one worker stalls every connection.',
      example: 'events {}\nhttp {\n    server { listen 80; }\n}',
      useInstead: 'worker_processes auto;\nevents {}\nhttp {\n    server { listen 80; }\n}',
      fixSafety:
        'Offered, not applied in bulk: more workers use more memory (each has its own caches, connection pools and per-worker state of modules ' +
        'such as njs or Lua), and a machine shared with other services may want fewer than one per core.',
      references: ['https://nginx.org/en/docs/ngx_core_module.html#worker_processes'],
    },
  },
  check({ model, settings, report }) {
    const main = wholeConfiguration(model);
    const file = main?.file;
    if (!main || !file) return;
    if (main.items.some((d) => d.node.name === 'worker_processes')) return;
    // without a master, nginx serves from the one process it starts and never reads worker_processes
    if (main.items.some((d) => d.node.name === 'master_process' && d.node.args[0]?.value.toLowerCase() === 'off')) return;
    const first = main.items.find((d) => d.file === file);
    const at = first ? first.node.start : 0;
    const lineStart = file.text.lastIndexOf('\n', at - 1) + 1;
    const indent = file.text.slice(lineStart, at);
    const atLineStart = /^\s*$/.test(indent);
    const insertAt = atLineStart ? lineStart : at;
    const eol = file.text.includes('\r\n') ? '\r\n' : '\n';
    // "auto" appeared in 1.3.8 (and 1.2.5)
    const auto = versionNumber(settings.nginxVersion) >= versionNumber('1.3.8') || (versionNumber(settings.nginxVersion) >= versionNumber('1.2.5') && versionNumber(settings.nginxVersion) < versionNumber('1.3.0'));
    report({
      message: 'missing',
      file,
      start: first ? first.node.nameToken.start : 0,
      end: first ? first.node.nameToken.end : 0,
      fixes: auto ? [{ fix: 'auto', edits: [{ file, start: insertAt, end: insertAt, newText: `${atLineStart ? indent : ''}worker_processes auto;${eol}` }] }] : [],
    });
  },
});
