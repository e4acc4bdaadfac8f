// How an analysis splits into the steps the language server runs between requests (analysisSteps):
// node out/tools/analysis-steps.js FOLDER [RUNS]. Prints, per run, the total, the first step (reading,
// parsing, expanding the configuration) and the longest of the others, named, with the parse
// cache cold and warm (the server's case: only the edited file is parsed again).

import { performance } from 'node:perf_hooks';
import { analysisSteps, ParseCache } from '../../server/src/engine/analyze';
import { host, projectOf } from '../support/engine';

const dir = process.argv[2];
const runs = Number(process.argv[3] ?? 6);
if (!dir) {
  console.error('usage: analysis-steps.js FOLDER [RUNS]');
  process.exit(2);
}
const { project, files, settings } = projectOf(dir);
const warm = new ParseCache();
for (let run = 0; run < runs; run++) {
  const cold = run % 2 === 0;
  const steps = analysisSteps(project, { host, settings, files, cache: cold ? new ParseCache() : warm });
  const times: Array<{ ms: number; step: string }> = [];
  let last = performance.now();
  for (;;) {
    const step = steps.next();
    const now = performance.now();
    times.push({ ms: now - last, step: step.done ? 'findings' : step.value });
    last = now;
    if (step.done) break;
  }
  const others = times.slice(1).sort((a, b) => b.ms - a.ms);
  const total = times.reduce((sum, t) => sum + t.ms, 0);
  console.log(
    `${cold ? 'parse cache cold' : 'parse cache warm'}: ${total.toFixed(1)} ms in ${times.length} steps; first ${times[0]!.ms.toFixed(1)} ms; longest others ${others
      .slice(0, 3)
      .map((t) => `${t.ms.toFixed(1)} (${t.step})`)
      .join(', ')} ms`,
  );
}
