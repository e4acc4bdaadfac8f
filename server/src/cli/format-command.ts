// `kasmlint format [--check] PATH...`: formats NGINX files in place (each written atomically, as
// --fix writes), or with --check only lists those that would change, for CI. Options come from the
// .editorconfig files that apply to each file (four spaces otherwise).

import { editorConfigFor, formatOptions } from '../format/editorconfig';
import { formatNginx } from '../format/format';
import type { FileHost } from '../workspace/host';
import { findNginxFiles } from '../workspace/project';
import { commitWrite, prepareWrite } from '../workspace/write';

export interface FormatCommandOutcome {
  /** Files that changed (or would change, with check). */
  changed: string[];
  unchanged: number;
  /** Files that could not be read, parsed or written, with why. */
  errors: string[];
}

/** The files a command line names: files as given, folders searched for NGINX files. */
function filesOf(host: FileHost, paths: readonly string[]): { files: string[]; errors: string[] } {
  const files: string[] = [];
  const errors: string[] = [];
  for (const path of paths) {
    const kind = host.kind(path);
    if (kind === 'dir') files.push(...findNginxFiles(host, path));
    else if (kind === 'file') files.push(path);
    else errors.push(`${path}: no such file or folder`);
  }
  return { files: [...new Set(files)], errors };
}

export function formatPaths(host: FileHost, paths: readonly string[], check: boolean): FormatCommandOutcome {
  const { files, errors } = filesOf(host, paths);
  const changed: string[] = [];
  let unchanged = 0;
  for (const path of files) {
    const read = host.read(path);
    if (!read.ok) {
      errors.push(`${path}: ${read.message}`);
      continue;
    }
    const result = formatNginx(path, read.text, formatOptions(editorConfigFor(host, path)), read.latin1);
    if (!result.ok) {
      errors.push(`${path}: ${result.reason}`);
      continue;
    }
    if (result.text === read.text) {
      unchanged++;
      continue;
    }
    if (!check) {
      const prepared = prepareWrite(path, read.text, read.latin1, result.text);
      if ('error' in prepared) {
        errors.push(prepared.error);
        continue;
      }
      const written = commitWrite(prepared);
      if (!written.ok) {
        errors.push(written.message);
        continue;
      }
    }
    changed.push(path);
  }
  return { changed, unchanged, errors };
}
