import { defineRule, SYNTAX_ISSUES } from '../rule';
import { wholeConfiguration } from '../support';

export default defineRule({
  meta: {
    id: 'nginx/missing-events',
    defaultSeverity: 'error',
    messages: {
      missing: {
        text: 'no "events" section in configuration.',
        why: 'nginx needs an events block at the top level of nginx.conf, even an empty one ("events {}"), and refuses to start without it. The fix adds one.',
      },
    },
    fixes: {
      add: { title: 'Add "events {}"', applicability: 'safe' },
    },
    reads: ['events', 'http', 'mail', 'stream', SYNTAX_ISSUES],
    docs: {
      summary: 'An nginx.conf without an events block.',
      whatItDoes: 'Reports a configuration read from nginx.conf (its main context) that has no `events` block; nginx checks it once the file is read, naming no file or line.',
      whyItMatters: 'nginx refuses to start with `no "events" section in configuration`.',
      example: 'http {\n    server { listen 80; }\n}',
      useInstead: 'events {}\nhttp {\n    server { listen 80; }\n}',
      fixSafety: 'Adding an empty events block is safe: it takes nginx\'s defaults.',
    },
  },
  check({ model, report }) {
    const main = wholeConfiguration(model);
    if (!main?.file) return;
    const root = main.root;
    if (root.block.items.some((d) => d.node.name === 'events')) return;
    // nginx checks it only once the whole configuration is read: a syntax error stops it first
    if ([...model.files.values()].some((f) => f.issues.length > 0)) return;
    const file = model.files.get(root.file!);
    if (!file) return;
    const first = root.block.items.find((d) => d.node.name === 'http' || d.node.name === 'stream' || d.node.name === 'mail');
    const insertAt = first?.file === file ? first.node.start : file.text.length;
    const lineStart = file.text.lastIndexOf('\n', insertAt - 1) + 1;
    const indent = file.text.slice(lineStart, insertAt);
    const atLineStart = /^\s*$/.test(indent);
    report({
      message: 'missing',
      file,
      start: first?.file === file ? first.node.nameToken.start : 0,
      end: first?.file === file ? first.node.nameToken.end : 0,
      // checked by the events module's init_conf, first thing after the file is read (before shared zones)
      nginx: { seq: root.seqStart, foundAt: -1, line: 0, message: 'no "events" section in configuration', atStartup: true, unlocated: true },
      fixes: [{ fix: 'add', edits: [{ file, start: atLineStart ? lineStart : insertAt, end: atLineStart ? lineStart : insertAt, newText: atLineStart ? `${indent}events {}\n` : 'events {}\n' }] }],
    });
  },
});
