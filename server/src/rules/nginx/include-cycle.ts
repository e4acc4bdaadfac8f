import { basename } from 'node:path';
import { defineRule } from '../rule';
import { checkedNamed, includeTrail } from '../support';

export default defineRule({
  meta: {
    id: 'nginx/include-cycle',
    defaultSeverity: 'error',
    messages: {
      cycle: {
        text: 'include "{argument}" includes {target} again while it is being read ({chain}).',
        why: 'nginx would include it forever: nginx -t dies with a segmentation fault, and nginx does not start.',
        whyKasm: 'nginx would include it forever: nginx -t dies with a segmentation fault, and kasm_proxy does not start.',
      },
      truncated: {
        text: 'include "{argument}" was not followed: {why}.',
        why: 'Such a configuration is almost certainly a mistake: an include pattern that matches its own folder, or a loop.',
      },
    },
    reads: ['include'],
    docs: {
      summary: 'Files that include each other, directly or through a chain, or includes that expand without bound.',
      whatItDoes:
        'Follows includes the way nginx reads them and reports an include that leads back to a file already being read. The chain of ' +
        'files is shown. Includes nested deeper than 64 levels, or a configuration growing past two million directives, are reported ' +
        'rather than followed.',
      whyItMatters:
        'nginx has no protection against include loops: it recurses until it crashes (measured: `nginx -t` exits with a segmentation ' +
        'fault and prints nothing). A pattern such as `include conf.d/*.conf` placed inside a file of conf.d includes that file itself.',
      example: '# conf.d/a.conf\ninclude /etc/nginx/conf.d/*.conf;',
      useInstead: '# nginx.conf\nhttp {\n    include /etc/nginx/conf.d/*.conf;\n}',
    },
  },
  check({ model, report }) {
    for (const directive of checkedNamed(model, 'include')) {
      const include = directive.include;
      if (!include || (!include.cycle && !include.truncated)) continue;
      const arg = directive.node.args[0]!;
      const base = { file: directive.file, start: arg.start, end: arg.end, related: includeTrail(directive) };
      const nginx = { seq: directive.seq, line: directive.node.nginxLine, message: 'segmentation fault (include cycle)' };
      if (include.cycle) {
        const chain = include.cycle.map((p) => basename(p)).join(' → ');
        report({ message: 'cycle', data: { argument: arg.value, target: basename(include.cycle[include.cycle.length - 1]!), chain }, ...base, nginx });
      } else {
        report({ message: 'truncated', data: { argument: arg.value, why: include.truncated! }, ...base });
      }
    }
  },
});
