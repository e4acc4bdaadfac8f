// Which configuration a file belongs to. A Kasm tree (a folder with orchestrator.conf and services.d/,
// what /opt/kasm/current/conf/nginx holds) is read as Kasm's proxy container reads it: its top-level
// files inside `http { include /etc/nginx/conf.d/*.conf; }`. A folder with nginx.conf is read from
// nginx.conf. Anything else is a set of loose files, each read in the context it declares or implies.

import { basename, dirname, join, resolve } from 'node:path';
import type { PathMapping } from '../engine/settings';
import type { FileHost } from './host';

export type ProjectKind = 'kasm' | 'nginx' | 'loose';

export interface ProjectRoot {
  kind: ProjectKind;
  /** The folder the project is rooted at. */
  dir: string;
}

/** Where Kasm's own files say they live: in the container, and on the host. */
export const KASM_CONTAINER_DIR = '/etc/nginx/conf.d';
export const KASM_HOST_DIR = '/opt/kasm/current/conf/nginx';
/** Kasm's proxy image keeps nginx.conf (the configuration prefix) here. */
export const KASM_CONTAINER_PREFIX = '/etc/nginx';

export function isKasmTree(host: FileHost, dir: string): boolean {
  return host.kind(join(dir, 'orchestrator.conf')) === 'file' && host.kind(join(dir, 'services.d')) === 'dir';
}

/** The innermost Kasm tree or nginx.conf folder at or above `dir`. */
export function enclosingProject(host: FileHost, dir: string, cache = new Map<string, ProjectRoot | null>()): ProjectRoot | undefined {
  const visited: string[] = [];
  let current = resolve(dir);
  let found: ProjectRoot | null = null;
  for (;;) {
    const cached = cache.get(current);
    if (cached !== undefined) {
      found = cached;
      break;
    }
    visited.push(current);
    if (isKasmTree(host, current)) {
      // a Kasm tree in the conf.d of an nginx.conf (a copy of the container's /etc/nginx) is part of
      // that one configuration, analysed once from nginx.conf
      const parent = dirname(current);
      found = includesFolder(host, join(parent, 'nginx.conf'), basename(current)) ? { kind: 'nginx', dir: parent } : { kind: 'kasm', dir: current };
      break;
    }
    if (host.kind(join(current, 'nginx.conf')) === 'file') {
      found = { kind: 'nginx', dir: current };
      break;
    }
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const v of visited) cache.set(v, found);
  return found ?? undefined;
}

/** Whether an nginx.conf includes files of its sub-folder `folder` (`include /etc/nginx/conf.d/*.conf;`). */
function includesFolder(host: FileHost, nginxConf: string, folder: string): boolean {
  const read = host.kind(nginxConf) === 'file' ? host.read(nginxConf) : undefined;
  if (!read?.ok) return false;
  const escaped = folder.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^\\s*include\\s+["']?(?:[^;"'\\s]*/)?${escaped}/`, 'm').test(read.text);
}

/** Kasm trees inside an nginx.conf folder (its conf.d, as in Kasm's proxy container). */
export function kasmTreesIn(host: FileHost, dir: string): string[] {
  return (host.list(dir) ?? []).filter((e) => e.kind === 'dir' && isKasmTree(host, join(dir, e.name))).map((e) => join(dir, e.name));
}

/** The mappings and prefix a project implies, before the user's own settings. */
export function implicitLayout(project: ProjectRoot): { prefix: string; mappings: PathMapping[] } {
  if (project.kind === 'kasm') {
    // Kasm's docker-compose.yaml mounts /opt/kasm/current/certs files at these container paths.
    const certs = join(project.dir, '..', '..', 'certs');
    return {
      prefix: KASM_CONTAINER_PREFIX,
      mappings: [
        { from: KASM_CONTAINER_DIR, to: project.dir },
        { from: KASM_HOST_DIR, to: project.dir },
        { from: '/etc/ssl/certs/kasm_nginx.crt', to: join(certs, 'kasm_nginx.crt') },
        { from: '/etc/ssl/private/kasm_nginx.key', to: join(certs, 'kasm_nginx.key') },
        { from: '/etc/ssl/certs/dhparam.pem', to: join(certs, 'dhparam.pem') },
      ],
    };
  }
  if (project.kind === 'nginx') {
    // A copy of /etc/nginx edited elsewhere still names its files by their /etc/nginx paths.
    const mappings = project.dir === '/etc/nginx' ? [] : [{ from: '/etc/nginx', to: project.dir }];
    return { prefix: project.dir, mappings };
  }
  return { prefix: project.dir, mappings: [] };
}

const NGINX_FILE_NAMES = new Set(['nginx.conf', 'mime.types', 'fastcgi_params', 'fastcgi.conf', 'scgi_params', 'uwsgi_params', 'proxy_params']);
const NGINX_FOLDERS = new Set(['sites-enabled', 'sites-available', 'conf.d', 'snippets', 'services.d', 'containers.d']);
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '.hg', '.svn']);

/** Whether a file is an NGINX configuration file by its name or folder. */
export function isNginxFileName(path: string): boolean {
  const name = basename(path);
  if (name.endsWith('.conf') || NGINX_FILE_NAMES.has(name)) return true;
  return NGINX_FOLDERS.has(basename(dirname(path))) && !name.includes('.');
}

/** NGINX files under `dir`, recursively, in a stable order; hidden and dependency folders skipped. */
export function findNginxFiles(host: FileHost, dir: string, limit = 50_000): string[] {
  return findFiles(host, dir, limit, (path) => isNginxFileName(path), () => false);
}

/** YAML files under `dir` that may be cloudflared configs (decided by their path or their text). */
export function findYamlFiles(host: FileHost, dir: string, limit = 50_000): string[] {
  return findFiles(host, dir, limit, (path) => /\.ya?ml$/i.test(path), (name) => name === '.cloudflared');
}

function findFiles(host: FileHost, dir: string, limit: number, accept: (path: string) => boolean, enterHidden: (name: string) => boolean): string[] {
  const found: string[] = [];
  const queue = [resolve(dir)];
  const seen = new Set<string>();
  while (queue.length > 0 && found.length < limit) {
    const current = queue.shift()!;
    const real = host.realpath(current);
    if (seen.has(real)) continue; // symbolic link loops
    seen.add(real);
    const entries = (host.list(current) ?? []).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(current, entry.name);
      if (entry.kind === 'dir') {
        if ((!entry.name.startsWith('.') || enterHidden(entry.name)) && !SKIPPED_FOLDERS.has(entry.name)) queue.push(path);
      } else if (entry.kind === 'file' && accept(path)) {
        found.push(path);
      }
    }
  }
  return found;
}
