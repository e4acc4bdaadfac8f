import { checkDirective } from '../../semantics/handlers';
import { missingSemicolonIn, unterminatedDirective } from '../../semantics/missing-semicolon';
import { type ConfigDirective, type ConfigModel, specOf } from '../../model/config';
import type { DirectiveCatalog } from '../../nginx/directives';
import { defineRule } from '../rule';
import { directivesToCheck, includeTrail } from '../support';

/** What nginx says about a directive that swallowed the next one, if it refuses it. */
function nginxVerdict(directive: ConfigDirective, catalog: DirectiveCatalog, model: ConfigModel): string | undefined {
  const { node } = directive;
  const spec = specOf(catalog, directive)!;
  if (!spec.isBlock && node.terminator === '{') return `directive "${node.name}" is not terminated by ";"`;
  if (spec.isBlock && node.terminator === ';') return `directive "${node.name}" has no opening "{"`;
  if (!spec.counts.accepts(node.args.length)) return `invalid number of arguments in "${node.name}" directive`;
  return checkDirective(directive, spec, { model, catalog })?.message;
}

export default defineRule({
  meta: {
    id: 'nginx/missing-semicolon',
    defaultSeverity: 'error',
    messages: {
      refused: {
        text: '{nginx}.',
        why:
          'The ";" at the end of line {line} is missing, so nginx read "{word}" (line {next}) as a parameter of "{name}" and refuses the configuration. ' +
          'The fix inserts the ";".',
      },
      accepted: {
        text: 'missing ";" at the end of line {line}: nginx reads "{word}" as a parameter of "{name}".',
        why:
          'nginx accepts "{name}" with the extra words, so the "{word}" directive on line {next} silently has no effect. The fix inserts the ";".',
      },
      unterminated: {
        text: '{nginx}.',
        why: 'The ";" after "{name}" (line {line}) is missing: nginx reached {reached} while still reading it, and refuses the configuration. The fix inserts the ";".',
      },
    },
    fixes: {
      insert: { title: 'Insert the missing ";" at the end of line {line}', applicability: 'safe' },
      insertAll: { title: 'Insert the missing ";" at the ends of lines {lines}', applicability: 'safe' },
    },
    // the error nginx gives a directive that swallowed the next one comes from its handler: see nginx/invalid-value
    perDirective: { reads: ['log_format'] },
    docs: {
      summary: 'A forgotten ";" that makes nginx read the next directive as parameters of this one.',
      whatItDoes:
        'Finds directives whose arguments run onto a new line that starts with a directive valid in the same place, where both halves are ' +
        'complete directives (`listen 8083` followed by `server_name a.example.org;`), and directives cut short by a `}` or the end of the ' +
        "file. Reports nginx's own message for what it read (`invalid parameter \"server_name\"`) together with what happened, or a " +
        'warning when nginx accepts the run-together directive (`server_name` takes any words, so the next directive is lost).',
      whyItMatters:
        "nginx's message names the wrong culprit (a \"parameter\" that is really the next directive), and in the worst case the configuration " +
        'loads with a directive silently swallowed.',
      example: 'server {\n    listen 8083\n    server_name a.example.org;\n}',
      useInstead: 'server {\n    listen 8083;\n    server_name a.example.org;\n}',
      fixSafety: 'Inserting the ";" is safe: it is offered only when both halves are complete directives nginx accepts in this place.',
    },
  },
  check({ model, catalog, report, stopped, only }) {
    const checked = directivesToCheck(model, only);
    for (let i = 0; i < checked.length; i++) {
      const directive = checked[i]!;
      if (stopped(directive.seq)) break; // in reading order: nothing later matters either
      const found = missingSemicolonIn(directive, catalog);
      if (!found) continue;
      const { node, file } = directive;
      const nginx = nginxVerdict(directive, catalog, model);
      const data = { name: node.name, word: found.word.value, line: found.line, next: found.nextLine, nginx: nginx ?? '' };
      report({
        message: nginx ? 'refused' : 'accepted',
        severity: nginx ? 'error' : 'warning',
        data,
        file,
        start: found.word.start,
        end: found.word.end,
        related: includeTrail(directive),
        fixes: [
          found.alsoMissing.length === 0
            ? { fix: 'insert', data: { line: found.line }, edits: [{ file, start: found.insertAt, end: found.insertAt, newText: ';' }] }
            : {
                fix: 'insertAll',
                data: { lines: [found.line, ...found.alsoMissing.map((m) => m.line)].join(', ') },
                edits: [found, ...found.alsoMissing].map((m) => ({ file, start: m.insertAt, end: m.insertAt, newText: ';' })),
              },
        ],
        ...(nginx ? { nginx: { seq: directive.seq, line: node.nginxLine, message: nginx } } : {}),
      });
    }
    const all = only ?? model.directives();
    for (let i = 0; i < all.length; i++) {
      const directive = all[i]!;
      if (directive.node.terminator !== null) continue;
      const found = unterminatedDirective(directive);
      if (!found) continue;
      const { node, file } = directive;
      const reached = found.issue.message.startsWith('unexpected "}"') ? 'the "}"' : 'the end of the file';
      report({
        message: 'unterminated',
        data: { name: node.name, line: found.line, reached, nginx: found.issue.message },
        file,
        start: node.nameToken.start,
        end: found.insertAt,
        fixes: [{ fix: 'insert', data: { line: found.line }, edits: [{ file, start: found.insertAt, end: found.insertAt, newText: ';' }] }],
        nginx: { seq: model.issueSeq.get(found.issue) ?? directive.seq, foundAt: model.issueSeq.get(found.issue) ?? directive.seq, line: found.issue.nginxLine, message: found.issue.message },
      });
    }
  },
});
