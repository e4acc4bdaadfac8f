// The folders nginx books while it reads the configuration (src/core/ngx_file.c, ngx_add_path): each
// *_cache_path (ngx_http_file_cache_set_slot) and each *_temp_path written out (ngx_conf_set_path_slot)
// adds its folder, and a folder booked before must be the same kind of path with the same levels. A
// cache path owns its folder: another path on it is "the same path name ... used in FILE:LINE and"; two
// temp paths may share one when their levels agree, else "... has the different levels than".
// How nginx compares the names (measured on the real nginx -t 1.22.1): a last "/" is dropped from the
// name's length, and the name is made absolute against the prefix; the names are then compared by
// length and as C strings, so a relative "cache/" is "cache" (its absolute name is a new string without
// the "/"), while an absolute "/var/cache/" is not "/var/cache" (the "/" stays in the string).

import type { ConfigDirective, ConfigModel } from '../model/config';
import { modelMemoKey } from '../model/config';

export const CACHE_PATHS = ['proxy_cache_path', 'fastcgi_cache_path', 'uwsgi_cache_path', 'scgi_cache_path'];
export const TEMP_PATHS = ['client_body_temp_path', 'proxy_temp_path', 'fastcgi_temp_path', 'uwsgi_temp_path', 'scgi_temp_path'];

export interface PathClash {
  /** The line nginx refuses, and the one that booked its folder first. */
  directive: ConfigDirective;
  first: ConfigDirective;
  /** The folder as the refused line writes it. */
  folder: string;
  /** The name nginx prints: without a last "/", a relative one under the prefix (taken to be the configuration's, as in nginx's image). */
  nginxName: string;
  /** `owner`: one of them is a cache path; `levels`: two temp paths whose levels differ. */
  kind: 'owner' | 'levels';
}

/** The folder a path line names, as written (none for a variable or an empty name). */
function folderOf(d: ConfigDirective): string | undefined {
  const path = d.node.args[0]?.value;
  return d.node.terminator !== ';' || path === undefined || path === '' || path.includes('$') ? undefined : path;
}

/** What nginx compares of a folder: an absolute one as written, a relative one without its last "/". */
function comparedName(folder: string): string {
  return folder.startsWith('/') ? folder : `./${folder.endsWith('/') ? folder.slice(0, -1) : folder}`;
}

/** A temp path's levels (its arguments after the folder), as nginx compares them: missing ones are 0. */
function levelsOf(d: ConfigDirective): string {
  return [1, 2, 3].map((i) => Number(d.node.args[i]?.value ?? 0)).join(':');
}

const CLASHES = modelMemoKey<PathClash[]>('folders booked twice');

/** Every path line whose folder an earlier line booked in a way nginx refuses, in reading order. */
export function pathClashes(model: ConfigModel): PathClash[] {
  return model.memo(CLASHES, () => {
    const lines = [...CACHE_PATHS, ...TEMP_PATHS].flatMap((name) => model.named(name)).sort((a, b) => a.seq - b.seq);
    const firstOf = new Map<string, ConfigDirective>();
    const clashes: PathClash[] = [];
    for (const d of lines) {
      const folder = folderOf(d);
      if (folder === undefined) continue;
      const name = comparedName(folder);
      const first = firstOf.get(name);
      if (!first) {
        firstOf.set(name, d);
        continue;
      }
      const stripped = folder.length > 1 && folder.endsWith('/') ? folder.slice(0, -1) : folder;
      const nginxName = folder.startsWith('/') ? stripped : model.resolvePath(stripped).named;
      const cache = (line: ConfigDirective) => CACHE_PATHS.includes(line.node.name);
      if (cache(d) || cache(first)) clashes.push({ directive: d, first, folder, nginxName, kind: 'owner' });
      else if (levelsOf(d) !== levelsOf(first)) clashes.push({ directive: d, first, folder, nginxName, kind: 'levels' });
    }
    return clashes;
  });
}

/** Where the first line stands, as a message shows it. */
export function shortPlace(d: ConfigDirective): string {
  return `${d.file.path.split('/').pop()}:${d.node.nginxLine}`;
}
