// The diagnostics thread's work: it keeps its own copy of the open documents, analyses the projects they
// belong to as they change, and sends the main thread the diagnostics to publish. Its quick fixes and the
// findings a hover shows come from those analyses, the ones the editor shows. Nothing here knows it runs
// in a worker: messages go out through `post` and come in through `receive`.

import { findingDoc, severitySource } from '../editing/hover';
import { fixInMemory, replacementEdit } from '../engine/fix';
import { SEVERITY_ORDER, type Finding, type TextEdit } from '../engine/findings';
import { findNginxFiles, findYamlFiles } from '../workspace/project';
import { StatCachedFileHost } from '../workspace/host';
import { OverlayHost, type OpenDocument } from '../workspace/overlay';
import { quickFixActions } from './actions';
import { ruleDocsUri, toDiagnostic, toWorkspaceEdit } from './convert';
import { findingsOf, Projects, type ProjectState } from './projects';
import { DiagnosticsPublisher } from './publish';
import { diagnosticsDelta } from './diagnostics-delta';
import type { Diagnostic } from 'vscode-languageserver/node';
import type { ClientSupport, DiagnosticsReplies, DiagnosticsRequest, FromDiagnostics, ToDiagnostics } from './worker-protocol';

type Range = Finding['range'];

function rangesOverlap(a: Range, b: Range): boolean {
  const before = (p: Range['start'], q: Range['start']) => p.line < q.line || (p.line === q.line && p.character <= q.character);
  return before(a.start, b.end) && before(b.start, a.end);
}

/** Whether fix-all applies unsafe fixes in a state's configuration (kasmlint.fixAll.unsafe). */
function unsafeFixes(state: ProjectState): boolean {
  return (state.analysis?.settings ?? state.tunnel?.settings)?.fixAllUnsafe ?? false;
}

export class DiagnosticsService {
  private readonly open = new Map<string, OpenDocument>();
  private readonly host = new OverlayHost(new StatCachedFileHost(), this.open);
  private readonly publisher = new DiagnosticsPublisher();
  /** What the main thread holds for each file (by URI): the diagnostics last posted for it. */
  private readonly posted = new Map<string, Diagnostic[]>();
  private readonly projects: Projects;
  private folders: string[] = [];
  private support: ClientSupport = { related: false, documentChanges: false, showDocument: false };
  private debounceMs = 100;
  private nextId = 0;
  private readonly asked = new Map<number, (value: unknown) => void>();
  /**
   * Log lines not sent yet: they go with the next diagnostics (each analysis logs a line just before it
   * publishes), or on their own a turn later. One message per analysis, not two: each wakes the main
   * thread, which this thread, at a lower priority, then waits for.
   */
  private logs: string[] = [];
  private logFlush: NodeJS.Immediate | undefined;

  constructor(private readonly post: (message: FromDiagnostics) => void) {
    this.projects = new Projects({
      host: this.host,
      openVersions: () => new Map([...this.open].map(([path, doc]) => [path, doc.version])),
      editorSettings: (dir) => this.editorSettings(dir),
      publish: (state) => this.publish(state),
      debounceMs: () => this.debounceMs,
      log: (message) => this.log(message),
    });
  }

  receive(message: ToDiagnostics): void {
    switch (message.kind) {
      case 'init':
        this.folders = message.folders;
        this.support = message.support;
        this.debounceMs = message.debounceMs;
        break;
      case 'folders':
        this.folders = message.folders;
        break;
      case 'debounce':
        this.debounceMs = message.ms;
        break;
      case 'document':
        this.open.set(message.path, { text: message.text, version: message.version });
        if (message.opened) this.publisher.reopened(message.path);
        this.projects.changed(message.path);
        break;
      case 'close':
        this.open.delete(message.path);
        this.projects.closed(message.path, this.open.keys(), this.folders);
        break;
      case 'analyse':
        for (const path of message.paths) this.projects.changed(path);
        break;
      case 'filesChanged':
        this.projects.filesChanged(message.paths);
        break;
      case 'settingsChanged':
        this.projects.settingsChanged();
        break;
      case 'reply':
        this.asked.get(message.id)?.(message.value);
        this.asked.delete(message.id);
        break;
      case 'request':
        this.answer(message.request).then(
          (value) => this.post({ kind: 'reply', id: message.id, value }),
          (error: unknown) => this.post({ kind: 'reply', id: message.id, error: String((error as Error).stack ?? error) }),
        );
        break;
    }
  }

  private async answer(request: DiagnosticsRequest): Promise<unknown> {
    switch (request.method) {
      case 'quickFixes':
        return this.quickFixes(request);
      case 'findingsHover':
        return this.findingsHover(request.path, request.position);
      case 'fixAll':
        return request.scope === 'file' ? this.fixAllInFile(request.path, request.rule) : this.fixAllInWorkspace();
      case 'memory': {
        (globalThis as { gc?: () => void }).gc?.();
        return { heapUsedBytes: process.memoryUsage().heapUsed };
      }
    }
  }

