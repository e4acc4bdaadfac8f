// The main thread's side of the diagnostics thread: starts it (the server's own script, run as a worker),
// forwards documents and events to it, publishes what it sends back, and asks it for quick fixes and the
// findings under a hover. The analyses that feed the diagnostics run there, so their work and their
// garbage collections never hold up the requests the main thread answers; a thread that dies is started
// again with the open documents.

import { Worker } from 'node:worker_threads';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver/node';
import { applyDiagnosticsDelta } from './diagnostics-delta';
import type { OpenDocument } from '../workspace/overlay';
import type { DiagnosticsReplies, DiagnosticsRequest, FromDiagnostics, ToDiagnostics } from './worker-protocol';

/** Restarts after the thread died, before giving up (a thread that dies on every start is not started forever). */
const MAX_RESTARTS = 5;

/**
 * The thread's young generation, in MB (Node gives a worker 48). Once its analyses stopped promoting
 * their models (ConfigModel.memo), a smaller nursery costs nothing: on the Kasm tree and the 10,000-line
 * file the p99 per keystroke went down (Kasm, a name typed: 10.0-11.2 -> 6.4-8.4 ms; 10,000 lines, a
 * statement typed at a block's end: 43-51 -> 33-38 ms; 12 MB was no better) and the server's RSS over
 * 10,000 edits of the Kasm tree grew 120 -> 135 MiB rather than 120 -> 146.
 */
const YOUNG_GENERATION_MB = 24;

export interface DiagnosticsThreadOptions {
  /** The script the thread runs (the server's bundle; it starts the diagnostics service in a worker). */
  script: string;
  publish: (notification: PublishDiagnosticsParams) => void;
  log: (message: string) => void;
  editorSettings: (dir: string) => Promise<unknown>;
  openDocuments: () => ReadonlyMap<string, OpenDocument>;
}

type Init = Extract<ToDiagnostics, { kind: 'init' }>;

export class DiagnosticsThread {
  private worker: Worker | undefined;
  private init: Init | undefined;
  private restarts = 0;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; fallback: unknown }>();
  /** For each open document the thread's findings cover: the versions of the open documents that analysis read. */
  private readonly readWith = new Map<string, ReadonlyArray<[string, number]>>();
  /** The diagnostics last published for each file (by URI): the thread sends differences from them. */
  private readonly published = new Map<string, Diagnostic[]>();
  /** Configurations analysed without an open file (start-up), analysed again by a restarted thread. */
  private readonly analysed = new Set<string>();

  constructor(private readonly options: DiagnosticsThreadOptions) {}

  start(init: Init): void {
    this.init = init;
    const worker = new Worker(this.options.script, { stdout: true, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
    this.worker = worker;
    // the connection may be stdout: what the thread prints goes to the log, never into the protocol
    worker.stdout.on('data', (chunk: Buffer) => this.options.log(chunk.toString('utf8').trimEnd()));
    worker.on('message', (message: FromDiagnostics) => {
      if (worker === this.worker) this.received(message); // a dead thread's last words are not applied to what its successor sends
    });
    worker.on('error', (error) => this.options.log(`internal error in the diagnostics thread: ${error.stack ?? error}`));
    worker.on('exit', (code) => this.exited(worker, code));
    this.post(init);
    if (this.analysed.size > 0) this.post({ kind: 'analyse', paths: [...this.analysed] });
    for (const [path, doc] of this.options.openDocuments()) this.post({ kind: 'document', path, text: doc.text, version: doc.version, opened: true });
  }

  /** Ends the thread for good (the server is shutting down). */
  async stop(): Promise<void> {
    this.init = undefined; // not started again
    await this.worker?.terminate();
  }

  private exited(worker: Worker, code: number): void {
    if (worker !== this.worker) return;
    this.worker = undefined;
    for (const { resolve, fallback } of this.pending.values()) resolve(fallback);
    this.pending.clear();
    this.readWith.clear();
    this.published.clear(); // a new thread sends whole lists
    if (!this.init) return; // stopped
    if (this.restarts >= MAX_RESTARTS) {
      this.options.log(`the diagnostics thread ended (exit code ${code}); not started again after ${this.restarts} restarts`);
      return;
    }
    this.restarts++;
    this.options.log(`the diagnostics thread ended (exit code ${code}); starting it again`);
    this.start(this.init);
  }

  send(message: ToDiagnostics): void {
    if (message.kind === 'analyse') for (const path of message.paths) this.analysed.add(path);
    if (message.kind === 'folders' && this.init) this.init = { ...this.init, folders: message.folders };
    if (message.kind === 'debounce' && this.init) this.init = { ...this.init, debounceMs: message.ms };
    this.post(message);
  }

  private post(message: ToDiagnostics): void {
    this.worker?.postMessage(message);
  }

  /** Asks the thread; `fallback` when it is not running or ends before it answers. */
  request<M extends DiagnosticsRequest['method']>(request: Extract<DiagnosticsRequest, { method: M }>, fallback: DiagnosticsReplies[M]): Promise<DiagnosticsReplies[M]> {
    if (!this.worker) return Promise.resolve(fallback);
    const id = ++this.nextId;
    return new Promise((resolve) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, fallback });
      this.post({ kind: 'request', id, request });
    });
  }

  /**
   * Whether the thread's latest findings for a document read the text of every open document they
   * depend on as the editor has it now (asking the thread otherwise would only wait for an analysis).
   */
  isCurrent(path: string, versionOf: (path: string) => number | undefined): boolean {
    const read = this.readWith.get(path);
    return read !== undefined && read.every(([p, version]) => versionOf(p) === version);
  }

  private received(message: FromDiagnostics): void {
    switch (message.kind) {
      case 'publish':
        for (const line of message.logs) this.options.log(line);
        for (const [path] of message.read) this.readWith.set(path, message.read);
        for (const { uri, version, delta } of message.files) {
          const diagnostics = applyDiagnosticsDelta(this.published.get(uri) ?? [], delta);
          if (diagnostics.length > 0) this.published.set(uri, diagnostics);
          else this.published.delete(uri);
          this.options.publish({ uri, version, diagnostics });
        }
        break;
      case 'log':
        for (const line of message.messages) this.options.log(line);
        break;
      case 'request':
        this.options.editorSettings(message.dir).then(
          (value) => this.post({ kind: 'reply', id: message.id, value }),
          () => this.post({ kind: 'reply', id: message.id, value: undefined }),
        );
        break;
      case 'reply': {
        const pending = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.error) this.options.log(`internal error in the diagnostics thread: ${message.error}`);
        pending?.resolve(message.error ? pending.fallback : message.value);
        break;
      }
    }
  }
}
