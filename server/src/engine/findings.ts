// What a rule reports. Positions are LSP's (0-based lines, UTF-16 characters); files are absolute paths.

import type { Range } from '../core/text';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

export interface TextEdit {
  file: string;
  range: Range;
  newText: string;
}

/**
 * safe: applied by `--fix` and fix-all, keeps the config valid and means what the user meant.
 * unsafe: offered in the editor, applied in bulk only with --unsafe-fixes (it changes behaviour).
 */
export type FixApplicability = 'safe' | 'unsafe';

export interface Fix {
  /** The fix's name in its rule's declaration (`addDhparam`), to choose one fix of several by what it does. */
  id?: string;
  title: string;
  applicability: FixApplicability;
  /** The fix to apply when only one is applied (the light bulb's first entry, `--fix`). */
  preferred: boolean;
  edits: TextEdit[];
}

export interface RelatedInformation {
  file: string;
  range: Range;
  message: string;
}

export interface Finding {
  rule: string;
  severity: Severity;
  /** What is wrong, one sentence (the Problems panel's line). */
  message: string;
  /** Why it matters here and what the fix does (hover, `kasmlint explain`, JSON/SARIF), when the rule says. */
  detail?: string;
  file: string;
  range: Range;
  fixes: Fix[];
  related: RelatedInformation[];
}
