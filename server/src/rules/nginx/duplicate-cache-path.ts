// Two cache paths on one folder: nginx refuses the second when it reads it (ngx_add_path, called by
// ngx_http_file_cache_set_slot: "the same path name "PATH" used in FILE:LINE and", then where the
// second stands). The paths are compared as written (a last "/" makes another name), made absolute
// against nginx's prefix (-p, not the configuration's folder).

import type { ConfigDirective } from '../../model/config';
import { defineRule } from '../rule';
import { refused } from '../support';

const CACHE_PATHS = ['proxy_cache_path', 'fastcgi_cache_path', 'uwsgi_cache_path', 'scgi_cache_path'];

/** The folder a cache path line names, as nginx compares it before making it absolute. */
function folderOf(d: ConfigDirective): string | undefined {
  const path = d.node.args[0]?.value;
  return path === undefined || path === '' || path.includes('$') ? undefined : path;
}

export default defineRule({
  meta: {
    id: 'nginx/duplicate-cache-path',
    defaultSeverity: 'error',
    messages: {
      sameFolder: {
        text: '{directive} uses the folder "{folder}", which the {first} at {where} already uses.',
        ...refused('Each cache keeps its files, and its size and expiry, in a folder of its own; nginx refuses a second cache path on the same folder when it reads it.'),
      },
    },
    reads: CACHE_PATHS,
    docs: {
      summary: 'Two `*_cache_path` lines on the same folder.',
      whatItDoes:
        'Reports a `proxy_cache_path` (or `fastcgi_cache_path`, `uwsgi_cache_path`, `scgi_cache_path`) whose folder, written the same way, ' +
        'an earlier cache path already uses, with the message `nginx -t` prints: "the same path name ... used in FILE:LINE and", at the ' +
        'second line. nginx compares the names as written (with a last "/", a folder is another name to it) and makes relative ones ' +
        'absolute against its prefix.',
      whyItMatters: 'nginx refuses the whole configuration: a second cache zone copied from the first, with its keys_zone renamed and its folder left as it was, stops the next reload.',
      example: 'proxy_cache_path /var/cache/nginx keys_zone=pages:10m;\nproxy_cache_path /var/cache/nginx keys_zone=api:10m;',
      useInstead: 'proxy_cache_path /var/cache/nginx/pages keys_zone=pages:10m;\nproxy_cache_path /var/cache/nginx/api keys_zone=api:10m;',
      references: ['https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_cache_path'],
    },
  },
  check({ model, report }) {
    const firstOf = new Map<string, ConfigDirective>();
    const lines = CACHE_PATHS.flatMap((name) => model.named(name)).filter((d) => d.node.terminator === ';').sort((a, b) => a.seq - b.seq);
    for (const d of lines) {
      const folder = folderOf(d);
      if (folder === undefined) continue;
      const first = firstOf.get(folder);
      if (!first) {
        firstOf.set(folder, d);
        continue;
      }
      const where = `${first.file.path.split('/').pop()}:${first.node.nginxLine}`;
      // (nginx's words name the first line's file as it opened it: told here for an absolute folder in the main file)
      const exact = folder.startsWith('/') && first.file.path === model.roots[0]?.file;
      report({
        message: 'sameFolder',
        data: { directive: d.node.name, folder, first: first.node.name, where },
        file: d.file,
        start: d.node.start,
        end: d.node.end,
        related: [{ file: first.file, start: first.node.start, end: first.node.end, message: `${folder} is ${first.node.name}'s folder here` }],
        nginx: exact ? { seq: d.seq, line: d.node.nginxLine, message: `the same path name "${folder}" used in ${first.file.path}:${first.node.nginxLine} and` } : undefined,
      });
    }
  },
});
