import { defineRule } from '../rule';
import { checkedNamed, includeTrail, refused } from '../support';

/**
 * Files nginx's packages install in /etc/nginx (nginx.org's and Debian's), which a configuration kept
 * in a repository names without carrying: missing from the workspace, they are on the server.
 */
const PACKAGED_FILES = new Set(['mime.types', 'fastcgi_params', 'fastcgi.conf', 'scgi_params', 'uwsgi_params', 'koi-utf', 'koi-win', 'win-utf', 'proxy_params', 'snippets/fastcgi-php.conf', 'snippets/snakeoil.conf']);

/** The name under /etc/nginx of the file an include names, when it names one there or relative to the prefix. */
function packagedName(argument: string, nginxPath: string): string | undefined {
  const name = argument.startsWith('/') ? (nginxPath.startsWith('/etc/nginx/') ? nginxPath.slice('/etc/nginx/'.length) : undefined) : argument.replace(/^\.\//, '');
  return name !== undefined && PACKAGED_FILES.has(name) ? name : undefined;
}

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
      packaged: {
        text: 'include "{argument}": {name} is not in the workspace, so what it sets is not checked.',
        why: "nginx's packages install {name} in /etc/nginx, where nginx reads it on the server; add a copy at {local} to have it checked with the rest.",
        severity: 'information',
      },
    },
    reads: ['include'],
    docs: {
      summary: 'An `include` of a file that does not exist, is a directory, or cannot be read.',
      whatItDoes:
        'Resolves each `include` as nginx does: a relative path against the configuration prefix (the folder of nginx.conf, or the ' +
        '`prefix` setting), then through the path mappings, so that Kasm\'s `/etc/nginx/conf.d/...` paths lead to the folder being edited. ' +
        'A plain path must name a readable file. A mask (`*`, `?`, `[...]`) that matches nothing is not reported, because nginx accepts it; ' +
        'a mask that matches a directory is, because nginx then fails reading it. A file nginx\'s packages install in /etc/nginx ' +
        '(`mime.types`, `fastcgi_params`, `fastcgi.conf`, `scgi_params`, `uwsgi_params`, `proxy_params`, the charset maps, Debian\'s ' +
        '`snippets/fastcgi-php.conf`) that the workspace lacks is on the server: it is noted as unchecked, not as an error.',
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
      const packaged = failure.reason === 'not-found' ? packagedName(arg.value, nginxPath) : undefined;
      if (packaged) report({ message: 'packaged', data: { ...common, name: packaged }, file: directive.file, start: arg.start, end: arg.end, related: includeTrail(directive) });
      else if (failure.reason === 'not-found') report({ message: 'missing', data: common, ...base });
      else if (failure.reason === 'directory') {
        report({ message: 'directory', data: { ...common, nginx: nginx.message, suggestion: `${arg.value.replace(/\/+$/, '')}/*.conf` }, ...base });
      } else if (failure.reason === 'not-regular') report({ message: 'special', data: common, ...base });
      else report({ message: 'unreadable', data: { ...common, reason: failure.message }, ...base });
    }
  },
});
