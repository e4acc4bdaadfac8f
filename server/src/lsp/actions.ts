// The quick-fix menu of the findings under the cursor, in ESLint's order, rule by rule: the fixes, "Fix
// all <rule> problems in this file", "Disable <rule> for this line", "... for the whole file", "Show
// documentation for <rule>". Every action carries its diagnostics: VS Code lists the actions that have
// some first, floats the preferred ones to the top, and otherwise keeps this order.

import { CodeAction, CodeActionKind, type Command, type Diagnostic, type WorkspaceEdit } from 'vscode-languageserver-types';
import type { Finding, Fix, TextEdit } from '../engine/findings';

export const COMMANDS = {
  /** Applies, through workspace/applyEdit, the bulk-applicable fixes of one rule in one file. */
  fixAllOfRule: 'kasmlint.fixAllOfRule',
  /** Shows the rule's documentation (window/showDocument; the VS Code client opens it rendered). */
  showDocumentation: 'kasmlint.showDocumentation',
  /** Puts the cursor at a position (window/showDocument with a selection): after `-- ` of a disable comment. */
  placeCursor: 'kasmlint.placeCursor',
} as const;

export interface ActionContext {
  path: string;
  uri: string;
  /** The text of a line of the file (for its indentation). */
  lineText: (line: number) => string;
  diagnostic: (finding: Finding) => Diagnostic;
  workspaceEdit: (edits: readonly TextEdit[]) => WorkspaceEdit;
  /** Whether fix-all applies unsafe fixes (kasmlint.fixAll.unsafe). */
  unsafe: boolean;
  /** The client can show a document (and a selection in it): the documentation and cursor actions need it. */
  showDocument: boolean;
}

/** A fix fix-all may apply: the finding's preferred one, safe or allowed unsafe. */
function bulkFix(finding: Finding, unsafe: boolean): Fix | undefined {
  const fix = finding.fixes.find((f) => f.preferred);
  return fix && (fix.applicability === 'safe' || unsafe) ? fix : undefined;
}

export function quickFixActions(here: readonly Finding[], inFile: readonly Finding[], context: ActionContext): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const rule of new Set(here.map((f) => f.rule))) {
    const findings = here.filter((f) => f.rule === rule);
    const diagnostics = findings.map(context.diagnostic);
    const attach = (action: CodeAction) => {
      action.diagnostics = diagnostics;
      actions.push(action);
    };
    findings.forEach((finding, i) => {
      for (const fix of finding.fixes) {
        const action = CodeAction.create(fix.title, context.workspaceEdit(fix.edits), CodeActionKind.QuickFix);
        action.diagnostics = [diagnostics[i]!];
        // An unsafe fix is never the one applied without a look ("auto fix", the light bulb's default).
        action.isPreferred = fix.preferred && fix.applicability === 'safe';
        actions.push(action);
      }
    });
    if (inFile.filter((f) => f.rule === rule && bulkFix(f, context.unsafe)).length > 1) {
      const fixAll = CodeAction.create(`Fix all ${rule} problems in this file`, fixAllCommand(rule, context.uri), CodeActionKind.QuickFix);
      attach(fixAll);
    }
    for (const line of new Set(findings.map((f) => f.range.start.line))) {
      const indent = /^[ \t]*/.exec(context.lineText(line))![0];
      attach(disableAction(`Disable ${rule} for this line`, `${indent}# kasmlint-disable-next-line ${rule} -- `, line, context));
    }
    attach(disableAction(`Disable ${rule} for the whole file`, `# kasmlint-disable ${rule} -- `, 0, context));
    if (context.showDocument) attach(CodeAction.create(`Show documentation for ${rule}`, { title: `Show documentation for ${rule}`, command: COMMANDS.showDocumentation, arguments: [rule] }, CodeActionKind.QuickFix));
  }
  return actions;
}

function fixAllCommand(rule: string, uri: string): Command {
  return { title: `Fix all ${rule} problems in this file`, command: COMMANDS.fixAllOfRule, arguments: [uri, rule] };
}

/** A suppression comment inserted at the start of `line`, the cursor left after it for the reason. */
function disableAction(title: string, comment: string, line: number, context: ActionContext): CodeAction {
  const at = { line, character: 0 };
  const action = CodeAction.create(title, context.workspaceEdit([{ file: context.path, range: { start: at, end: at }, newText: `${comment}\n` }]), CodeActionKind.QuickFix);
  if (context.showDocument) action.command = { title: 'Write the reason', command: COMMANDS.placeCursor, arguments: [context.uri, { line, character: comment.length }] };
  return action;
}
