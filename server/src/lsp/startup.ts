// Diagnostics for the whole workspace at start-up (`kasmlint.workspaceDiagnostics`): without them a
// Kasm tree shows nothing until one of its files is opened. `auto` (the default) analyses the Kasm
// trees and nginx.conf trees of the workspace folders unless the folders hold more than
// STARTUP_FILE_LIMIT NGINX files (a huge monorepo: its configurations are then checked as their files
// are opened); `on` analyses every configuration, loose files included, whatever the size; `off` none.

import { dirname } from 'node:path';
import type { FileHost } from '../workspace/host';
import { enclosingProject, findNginxFiles, type ProjectRoot } from '../workspace/project';

export type WorkspaceDiagnostics = 'auto' | 'on' | 'off';

/**
 * Above this many NGINX files, `auto` does not analyse at start-up. The Kasm 1.16.1 tree has 23 files;
 * the benchmark's 100,000-line tree (2,000+ files) is analysed in a few seconds, during which the
 * server answers nothing else: a workspace that large is not what `auto` is for.
 */
export const STARTUP_FILE_LIMIT = 1000;

export interface StartupPlan {
  /** One file per configuration to analyse (analysing it publishes the diagnostics of all its files). */
  files: string[];
  /** Why nothing is analysed at start-up, for the log. */
  skipped?: string;
}

export function startupPlan(host: FileHost, folders: readonly string[], mode: WorkspaceDiagnostics): StartupPlan {
  if (mode === 'off') return { files: [], skipped: 'kasmlint.workspaceDiagnostics is off' };
  const limit = mode === 'auto' ? STARTUP_FILE_LIMIT : Number.POSITIVE_INFINITY;
  const all = folders.flatMap((folder) => findNginxFiles(host, folder, Number.isFinite(limit) ? limit + 1 : undefined));
  if (all.length > limit) {
    return { files: [], skipped: `the workspace holds more than ${limit} NGINX files: configurations are checked as their files are opened (kasmlint.workspaceDiagnostics "on" checks them all at start-up)` };
  }
  const cache = new Map<string, ProjectRoot | null>();
  const chosen = new Map<string, string>();
  for (const file of all) {
    const project = enclosingProject(host, dirname(file), cache);
    if (!project && mode === 'auto') continue;
    const key = project ? `${project.kind}:${project.dir}` : file;
    if (!chosen.has(key)) chosen.set(key, file);
  }
  return { files: [...chosen.values()] };
}
