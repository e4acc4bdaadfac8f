// valid_referers sets $invalid_referer to "" (valid) for the values it lists; `none` lists requests
// without a Referer header (ngx_http_referer_module: no_referer).

import { directivesNamed } from '../support';
import { defineRule } from '../rule';

export default defineRule({
  meta: {
    id: 'access/valid-referers-none',
    defaultSeverity: 'warning',
    messages: {
      none: {
        text: 'valid_referers accepts requests without a Referer ("none").',
        why:
          'Any page can make the browser send no Referer: `<meta name="referrer" content="no-referrer">`, `rel="noreferrer"`, a sandboxed ' +
          'iframe, an https page linking to http. With "none" listed, the attacker\'s page passes the check that was meant to refuse it. ' +
          'Keep "none" only for hotlink protection where direct visits must work, never to protect an action or private content.',
      },
    },
    fixes: {
      remove: { title: 'Remove "none"', applicability: 'unsafe', changes: 'requests without a Referer are refused' },
    },
    reads: ['valid_referers'],
    docs: {
      summary: '`valid_referers none`: requests without a Referer pass the check.',
      whatItDoes: 'Reports the `none` value of `valid_referers`.',
      whyItMatters:
        'A Referer check is meant to refuse requests coming from other sites. Those sites choose whether the browser sends a Referer ' +
        'at all: "none" lets them through by simply not sending one.',
      example: 'valid_referers none server_names *.example.com;\nif ($invalid_referer) {\n    return 403;\n}',
      useInstead: 'valid_referers server_names *.example.com;\nif ($invalid_referer) {\n    return 403;\n}',
      fixSafety:
        'Removes `none` (only when a referer other than `blocked` remains: nginx refuses the directive otherwise). Unsafe: visitors whose ' +
        'browser sends no Referer (typed URLs, bookmarks, privacy settings) are refused.',
      references: ['https://nginx.org/en/docs/http/ngx_http_referer_module.html#valid_referers'],
    },
  },
  check({ model, report }) {
    for (const d of directivesNamed(model, 'valid_referers')) {
      if (d.node.terminator !== ';') continue;
      const index = d.node.args.findIndex((a) => a.value.toLowerCase() === 'none');
      if (index < 0) continue;
      const token = d.node.args[index]!;
      let fixes: Array<{ fix: 'remove'; edits: Array<{ file: typeof d.file; start: number; end: number; newText: string }> }> = [];
      // nginx refuses a valid_referers left with only "none" or "blocked"
      if (d.node.args.some((a) => !['none', 'blocked'].includes(a.value.toLowerCase()))) {
        // the token and the whitespace before it (after it, when it comes first)
        const text = d.file.text;
        let start = token.start;
        let end = token.end;
        if (index > 0) while (start > 0 && /[ \t]/.test(text[start - 1]!)) start--;
        else while (end < text.length && /[ \t]/.test(text[end]!)) end++;
        fixes = [{ fix: 'remove', edits: [{ file: d.file, start, end, newText: '' }] }];
      }
      report({ message: 'none', file: d.file, start: token.start, end: token.end, fixes });
    }
  },
});
