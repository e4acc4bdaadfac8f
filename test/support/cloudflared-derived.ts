// The table of tunnel configs whose outcome was derived from cloudflared's source
// (test/rules/cloudflared-derived.json), and how kasmlint is measured on it: the verdict (cloudflared
// refuses to start ⇔ kasmlint reports an error) and, for a refusal, cloudflared's message (the
// message of one of kasmlint's errors is exactly it).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DerivedConfig {
  name: string;
  config: string;
  refused: boolean;
  /** What cloudflared prints when it refuses. */
  message?: string;
  /** The source file, function and statement that decide. */
  decidedBy: string;
}

export interface Outcome {
  severity: string;
  message: string;
  rule: string;
}

export interface Measure {
  configs: number;
  verdicts: number;
  refusals: number;
  /** Refusals where one of kasmlint's errors is cloudflared's message exactly. */
  messages: number;
  /** Refusals where one of kasmlint's errors contains cloudflared's message (a looser measure). */
  containing: number;
  misses: string[];
}

export function derivedConfigs(): DerivedConfig[] {
  const table = JSON.parse(readFileSync(join(__dirname, '../../../test/rules/cloudflared-derived.json'), 'utf8')) as { configs: DerivedConfig[] };
  return table.configs;
}

/** Runs `analyze` on every config of the table and counts the verdicts and messages it gets right. */
export function measure(configs: readonly DerivedConfig[], analyze: (text: string) => Outcome[]): Measure {
  const result: Measure = { configs: configs.length, verdicts: 0, refusals: 0, messages: 0, containing: 0, misses: [] };
  for (const c of configs) {
    const errors = analyze(c.config).filter((f) => f.severity === 'error' && f.rule.startsWith('cloudflared/'));
    const refused = errors.length > 0;
    if (refused === c.refused) result.verdicts++;
    else result.misses.push(`verdict: ${c.name}: expected ${c.refused ? 'refused' : 'starts'}${errors.length ? `, got ${errors.map((e) => e.message).join(' | ')}` : ''}`);
    if (!c.refused) continue;
    result.refusals++;
    if (errors.some((e) => e.message.includes(c.message!))) result.containing++;
    if (errors.some((e) => e.message === c.message)) result.messages++;
    else if (refused) result.misses.push(`message: ${c.name}: expected ${JSON.stringify(c.message)}, got ${errors.map((e) => JSON.stringify(e.message)).join(' | ')}`);
  }
  return result;
}
