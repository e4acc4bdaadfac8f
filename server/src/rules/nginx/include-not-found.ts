import { defineRule } from '../rule';
import { checkedNamed, includeTrail, refused } from '../support';

const ERRNO: Record<string, string> = {
  'not-found': '2: No such file or directory',
  directory: '21: Is a directory',
  unreadable: '13: Permission denied',
};

export default defineRule({
  meta: {
    id: 'nginx/include-not-found',
    defaultSeverity: 'error',
    messages: {
      missing: {
        text: 'include "{argument}": there is no file {local}.',
        ...refused('nginx fails with: open() "{nginxPath}" failed (2: No such file or directory).{mapped}'),
      },
      directory: {
        text: 'include "{argument}" reads {local}, which is a directory.',
        ...refused('nginx fails with {nginx}. Include the files in it with a mask such as {suggestion}.'),
      },
      unreadable: { text: 'include "{argument}": {local} cannot be read ({reason}).', ...refused('nginx cannot read it either.') },
      special: { text: 'include "{argument}": {local} is not a regular file (a device, FIFO or socket).', why: 'nginx would block or fail reading it.' },
    },
    reads: ['include'],
    docs: {
      summary: 'An `include` of a file that does not exist, is a directory, or cannot be read.',
      whatItDoes:
        'Resolves each `include` as nginx does: a relative path against the configuration prefix (the folder of nginx.conf, or the ' +
        '`prefix` setting), then through the path mappings, so that Kasm\'s `/etc/nginx/conf.d/...` paths lead to the folder being edited. ' +
        'A plain path must name a readable file. A mask (`*`, `?`, `[...]`) that matches nothing is not reported, because nginx accepts it; ' +
        'a mask that matches a directory is, because nginx then fails reading it.',
      whyItMatters: 'nginx refuses to start when an included file is missing, for example after a file was renamed or a volume not mounted.',
      example: 'include /etc/nginx/conf.d/services.d/website.conf.bak;',
      useInstead: 'include /etc/nginx/conf.d/services.d/*.conf;',
    },
  },
  check({ model, report }) {
    for (const directive of checkedNamed(model, 'include')) {
      const failure = directive.include?.failure;
      if (!failure) continue;
      const { resolved } = directive.include!;
      const arg = directive.node.args[0]!;
      const nginxPath = failure.nginxPath;
      const mapped = resolved.mapping ? ` kasmlint reads ${resolved.mapping.from} from ${resolved.mapping.to} (a path mapping).` : '';
      const common = { argument: arg.value, local: failure.path, nginxPath, mapped };
      const nginx = {
        seq: directive.seq,
        line: directive.node.nginxLine,
        message:
          failure.reason === 'directory'
            ? `pread() "${nginxPath}" failed (${ERRNO.directory})`
            : `open() "${nginxPath}" failed (${ERRNO[failure.reason] ?? failure.message})`,
        // reading a directory fails in ngx_conf_parse's own read, logged with no file or line
        unlocated: failure.reason === 'directory',
      };
      const base = { file: directive.file, start: arg.start, end: arg.end, related: includeTrail(directive), nginx };
      if (failure.reason === 'not-found') report({ message: 'missing', data: common, ...base });
      else if (failure.reason === 'directory') {
        report({ message: 'directory', data: { ...common, nginx: nginx.message, suggestion: `${arg.value.replace(/\/+$/, '')}/*.conf` }, ...base });
      } else if (failure.reason === 'not-regular') report({ message: 'special', data: common, ...base });
      else report({ message: 'unreadable', data: { ...common, reason: failure.message }, ...base });
    }
  },
});
