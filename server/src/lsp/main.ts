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
  type Connection,
  createConnection,
  DidChangeConfigurationNotification,
  type DocumentSymbol,
  FileChangeType,
  FoldingRangeKind,
  InsertTextFormat,
  MarkupKind,
  type MessageReader,
  ProposedFeatures,
  SymbolKind,
  TextDocumentSyncKind,
  TextDocuments,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { completionsAt, type CompletionEntry, documentationOf } from '../editing/completion';
import { renderEffectiveConfig } from '../editing/effective-view';
import { hoverAt } from '../editing/hover';
import { definitionsAt, foldingRanges, outline, type OutlineItem, type OutlineKind } from '../editing/symbols';
import { StatCachedFileHost } from '../workspace/host';
import { COMMANDS } from './actions';
import { pathToUri, ruleDocsUri, toWorkspaceEdit, uriToPath } from './convert';
import { OverlayHost, type OpenDocument } from '../workspace/overlay';
import { Projects, type ProjectState } from './projects';
import { DiagnosticsThread } from './diagnostics-thread';
import type { ProjectAnalysis } from '../engine/analyze';
import type { ParsedFile } from '../nginx/ast';
import { kasmZoneLenses, tunnelCompletions, tunnelHoverAt } from '../editing/tunnel';
import type { Range } from '../core/text';
import { AnalysedView, completionsThroughView, completionsWhereTyped, hoverThroughView, hoverWhereTyped } from '../editing/analysed-view';
import { applySettings, defaultSettings } from '../engine/settings';
import { RULES_BY_ID } from '../rules/registry';
import { registerWorkflow } from './workflow';
import { editingCapabilities, registerEditingCapabilities, registerEditingHandlers } from './editing';
import { startupPlan, type WorkspaceDiagnostics } from './startup';
import { consoleToLog, stdoutWriter } from './stdio-writer';

/** The connection to the client: over stdio with our writer (stdio-writer.ts), otherwise (IPC, socket, pipe) as the library opens it. */
function openConnection(): Connection {
  if (!process.argv.includes('--stdio')) return createConnection(ProposedFeatures.all);
  // stdin given as the stream it is: the library reads it and ends the server when the client closes it
  const stdio = createConnection(ProposedFeatures.all, process.stdin as unknown as MessageReader, stdoutWriter());
  consoleToLog((message) => stdio.console.log(message));
  return stdio;
}

const connection = openConnection();
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

/** The editor's kasmlint.debounce, for both threads' analyses. */
function setDebounce(ms: number): void {
  if (ms === debounceMs) return;
  debounceMs = ms;
  diagnostics.send({ kind: 'debounce', ms });
}

const host = new OverlayHost(new StatCachedFileHost(), open);

/** The editor's kasmlint.* settings for a folder, and the folder they are relative to. */
async function editorSettings(dir: string): Promise<{ raw: unknown; baseDir: string } | undefined> {
  if (!supportsConfiguration) return undefined;
  const raw = (await connection.workspace.getConfiguration({ scopeUri: pathToUri(dir), section: 'kasmlint' })) as Record<string, unknown> | null;
  if (!raw || typeof raw !== 'object') return undefined;
  if (typeof raw.debounce === 'number') setDebounce(raw.debounce);
  const folder = workspaceFolders.find((f) => dir === f || dir.startsWith(`${f}/`)) ?? dir;
  const picked: Record<string, unknown> = {};
  for (const key of ['nginxVersion', 'nginxEdition', 'prefix', 'pathMappings', 'rules', 'tlsProfile', 'deployment', 'trustedProxies', 'maxFindingsPerRule', 'composeFile', 'preset', 'fixAll']) {
    const value = raw[key];
    if (value !== undefined && value !== null && value !== '' && !(typeof value === 'object' && Object.keys(value).length === 0)) picked[key] = value;
  }
  return { raw: picked, baseDir: folder };
}

/**
 * How long after the last change the main thread brings its own analysis up to date. The diagnostics
 * and quick fixes come from the diagnostics thread's analyses; this one serves hover, completion, the
 * outline, definitions and renames, which answer from the latest analysis while it is older than the
 * text, or bring it up to date at once when they need it (a first request, the outline, definitions).
 * Waiting for a pause in the typing keeps it from competing with the diagnostics for the CPU (the
 * diagnostics thread runs at a lower priority), and from being started and abandoned on every keystroke.
 */
const EDITING_MODEL_DELAY_MS = 250;

const projects = new Projects({
  host,
  openVersions: () => new Map([...open].map(([path, doc]) => [path, doc.version])),
  editorSettings,
  publish: () => {}, // the diagnostics thread publishes
  debounceMs: () => Math.max(debounceMs, EDITING_MODEL_DELAY_MS),
  log: (message) => connection.console.log(message),
  analysisLabel: 'editing model of',
  rules: [], // the findings are the diagnostics thread's
});

