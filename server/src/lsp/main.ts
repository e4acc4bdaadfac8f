// The language server: started by the VS Code client over IPC, or by any editor as
// `node dist/server.js --stdio`. It only translates between LSP and the engine.

import './memory'; // sets how the heap grows, before any analysis
import {
  CodeAction,
  CodeActionKind,
  type ClientCapabilities,
  CodeActionTriggerKind,
  type CompletionItem,
  CompletionItemKind,
  type CompletionList,
  createConnection,
  type Diagnostic,
  DidChangeConfigurationNotification,
  type DocumentSymbol,
  FileChangeType,
  FoldingRangeKind,
  InsertTextFormat,
  MarkupKind,
  ProposedFeatures,
  SymbolKind,
  TextDocumentSyncKind,
  TextDocuments,
} from 'vscode-languageserver/node';
import { isDeepStrictEqual } from 'node:util';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { fixInMemory, replacementEdit } from '../engine/fix';
import { SEVERITY_ORDER, type Finding, type TextEdit } from '../engine/findings';
import { completionsAt, type CompletionEntry, documentationOf } from '../editing/completion';
import { renderEffectiveConfig } from '../editing/effective-view';
import { findingDoc, hoverAt, severitySource } from '../editing/hover';
import { definitionsAt, foldingRanges, outline, type OutlineItem, type OutlineKind } from '../editing/symbols';
import { StatCachedFileHost } from '../workspace/host';
import { findNginxFiles, findYamlFiles } from '../workspace/project';
import { COMMANDS, quickFixActions } from './actions';
import { pathToUri, ruleDocsUri, toDiagnostic, toWorkspaceEdit, uriToPath } from './convert';
import { OverlayHost, type OpenDocument } from '../workspace/overlay';
import { filesOf, findingsOf, Projects, type ProjectState } from './projects';
import type { ProjectAnalysis } from '../engine/analyze';
import type { ParsedFile } from '../nginx/ast';
import { kasmZoneLenses, tunnelCompletions, tunnelHoverAt } from '../editing/tunnel';
import { addTo } from '../core/maps';
import { type LineIndex, unchangedPrefix } from '../core/text';
import { applySettings, defaultSettings } from '../engine/settings';
import { RULES_BY_ID } from '../rules/registry';
import { registerWorkflow } from './workflow';
import { editingCapabilities, registerEditingCapabilities, registerEditingHandlers } from './editing';
import { startupPlan, type WorkspaceDiagnostics } from './startup';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const open = new Map<string, OpenDocument>();

let workspaceFolders: string[] = [];
let supportsConfiguration = false;
let supportsRelated = false;
let supportsDocumentChanges = false;
let supportsFolderChanges = false;
let supportsShowDocument = false;
let debounceMs = 100;
let clientCapabilities: ClientCapabilities = {};

const host = new OverlayHost(new StatCachedFileHost(), open);

/** The editor's kasmlint.* settings for a folder, and the folder they are relative to. */
async function editorSettings(dir: string): Promise<{ raw: unknown; baseDir: string } | undefined> {
  if (!supportsConfiguration) return undefined;
  const raw = (await connection.workspace.getConfiguration({ scopeUri: pathToUri(dir), section: 'kasmlint' })) as Record<string, unknown> | null;
  if (!raw || typeof raw !== 'object') return undefined;
  if (typeof raw.debounce === 'number') debounceMs = raw.debounce;
  const folder = workspaceFolders.find((f) => dir === f || dir.startsWith(`${f}/`)) ?? dir;
  const picked: Record<string, unknown> = {};
  for (const key of ['nginxVersion', 'nginxEdition', 'prefix', 'pathMappings', 'rules', 'tlsProfile', 'deployment', 'trustedProxies', 'maxFindingsPerRule', 'composeFile', 'preset', 'fixAll']) {
    const value = raw[key];
    if (value !== undefined && value !== null && value !== '' && !(typeof value === 'object' && Object.keys(value).length === 0)) picked[key] = value;
  }
  return { raw: picked, baseDir: folder };
}

