// Two cache paths on one folder: nginx refuses the second when it reads it (ngx_add_path, called by
// ngx_http_file_cache_set_slot: "the same path name "PATH" used in FILE:LINE and", then where the
// second stands). How nginx compares folder names is in semantics/paths.ts, which finds these clashes
// and those of temp paths (nginx/temp-path-conflict).

import { CACHE_PATHS, pathClashes, shortPlace, TEMP_PATHS } from '../../semantics/paths';
import { defineRule } from '../rule';
import { refused } from '../support';

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
    reads: [...CACHE_PATHS, ...TEMP_PATHS],
    docs: {
      summary: 'Two `*_cache_path` lines on the same folder.',
      whatItDoes:
        'Reports a `proxy_cache_path` (or `fastcgi_cache_path`, `uwsgi_cache_path`, `scgi_cache_path`) whose folder an earlier cache path ' +
        'already uses, with the message `nginx -t` prints: "the same path name ... used in FILE:LINE and", at the second line. As the real ' +
        '`nginx -t` compares them, a relative folder loses its last "/" (`cache/` is `cache`) and an absolute one is compared as written ' +
        '(`/var/cache/` is not `/var/cache`); relative folders are compared with each other, not with absolute ones (nginx makes them absolute ' +
        'against its prefix, which the configuration does not tell).',
      whyItMatters: 'nginx refuses the whole configuration: a second cache zone copied from the first, with its keys_zone renamed and its folder left as it was, stops the next reload.',
      example: 'proxy_cache_path /var/cache/nginx keys_zone=pages:10m;\nproxy_cache_path /var/cache/nginx keys_zone=api:10m;',
      useInstead: 'proxy_cache_path /var/cache/nginx/pages keys_zone=pages:10m;\nproxy_cache_path /var/cache/nginx/api keys_zone=api:10m;',
      references: ['https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_cache_path'],
    },
  },
  check({ model, report }) {
    for (const { directive: d, first, folder, nginxName } of pathClashes(model)) {
      if (!CACHE_PATHS.includes(d.node.name) || !CACHE_PATHS.includes(first.node.name)) continue;
      // (nginx's words name the first line's file as it opened it: told here for the main file)
      const exact = first.file.path === model.roots[0]?.file;
      report({
        message: 'sameFolder',
        data: { directive: d.node.name, folder, first: first.node.name, where: shortPlace(first) },
        file: d.file,
        start: d.node.start,
        end: d.node.end,
        related: [{ file: first.file, start: first.node.start, end: first.node.end, message: `${folder} is ${first.node.name}'s folder here` }],
        nginx: exact ? { seq: d.seq, line: d.node.nginxLine, message: `the same path name "${nginxName}" used in ${first.file.path}:${first.node.nginxLine} and` } : undefined,
      });
    }
  },
});
