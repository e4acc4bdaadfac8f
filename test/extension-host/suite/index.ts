// Runs inside VS Code's extension host (see ../run.ts): the extension's features through the vscode API,
// on the example Kasm tree opened as the workspace. Polls for results, never sleeps a fixed time.

import assert from 'node:assert/strict';
import * as vscode from 'vscode';

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function file(path: string): vscode.Uri {
  return vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, path);
}

const checks: Array<[string, () => Promise<void>]> = [
  [
    'diagnostics appear for a services.d file, in server context',
    async () => {
      const doc = await vscode.workspace.openTextDocument(file('services.d/api.conf'));
      await vscode.window.showTextDocument(doc);
      assert.equal(doc.languageId, 'nginx');
      const diagnostics = await until('diagnostics', () => {
        const d = vscode.languages.getDiagnostics(doc.uri);
        return d.some((x) => x.code && JSON.stringify(x.code).includes('nginx/invalid-context')) ? d : undefined;
      });
      assert.ok(diagnostics.some((d) => d.message.includes('proxy_set_heder')));
    },
  ],
  [
    'hover shows the directive reference',
    async () => {
      const doc = await vscode.workspace.openTextDocument(file('services.d/api.conf'));
      const line = doc.getText().split('\n').findIndex((l) => l.includes('proxy_http_version'));
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(line, 6));
      const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      assert.match(text, /proxy_http_version/);
      assert.match(text, /ngx_http_proxy_module/);
    },
  ],
  [
    'the preferred quick fix changes the file',
    async () => {
      const doc = await vscode.workspace.openTextDocument(file('services.d/api.conf'));
      const diagnostic = vscode.languages.getDiagnostics(doc.uri).find((d) => d.message.includes('proxy_set_heder'))!;
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, diagnostic.range);
      const preferred = actions.find((a) => a.isPreferred)!;
      assert.equal(preferred.title, 'Change to "proxy_set_header"');
      assert.ok(await vscode.workspace.applyEdit(preferred.edit!));
      assert.match(doc.getText(), /proxy_set_header X-Real-IP/);
    },
  ],
  [
    'snippets and completion are offered',
    async () => {
      const doc = await vscode.workspace.openTextDocument(file('services.d/agent.conf'));
      const items = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(1, 4));
      const labels = items.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
      assert.ok(labels.includes('proxy_set_header'));
      assert.ok(items.items.some((i) => i.kind === vscode.CompletionItemKind.Snippet));
    },
  ],
  [
    'the effective configuration command opens a view',
    async () => {
      const doc = await vscode.workspace.openTextDocument(file('services.d/agent.conf'));
      const editor = await vscode.window.showTextDocument(doc);
      editor.selection = new vscode.Selection(2, 4, 2, 4);
      await vscode.commands.executeCommand('kasmlint.showEffectiveConfiguration');
      const view = await until('the effective configuration view', () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'kasmlint-effective'));
      assert.match(view.getText(), /# Effective configuration of location \/agent\//);
    },
  ],
];

export async function run(): Promise<void> {
  const failures: string[] = [];
  for (const [name, check] of checks) {
    try {
      await check();
      console.log(`ok - ${name}`);
    } catch (error) {
      console.log(`not ok - ${name}: ${(error as Error).message}`);
      failures.push(name);
    }
  }
  if (failures.length > 0) throw new Error(`${failures.length} of ${checks.length} checks failed`);
}
