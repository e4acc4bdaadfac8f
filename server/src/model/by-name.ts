// The directives of a configuration by name (the model indexes them as it reads them): a question about
// a few directive names does not walk a configuration of hundreds of thousands of directives.

import type { ConfigDirective, ConfigModel } from './config';

/**
 * The directives named `names` (map and other block entries included): each name's in reading
 * order, one name after the other. Sort by `seq` where the reading order across names matters.
 */
export function directivesNamed(model: ConfigModel, ...names: string[]): readonly ConfigDirective[] {
  if (names.length === 1) return model.named(names[0]!);
  const lists = names.map((n) => model.named(n));
  const out: ConfigDirective[] = new Array(lists.reduce((n, l) => n + l.length, 0));
  let k = 0;
  for (const list of lists) for (let i = 0; i < list.length; i++) out[k++] = list[i]!;
  return out;
}

/** Directives in nginx's reading order (a copy: `directivesNamed` of several names lists each name's apart). */
export function bySeq(directives: readonly ConfigDirective[]): ConfigDirective[] {
  return [...directives].sort((a, b) => a.seq - b.seq);
}
