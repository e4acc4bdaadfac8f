// A stream server that hands its connections to nothing: nginx refuses it when it merges the stream
// servers (ngx_stream_core_merge_srv_conf: "no handler for server in FILE:LINE", the line of the
// server's `{`). The handler is set by the server's own proxy_pass, return or pass (1.25.5), or a
// module's content directive (Lua's content_by_lua*).

import { versionNumber } from '../../nginx/directives';
import { streamMergeFoundAt } from '../http-merge';
import { defineRule } from '../rule';
import { refused } from '../support';

const HANDLERS = new Set(['proxy_pass', 'return', 'pass', 'content_by_lua', 'content_by_lua_block', 'content_by_lua_file']);

export default defineRule({
  meta: {
    id: 'nginx/stream-without-handler',
    defaultSeverity: 'error',
    messages: {
      none: {
        text: 'no handler for server: this stream server has no {handlers}.',
        ...refused('A stream server passes each connection to what its own proxy_pass, return or pass line says; nginx checks that it has one when it merges the stream servers.'),
      },
    },
    reads: ['stream', 'server', ...HANDLERS],
    docs: {
      summary: 'A stream `server` without `proxy_pass`, `return` or `pass`.',
      whatItDoes:
        'Reports each server of a `stream` block with none of `proxy_pass`, `return`, `pass` (nginx 1.25.5 and later) or Lua\'s ' +
        '`content_by_lua*` in its own lines, with the message `nginx -t` prints ("no handler for server in FILE:LINE", the server\'s line). ' +
        'A server holding a directive kasmlint does not know may get its handler from that module, and is not reported.',
      whyItMatters: 'nginx refuses the whole configuration: a stream server written with its listen and without its proxy_pass yet stops the next reload.',
      example: 'stream {\n    server {\n        listen 5432;\n    }\n}',
      useInstead: 'stream {\n    server {\n        listen 5432;\n        proxy_pass 10.0.0.5:5432;\n    }\n}',
      references: ['https://nginx.org/en/docs/stream/ngx_stream_proxy_module.html#proxy_pass', 'https://nginx.org/en/docs/stream/ngx_stream_return_module.html'],
    },
  },
  check({ model, catalog, report }) {
    const handlers = versionNumber(catalog.version) >= versionNumber('1.25.5') ? 'proxy_pass, return or pass' : 'proxy_pass or return';
    for (const stream of model.named('stream')) {
      if (!stream.block) continue;
      for (const server of stream.block.items) {
        if (server.node.name !== 'server' || !server.block || server.node.block?.close === null) continue;
        const lines = server.block.items;
        if (lines.some((d) => HANDLERS.has(d.node.name) || catalog.specs(d.node.name).length === 0)) continue;
        report({
          message: 'none',
          data: { handlers },
          file: server.file,
          start: server.node.nameToken.start,
          end: server.node.nameToken.end,
          // found when ngx_stream_block merges the core module's server settings, first of the stream modules
          nginx: { seq: server.seq, foundAt: streamMergeFoundAt(stream.block, 'core'), line: server.node.nginxLine, message: 'no handler for server' },
        });
      }
    }
  },
});