const projects = new Projects({
  host,
  openVersions: () => new Map([...open].map(([path, doc]) => [path, doc.version])),
  editorSettings,
  publish,
  debounceMs: () => debounceMs,
  log: (message) => connection.console.log(message),
});

/** Diagnostics go to the files of the analysis that are open or inside a workspace folder. */
function shown(path: string): boolean {
  return open.has(path) || workspaceFolders.some((f) => path.startsWith(`${f}/`));
}

function publish(state: ProjectState): void {
  if (!state.analysis && !state.tunnel && state.published.size === 0) return;
  const byFile = new Map<string, Diagnostic[]>();
  for (const path of filesOf(state)) if (shown(path)) byFile.set(path, []);
  for (const finding of findingsOf(state)) {
    if (!shown(finding.file)) continue;
    addTo(byFile, finding.file, toDiagnostic(finding, supportsRelated));
  }
  if (state.settingsError) {
    const { file, message } = state.settingsError;
    byFile.set(file, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, severity: 1, source: 'kasmlint', message: `${message}\nThe defaults are used until this is fixed.` }]);
  }
  for (const path of state.published) if (!byFile.has(path)) byFile.set(path, []);
  state.published = new Set([...byFile].filter(([, list]) => list.length > 0).map(([p]) => p));
  for (const [path, diagnostics] of byFile) {
    // the version the analysis read: an edit may have come in since
    const version = state.versions.get(path) ?? open.get(path)?.version;
    // A file whose diagnostics and version are what was last sent is not sent again (an edit in one
    // file of a Kasm tree re-analyses all 23; the editor has the others already).
    // An edited file has a new version: it is sent without comparing.
    const last = lastSent.get(path);
    if (last && last.version === version && isDeepStrictEqual(diagnostics, last.diagnostics)) continue;
    if (diagnostics.length > 0) lastSent.set(path, { version, diagnostics });
    else lastSent.delete(path);
    connection.sendDiagnostics({ uri: pathToUri(path), version, diagnostics });
  }
}

/** What was last sent for each file that has diagnostics: its version and its diagnostics. */
const lastSent = new Map<string, { version: number | undefined; diagnostics: Diagnostic[] }>();

connection.onInitialize((params) => {
  const caps = params.capabilities;
  clientCapabilities = caps;
  supportsConfiguration = caps.workspace?.configuration === true;
  supportsRelated = caps.textDocument?.publishDiagnostics?.relatedInformation === true;
  supportsDocumentChanges = caps.workspace?.workspaceEdit?.documentChanges === true;
  supportsFolderChanges = caps.workspace?.workspaceFolders === true;
  supportsShowDocument = caps.window?.showDocument?.support === true;
  const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
  workspaceFolders = folders.map(uriToPath).filter((p): p is string => p !== undefined);
  const options = params.initializationOptions as { debounce?: number } | undefined;
  if (typeof options?.debounce === 'number') debounceMs = options.debounce;
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, `${CodeActionKind.SourceFixAll}.kasmlint`], resolveProvider: false },
      hoverProvider: true,
      completionProvider: { triggerCharacters: ['$', ' '], resolveProvider: true },
      documentSymbolProvider: true,
      foldingRangeProvider: true,
      definitionProvider: true,
      codeLensProvider: { resolveProvider: false },
      executeCommandProvider: { commands: Object.values(COMMANDS) },
      ...editingCapabilities(caps),
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'kasmlint', version: '0.1.0' },
  };
});

connection.onInitialized(() => {
  registerEditingCapabilities(connection, clientCapabilities);
  analyseWorkspaceAtStartup().catch((error: unknown) => connection.console.log(`workspace diagnostics at start-up failed: ${(error as Error).stack ?? error}`));
  if (supportsConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'kasmlint' });
  if (supportsFolderChanges) {
    connection.workspace.onDidChangeWorkspaceFolders((event) => {
      const removed = new Set(event.removed.map((f) => uriToPath(f.uri)));
      workspaceFolders = [...workspaceFolders.filter((f) => !removed.has(f)), ...event.added.map((f) => uriToPath(f.uri)).filter((p): p is string => !!p)];
    });
  }
});

