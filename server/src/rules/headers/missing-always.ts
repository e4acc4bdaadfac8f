import { hasAlways, SECURITY_HEADERS } from '../../proxy/headers';
import { headerName } from '../../proxy/locations';
import { checkedNamed } from '../support';
import type { ConfigBlock } from '../../model/config';
import { defineRule } from '../rule';

/**
 * The statuses nginx adds a header to without `always` (nginx/nginx
 * src/http/modules/ngx_http_headers_filter_module.c, ngx_http_headers_filter: `safe_status`).
 */
const SAFE_STATUS = /^(200|201|204|206|301|302|303|304|307|308)$/;

/** The block answers every request with a `return` of such a status (a URL alone is a 302): "always" would change nothing. */
function answersSafely(block: ConfigBlock): boolean {
  const ret = block.items.find((d) => d.node.name === 'return' && d.node.terminator === ';');
  const code = ret?.node.args[0]?.value ?? '';
  return SAFE_STATUS.test(code) || /^https?:\/\//.test(code);
}

export default defineRule({
  meta: {
    id: 'headers/missing-always',
    defaultSeverity: 'information',
    presets: { 'nginx-recommended': 'hint' },
    messages: {
      missing: {
        text: '{header} is added without "always", so error responses go out without it.',
        why:
          'Without "always", nginx adds a header only to 200, 201, 204, 206, 301, 302, 303, 304, 307 and 308 responses: error pages (401, 403, 404, 500, ...) ' +
          'lack it, and need it just as much. The fix appends "always".',
      },
    },
    fixes: {
      always: { title: 'Add "always"', applicability: 'safe' },
    },
    reads: ['add_header', 'return'],
    docs: {
      summary: 'A security header added without `always`.',
      whatItDoes:
        'Reports an `add_header` of a security header (Strict-Transport-Security, X-Frame-Options, Content-Security-Policy, ' +
        'Cross-Origin-*-Policy, Referrer-Policy, X-Content-Type-Options, Permissions-Policy) whose third argument is not `always`, unless ' +
        'its block answers every request with a `return` of a status nginx adds headers to anyway (`return 204` for a CORS preflight, a redirect).',
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
    for (const d of checkedNamed(model, 'add_header')) {
      if (d.node.args.length !== 2) continue;
      if (!SECURITY_HEADERS.has(headerName(d)) || hasAlways(d) || answersSafely(d.parent)) continue;
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
