// Where an `include` leads: nginx resolves a relative path against its configuration prefix (the
// folder of nginx.conf), then the path mappings move it from where it lives on the server (or in the
// container) to where the files are being edited.

import { posix } from 'node:path';
import type { PathMapping } from '../engine/settings';

export interface ResolvedPath {
  /** The absolute path nginx itself would open. */
  nginxPath: string;
  /** The same as nginx writes it in its messages: the prefix and the argument put together as they are (ngx_conf_full_name), not normalized. */
  named: string;
  /** The same file here, after the path mappings. */
  localPath: string;
  mapping?: PathMapping;
}

export class PathResolver {
  private readonly mappings: PathMapping[];

  constructor(
    readonly prefix: string,
    mappings: readonly PathMapping[],
  ) {
    // the most specific mapping wins
    this.mappings = [...mappings].sort((a, b) => b.from.length - a.from.length);
  }

  resolve(argument: string): ResolvedPath {
    const nginxPath = argument.startsWith('/') ? argument : posix.join(this.prefix, argument);
    const named = argument.startsWith('/') ? argument : `${this.prefix.endsWith('/') ? this.prefix : `${this.prefix}/`}${argument}`;
    for (const mapping of this.mappings) {
      if (nginxPath === mapping.from || nginxPath.startsWith(`${mapping.from}/`)) {
        return { nginxPath, named, localPath: mapping.to + nginxPath.slice(mapping.from.length), mapping };
      }
    }
    return { nginxPath, named, localPath: nginxPath };
  }

  /** The path nginx would name a local file by (the mappings reversed). */
  toNginx(localPath: string): string {
    for (const mapping of this.mappings) {
      if (localPath === mapping.to || localPath.startsWith(`${mapping.to}/`)) return mapping.from + localPath.slice(mapping.to.length);
    }
    return localPath;
  }
}
