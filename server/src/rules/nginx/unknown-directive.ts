import { basename } from 'node:path';
import { Suggester } from '../../core/strings';
import type { ContextKind, DirectiveCatalog } from '../../nginx/directives';
import { specOf } from '../../model/config';
import { modulesWithDirective } from '../../nginx/modules';
import { defineRule } from '../rule';
import { directivesToCheck, includeTrail, nameSpan, refused, shown } from '../support';

/** `more_set_headers`, `*_by_lua_block`: an allow-list entry may end or start with `*`. */
function allowed(name: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => {
    if (p === name) return true;
    if (p.endsWith('*') && name.startsWith(p.slice(0, -1))) return true;
    return p.startsWith('*') && name.endsWith(p.slice(1));
  });
}

const BOM = '\uFEFF';

/** The did-you-mean of each context, prepared once per catalog (the server analyses on every keystroke). */
const suggesters = new WeakMap<DirectiveCatalog, Map<ContextKind, Suggester>>();

function suggesterFor(catalog: DirectiveCatalog, context: ContextKind): Suggester {
  let byContext = suggesters.get(catalog);
  if (!byContext) suggesters.set(catalog, (byContext = new Map()));
  let suggester = byContext.get(context);
  if (!suggester) byContext.set(context, (suggester = new Suggester(catalog.namesIn(context))));
  return suggester;
}

