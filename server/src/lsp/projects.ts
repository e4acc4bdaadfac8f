// The server's analyses: which configuration each document belongs to, its settings, when it is
// analysed again (debounced after edits), and which files its diagnostics go to.

import { dirname } from 'node:path';
import { analysisSteps, analyzeProject, ParseCache, type ProjectAnalysis } from '../engine/analyze';
import { runInSlices } from '../engine/slices';
import type { ParsedFile } from '../nginx/ast';
import type { Finding } from '../engine/findings';
import { analyzeTunnel, type TunnelAnalysis } from '../engine/tunnel';
import { isTunnelConfig } from '../cloudflared/recognize';
import { applySettings, defaultSettings, findSettingsFile, loadSettingsFile, SettingsError, type Settings } from '../engine/settings';
import { RULES_BY_ID } from '../rules/registry';
import type { Rule } from '../rules/rule';
import type { FileHost } from '../workspace/host';
import { enclosingProject, findNginxFiles, isNginxFileName, type ProjectRoot } from '../workspace/project';
import type { TextRun } from '../engine/fix';
import { OverlayHost } from '../workspace/overlay';

/**
 * How long an analysis runs before the server answers what came in meanwhile (requests, newer edits).
 * A request sent with an edit waits for the slice under way: with 4 ms slices a hover during a burst of
 * edits took 5 ms (Kasm tree) and 13 ms (10,000-line file) at the median, with 1 ms slices 2 and 7 ms;
 * the pauses between them did not lengthen the analyses measurably (Kasm tree, 10,000-line file).
 */
const SLICE_MS = 1;

export interface ProjectState {
  key: string;
  project: ProjectRoot;
  /** For a file that belongs to no Kasm or nginx.conf tree: that file, analysed on its own. */
  loneFile?: string;
  analysis?: ProjectAnalysis;
  /** For a cloudflared config: that file, analysed on its own. */
  tunnelFile?: string;
  tunnel?: TunnelAnalysis;
  /** Versions of the open documents the analysis read. */
  versions: Map<string, number>;
  dirty: boolean;
  /** Counts what made the analysis out of date (edits, files, settings): an analysis begun before the last is abandoned. */
  changes: number;
  /** The analysis under way, and the count of changes it began at. */
  running?: { changes: number; done: Promise<boolean> };
  files?: string[];
  settings?: Settings;
  settingsError?: { file: string; message: string };
  /** Files diagnostics were last published for, to clear them when they are gone. */
  published: Set<string>;
  /** The analysis scheduled after the debounce delay, until it starts. */
  timer?: { cancel: () => void };
}

export interface ProjectsOptions {
  host: FileHost;
  /** Versions of the open documents, by path. */
  openVersions: () => ReadonlyMap<string, number>;
  /** Editor settings (kasmlint.*) for a folder, and the folder they are relative to. */
  editorSettings: (dir: string) => Promise<{ raw: unknown; baseDir: string } | undefined>;
  publish: (state: ProjectState) => void;
  debounceMs: () => number;
  log: (message: string) => void;
  /** How the log names a finished analysis (default "analysed"). */
  analysisLabel?: string;
  /** The rules NGINX configurations are checked with (default: all). */
  rules?: readonly Rule[];
}

export class Projects {
  private readonly states = new Map<string, ProjectState>();
  private readonly cache = new ParseCache();
  private readonly projectCache = new Map<string, ProjectRoot | null>();

  constructor(private readonly options: ProjectsOptions) {}

  /** The project a file belongs to: its Kasm tree, its nginx.conf folder, or itself alone. */
  stateFor(path: string): ProjectState {
    if (/\.ya?ml$/i.test(path)) {
      const key = `tunnel:${path}`;
      let state = this.states.get(key);
      if (!state) {
        state = { key, project: { kind: 'loose', dir: dirname(path) }, tunnelFile: path, versions: new Map(), dirty: true, changes: 0, published: new Set() };
        this.states.set(key, state);
      }
      return state;
    }
    const found = enclosingProject(this.options.host, dirname(path), this.projectCache);
    const project: ProjectRoot = found ?? { kind: 'loose', dir: dirname(path) };
    const key = found ? `${project.kind}:${project.dir}` : `file:${path}`;
    let state = this.states.get(key);
    if (!state) {
      state = { key, project, loneFile: found ? undefined : path, versions: new Map(), dirty: true, changes: 0, published: new Set() };
      this.states.set(key, state);
    }
    return state;
  }

