import { defineRule } from '../rule';

/**
 * Reported by the engine itself (engine/suppress.ts), which is where suppression comments are matched
 * with findings; declared here like every rule so that its id, messages and docs live in one place.
 */
export default defineRule({
  meta: {
    id: 'kasmlint/suppression',
    defaultSeverity: 'warning',
    messages: {
      unknownRule: { text: 'kasmlint-{kind} names "{rule}", which is not a rule id{suggestion}.', why: 'This comment suppresses nothing for it.' },
      unused: { text: 'kasmlint-{kind} {rules}: nothing is reported here any more.', why: 'The comment can go: the fix removes it.', severity: 'hint' },
      malformed: {
        text: 'This kasmlint comment is not understood.',
        why: 'Write "# kasmlint-disable-next-line <rule-id> -- <reason>", or "# kasmlint-disable <rule-id> -- <reason>" for the whole file.',
      },
    },
    fixes: {
      remove: { title: 'Remove the unused suppression comment', applicability: 'safe' },
    },
    docs: {
      summary: 'Suppression comments that name no rule, or that no longer suppress anything.',
      whatItDoes:
        'Checks `# kasmlint-disable-next-line <rule> -- <reason>`, `# kasmlint-disable-line <rule>` and `# kasmlint-disable <rule>` (whole file) ' +
        'comments: a rule id that does not exist is reported (a typo would silently suppress nothing), and so is a comment whose rules report ' +
        'nothing where it applies.',
      whyItMatters: 'Stale or mistyped suppressions hide nothing yet look like they do, and they accumulate.',
      example: '# kasmlint-disable-next-line header/x-frame-options -- embedded in our portal\nlocation / { }',
      useInstead: '# kasmlint-disable-next-line headers/x-frame-options -- embedded in our portal\nlocation / { }',
      fixSafety: 'Removing a suppression that suppresses nothing changes no result: safe.',
    },
  },
  check() {
    // see engine/suppress.ts
  },
});
