// Analysis of one cloudflared config file: parse it keeping ranges, run the cloudflared rules, and
// turn their reports into findings, as analyze.ts does for an nginx configuration.

import { parseTunnel, type TunnelDocument } from '../cloudflared/document';
import { RULES } from '../rules/registry';
import suppressionRule from '../rules/kasmlint/suppression';
import type { Report, Rule } from '../rules/rule';
import type { FileHost } from '../workspace/host';
import { compareFindings, ruleOptions, toFinding } from './analyze';
import type { Finding } from './findings';
import type { Settings } from './settings';
import { applySuppressions } from './suppress';

export interface TunnelAnalysis {
  tunnel: TunnelDocument;
  settings: Settings;
  findings: Finding[];
  internalErrors: string[];
}

export function analyzeTunnel(path: string, text: string, options: { settings: Settings; host: FileHost; rules?: readonly Rule[]; latin1?: boolean }): TunnelAnalysis {
  const { settings, host } = options;
  const tunnel = parseTunnel(path, text, options.latin1);
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const internalErrors: string[] = [];
  const add = (rule: Rule, r: Report<string, string>) => {
    const finding = toFinding(rule, r, settings.rules[rule.meta.id]?.severity);
    if (!finding) return;
    const key = `${finding.rule}\0${JSON.stringify(finding.range)}\0${finding.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    findings.push(finding);
  };
  for (const rule of options.rules ?? RULES) {
    if (!rule.checkTunnel || settings.rules[rule.meta.id]?.severity === 'off') continue;
    try {
      rule.checkTunnel({ tunnel, settings, options: ruleOptions(rule, settings), host, report: (r) => add(rule, r) });
    } catch (error) {
      internalErrors.push(`internal error in rule ${rule.meta.id}: ${(error as Error).stack ?? error}`);
    }
  }
  const commented = { ...tunnel.file, comments: tunnel.comments };
  const kept = applySuppressions([commented], findings, settings, (r) => add(suppressionRule as Rule, r));
  kept.sort(compareFindings);
  return { tunnel, settings, findings: kept, internalErrors };
}
