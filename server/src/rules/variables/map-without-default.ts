// A map or geo without `default` gives the empty string to what it does not list (nginx's docs for
// map and geo: "If default is not specified, the default resulting value will be an empty string").

import { addTo } from '../../core/maps';
import type { ConfigModel } from '../../model/config';
import { references } from '../../values/evaluate';
import { insertIntoBlock } from '../edits';
import { directivesNamed } from '../support';
import { defineRule, VARIABLES } from '../rule';

/** Where an empty value means "leave it out": a header not sent, a request not counted, a log field. */
const OMITTED_WHEN_EMPTY = new Set(['add_header', 'add_trailer', 'proxy_set_header', 'grpc_set_header', 'limit_req_zone', 'limit_conn_zone', 'log_format', 'access_log', 'expires']);

/** The directives that use each variable, by variable. */
function uses(model: ConfigModel): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const d of model.directives()) {
    const name = d.node.name;
    // the variable a directive defines is not a use of it
    const defined = name === 'map' || name === 'geo' || name === 'split_clients' ? d.node.args.length - 1 : name === 'set' || name === 'auth_request_set' ? 0 : -1;
    for (const [i, arg] of d.node.args.entries()) {
      if (i === defined || !arg.value.includes('$')) continue;
      for (const ref of references(arg.value)) addTo(found, ref.name, d.node.name);
    }
  }
  return found;
}

const GEO_PARAMETERS = new Set(['delete', 'include', 'proxy', 'proxy_recursive', 'ranges', 'volatile', 'default']);
const MAP_PARAMETERS = new Set(['hostnames', 'volatile', 'include', 'default']);

export default defineRule({
  meta: {
    id: 'variables/map-without-default',
    defaultSeverity: 'information',
    messages: {
      missing: {
        text: '{directive} ${variable} has no default: what it does not list gets "".',
        why:
          'A {directive} without `default` gives the empty string to every value it does not list. When ${variable} decides ' +
          'something (an allow-list, a flag tested with if, a rate-limit key, where to proxy), what was not thought of falls ' +
          'through silently. Say what unlisted values get: `default "";` (what nginx does today) or a restrictive value.',
      },
    },
    fixes: {
      explicit: { title: 'Add default "" (what nginx does today)', applicability: 'safe' },
    },
    // maps and geos without default, and where their variables are used
    reads: ['map', 'geo', VARIABLES],
    docs: {
      summary: '`map` or `geo` without a `default` value.',
      whatItDoes:
        'Reports a `map` with two or more entries and no `default`, and a `geo` with entries and no `default` (nor 0.0.0.0/0 or ::/0), ' +
        'when its variable is used where the empty string decides something (an `if`, a `proxy_pass`, a `set`, a `return`, ...). A map ' +
        'with a single entry is left alone (the usual way to turn one value into a flag), and so is one used only where an empty ' +
        'value means "leave it out" (`add_header`, `proxy_set_header`, `limit_req_zone` keys, logs): there the empty default is the point.',
      whyItMatters:
        'The empty string is a value too: a check written for the listed cases passes or fails for the others by accident, and ' +
        'nothing in the configuration says which was meant.',
      example: 'map $http_x_tenant $tenant_backend {\n    alpha  app_alpha;\n    beta   app_beta;\n}',
      useInstead: 'map $http_x_tenant $tenant_backend {\n    default app_public;\n    alpha   app_alpha;\n    beta    app_beta;\n}',
      fixSafety: 'Adds `default "";` as the first entry: the value nginx already gives, written down. Safe.',
      references: ['https://nginx.org/en/docs/http/ngx_http_map_module.html#map', 'https://nginx.org/en/docs/http/ngx_http_geo_module.html'],
    },
  },
  check({ model, report }) {
    let used: Map<string, string[]> | undefined;
    for (const d of directivesNamed(model, 'map', 'geo')) {
      if (!d.block || d.node.terminator !== '{') continue;
      const entries = d.block.items.filter((i) => i.node.terminator === ';');
      if (entries.some((i) => i.node.name === 'default')) continue;
      const parameters = d.node.name === 'map' ? MAP_PARAMETERS : GEO_PARAMETERS;
      const listed = entries.filter((i) => !parameters.has(i.node.name));
      if (d.node.name === 'geo' && listed.some((i) => i.node.name === '0.0.0.0/0' || i.node.name === '::/0')) continue;
      if (listed.length < (d.node.name === 'map' ? 2 : 1)) continue;
      const variable = d.node.args[d.node.args.length - 1]!.value.replace(/^\$/, '');
      // unused, or used only where "" means "leave it out" (h5bp's `add_header ... $cors`): the empty default is the point
      used ??= uses(model);
      const where = used.get(variable.toLowerCase()) ?? [];
      if (where.every((name) => OMITTED_WHEN_EMPTY.has(name))) continue;
      const edit = d.block.syntax && d.block.file === d.file ? insertIntoBlock(d.file, d.block.syntax, ['default "";']) : undefined;
      report({
        message: 'missing',
        data: { directive: d.node.name, variable },
        file: d.file,
        start: d.node.start,
        end: d.node.args[d.node.args.length - 1]!.end,
        fixes: edit ? [{ fix: 'explicit', edits: [edit] }] : [],
      });
    }
  },
});
