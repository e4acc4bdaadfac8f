// A stream server with no listen line: nginx refuses it when it reaches the end of the server's block
// (ngx_stream_core_server, nginx 1.22.1 src/stream/ngx_stream_core_module.c:562: "no "listen" is
// defined for server in FILE:LINE", the line of the server's `{`).

import { defineRule } from '../rule';
import { refused } from '../support';

export default defineRule({
  meta: {
    id: 'nginx/stream-server-without-listen',
    defaultSeverity: 'error',
    messages: {
      none: {
        text: 'no "listen" is defined for this stream server.',
        ...refused('A stream server takes connections only on its own listen lines (it has no default port, unlike an http server); nginx refuses one without when it reaches the end of its block.'),
      },
    },
    reads: ['stream', 'server', 'listen'],
    docs: {
      summary: 'A stream `server` without a `listen` line.',
      whatItDoes:
        'Reports each server of a `stream` block with no `listen` among its own lines, with the message `nginx -t` prints ' +
        '("no "listen" is defined for server in FILE:LINE", the server\'s line). An http server listens on port 80 by default; a stream ' +
        'server has no default.',
      whyItMatters: 'nginx refuses the whole configuration, and the http sites with it.',
      example: 'stream {\n    server {\n        proxy_pass 10.0.0.5:5432;\n    }\n}',
      useInstead: 'stream {\n    server {\n        listen 5432;\n        proxy_pass 10.0.0.5:5432;\n    }\n}',
      references: ['https://nginx.org/en/docs/stream/ngx_stream_core_module.html#listen'],
    },
  },
  check({ model, report }) {
    for (const stream of model.named('stream')) {
      if (!stream.block) continue;
      for (const server of stream.block.items) {
        const own = server.block;
        if (server.node.name !== 'server' || !own || server.node.block?.close === null || own.endSeq === undefined) continue;
        if (own.items.some((d) => d.node.name === 'listen')) continue;
        report({
          message: 'none',
          file: server.file,
          start: server.node.nameToken.start,
          end: server.node.nameToken.end,
          // when the server's block ends, before any merge
          nginx: { seq: server.seq, foundAt: own.endSeq - 0.5, line: server.node.nginxLine, message: 'no "listen" is defined for server' },
        });
      }
    }
  },
});