  all(): ProjectState[] {
    return [...this.states.values()];
  }

  /** Marks the project of `path` as changed and analyses it after the debounce delay. */
  changed(path: string): void {
    const state = this.stateFor(path);
    this.outdate(state);
    this.schedule(state);
  }

  private outdate(state: ProjectState): void {
    state.dirty = true;
    state.changes++;
  }

  schedule(state: ProjectState, delay = this.options.debounceMs()): void {
    state.timer?.cancel();
    const start = () => {
      state.timer = undefined;
      // The engine catches a failing rule; anything else is logged, never left to end the server.
      this.run(state).catch((error: unknown) => this.options.log(`internal error analysing ${state.key}: ${(error as Error).stack ?? error}`));
    };
    // no delay: the next turn of the event loop (a timer of 0 ms waits at least 1 ms)
    if (delay <= 0) {
      const immediate = setImmediate(start);
      state.timer = { cancel: () => clearImmediate(immediate) };
    } else {
      const timeout = setTimeout(start, delay);
      state.timer = { cancel: () => clearTimeout(timeout) };
    }
  }

  /**
   * Drops a state nothing shows any more (its last open file closed, outside the workspace folders):
   * its diagnostics are cleared and its analysis freed, so that opening and closing files all day
   * does not keep every analysis.
   */
  forget(state: ProjectState): void {
    state.timer?.cancel();
    state.changes++; // abandons an analysis under way
    for (const path of filesOf(state)) this.cache.delete(path);
    state.analysis = undefined;
    state.tunnel = undefined;
    state.settingsError = undefined;
    this.options.publish(state);
    this.states.delete(state.key);
  }

  /**
   * An editor closed a file: its project is forgotten when none of its files is open any more and it
   * lies outside `folders` (the workspace folders, whose diagnostics stay), otherwise analysed again
   * (the file is read from disk now).
   */
  closed(path: string, openPaths: Iterable<string>, folders: readonly string[]): void {
    const state = this.stateFor(path);
    const stillOpen = [...openPaths].some((p) => this.stateFor(p) === state);
    if (!stillOpen && !inWorkspace(state, folders)) this.forget(state);
    else this.changed(path);
  }

  /** Files were created, changed or deleted on disk. */
  filesChanged(paths: readonly string[]): void {
    this.projectCache.clear();
    const settingsChanged = paths.some((p) => p.endsWith('.kasmlintrc.json'));
    for (const state of this.states.values()) {
      const single = state.loneFile ?? state.tunnelFile;
      const affected = settingsChanged || paths.some((p) => (single ? p === single : p.startsWith(`${state.project.dir}/`)));
      if (!affected) continue;
      if (settingsChanged) state.settings = undefined;
      state.files = undefined;
      this.outdate(state);
      this.schedule(state);
    }
  }

  settingsChanged(): void {
    for (const state of this.states.values()) {
      state.settings = undefined;
      this.outdate(state);
      this.schedule(state, 0);
    }
  }

  /** The analysis of a file's project, brought up to date now if needed. */
  async current(path: string): Promise<ProjectState> {
    return this.ensure(this.stateFor(path));
  }

  /**
   * Brings a state's analysis up to date. An analysis abandoned for a newer edit is followed by the
   * newer one; under a storm of edits it gives up after a few and returns the latest complete one.
   */
  async ensure(state: ProjectState): Promise<ProjectState> {
    if (!(state.dirty || !(state.analysis || state.tunnel) || this.stale(state))) return state;
    for (let attempt = 0; attempt < 5 && this.states.get(state.key) === state; attempt++) {
      await this.run(state);
      if (!state.dirty && !this.stale(state)) break;
    }
    return state;
  }

