// Which diagnostics to send after an analysis: one list per file of the analysis that is open or in a
// workspace folder, cleared for files that had some and have none now, and not sent again when a file's
// version and diagnostics are what was last sent.

import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver/node';
import { addTo } from '../core/maps';
import { pathToUri, toDiagnostic } from './convert';
import { sameDiagnostic } from './diagnostics-delta';
import { filesOf, findingsOf, type ProjectState } from './projects';
import type { Finding } from '../engine/findings';

export interface PublishContext {
  /** Whether a file's diagnostics are shown: open, or inside a workspace folder. */
  shown: (path: string) => boolean;
  openVersion: (path: string) => number | undefined;
  supportsRelated: boolean;
}

export class DiagnosticsPublisher {
  /** What was last sent for each file: its version and its diagnostics (maybe none). */
  private readonly lastSent = new Map<string, { version: number | undefined; diagnostics: Diagnostic[] }>();
  /**
   * Each finding's diagnostic: an edit carries most findings to the next analysis as they are, and their
   * diagnostics then compare as the same objects (no list of thousands remade at each keystroke).
   */
  private readonly converted = new WeakMap<Finding, Diagnostic>();

  /** An editor may drop what it showed when a file closed: what is sent for it after it opens again is sent whatever was sent before. */
  reopened(path: string): void {
    this.lastSent.delete(path);
  }

  /** The notifications to send for a state's analysis (or for its end, once it is forgotten). */
  notifications(state: ProjectState, context: PublishContext): PublishDiagnosticsParams[] {
    if (!state.analysis && !state.tunnel && state.published.size === 0) return [];
    const byFile = new Map<string, Diagnostic[]>();
    for (const path of filesOf(state)) if (context.shown(path)) byFile.set(path, []);
    for (const finding of findingsOf(state)) {
      if (!context.shown(finding.file)) continue;
      let diagnostic = this.converted.get(finding);
      if (!diagnostic) this.converted.set(finding, (diagnostic = toDiagnostic(finding, context.supportsRelated)));
      addTo(byFile, finding.file, diagnostic);
    }
    if (state.settingsError) {
      const { file, message } = state.settingsError;
      byFile.set(file, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, severity: 1, source: 'kasmlint', message: `${message}\nThe defaults are used until this is fixed.` }]);
    }
    for (const path of state.published) if (!byFile.has(path)) byFile.set(path, []);
    state.published = new Set([...byFile].filter(([, list]) => list.length > 0).map(([p]) => p));
    const notifications: PublishDiagnosticsParams[] = [];
    for (const [path, diagnostics] of byFile) {
      // the version the analysis read: an edit may have come in since
      const version = state.versions.get(path) ?? context.openVersion(path);
      // A file whose diagnostics and version are what was last sent is not sent again (an edit in one
      // file of a Kasm tree re-analyses all 23; the editor has the others already), none either: an
      // edit of one of 4,000 files of conf.d sent an empty list for each of the 3,000 without findings.
      const last = this.lastSent.get(path);
      if (last && last.version === version && last.diagnostics.length === diagnostics.length && diagnostics.every((d, i) => sameDiagnostic(d, last.diagnostics[i]!))) continue;
      this.lastSent.set(path, { version, diagnostics });
      notifications.push({ uri: pathToUri(path), version, diagnostics });
    }
    return notifications;
  }
}
