// Texts in front of the disk: the language server's open editors, or the texts a fix produced in memory.

import { basename, dirname, join } from 'node:path';
import type { DirEntry, FileHost, ReadResult } from './host';

export interface OpenDocument {
  text: string;
  version: number;
}

export class OverlayHost implements FileHost {
  constructor(
    private readonly disk: FileHost,
    private readonly open: ReadonlyMap<string, OpenDocument>,
  ) {}

  read(path: string): ReadResult {
    const doc = this.open.get(path);
    if (doc) return { ok: true, text: doc.text, latin1: false, version: doc.version };
    return this.disk.read(path);
  }

  list(dir: string): DirEntry[] | undefined {
    const entries = this.disk.list(dir);
    const extra = [...this.open.keys()].filter((p) => dirname(p) === dir && !entries?.some((e) => e.name === basename(p)));
    if (!entries && extra.length === 0) return undefined;
    // an open document is no longer the disk's file: whether that is a link is not known
    const disk = (entries ?? []).map((e) => (e.link !== undefined && this.open.has(join(dir, e.name)) ? { name: e.name, kind: e.kind } : e));
    return [...disk, ...extra.map((p) => ({ name: basename(p), kind: 'file' as const }))];
  }

  kind(path: string): 'file' | 'dir' | 'other' | undefined {
    return this.open.has(path) ? 'file' : this.disk.kind(path);
  }

  realpath(path: string): string {
    return this.open.has(path) ? path : this.disk.realpath(path);
  }
}