  /**
   * The latest complete analysis of a file's project, without waiting for one under way (hover and
   * completion answer from it during a burst of edits); only a project never analysed is waited for.
   */
  async latest(state: ProjectState): Promise<ProjectState> {
    return state.analysis || state.tunnel ? state : this.ensure(state);
  }

  /** Whether the state's analysis read the current text of every open document it covers. */
  upToDate(state: ProjectState): boolean {
    return !state.dirty && !this.stale(state);
  }

  /** The parse of a file's current text (an open document's), shared with the analyses. */
  parsedNow(path: string): ParsedFile | undefined {
    const read = this.options.host.read(path);
    return read.ok ? this.cache.get(path, read.text, read.latin1) : undefined;
  }

  private stale(state: ProjectState): boolean {
    const open = this.options.openVersions();
    for (const [path, version] of state.versions) if (open.get(path) !== version) return true;
    return false;
  }

  private async settingsFor(state: ProjectState): Promise<Settings> {
    if (state.settings) return state.settings;
    const dir = state.project.dir;
    let settings = defaultSettings();
    state.settingsError = undefined;
    try {
      const editor = await this.options.editorSettings(dir);
      if (editor) settings = applySettings(settings, editor.raw, editor.baseDir, 'the kasmlint.* settings', RULES_BY_ID);
    } catch (error) {
      this.options.log(`ignoring invalid editor settings: ${(error as Error).message}`);
    }
    const file = findSettingsFile(this.options.host, dir);
    if (file) {
      try {
        settings = loadSettingsFile(this.options.host, file, RULES_BY_ID, settings);
      } catch (error) {
        if (!(error instanceof SettingsError)) throw error;
        state.settingsError = { file, message: error.message };
      }
    }
    state.settings = settings;
    return settings;
  }

  private analyseTunnel(path: string, settings: Settings, host: FileHost): TunnelAnalysis | undefined {
    const read = host.read(path);
    // Other YAML (a CI pipeline, a Kubernetes manifest) is none of our business.
    return read.ok && isTunnelConfig(path, read.text) ? analyzeTunnel(path, read.text, { settings, host, latin1: read.latin1 }) : undefined;
  }

  private analyseProject(state: ProjectState, settings: Settings, host: FileHost, cache: ParseCache): ProjectAnalysis {
    return analyzeProject(state.project, this.analysisOptions(state, settings, host, cache));
  }

  private analysisOptions(state: ProjectState, settings: Settings, host: FileHost, cache: ParseCache) {
    const open = this.options.openVersions();
    const openHere = state.loneFile ? [] : [...open.keys()].filter((p) => p.startsWith(`${state.project.dir}/`) && isNginxFileName(p));
    const files = [...new Set([...(state.files ?? []), ...openHere])];
    return { host, settings, files, cache, rules: this.options.rules };
  }

  /**
   * For fixing in memory: the state's current run, and how to lint it again with some files' texts
   * replaced (`changed`). Nothing is stored or published.
   */
  async textRuns(state: ProjectState): Promise<{ current: TextRun; relint: (changed: ReadonlyMap<string, string>) => TextRun }> {
    await this.ensure(state);
    // the passes fix every finding, not those a rule reports before maxFindingsPerRule stops it
    const settings = { ...(await this.settingsFor(state)), maxFindingsPerRule: 0 };
    const cache = new ParseCache(); // the passes' own: unchanged files are parsed once, the editor's entries stay
    const relint = (changed: ReadonlyMap<string, string>): TextRun => {
      const host = new OverlayHost(this.options.host, new Map([...changed].map(([path, text]) => [path, { text, version: 0 }])));
      if (state.tunnelFile) {
        const tunnel = this.analyseTunnel(state.tunnelFile, settings, host);
        return { findings: tunnel?.findings ?? [], textOf: (p) => (p === state.tunnelFile ? tunnel?.tunnel.file.text : undefined) };
      }
      const analysis = this.analyseProject(state, settings, host, cache);
      return { findings: analysis.findings, textOf: (p) => analysis.model.files.get(p)?.text };
    };
    const analysis = state.analysis;
    const tunnel = state.tunnel;
    const current: TextRun = analysis
      ? { findings: analysis.findings, textOf: (p) => analysis.model.files.get(p)?.text }
      : { findings: tunnel?.findings ?? [], textOf: (p) => (p === tunnel?.tunnel.file.path ? tunnel.tunnel.file.text : undefined) };
    return { current, relint };
  }

