// The language server's editing requests: Format Document / Format Selection, Find All References,
// Rename (with prepareRename), and document links. Each handler translates between LSP and the
// engine (../format, ../editing); formatting is registered for NGINX documents only, so that the
// server never offers itself as a formatter of the YAML files it also reads.

import {
  type ClientCapabilities,
  type Connection,
  DocumentFormattingRequest,
  DocumentRangeFormattingRequest,
  type FormattingOptions,
  LSPErrorCodes,
  MessageType,
  ResponseError,
  ShowMessageNotification,
  type ServerCapabilities,
  type TextDocuments,
  type TextEdit as LspTextEdit,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { replacementEdit } from '../engine/fix';
import type { ProjectAnalysis } from '../engine/analyze';
import { documentLinks } from '../editing/links';
import { canRename, referencesAt, renameAt } from '../editing/references';
import { editorConfigFor, formatOptions } from '../format/editorconfig';
import { formatNginx, formatNginxRange, type FormatOptions } from '../format/format';
import type { FileHost } from '../workspace/host';
import { pathToUri, toWorkspaceEdit, uriToPath } from './convert';
import type { Projects } from './projects';

export interface EditingDeps {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  projects: Projects;
  host: FileHost;
  versionOf: (path: string) => number | null;
  supportsDocumentChanges: () => boolean;
}

const NGINX_SELECTOR = [{ language: 'nginx' }];

/** Formatting is registered dynamically for NGINX documents when the client can; otherwise for all. */
export function editingCapabilities(client: ClientCapabilities): Partial<ServerCapabilities> {
  const dynamic = dynamicFormatting(client);
  return {
    documentFormattingProvider: !dynamic,
    documentRangeFormattingProvider: !dynamic,
    referencesProvider: true,
    renameProvider: client.textDocument?.rename?.prepareSupport ? { prepareProvider: true } : true,
    documentLinkProvider: { resolveProvider: false },
  };
}

function dynamicFormatting(client: ClientCapabilities): boolean {
  return client.textDocument?.formatting?.dynamicRegistration === true && client.textDocument?.rangeFormatting?.dynamicRegistration === true;
}

/** After `initialized`: the dynamic registrations. */
export function registerEditingCapabilities(connection: Connection, client: ClientCapabilities): void {
  if (!dynamicFormatting(client)) return;
  void connection.client.register(DocumentFormattingRequest.type, { documentSelector: NGINX_SELECTOR });
  void connection.client.register(DocumentRangeFormattingRequest.type, { documentSelector: NGINX_SELECTOR });
}

export function registerEditingHandlers(deps: EditingDeps): void {
  const { connection, documents, projects, host } = deps;

  /** The NGINX document of a request and its path; YAML documents are not formatted. */
  const nginxDocument = (uri: string): { doc: TextDocument; path: string } | undefined => {
    const doc = documents.get(uri);
    const path = uriToPath(uri);
    return doc && path && !/\.ya?ml$/i.test(path) ? { doc, path } : undefined;
  };

  // The document keeps its own line breaks: the editor (or its EditorConfig extension) owns them.
  const optionsFor = (path: string, editor: FormattingOptions): FormatOptions => ({ ...formatOptions(editorConfigFor(host, path), editor), eol: undefined });

  const refused = (reason: string): LspTextEdit[] => {
    // a notification: a request would need an answer that not every client gives
    void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: `kasmlint: ${reason}` });
    return [];
  };

  connection.onDocumentFormatting((params) => {
    const found = nginxDocument(params.textDocument.uri);
    if (!found) return null;
    const text = found.doc.getText();
    const result = formatNginx(found.path, text, optionsFor(found.path, params.options));
    if (!result.ok) return refused(result.reason);
    if (result.text === text) return [];
    const edit = replacementEdit(found.path, text, result.text);
    return [{ range: edit.range, newText: edit.newText }];
  });

  connection.onDocumentRangeFormatting((params) => {
    const found = nginxDocument(params.textDocument.uri);
    if (!found) return null;
    const text = found.doc.getText();
    const result = formatNginxRange(found.path, text, params.range, optionsFor(found.path, params.options));
    if (!result.ok) return refused(result.reason);
    if (text.slice(result.start, result.end) === result.newText) return [];
    return [{ range: { start: found.doc.positionAt(result.start), end: found.doc.positionAt(result.end) }, newText: result.newText }];
  });

  /** The analysis and file of a position's document, with the offset. */
  const at = async (uri: string, position: { line: number; character: number }): Promise<{ analysis: ProjectAnalysis; path: string; offset: number } | undefined> => {
    const path = uriToPath(uri);
    if (!path) return undefined;
    const analysis = (await projects.current(path)).analysis;
    const file = analysis?.model.files.get(path);
    return analysis && file ? { analysis, path, offset: file.lines.offsetAt(position) } : undefined;
  };
  const rangeIn = (analysis: ProjectAnalysis, file: string, start: number, end: number) => analysis.model.files.get(file)!.lines.range(start, end);

  connection.onReferences(async (params) => {
    const found = await at(params.textDocument.uri, params.position);
    if (!found) return [];
    return referencesAt(found.analysis, found.path, found.offset, params.context.includeDeclaration).map((o) => ({
      uri: pathToUri(o.file),
      range: rangeIn(found.analysis, o.file, o.start, o.end),
    }));
  });

  connection.onPrepareRename(async (params) => {
    const found = await at(params.textDocument.uri, params.position);
    const check = found && canRename(found.analysis, found.path, found.offset);
    if (!found || !check) return null;
    if (!check.ok) throw new ResponseError(LSPErrorCodes.RequestFailed, check.message);
    return { range: rangeIn(found.analysis, found.path, check.symbol.start, check.symbol.end), placeholder: check.symbol.name };
  });

  connection.onRenameRequest(async (params) => {
    const found = await at(params.textDocument.uri, params.position);
    if (!found) return null;
    const result = renameAt(found.analysis, found.path, found.offset, params.newName);
    if (!result.ok) throw new ResponseError(LSPErrorCodes.RequestFailed, result.message);
    const edits = result.edits.map((e) => ({ file: e.file, range: rangeIn(found.analysis, e.file, e.start, e.end), newText: e.newText }));
    return toWorkspaceEdit(edits, deps.versionOf, deps.supportsDocumentChanges());
  });

  connection.onDocumentLinks(async (params) => {
    const path = uriToPath(params.textDocument.uri);
    if (!path) return [];
    const analysis = (await projects.current(path)).analysis;
    const file = analysis?.model.files.get(path);
    if (!analysis || !file) return [];
    return documentLinks(analysis, file, host).map((l) => ({ range: file.lines.range(l.start, l.end), target: pathToUri(l.target), tooltip: l.tooltip }));
  });
}
