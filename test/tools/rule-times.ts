// Where a lint's time goes, rule by rule: node out/tools/rule-times.js FOLDER [RUNS]. Parses once (kept
// between runs), then times the model and each rule's check over RUNS analyses and prints the medians.

import { performance } from 'node:perf_hooks';
import { analyzeProject, ParseCache } from '../../server/src/engine/analyze';
import { RULES } from '../../server/src/rules/registry';
import type { Rule } from '../../server/src/rules/rule';
import { host, projectOf } from '../support/engine';

const dir = process.argv[2];
const runs = Number(process.argv[3] ?? 5);
if (!dir) {
  console.error('usage: rule-times.js FOLDER [RUNS]');
  process.exit(2);
}
const { project, files, settings } = projectOf(dir);
const cache = new ParseCache();
const times = new Map<string, number[]>();
const timed: Rule[] = RULES.map((rule) => ({
  ...rule,
  check: rule.check
    ? (context) => {
        const start = performance.now();
        try {
          // a rule written as a generator does its work as it is resumed: all of it here
          const pieces = rule.check!(context);
          if (pieces) while (!pieces.next().done);
        } finally {
          const list = times.get(rule.meta.id) ?? [];
          list.push(performance.now() - start);
          times.set(rule.meta.id, list);
        }
      }
    : undefined,
}));
const totals: number[] = [];
for (let i = 0; i <= runs; i++) {
  if (i === 1) times.clear(); // the first run parses and warms up
  const start = performance.now();
  analyzeProject(project, { host, settings, files, cache, rules: timed });
  if (i > 0) totals.push(performance.now() - start);
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const rows = [...times].map(([id, values]) => [id, median(values)] as const).sort((a, b) => b[1] - a[1]);
const inRules = rows.reduce((sum, [, ms]) => sum + ms, 0);
console.log(`analysis (parse cached): ${median(totals).toFixed(1)} ms, rules ${inRules.toFixed(1)} ms, the rest (model, findings, suppressions) ${(median(totals) - inRules).toFixed(1)} ms`);
for (const [id, ms] of rows) if (ms >= 0.5) console.log(`${ms.toFixed(1).padStart(9)} ms  ${id}`);
