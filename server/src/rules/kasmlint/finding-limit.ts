import { defineRule } from '../rule';

/**
 * Reported by the engine itself (engine/analyze.ts), which counts each rule's findings; declared here
 * like every rule so that its id, message and docs live in one place.
 */
export default defineRule({
  meta: {
    id: 'kasmlint/finding-limit',
    defaultSeverity: 'information',
    messages: {
      stopped: {
        text: '{rule} stopped here after {limit} findings in this configuration.',
        why: 'The places after this one are not checked for it. Fix the ones reported (or turn the rule off), or raise "maxFindingsPerRule" (0: no limit).',
      },
    },
    docs: {
      summary: 'A rule reached the limit of findings per configuration and stopped.',
      whatItDoes:
        'Each rule reports at most `maxFindingsPerRule` findings (default 1000) in one configuration; at the limit it stops, and this ' +
        'finding marks the first place it did not report. The `nginx/*` rules keep checking to the end, so the verdict of `nginx -t` stays exact.',
      whyItMatters:
        'A generated configuration with tens of thousands of servers would otherwise produce hundreds of thousands of identical findings: ' +
        'slow to compute, slow to show, and no more useful than the first thousand.',
      example: '# 30,000 generated server blocks, none with a rate limit',
      useInstead: '# .kasmlintrc.json\n{ "maxFindingsPerRule": 0 }',
    },
  },
  check() {
    // see engine/analyze.ts
  },
});
