// A map or geo without `default` gives the empty string to what it does not list (nginx's docs for
// map and geo: "If default is not specified, the default resulting value will be an empty string").

import { insertIntoBlock } from '../edits';
import { defineRule } from '../rule';

const GEO_PARAMETERS = new Set(['delete', 'include', 'proxy', 'proxy_recursive', 'ranges', 'volatile', 'default']);
const MAP_PARAMETERS = new Set(['hostnames', 'volatile', 'include', 'default']);

export default defineRule({
  meta: {
    id: 'variables/map-without-default',
    defaultSeverity: 'information',
    messages: {
      missing: {
        text: '{directive} ${variable} has no default: what it does not list gets ""',
        why:
          'A {directive} without `default` gives the empty string to every value it does not list. When ${variable} decides ' +
          'something (an allow-list, a flag tested with if, a rate-limit key, where to proxy), what was not thought of falls ' +
          'through silently. Say what unlisted values get: `default "";` (what nginx does today) or a restrictive value.',
      },
    },
    fixes: {
      explicit: { title: 'Add default "" (what nginx does today)', applicability: 'safe' },
    },
    docs: {
      summary: '`map` or `geo` without a `default` value.',
      whatItDoes:
        'Reports a `map` with two or more entries and no `default`, and a `geo` with entries and no `default` (nor 0.0.0.0/0 or ::/0). ' +
        'A map with a single entry is left alone: it is the usual way to turn one value into a flag.',
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
    for (const d of model.directives()) {
      if ((d.node.name !== 'map' && d.node.name !== 'geo') || !d.block || d.node.terminator !== '{') continue;
      const entries = d.block.items.filter((i) => i.node.terminator === ';');
      if (entries.some((i) => i.node.name === 'default')) continue;
      const parameters = d.node.name === 'map' ? MAP_PARAMETERS : GEO_PARAMETERS;
      const listed = entries.filter((i) => !parameters.has(i.node.name));
      if (d.node.name === 'geo' && listed.some((i) => i.node.name === '0.0.0.0/0' || i.node.name === '::/0')) continue;
      if (listed.length < (d.node.name === 'map' ? 2 : 1)) continue;
      const variable = d.node.args[d.node.args.length - 1]!.value.replace(/^\$/, '');
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
