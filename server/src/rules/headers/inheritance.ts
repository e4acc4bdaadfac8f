import type { ContextKind } from '../../nginx/directives';
import { checkDroppedInheritance } from '../../proxy/inheritance';
import { defineRule } from '../rule';

const LEVELS: ReadonlySet<ContextKind> = new Set<ContextKind>(['http.server', 'http.location', 'http.if.location']);

export default defineRule({
  meta: {
    id: 'headers/inheritance',
    defaultSeverity: 'warning',
    messages: {
      dropped: {
        text: 'This {directive} drops {count} header{s} set in {level} ({names}).',
        why: 'A level that has any add_header of its own inherits none from above, so responses from {here} go out without {them}. The fix re-declares {them} here.',
      },
    },
    fixes: {
      redeclare: { title: 'Re-declare the dropped header{s} here ({names})', applicability: 'unsafe', changes: 'these responses carry {names} again' },
    },
    docs: {
      summary: 'An `add_header` that silently drops the headers set at an enclosing level.',
      whatItDoes:
        'For each server, location and `if` block that has `add_header` lines of its own (directly or through an `include`), computes the ' +
        "headers it would inherit if it had none. nginx's rule is \"inherited only if none at this level\": every one of them whose name " +
        'the level does not set again is reported, with where it was set. (`add_header_inherit merge`, nginx 1.29.3, turns the rule off.)',
      whyItMatters:
        'This is how security headers disappear: a Strict-Transport-Security or X-Frame-Options set once at server level is gone from every ' +
        'location that adds a Cache-Control. Kasm\'s guide works around it by asking to add X-Frame-Options "to each file that defines ' +
        'add_header"; this rule computes where it is needed.',
      example: 'server {\n    add_header X-Frame-Options SAMEORIGIN always;\n    location / {\n        add_header Cache-Control "private";\n    }\n}',
      useInstead:
        'server {\n    add_header X-Frame-Options SAMEORIGIN always;\n    location / {\n        add_header Cache-Control "private";\n        add_header X-Frame-Options SAMEORIGIN always;\n    }\n}',
      fixSafety:
        "Copies the dropped lines, as written, after the level's last add_header. Unsafe: a level may drop a header on purpose, and the copy " +
        'must be kept in step with the original.',
      references: ['https://nginx.org/en/docs/http/ngx_http_headers_module.html#add_header'],
    },
  },
  check(context) {
    checkDroppedInheritance(context, 'add_header', LEVELS);
  },
});