/** The configurations of the workspace folders, analysed before any file is opened (kasmlint.workspaceDiagnostics). */
async function analyseWorkspaceAtStartup(): Promise<void> {
  for (const folder of workspaceFolders) {
    let mode: WorkspaceDiagnostics = 'auto';
    if (supportsConfiguration) {
      const raw = (await connection.workspace.getConfiguration({ scopeUri: pathToUri(folder), section: 'kasmlint' })) as { workspaceDiagnostics?: unknown } | null;
      if (raw?.workspaceDiagnostics === 'on' || raw?.workspaceDiagnostics === 'off') mode = raw.workspaceDiagnostics;
    }
    const plan = startupPlan(host, folder, mode);
    connection.console.log(plan.skipped ? `workspace diagnostics for ${folder}: not at start-up: ${plan.skipped}` : `workspace diagnostics for ${folder}: ${plan.files.length} configuration(s)`);
    for (const file of plan.files) projects.changed(file);
  }
}

connection.onDidChangeConfiguration(() => projects.settingsChanged());

documents.onDidOpen(({ document }) => {
  const path = uriToPath(document.uri);
  if (!path) return;
  open.set(path, { text: document.getText(), version: document.version });
  lastSent.delete(path); // an editor may have dropped what it showed when the file closed: send it again
  projects.changed(path);
});

documents.onDidChangeContent(({ document }) => {
  const path = uriToPath(document.uri);
  if (!path) return;
  open.set(path, { text: document.getText(), version: document.version });
  projects.changed(path);
});

/** Whether a state's files lie in (or contain) a workspace folder: its diagnostics stay after its files close. */
function inWorkspace(state: ProjectState): boolean {
  const dir = state.loneFile ?? state.tunnelFile ?? state.project.dir;
  return workspaceFolders.some((f) => dir === f || dir.startsWith(`${f}/`) || f.startsWith(`${dir}/`));
}

documents.onDidClose(({ document }) => {
  const path = uriToPath(document.uri);
  if (!path) return;
  open.delete(path);
  const state = projects.stateFor(path);
  const stillOpen = [...open.keys()].some((p) => projects.stateFor(p) === state);
  if (!stillOpen && !inWorkspace(state)) projects.forget(state);
  else projects.changed(path); // it is read from disk again
});

connection.onDidChangeWatchedFiles(({ changes }) => {
  // A change on disk to a file open in an editor does not matter: the editor's text wins.
  const paths = changes
    .filter((c) => !(c.type === FileChangeType.Changed && open.has(uriToPath(c.uri) ?? '')))
    .map((c) => uriToPath(c.uri))
    .filter((p): p is string => p !== undefined);
  if (paths.length > 0) projects.filesChanged(paths);
});

function findingsAt(state: ProjectState, path: string): Finding[] {
  return findingsOf(state).filter((f) => f.file === path);
}

function overlaps(a: Finding['range'], b: Finding['range']): boolean {
  const before = (p: Finding['range']['start'], q: Finding['range']['start']) => p.line < q.line || (p.line === q.line && p.character <= q.character);
  return before(a.start, b.end) && before(b.start, a.end);
}

const versionOf = (path: string) => open.get(path)?.version ?? null;

