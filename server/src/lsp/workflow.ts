// The hardening workflow over LSP: the checklist of the workspace folders, a step's fix applied as one
// workspace edit, and validation with the real nginx (then a restart of kasm_proxy). Requests only: the
// client asks, in a trusted workspace, with the program paths from the user's settings. Translation
// only; the work is the engine's (kasm/checklist.ts, validate/).

import { dirname } from 'node:path';
import type { Connection } from 'vscode-languageserver/node';
import { LineIndex, type Range } from '../core/text';
import { ParseCache } from '../engine/analyze';
import { replacementEdit } from '../engine/fix';
import type { TextEdit } from '../engine/findings';
import type { Settings } from '../engine/settings';
import { checklistOf, fixStepInMemory, STEPS_BY_ID } from '../kasm/checklist';
import { InputError } from '../engine/lint';
import { configurationOf, restartProxy, validateConfiguration, type ValidationResult } from '../validate/validate';
import type { FileHost } from '../workspace/host';
import { pathToUri, toWorkspaceEdit, uriToPath } from './convert';

export interface WorkflowDeps {
  connection: Connection;
  host: FileHost;
  folders: () => string[];
  /** The editor's kasmlint.* settings for a folder, as the settings a .kasmlintrc.json is read over. */
  baseSettings: (dir: string) => Promise<Settings>;
  versionOf: (path: string) => number | null;
  supportsDocumentChanges: () => boolean;
}

interface ProgramParams {
  /** A file or folder of the configuration to validate; default: the workspace folders. */
  uri?: string;
  nginx?: string;
  docker?: string;
}

/** The range of a whole line (its text, without the indentation), for a message nginx gives by line. */
function lineRange(host: FileHost, file: string, line: number): Range {
  const read = host.read(file);
  const zeroBased = Math.max(0, line - 1);
  if (!read.ok) return { start: { line: zeroBased, character: 0 }, end: { line: zeroBased, character: 0 } };
  const lines = new LineIndex(read.text);
  const text = lines.lineText(zeroBased);
  const indent = /^\s*/.exec(text)![0].length;
  return { start: { line: zeroBased, character: indent }, end: { line: zeroBased, character: text.replace(/\s+$/, '').length } };
}

export function registerWorkflow(deps: WorkflowDeps): void {
  const { connection, host } = deps;
  // Files parsed for one checklist are parsed again only when their text changed (it is asked after every analysis).
  const cache = new ParseCache();
  const lintOptions = async () => ({ host, cache, base: await deps.baseSettings(deps.folders()[0] ?? '/') });

  connection.onRequest('kasmlint/checklist', async () => {
    const folders = deps.folders();
    if (folders.length === 0) return { steps: [], open: 0, kasmTrees: [], frontProxies: [], tunnels: [] };
    const { checklist } = checklistOf(folders, await lintOptions());
    return { ...checklist, steps: checklist.steps.map((s) => ({ ...s, where: s.where.map((w) => ({ ...w, uri: pathToUri(w.file) })) })) };
  });

  connection.onRequest('kasmlint/checklistFix', async (params: { step: string }) => {
    if (!STEPS_BY_ID.has(params.step)) return { applied: 0, files: 0, failure: `no step "${params.step}"` };
    const folders = deps.folders();
    const { texts, applied } = fixStepInMemory(params.step, folders, await lintOptions());
    const edits: TextEdit[] = [];
    for (const [file, text] of texts) {
      const before = host.read(file);
      if (before.ok) edits.push(replacementEdit(file, before.text, text));
    }
    if (edits.length === 0) return { applied: 0, files: 0 };
    const title = STEPS_BY_ID.get(params.step)!.title;
    const result = await connection.workspace.applyEdit({ label: `kasmlint: ${title}`, edit: toWorkspaceEdit(edits, deps.versionOf, deps.supportsDocumentChanges()) });
    return result.applied ? { applied, files: edits.length } : { applied: 0, files: 0, failure: result.failureReason };
  });

  /** The configuration of the active file, else the first one in the workspace folders. */
  const targets = (params: ProgramParams): string[] => {
    const path = params.uri ? uriToPath(params.uri) : undefined;
    const active = path ? [host.kind(path) === 'dir' ? path : dirname(path)] : [];
    return [...active, ...deps.folders()];
  };

  const validated = async (params: ProgramParams): Promise<ValidationResult | { failure: string }> => {
    let failure = 'open a folder with a Kasm tree or an nginx.conf first';
    for (const path of targets(params)) {
      const options = { host, base: await deps.baseSettings(path), nginx: params.nginx || undefined, docker: params.docker || undefined };
      let analysis;
      try {
        analysis = configurationOf(path, options);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        failure = error.message;
        continue;
      }
      return validateConfiguration(analysis, options);
    }
    return { failure };
  };

  connection.onRequest('kasmlint/validate', async (params: ProgramParams) => {
    const result = await validated(params);
    if ('failure' in result) return result;
    return { ...result, messages: result.messages.map((m) => ({ ...m, ...(m.file ? { uri: pathToUri(m.file), range: lineRange(host, m.file, m.line ?? 1) } : {}) })) };
  });

  connection.onRequest('kasmlint/restartProxy', async (params: ProgramParams) => {
    // Validated again right before: the files may have changed since the user said yes.
    const result = await validated(params);
    if ('failure' in result) return { ok: false, output: result.failure };
    return restartProxy(result, { docker: params.docker || undefined });
  });
}