  /**
   * Analyses a state; true when the analysis ran to its end (false: abandoned for a newer change). A
   * run asked for while one that began at the same changes is under way joins it.
   */
  private run(state: ProjectState): Promise<boolean> {
    if (state.running && state.running.changes === state.changes) return state.running.done;
    const changes = state.changes;
    const done = this.analyse(state, changes).finally(() => {
      if (state.running?.done === done) state.running = undefined;
    });
    state.running = { changes, done };
    return done;
  }

  private async analyse(state: ProjectState, changes: number): Promise<boolean> {
    state.timer?.cancel();
    state.timer = undefined;
    const settings = await this.settingsFor(state);
    if (state.changes !== changes) return false;
    const host = this.options.host;
    if (state.tunnelFile) {
      const path = state.tunnelFile;
      const open = this.options.openVersions();
      state.tunnel = this.analyseTunnel(path, settings, host);
      state.versions = open.has(path) ? new Map([[path, open.get(path)!]]) : new Map();
      if (state.changes === changes) state.dirty = false;
      for (const error of state.tunnel?.internalErrors ?? []) this.options.log(error);
      if (state.tunnel || state.published.size > 0) this.options.publish(state);
      return true;
    }
    state.files ??= state.loneFile ? [state.loneFile] : findNginxFiles(host, state.project.dir);
    // Every pause of the analysis is followed by a check for changes: the files it reads are at these
    // versions, or it is abandoned.
    const open = this.options.openVersions();
    const started = performance.now();
    // the analysis before, made with the same cache: rules an edit of one directive cannot change keep their findings
    const options = { ...this.analysisOptions(state, settings, host, this.cache), previous: state.analysis };
    const analysis = await runInSlices(analysisSteps(state.project, options), {
      sliceMs: SLICE_MS,
      cancelled: () => state.changes !== changes,
    });
    if (!analysis) return false;
    state.versions = new Map([...analysis.model.files.keys()].filter((p) => open.has(p)).map((p) => [p, open.get(p)!]));
    state.analysis = analysis;
    if (state.changes === changes) state.dirty = false;
    for (const error of analysis.internalErrors) this.options.log(error);
    this.options.log(`${this.options.analysisLabel ?? 'analysed'} ${state.key}: ${analysis.model.files.size} files, ${analysis.findings.length} findings in ${(performance.now() - started).toFixed(1)} ms`);
    this.options.publish(state);
    return true;
  }
}

/** The findings of a state, whichever kind of file it analyses. */
export function findingsOf(state: ProjectState): Finding[] {
  return state.analysis?.findings ?? state.tunnel?.findings ?? [];
}

/** The files a state's analysis read (its diagnostics go to them). */
export function filesOf(state: ProjectState): string[] {
  if (state.analysis) return [...state.analysis.model.files.keys()];
  return state.tunnel ? [state.tunnel.tunnel.file.path] : [];
}

/** Whether a state's files lie in (or contain) a workspace folder: its diagnostics stay after its files close. */
function inWorkspace(state: ProjectState, folders: readonly string[]): boolean {
  const dir = state.loneFile ?? state.tunnelFile ?? state.project.dir;
  return folders.some((f) => dir === f || dir.startsWith(`${f}/`) || f.startsWith(`${dir}/`));
}
