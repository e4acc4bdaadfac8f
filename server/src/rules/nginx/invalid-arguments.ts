import { isFlag, plainSyntax } from '../../nginx/directives';
import { specOf } from '../../model/config';
import { missingSemicolonIn } from '../../semantics/missing-semicolon';
import { defineRule } from '../rule';
import { directivesToCheck, includeTrail, refused } from '../support';

const MEANS_ON = new Set(['yes', 'true', '1', 'enable', 'enabled', 'y']);
const MEANS_OFF = new Set(['no', 'false', '0', 'disable', 'disabled', 'n']);

export default defineRule({
  meta: {
    id: 'nginx/invalid-arguments',
    defaultSeverity: 'error',
    messages: {
      count: { text: 'invalid number of arguments in "{name}" directive: it takes {expected}, not {count}.', ...refused('Its syntax: {syntax}.') },
      flag: { text: 'invalid value "{value}" in "{name}" directive, it must be "on" or "off".', ...refused() },
    },
    fixes: {
      flag: { title: 'Change "{value}" to "{replacement}"', applicability: 'unsafe', changes: 'turns "{name}" {replacement}' },
    },
    perDirective: { reads: [] },
    docs: {
      summary: 'A directive with the wrong number of arguments, or an on/off directive with another value.',
      whatItDoes:
        "Counts each directive's arguments (after nginx's own quoting and escaping) against what nginx accepts: the counts come from " +
        "nginx.org's syntax lines and were checked against the real nginx for every directive it knows, 0 to 9 arguments. " +
        'For directives that take `on` or `off`, any other value is reported as nginx reports it.',
      whyItMatters:
        'A missing quote around a value with spaces (`add_header Content-Security-Policy default-src \'self\';` is three arguments) or a stray ' +
        'word makes nginx refuse the whole configuration, and the Kasm proxy with it.',
      example: "add_header X-Frame-Options SAMEORIGIN always extra;\nproxy_buffering yes;",
      useInstead: 'add_header X-Frame-Options SAMEORIGIN always;\nproxy_buffering on;',
      fixSafety: 'Replacing `yes`/`true` by `on` (or `no`/`false` by `off`) is offered, not applied in bulk: the value is a guess at intent.',
    },
  },
  check({ model, catalog, report, stopped, only }) {
    const checked = directivesToCheck(model, only);
    for (let i = 0; i < checked.length; i++) {
      const directive = checked[i]!;
      if (stopped(directive.seq)) break; // in reading order: nothing later matters either
      const { node, file } = directive;
      const spec = specOf(catalog, directive);
      if (!spec) continue;
      if (spec.isBlock !== (node.terminator === '{')) continue; // nginx/syntax reports it first
      if (missingSemicolonIn(directive, catalog)) continue; // nginx/missing-semicolon
      const count = node.args.length;
      if (!spec.counts.accepts(count)) {
        const last = node.args[node.args.length - 1];
        report({
          message: 'count',
          data: { name: node.name, expected: spec.counts.describe(), syntax: plainSyntax(spec), count },
          file,
          start: node.nameToken.start,
          end: last ? last.end : node.nameToken.end,
          related: includeTrail(directive),
          nginx: { seq: directive.seq, line: node.nginxLine, message: `invalid number of arguments in "${node.name}" directive` },
        });
        continue;
      }
      if (isFlag(spec, catalog.version) && count === 1) {
        const arg = node.args[0]!;
        const value = arg.value.toLowerCase();
        if (value === 'on' || value === 'off') continue;
        const replacement = MEANS_ON.has(value) ? 'on' : MEANS_OFF.has(value) ? 'off' : undefined;
        report({
          message: 'flag',
          data: { name: node.name, value: arg.value },
          file,
          start: arg.start,
          end: arg.end,
          related: includeTrail(directive),
          nginx: {
            seq: directive.seq,
            line: node.nginxLine,
            message: `invalid value "${arg.value}" in "${node.name}" directive, it must be "on" or "off"`,
          },
          fixes: replacement ? [{ fix: 'flag', data: { name: node.name, value: arg.value, replacement }, edits: [{ file, start: arg.start, end: arg.end, newText: replacement }] }] : [],
        });
      }
    }
  },
});