  private editorSettings(dir: string): Promise<{ raw: unknown; baseDir: string } | undefined> {
    const id = ++this.nextId;
    return new Promise((resolve) => {
      this.asked.set(id, (value) => resolve(value as { raw: unknown; baseDir: string } | undefined));
      this.post({ kind: 'request', id, method: 'editorSettings', dir });
    });
  }

  private log(message: string): void {
    this.logs.push(message);
    this.logFlush ??= setImmediate(() => {
      this.logFlush = undefined;
      if (this.logs.length > 0) this.post({ kind: 'log', messages: this.takeLogs() });
    });
  }

  private takeLogs(): string[] {
    const logs = this.logs;
    this.logs = [];
    return logs;
  }

  /** Diagnostics go to the files of the analysis that are open or inside a workspace folder. */
  private shown(path: string): boolean {
    return this.open.has(path) || this.folders.some((f) => path.startsWith(`${f}/`));
  }

  private publish(state: ProjectState): void {
    const notifications = this.publisher.notifications(state, {
      shown: (path) => this.shown(path),
      openVersion: (path) => this.open.get(path)?.version,
      supportsRelated: this.support.related,
    });
    const files = notifications.map(({ uri, version, diagnostics }) => {
      const delta = diagnosticsDelta(this.posted.get(uri) ?? [], diagnostics);
      if (diagnostics.length > 0) this.posted.set(uri, diagnostics);
      else this.posted.delete(uri);
      return { uri, version, delta };
    });
    // sent even when no diagnostics changed: the main thread learns which texts the findings are about
    this.post({ kind: 'publish', files, read: [...state.versions], logs: this.takeLogs() });
  }

  private async quickFixes(request: Extract<DiagnosticsRequest, { method: 'quickFixes' }>) {
    const { path, atOnce } = request;
    const state = this.projects.stateFor(path);
    await (atOnce ? this.projects.latest(state) : this.projects.ensure(state));
    if (atOnce && !this.projects.upToDate(state)) return [];
    const findings = findingsOf(state).filter((f) => f.file === path);
    const lines = state.analysis?.model.files.get(path)?.lines ?? (state.tunnel?.tunnel.file.path === path ? state.tunnel.tunnel.file.lines : undefined);
    const versionOf = (p: string) => this.open.get(p)?.version ?? null;
    return quickFixActions(
      findings.filter((f) => rangesOverlap(f.range, request.range)),
      findings,
      {
        path,
        uri: request.uri,
        lineText: (line) => lines?.lineText(line) ?? '',
        diagnostic: (f) => toDiagnostic(f, this.support.related),
        workspaceEdit: (edits) => toWorkspaceEdit(edits, versionOf, this.support.documentChanges),
        unsafe: unsafeFixes(state),
        showDocument: this.support.showDocument,
      },
    );
  }

  private async fixAllInFile(path: string, rule: string | undefined): Promise<DiagnosticsReplies['fixAll']> {
    const state = await this.projects.current(path);
    return { ...(await this.fixAll(state, (f) => f.file === path && (rule === undefined || f.rule === rule))), unsafe: unsafeFixes(state) };
  }

  private async fixAllInWorkspace(): Promise<DiagnosticsReplies['fixAll']> {
    const states = new Map<string, ProjectState>();
    for (const folder of this.folders) {
      for (const file of [...findNginxFiles(this.host, folder), ...findYamlFiles(this.host, folder)]) {
        const state = this.projects.stateFor(file);
        states.set(state.key, state);
      }
    }
    const edits: TextEdit[] = [];
    let applied = 0;
    for (const state of states.values()) {
      const fixed = await this.fixAll(state, (f) => this.shown(f.file));
      edits.push(...fixed.edits);
      applied += fixed.applied;
    }
    return { edits, applied, unsafe: false };
  }

  /**
   * The fixes fix-all applies to the selected findings of a state, applied pass after pass in memory as
   * `--fix` applies them on disk (fixes inserted at one point need one pass each): one edit per changed file.
   */
  private async fixAll(state: ProjectState, select: (finding: Finding) => boolean): Promise<{ edits: TextEdit[]; applied: number }> {
    const { current, relint } = await this.projects.textRuns(state);
    const fixed = fixInMemory(current, relint, { unsafe: unsafeFixes(state), select });
    const edits: TextEdit[] = [];
    for (const [file, text] of fixed.texts) {
      const before = current.textOf(file);
      if (before !== undefined) edits.push(replacementEdit(file, before, text));
    }
    return { edits, applied: fixed.applied };
  }

  /** The findings under a position, when the analysis read the text the editor has now. */
  private findingsHover(path: string, position: Range['start']): string[] {
    const state = this.projects.stateFor(path);
    const analysed = state.analysis ?? state.tunnel;
    const doc = this.open.get(path);
    if (!analysed || (doc && state.versions.get(path) !== doc.version)) return [];
    return findingsOf(state)
      .filter((f) => f.file === path && rangesOverlap(f.range, { start: position, end: position }))
      .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity])
      .map((f) => findingDoc(f, severitySource(analysed.settings, analysed.preset, f.rule), ruleDocsUri(f.rule)));
  }
}
