// The hardening checklist in the Explorer: a row per step of Kasm's guide (done, partly, not done), its
// open findings under it, a button that applies the step's fix as one workspace edit, and the number of
// open steps in the status bar. The server computes everything (kasmlint/checklist), again when files are
// saved or changed on disk, when the settings change and when the view is shown.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

type StepState = 'done' | 'partly' | 'not-done' | 'not-applicable' | 'unknown';

interface OpenItem {
  rule: string;
  severity: string;
  message: string;
  uri: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

interface Step {
  id: string;
  title: string;
  guide: string;
  state: StepState;
  summary: string;
  where: OpenItem[];
  fix?: { title: string; applicability: 'safe' | 'unsafe'; fixes: string[] };
  manual?: string;
}

interface Checklist {
  steps: Step[];
  open: number;
  kasmTrees: string[];
  tunnels: string[];
}

type Node = { kind: 'step'; step: Step } | { kind: 'item'; item: OpenItem } | { kind: 'note'; label: string; tooltip: string };

const ICON: Record<StepState, vscode.ThemeIcon> = {
  done: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  partly: new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')),
  'not-done': new vscode.ThemeIcon('circle-large-outline', new vscode.ThemeColor('problemsErrorIcon.foreground')),
  'not-applicable': new vscode.ThemeIcon('circle-slash'),
  unknown: new vscode.ThemeIcon('question'),
};

const STATE_WORDS: Record<StepState, string> = { done: 'done', partly: 'partly done', 'not-done': 'not done', 'not-applicable': 'not applicable', unknown: 'unknown' };

class ChecklistTree implements vscode.TreeDataProvider<Node> {
  checklist: Checklist | undefined;
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  set(checklist: Checklist | undefined): void {
    this.checklist = checklist;
    this.changed.fire(undefined);
  }

  getChildren(node?: Node): Node[] {
    if (!node) return (this.checklist?.steps ?? []).map((step) => ({ kind: 'step', step }));
    if (node.kind !== 'step') return [];
    const { step } = node;
    const notes: Node[] = [];
    if (step.state === 'partly' || step.state === 'not-done') {
      notes.push({ kind: 'note', label: `Guide: ${step.guide}`, tooltip: step.guide });
      if (step.fix) notes.push({ kind: 'note', label: `Fix: ${step.fix.title}`, tooltip: step.fix.fixes.join('\n') });
      if (step.manual) notes.push({ kind: 'note', label: `By hand: ${step.manual}`, tooltip: step.manual });
    }
    return [...notes, ...step.where.map((item): Node => ({ kind: 'item', item }))];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'step') {
      const { step } = node;
      const open = step.state === 'partly' || step.state === 'not-done';
      const item = new vscode.TreeItem(step.title, open ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
      item.id = `step:${step.id}`;
      item.description = step.summary;
      item.iconPath = ICON[step.state];
      item.tooltip = new vscode.MarkdownString(`**${step.title}**: ${STATE_WORDS[step.state]}\n\n${step.guide}\n\n${step.summary}`);
      item.contextValue = open && step.fix ? 'kasmlintStepFixable' : 'kasmlintStep';
      item.accessibilityInformation = { label: `${step.title}: ${STATE_WORDS[step.state]}, ${step.summary}` };
      return item;
    }
    if (node.kind === 'note') {
      const item = new vscode.TreeItem(node.label);
      item.tooltip = node.tooltip;
      return item;
    }
    const { item: open } = node;
    const uri = vscode.Uri.parse(open.uri);
    const item = new vscode.TreeItem(`${vscode.workspace.asRelativePath(uri)}:${open.range.start.line + 1}`);
    item.description = `${open.rule}: ${open.message}`;
    item.tooltip = open.message;
    item.iconPath = new vscode.ThemeIcon('location');
    const range = new vscode.Range(open.range.start.line, open.range.start.character, open.range.end.line, open.range.end.character);
    item.command = { command: 'vscode.open', title: 'Open', arguments: [uri, { selection: range }] };
    return item;
  }
}

export function registerChecklist(context: vscode.ExtensionContext, client: () => LanguageClient | undefined): void {
  const tree = new ChecklistTree();
  const view = vscode.window.createTreeView('kasmlint.checklist', { treeDataProvider: tree, showCollapseAll: true });
  const status = vscode.window.createStatusBarItem('kasmlint.checklist', vscode.StatusBarAlignment.Left, 10);
  status.name = 'Kasm hardening checklist';
  status.command = 'kasmlint.checklist.focus';

  let timer: NodeJS.Timeout | undefined;
  const refresh = async () => {
    const c = client();
    if (!c?.isRunning()) return;
    const checklist = await c.sendRequest<Checklist>('kasmlint/checklist', {});
    const relevant = checklist.kasmTrees.length > 0 || checklist.tunnels.length > 0;
    tree.set(relevant ? checklist : undefined);
    void vscode.commands.executeCommand('setContext', 'kasmlint.hasKasmTree', relevant);
    const applying = checklist.steps.filter((s) => s.state !== 'not-applicable').length;
    view.message = relevant ? `${checklist.open === 0 ? 'Every step that applies is done' : `${checklist.open} of ${applying} steps open`}: Kasm's hardening guide` : 'No Kasm tree in this workspace.';
    view.badge = relevant && checklist.open > 0 ? { value: checklist.open, tooltip: `${checklist.open} open steps of Kasm's hardening guide` } : undefined;
    if (relevant) {
      status.text = checklist.open === 0 ? '$(shield) Kasm hardened' : `$(shield) ${checklist.open} open`;
      status.tooltip = `Kasm hardening checklist: ${checklist.open} of ${applying} steps open`;
      status.show();
    } else status.hide();
  };
  const soon = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void refresh().catch(() => undefined), 400);
  };

  // The checklist follows the files as saved (and the settings), not every keystroke: it lints the workspace.
  const watcher = vscode.workspace.createFileSystemWatcher('**/{*.conf,*.yml,*.yaml,.kasmlintrc.json}');
  context.subscriptions.push(
    view,
    status,
    watcher,
    { dispose: () => timer && clearTimeout(timer) },
    watcher.onDidChange(soon),
    watcher.onDidCreate(soon),
    watcher.onDidDelete(soon),
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('kasmlint') && soon()),
    view.onDidChangeVisibility((e) => e.visible && soon()),
    vscode.commands.registerCommand('kasmlint.checklist.refresh', () => refresh()),
    vscode.commands.registerCommand('kasmlint.checklist.fix', async (node?: Node) => {
      const c = client();
      if (!c || node?.kind !== 'step') return;
      const result = await c.sendRequest<{ applied: number; files: number; failure?: string }>('kasmlint/checklistFix', { step: node.step.id });
      if (result.failure) void vscode.window.showErrorMessage(`kasmlint: the fix of "${node.step.title}" could not be applied: ${result.failure}`);
      else if (result.applied === 0) void vscode.window.showInformationMessage(`kasmlint: nothing to fix automatically for "${node.step.title}".`);
      else {
        const then = node.step.manual ? ` Then ${node.step.manual.replace(/^then:?\s*/, '')}.` : '';
        void vscode.window.showInformationMessage(`kasmlint: "${node.step.title}": applied ${result.applied} fix${result.applied === 1 ? '' : 'es'} in ${result.files} file${result.files === 1 ? '' : 's'}; review and save them.${then}`);
      }
      soon();
    }),
  );
  soon();
}
