// proxy_cache (fastcgi_cache, uwsgi_cache, scgi_cache) names a shared memory zone that only a
// *_cache_path keys_zone= sizes. The name is booked when the directive is read and checked when the
// module merges each location (ngx_http_proxy_merge_loc_conf: `"proxy_cache" zone "%V" is unknown`,
// logged with ngx_conf_log_error: at the line where the http block ends).

import type { ConfigBlock, ConfigDirective } from '../../model/config';
import { httpBlocks, mergeFoundAt, serversOf, within } from '../http-merge';
import { defineRule } from '../rule';
import { closestMatch } from '../../core/strings';
import { refused } from '../support';

const MODULES = ['proxy', 'fastcgi', 'uwsgi', 'scgi'] as const;

/** The zone names every *_cache_path of the configuration sizes (keys_zone=NAME:SIZE), by module. */
function cacheZones(named: (name: string) => readonly ConfigDirective[]): Map<string, Set<string>> {
  const zones = new Map<string, Set<string>>();
  for (const module of MODULES) {
    const names = new Set<string>();
    for (const path of named(`${module}_cache_path`)) {
      for (const arg of path.node.args) {
        const zone = /^keys_zone=([^:]*)/.exec(arg.value)?.[1];
        if (zone !== undefined) names.add(zone);
      }
    }
    zones.set(module, names);
  }
  return zones;
}

/** The first level nginx merges with `d` in effect: the first server for a line at http level, else the line's own level. */
function firstMerged(d: ConfigDirective, http: ConfigBlock): ConfigBlock | undefined {
  return d.parent !== http ? d.parent : serversOf(http)[0];
}

export default defineRule({
  meta: {
    id: 'nginx/unknown-cache-zone',
    defaultSeverity: 'error',
    messages: {
      unknown: {
        text: '"{directive}" zone "{zone}" is unknown{suggestion}.',
        ...refused(
          'A cache zone is made by a {module}_cache_path line with keys_zone={zone}:SIZE at http level; nginx checks the name when it merges ' +
            'each location once the http block is read, and names the line where that block ends ({where}), not this one.',
        ),
      },
    },
    fixes: {
      rename: { title: 'Use zone "{zone}"', applicability: 'unsafe', changes: 'these responses are cached in another zone' },
    },
    reads: ['http', 'server', ...MODULES.flatMap((m) => [`${m}_cache`, `${m}_cache_path`])],
    docs: {
      summary: 'A `proxy_cache` (or `fastcgi_cache`, `uwsgi_cache`, `scgi_cache`) naming a zone no `*_cache_path` defines.',
      whatItDoes:
        'Reports each `proxy_cache NAME`, `fastcgi_cache NAME`, `uwsgi_cache NAME` and `scgi_cache NAME` (not `off`, not a variable) when ' +
        'no `proxy_cache_path` (the same module\'s) of the configuration has `keys_zone=NAME:SIZE`, with nginx\'s message. A line at http ' +
        'level is checked when a server inherits it. A name another module\'s cache path defines is a different error and is not reported ' +
        'here.',
      whyItMatters:
        'nginx refuses the whole configuration, naming the end of the http block rather than the line: adding caching to one location from ' +
        'a snippet without its `proxy_cache_path` takes the proxy down on reload.',
      example: 'location /static/ {\n    proxy_cache static_cache;\n    proxy_pass http://backend;\n}',
      useInstead:
        'proxy_cache_path /var/cache/nginx/static keys_zone=static_cache:10m;\n\nlocation /static/ {\n    proxy_cache static_cache;\n    proxy_pass http://backend;\n}',
      fixSafety: 'When a zone of the same module has a close name, the fix uses it. Unsafe: responses go to that zone.',
      references: ['https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_cache', 'https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_cache_path'],
    },
  },
  check({ model, report }) {
    const zones = cacheZones((name) => model.named(name));
    const everyZone = new Set([...zones.values()].flatMap((names) => [...names]));
    for (const { block: http, end } of httpBlocks(model)) {
      const where = end ? `line ${end.line} of ${end.file.path.split('/').pop()}` : "the image's nginx.conf";
      for (const module of MODULES) {
        const directive = `${module}_cache`;
        const known = zones.get(module)!;
        for (const d of model.named(directive)) {
          const zone = d.node.args[0]?.value;
          if (d.node.args.length !== 1 || zone === undefined || zone === 'off' || zone.includes('$') || d.node.terminator !== ';') continue;
          // (a name another module's cache path books is "already declared for a different use", said when read)
          if (everyZone.has(zone) || !within(d.parent, http)) continue;
          const level = firstMerged(d, http);
          if (!level) continue; // no server: nothing is merged
          const near = closestMatch(zone, [...known]);
          const token = d.node.args[0]!;
          report({
            message: 'unknown',
            data: { directive, zone, module, where, suggestion: near ? ` (did you mean "${near}"?)` : '' },
            file: d.file,
            start: d.node.start,
            end: d.node.end,
            fixes: near ? [{ fix: 'rename', data: { zone: near }, edits: [{ file: d.file, start: token.start, end: token.end, newText: near }] }] : [],
            // after the module's buffer checks at the same level (ngx_http_<module>_merge_loc_conf)
            nginx: {
              seq: (level.owner?.seq ?? 0) + 0.1,
              line: end?.line ?? 0,
              file: end?.file.path,
              unlocated: end === undefined,
              message: `"${directive}" zone "${zone}" is unknown`,
              foundAt: mergeFoundAt(http, module),
            },
          });
        }
      }
    }
  },
});
