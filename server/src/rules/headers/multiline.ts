// nginx writes an add_header value as it is, line breaks included (ngx_http_header_filter_module
// copies h->value): a quoted value spanning lines sends a folded header (a line starting with a
// space or tab), which RFC 9112 (5.2) made obsolete, or a broken one.

import { directivesNamed, isChecked } from '../support';
import { defineRule } from '../rule';

export default defineRule({
  meta: {
    id: 'headers/multiline',
    defaultSeverity: 'warning',
    messages: {
      folded: {
        text: 'The value of {header} spans several lines.',
        why:
          'nginx sends the line breaks as they are. A line that starts with a space or a tab continues the header the obsolete way ' +
          '(line folding): RFC 9112 lets recipients reject the message or replace the break with a space, and some clients drop the ' +
          'header, a Content-Security-Policy that silently never applies. A line that starts otherwise becomes a header of its own. ' +
          'Write the value on one line.',
      },
    },
    fixes: {
      join: { title: 'Join the value into one line', applicability: 'safe' },
      joinBroken: { title: 'Join the value into one line', applicability: 'unsafe', changes: 'lines that were headers of their own join the value' },
    },
    reads: ['add_header', 'add_trailer'],
    docs: {
      summary: 'A header value written over several lines (obsolete folding, or a broken header).',
      whatItDoes: 'Reports an `add_header` or `add_trailer` value that holds a line break, usually a quoted value continued on the next lines.',
      whyItMatters:
        'Long policies (Content-Security-Policy, Permissions-Policy) are often written over several lines for readability; the ' +
        'header that reaches the browser is then folded or cut, and the protection it was meant to give may not apply at all.',
      example: 'add_header Content-Security-Policy "default-src \'self\';\n    img-src \'self\' data:;" always;',
      useInstead: 'add_header Content-Security-Policy "default-src \'self\'; img-src \'self\' data:;" always;',
      fixSafety:
        'Replaces each line break and the spaces around it with one space. Safe when every break is followed by a space or a tab (a ' +
        'folded header means exactly that value); unsafe otherwise (the header changes from broken to whole).',
      references: ['https://www.rfc-editor.org/rfc/rfc9112#section-5.2'],
    },
  },
  check({ model, report }) {
    for (const d of directivesNamed(model, 'add_header', 'add_trailer')) {
      const token = d.node.args[1];
      if (!token || !/[\r\n]/.test(token.value) || !isChecked(d)) continue;
      const raw = d.file.text.slice(token.start, token.end);
      const folded = /^(?:[^\r\n]|\r?\n[ \t])*$/.test(token.value.replace(/\r?\n(?=[ \t])/g, '\n'));
      const joined = raw.replace(/[ \t]*(?:\r?\n|\\r\\n|\\n|\\r)[ \t]*/g, ' ');
      report({
        message: 'folded',
        data: { header: d.node.args[0]!.value },
        file: d.file,
        start: token.start,
        end: token.end,
        fixes: token.quote ? [{ fix: folded ? 'join' : 'joinBroken', edits: [{ file: d.file, start: token.start, end: token.end, newText: joined }] }] : [],
      });
    }
  },
});
