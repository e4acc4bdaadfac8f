import { issuesExplained, missingSemicolonIn } from '../../semantics/missing-semicolon';
import { specOf } from '../../model/config';
import { defineRule, SYNTAX_ISSUES } from '../rule';
import { isDirectiveContext, refused } from '../support';

export default defineRule({
  meta: {
    id: 'nginx/syntax',
    defaultSeverity: 'error',
    messages: {
      parse: { text: '{nginx} (nginx -t stops at line {line}).', ...refused() },
      noOpeningBrace: { text: 'directive "{name}" has no opening "{": it takes a block, not a ";".', ...refused('"{name}" opens a block ({ ... }) of its own.') },
      notTerminated: { text: 'directive "{name}" is not terminated by ";".', ...refused('"{name}" takes no block: its arguments end with ";".') },
      binary: { text: 'This file holds binary data (NUL bytes), not an nginx configuration.', ...refused('nginx cannot read it.') },
      blockInBody: { text: 'unexpected "{": the body of "{owner}" holds entries, not blocks.', ...refused() },
    },
    perDirective: { reads: [SYNTAX_ISSUES] },
    docs: {
      summary: 'Text nginx cannot read: unbalanced braces, missing semicolons, unterminated quotes.',
      whatItDoes:
        "Reads each file with nginx's own tokenizer rules and reports what `nginx -t` reports, with nginx's message and at nginx's line: " +
        '`unexpected "}"`, `unexpected end of file, expecting ";" or "}"`, `unexpected end of file, expecting "}"`, ' +
        '`directive "x" has no opening "{"`, `directive "x" is not terminated by ";"`, a character glued to a closing quote ' +
        '(`unexpected "x"`), a word longer than nginx\'s 4096-byte buffer (`too long parameter`). After an error it keeps reading, ' +
        'so the rest of the file is still checked; a string that runs across lines is pointed out as the likely cause of a later error.',
      whyItMatters:
        'nginx stops at the first error and refuses the whole configuration: `docker restart kasm_proxy` then leaves Kasm without its proxy, ' +
        'and a reload keeps the old configuration. A linter that cannot read a file must say so rather than report "no problems".',
      example: 'location /api/ {\n    proxy_pass http://kasm_api\n}',
      useInstead: 'location /api/ {\n    proxy_pass http://kasm_api;\n}',
    },
  },
  check({ model, catalog, report, only }) {
    // What a file holds (a NUL byte, what the parser stopped at) is not about one directive: checked
    // again only with the whole configuration (an edit checked on its own holds neither, engine/reuse.ts).
    if (!only) {
      const explained = issuesExplained(model); // nginx/missing-semicolon and nginx/missing-brace report them
      for (const file of model.files.values()) {
        const nul = file.text.indexOf('\0');
        if (nul >= 0) report({ message: 'binary', file, start: nul, end: nul + 1 });
        for (const issue of file.issues) {
          if (explained.has(issue)) continue;
          report({
            message: 'parse',
            data: { nginx: issue.message, line: issue.nginxLine },
            file,
            start: issue.start,
            end: issue.end,
            related: issue.related?.map((r) => ({ file, ...r })),
            nginx: { seq: model.issueSeq.get(issue) ?? Number.MAX_SAFE_INTEGER, line: issue.nginxLine, message: issue.message },
          });
        }
      }
    }

    const all = only ?? model.directives();
    for (let i = 0; i < all.length; i++) {
      const directive = all[i]!;
      const { node, parent, file } = directive;
      if (node.terminator === null) continue;
      if (parent.context === 'opaque' && node.terminator === '{') {
        const owner = parent.owner?.node.name ?? 'block';
        report({
          message: 'blockInBody',
          data: { owner },
          file,
          start: node.terminatorOffset,
          end: node.terminatorOffset + 1,
          nginx: { seq: directive.seq, line: node.nginxLine, message: 'unexpected "{"' },
        });
        continue;
      }
      if (!isDirectiveContext(parent.context)) continue;
      const spec = specOf(catalog, directive);
      if (!spec) continue; // unknown or misplaced: other rules
      if (missingSemicolonIn(directive, catalog)) continue; // nginx/missing-semicolon
      if (spec.isBlock && node.terminator === ';') {
        report({
          message: 'noOpeningBrace',
          data: { name: node.name },
          file,
          start: node.terminatorOffset,
          end: node.terminatorOffset + 1,
          nginx: { seq: directive.seq, line: node.nginxLine, message: `directive "${node.name}" has no opening "{"` },
        });
      } else if (!spec.isBlock && node.terminator === '{') {
        report({
          message: 'notTerminated',
          data: { name: node.name },
          file,
          start: node.terminatorOffset,
          end: node.terminatorOffset + 1,
          nginx: { seq: directive.seq, line: node.nginxLine, message: `directive "${node.name}" is not terminated by ";"` },
        });
      }
    }
  },
});
