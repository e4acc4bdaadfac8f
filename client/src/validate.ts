// "Validate with nginx" and "Restart kasm_proxy": the server runs the real nginx -t (in the container, or
// locally on a prepared copy) with the programs of the user's own settings, never in an untrusted
// workspace; its messages become diagnostics (source "nginx -t") beside kasmlint's, and everything
// it did goes to kasmlint's one output channel. A restart follows only a clean validation inside the container,
// and only after the user confirms. A task provider ("kasmlint: validate") runs the CLI with a problem
// matcher, for tasks.json and the Run Task menu.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

interface Message {
  severity: 'error' | 'warning' | 'information' | 'hint';
  message: string;
  uri?: string;
  range?: { start: { line: number; character: number }; end: { line: number; character: number } };
}

interface Validation {
  mode: 'container' | 'local' | 'unavailable';
  ok: boolean;
  messages: Message[];
  notes: string[];
  command: string;
  output: string;
  dir: string;
  kasm: boolean;
}

const SEVERITY: Record<Message['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

/**
 * The nginx and docker programs: from the user's own settings only (machine-scoped: a workspace cannot
 * set them), so that opening a repository never decides what runs.
 */
export function programs(): { nginx?: string; docker?: string } {
  const config = vscode.workspace.getConfiguration('kasmlint');
  const own = (key: string) => {
    const inspected = config.inspect<string>(key);
    const value = inspected?.globalValue ?? inspected?.defaultValue;
    return value ? value : undefined;
  };
  return { nginx: own('nginxPath'), docker: own('dockerPath') };
}

export function registerValidation(context: vscode.ExtensionContext, client: () => LanguageClient | undefined, output: vscode.OutputChannel): void {
  const diagnostics = vscode.languages.createDiagnosticCollection('nginx -t');

  const target = () => {
    const uri = vscode.window.activeTextEditor?.document.uri;
    return uri?.scheme === 'file' ? uri.toString() : undefined;
  };

  const run = async (): Promise<Validation | undefined> => {
    const c = client();
    if (!c) return undefined;
    const dirty = vscode.workspace.textDocuments.filter((d) => d.isDirty && d.languageId === 'nginx');
    output.appendLine(`[${new Date().toLocaleTimeString()}] kasmlint: validating with nginx -t...`);
    const result = await c.sendRequest<Validation | { failure: string }>('kasmlint/validate', { uri: target(), ...programs() });
    if ('failure' in result) {
      output.appendLine(`  ${result.failure}`);
      output.show(true);
      void vscode.window.showErrorMessage(`kasmlint: ${result.failure}`);
      return undefined;
    }
    diagnostics.clear();
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const m of result.messages) {
      const r = m.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
      const uri = m.uri ?? vscode.Uri.file(`${result.dir}/${result.kasm ? 'orchestrator.conf' : 'nginx.conf'}`).toString();
      const diagnostic = new vscode.Diagnostic(new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character), m.message, SEVERITY[m.severity]);
      diagnostic.source = 'nginx -t';
      byFile.set(uri, [...(byFile.get(uri) ?? []), diagnostic]);
    }
    for (const [uri, list] of byFile) diagnostics.set(vscode.Uri.parse(uri), list);
    if (result.command) output.appendLine(`  ran: ${result.command}`);
    for (const note of result.notes) output.appendLine(`  note: ${note}`);
    if (result.mode === 'container' && dirty.length > 0) output.appendLine(`  note: ${dirty.length} unsaved file${dirty.length === 1 ? '' : 's'}: the container reads the files as saved`);
    if (result.output.trim()) output.appendLine(result.output.replace(/^/gm, '  | ').trimEnd());
    const verdict = result.mode === 'unavailable' ? 'nginx -t could not run' : result.ok ? 'nginx -t accepts the configuration' : 'nginx -t rejects the configuration';
    output.appendLine(`  ${verdict}${result.mode === 'container' ? ' (inside kasm_proxy)' : result.mode === 'local' ? ' (local nginx)' : ''}.`);
    output.show(true);
    return result;
  };

  context.subscriptions.push(
    diagnostics,
    // A message about an old text no longer holds once the file changes.
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length > 0) diagnostics.delete(e.document.uri);
    }),

    vscode.commands.registerCommand('kasmlint.validate', async () => {
      if (!vscode.workspace.isTrusted) return;
      const result = await run();
      if (!result) return;
      if (result.mode === 'unavailable') void vscode.window.showErrorMessage('kasmlint: no nginx to run: set "kasmlint.nginxPath" in your user settings.');
      else if (result.ok) void vscode.window.showInformationMessage(`kasmlint: nginx -t accepts the configuration${result.mode === 'container' ? ' inside kasm_proxy' : ' (local nginx, see the output for what stood in for the container)'}.`);
      else void vscode.window.showWarningMessage('kasmlint: nginx -t rejects the configuration: see the Problems panel.');
    }),

    vscode.commands.registerCommand('kasmlint.restartProxy', async () => {
      if (!vscode.workspace.isTrusted) return;
      const result = await run();
      if (!result) return;
      if (result.mode !== 'container') {
        void vscode.window.showWarningMessage('kasmlint: kasm_proxy is not running this tree here (see the output): there is nothing to restart.');
        return;
      }
      if (!result.ok) {
        void vscode.window.showErrorMessage('kasmlint: nginx -t rejects the configuration inside kasm_proxy: fix it before restarting (see the Problems panel).');
        return;
      }
      const restart = 'Restart kasm_proxy';
      const answer = await vscode.window.showWarningMessage('nginx -t accepts the configuration inside kasm_proxy. Restart kasm_proxy now? Connections through the proxy drop while it restarts.', { modal: true }, restart);
      if (answer !== restart) return;
      const c = client();
      if (!c) return;
      const done = await c.sendRequest<{ ok: boolean; output: string; command: string }>('kasmlint/restartProxy', { uri: target(), ...programs() });
      output.appendLine(`  ${done.command ?? 'docker restart kasm_proxy'}: ${done.output}`);
      output.show(true);
      if (done.ok) void vscode.window.showInformationMessage('kasmlint: kasm_proxy restarted.');
      else void vscode.window.showErrorMessage(`kasmlint: kasm_proxy was not restarted: ${done.output}`);
    }),

    vscode.tasks.registerTaskProvider('kasmlint', {
      provideTasks: () => (vscode.workspace.isTrusted ? (vscode.workspace.workspaceFolders ?? []).map((folder) => validateTask(context, folder, { type: 'kasmlint', command: 'validate' })) : []),
      resolveTask: (task) => {
        const folder = task.scope && typeof task.scope === 'object' ? (task.scope as vscode.WorkspaceFolder) : vscode.workspace.workspaceFolders?.[0];
        return folder && task.definition.command === 'validate' ? validateTask(context, folder, task.definition as ValidateTaskDefinition) : undefined;
      },
    }),
  );
}

interface ValidateTaskDefinition extends vscode.TaskDefinition {
  command: 'validate';
  /** The configuration, relative to the workspace folder (default: the folder). */
  path?: string;
}

function validateTask(context: vscode.ExtensionContext, folder: vscode.WorkspaceFolder, definition: ValidateTaskDefinition): vscode.Task {
  const { nginx, docker } = programs();
  const args = [context.asAbsolutePath('dist/kasmlint.js'), 'validate', ...(nginx ? ['--nginx', nginx] : []), ...(docker ? ['--docker', docker] : []), definition.path ?? '.'];
  const execution = new vscode.ProcessExecution(process.execPath, args, { cwd: folder.uri.fsPath, env: { ELECTRON_RUN_AS_NODE: '1' } });
  const task = new vscode.Task(definition, folder, 'validate', 'kasmlint', execution, '$kasmlint-nginx');
  task.group = vscode.TaskGroup.Test;
  task.detail = 'nginx -t on the Kasm tree (inside kasm_proxy when it runs it)';
  return task;
}
