import { defineRule } from '../rule';

/**
 * Reported by the engine itself (engine/analyze.ts) for each file of an nginx.conf or Kasm tree that
 * no include reaches; declared here like every rule so that its id, message and docs live in one place.
 */
export default defineRule({
  meta: {
    id: 'kasmlint/outside-configuration',
    defaultSeverity: 'information',
    messages: {
      outside: {
        text: 'This file is outside the configuration: no include of {root} reaches it.',
        why:
          'It is checked on its own, in {context} context ({reason}). nginx -t does not read it, so its errors do not stop nginx today ' +
          '(they are warnings here), and fixes that would add directives at its top level are not offered: they assume how it will be included.',
      },
    },
    docs: {
      summary: 'A file in the configuration\'s folder that nginx never reads (no include reaches it).',
      whatItDoes:
        'When a folder holds an nginx.conf (or a Kasm tree), the configuration is what nginx reads from it, includes followed. Files in the ' +
        'folder that no include reaches (disabled sites, templates, a `.default.conf`) are still checked, in the context they declare or ' +
        'imply, and this finding says so at their top: their nginx errors are warnings, never reported as what `nginx -t` says, and fixes ' +
        'that insert directives at their top level are left out.',
      whyItMatters:
        'A linter that reports "nginx -t rejects the configuration" for a file nginx never reads sends the reader after the wrong problem; a ' +
        'fix written into a template for the context it was guessed to have can break nginx on the day the template is enabled.',
      example: '# nginx.conf: include /etc/nginx/sites-enabled/*;\n# sites-available/old.conf is not linked from sites-enabled',
      useInstead: '# enable it (ln -s ../sites-available/old.conf sites-enabled/), or delete it',
    },
  },
  check() {
    // see engine/analyze.ts
  },
});
