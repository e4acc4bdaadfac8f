// Diagnostics for the whole workspace at start-up (`kasmlint.workspaceDiagnostics`): without them a
// Kasm tree shows nothing until one of its files is opened. `auto` (the default) analyses the Kasm
// trees and nginx.conf trees found near the top of the workspace folders (at most PROBE_DEPTH folders
// down, PROBE_FOLDERS folders looked at), unless together they hold more than STARTUP_FILE_LIMIT NGINX
// files (their configurations are then checked as their files are opened); `on` analyses every
// configuration of the folders, loose files included, whatever the size; `off` none.

import { dirname, join } from 'node:path';
import type { FileHost } from '../workspace/host';
import { enclosingProject, findNginxFiles, isKasmTree, type ProjectRoot } from '../workspace/project';

export type WorkspaceDiagnostics = 'auto' | 'on' | 'off';

/**
 * Above this many NGINX files, `auto` does not analyse at start-up. The Kasm 1.16.1 tree has 23 files;
 * the benchmark's 100,000-line tree (174 files) takes seconds, during which the server answers nothing
 * else: a workspace of more than a thousand files is not what `auto` is for.
 */
export const STARTUP_FILE_LIMIT = 1000;
/** How far `auto` looks for trees, so that start-up never walks a huge monorepo. */
const PROBE_DEPTH = 3;
const PROBE_FOLDERS = 500;
const SKIPPED = new Set(['node_modules', '.git', '.hg', '.svn']);

export interface StartupPlan {
  /** One file per configuration to analyse (analysing it publishes the diagnostics of all its files). */
  files: string[];
  /** Why nothing is analysed at start-up, for the log. */
  skipped?: string;
}

/** The Kasm and nginx.conf trees holding `folder`, or near the top of it. */
function treesNear(host: FileHost, folder: string): ProjectRoot[] {
  const around = enclosingProject(host, folder);
  if (around) return [around];
  const trees: ProjectRoot[] = [];
  let queue = [folder];
  let looked = 0;
  for (let depth = 0; depth <= PROBE_DEPTH && queue.length > 0; depth++) {
    const next: string[] = [];
    for (const dir of queue) {
      if (++looked > PROBE_FOLDERS) return trees;
      if (isKasmTree(host, dir)) trees.push({ kind: 'kasm', dir });
      else if (host.kind(join(dir, 'nginx.conf')) === 'file') trees.push({ kind: 'nginx', dir });
      else for (const e of host.list(dir) ?? []) if (e.kind === 'dir' && !e.name.startsWith('.') && !SKIPPED.has(e.name)) next.push(join(dir, e.name));
    }
    queue = next.sort();
  }
  return trees;
}

export function startupPlan(host: FileHost, folder: string, mode: WorkspaceDiagnostics): StartupPlan {
  if (mode === 'off') return { files: [], skipped: 'kasmlint.workspaceDiagnostics is off' };
  if (mode === 'on') {
    const cache = new Map<string, ProjectRoot | null>();
    const chosen = new Map<string, string>();
    for (const file of findNginxFiles(host, folder)) {
      const project = enclosingProject(host, dirname(file), cache);
      const key = project ? `${project.kind}:${project.dir}` : file;
      if (!chosen.has(key)) chosen.set(key, file);
    }
    return { files: [...chosen.values()] };
  }
  const files: string[] = [];
  let count = 0;
  for (const tree of treesNear(host, folder)) {
    const found = findNginxFiles(host, tree.dir, STARTUP_FILE_LIMIT + 1 - count);
    count += found.length;
    if (count > STARTUP_FILE_LIMIT) {
      return { files: [], skipped: `its trees hold more than ${STARTUP_FILE_LIMIT} NGINX files: configurations are checked as their files are opened (kasmlint.workspaceDiagnostics "on" checks them all at start-up)` };
    }
    files.push(join(tree.dir, tree.kind === 'kasm' ? 'orchestrator.conf' : 'nginx.conf'));
  }
  return { files };
}
