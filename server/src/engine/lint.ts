// Linting paths (files or folders): each file is analysed within the configuration it belongs to (its
// Kasm tree, its nginx.conf, or the loose files around it), and findings are kept for the files asked for.

import { dirname, resolve } from 'node:path';
import { RULES_BY_ID } from '../rules/registry';
import type { FileHost } from '../workspace/host';
import { enclosingProject, findNginxFiles, findYamlFiles, type ProjectRoot } from '../workspace/project';
import { isTunnelConfig } from '../cloudflared/recognize';
import { analyzeTunnel, type TunnelAnalysis } from './tunnel';
import { analyzeProject, compareFindings, ParseCache, type ProjectAnalysis } from './analyze';
import type { Finding } from './findings';
import type { ConfigModel } from '../model/config';
import { defaultSettings, findSettingsFile, loadSettingsFile, type Settings } from './settings';

export interface LintOptions {
  host: FileHost;
  /** A settings file given explicitly (--config): used instead of the nearest .kasmlintrc.json. */
  configFile?: string;
  /** Applied over the settings of every project (e.g. --map from the command line). */
  adjust?: (settings: Settings) => Settings;
  /** The settings a .kasmlintrc.json is read over (the editor's kasmlint.* settings); default: the defaults. */
  base?: Settings;
  cache?: ParseCache;
}

export interface LintRun {
  findings: Finding[];
  /** The files linted (the targets, folders expanded). */
  files: string[];
  analyses: ProjectAnalysis[];
  /** The cloudflared configs linted. */
  tunnels: TunnelAnalysis[];
}

export class InputError extends Error {}

export function lintPaths(paths: readonly string[], options: LintOptions): LintRun {
  const { host } = options;
  const targets: string[] = [];
  const seenTargets = new Set<string>();
  const looseGroups = new Map<string, string[]>();
  const projects = new Map<string, ProjectRoot>();
  const projectCache = new Map<string, ProjectRoot | null>();

  const tunnelFiles: string[] = [];
  for (const raw of paths) {
    const path = resolve(raw);
    const kind = host.kind(path);
    if (kind === undefined) throw new InputError(`${raw}: no such file or directory`);
    if (kind === 'other') throw new InputError(`${raw}: not a regular file or directory`);
    if (kind === 'file' && /\.ya?ml$/i.test(path)) {
      // A YAML file named on the command line is read as a cloudflared config.
      if (!seenTargets.has(path)) tunnelFiles.push(path);
      seenTargets.add(path);
      targets.push(path);
      continue;
    }
    if (kind === 'dir') {
      for (const file of findYamlFiles(host, path)) {
        const read = host.read(file);
        if (!read.ok || seenTargets.has(file) || !isTunnelConfig(file, read.text)) continue;
        seenTargets.add(file);
        targets.push(file);
        tunnelFiles.push(file);
      }
    }
    const files = kind === 'dir' ? findNginxFiles(host, path) : [path];
    for (const file of files) {
      if (seenTargets.has(file)) continue;
      seenTargets.add(file);
      targets.push(file);
      const project = enclosingProject(host, dirname(file), projectCache);
      if (project) projects.set(`${project.kind}:${project.dir}`, project);
      else {
        const groupDir = kind === 'dir' ? path : dirname(path);
        const group = looseGroups.get(groupDir) ?? [];
        group.push(file);
        looseGroups.set(groupDir, group);
      }
    }
  }

  const cache = options.cache ?? new ParseCache();
  const analyses: ProjectAnalysis[] = [];
  const run = (project: ProjectRoot, files: readonly string[]) => {
    let settings = settingsFor(host, project.dir, options.configFile, options.base);
    if (options.adjust) settings = options.adjust(settings);
    analyses.push(analyzeProject(project, { host, settings, files, cache }));
  };
  for (const project of projects.values()) run(project, findNginxFiles(host, project.dir));
  for (const [dir, files] of looseGroups) run({ kind: 'loose', dir }, files);

  const tunnels: TunnelAnalysis[] = [];
  for (const file of tunnelFiles) {
    const read = host.read(file);
    if (!read.ok) throw new InputError(`${file}: cannot read it: ${read.message}`);
    let settings = settingsFor(host, dirname(file), options.configFile, options.base);
    if (options.adjust) settings = options.adjust(settings);
    tunnels.push(analyzeTunnel(file, read.text, { settings, host, latin1: read.latin1 }));
  }

  // A file asked for that could not be read is an input error, not "no problems".
  const read = new Set([...analyses.flatMap((a) => [...a.model.files.keys()]), ...tunnelFiles]);
  for (const file of targets) {
    if (read.has(file)) continue;
    const result = host.read(file);
    throw new InputError(`${file}: cannot read it: ${result.ok ? 'unknown reason' : result.message}`);
  }

  // A file asked for brings the files it includes (nginx.conf: the whole configuration, as nginx -t -c reads it).
  const shown = new Set(seenTargets);
  for (const analysis of analyses) for (const file of includedFrom(analysis.model, seenTargets)) shown.add(file);
  const findings = [...analyses.flatMap((a) => a.findings), ...tunnels.flatMap((t) => t.findings)].filter((f) => shown.has(f.file));
  findings.sort(compareFindings);
  return { findings, files: [...targets, ...[...shown].filter((f) => !seenTargets.has(f))], analyses, tunnels };
}

/** The files a model reads through the includes of any of `files` (directly or not). */
export function includedFrom(model: ConfigModel, files: ReadonlySet<string>): Set<string> {
  const reached = new Set<string>();
  for (const path of model.files.keys()) {
    if (files.has(path)) continue;
    const viaTarget = model.instances(path).some((instance) => {
      for (let include = instance.via; include; include = include.via) if (files.has(include.file.path)) return true;
      return false;
    });
    if (viaTarget) reached.add(path);
  }
  return reached;
}

export function settingsFor(host: FileHost, dir: string, configFile?: string, base = defaultSettings()): Settings {
  const file = configFile ?? findSettingsFile(host, dir);
  return file ? loadSettingsFile(host, resolve(file), RULES_BY_ID, base) : base;
}
