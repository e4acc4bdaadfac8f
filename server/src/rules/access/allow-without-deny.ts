// ngx_http_access_handler checks allow and deny in order and, when no rule matches, lets the request
// through (NGX_DECLINED): allow lines alone restrict nobody.

import { accessRules, authenticationIn, satisfiesAny } from '../../proxy/access';
import { describeBlock, directivesNamed } from '../support';
import { insertLinesAfter } from '../edits';
import { defineRule } from '../rule';

export default defineRule({
  meta: {
    id: 'access/allow-without-deny',
    defaultSeverity: 'warning',
    messages: {
      open: {
        text: 'allow lines without a deny: every other client is allowed too.',
        why:
          'nginx checks allow and deny in order and lets a request through when no rule matches, so {count} without a `deny all;` ' +
          'after {them} restrict nobody{dropped}. Add `deny all;` after the last allow.',
      },
    },
    fixes: {
      deny: { title: 'Add "deny all;" after the allow lines', applicability: 'unsafe', changes: 'every client not allowed gets 403' },
    },
    reads: ['allow', 'auth_basic', 'auth_jwt', 'auth_oidc', 'auth_request', 'deny', 'satisfy'],
    docs: {
      summary: '`allow` lines with no `deny` at the same level: they restrict nobody.',
      whatItDoes:
        'Reports each http, server, location or limit_except level that has `allow` lines of its own (other than `allow all`) and no ' +
        '`deny`, unless `satisfy any` pairs them with authentication (then the allow list is a bypass of the login, as intended). ' +
        'Because allow and deny are inherited only by a level that has none of them, a location with its own allow lines also drops a ' +
        '`deny all` written at the server level: that case is reported too, with the deny that no longer applies.',
      whyItMatters:
        'An admin page "restricted" to an office address answers the whole internet, and nothing in the logs or the configuration says so.',
      example: 'location /admin/ {\n    allow 10.0.0.0/8;\n    proxy_pass http://app;\n}',
      useInstead: 'location /admin/ {\n    allow 10.0.0.0/8;\n    deny all;\n    proxy_pass http://app;\n}',
      fixSafety: 'Adds `deny all;` after the last allow line. Unsafe: clients that were let through (by mistake) are refused from then on.',
      references: ['https://nginx.org/en/docs/http/ngx_http_access_module.html'],
    },
  },
  check({ model, settings, report }) {
    const levels = new Set(directivesNamed(model, 'allow').map((a) => a.parent));
    for (const block of levels) {
      if (!['http.server', 'http.location', 'http.limit_except'].includes(block.context)) continue;
      const own = block.items.filter((i) => (i.node.name === 'allow' || i.node.name === 'deny') && i.node.terminator === ';');
      const allows = own.filter((i) => i.node.name === 'allow');
      if (allows.length === 0 || own.some((i) => i.node.name === 'deny')) continue;
      if (allows.some((i) => i.node.args[0]?.value.toLowerCase() === 'all')) continue;
      if (satisfiesAny(block, settings.nginxVersion) && authenticationIn(block, settings.nginxVersion)) continue;
      const above = block.parent ? accessRules(block.parent, settings.nginxVersion) : { rules: [] };
      const lost = above.rules.filter((r) => r.node.name === 'deny');
      const last = allows[allows.length - 1]!;
      report({
        message: 'open',
        data: {
          count: allows.length === 1 ? 'an allow line' : `${allows.length} allow lines`,
          them: allows.length === 1 ? 'it' : 'them',
          dropped: lost.length > 0 && above.level ? `, and they replace the deny of ${describeBlock(above.level)}, which no longer applies here` : '',
        },
        file: allows[0]!.file,
        start: allows[0]!.node.start,
        end: allows[0]!.node.end,
        related: lost.map((r) => ({ file: r.file, start: r.node.start, end: r.node.end, message: 'no longer applies: this level has allow lines of its own' })),
        fixes: [{ fix: 'deny', edits: [insertLinesAfter(last.file, last.node, ['deny all;'])] }],
      });
    }
  },
});