const diagnostics = new DiagnosticsThread({
  script: __filename,
  publish: (notification) => void connection.sendDiagnostics(notification),
  log: (message) => connection.console.log(message),
  editorSettings,
  openDocuments: () => open,
});

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
  diagnostics.start({
    kind: 'init',
    folders: workspaceFolders,
    support: { related: supportsRelated, documentChanges: supportsDocumentChanges, showDocument: supportsShowDocument },
    debounceMs,
  });
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
      diagnostics.send({ kind: 'folders', folders: workspaceFolders });
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
    if (plan.files.length > 0) diagnostics.send({ kind: 'analyse', paths: plan.files });
  }
}

connection.onDidChangeConfiguration(() => {
  projects.settingsChanged();
  diagnostics.send({ kind: 'settingsChanged' });
});

documents.onDidOpen(({ document }) => {
  const path = uriToPath(document.uri);
  if (!path) return;
  const text = document.getText();
  open.set(path, { text, version: document.version });
  diagnostics.send({ kind: 'document', path, text, version: document.version, opened: true });
  projects.changed(path);
});

documents.onDidChangeContent(({ document }) => {
  const path = uriToPath(document.uri);
  if (!path) return;
  const text = document.getText();
  open.set(path, { text, version: document.version });
  diagnostics.send({ kind: 'document', path, text, version: document.version, opened: false });
  projects.changed(path);
});

documents.onDidClose(({ document }) => {
  const path = uriToPath(document.uri);
  if (!path) return;
  open.delete(path);
  diagnostics.send({ kind: 'close', path });
  // the editing features serve open documents only: an analysis none of whose files is open is dropped
  projects.closed(path, open.keys(), []);
});

connection.onDidChangeWatchedFiles(({ changes }) => {
  // A change on disk to a file open in an editor does not matter: the editor's text wins.
  const paths = changes
    .filter((c) => !(c.type === FileChangeType.Changed && open.has(uriToPath(c.uri) ?? '')))
    .map((c) => uriToPath(c.uri))
    .filter((p): p is string => p !== undefined);
  if (paths.length === 0) return;
  projects.filesChanged(paths);
  diagnostics.send({ kind: 'filesChanged', paths });
});

const versionOf = (path: string) => open.get(path)?.version ?? null;
const openVersion = (path: string) => open.get(path)?.version;

connection.onCodeAction(async (params) => {
  const path = uriToPath(params.textDocument.uri);
  if (!path) return [];
  const only = params.context.only;
  const wantsFixAll = only?.some((k) => k === CodeActionKind.SourceFixAll || k === `${CodeActionKind.SourceFixAll}.kasmlint` || k === CodeActionKind.Source);
  // Quick fixes the editor asks for by itself (the light bulb, as the cursor moves): answered at once from
  // an analysis of the current text, or not at all (it asks again when diagnostics change). Asked by the
  // user, or fix-all (on save too, which is also "automatic"): waited for.
  const atOnce = params.context.triggerKind === CodeActionTriggerKind.Automatic && !wantsFixAll;
  const actions: CodeAction[] = [];

  // The quick fixes are those of the diagnostics the editor shows: the diagnostics thread's findings.
  if (!only || only.some((k) => k === CodeActionKind.QuickFix || k.startsWith(`${CodeActionKind.QuickFix}.`))) {
    if (atOnce && !diagnostics.isCurrent(path, openVersion)) return [];
    actions.push(...(await diagnostics.request({ method: 'quickFixes', path, uri: params.textDocument.uri, range: params.range, atOnce }, [])));
  }
  if (wantsFixAll) {
    const { edits, unsafe } = await diagnostics.request({ method: 'fixAll', scope: 'file', path }, NO_FIXES);
    if (edits.length > 0) {
      actions.push(CodeAction.create(unsafe ? 'Fix all kasmlint problems' : 'Fix all safe kasmlint problems', toWorkspaceEdit(edits, versionOf, supportsDocumentChanges), `${CodeActionKind.SourceFixAll}.kasmlint`));
    }
  }
  return actions;
});

const NO_FIXES = { edits: [], applied: 0, unsafe: false };

/**
 * The NGINX file a request is about, as the editor has it now, and the latest analysis of its
 * configuration (which may have read an older text of it: requests do not wait for analyses).
 */
async function nginxFileNow(state: ProjectState, path: string): Promise<{ analysis: ProjectAnalysis; file: ParsedFile } | undefined> {
  await projects.latest(state);
  const analysis = state.analysis;
  const analysedFile = analysis?.model.files.get(path);
  if (!analysis || !analysedFile) return undefined;
  const file = projects.parsedNow(path) ?? analysedFile;
  return { analysis, file };
}

