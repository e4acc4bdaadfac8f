// Document links: the files a configuration names, opened where they are in the workspace (through
// the Kasm mapping and the pathMappings settings): included files (a mask opens its first match and
// lists the others), certificates, keys, DH parameters, password files, and root/alias (their index
// file). A path holding a variable, or naming nothing that exists here, is no link. No LSP types.

import { join } from 'node:path';
import type { ProjectAnalysis } from '../engine/analyze';
import type { ConfigDirective } from '../model/config';
import type { ParsedFile } from '../nginx/ast';
import type { FileHost } from '../workspace/host';

export interface DocumentLink {
  /** Offsets of the path in the file. */
  start: number;
  end: number;
  /** The local file it opens. */
  target: string;
  tooltip: string;
}

/** Directives whose first argument names a file nginx reads (relative to the configuration prefix). */
const FILE_ARGUMENTS = new Set([
  'auth_basic_user_file',
  ...['ssl', 'proxy_ssl', 'grpc_ssl', 'uwsgi_ssl'].flatMap((p) => ['certificate', 'certificate_key', 'trusted_certificate', 'crl', 'password_file'].map((s) => `${p}_${s}`)),
  'ssl_client_certificate',
  'ssl_dhparam',
  'ssl_stapling_file',
  'ssl_session_ticket_key',
  'ssl_ocsp_cache',
]);
/** Directives whose argument names a folder served to clients (nginx resolves relative ones against its own prefix, not known here). */
const FOLDER_ARGUMENTS = new Set(['root', 'alias']);

const fileName = (path: string) => path.split('/').pop() ?? path;

function mapped(resolved: { nginxPath: string; localPath: string }): string {
  return resolved.localPath === resolved.nginxPath ? '' : ` (${resolved.nginxPath} in nginx's file system)`;
}

/** The links of one file of an analysed configuration. */
export function documentLinks(analysis: ProjectAnalysis, file: ParsedFile, host: FileHost): DocumentLink[] {
  const links: DocumentLink[] = [];
  const seen = new Set<number>();
  for (const d of analysis.model.directives()) {
    if (d.file !== file || seen.has(d.node.start)) continue;
    const link = linkOf(analysis, d, host);
    if (link) {
      links.push(link);
      seen.add(d.node.start);
    }
  }
  return links.sort((a, b) => a.start - b.start);
}

function linkOf(analysis: ProjectAnalysis, d: ConfigDirective, host: FileHost): DocumentLink | undefined {
  const arg = d.node.args[0];
  if (!arg || arg.value.includes('$')) return undefined;
  const span = { start: arg.start + (arg.quote ? 1 : 0), end: arg.end - (arg.quote ? 1 : 0) };
  const directive = d.node.name;

  if (directive === 'include' && d.include) {
    const files = d.include.files.filter((f) => host.kind(f) === 'file');
    if (files.length === 0) return undefined;
    const others = files.length > 1 ? `: the first of ${files.length} files it matches (${files.map(fileName).join(', ')}); Go to Definition lists them all` : '';
    return { ...span, target: files[0]!, tooltip: `Open ${fileName(files[0]!)}${mapped(d.include.resolved)}${others}` };
  }
  if (FILE_ARGUMENTS.has(directive)) {
    if (/^(data|engine|store):/.test(arg.value)) return undefined;
    const resolved = analysis.model.resolvePath(arg.value);
    if (host.kind(resolved.localPath) !== 'file') return undefined;
    return { ...span, target: resolved.localPath, tooltip: `Open ${resolved.localPath}${mapped(resolved)}` };
  }
  if (FOLDER_ARGUMENTS.has(directive) && arg.value.startsWith('/')) {
    const resolved = analysis.model.resolvePath(arg.value);
    const kind = host.kind(resolved.localPath);
    const target = kind === 'file' ? resolved.localPath : kind === 'dir' ? indexFile(d, resolved.localPath, host) : undefined;
    if (!target) return undefined;
    return { ...span, target, tooltip: `Open ${target}${mapped(resolved)}` };
  }
  return undefined;
}

/** The index file nginx would serve from a folder: the `index` in effect where it is set, or index.html. */
function indexFile(d: ConfigDirective, folder: string, host: FileHost): string | undefined {
  let names = ['index.html'];
  for (let block: ConfigDirective['parent'] | undefined = d.parent; block; block = block.parent) {
    const index = block.items.find((i) => i.node.name === 'index');
    if (index) {
      names = index.node.args.map((a) => a.value).filter((v) => !v.includes('$') && !v.startsWith('/'));
      break;
    }
  }
  return names.map((n) => join(folder, n)).find((p) => host.kind(p) === 'file');
}
