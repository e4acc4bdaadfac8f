// Analysis of one cloudflared config file: parse it keeping ranges, run the cloudflared rules, and
// turn their reports into findings, as analyze.ts does for an nginx configuration.

import { parseTunnel, type TunnelDocument } from '../cloudflared/document';
import { RULES, RULES_BY_ID } from '../rules/registry';
import suppressionRule from '../rules/kasmlint/suppression';
import type { Report, Rule } from '../rules/rule';
import type { FileHost } from '../workspace/host';
import { audienceOf, compareFindings, ruleOptions, ruleRuns, toFinding } from './analyze';
import type { Finding } from './findings';
import type { Preset } from './presets';
import type { Settings } from './settings';
import { applySuppressions } from './suppress';

export interface TunnelAnalysis {
  tunnel: TunnelDocument;
  settings: Settings;
  preset: Preset;
  findings: Finding[];
  internalErrors: string[];
}

export function analyzeTunnel(path: string, text: string, options: { settings: Settings; host: FileHost; rules?: readonly Rule[]; latin1?: boolean }): TunnelAnalysis {
  const { settings, host } = options;
  const tunnel = parseTunnel(path, text, options.latin1);
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const internalErrors: string[] = [];
  // A tunnel config is Kasm's networking guide's business unless the settings choose the generic preset.
  const audience = audienceOf(settings, true);
  const add = (rule: Rule, r: Report<string, string>) => {
    const finding = toFinding(rule, r, settings, audience);
    if (!finding) return;
    const key = `${finding.rule}\0${JSON.stringify(finding.range)}\0${finding.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    findings.push(finding);
  };
  for (const rule of options.rules ?? RULES) {
    if (!rule.checkTunnel || !ruleRuns(rule, settings, audience.preset)) continue;
    try {
      rule.checkTunnel({ tunnel, settings, options: ruleOptions(rule, settings), host, report: (r) => add(rule, r) });
    } catch (error) {
      internalErrors.push(`internal error in rule ${rule.meta.id}: ${(error as Error).stack ?? error}`);
    }
  }
  const commented = { ...tunnel.file, comments: tunnel.comments };
  const kept = applySuppressions([commented], findings, (id) => ruleRuns(RULES_BY_ID.get(id), settings, audience.preset), (r) => add(suppressionRule as Rule, r));
  kept.sort(compareFindings);
  return { tunnel, settings, preset: audience.preset, findings: kept, internalErrors };
}
