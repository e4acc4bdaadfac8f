// nginx compares variable names without case: ngx_http_get_variable_index and ngx_http_add_variable
// (http/ngx_http_variables.c) look names up with ngx_strncasecmp and store them lowercased, and the
// prefixed families ($http_, $arg_, $cookie_, $sent_http_...) match the rest of the name without case
// too. $Backend and $backend are one variable: written both ways, they read as two.

import type { ConfigBlock, ConfigDirective } from '../../model/config';
import { allVariableUses, variableScope } from '../../semantics/variable-uses';
import { addTo } from '../../core/maps';
import { checkedNamed } from '../support';
import { defineRule, VARIABLES } from '../rule';

interface Spelling {
  name: string;
  directive: ConfigDirective;
  /** Offsets of the name (after `$` or `${`) in the directive's file. */
  start: number;
  end: number;
}

/** The directives definedAt knows. */
const DEFINERS = ['set', 'auth_request_set', 'perl_set', 'js_set', 'map', 'split_clients', 'geo'];

/** Directives whose argument at an index names the variable they define (`$name`). */
function definedAt(d: ConfigDirective): number | undefined {
  switch (d.node.name) {
    case 'set':
    case 'auth_request_set':
    case 'perl_set':
    case 'js_set':
      return 0;
    case 'map':
    case 'split_clients':
      return 1;
    case 'geo':
      return d.node.args.length - 1;
    default:
      return undefined;
  }
}

export default defineRule({
  meta: {
    id: 'variables/mixed-case',
    defaultSeverity: 'hint',
    messages: {
      spelling: {
        text: '${name} is the variable ${first}: nginx ignores case in variable names.',
        why:
          'nginx looks variable names up without case, so ${name} and ${first} (first written so at {where}) are one variable: a ' +
          'set of one overwrites the other, and a reader who takes them for two is misled. Write it one way; the fix renames this ' +
          'one to ${first}.',
      },
    },
    fixes: {
      rename: { title: 'Rename to ${first}', applicability: 'safe' },
    },
    // every spelling is a `$name` in some directive's arguments
    reads: [VARIABLES],
    docs: {
      summary: 'One variable written with different cases (`$Backend` and `$backend`).',
      whatItDoes:
        'Collects every variable a configuration uses or defines (`set`, `map`, `geo`, `auth_request_set`...), per http or stream ' +
        'block, and reports each place whose spelling differs from the first one in nginx\'s reading order.',
      whyItMatters:
        'nginx treats `$Backend` and `$backend` as the same variable. Two spellings suggest two values: a `set` meant for one ' +
        'changes the other, and `$http_X_Real_IP` beside `$http_x_real_ip` makes a reader look for two headers.',
      example: 'set $Backend app;\nproxy_pass http://$backend;',
      useInstead: 'set $backend app;\nproxy_pass http://$backend;',
      fixSafety: 'Renames the variable to its first spelling. Safe: nginx reads both as the same name.',
      references: ['https://nginx.org/en/docs/varindex.html', 'https://nginx.org/en/docs/http/ngx_http_rewrite_module.html#set'],
    },
  },
  check({ model, catalog, report }) {
    // Every place a variable is written: definitions (set, map...), then uses. `visit` is given each name
    // as written, where it starts, and the directive.
    const uses = allVariableUses(model, catalog);
    const definers = checkedNamed(model, ...DEFINERS);
    const places = (visit: (name: string, directive: ConfigDirective, start: number) => void) => {
      for (const d of definers) {
        const token = d.node.args[definedAt(d)!];
        if (!token || !token.value.startsWith('$') || token.value.length < 2) continue;
        const start = token.start + (token.quote ? 1 : 0) + 1;
        const name = token.value.slice(1);
        if (d.file.text.startsWith(name, start)) visit(name, d, start);
      }
      for (let i = 0; i < uses.length; i++) {
        const use = uses[i]!;
        const braced = use.directive.file.text[use.start + 1] === '{';
        const start = use.start + (braced ? 2 : 1);
        if (use.directive.file.text.startsWith(use.name, start) && !/^[0-9]/.test(use.name)) visit(use.name, use.directive, start);
      }
    };
    // A configuration writes most names one way everywhere: only the places of a name written two ways
    // are ordered and compared (the others would be thousands of places to sort for nothing). The names
    // are first taken as the uses and definitions give them: a name that only seems written two ways
    // costs its places' order, nothing else.
    const written = new Set<string>();
    for (const d of definers) written.add(d.node.args[definedAt(d)!]?.value.slice(1) ?? '');
    for (let i = 0; i < uses.length; i++) written.add(uses[i]!.name);
    const byLowerCase = new Map<string, string[]>();
    for (const name of written) addTo(byLowerCase, name.toLowerCase(), name);
    const mixed = new Set([...byLowerCase.values()].filter((names) => names.length > 1).flat());
    if (mixed.size === 0) return;
    const spellings: Spelling[] = [];
    places((name, directive, start) => {
      if (mixed.has(name)) spellings.push({ name, directive, start, end: start + name.length });
    });
    spellings.sort((a, b) => a.directive.seq - b.directive.seq || a.start - b.start);
    const first = new Map<ConfigBlock | undefined, Map<string, Spelling>>();
    for (const s of spellings) {
      const scope = variableScope(s.directive)?.block;
      let names = first.get(scope);
      if (!names) first.set(scope, (names = new Map()));
      const key = s.name.toLowerCase();
      const earlier = names.get(key);
      if (!earlier) {
        names.set(key, s);
        continue;
      }
      if (earlier.name === s.name) continue;
      const line = earlier.directive.file.lines.positionAt(earlier.start).line + 1;
      const where = `${earlier.directive.file.path.split('/').pop()}:${line}`;
      report({
        message: 'spelling',
        data: { name: s.name, first: earlier.name, where },
        file: s.directive.file,
        start: s.start - 1,
        end: s.end,
        fixes: [{ fix: 'rename', data: { first: earlier.name }, edits: [{ file: s.directive.file, start: s.start, end: s.end, newText: earlier.name }] }],
      });
    }
  },
});
