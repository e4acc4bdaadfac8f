// nginx runs the rewrite module (return, rewrite, if) in the rewrite phases, before the access phase
// where allow and deny are checked (ngx_http_core_module's phase order: server rewrite, find config,
// rewrite, ..., access): a `return` answers before the access rules are looked at.

import type { ConfigBlock, ConfigDirective } from '../../model/config';
import { accessRules, internalOnly, refusesSome } from '../../proxy/access';
import { describeBlock, directivesNamed } from '../support';
import { defineRule } from '../rule';
import { LOCATION_READS } from '../../proxy/locations';

/** The directives of a block's rewrite phase that answer the request: return (not an error), rewrite ... redirect. */
function answers(block: ConfigBlock): ConfigDirective[] {
  const out: ConfigDirective[] = [];
  const consider = (d: ConfigDirective) => {
    if (d.node.terminator !== ';') return;
    const args = d.node.args.map((a) => a.value);
    if (d.node.name === 'return') {
      const code = Number(args[0]);
      if (Number.isNaN(code) ? /^(https?:\/\/|\$scheme)/.test(args[0] ?? '') : code < 400) out.push(d);
    } else if (d.node.name === 'rewrite' && (args[2] === 'redirect' || args[2] === 'permanent' || /^(https?:\/\/|\$scheme)/.test(args[1] ?? ''))) {
      out.push(d);
    }
  };
  for (const d of block.items) {
    consider(d);
    if (d.node.name === 'if' && d.block) d.block.items.forEach(consider);
  }
  return out;
}

export default defineRule({
  meta: {
    id: 'access/return-bypasses-deny',
    defaultSeverity: 'error',
    messages: {
      bypass: {
        text: '{directive} answers before allow/deny are checked: denied clients get this response too.',
        why:
          'nginx runs return and rewrite ... redirect in its rewrite phase, before the access phase that checks the allow and deny ' +
          'rules of {where}: those rules never apply to this response. To answer allowed clients only, answer after the access phase: ' +
          '`try_files /nonexistent @answer;` here and `location @answer { ... }` with the return.',
      },
    },
    reads: [...LOCATION_READS, 'allow', 'deny', 'location', 'return', 'rewrite'],
    docs: {
      summary: '`return` (or `rewrite ... redirect`) in a block whose `deny` rules it runs before.',
      whatItDoes:
        'For each server and location (not internal or named ones) where allow/deny rules refuse someone, reports the `return` lines ' +
        '(other than 4xx/5xx errors) and the redirecting `rewrite` lines of its own rewrite phase (the block and its `if` blocks).',
      whyItMatters:
        'The configuration reads as "only the office may see this", but the response is sent to everyone: a status text, a redirect ' +
        'carrying a token, an answer meant for monitoring.',
      example: 'location /internal/health {\n    allow 10.0.0.0/8;\n    deny all;\n    return 200 "ok $hostname";\n}',
      useInstead:
        'location /internal/health {\n    allow 10.0.0.0/8;\n    deny all;\n    try_files /nonexistent @health;\n}\nlocation @health {\n    return 200 "ok $hostname";\n}',
      references: ['https://nginx.org/en/docs/http/ngx_http_rewrite_module.html', 'https://nginx.org/en/docs/dev/development_guide.html#http_phases'],
    },
  },
  check({ model, settings, report }) {
    if (directivesNamed(model, 'deny').length === 0) return;
    // the blocks that answer in their rewrite phase: a return or a rewrite there, or in one of their if blocks
    const answering = new Set(directivesNamed(model, 'return', 'rewrite').map((d) => (d.parent.context === 'http.if.location' || d.parent.context === 'http.if.server' ? d.parent.parent! : d.parent)));
    for (const block of answering) {
      if ((block.context !== 'http.location' && block.context !== 'http.server') || internalOnly(block)) continue;
      const access = accessRules(block, settings.nginxVersion);
      if (!access.level || !refusesSome(access.rules)) continue;
      for (const answer of answers(block)) {
        report({
          message: 'bypass',
          data: { directive: answer.node.name === 'return' ? 'return' : 'rewrite ... redirect', where: describeBlock(access.level) },
          file: answer.file,
          start: answer.node.start,
          end: answer.node.end,
          related: access.rules.filter((r) => r.node.name === 'deny').map((r) => ({ file: r.file, start: r.node.start, end: r.node.end, message: 'checked only after the return has answered' })),
        });
      }
    }
  },
});