connection.onCodeAction(async (params) => {
  const path = uriToPath(params.textDocument.uri);
  if (!path) return [];
  const only = params.context.only;
  const wantsFixAll = only?.some((k) => k === CodeActionKind.SourceFixAll || k === `${CodeActionKind.SourceFixAll}.kasmlint` || k === CodeActionKind.Source);
  // Quick fixes the editor asks for by itself (the light bulb, as the cursor moves): answered at once from
  // an analysis of the current text, or not at all (it asks again when diagnostics change). Asked by the
  // user, or fix-all (on save too, which is also "automatic"): waited for.
  const atOnce = params.context.triggerKind === CodeActionTriggerKind.Automatic && !wantsFixAll;
  const state = projects.stateFor(path);
  await (atOnce ? projects.latest(state) : projects.ensure(state));
  if (atOnce && !projects.upToDate(state)) return [];
  const findings = findingsAt(state, path);
  const actions: CodeAction[] = [];

  if (!only || only.some((k) => k === CodeActionKind.QuickFix || k.startsWith(`${CodeActionKind.QuickFix}.`))) {
    const lines = state.analysis?.model.files.get(path)?.lines ?? (state.tunnel?.tunnel.file.path === path ? state.tunnel.tunnel.file.lines : undefined);
    const here = findings.filter((f) => overlaps(f.range, params.range));
    actions.push(
      ...quickFixActions(here, findings, {
        path,
        uri: params.textDocument.uri,
        lineText: (line) => lines?.lineText(line) ?? '',
        diagnostic: (f) => toDiagnostic(f, supportsRelated),
        workspaceEdit: (edits) => toWorkspaceEdit(edits, versionOf, supportsDocumentChanges),
        unsafe: settingsOf(state)?.fixAllUnsafe ?? false,
        showDocument: supportsShowDocument,
      }),
    );
  }
  if (wantsFixAll) {
    const { edits } = await fixAllEdits(state, (f) => f.file === path);
    if (edits.length > 0) {
      actions.push(CodeAction.create(settingsOf(state)?.fixAllUnsafe ? 'Fix all kasmlint problems' : 'Fix all safe kasmlint problems', toWorkspaceEdit(edits, versionOf, supportsDocumentChanges), `${CodeActionKind.SourceFixAll}.kasmlint`));
    }
  }
  return actions;
});

function settingsOf(state: ProjectState) {
  return state.analysis?.settings ?? state.tunnel?.settings;
}

/**
 * The safe fixes (the unsafe ones too with kasmlint.fixAll.unsafe) of the selected findings of a state,
 * applied pass after pass in memory as `--fix` applies them on disk (fixes inserted at one point need one
 * pass each): one edit per changed file.
 */
async function fixAllEdits(state: ProjectState, select: (finding: Finding) => boolean): Promise<{ edits: TextEdit[]; applied: number }> {
  const { current, relint } = await projects.textRuns(state);
  const fixed = fixInMemory(current, relint, { unsafe: settingsOf(state)?.fixAllUnsafe ?? false, select });
  const edits: TextEdit[] = [];
  for (const [file, text] of fixed.texts) {
    const before = current.textOf(file);
    if (before !== undefined) edits.push(replacementEdit(file, before, text));
  }
  return { edits, applied: fixed.applied };
}

/**
 * The NGINX file a request is about, as the editor has it now, and the latest analysis of its
 * configuration (which may have read an older text of it: requests do not wait for analyses).
 */
async function nginxFileNow(state: ProjectState, path: string): Promise<{ analysis: ProjectAnalysis; file: ParsedFile; analysed: boolean } | undefined> {
  await projects.latest(state);
  const analysis = state.analysis;
  const analysedFile = analysis?.model.files.get(path);
  if (!analysis || !analysedFile) return undefined;
  const file = projects.parsedNow(path) ?? analysedFile;
  return { analysis, file, analysed: file === analysedFile };
}

/**
 * While the analysis of an edit is pending, a hover on a word before the edit is answered from the
 * analysed parse (the text up to the edit is the same, and nginx reads a file from its start): the
 * new text need not be parsed first. Elsewhere, or with findings to show, undefined.
 */
async function hoverBeforeEdit(state: ProjectState, path: string, position: { line: number; character: number }) {
  await projects.latest(state);
  const analysis = state.analysis;
  const analysed = analysis?.model.files.get(path);
  const text = open.get(path)?.text;
  if (!analysis || !analysed || text === undefined || text === analysed.text) return undefined;
  // before the edit, lines and offsets are those of the analysed text: its index serves
  const lines = analysed.lines;
  const offset = lines.offsetAt(position);
  const unchanged = unchangedPrefix(analysed.text, text);
  if (offset >= unchanged) return undefined;
  const word = hoverAt(analysis, analysis.catalog, analysed, offset);
  if (!word || word.end >= unchanged) return undefined;
  return { contents: { kind: MarkupKind.Markdown, value: word.markdown }, range: lines.range(word.start, word.end) };
}

