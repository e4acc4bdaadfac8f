// Writing a fixed file so that nothing is ever lost: the new text goes to a temporary file beside the
// original (same folder, so the rename is atomic), with the original's mode and owner, flushed to disk,
// then renamed over it. The original is re-read first and left alone if it changed since it was read,
// or if it is read-only. A temporary file a killed run left behind is removed by the next write.

import { chmodSync, chownSync, closeSync, fsyncSync, openSync, readdirSync, readFileSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { encode } from './host';

export type WriteResult = { ok: true } | { ok: false; message: string };

export interface PreparedWrite {
  /** The file to replace (symbolic links resolved: the link itself is kept). */
  target: string;
  temporary: string;
}

/** Step 1: checks the file still holds `expected`, and writes the new content beside it. */
export function prepareWrite(path: string, expected: string, latin1: boolean, text: string): PreparedWrite | { error: string } {
  let target: string;
  try {
    target = realpathSync(path);
  } catch (error) {
    return { error: `${path}: ${(error as Error).message}` };
  }
  let current: Buffer;
  let stat;
  try {
    stat = statSync(target);
    current = readFileSync(target);
  } catch (error) {
    return { error: `${path}: cannot read it again before writing: ${(error as Error).message}` };
  }
  if (!current.equals(encode(expected, latin1))) {
    return { error: `${path}: changed on disk since it was read; not written (run again to fix the new content)` };
  }
  // The rename below would replace a read-only file (and root may write anything): respect the mode.
  if ((stat.mode & 0o222) === 0) {
    return { error: `${path}: the file is read-only; not written (make it writable to fix it)` };
  }
  removeAbandonedTemporaries(target);
  const temporary = join(dirname(target), `.${basename(target)}.kasmlint-${process.pid}-${Math.random().toString(36).slice(2)}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temporary, 'wx', stat.mode & 0o7777);
    const bytes = encode(text, latin1);
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    chmodSync(temporary, stat.mode & 0o7777); // the umask may have narrowed it
    try {
      chownSync(temporary, stat.uid, stat.gid);
    } catch {
      // not permitted as another user: the file then belongs to whoever runs the fix, like an editor's save
    }
    return { target, temporary };
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temporary);
    } catch {
      // nothing was created
    }
    return { error: `${path}: cannot write: ${(error as Error).message}; the file is unchanged` };
  }
}

/**
 * Deletes the temporary files a killed run left beside `target` (named after a process that no longer
 * runs): never a file of a run still going, never anything not named as this module names them.
 */
function removeAbandonedTemporaries(target: string): void {
  const prefix = `.${basename(target)}.kasmlint-`;
  let names: string[];
  try {
    names = readdirSync(dirname(target)).filter((n) => n.startsWith(prefix));
  } catch {
    return;
  }
  for (const name of names) {
    const pid = /^(\d+)-[a-z0-9]+\.tmp$/.exec(name.slice(prefix.length))?.[1];
    if (!pid || Number(pid) === process.pid || running(Number(pid))) continue;
    try {
      unlinkSync(join(dirname(target), name));
    } catch {
      // gone already, or not ours to delete
    }
  }
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // it exists, as another user
  }
}

/** Step 2: puts the prepared content in place. */
export function commitWrite(prepared: PreparedWrite): WriteResult {
  try {
    renameSync(prepared.temporary, prepared.target);
    return { ok: true };
  } catch (error) {
    discardWrite(prepared);
    return { ok: false, message: `${prepared.target}: cannot replace it: ${(error as Error).message}; the file is unchanged` };
  }
}

export function discardWrite(prepared: PreparedWrite): void {
  try {
    unlinkSync(prepared.temporary);
  } catch {
    // already gone
  }
}
