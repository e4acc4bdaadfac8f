// Each rule's own time in an analysis, for the scaling section: a rule whose work grows with the square
// of the configuration shows at n and 4n even where the whole lint hides it (three rules grouped the
// servers of one port with a scan of the group per server: 22 ms of a keystroke on 4,000 conf.d files,
// under 5% of the lint at the bench's sizes).

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { analyzeProject, ParseCache } from '../../server/src/engine/analyze';
import { defaultSettings } from '../../server/src/engine/settings';
import type { FileHost } from '../../server/src/workspace/host';
import { timedRules } from '../support/rule-timing';

/**
 * Each rule's time (ms, the fastest of `runs` analyses) on the nginx.conf of `dir`. The rules run in a
 * different order each time: a collection comes at the same point of the same work, and would be
 * counted to the same rule every time (one rule alone, on one configuration, took 0.8 to 18.7 ms). A
 * fact several rules share is computed by a different rule in each order, and counted to none: a cliff
 * there shows in the whole lint's growth.
 */
export function ruleTimes(dir: string, main: string, host: FileHost, runs = 5, only?: string): Map<string, number> {
  const spent = new Map<string, number>();
  const rules = timedRules((id, ms) => spent.set(id, (spent.get(id) ?? 0) + ms)).filter((rule) => only === undefined || rule.meta.id === only);
  const fastest = new Map<string, number>();
  // (parsed once: parsing's garbage, collected in the middle of a rule, was counted to it)
  const cache = new ParseCache();
  for (let run = 0; run < runs; run++) {
    spent.clear();
    const turned = rotated(rules, Math.floor((rules.length * run) / runs));
    const order = run % 2 === 0 ? turned : turned.reverse();
    collectGarbage();
    analyzeProject({ kind: 'nginx', dir }, { host, settings: defaultSettings(), files: [main], rules: order, cache });
    for (const [id, ms] of spent) fastest.set(id, Math.min(fastest.get(id) ?? Number.POSITIVE_INFINITY, ms));
  }
  return fastest;
}

let gc: (() => void) | undefined;

/** A full collection (V8's gc(), made available to this process on first use). */
function collectGarbage(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}

function rotated<T>(items: readonly T[], by: number): T[] {
  return [...items.slice(by), ...items.slice(0, by)];
}

/** Where a configuration of one scaling shape is, at one size. */
export interface Measured {
  dir: string;
  main: string;
  lint: number;
  rules: Map<string, number>;
}

/**
 * The rules whose own time grows more than `factor` times from n to 4n. Candidates come from the whole
 * analysis (a rule that grows more than `factor` times and takes a tenth of the lint at 4n, and 10 ms);
 * each is then timed alone at both sizes, and kept if it grows as much there too. In the whole analysis
 * a rule's time at 4n holds more than its own work (steps of the collector's marking, made by whoever
 * allocates; a fact several rules share, computed by the first that asks): rules that grow linearly
 * alone grew 10 to 19 times there.
 */
export function fasterGrowing(small: Measured, large: Measured, host: FileHost, factor = 8): Array<{ id: string; small: number; large: number }> {
  const grows = (before: number, after: number) => after > factor * Math.max(before, 0.1);
  const found: Array<{ id: string; small: number; large: number }> = [];
  for (const [id, ms] of large.rules) {
    if (ms < Math.max(large.lint / 10, 10) || !grows(small.rules.get(id) ?? 0, ms)) continue;
    const alone = { small: ruleTimes(small.dir, small.main, host, 5, id).get(id) ?? 0, large: ruleTimes(large.dir, large.main, host, 5, id).get(id) ?? 0 };
    if (grows(alone.small, alone.large)) found.push({ id, ...alone });
  }
  return found.sort((a, b) => b.large - a.large);
}
