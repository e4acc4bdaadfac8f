// Translations between the engine's plain results and LSP types.

import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  type Diagnostic,
  DiagnosticSeverity,
  DiagnosticTag,
  type OptionalVersionedTextDocumentIdentifier,
  type TextEdit as LspTextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-types';
import type { Finding, Severity, TextEdit } from '../engine/findings';
import { ruleDocPath } from '../rules/docs';

export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** URIs made before: every diagnostic with related information names a file (thousands per publish). */
const uris = new Map<string, string>();
const MAX_KEPT_URIS = 10_000;

export function pathToUri(path: string): string {
  let uri = uris.get(path);
  if (uri === undefined) {
    if (uris.size >= MAX_KEPT_URIS) uris.clear();
    uris.set(path, (uri = pathToFileURL(path).href));
  }
  return uri;
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

const docsUris = new Map<string, string>();

/** The rule's documentation page shipped with the server (docs/rules beside dist/). */
export function ruleDocsUri(rule: string): string {
  let docs = docsUris.get(rule);
  if (docs === undefined) docsUris.set(rule, (docs = pathToUri(join(__dirname, '..', 'docs', 'rules', ruleDocPath(rule)))));
  return docs;
}

export function toDiagnostic(finding: Finding, relatedSupported: boolean): Diagnostic {
  const diagnostic: Diagnostic = {
    range: finding.range,
    severity: SEVERITY[finding.severity],
    code: finding.rule,
    codeDescription: { href: ruleDocsUri(finding.rule) },
    source: 'kasmlint',
    message: finding.message,
  };
  if (relatedSupported && finding.related.length > 0) {
    diagnostic.relatedInformation = finding.related.map((r) => ({ location: { uri: pathToUri(r.file), range: r.range }, message: r.message }));
  }
  if (finding.rule === 'kasmlint/suppression' && /nothing is reported here/.test(finding.message)) diagnostic.tags = [DiagnosticTag.Unnecessary];
  return diagnostic;
}

export function toWorkspaceEdit(
  edits: readonly TextEdit[],
  versionOf: (path: string) => number | null,
  documentChanges: boolean,
): WorkspaceEdit {
  const byFile = new Map<string, LspTextEdit[]>();
  for (const e of edits) {
    const list = byFile.get(e.file) ?? [];
    if (!list.some((x) => JSON.stringify(x.range) === JSON.stringify(e.range) && x.newText === e.newText)) list.push({ range: e.range, newText: e.newText });
    byFile.set(e.file, list);
  }
  if (documentChanges) {
    return {
      documentChanges: [...byFile].map(([file, list]) => ({
        textDocument: { uri: pathToUri(file), version: versionOf(file) } as OptionalVersionedTextDocumentIdentifier,
        edits: list,
      })),
    };
  }
  return { changes: Object.fromEntries([...byFile].map(([file, list]) => [pathToUri(file), list])) };
}
