// Where a lint's time goes, rule by rule: node out/tools/rule-times.js FOLDER [RUNS]. Parses once (kept
// between runs), then times the model and each rule's check over RUNS analyses and prints the medians.
// ONLY=family/name,... runs those rules alone (a rule's time without the others' shared facts and
// collections: what the bench's scaling section confirms a growing rule with).

import { performance } from 'node:perf_hooks';
import { analyzeProject, ParseCache } from '../../server/src/engine/analyze';
import { host, projectOf } from '../support/engine';
import { timedRules } from '../support/rule-timing';

const dir = process.argv[2];
const runs = Number(process.argv[3] ?? 5);
if (!dir) {
  console.error('usage: rule-times.js FOLDER [RUNS]');
  process.exit(2);
}
const { project, files, settings } = projectOf(dir);
const cache = new ParseCache();
const times = new Map<string, number[]>();
const only = process.env.ONLY?.split(',');
const timed = timedRules((id, ms) => {
  const list = times.get(id) ?? [];
  list.push(ms);
  times.set(id, list);
}).filter((rule) => !only || only.includes(rule.meta.id));
if (only && timed.length !== only.length) {
  console.error(`ONLY names a rule that does not exist: ${only.filter((id) => !timed.some((r) => r.meta.id === id)).join(', ')}`);
  process.exit(2);
}
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
