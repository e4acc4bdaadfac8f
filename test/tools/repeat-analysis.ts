// An analysis repeated as the language server repeats it after an edit (the parse cache warm, the
// edited file parsed again): node out/tools/repeat-analysis.js FOLDER [RUNS] [FILE]. Prints the median
// and p99 of RUNS analyses; with FILE, each run changes FILE's text first: a comment with the run's
// number appended, or with REPLACE='from|to{i}' the first `from` replaced ({i}: the run's number), an
// edit in place that the parse cache reads again in place, as the server does. Run it under
// `node --cpu-prof` to see where an edit's analysis goes, under `node --expose-gc` to see the heap
// kept between analyses. Each analysis is given the one before, as the server gives it (rules that
// an edit cannot change keep their findings: engine/reuse.ts); NO_REUSE=1 runs every rule every time.

import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { analyzeProject, ParseCache, type ProjectAnalysis } from '../../server/src/engine/analyze';
import { type FileHost, StatCachedFileHost } from '../../server/src/workspace/host';
import { projectOf } from '../support/engine';

const dir = process.argv[2];
const runs = Number(process.argv[3] ?? 200);
const edited = process.argv[4] ? resolve(process.argv[4]) : undefined;
if (!dir) {
  console.error('usage: repeat-analysis.js FOLDER [RUNS] [FILE]');
  process.exit(2);
}
const { project, files, settings } = projectOf(dir);
const original = edited ? readFileSync(edited, 'utf8') : '';
let editedText = original;
const replace = process.env.REPLACE?.split('|');
if (replace && (replace.length !== 2 || !original.includes(replace[0]!))) {
  console.error(`REPLACE must be 'from|to{i}' with a "from" the file holds`);
  process.exit(2);
}
const typing = process.env.TYPE?.split('|');
if (typing && (typing.length !== 2 || !original.includes(typing[0]!) || !typing[1])) {
  console.error(`TYPE must be 'after|word' with an "after" the file holds`);
  process.exit(2);
}
const typed = (run: number): string => {
  const [after, word] = typing as [string, string];
  const lineStart = original.indexOf('\n', original.indexOf(after)) + 1;
  const indent = /^[ \t]*/.exec(original.slice(lineStart))![0];
  return `${original.slice(0, lineStart)}${indent}${word.slice(0, (run % word.length) + 1)}\n${original.slice(lineStart)}`;
};
// the disk as the language server reads it (unchanged files kept), the edited file from memory
const disk = new StatCachedFileHost();
const editingHost: FileHost = Object.create(disk, {
  read: { value: (path: string) => (path === edited ? { ok: true, text: editedText, latin1: false } : disk.read(path)) },
});
const cache = new ParseCache();
const times: number[] = [];
let findings = 0;
let previous: ProjectAnalysis | undefined;
for (let run = 0; run < runs; run++) {
  if (edited) editedText = typing ? typed(run) : replace ? original.replace(replace[0]!, replace[1]!.replaceAll('{i}', String(run))) : `${original}\n# edit ${run}\n`;
  const start = performance.now();
  const analysis = analyzeProject(project, { host: editingHost, settings, files, cache, previous: process.env.NO_REUSE ? undefined : previous });
  previous = analysis;
  findings = analysis.findings.length;
  times.push(performance.now() - start);
  // under node --expose-gc: the heap kept between analyses, five times over the runs (a leak grows it)
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc && (run + 1) % Math.ceil(runs / 5) === 0) {
    gc();
    console.log(`after ${run + 1} analyses: ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(1)} MiB heap after a full collection`);
  }
}
const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return `median ${at(0.5).toFixed(1)} ms, p90 ${at(0.9).toFixed(1)} ms, p99 ${at(0.99).toFixed(1)} ms`;
};
console.log(`${runs} analyses${edited ? ` (each after an edit of ${edited})` : ''}, ${findings} findings each: ${summary(times.slice(runs > 10 ? 5 : 0))}`);
// the first analyses run code the JIT has not optimised yet: what an edit costs once it has
if (runs >= 200) console.log(`from analysis 100 on: ${summary(times.slice(100))}`);