connection.onHover(async (params) => {
  const path = uriToPath(params.textDocument.uri);
  const doc = documents.get(params.textDocument.uri);
  if (!path || !doc) return null;
  // the state is taken before any pause: a close meanwhile must not bring a forgotten state back
  const state = projects.stateFor(path);
  const quick = await hoverBeforeEdit(state, path, params.position);
  if (quick) return quick;
  const now = await nginxFileNow(state, path);
  if (!now) await projects.ensure(state);
  const analysis = now?.analysis;
  const tunnel = now ? undefined : state.tunnel?.tunnel;
  const file = now?.file ?? tunnel?.file;
  if (!file) return null;
  const offset = file.lines.offsetAt(params.position);
  const parts: string[] = [];
  // The findings first, the gravest first: they are what a user hovers a squiggle for (when the analysis read this text).
  const analysed = analysis ?? state.tunnel!;
  const here = (now && !now.analysed ? [] : findingsAt(state, path))
    .filter((f) => overlaps(f.range, { start: params.position, end: params.position }))
    .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  for (const finding of here) parts.push(findingDoc(finding, severitySource(analysed.settings, analysed.preset, finding.rule), ruleDocsUri(finding.rule)));
  const word = now ? hoverAt(now.analysis, now.analysis.catalog, now.file, offset) : tunnelHoverAt(tunnel!, offset);
  if (word) parts.push(word.markdown);
  if (parts.length === 0) return null;
  return {
    contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n---\n\n') },
    range: word ? file.lines.range(word.start, word.end) : undefined,
  };
});

connection.onCodeLens(async (params) => {
  const path = uriToPath(params.textDocument.uri);
  if (!path) return [];
  const tunnel = (await projects.current(path)).tunnel?.tunnel;
  if (!tunnel) return [];
  // The VS Code client shows the values with buttons to copy them and to open Kasm's documentation.
  return kasmZoneLenses(tunnel).map((lens) => ({
    range: tunnel.file.lines.range(lens.start, lens.end),
    command: { title: lens.title, command: 'kasmlint.showKasmZoneSettings', arguments: [{ hostname: lens.hostname }] },
  }));
});

const COMPLETION_KIND: Record<CompletionEntry['kind'], CompletionItemKind> = {
  directive: CompletionItemKind.Keyword,
  block: CompletionItemKind.Module,
  value: CompletionItemKind.EnumMember,
  variable: CompletionItemKind.Variable,
  snippet: CompletionItemKind.Snippet,
};

connection.onCompletion(async (params) => {
  const path = uriToPath(params.textDocument.uri);
  if (!path) return [];
  const state = projects.stateFor(path);
  const now = await nginxFileNow(state, path);
  const tunnel = now ? undefined : (await projects.ensure(state)).tunnel?.tunnel;
  if (tunnel) {
    return tunnelCompletions(tunnel, tunnel.file.lines.offsetAt(params.position)).map((c) => ({
      label: c.label,
      kind: c.kind === 'key' ? CompletionItemKind.Property : CompletionItemKind.EnumMember,
      detail: c.detail,
      documentation: { kind: MarkupKind.Markdown, value: c.documentation },
      insertTextFormat: InsertTextFormat.PlainText,
      textEdit: { range: tunnel.file.lines.range(c.start, c.end), newText: c.insertText },
    }));
  }
  if (!now) return [];
  const { analysis, file } = now;
  const offset = file.lines.offsetAt(params.position);
  const entries = completionsAt(analysis, analysis.catalog, file, offset);
  // A client that resolves documentation (VS Code) gets it when it shows an entry (completionItem/resolve):
  // every directive of a context with its reference page would be half a megabyte at each keystroke.
  // A client that does not say so gets it with the list.
  const lazy = resolvesDocumentation();
  if (lazy) lastCompletion = { id: ++completionLists, entries };
  return completionResponse(entries, file.lines, lazy);
});

/**
 * The items of a completion list. A client that takes item defaults (LSP 3.17; VS Code does) is told the
 * range the entries replace once for the list, not in each of its hundreds of items (half the bytes).
 */
