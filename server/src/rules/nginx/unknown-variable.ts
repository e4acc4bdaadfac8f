import type { ConfigBlock, ConfigDirective } from '../../model/config';
import { CERTIFICATE_LINES, compiledCertificates } from '../../semantics/certificates';
import { allVariableUses, definedVariables, VARIABLE_DEFINERS, variableScope, variableUsesIn } from '../../semantics/variable-uses';
import { builtinVariableNames, isBuiltin } from '../../semantics/variables';
import { closestMatch } from '../../core/strings';
import { defineRule } from '../rule';
import { includeTrail } from '../support';

type Scope = NonNullable<ReturnType<typeof variableScope>>;

export default defineRule({
  meta: {
    id: 'nginx/unknown-variable',
    defaultSeverity: 'error',
    messages: {
      unknown: {
        text: 'unknown "{name}" variable.',
        why:
          'Neither nginx {version} nor this configuration defines ${name} (with set, map, geo, split_clients, auth_request_set or a named regex capture). ' +
          'nginx -t checks every variable when the http block ends and refuses the configuration, naming no file or line.{hint}',
      },
    },
    fixes: {
      rename: { title: 'Change to "${suggestion}"', applicability: 'unsafe', changes: 'another variable is read' },
    },
    // a use is checked against the variables its http or stream block defines
    perDirective: { reads: [...VARIABLE_DEFINERS, ...CERTIFICATE_LINES, 'listen'] },
    docs: {
      summary: 'A variable nginx does not have and the configuration never defines.',
      whatItDoes:
        "Follows every value nginx compiles as a script (return, rewrite, set, add_header, proxy_set_header, proxy_pass, log_format, map, " +
        'if conditions...; ssl_certificate and ssl_certificate_key only in servers where nginx compiles them: a certificate in effect, all with keys, ' +
        'one of them or of their keys with a variable) and the variables they use; a variable is known when nginx has it in the configured version (its own, or under a ' +
        'prefix such as `$http_`, `$arg_`, `$cookie_`, `$sent_http_`, `$upstream_http_`) or when the same http (or stream) block defines it ' +
        'with set, map, geo, split_clients, auth_request_set, perl_set, js_set or a named capture of a regex. Only configurations read ' +
        'whole (an nginx.conf, or a Kasm tree) are checked: a fragment may use what the file that includes it defines.',
      whyItMatters:
        'nginx refuses the whole configuration with `unknown "name" variable` and no file or line, which makes a typo in one header hard to find.',
      example: 'location / {\n    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection $conection_upgrade;\n}',
      useInstead: 'map $http_upgrade $connection_upgrade {\n    default upgrade;\n    ""      close;\n}\n...\n    proxy_set_header Connection $connection_upgrade;',
      fixSafety: 'Renaming to the nearest known variable is offered, never applied in bulk: the intended name may be another one.',
    },
  },
  check({ model, catalog, report, stopped, only }) {
    const definedByScope = new Map<ConfigBlock, Set<string>>();
    const definedIn = (block: ConfigBlock) => {
      let defined = definedByScope.get(block);
      if (!defined) definedByScope.set(block, (defined = definedVariables(model, block)));
      return defined;
    };
    // the nearest known name, once per scope and name (a generated configuration repeats its typos)
    const suggestions = new Map<ConfigBlock, Map<string, string | undefined>>();
    const suggest = (scope: Scope, defined: Set<string>, name: string) => {
      let byName = suggestions.get(scope.block);
      if (!byName) suggestions.set(scope.block, (byName = new Map()));
      if (!byName.has(name)) byName.set(name, closestMatch(name, [...defined, ...builtinVariableNames(scope.family, catalog.version, catalog.edition)]));
      return byName.get(name);
    };
    // a configuration uses the same few variables thousands of times: each block's scope, and whether a
    // name is known in a scope, are found once
    const scopes = new Map<ConfigBlock, Scope | undefined>();
    const scopeOf = (directive: ConfigDirective) => {
      if (!scopes.has(directive.parent)) scopes.set(directive.parent, variableScope(directive));
      return scopes.get(directive.parent);
    };
    const knownByScope = new Map<ConfigBlock, Map<string, boolean>>();
    const uses = only ? variableUsesIn(only, catalog) : allVariableUses(model, catalog);
    // nginx compiles proxy_set_header and the like when the block ends: their variables come last
    const ordered = uses.filter((u) => !u.atMerge).concat(uses.filter((u) => u.atMerge));
    let certificates: ReturnType<typeof compiledCertificates> | undefined;
    for (let i = 0; i < ordered.length; i++) {
      const use = ordered[i]!;
      if (CERTIFICATE_LINES.includes(use.directive.node.name)) {
        certificates ??= compiledCertificates(model, catalog.version);
        if (!certificates.has(use.directive)) continue;
      }
      const scope = scopeOf(use.directive);
      if (!scope) continue;
      // only a configuration read whole: an included fragment may use what its includer defines
      const root = use.directive.parent.root;
      if (!(root.context === 'main' || (root.file === undefined && root.context === 'http'))) continue;
      let knownHere = knownByScope.get(scope.block);
      if (!knownHere) knownByScope.set(scope.block, (knownHere = new Map()));
      let known = knownHere.get(use.name);
      if (known === undefined) {
        const lower = use.name.toLowerCase();
        // (nginx's own variables first: most uses are of those, and the ones a block defines are looked
        // for in the whole block; an edit that uses only $host then looks for none)
        known = isBuiltin(lower, catalog.version, scope.family, catalog.edition) || /^[0-9]$/.test(lower) || definedIn(scope.block).has(lower);
        knownHere.set(use.name, known);
      }
      if (known) continue;
      const name = use.name.toLowerCase();
      const { directive } = use;
      if (stopped(directive.seq)) continue; // not in reading order (see `ordered`)
      const suggestion = suggest(scope, definedIn(scope.block), name);
      report({
        message: 'unknown',
        data: { name, version: catalog.version, hint: suggestion ? ` Did you mean "$${suggestion}"?` : '' },
        file: directive.file,
        start: use.start,
        end: use.end,
        related: includeTrail(directive),
        nginx: {
          seq: directive.seq,
          // found by ngx_http_variables_init_vars, after the other checks made when the block ends
          // (duplicate locations); variables of values compiled at merge were registered last
          foundAt: (scope.block.endSeq ?? Number.MAX_SAFE_INTEGER) + (use.atMerge ? 0.75 : 0.5),
          line: directive.node.nginxLine,
          message: `unknown "${name}" variable`,
          unlocated: true,
        },
        fixes: suggestion
          ? [{ fix: 'rename', data: { suggestion }, edits: [{ file: directive.file, start: use.start + 1, end: use.end, newText: directive.file.text[use.start + 1] === '{' ? `{${suggestion}}` : suggestion }] }]
          : [],
      });
    }
  },
});
