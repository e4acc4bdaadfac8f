// The CLI's output formats. Text: `path:line:column: severity rule-id message` (1-based, paths relative
// to the working folder when inside it). JSON: LSP-style 0-based ranges and absolute paths. SARIF 2.1.0
// for code-scanning services.

import { isAbsolute, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Finding, Severity } from '../engine/findings';
import { RULES, RULES_BY_ID } from '../rules/registry';

export const TOOL_VERSION = '0.1.0';
export const INFORMATION_URI = 'https://github.com/kasmlint/kasmlint';

export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel.split(sep).join('/');
}

const COLORS: Record<Severity, string> = { error: '\x1b[31m', warning: '\x1b[33m', information: '\x1b[36m', hint: '\x1b[2m' };

/** One line per finding; with `details`, why it matters and its fixes below it, indented. */
export function formatText(findings: readonly Finding[], cwd: string, options: { color: boolean; details: boolean }): string {
  return findings
    .map((f) => {
      const where = `${displayPath(f.file, cwd)}:${f.range.start.line + 1}:${f.range.start.character + 1}`;
      const severity = options.color ? `${COLORS[f.severity]}${f.severity}\x1b[0m` : f.severity;
      const line = `${where}: ${severity} ${f.rule} ${f.message}\n`;
      if (!options.details) return line;
      const more = [
        ...(f.detail ? wrap(f.detail, 96).map((l) => `    ${l}`) : []),
        ...f.fixes.map((x) => `    fix${x.preferred ? ' (--fix' + (x.applicability === 'safe' ? '' : ' --unsafe-fixes') + ')' : ''}: ${x.title}`),
      ];
      return `${line}${more.map((l) => `${l}\n`).join('')}`;
    })
    .join('');
}

/** Words in lines of at most `width` characters (a longer word gets a line of its own). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (current && current.length + 1 + word.length > width) {
      lines.push(current);
      current = word;
    } else current = current ? `${current} ${word}` : word;
  }
  if (current) lines.push(current);
  return lines;
}

export function summary(findings: readonly Finding[], fileCount: number): string {
  const counts = new Map<Severity, number>();
  for (const f of findings) counts.set(f.severity, (counts.get(f.severity) ?? 0) + 1);
  const parts = (['error', 'warning', 'information', 'hint'] as const)
    .filter((s) => counts.get(s))
    .map((s) => `${counts.get(s)} ${s}${counts.get(s) === 1 || s === 'information' ? '' : 's'}`);
  const files = `${fileCount} file${fileCount === 1 ? '' : 's'}`;
  if (findings.length === 0) return `No problems found in ${files}.`;
  const fixable = findings.filter((f) => f.fixes.some((x) => x.preferred && x.applicability === 'safe')).length;
  const fixHint = fixable > 0 ? ` ${fixable} can be fixed with --fix.` : '';
  return `${findings.length} problem${findings.length === 1 ? '' : 's'} (${parts.join(', ')}) in ${files}.${fixHint}`;
}

export function formatJson(findings: readonly Finding[]): string {
  return `${JSON.stringify(
    {
      version: 1,
      findings: findings.map((f) => ({
        file: f.file,
        range: f.range,
        severity: f.severity,
        rule: f.rule,
        message: f.message,
        ...(f.detail ? { detail: f.detail } : {}),
        fixes: f.fixes.map((x) => ({ title: x.title, applicability: x.applicability, preferred: x.preferred, edits: x.edits })),
        related: f.related,
      })),
    },
    null,
    2,
  )}\n`;
}

const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

export function formatSarif(findings: readonly Finding[], cwd: string): string {
  const root = pathToFileURL(cwd.endsWith(sep) ? cwd : cwd + sep).href;
  const location = (file: string) => {
    const rel = displayPath(file, cwd);
    return rel === file ? { uri: pathToFileURL(file).href } : { uri: encodeURI(rel), uriBaseId: 'SRCROOT' };
  };
  const region = (r: Finding['range']) => ({
    startLine: r.start.line + 1,
    startColumn: r.start.character + 1,
    endLine: r.end.line + 1,
    endColumn: r.end.character + 1,
  });
  const ruleIndex = new Map(RULES.map((r, i) => [r.meta.id, i]));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'kasmlint',
            version: TOOL_VERSION,
            semanticVersion: TOOL_VERSION,
            informationUri: INFORMATION_URI,
            rules: RULES.map((rule) => ({
              id: rule.meta.id,
              name: rule.meta.id.replace(/[/-](\w)/g, (_, c: string) => c.toUpperCase()),
              shortDescription: { text: rule.meta.docs.summary },
              fullDescription: { text: rule.meta.docs.whatItDoes.replace(/`/g, '') },
              help: { text: rule.meta.docs.whyItMatters.replace(/`/g, ''), markdown: rule.meta.docs.whyItMatters },
              helpUri: `${INFORMATION_URI}/blob/main/docs/rules/${rule.meta.id}.md`,
              defaultConfiguration: { level: SARIF_LEVEL[rule.meta.defaultSeverity] },
            })),
          },
        },
        originalUriBaseIds: { SRCROOT: { uri: root } },
        columnKind: 'utf16CodeUnits',
        results: findings.map((f) => ({
          ruleId: f.rule,
          ...(ruleIndex.has(f.rule) ? { ruleIndex: ruleIndex.get(f.rule) } : {}),
          level: SARIF_LEVEL[f.severity],
          message: f.detail ? { text: `${f.message} ${f.detail}`, markdown: `${f.message}\n\n${f.detail}` } : { text: f.message },
          locations: [{ physicalLocation: { artifactLocation: location(f.file), region: region(f.range) } }],
          ...(f.related.length
            ? {
                relatedLocations: f.related.map((r, id) => ({
                  id,
                  message: { text: r.message },
                  physicalLocation: { artifactLocation: location(r.file), region: region(r.range) },
                })),
              }
            : {}),
          ...(f.fixes.length
            ? {
                fixes: f.fixes.map((fix) => ({
                  description: { text: fix.title },
                  artifactChanges: [...new Set(fix.edits.map((e) => e.file))].map((file) => ({
                    artifactLocation: location(file),
                    replacements: fix.edits
                      .filter((e) => e.file === file)
                      .map((e) => ({ deletedRegion: region(e.range), insertedContent: { text: e.newText } })),
                  })),
                })),
              }
            : {}),
        })),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

export function ruleExists(id: string): boolean {
  return RULES_BY_ID.has(id);
}
