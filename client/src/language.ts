// NGINX files VS Code opens as something else: a `.conf` file is "Properties" to VS Code unless a
// pattern of ours claims it (nginx/, conf.d/, services.d/, ...), so Kasm's top-level files
// (compress.conf, logging.conf) in a folder not named nginx open as Properties. A `.conf` file whose
// folder (or a parent folder, within the workspace) holds orchestrator.conf or nginx.conf, or whose
// first directive looks like NGINX, is switched to NGINX once; if the user switches it back, it stays.

import * as vscode from 'vscode';
import { firstDirectiveLine, NGINX_FIRST_LINE } from './first-line';

const GUESSES = new Set(['properties', 'plaintext', 'ini']);
const ROOT_FILES = ['orchestrator.conf', 'nginx.conf'];
const switched = new Set<string>();

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** Whether the document's folder, or one above it inside its workspace folder, holds orchestrator.conf or nginx.conf. */
async function inNginxTree(uri: vscode.Uri): Promise<boolean> {
  const workspace = vscode.workspace.getWorkspaceFolder(uri)?.uri.path;
  for (let dir = vscode.Uri.joinPath(uri, '..'); ; dir = vscode.Uri.joinPath(dir, '..')) {
    for (const name of ROOT_FILES) if (await exists(vscode.Uri.joinPath(dir, name))) return true;
    if (!workspace || dir.path === workspace || !dir.path.startsWith(`${workspace}/`)) return false;
  }
}

async function check(doc: vscode.TextDocument): Promise<void> {
  const key = doc.uri.toString();
  if (doc.uri.scheme !== 'file' || !GUESSES.has(doc.languageId) || !/\.conf$/i.test(doc.uri.path) || switched.has(key)) return;
  const lines = Array.from({ length: Math.min(doc.lineCount, 50) }, (_, i) => doc.lineAt(i).text);
  const first = firstDirectiveLine(lines);
  if ((first !== undefined && NGINX_FIRST_LINE.test(first)) || (await inNginxTree(doc.uri))) {
    switched.add(key);
    await vscode.languages.setTextDocumentLanguage(doc, 'nginx');
  }
}

/** Switches the NGINX documents already open, and those opened later. */
export function detectNginxDocuments(): vscode.Disposable[] {
  for (const doc of vscode.workspace.textDocuments) void check(doc);
  return [vscode.workspace.onDidOpenTextDocument((doc) => void check(doc))];
}
