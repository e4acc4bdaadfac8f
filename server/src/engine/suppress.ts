// Suppression comments: `# kasmlint-disable-next-line <rule>[, <rule>] -- <reason>`,
// `# kasmlint-disable-line <rule>` (at the end of the line it applies to) and `# kasmlint-disable <rule>`
// (the whole file). Without a rule id they apply to every rule. The same comments work in NGINX files
// and in cloudflared's YAML; both parsers hand over their comments.

import { addTo } from '../core/maps';
import { closestMatch } from '../core/strings';
import type { Comment } from '../nginx/ast';
import { RULE_IDS } from '../rules/registry';
import type { Report, SourceFile } from '../rules/rule';
import type { Finding } from './findings';

/** A file and its comments, whatever its language. */
export interface CommentedFile extends SourceFile {
  comments: readonly Comment[];
}

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

export function scanSuppressions(file: CommentedFile): SuppressionScan {
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

/**
 * Whether a finding of `rule` starting on `line` is suppressed; marks the suppressions used. `byLine`
 * holds a file's suppressions by the line they cover (-1: the whole file): a generated file with a
 * comment on each of thousands of lines is not scanned whole for each finding.
 */
function isSuppressed(byLine: ReadonlyMap<number, readonly Suppression[]>, rule: string, line: number): boolean {
  let suppressed = false;
  for (const covering of [byLine.get(-1), byLine.get(line)]) {
    for (const s of covering ?? []) {
      if (s.rules !== 'all' && !s.rules.includes(rule)) continue;
      s.used = true;
      suppressed = true;
    }
  }
  return suppressed;
}

/**
 * Drops suppressed findings; reports (through `report`, as kasmlint/suppression) suppression comments
 * that are malformed, name no rule or suppress nothing. Returns the findings kept.
 */
export function applySuppressions(
  files: readonly CommentedFile[],
  findings: Finding[],
  runs: (rule: string) => boolean,
  report: (r: Report<string, string>) => void,
): Finding[] {
  const byFile = new Map<string, { file: CommentedFile; suppressions: Suppression[]; byLine: Map<number, Suppression[]> }>();
  for (const file of files) {
    const scan = scanSuppressions(file);
    const byLine = new Map<number, Suppression[]>();
    for (const s of scan.suppressions) addTo(byLine, s.line, s);
    byFile.set(file.path, { file, suppressions: scan.suppressions, byLine });
    for (const comment of scan.malformed) {
      report({ message: 'malformed', file, start: comment.start, end: comment.end });
    }
    for (const s of scan.suppressions) {
      if (s.rules === 'all') continue;
      for (const id of s.rules.filter((r) => !RULE_IDS.has(r))) {
        const near = closestMatch(id, RULE_IDS);
        report({
          message: 'unknownRule',
          data: { kind: s.kind, rule: id, suggestion: near ? ` (did you mean "${near}"?)` : '' },
          file,
          start: s.comment.start,
          end: s.comment.end,
        });
      }
    }
  }

  const kept = findings.filter((f) => {
    const entry = byFile.get(f.file);
    return !entry || !isSuppressed(entry.byLine, f.rule, f.range.start.line);
  });
  const reportedBefore = findings.length; // `report` appends to `findings`

  for (const { file, suppressions } of byFile.values()) {
    for (const s of suppressions) {
      if (s.used) continue;
      const ids = s.rules === 'all' ? [] : s.rules;
      if (ids.some((id) => !RULE_IDS.has(id) || !runs(id))) continue; // reported above, or not run
      report({
        message: 'unused',
        data: { kind: s.kind, rules: s.rules === 'all' ? '(all rules)' : s.rules.join(', ') },
        file,
        start: s.comment.start,
        end: s.comment.end,
        fixes: [{ fix: 'remove', edits: [removeCommentEdit(file, s.comment.start, s.comment.end)] }],
      });
    }
  }
  return [...kept, ...findings.slice(reportedBefore)];
}

function removeCommentEdit(file: SourceFile, start: number, end: number) {
  const text = file.text;
  let from = start;
  while (from > 0 && (text[from - 1] === ' ' || text[from - 1] === '\t')) from--;
  const alone = from === 0 || text[from - 1] === '\n' || text[from - 1] === '\r';
  let to = end;
  if (alone) {
    if (text[to] === '\r' && text[to + 1] === '\n') to += 2;
    else if (text[to] === '\n') to += 1;
  }
  return { file, start: from, end: to, newText: '' };
}
