// Diagnostics sent from the diagnostics thread to the main thread as a difference from what was sent
// before for the same file: the diagnostics the main thread already holds are named by their index.
// An edit of a 10,000-line file changes a few of its 2,000 diagnostics; copying all of them between
// the threads (as JSON, or as objects) took longer than the analysis of the edit.

import type { Diagnostic } from 'vscode-languageserver/node';

/** A file's diagnostics: each one either an index into the list sent before, or a new diagnostic. */
export type DiagnosticsDelta = Array<number | Diagnostic>;

/** Whether two diagnostics made by toDiagnostic say the same (the fields it derives from others are left out). */
export function sameDiagnostic(a: Diagnostic, b: Diagnostic): boolean {
  if (a === b) return true;
  if (a.message !== b.message || a.code !== b.code || a.severity !== b.severity || !sameRange(a.range, b.range)) return false;
  const ra = a.relatedInformation;
  const rb = b.relatedInformation;
  if (!ra || !rb) return ra === rb;
  if (ra.length !== rb.length) return false;
  return ra.every((r, i) => r.message === rb[i]!.message && r.location.uri === rb[i]!.location.uri && sameRange(r.location.range, rb[i]!.location.range));
}

function sameRange(a: Diagnostic['range'], b: Diagnostic['range']): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

/**
 * Where a diagnostic starts, as one number: the key it is looked up by (sameDiagnostic decides). Not a
 * string of its position, rule and message: one miss builds the key of every diagnostic the file had,
 * 2,000 strings of a few hundred characters at each keystroke.
 */
const keyOf = (d: Diagnostic) => d.range.start.line * 0x10000 + Math.min(d.range.start.character, 0xffff);

/** `current` against `previous`: the diagnostics in order, those found in `previous` by their index there. */
export function diagnosticsDelta(previous: readonly Diagnostic[], current: readonly Diagnostic[]): DiagnosticsDelta {
  const delta: DiagnosticsDelta = [];
  const used = new Uint8Array(previous.length);
  let byKey: Map<number, number[]> | undefined;
  // Lists are sorted the same way: a diagnostic is first looked for where the last one was found, shifted
  // by as many as were inserted or removed before it; elsewhere among those that start where it starts.
  let shift = 0;
  for (let j = 0; j < current.length; j++) {
    const d = current[j]!;
    let found = j + shift;
    if (!(found < previous.length && !used[found] && sameDiagnostic(previous[found]!, d))) {
      byKey ??= indexByKey(previous);
      found = byKey.get(keyOf(d))?.find((i) => !used[i] && sameDiagnostic(previous[i]!, d)) ?? -1;
    }
    if (found >= 0) {
      used[found] = 1;
      shift = found - j;
      delta.push(found);
    } else {
      delta.push(d);
    }
  }
  return delta;
}

function indexByKey(list: readonly Diagnostic[]): Map<number, number[]> {
  const byKey = new Map<number, number[]>();
  for (let i = 0; i < list.length; i++) {
    const key = keyOf(list[i]!);
    const at = byKey.get(key);
    if (at) at.push(i);
    else byKey.set(key, [i]);
  }
  return byKey;
}

/** The diagnostics a delta stands for, given the list it was made against. */
export function applyDiagnosticsDelta(previous: readonly Diagnostic[], delta: DiagnosticsDelta): Diagnostic[] {
  return delta.map((item) => (typeof item === 'number' ? previous[item]! : item));
}
