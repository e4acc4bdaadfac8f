import { closestMatch } from '../../core/strings';
import { defineRule } from '../rule';
import { checkedDirectives, includeTrail, nameSpan, refused, shown } from '../support';

/** `more_set_headers`, `*_by_lua_block`: an allow-list entry may end or start with `*`. */
function allowed(name: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => {
    if (p === name) return true;
    if (p.endsWith('*') && name.startsWith(p.slice(0, -1))) return true;
    return p.startsWith('*') && name.endsWith(p.slice(1));
  });
}

const BOM = '\uFEFF';

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
  check({ model, catalog, settings, options, report }) {
    const allowList = Array.isArray(options.allow) ? options.allow.filter((a): a is string => typeof a === 'string') : [];
    for (const directive of checkedDirectives(model)) {
      const { node, file, parent } = directive;
      if (catalog.specs(node.name).length > 0 || allowed(node.name, allowList)) continue;
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

      const since = catalog.introducedLater(node.name);
      if (since) {
        report({ message: 'newer', data: { name: shown(node.name), since, version: settings.nginxVersion }, file, ...nameSpan(directive), related: includeTrail(directive), nginx });
        continue;
      }

      const valid = catalog.names().filter((n) => catalog.specIn(n, parent.context));
      const suggestion = closestMatch(node.name, valid);
      const hint = /_by_lua(_block|_file)?$|^lua_/.test(node.name)
        ? ' It belongs to the Lua module of OpenResty: if your nginx loads it, add it to the "allow" option of this rule.'
        : suggestion
          ? ''
          : ' If a third-party module your nginx loads provides it, add it to the "allow" option of this rule.';

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