function completionResponse(entries: readonly CompletionEntry[], lines: LineIndex, lazy: boolean): CompletionItem[] | CompletionList {
  const defaults = new Set(clientCapabilities?.textDocument?.completion?.completionList?.itemDefaults ?? []);
  const first = entries[0];
  const shared = defaults.has('editRange') && first ? { start: first.start, end: first.end } : undefined;
  const plainByDefault = shared !== undefined && defaults.has('insertTextFormat');
  const items = entries.map((entry, index): CompletionItem => {
    const item: CompletionItem = { label: entry.label, kind: COMPLETION_KIND[entry.kind], detail: entry.detail };
    const documentation = lazy ? undefined : documentationOf(entry);
    if (documentation) item.documentation = { kind: MarkupKind.Markdown, value: documentation };
    if (entry.kind === 'snippet') item.insertTextFormat = InsertTextFormat.Snippet;
    else if (!plainByDefault) item.insertTextFormat = InsertTextFormat.PlainText;
    const newText = entry.insertText ?? entry.label;
    if (shared && entry.start === shared.start && entry.end === shared.end) {
      if (newText !== entry.label) item.textEditText = newText;
    } else {
      item.textEdit = { range: lines.range(entry.start, entry.end), newText };
    }
    if (lazy && entry.documentation) item.data = { completion: completionLists, index } satisfies CompletionData;
    return item;
  });
  if (!shared) return items;
  return {
    isIncomplete: false,
    itemDefaults: { editRange: lines.range(shared.start, shared.end), ...(plainByDefault ? { insertTextFormat: InsertTextFormat.PlainText } : {}) },
    items,
  };
}

function resolvesDocumentation(): boolean {
  return clientCapabilities?.textDocument?.completion?.completionItem?.resolveSupport?.properties.includes('documentation') === true;
}

interface CompletionData {
  completion: number;
  index: number;
}

/** The entries of the last completion list, for their documentation. */
let lastCompletion: { id: number; entries: readonly CompletionEntry[] } | undefined;
let completionLists = 0;

connection.onCompletionResolve((item) => {
  const data = item.data as Partial<CompletionData> | undefined;
  const entry = data?.completion === lastCompletion?.id && data?.index !== undefined ? lastCompletion?.entries[data.index] : undefined;
  const documentation = entry && entry.label === item.label ? documentationOf(entry) : undefined;
  return documentation ? { ...item, documentation: { kind: MarkupKind.Markdown, value: documentation } } : item;
});

const SYMBOL_KIND: Record<OutlineKind, SymbolKind> = {
  namespace: SymbolKind.Namespace,
  class: SymbolKind.Class,
  method: SymbolKind.Method,
  interface: SymbolKind.Interface,
  variable: SymbolKind.Variable,
  file: SymbolKind.File,
  event: SymbolKind.Event,
  struct: SymbolKind.Struct,
};

connection.onDocumentSymbol(async (params) => {
  const path = uriToPath(params.textDocument.uri);
  if (!path) return [];
  const file = (await projects.current(path)).analysis?.model.files.get(path);
  if (!file) return [];
  const convert = (item: OutlineItem): DocumentSymbol => ({
    name: item.name,
    kind: SYMBOL_KIND[item.kind],
    range: file.lines.range(item.start, item.end),
    selectionRange: file.lines.range(item.selectionStart, item.selectionEnd),
    children: item.children.map(convert),
  });
  return outline(file).map(convert);
});

connection.onFoldingRanges(async (params) => {
  const path = uriToPath(params.textDocument.uri);
  if (!path) return [];
  const file = (await projects.current(path)).analysis?.model.files.get(path);
  if (!file) return [];
  return foldingRanges(file).map((f) => ({ startLine: f.startLine, endLine: f.endLine, kind: f.kind === 'comment' ? FoldingRangeKind.Comment : FoldingRangeKind.Region }));
});

connection.onDefinition(async (params) => {
  const path = uriToPath(params.textDocument.uri);
  if (!path) return [];
  const state = await projects.current(path);
  const analysis = state.analysis;
  const file = analysis?.model.files.get(path);
  if (!analysis || !file) return [];
  return definitionsAt(analysis, file, file.lines.offsetAt(params.position)).map((t) => ({
    uri: pathToUri(t.file),
    range: t.parsed ? t.parsed.lines.range(t.start, t.end) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
  }));
});

