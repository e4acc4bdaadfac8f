// Running the engine the way the CLI does, on folders written for a test.

import { basename, join } from 'node:path';
import type { NginxVerdict } from '../../server/src/engine/analyze';
import type { Finding } from '../../server/src/engine/findings';
import { lintPaths, type LintRun, settingsFor } from '../../server/src/engine/lint';
import type { Settings } from '../../server/src/engine/settings';
import { NodeFileHost } from '../../server/src/workspace/host';
import { enclosingProject, findNginxFiles } from '../../server/src/workspace/project';
import { writeTree } from './nginx';

export const host = new NodeFileHost();

export function lint(paths: string[], adjust?: (s: Settings) => Settings): LintRun {
  return lintPaths(paths, { host, adjust });
}

/** Lints a tree of files written to a scratch folder; findings with paths relative to it. */
export function lintTree(files: Record<string, string>, adjust?: (s: Settings) => Settings): { dir: string; run: LintRun; findings: Array<Finding & { path: string }> } {
  const dir = writeTree(files);
  const run = lint([dir], adjust);
  return { dir, run, findings: run.findings.map((f) => ({ ...f, path: f.file.slice(dir.length + 1) })) };
}

/** What our engine says nginx -t would report for the configuration rooted at `dir`. */
export function ourVerdict(dir: string, nginxVersion: string): NginxVerdict {
  const run = lint([dir], (s) => ({ ...s, nginxVersion }));
  const analysis = run.analyses.find((a) => a.project.kind !== 'loose') ?? run.analyses[0]!;
  return analysis.nginx;
}

export function describe(verdict: NginxVerdict | { ok: boolean; message?: string; file?: string; line?: number }): string {
  if (verdict.ok) return 'accepted';
  return `${verdict.message} in ${verdict.file ? basename(verdict.file) : '?'}:${verdict.line ?? '?'}`;
}

export { join };

/** A folder's configuration as the CLI finds it (for tools that drive analyzeProject themselves). */
export function projectOf(dir: string) {
  const project = enclosingProject(host, dir) ?? { kind: 'loose' as const, dir };
  return { project, files: findNginxFiles(host, project.dir), settings: settingsFor(host, project.dir) };
}