export default defineRule({
  meta: {
    id: 'nginx/unknown-directive',
    defaultSeverity: 'error',
    messages: {
      unknown: { text: 'unknown directive "{name}"{suggestion}.', ...refused('nginx {version} has no such directive.{hint}') },
      newer: {
        text: 'unknown directive "{name}": it appeared in nginx {since}, after {version}.',
        ...refused('If your nginx is newer, set "nginxVersion" in .kasmlintrc.json.'),
      },
      bom: {
        text: 'This file starts with a UTF-8 byte order mark, which nginx reads as part of "{name}".',
        ...refused('nginx sees the unknown directive "\uFEFF{name}". The fix removes the mark (save as UTF-8 without BOM).'),
      },
      plus: {
        text: 'unknown directive "{name}": an NGINX Plus directive.',
        ...refused('"{name}" belongs to NGINX Plus ({module}); open-source nginx has no such directive. If this server runs NGINX Plus, set "nginxEdition": "plus".'),
      },
      removed: {
        text: 'unknown directive "{name}": removed in nginx {removed}.',
        ...refused('The nginx configured here is {version}.'),
      },
      notLoaded: {
        text: 'unknown directive "{name}": its module is not loaded.',
        ...refused('"{name}" belongs to {module}, a dynamic module this configuration does not load. Load it at the top of nginx.conf: load_module modules/{so};'),
      },
      moduleNeeded: {
        text: '"{name}" needs {module}, which nginx must load.',
        why: '"{name}" is a directive of {module}{project}. nginx knows it only when that module is loaded (load_module modules/{so}; at the top of nginx.conf), which kasmlint cannot see from this file.',
      },
      unknownModule: {
        text: 'unknown directive "{name}", unless a module kasmlint does not know provides it.',
        why: 'nginx {version} has no "{name}" and no module kasmlint knows provides it, but this configuration loads modules kasmlint does not know ({modules}): if one of them provides it, add it to the "allow" option of this rule.',
      },
    },
    fixes: {
      rename: { title: 'Change to "{suggestion}"', applicability: 'unsafe', changes: 'another directive runs' },
      removeBom: { title: 'Remove the byte order mark', applicability: 'safe' },
    },
    options: {
      allow: {
        description:
          'Directive names of third-party modules your nginx loads (for example "more_set_headers", "*_by_lua_block"); `*` at the start or end matches any text.',
        default: [],
      },
    },
    // (whether a name is known depends on it, the block it stands in, the modules loaded and the settings)
    perDirective: { reads: [] },
    docs: {
      summary: 'A directive no official nginx module defines: a typo, or a module your nginx does not load.',
      whatItDoes:
        "Looks every directive up in nginx.org's reference of the official modules (@nginx/reference-lib), for the nginx version configured " +
        '(`nginxVersion`, Kasm\'s 1.25.1 by default). Names it does not know are reported with the nearest known name valid in that place. ' +
        'A byte order mark at the start of a file is reported as such: nginx reads it as part of the first directive.',
      whyItMatters:
        'nginx refuses to start with a directive it does not know, so a typo such as `proxy_set_heder` takes the Kasm proxy down at the next restart.',
      example: 'location /api/ {\n    proxy_set_heder Host $host;\n}',
      useInstead: 'location /api/ {\n    proxy_set_header Host $host;\n}',
      fixSafety:
        'Renaming to the nearest known directive is offered but never applied in bulk: the intended directive may be another one. ' +
        'Removing a byte order mark is safe: nginx never accepts it.',
    },
  },
  check({ model, catalog, modules, settings, options, report, stopped, only }) {
    const allowList = Array.isArray(options.allow) ? options.allow.filter((a): a is string => typeof a === 'string') : [];
    // the nearest directive name valid in a context, once per name and context (a generated configuration
    // may repeat one unknown directive thousands of times)
    const suggestions = new Map<string, string | undefined>();
    const suggest = (name: string, context: ContextKind) => {
      const key = `${context}\0${name}`;
      if (!suggestions.has(key)) suggestions.set(key, suggesterFor(catalog, context).closest(name));
      return suggestions.get(key);
    };
    // what is loaded cannot be known from a fragment, or when modules-enabled/ is not here
    const loadKnown = modules.visible && !modules.unresolvedModulesInclude;
    const unknownModules = [
      ...modules.unknown.map((m) => `${basename(m.path)} at ${basename(m.file)}:${m.line}`),
      ...(modules.unresolvedModulesInclude ? [`those of ${modules.unresolvedModulesInclude.pattern}, not found here`] : []),
    ];
    const checked = directivesToCheck(model, only);
    for (let i = 0; i < checked.length; i++) {
      const directive = checked[i]!;
      const { node, file, parent } = directive;
      // (the spec where it stands is kept with the directive: most directives are answered by it)
      if (specOf(catalog, directive) || catalog.specs(node.name).length > 0 || allowed(node.name, allowList)) continue;
      if (stopped(directive.seq)) break; // in reading order: nothing later matters either
      const nginx = { seq: directive.seq, line: node.nginxLine, message: `unknown directive "${node.name}"` };

      if (node.name.startsWith(BOM) && node.nameToken.start === 0) {
        const name = node.name.slice(1);
        report({
          message: 'bom',
          data: { name },
          file,
          start: 0,
          end: node.nameToken.end,
          nginx,
          fixes: [{ fix: 'removeBom', edits: [{ file, start: 0, end: 1, newText: '' }] }],
        });
        continue;
      }

      const absence = catalog.absence(node.name);
      if (absence?.kind === 'plus') {
        report({ message: 'plus', data: { name: shown(node.name), module: absence.module }, file, ...nameSpan(directive), related: includeTrail(directive), nginx });
        continue;
      }
      if (absence?.kind === 'removed') {
        report({ message: 'removed', data: { name: shown(node.name), removed: absence.version, version: settings.nginxVersion }, file, ...nameSpan(directive), related: includeTrail(directive), nginx });
        continue;
      }
      if (absence?.kind === 'module') {
        report({ message: 'notLoaded', data: { name: shown(node.name), module: absence.module.name, so: absence.module.soFiles[0] ?? `${absence.module.name}.so` }, file, ...nameSpan(directive), related: includeTrail(directive), nginx });
        continue;
      }
      const provider = modulesWithDirective(node.name)[0];
      if (provider && !provider.official) {
        const data = { name: shown(node.name), module: provider.name, project: provider.project ? ` (${provider.project})` : '', so: provider.soFiles[0] ?? `${provider.name}.so` };
        if (loadKnown) report({ message: 'notLoaded', data, file, ...nameSpan(directive), related: includeTrail(directive), nginx });
        else report({ message: 'moduleNeeded', severity: 'warning', data, file, ...nameSpan(directive), related: includeTrail(directive) });
        continue;
      }
      if (unknownModules.length > 0) {
        report({ message: 'unknownModule', severity: 'warning', data: { name: shown(node.name), version: settings.nginxVersion, modules: unknownModules.join(', ') }, file, ...nameSpan(directive), related: includeTrail(directive) });
        continue;
      }
      const since = catalog.introducedLater(node.name);
      if (since) {
        report({ message: 'newer', data: { name: shown(node.name), since, version: settings.nginxVersion }, file, ...nameSpan(directive), related: includeTrail(directive), nginx });
        continue;
      }

      const suggestion = suggest(node.name, parent.context);
      const hint = suggestion ? '' : ' If a third-party module your nginx loads provides it, add it to the "allow" option of this rule.';

      report({
        message: 'unknown',
        data: { name: shown(node.name), version: settings.nginxVersion, suggestion: suggestion ? ` (did you mean "${suggestion}"?)` : '', hint },
        file,
        ...nameSpan(directive),
        related: includeTrail(directive),
        nginx,
        fixes: suggestion
          ? [{ fix: 'rename', data: { suggestion }, edits: [{ file, ...nameSpan(directive), newText: suggestion }] }]
          : [],
      });
    }
  },
});
