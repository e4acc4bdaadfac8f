// The VS Code extension: starts the language server (dist/server.js) over IPC and adds the commands.
// Everything about configurations is the server's job.

import * as vscode from 'vscode';
import { LanguageClient, type LanguageClientOptions, ResponseError, type ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { registerChecklist } from './checklist';
import { registerValidation } from './validate';
import { SERVER_NODE_ARGS } from './server-launch';
import { detectNginxDocuments } from './language';
import { type KasmZoneSettings, showKasmZoneSettings } from './kasm-zone';

let client: LanguageClient | undefined;

const EFFECTIVE_SCHEME = 'kasmlint-effective';

/** A rule's page shipped with the extension (docs/rules/<family>/<name>.md). */
function isRuleDocumentation(context: vscode.ExtensionContext, uri: string): boolean {
  const docs = vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules').toString();
  return uri.startsWith(`${docs}/`) && uri.endsWith('.md');
}

function createClient(context: vscode.ExtensionContext, outputChannel: vscode.OutputChannel): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_ARGS] } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_ARGS, '--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'nginx' },
      // Every YAML file goes to the server, which analyses only cloudflared configs (by folder, or by their tunnel: and ingress: keys).
      { scheme: 'file', language: 'yaml' },
    ],
    synchronize: {
      fileEvents: vscode.workspace.createFileSystemWatcher('**/{*.conf,nginx.conf,*_params,mime.types,.kasmlintrc.json,*.yml,*.yaml}'),
    },
    // one channel for the life of the extension, restarts included
    outputChannel,
    middleware: {
      window: {
        // "Show documentation for <rule>": the page rendered and read-only, not an editable file of the extension.
        showDocument: async (params, next) => {
          if (!isRuleDocumentation(context, params.uri)) {
            const result = await next(params, new vscode.CancellationTokenSource().token);
            return result instanceof ResponseError ? { success: false } : result;
          }
          await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.parse(params.uri));
          return { success: true };
        },
      },
    },
  };
  return new LanguageClient('kasmlint', 'kasmlint', serverOptions, clientOptions);
}

class EffectiveConfigurationProvider implements vscode.TextDocumentContentProvider {
  readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  set(uri: vscode.Uri, text: string): void {
    this.texts.set(uri.toString(), text);
    this.changed.fire(uri);
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const outputChannel = vscode.window.createOutputChannel('kasmlint');
  context.subscriptions.push(outputChannel, ...detectNginxDocuments());
  client = createClient(context, outputChannel);
  await client.start();

  const effective = new EffectiveConfigurationProvider();
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(EFFECTIVE_SCHEME, effective),

    vscode.commands.registerCommand('kasmlint.restartServer', async () => {
      if (!client) return;
      await client.restart();
      void vscode.window.showInformationMessage('kasmlint: the language server restarted.');
    }),

    vscode.commands.registerCommand('kasmlint.showKasmZoneSettings', (settings: KasmZoneSettings) => showKasmZoneSettings(settings)),

    vscode.commands.registerCommand('kasmlint.fixAllWorkspace', async () => {
      if (!client) return;
      const result = await client.sendRequest<{ applied: number; files: number; failure?: string }>('kasmlint/fixAllWorkspace', {});
      if (result.failure) void vscode.window.showErrorMessage(`kasmlint: the fixes could not be applied: ${result.failure}`);
      else if (result.applied === 0) void vscode.window.showInformationMessage('kasmlint: nothing to fix automatically in this workspace.');
      else void vscode.window.showInformationMessage(`kasmlint: applied ${result.applied} fix${result.applied === 1 ? '' : 'es'} in ${result.files} file${result.files === 1 ? '' : 's'}; review and save them.`);
    }),

    vscode.commands.registerCommand('kasmlint.showEffectiveConfiguration', async () => {
      const editor = vscode.window.activeTextEditor;
      if (!client || !editor || editor.document.languageId !== 'nginx') {
        void vscode.window.showInformationMessage('kasmlint: place the cursor in a block of an NGINX file.');
        return;
      }
      const { text } = await client.sendRequest<{ text: string }>('kasmlint/effectiveConfiguration', {
        textDocument: { uri: editor.document.uri.toString() },
        position: editor.selection.active,
      });
      const name = editor.document.uri.path.split('/').pop() ?? 'config';
      const uri = vscode.Uri.from({ scheme: EFFECTIVE_SCHEME, path: `/${name} (effective at line ${editor.selection.active.line + 1})` });
      effective.set(uri, text);
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.languages.setTextDocumentLanguage(doc, 'nginx');
      await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
    }),
  );
  registerChecklist(context, () => client);
  registerValidation(context, () => client, outputChannel);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
