// Suppression comments: `# kasmlint-disable-next-line <rule>[, <rule>] -- <reason>`,
// `# kasmlint-disable-line <rule>` (at the end of the line it applies to) and `# kasmlint-disable <rule>`
// (the whole file). Without a rule id they apply to every rule.

import type { Comment, ParsedFile } from '../nginx/ast';

export type SuppressionKind = 'disable-next-line' | 'disable-line' | 'disable';

export interface Suppression {
  kind: SuppressionKind;
  /** Rule ids, or 'all'. */
  rules: string[] | 'all';
  reason?: string;
  comment: Comment;
  /** 0-based line the suppression covers (-1 for the whole file). */
  line: number;
  /** Set by `applySuppressions` when the comment suppressed something. */
  used: boolean;
}

const SUPPRESSION = /^\s*kasmlint-(disable-next-line|disable-line|disable)(?:\s+(.*?))?\s*$/;
const MENTIONS_KASMLINT = /^\s*kasmlint-/;

export interface SuppressionScan {
  suppressions: Suppression[];
  /** Comments that start like a suppression but are not one. */
  malformed: Comment[];
}

export function scanSuppressions(file: ParsedFile): SuppressionScan {
  const suppressions: Suppression[] = [];
  const malformed: Comment[] = [];
  for (const comment of file.comments) {
    if (!MENTIONS_KASMLINT.test(comment.text)) continue;
    const match = SUPPRESSION.exec(comment.text);
    if (!match) {
      malformed.push(comment);
      continue;
    }
    const kind = match[1] as SuppressionKind;
    const [ruleText = '', reason] = (match[2] ?? '').split(/\s+--\s*|^--\s*/, 2) as [string?, string?];
    const ids = ruleText.split(/[\s,]+/).filter((r) => r !== '');
    const commentLine = file.lines.positionAt(comment.start).line;
    suppressions.push({
      kind,
      rules: ids.length === 0 ? 'all' : ids,
      reason: reason?.trim() || undefined,
      comment,
      line: kind === 'disable' ? -1 : kind === 'disable-next-line' ? commentLine + 1 : commentLine,
      used: false,
    });
  }
  return { suppressions, malformed };
}

/** Whether a finding of `rule` starting on `line` is suppressed; marks the suppression used. */
export function isSuppressed(suppressions: readonly Suppression[], rule: string, line: number): boolean {
  let suppressed = false;
  for (const s of suppressions) {
    if (s.line !== -1 && s.line !== line) continue;
    if (s.rules !== 'all' && !s.rules.includes(rule)) continue;
    s.used = true;
    suppressed = true;
  }
  return suppressed;
}
