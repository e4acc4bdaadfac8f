// Every rule with its check timed: what the rule-times tool and the bench's scaling section read.

import { performance } from 'node:perf_hooks';
import { RULES } from '../../server/src/rules/registry';
import type { Rule } from '../../server/src/rules/rule';

/** The rules, each check's time given to `record` (a rule written as a generator does all its work in the call). */
export function timedRules(record: (id: string, ms: number) => void): Rule[] {
  return RULES.map((rule) => ({
    ...rule,
    check: rule.check
      ? (context) => {
          const start = performance.now();
          try {
            const pieces = rule.check!(context);
            if (pieces) while (!pieces.next().done);
          } finally {
            record(rule.meta.id, performance.now() - start);
          }
        }
      : undefined,
  }));
}
