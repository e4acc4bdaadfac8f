import { unclosedBlocks } from '../../semantics/missing-semicolon';
import { defineRule } from '../rule';

export default defineRule({
  meta: {
    id: 'nginx/missing-brace',
    defaultSeverity: 'error',
    messages: {
      unclosed: {
        text: '{nginx}.',
        why: 'The "{owner}" block opened at line {open} is never closed. By the indentation of the file, its "}" was forgotten before line {line}; the fix inserts it there.',
      },
      unclosedAtEnd: {
        text: '{nginx}.',
        why: 'The "{owner}" block opened at line {open} is never closed; the fix closes it at the end of the file.',
      },
    },
    fixes: {
      close: { title: 'Close "{owner}" with "}" before line {line}', applicability: 'unsafe', changes: 'the block ends where the indentation says' },
      closeAtEnd: { title: 'Close "{owner}" with "}" at the end of the file', applicability: 'unsafe', changes: 'the block ends at the end of the file' },
    },
    docs: {
      summary: 'A block whose "}" was forgotten, and where by the indentation it belongs.',
      whatItDoes:
        'When nginx reaches the end of a file still inside a block (`unexpected end of file, expecting "}"`), finds that block and, from ' +
        "the file's indentation, the first line back at the block's own level: the `}` was most likely forgotten just before it.",
      whyItMatters: "nginx's message points at the end of the file, often far from the block that was not closed.",
      example: 'server {\n    location / {\n        return 204;\n\n    location /b/ {\n        return 204;\n    }\n}',
      useInstead: 'server {\n    location / {\n        return 204;\n    }\n\n    location /b/ {\n        return 204;\n    }\n}',
      fixSafety: 'Unsafe: the place comes from the indentation, which may not say what was meant.',
    },
  },
  check({ model, report }) {
    for (const file of model.files.values()) {
      for (const unclosed of unclosedBlocks(file)) {
        const { issue, owner } = unclosed;
        const open = file.lines.positionAt(owner.block!.open).line + 1;
        const atEnd = unclosed.line === undefined;
        const newText = atEnd ? `${file.text.endsWith('\n') || file.text === '' ? '' : '\n'}${unclosed.indent}}\n` : `${unclosed.indent}}\n`;
        report({
          message: atEnd ? 'unclosedAtEnd' : 'unclosed',
          data: { nginx: issue.message, owner: owner.name, open, line: unclosed.line ?? 0 },
          file,
          start: owner.nameToken.start,
          end: owner.nameToken.end,
          related: [{ file, start: issue.start, end: issue.end, message: 'nginx reaches the end of the file here' }],
          fixes: [{ fix: atEnd ? 'closeAtEnd' : 'close', data: { owner: owner.name, line: unclosed.line ?? 0 }, edits: [{ file, start: unclosed.insertAt, end: unclosed.insertAt, newText }] }],
          // shown at the block that is not closed, not at the end of the file where nginx notices (foundAt keeps it there)
          nginx: { seq: model.issueSeq.get(issue) ?? Number.MAX_SAFE_INTEGER, foundAt: model.issueSeq.get(issue) ?? Number.MAX_SAFE_INTEGER, line: issue.nginxLine, message: issue.message },
        });
      }
    }
  },
});
