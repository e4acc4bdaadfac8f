// ngx_http_map_uri_to_path: a file's path is `root` followed by the whole (normalized) URI, or `alias`
// followed by the URI after the location's prefix. The URI always starts with "/" and nginx has
// removed "/../" from it, so what a root can serve is the directory it names joined with the fixed part
// of a prefix location: `root /` in `location /static/` serves only /static/, in `location /` or a
// regex location everything.

import { posix } from 'node:path';
import type { ConfigDirective } from '../../model/config';
import { directivesNamed, isChecked, locationName } from '../support';
import { defineRule } from '../rule';

/** Top-level directories that hold the system, not web content (/srv, "data served by this system", is not one). */
const SYSTEM = new Set(['/etc', '/root', '/home', '/var', '/proc', '/sys', '/dev', '/boot', '/run', '/usr', '/bin', '/sbin', '/lib', '/lib64', '/tmp', '/opt']);
/** Directories whose whole subtree is private to the system. */
const PRIVATE_SUBTREES = ['/proc', '/sys', '/dev', '/boot', '/root'];
/** Directories below the top level that hold configuration, keys or logs. */
const SENSITIVE = new Set(['/etc/nginx', '/etc/ssl', '/etc/letsencrypt', '/etc/pki', '/var/log', '/var/lib']);

/** The location a root or alias applies in (an `if` in a location counts as it). */
function enclosingLocation(d: ConfigDirective): ConfigDirective | undefined {
  let block = d.parent;
  if (block.context === 'http.if.location' && block.parent) block = block.parent;
  return block.context === 'http.location' ? block.owner : undefined;
}

/** The directory whose files this root or alias serves; undefined when it cannot be known or is not a tree. */
function servedDirectory(d: ConfigDirective): string | undefined {
  const path = d.node.args[0]?.value;
  if (!path || !path.startsWith('/') || path.includes('$')) return undefined;
  const location = enclosingLocation(d);
  const name = location ? locationName(location) : undefined;
  if (d.node.name === 'alias') {
    // a regex location replaces the whole path (without captures: one file), an exact one serves one file
    if (!name || name.exact || name.named || name.regex) return undefined;
    // location /files/ { alias /etc; } maps /files/x to /etcx: names beside it, not the directory
    if (name.name.endsWith('/') && !path.endsWith('/')) return undefined;
    return posix.normalize(path);
  }
  if (name && name.exact) return undefined;
  const fixed = name && !name.regex && !name.named ? name.name.slice(0, name.name.lastIndexOf('/') + 1) : '/';
  return posix.normalize(`${path}/${fixed}`);
}

type Exposure = 'filesystem' | 'system';

function exposure(dir: string): Exposure | undefined {
  const clean = dir.length > 1 ? dir.replace(/\/+$/, '') : dir;
  if (clean === '/') return 'filesystem';
  if (SYSTEM.has(clean) || SENSITIVE.has(clean)) return 'system';
  if (PRIVATE_SUBTREES.some((p) => clean.startsWith(`${p}/`))) return 'system';
  return undefined;
}

export default defineRule({
  meta: {
    id: 'location/root-exposure',
    defaultSeverity: 'error',
    messages: {
      filesystem: {
        text: '{directive} {path} serves the whole file system: /etc/passwd and any file nginx can read.',
        why:
          'nginx maps the request path onto the directory {directive} names, so every file the worker processes can read is ' +
          'one request away: /etc/passwd, private keys, other sites\' configuration and source. Point {directive} at a directory ' +
          'that holds only what is meant to be published.',
      },
      system: {
        text: '{directive} {path} serves {dir}, a system directory, to clients.',
        why:
          '{dir} holds the system\'s files (configuration, keys, logs, home directories, process information), not web content: ' +
          'any of them nginx can read is one request away. Point {directive} at a directory that holds only what is meant to be ' +
          'published (/srv/www, /var/www/html).',
        severity: 'warning',
      },
    },
    reads: ['alias', 'location', 'root'],
    docs: {
      summary: '`root` or `alias` that serves `/` or a system directory (/etc, /root, /home, /var, /proc...).',
      whatItDoes:
        'For each `root` and `alias` without variables, works out the directory whose files it serves: the alias itself in a ' +
        'prefix location (unless the location ends with "/" and the alias does not: that serves names beside it); for a root, ' +
        'the root joined with the fixed part of a prefix location\'s path (`root /;` in `location /static/` serves only ' +
        '/static/), or the root alone at server level, in a regex or a named location. Reports it as an error when that is ' +
        '`/`, and as a warning when it is a top-level system directory (/etc, /root, /home, /var, /proc, /sys, /dev, /boot, ' +
        '/run, /usr, /bin, /sbin, /lib, /lib64, /tmp, /opt), a directory under /proc, /sys, /dev, /boot or /root, or one of ' +
        '/etc/nginx, /etc/ssl, /etc/letsencrypt, /etc/pki, /var/log, /var/lib. Their subdirectories that commonly hold web ' +
        'content (/usr/share/nginx/html, /var/www, /home/site/public) are not reported; /srv is meant for served data.',
      whyItMatters:
        'A root that reaches the system\'s own files publishes passwords, private keys and configuration to anyone who guesses a ' +
        'path, and nothing in the logs looks unusual until someone does.',
      example: 'location /files/ {\n    alias /;\n    autoindex on;\n}',
      useInstead: 'location /files/ {\n    alias /srv/files/;\n    autoindex on;\n}',
      references: [
        'https://nginx.org/en/docs/http/ngx_http_core_module.html#root',
        'https://nginx.org/en/docs/http/ngx_http_core_module.html#alias',
        'https://refspecs.linuxfoundation.org/FHS_3.0/fhs/index.html',
      ],
    },
  },
  check({ model, report }) {
    for (const d of directivesNamed(model, 'root', 'alias')) {
      if (!isChecked(d) || d.parent.context.startsWith('stream') || d.parent.context.startsWith('mail')) continue;
      const dir = servedDirectory(d);
      const kind = dir && exposure(dir);
      if (!kind) continue;
      const token = d.node.args[0]!;
      report({
        message: kind,
        data: { directive: d.node.name, path: token.value, dir: dir!.length > 1 ? dir!.replace(/\/+$/, '') : dir! },
        file: d.file,
        start: d.node.start,
        end: d.node.end,
      });
    }
  },
});
