// `if` inside a location creates an implicit nested location (ngx_http_rewrite_if sets up a location
// configuration for its block): when the condition holds, the request is served with that
// configuration. What goes wrong there ("If is Evil", nginx's wiki): lists inherited only by a level
// that has none of its own drop the location's entries, handlers and file mappings misbehave
// (try_files is ignored), and `rewrite ... break` stops the rewrite module inside that configuration.
// Plain settings nginx documents for "if in location" (limit_rate, expires, ...) behave as written.

import { inheritanceGroup, LIST_SETTINGS } from '../../model/effective';
import { directivesNamed, isChecked } from '../support';
import { defineRule } from '../rule';

const HANDLERS = new Set(['proxy_pass', 'fastcgi_pass', 'uwsgi_pass', 'scgi_pass', 'grpc_pass', 'memcached_pass', 'try_files', 'alias', 'root', 'index', 'autoindex']);

function misbehaves(name: string, args: readonly string[]): boolean {
  if (HANDLERS.has(name) || inheritanceGroup(name)) return true;
  return name === 'rewrite' && args[2] === 'break';
}

export default defineRule({
  meta: {
    id: 'location/if-misuse',
    defaultSeverity: 'warning',
    messages: {
      misuse: {
        text: '{directive} inside "if" in a location does not do what it reads.',
        why:
          'When the condition holds, nginx serves the request with the if block\'s own configuration, an implicit nested location: ' +
          'lists inherited only by a level that has none of its own (add_header, proxy_set_header, ...) drop what the location set, ' +
          'and handlers and per-location settings (try_files, proxy_pass with a URI part, alias) misbehave or are ignored. Only return, ' +
          'rewrite ... last and set are safe inside if in a location: compute the value with a map, or use a separate location.',
      },
    },
    reads: ['if', 'rewrite', ...HANDLERS, ...LIST_SETTINGS],
    docs: {
      summary: 'Directives that misbehave inside `if` in a location ("if is evil").',
      whatItDoes:
        'Reports, inside an `if` block in a location, the directives that do not behave as written there: the lists nginx inherits ' +
        'only by a level that has none of its own (`add_header`, `proxy_set_header`, `fastcgi_param`, `error_page`, `limit_req`, ...), ' +
        'handlers and file mappings (`proxy_pass` and the other `*_pass`, `try_files`, `alias`, `root`, `index`), and `rewrite ... ' +
        'break`. `return`, `rewrite ... last`, `set` and plain settings nginx documents for "if in location" (`limit_rate`, ...) are ' +
        'left alone.',
      whyItMatters:
        'Headers set around the if vanish when it matches (a CORS header, a security header), `try_files` is ignored, proxied ' +
        'paths change: behaviour that depends on a condition in ways the configuration does not show.',
      example: 'location / {\n    add_header X-Frame-Options DENY always;\n    if ($request_method = OPTIONS) {\n        add_header Access-Control-Max-Age 600;\n    }\n    proxy_pass http://app;\n}',
      useInstead:
        'map $request_method $cors_max_age {\n    OPTIONS 600;\n}\n\nlocation / {\n    add_header X-Frame-Options DENY always;\n    add_header Access-Control-Max-Age $cors_max_age;\n    proxy_pass http://app;\n}',
      references: ['https://nginx.org/en/docs/http/ngx_http_rewrite_module.html#if', 'https://github.com/nginxinc/nginx-wiki/blob/master/source/start/topics/depth/ifisevil.rst'],
    },
  },
  check({ model, report }) {
    for (const d of directivesNamed(model, 'if').flatMap((i) => (i.block?.context === 'http.if.location' ? i.block.items : []))) {
      if (!isChecked(d) || !misbehaves(d.node.name, d.node.args.map((a) => a.value))) continue;
      report({ message: 'misuse', data: { directive: d.node.name }, file: d.file, start: d.node.nameToken.start, end: d.node.nameToken.end });
    }
  },
});