/**
 * While the main thread's analysis of an edit is pending, the editor's text of an analysed file read
 * through the analysed parse (editing/analysed-view.ts): where they read alike, a request is answered
 * without parsing the new text. The view of the latest text is kept (hover and completion come together).
 */
async function analysedView(state: ProjectState, path: string): Promise<{ analysis: ProjectAnalysis; view: AnalysedView } | undefined> {
  await projects.latest(state);
  const analysis = state.analysis;
  const analysed = analysis?.model.files.get(path);
  const text = open.get(path)?.text;
  if (!analysis || !analysed || text === undefined || text === analysed.text) return undefined;
  if (lastView?.analysed !== analysed || lastView.text !== text) lastView = new AnalysedView(analysed, text);
  return { analysis, view: lastView };
}

let lastView: AnalysedView | undefined;

/** The documentation of the word under a hover, in the text the editor has now. */
async function wordNow(state: ProjectState, path: string, position: { line: number; character: number }) {
  const now = await nginxFileNow(state, path);
  if (now) {
    const word = hoverAt(now.analysis, now.analysis.catalog, now.file, now.file.lines.offsetAt(position));
    return word && { markdown: word.markdown, range: now.file.lines.range(word.start, word.end) };
  }
  const tunnel = (await projects.ensure(state)).tunnel?.tunnel;
  const word = tunnel && tunnelHoverAt(tunnel, tunnel.file.lines.offsetAt(position));
  return word && { markdown: word.markdown, range: tunnel.file.lines.range(word.start, word.end) };
}

