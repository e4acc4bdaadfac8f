// The engine reads files only through a FileHost: the CLI reads the disk, the language server puts
// the editor's open documents in front of it. Reading never blocks on a FIFO or a device and never
// loads something too big, whatever an `include` points at.

import { closeSync, constants, fstatSync, openSync, readdirSync, readSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';

export type ReadResult =
  | { ok: true; text: string; latin1: boolean; version?: number }
  | { ok: false; reason: ReadFailure; message: string };

export type ReadFailure = 'not-found' | 'directory' | 'not-regular' | 'too-large' | 'unreadable';

export interface DirEntry {
  name: string;
  /** What the entry is (for a symbolic link, what it points to). */
  kind: 'file' | 'dir' | 'other';
  /** Whether the entry is a symbolic link; undefined when the host does not know. */
  link?: boolean;
}

export interface FileHost {
  read(path: string): ReadResult;
  /** Entries of a directory, or undefined when it is not a readable directory. */
  list(dir: string): DirEntry[] | undefined;
  kind(path: string): 'file' | 'dir' | 'other' | undefined;
  /** The canonical path (symbolic links resolved), or the path itself when that fails. */
  realpath(path: string): string;
}

/** Files larger than this are refused with a clear message rather than read. */
export const MAX_FILE_BYTES = 128 * 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Text of a file's bytes: UTF-8 when valid (a byte order mark is kept, as nginx keeps it), otherwise
 * byte for byte (latin1), so that writing the text back in the same encoding restores every byte.
 */
export function decode(bytes: Uint8Array): { text: string; latin1: boolean } {
  try {
    return { text: utf8.decode(bytes), latin1: false };
  } catch {
    return { text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1'), latin1: true };
  }
}

export function encode(text: string, latin1: boolean): Buffer {
  return Buffer.from(text, latin1 ? 'latin1' : 'utf8');
}

const NOT_FOUND: ReadResult = Object.freeze({ ok: false, reason: 'not-found', message: 'No such file or directory' });

function failure(error: unknown): ReadResult {
  const code = (error as NodeJS.ErrnoException).code;
  const message = (error as Error).message;
  if (code === 'ENOENT' || code === 'ENOTDIR') return NOT_FOUND;
  if (code === 'EISDIR') return { ok: false, reason: 'directory', message: 'Is a directory' };
  if (code === 'ELOOP') return { ok: false, reason: 'unreadable', message: 'Too many levels of symbolic links' };
  if (code === 'EACCES' || code === 'EPERM') return { ok: false, reason: 'unreadable', message: 'Permission denied' };
  return { ok: false, reason: 'unreadable', message };
}

export class NodeFileHost implements FileHost {
  read(path: string): ReadResult {
    let fd: number;
    try {
      // O_NONBLOCK: opening a FIFO for reading must not wait for a writer.
      fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (error) {
      return failure(error);
    }
    try {
      const stat = fstatSync(fd);
      if (stat.isDirectory()) return { ok: false, reason: 'directory', message: 'Is a directory' };
      if (!stat.isFile()) return { ok: false, reason: 'not-regular', message: 'not a regular file (a device, FIFO or socket)' };
      if (stat.size > MAX_FILE_BYTES) {
        return { ok: false, reason: 'too-large', message: `${stat.size} bytes, more than the ${MAX_FILE_BYTES} bytes kasmlint reads` };
      }
      const bytes = Buffer.alloc(stat.size);
      let filled = 0;
      while (filled < bytes.length) {
        const n = readSync(fd, bytes, filled, bytes.length - filled, filled);
        if (n === 0) break; // the file shrank while being read
        filled += n;
      }
      return { ok: true, ...decode(bytes.subarray(0, filled)) };
    } catch (error) {
      return failure(error);
    } finally {
      closeSync(fd);
    }
  }

  list(dir: string): DirEntry[] | undefined {
    try {
      return readdirSync(dir, { withFileTypes: true }).map((entry) => {
        let kind: DirEntry['kind'] = entry.isFile() ? 'file' : entry.isDirectory() ? 'dir' : 'other';
        const link = entry.isSymbolicLink();
        if (link) kind = this.kind(`${dir}/${entry.name}`) ?? 'other';
        return { name: entry.name, kind, link };
      });
    } catch {
      return undefined;
    }
  }

  kind(path: string): 'file' | 'dir' | 'other' | undefined {
    try {
      const stat = statSync(path, { throwIfNoEntry: false });
      if (!stat) return undefined;
      return stat.isFile() ? 'file' : stat.isDirectory() ? 'dir' : 'other';
    } catch {
      return undefined;
    }
  }

  realpath(path: string): string {
    try {
      // one realpath(3) call, not an lstat per component as the JavaScript version does
      return realpathSync.native(path);
    } catch {
      return path;
    }
  }
}

/** Files larger than this are read again each time rather than kept; past the total, all are let go. */
const MAX_KEPT_BYTES = 16 * 1024 * 1024;
const MAX_KEPT_TOTAL = 256 * 1024 * 1024;
const MAX_KEPT_FILES = 10_000;

/**
 * The disk, with each file's text kept while its status stays the same (device, inode, size, and
 * modification and change times to the nanosecond). The language server reads every file of a project
 * at every edit: a file that did not change costs one stat instead of open, read and decode, and keeps
 * the same string, which the parse cache recognises at once.
 */
export class StatCachedFileHost implements FileHost {
  private readonly kept = new Map<string, { stamp: string; result: ReadResult; size: number }>();
  private keptBytes = 0;

  constructor(private readonly disk: FileHost = new NodeFileHost()) {}

  read(path: string): ReadResult {
    let stamp: string | undefined;
    try {
      const stat = statSync(path, { bigint: true, throwIfNoEntry: false });
      // a missing file (a certificate not on this machine) costs a stat, not a failed open and its exception
      if (!stat) {
        this.forget(path);
        return NOT_FOUND;
      }
      if (stat.isFile() && stat.size <= MAX_KEPT_BYTES) stamp = `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`;
    } catch {
      stamp = undefined;
    }
    const kept = this.kept.get(path);
    if (stamp !== undefined && kept?.stamp === stamp) return kept.result;
    // stat first, read second: the text kept is never older than its stamp (a change in between is read again next time)
    const result = this.disk.read(path);
    this.forget(path);
    if (stamp !== undefined && result.ok) {
      const size = result.text.length * 2;
      if (this.kept.size >= MAX_KEPT_FILES || this.keptBytes + size > MAX_KEPT_TOTAL) this.forgetAll();
      this.kept.set(path, { stamp, result, size });
      this.keptBytes += size;
    }
    return result;
  }

  private forget(path: string): void {
    const kept = this.kept.get(path);
    if (!kept) return;
    this.keptBytes -= kept.size;
    this.kept.delete(path);
  }

  private forgetAll(): void {
    this.kept.clear();
    this.keptBytes = 0;
  }

  list(dir: string): DirEntry[] | undefined {
    return this.disk.list(dir);
  }

  kind(path: string): 'file' | 'dir' | 'other' | undefined {
    return this.disk.kind(path);
  }

  realpath(path: string): string {
    return this.disk.realpath(path);
  }
}

/**
 * The files as one analysis sees them: each path read, listed, classified and resolved once, then the
 * same answer each time it is asked (nginx reads a file every time it is included; the Kasm tree asks
 * about each services.d file three times per analysis). An analysis thus reads one consistent state of
 * the disk, and the language server's analysis of an edit of the Kasm tree makes half the system calls.
 */
export class AnalysisSnapshotHost implements FileHost {
  private readonly reads = new Map<string, ReadResult>();
  private readonly lists = new Map<string, DirEntry[] | undefined>();
  private readonly kinds = new Map<string, 'file' | 'dir' | 'other' | undefined>();
  private readonly realpaths = new Map<string, string>();
  private readonly listedByName = new Map<string, Map<string, DirEntry>>();

  constructor(private readonly host: FileHost) {}

  read(path: string): ReadResult {
    let result = this.reads.get(path);
    if (!result) this.reads.set(path, (result = this.host.read(path)));
    return result;
  }

  list(dir: string): DirEntry[] | undefined {
    if (!this.lists.has(dir)) this.lists.set(dir, this.host.list(dir));
    return this.lists.get(dir);
  }

  kind(path: string): 'file' | 'dir' | 'other' | undefined {
    if (!this.kinds.has(path)) this.kinds.set(path, this.host.kind(path));
    return this.kinds.get(path);
  }

  realpath(path: string): string {
    let real = this.realpaths.get(path);
    if (real === undefined) this.realpaths.set(path, (real = this.listedFileRealpath(path) ?? this.host.realpath(path)));
    return real;
  }

  /**
   * The real path of a regular file (not a link) of a folder this analysis listed already (an include
   * glob's): its folder's real path and its name, without a system call of its own. 4,000 files of
   * conf.d/*.conf cost 4,000 realpath calls at each keystroke, a quarter of its analysis.
   */
  private listedFileRealpath(path: string): string | undefined {
    const dir = dirname(path);
    const entries = this.lists.get(dir);
    if (!entries) return undefined;
    let byName = this.listedByName.get(dir);
    if (!byName) this.listedByName.set(dir, (byName = new Map(entries.map((e) => [e.name, e]))));
    const entry = byName.get(basename(path));
    if (entry?.kind !== 'file' || entry.link !== false) return undefined;
    const realDir = this.realpath(dir);
    return realDir.endsWith('/') ? realDir + entry.name : `${realDir}/${entry.name}`;
  }
}
