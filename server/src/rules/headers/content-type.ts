// nginx sends the Content-Type it holds in r->headers_out.content_type (types, default_type, or the
// upstream's header) from the header filter; add_header Content-Type is an ordinary header line in
// r->headers_out.headers (ngx_http_headers_filter_module has no handler of its own for it), so the
// response carries two. Except on 204, where ngx_http_header_filter clears nginx's own, and where a
// *_hide_header Content-Type keeps the upstream's out.

import type { ConfigBlock, ConfigDirective } from '../../model/config';
import { effective } from '../../model/effective';
import { directivesNamed, isChecked } from '../support';
import { defineRule } from '../rule';

const HIDE_HEADER = ['proxy_hide_header', 'fastcgi_hide_header', 'uwsgi_hide_header', 'scgi_hide_header', 'grpc_hide_header'];

/** The location (or server, http) level a directive's block stands for: an `if` counts as its location. */
function levelOf(block: ConfigBlock): ConfigBlock {
  return block.context === 'http.if.location' || block.context === 'http.if.server' ? (block.parent ?? block) : block;
}

/** The level answers every request with `return 204` (nginx sends no Content-Type of its own then). */
function answers204(block: ConfigBlock): boolean {
  return block.items.some((d) => d.node.name === 'return' && d.node.terminator === ';' && d.node.args.length === 1 && d.node.args[0]!.value === '204');
}

function hidesContentType(block: ConfigBlock, version: string): boolean {
  return HIDE_HEADER.some((name) => effective(block, name, version).directives.some((h) => h.node.args[0]?.value.toLowerCase() === 'content-type'));
}

export default defineRule({
  meta: {
    id: 'headers/content-type',
    defaultSeverity: 'warning',
    messages: {
      second: {
        text: 'add_header Content-Type sends a second Content-Type beside the one nginx sets.',
        why:
          'nginx sets Content-Type itself (from types and default_type, or from the upstream\'s response) and add_header adds a ' +
          'header line rather than replacing it: the response carries two Content-Type headers, and browsers, caches and proxies ' +
          'may each pick a different one (MIME confusion). Set the type of responses nginx makes with `default_type {value};`; ' +
          'to replace an upstream\'s type, hide it first with proxy_hide_header Content-Type.',
      },
    },
    fixes: {
      defaultType: {
        title: 'Replace with "default_type {value};"',
        applicability: 'unsafe',
        changes: 'files whose extension types knows, and proxied responses, keep their own type',
      },
    },
    reads: ['add_header', 'add_header_inherit', 'fastcgi_hide_header', 'grpc_hide_header', 'proxy_hide_header', 'return', 'scgi_hide_header', 'uwsgi_hide_header'],
    docs: {
      summary: '`add_header Content-Type`: a second Content-Type header beside the one nginx sets.',
      whatItDoes:
        'Reports `add_header Content-Type` with a non-empty value, unless nginx sends no type of its own there: a level that ' +
        'answers with `return 204` (nginx drops the type of a 204), or one where `proxy_hide_header Content-Type` (or its ' +
        'fastcgi, uwsgi, scgi, grpc twins) keeps the upstream\'s header out, the documented way to replace it.',
      whyItMatters:
        'Two Content-Type headers are read differently by different clients: a browser may sniff HTML where a proxy saw ' +
        '`text/plain`, and a CDN may cache the response under either type.',
      example: 'location /robots.txt {\n    add_header Content-Type text/plain;\n    return 200 "User-agent: *\\nDisallow: /\\n";\n}',
      useInstead: 'location /robots.txt {\n    default_type text/plain;\n    return 200 "User-agent: *\\nDisallow: /\\n";\n}',
      fixSafety:
        'Replaces the line with `default_type` and the same value. Unsafe: default_type applies only when the types table gives ' +
        'no type for the extension, and not to proxied responses. Offered only where the level has no default_type of its own ' +
        'and removing the add_header does not make the level inherit the add_header lines of the level above.',
      references: [
        'https://nginx.org/en/docs/http/ngx_http_core_module.html#default_type',
        'https://nginx.org/en/docs/http/ngx_http_headers_module.html#add_header',
        'https://www.rfc-editor.org/rfc/rfc9110#section-5.3',
      ],
    },
  },
  check({ model, settings, report }) {
    for (const d of directivesNamed(model, 'add_header')) {
      if (!isChecked(d) || d.node.args[0]?.value.toLowerCase() !== 'content-type') continue;
      const value = d.node.args[1];
      if (!value || value.value === '') continue;
      const level = levelOf(d.parent);
      if (answers204(d.parent) || answers204(level)) continue;
      if (hidesContentType(level, settings.nginxVersion)) continue;
      const fix = defaultTypeFix(d, settings.nginxVersion);
      report({
        message: 'second',
        data: { value: value.value },
        file: d.file,
        start: d.node.start,
        end: d.node.end,
        fixes: fix ? [{ fix: 'defaultType', data: { value: value.value }, edits: [fix] }] : [],
      });
    }
  },
});

/** The edit replacing the add_header with default_type, when that keeps the level's other headers. */
function defaultTypeFix(d: ConfigDirective, version: string) {
  const block = d.parent;
  if (!['http', 'http.server', 'http.location'].includes(block.context)) return undefined;
  if (block.items.some((i) => i.node.name === 'default_type')) return undefined;
  const others = block.items.filter((i) => i !== d && i.node.name === 'add_header' && i.node.terminator === ';');
  if (others.length === 0 && block.parent && effective(block.parent, 'add_header', version).directives.length > 0) return undefined;
  const raw = d.file.text.slice(d.node.args[1]!.start, d.node.args[1]!.end);
  return { file: d.file, start: d.node.start, end: d.node.end, newText: `default_type ${raw};` };
}