connection.onHover(async (params) => {
  const path = uriToPath(params.textDocument.uri);
  const doc = documents.get(params.textDocument.uri);
  if (!path || !doc) return null;
  // the state is taken before any pause: a close meanwhile must not bring a forgotten state back
  const state = projects.stateFor(path);
  // The findings first, the gravest first: they are what a user hovers a squiggle for (when the
  // diagnostics thread's analysis read this text: asking it otherwise would wait for its analysis).
  const parts = diagnostics.isCurrent(path, openVersion) ? await diagnostics.request({ method: 'findingsHover', path, position: params.position }, []) : [];
  const through = await analysedView(state, path);
  const read = through && (hoverThroughView(through.view, through.analysis, through.analysis.catalog, params.position) ?? hoverWhereTyped(through.view, through.analysis, through.analysis.catalog, params.position));
  const word = read ? ('markdown' in read ? read : read.word) : await wordNow(state, path, params.position);
  if (word) parts.push(word.markdown);
  if (parts.length === 0) return null;
  return { contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n---\n\n') }, range: word?.range };
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
  const through = await analysedView(state, path);
  const answered = through && (completionsThroughView(through.view, through.analysis, through.analysis.catalog, params.position) ?? completionsWhereTyped(through.view, through.analysis, through.analysis.catalog, params.position));
  if (answered) return completionList(answered.entries, answered.range);
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
  return completionList(completionsAt(analysis, analysis.catalog, file, offset), (start, end) => file.lines.range(start, end));
});

function completionList(entries: CompletionEntry[], range: (start: number, end: number) => Range): CompletionItem[] | CompletionList {
  // A client that resolves documentation (VS Code) gets it when it shows an entry (completionItem/resolve):
  // every directive of a context with its reference page would be half a megabyte at each keystroke.
  // A client that does not say so gets it with the list.
  const lazy = resolvesDocumentation();
  if (lazy) lastCompletion = { id: ++completionLists, entries };
  return completionResponse(entries, range, lazy);
}

/**
 * The items of a completion list. A client that takes item defaults (LSP 3.17; VS Code does) is told the
 * range the entries replace once for the list, not in each of its hundreds of items (half the bytes).
 */
function completionResponse(entries: readonly CompletionEntry[], range: (start: number, end: number) => Range, lazy: boolean): CompletionItem[] | CompletionList {
  const defaults = new Set(clientCapabilities?.textDocument?.completion?.completionList?.itemDefaults ?? []);
  const first = entries[0];
  const shared = defaults.has('editRange') && first ? { start: first.start, end: first.end } : undefined;
  const plainByDefault = shared !== undefined && defaults.has('insertTextFormat');
  // A client that resolves them gets the details (syntax lines) with the documentation, for the entry it
  // shows; one that takes a default `data` is told the list once, and finds an entry again by its label.
  const lazyDetail = lazy && resolvesProperty('detail');
  const dataByDefault = lazy && shared !== undefined && defaults.has('data');
  const labels = new Map<string, number>();
  for (const entry of entries) labels.set(entry.label, (labels.get(entry.label) ?? 0) + 1);
  const items = entries.map((entry, index): CompletionItem => {
    const item: CompletionItem = { label: entry.label, kind: COMPLETION_KIND[entry.kind] };
    if (!lazyDetail && entry.detail !== undefined) item.detail = entry.detail;
    const documentation = lazy ? undefined : documentationOf(entry);
    if (documentation) item.documentation = { kind: MarkupKind.Markdown, value: documentation };
    if (entry.kind === 'snippet') item.insertTextFormat = InsertTextFormat.Snippet;
    else if (!plainByDefault) item.insertTextFormat = InsertTextFormat.PlainText;
    const newText = entry.insertText ?? entry.label;
    if (shared && entry.start === shared.start && entry.end === shared.end) {
      if (newText !== entry.label) item.textEditText = newText;
    } else {
      item.textEdit = { range: range(entry.start, entry.end), newText };
    }
    const resolvable = lazy && (entry.documentation !== undefined || (lazyDetail && entry.detail !== undefined));
    if (resolvable && !(dataByDefault && labels.get(entry.label) === 1)) item.data = { completion: completionLists, index } satisfies CompletionData;
    return item;
  });
  if (!shared) return items;
  return {
    isIncomplete: false,
    itemDefaults: {
      editRange: range(shared.start, shared.end),
      ...(plainByDefault ? { insertTextFormat: InsertTextFormat.PlainText } : {}),
      ...(dataByDefault ? { data: { completion: completionLists } satisfies CompletionData } : {}),
    },
    items,
  };
}

function resolvesDocumentation(): boolean {
  return resolvesProperty('documentation');
}

function resolvesProperty(property: string): boolean {
  return clientCapabilities?.textDocument?.completion?.completionItem?.resolveSupport?.properties.includes(property) === true;
}

interface CompletionData {
  completion: number;
  /** The entry's index in its list; without it, the entry is the list's only one with the item's label. */
  index?: number;
}

/** The entries of the last completion list, for their documentation. */
let lastCompletion: { id: number; entries: readonly CompletionEntry[] } | undefined;
let completionLists = 0;

connection.onCompletionResolve((item) => {
  const data = item.data as Partial<CompletionData> | undefined;
  const entries = data?.completion === lastCompletion?.id ? lastCompletion?.entries : undefined;
  const entry = data?.index !== undefined ? entries?.[data.index] : entries?.find((e) => e.label === item.label);
  if (!entry || entry.label !== item.label) return item;
  const documentation = documentationOf(entry);
  return {
    ...item,
    ...(item.detail === undefined && entry.detail !== undefined ? { detail: entry.detail } : {}),
    ...(documentation ? { documentation: { kind: MarkupKind.Markdown, value: documentation } } : {}),
  };
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
    const { edits } = await diagnostics.request({ method: 'fixAll', scope: 'file', path, rule: String(args[1]) }, NO_FIXES);
    if (edits.length > 0) await connection.workspace.applyEdit({ label: `kasmlint: fix all ${String(args[1])} problems`, edit: toWorkspaceEdit(edits, versionOf, supportsDocumentChanges) });
  }
});

/**
 * Applies the safe fixes (unsafe ones too with kasmlint.fixAll.unsafe) of every configuration in the workspace folders as one edit, through the
 * editor (so that it can be undone); files not open come back as unsaved editors.
 */
connection.onRequest('kasmlint/fixAllWorkspace', async () => {
  const { edits, applied } = await diagnostics.request({ method: 'fixAll', scope: 'workspace' }, NO_FIXES);
  if (edits.length === 0) return { applied: 0, files: 0 };
  const result = await connection.workspace.applyEdit({ label: 'kasmlint: fix all problems in workspace', edit: toWorkspaceEdit(edits, versionOf, supportsDocumentChanges) });
  return result.applied ? { applied, files: new Set(edits.map((e) => e.file)).size } : { applied: 0, files: 0, failure: result.failureReason };
});

/** What the server holds, for diagnosing it in the field and for the soak test (memory after a GC when --expose-gc). */
connection.onRequest('kasmlint/status', async () => {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const thread = await diagnostics.request({ method: 'memory' }, { heapUsedBytes: 0 });
  const memory = process.memoryUsage();
  // the heaps of both threads (each isolate has its own); RSS is the process's
  return { documents: open.size, analyses: projects.all().length, heapUsedBytes: memory.heapUsed + thread.heapUsedBytes, rssBytes: memory.rss, garbageCollected: gc !== undefined };
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

// after shutdown the client sends only exit (which ends the process): no analysis is wanted any more
connection.onShutdown(() => diagnostics.stop());

documents.listen(connection);
connection.listen();
