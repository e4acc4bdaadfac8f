import { hasAlways, SECURITY_HEADERS } from '../../proxy/headers';
import { headerName } from '../../proxy/locations';
import { checkedDirectives } from '../support';
import { defineRule } from '../rule';

export default defineRule({
  meta: {
    id: 'headers/missing-always',
    defaultSeverity: 'information',
    messages: {
      missing:
        '{header} is added without "always": nginx adds it only to 200, 201, 204, 206 and 3xx responses, so error pages (401, 403, 404, 500, ...) go out without it, where it protects just as much.',
    },
    fixes: {
      always: { title: 'Add "always"', applicability: 'safe' },
    },
    docs: {
      summary: 'A security header added without `always`.',
      whatItDoes:
        'Reports an `add_header` of a security header (Strict-Transport-Security, X-Frame-Options, Content-Security-Policy, ' +
        'Cross-Origin-*-Policy, Referrer-Policy, X-Content-Type-Options, Permissions-Policy) whose third argument is not `always`.',
      whyItMatters:
        "Without `always`, nginx adds the header only to successful and redirect responses. Error pages are pages too: Kasm's own " +
        '`X-Content-Type-Options nosniff` lines lack it, so a 404 or 500 body can be sniffed.',
      example: "add_header 'X-Content-Type-Options' 'nosniff';",
      useInstead: "add_header 'X-Content-Type-Options' 'nosniff' always;",
      fixSafety: 'Appends ` always`: the header now also goes out on error responses, which is what it is for. Safe.',
      references: ['https://nginx.org/en/docs/http/ngx_http_headers_module.html#add_header'],
    },
  },
  check({ model, report }) {
    for (const d of checkedDirectives(model)) {
      if (d.node.name !== 'add_header' || d.node.args.length !== 2) continue;
      if (!SECURITY_HEADERS.has(headerName(d)) || hasAlways(d)) continue;
      const value = d.node.args[1]!;
      report({
        message: 'missing',
        data: { header: d.node.args[0]!.value },
        file: d.file,
        start: d.node.start,
        end: d.node.end,
        fixes: [{ fix: 'always', edits: [{ file: d.file, start: value.end, end: value.end, newText: ' always' }] }],
      });
    }
  },
});
