// A FileHost over files held in memory, for tests that run the engine thousands of times (property
// tests): the engine reads through it exactly as it reads the disk, without writing a tree per case.

import { basename, dirname } from 'node:path';
import type { DirEntry, FileHost, ReadResult } from '../../server/src/workspace/host';

export class MemoryHost implements FileHost {
  private readonly dirs = new Set<string>();

  constructor(readonly files: ReadonlyMap<string, string>) {
    for (const path of files.keys()) {
      for (let dir = dirname(path); !this.dirs.has(dir); dir = dirname(dir)) {
        this.dirs.add(dir);
        if (dir === '/') break;
      }
    }
  }

  read(path: string): ReadResult {
    const text = this.files.get(path);
    if (text !== undefined) return { ok: true, text, latin1: false };
    if (this.dirs.has(path)) return { ok: false, reason: 'directory', message: 'Is a directory' };
    return { ok: false, reason: 'not-found', message: 'No such file or directory' };
  }

  list(dir: string): DirEntry[] | undefined {
    if (!this.dirs.has(dir)) return undefined;
    const entries: DirEntry[] = [];
    for (const path of this.files.keys()) if (dirname(path) === dir) entries.push({ name: basename(path), kind: 'file' });
    for (const sub of this.dirs) if (sub !== dir && dirname(sub) === dir) entries.push({ name: basename(sub), kind: 'dir' });
    return entries;
  }

  kind(path: string): 'file' | 'dir' | undefined {
    if (this.files.has(path)) return 'file';
    return this.dirs.has(path) ? 'dir' : undefined;
  }

  realpath(path: string): string {
    return path;
  }
}