/** The effective configuration of the block at a position, as nginx text. */
connection.onRequest('kasmlint/effectiveConfiguration', async (params: { textDocument: { uri: string }; position: { line: number; character: number } }) => {
  const path = uriToPath(params.textDocument.uri);
  if (!path) return { text: '# not a file\n' };
  const state = await projects.current(path);
  const file = state.analysis?.model.files.get(path);
  if (!state.analysis || !file) return { text: '# not analysed\n' };
  return { text: renderEffectiveConfig(state.analysis, file, file.lines.offsetAt(params.position)) };
});

function isPosition(value: unknown): value is { line: number; character: number } {
  const p = value as { line?: unknown; character?: unknown } | null;
  return typeof p === 'object' && p !== null && Number.isInteger(p.line) && Number.isInteger(p.character);
}

connection.onExecuteCommand(async (params) => {
  const args = params.arguments ?? [];
  if (params.command === COMMANDS.showDocumentation && typeof args[0] === 'string') {
    await connection.window.showDocument({ uri: ruleDocsUri(args[0]), takeFocus: true });
  } else if (params.command === COMMANDS.placeCursor && typeof args[0] === 'string' && isPosition(args[1])) {
    const at = { line: args[1].line, character: args[1].character };
    await connection.window.showDocument({ uri: args[0], takeFocus: true, selection: { start: at, end: at } });
  } else if (params.command === COMMANDS.fixAllOfRule && typeof args[0] === 'string') {
    const path = uriToPath(args[0]);
    if (!path) return;
    const { edits } = await fixAllEdits(await projects.current(path), (f) => f.file === path && f.rule === args[1]);
    if (edits.length > 0) await connection.workspace.applyEdit({ label: `kasmlint: fix all ${String(args[1])} problems`, edit: toWorkspaceEdit(edits, versionOf, supportsDocumentChanges) });
  }
});

/**
 * Applies the safe fixes (unsafe ones too with kasmlint.fixAll.unsafe) of every configuration in the workspace folders as one edit, through the
 * editor (so that it can be undone); files not open come back as unsaved editors.
 */
connection.onRequest('kasmlint/fixAllWorkspace', async () => {
  const states = new Map<string, ProjectState>();
  for (const folder of workspaceFolders) {
    for (const file of [...findNginxFiles(host, folder), ...findYamlFiles(host, folder)]) {
      const state = projects.stateFor(file);
      states.set(state.key, state);
    }
  }
  const edits: TextEdit[] = [];
  let applied = 0;
  for (const state of states.values()) {
    const fixed = await fixAllEdits(state, (f) => shown(f.file));
    edits.push(...fixed.edits);
    applied += fixed.applied;
  }
  if (edits.length === 0) return { applied: 0, files: 0 };
  const result = await connection.workspace.applyEdit({ label: 'kasmlint: fix all problems in workspace', edit: toWorkspaceEdit(edits, versionOf, supportsDocumentChanges) });
  return result.applied ? { applied, files: new Set(edits.map((e) => e.file)).size } : { applied: 0, files: 0, failure: result.failureReason };
});

/** What the server holds, for diagnosing it in the field and for the soak test (memory after a GC when --expose-gc). */
connection.onRequest('kasmlint/status', () => {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const memory = process.memoryUsage();
  return { documents: open.size, analyses: projects.all().length, heapUsedBytes: memory.heapUsed, rssBytes: memory.rss, garbageCollected: gc !== undefined };
});

registerWorkflow({
  connection,
  host,
  folders: () => workspaceFolders,
  baseSettings: async (dir) => {
    const editor = await editorSettings(dir).catch(() => undefined);
    try {
      return editor ? applySettings(defaultSettings(), editor.raw, editor.baseDir, 'the kasmlint.* settings', RULES_BY_ID) : defaultSettings();
    } catch {
      return defaultSettings(); // invalid editor settings are reported where they are read for diagnostics
    }
  },
  versionOf,
  supportsDocumentChanges: () => supportsDocumentChanges,
});
registerEditingHandlers({ connection, documents, projects, host, versionOf, supportsDocumentChanges: () => supportsDocumentChanges });

documents.listen(connection);
connection.listen();
