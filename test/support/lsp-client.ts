// A real LSP client for tests: starts dist/server.js as a separate process and talks JSON-RPC to it
// over stdio, as an editor does.

import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  type Diagnostic,
  type InitializeResult,
  type ProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import { SERVER_NODE_ARGS } from '../../client/src/server-launch';

export const SERVER = process.env.KASMLINT_SERVER ?? join(__dirname, '../../../dist/server.js');

export function uri(path: string): string {
  return pathToFileURL(path).href;
}

export interface PublishedDiagnostics {
  uri: string;
  version?: number;
  diagnostics: Diagnostic[];
}

export class LspClient {
  readonly connection: ProtocolConnection;
  readonly process: ChildProcess;
  /** The latest diagnostics per URI. */
  readonly diagnostics = new Map<string, PublishedDiagnostics>();
  private readonly waiters: Array<{ test: () => boolean; resolve: () => void }> = [];
  readonly stderr: string[] = [];
  readonly logs: string[] = [];
  exitCode: number | null = null;
  settings: Record<string, unknown> = {};
  appliedEdits: unknown[] = [];
  /** window/showDocument requests (when the client said it supports them). */
  shownDocuments: Array<{ uri: string; selection?: { start: { line: number; character: number } }; takeFocus?: boolean }> = [];
  /** Capabilities the server registered dynamically, and the messages it showed. */
  registrations: Array<{ method: string; registerOptions?: unknown }> = [];
  shownMessages: Array<{ type: number; message: string }> = [];

  /**
   * Node runs the server with the options the editors give it (SERVER_NODE_ARGS), then `nodeArgs`
   * (e.g. --expose-gc, so that kasmlint/status measures memory after a GC).
   */
  constructor(args: string[] = ['--stdio'], server = SERVER, nodeArgs: string[] = []) {
    this.process = spawn(process.execPath, [...SERVER_NODE_ARGS, ...nodeArgs, server, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.process.stderr!.on('data', (d) => this.stderr.push(String(d)));
    this.process.on('exit', (code) => (this.exitCode = code));
    this.connection = createProtocolConnection(new StreamMessageReader(this.process.stdout!), new StreamMessageWriter(this.process.stdin!));
    this.connection.onNotification('textDocument/publishDiagnostics', (params: PublishedDiagnostics) => {
      this.diagnostics.set(params.uri, params);
      this.check();
    });
    this.connection.onNotification('window/logMessage', (params: { message: string }) => {
      this.logs.push(params.message);
      this.check();
    });
    this.connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => this.settings));
    this.connection.onRequest('client/registerCapability', (params: { registrations: LspClient['registrations'] }) => {
      this.registrations.push(...params.registrations);
      this.check();
      return null;
    });
    this.connection.onNotification('window/showMessage', (params: { type: number; message: string }) => {
      this.shownMessages.push(params);
      this.check();
    });
    this.connection.onRequest('workspace/applyEdit', (params: { edit: unknown }) => {
      this.appliedEdits.push(params.edit);
      return { applied: true };
    });
    this.connection.onRequest('window/showDocument', (params: LspClient['shownDocuments'][number]) => {
      this.shownDocuments.push(params);
      return { success: true };
    });
    this.connection.listen();
  }

  private check(): void {
    for (const waiter of [...this.waiters]) {
      if (waiter.test()) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }

  /** Resolves when `test` holds (checked at each publishDiagnostics, registration, message and log line); never a fixed sleep. */
  waitFor(test: () => boolean, timeoutMs = 20_000, what = 'a condition'): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; stderr: ${this.stderr.join('')}`)), timeoutMs);
      this.waiters.push({
        test,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  waitForDiagnostics(fileUri: string, test: (d: PublishedDiagnostics) => boolean = () => true): Promise<void> {
    return this.waitFor(() => {
      const d = this.diagnostics.get(fileUri);
      return d !== undefined && test(d);
    }, 20_000, `diagnostics for ${fileUri}`);
  }

  /** `window` capabilities such as `{ showDocument: { support: true } }`, as VS Code sends them. */
  async initialize(folder: string, capabilities: Record<string, unknown> = {}, debounce = 20, window: Record<string, unknown> = {}): Promise<InitializeResult> {
    const result = (await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: uri(folder),
      workspaceFolders: [{ uri: uri(folder), name: 'test' }],
      capabilities: {
        workspace: { configuration: true, workspaceEdit: { documentChanges: true }, didChangeWatchedFiles: { dynamicRegistration: false } },
        textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true }, ...capabilities },
        window,
      },
      initializationOptions: { debounce },
    })) as InitializeResult;
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  open(path: string, text: string, version = 1, languageId = 'nginx'): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(path), languageId, version, text } });
  }

  change(path: string, version: number, text: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', { textDocument: { uri: uri(path), version }, contentChanges: [{ text }] });
  }

  /** An incremental change, as editors send keystrokes. */
  edit(path: string, version: number, range: { start: { line: number; character: number }; end: { line: number; character: number } }, text: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', { textDocument: { uri: uri(path), version }, contentChanges: [{ range, text }] });
  }

  close(path: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didClose', { textDocument: { uri: uri(path) } });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  async shutdown(): Promise<void> {
    if (this.exitCode === null) {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
      await new Promise<void>((resolve) => {
        if (this.exitCode !== null) resolve();
        else this.process.on('exit', () => resolve());
      });
    }
    this.connection.dispose();
  }
}
