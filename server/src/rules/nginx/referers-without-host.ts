// valid_referers (a server's or a location's) with "none" or "blocked" and no host to accept: nginx
// refuses it when it merges the level that writes it (ngx_http_referer_merge_conf; regexes are kept
// apart from the hosts and do not count).

import { httpBlocks, mergeFoundAt, within } from '../http-merge';
import { defineRule } from '../rule';
import { refused } from '../support';

const MESSAGE = 'the "none" or "blocked" referers are specified in the "valid_referers" directive without any valid referer';

export default defineRule({
  meta: {
    id: 'nginx/referers-without-host',
    defaultSeverity: 'error',
    messages: {
      noHost: {
        text: '{nginx}.',
        ...refused('valid_referers needs at least one host name (or server_names) besides "none" and "blocked"; regexes do not count. nginx checks it when it merges the server or location, naming no file or line.'),
      },
    },
    reads: ['http', 'server', 'location', 'if', 'valid_referers'],
    docs: {
      summary: '`valid_referers` with only `none`, `blocked` (and regexes), which nginx refuses.',
      whatItDoes:
        'Reports a `valid_referers` line of a server or location whose arguments are `none` or `blocked` with no host name, wildcard or ' +
        '`server_names`: nginx keeps regexes apart from the hosts, and refuses the line when it merges its level, with the message ' +
        '`nginx -t` prints.',
      whyItMatters: 'nginx refuses the whole configuration without naming a file or line.',
      example: 'location /images/ {\n    valid_referers none blocked;\n    if ($invalid_referer) { return 403; }\n}',
      useInstead: 'location /images/ {\n    valid_referers none blocked example.com *.example.com;\n    if ($invalid_referer) { return 403; }\n}',
      references: ['https://nginx.org/en/docs/http/ngx_http_referer_module.html#valid_referers'],
    },
  },
  check({ model, report }) {
    for (const { block: http } of httpBlocks(model)) {
      for (const d of model.named('valid_referers')) {
        if (!within(d.parent, http) || d.node.terminator !== ';') continue;
        const words = d.node.args.map((a) => a.value);
        const open = words.some((w) => w === 'none' || w === 'blocked');
        const hosts = words.some((w) => w !== 'none' && w !== 'blocked' && !w.startsWith('~'));
        if (!open || hosts) continue;
        report({
          message: 'noHost',
          data: { nginx: MESSAGE },
          file: d.file,
          start: d.node.start,
          end: d.node.end,
          nginx: { seq: d.parent.owner?.seq ?? d.seq, line: 0, message: MESSAGE, unlocated: true, foundAt: mergeFoundAt(http, 'referer') },
        });
      }
    }
  },
});
