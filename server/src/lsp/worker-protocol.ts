// The messages between the server's main thread (the connection, the editing features) and the
// diagnostics thread (the analyses whose findings are published). Plain data: they are copied between
// the threads.

import type { CodeAction, Range } from 'vscode-languageserver/node';
import type { TextEdit } from '../engine/findings';
import type { DiagnosticsDelta } from './diagnostics-delta';

/** What the client can take, as far as diagnostics and quick fixes go. */
export interface ClientSupport {
  related: boolean;
  documentChanges: boolean;
  showDocument: boolean;
}

export type ToDiagnostics =
  | { kind: 'init'; folders: string[]; support: ClientSupport; debounceMs: number }
  | { kind: 'folders'; folders: string[] }
  | { kind: 'debounce'; ms: number }
  /** An open document's text; `opened` when the editor just opened it. */
  | { kind: 'document'; path: string; text: string; version: number; opened: boolean }
  | { kind: 'close'; path: string }
  /** Configurations to analyse although none of their files is open (the workspace at start-up). */
  | { kind: 'analyse'; paths: string[] }
  | { kind: 'filesChanged'; paths: string[] }
  | { kind: 'settingsChanged' }
  | { kind: 'request'; id: number; request: DiagnosticsRequest }
  | { kind: 'reply'; id: number; value: unknown };

export type DiagnosticsRequest =
  /** The quick fixes at a range; `atOnce`: from the analysis there is, or none if it did not read the current text. */
  | { method: 'quickFixes'; path: string; uri: string; range: Range; atOnce: boolean }
  /** The findings under a position, as hover Markdown, gravest first, if the analysis read the current text. */
  | { method: 'findingsHover'; path: string; position: Range['start'] }
  /**
   * The safe fixes (unsafe ones too with kasmlint.fixAll.unsafe) of a file's findings (of one rule's
   * when `rule` is given), or of every configuration of the workspace folders, applied pass after pass
   * in memory as `--fix` applies them: one edit per changed file.
   */
  | { method: 'fixAll'; scope: 'file'; path: string; rule?: string }
  | { method: 'fixAll'; scope: 'workspace' }
  /** The thread's heap in use (after a collection when the process exposes gc). */
  | { method: 'memory' };

export interface DiagnosticsReplies {
  quickFixes: CodeAction[];
  findingsHover: string[];
  /** `unsafe`: whether unsafe fixes were applied too (the file's settings say so). */
  fixAll: { edits: TextEdit[]; applied: number; unsafe: boolean };
  memory: { heapUsedBytes: number };
}

export type FromDiagnostics =
  /**
   * Diagnostics to send, each file's as a delta from what was sent before for it, and the versions of
   * the open documents the analysis read; `logs` first (the analysis's line among them).
   */
  | { kind: 'publish'; files: Array<{ uri: string; version: number | undefined; delta: DiagnosticsDelta }>; read: Array<[string, number]>; logs: string[] }
  | { kind: 'log'; messages: string[] }
  /** The editor's kasmlint.* settings for a folder (the main thread asks the client). */
  | { kind: 'request'; id: number; method: 'editorSettings'; dir: string }
  | { kind: 'reply'; id: number; value?: unknown; error?: string };
