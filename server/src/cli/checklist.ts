// `kasmlint checklist PATH`: Kasm's hardening guide, step by step, for the configurations under PATH;
// `--fix STEP` applies one step's fix to the files.

import { resolve } from 'node:path';
import { fixPaths } from '../engine/fix';
import { checklistOf, checklistOptions, openFindings, STEPS, STEPS_BY_ID, type Checklist, type StepResult, type StepState } from '../kasm/checklist';
import { NodeFileHost } from '../workspace/host';
import { displayPath } from './format';
import { parseCommandLine, UsageError, type Output } from './io';

export const CHECKLIST_USAGE = `Usage: kasmlint checklist [--format text|json] [--fix STEP] [--config FILE] [--exit-zero] [paths...]

Kasm's hardening guide as a checklist for the Kasm tree, the NGINX in front of it and the cloudflared
configs under the paths: each step done, partly done or not done, where, and the fix that does it.
--fix STEP applies that step's fix to the files (its unsafe fixes too: you asked for the step).
Steps: ${STEPS.map((s) => s.id).join(', ')}.
Exit status: 0 when every step that applies is done, 1 when some are open, 2 on bad usage.`;

const MARK: Record<StepState, string> = { done: '[x]', partly: '[~]', 'not-done': '[ ]', 'not-applicable': '[-]', unknown: '[?]' };
const SHOWN = 5;

function formatStep(step: StepResult, cwd: string): string {
  const lines = [`${MARK[step.state]} ${step.title}: ${step.summary}`];
  if (step.state === 'partly' || step.state === 'not-done') {
    lines.push(`    guide: ${step.guide}`);
    for (const item of step.where.slice(0, SHOWN)) {
      lines.push(`    ${displayPath(item.file, cwd)}:${item.range.start.line + 1}:${item.range.start.character + 1}: ${item.rule} ${item.message}`);
    }
    if (step.where.length > SHOWN) lines.push(`    ... and ${step.where.length - SHOWN} more`);
    if (step.fix) lines.push(`    fix (${step.fix.applicability}): ${step.fix.title}: kasmlint checklist --fix ${step.id}`);
    else lines.push('    fix: none that kasmlint can apply');
    if (step.manual) lines.push(`    by hand: ${step.manual}`);
  }
  return lines.map((l) => `${l}\n`).join('');
}

export function formatChecklist(checklist: Checklist, cwd: string): string {
  const found = [
    ...checklist.kasmTrees.map((d) => `Kasm tree ${displayPath(d, cwd) || '.'}`),
    ...checklist.frontProxies.map((d) => `front proxy ${displayPath(d, cwd) || '.'}`),
    ...checklist.tunnels.map((f) => `tunnel ${displayPath(f, cwd)}`),
  ];
  const head = `Kasm hardening checklist (${found.join(', ') || 'no Kasm configuration found'})\n`;
  const applying = checklist.steps.filter((s) => s.state !== 'not-applicable').length;
  const tail = `\n${checklist.open === 0 ? `All ${applying} steps that apply are done.` : `${checklist.open} of ${applying} steps open.`}\n`;
  return head + checklist.steps.map((s) => formatStep(s, cwd)).join('') + tail;
}

export function runChecklist(argv: string[], io: Output, cwd: string): number {
  const parsed = parseCommandLine(argv, {
    format: { type: 'string', default: 'text' },
    fix: { type: 'string' },
    config: { type: 'string' },
    'exit-zero': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  });
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(`${CHECKLIST_USAGE}\n`);
    return 0;
  }
  if (values.format !== 'text' && values.format !== 'json') throw new UsageError(`--format must be text or json, not "${values.format}"`);
  if (values.fix !== undefined && !STEPS_BY_ID.has(values.fix)) throw new UsageError(`--fix takes a step: ${STEPS.map((s) => s.id).join(', ')}; not "${values.fix}"`);
  const host = new NodeFileHost();
  const options = { host, configFile: values.config ? resolve(cwd, values.config) : undefined };
  const paths = (positionals.length ? positionals : ['.']).map((p) => resolve(cwd, p));

  if (values.fix !== undefined) {
    const step = STEPS_BY_ID.get(values.fix)!;
    const outcome = fixPaths(paths, { ...checklistOptions(options), unsafe: true, select: (run) => openFindings(step, run), pick: step.pick });
    for (const [file, count] of outcome.fixedFiles) io.err(`fixed ${count} problem${count === 1 ? '' : 's'} in ${displayPath(file, cwd)}\n`);
    for (const error of outcome.errors) io.err(`kasmlint: ${error}\n`);
    if (outcome.applied === 0 && outcome.errors.length === 0) io.err(`nothing to fix automatically for ${step.title}\n`);
    if (outcome.errors.length > 0) return 2;
  }

  const { checklist } = checklistOf(paths, options);
  if (values.format === 'json') io.out(`${JSON.stringify({ version: 1, ...checklist }, null, 2)}\n`);
  else io.out(formatChecklist(checklist, cwd));
  return values['exit-zero'] || checklist.open === 0 ? 0 : 1;
}
