// A *_temp_path on a folder an earlier path line booked (ngx_add_path, semantics/paths.ts): on a cache
// path's folder, or on another temp path's with other levels, nginx refuses it when it reads it. Two
// cache paths on one folder are nginx/duplicate-cache-path. The temp paths nginx adds by itself when no
// line sets one (its build's folders, /var/lib/nginx/proxy on Debian) are not known here.

import { CACHE_PATHS, pathClashes, shortPlace, TEMP_PATHS } from '../../semantics/paths';
import { defineRule } from '../rule';
import { refused } from '../support';

function levelsShown(args: ReadonlyArray<{ value: string }>): string {
  const levels = args.slice(1).map((a) => a.value);
  return levels.length === 0 ? 'none' : levels.join(' ');
}

export default defineRule({
  meta: {
    id: 'nginx/temp-path-conflict',
    defaultSeverity: 'error',
    messages: {
      cacheFolder: {
        text: '{directive} uses the folder "{folder}", which the {first} at {where} already uses.',
        ...refused(
          'A cache path owns its folder (nginx walks it to load and expire the cache): nginx refuses any other path on it when it reads the second line. ' +
            'Keep temporary files in a folder of their own; on the same file system as the cache, nginx renames them into it instead of copying.',
        ),
      },
      levels: {
        text: '{directive} gives "{folder}" levels {levels}; the {first} at {where} gives it {firstLevels}.',
        ...refused('Temp paths may share a folder only with the same levels (the sub-folders nginx makes for the files); nginx refuses the second line when it reads it.'),
      },
    },
    reads: [...CACHE_PATHS, ...TEMP_PATHS],
    docs: {
      summary: 'A `*_temp_path` on the folder of a cache path, or of another temp path with other levels.',
      whatItDoes:
        'Follows the folders nginx books as it reads `client_body_temp_path`, `proxy_temp_path`, `fastcgi_temp_path`, `uwsgi_temp_path`, ' +
        '`scgi_temp_path` and the `*_cache_path` lines, and reports a line on a folder an earlier one booked: a temp path and a cache path on ' +
        'one folder, in either order, or two temp paths whose levels differ, with the message `nginx -t` prints at the second line. Folders ' +
        'are compared as nginx compares them (a relative one without its last "/", an absolute one as written: nginx/duplicate-cache-path ' +
        'says more). The temp paths nginx sets by itself when none is written (its build\'s folders) are not checked.',
      whyItMatters: 'nginx refuses the whole configuration: pointing `proxy_temp_path` at the cache folder, a common attempt to avoid copies, stops the next reload.',
      example: 'proxy_cache_path /var/cache/nginx/pages keys_zone=pages:10m;\nproxy_temp_path /var/cache/nginx/pages;',
      useInstead: 'proxy_cache_path /var/cache/nginx/pages keys_zone=pages:10m;\nproxy_temp_path /var/cache/nginx/temp;',
      references: ['https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_temp_path', 'https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_cache_path'],
    },
  },
  check({ model, report }) {
    for (const { directive: d, first, folder, nginxName, kind } of pathClashes(model)) {
      if (kind === 'owner' && CACHE_PATHS.includes(d.node.name) && CACHE_PATHS.includes(first.node.name)) continue; // nginx/duplicate-cache-path
      // (nginx's words name the first line's file as it opened it: told here for the main file)
      const exact = first.file.path === model.roots[0]?.file;
      const where = `${first.file.path}:${first.node.nginxLine}`;
      const message = kind === 'owner' ? `the same path name "${nginxName}" used in ${where} and` : `the same path name "${nginxName}" in ${where} has the different levels than`;
      report({
        message: kind === 'owner' ? 'cacheFolder' : 'levels',
        data: { directive: d.node.name, folder, first: first.node.name, where: shortPlace(first), levels: levelsShown(d.node.args), firstLevels: levelsShown(first.node.args) },
        file: d.file,
        start: d.node.start,
        end: d.node.end,
        related: [{ file: first.file, start: first.node.start, end: first.node.end, message: `${folder} is ${first.node.name}'s folder here` }],
        nginx: exact ? { seq: d.seq, line: d.node.nginxLine, message } : undefined,
      });
    }
  },
});
