import type { ConfigDirective } from '../../model/config';
import type { ContextKind } from '../../nginx/directives';
import { SECURITY_HEADERS } from '../../proxy/headers';
import { checkDroppedInheritance } from '../../proxy/inheritance';
import { headerName } from '../../proxy/locations';
import { defineRule } from '../rule';

const LEVELS: ReadonlySet<ContextKind> = new Set<ContextKind>(['http.server', 'http.location', 'http.if.location']);

/** Headers whose loss weakens the browser's protection: the security headers, and a Cache-Control keeping private pages out of shared caches. */
export function protective(d: ConfigDirective): boolean {
  const name = headerName(d);
  if (SECURITY_HEADERS.has(name) || name === 'x-xss-protection' || name === 'x-permitted-cross-domain-policies' || name === 'clear-site-data') return true;
  return name === 'cache-control' && /private|no-store/i.test(d.node.args[1]?.value ?? '');
}

export default defineRule({
  meta: {
    id: 'headers/inheritance',
    defaultSeverity: 'warning',
    messages: {
      droppedTrailer: {
        text: 'This add_trailer makes nginx drop the trailers set in {level} ({names}).',
        why:
          'A level with any add_trailer of its own inherits none from above: responses from {here} go out without {them}. ' +
          'Re-declare {them} here (or use add_trailer_inherit merge, nginx 1.29.3).',
      },
      dropped: {
        text: 'This {directive} drops {count} header{s} set in {level} ({names}).',
        why: 'A level that has any add_header of its own inherits none from above, so responses from {here} go out without {them}. The fix re-declares {them} here.',
      },
    },
    fixes: {
      redeclare: { title: 'Re-declare the dropped header{s} here ({names})', applicability: 'unsafe', changes: 'these responses carry {names} again' },
    },
    reads: ['add_header', 'add_header_inherit', 'add_trailer', 'add_trailer_inherit'],
    docs: {
      summary: 'An `add_header` that silently drops the headers set at an enclosing level.',
      whatItDoes:
        'For each server, location and `if` block that has `add_header` lines of its own (directly or through an `include`), computes the ' +
        "headers it would inherit if it had none. nginx's rule is \"inherited only if none at this level\": the level drops them all. " +
        'It is reported when what is dropped matters for security: the security headers (Strict-Transport-Security, ' +
        'Content-Security-Policy, X-Frame-Options, X-Content-Type-Options, Referrer-Policy, Permissions-Policy, the Cross-Origin-* ' +
        'policies, X-XSS-Protection, X-Permitted-Cross-Domain-Policies, Clear-Site-Data) and a Cache-Control with private or ' +
        'no-store. Other headers (CORS, X-Robots-Tag, your own) are listed when something that matters is dropped with them, but do ' +
        'not make a finding alone: dropping them changes behaviour a test would show, not the protection a browser gets. ' +
        '`add_header_inherit merge` and `add_header_inherit off` (nginx 1.29.3) say what is meant and are honoured. `add_trailer` ' +
        'follows the same rule and is reported for every trailer dropped (`add_trailer_inherit`, 1.29.3, honoured alike).',
      whyItMatters:
        'This is how security headers disappear: a Strict-Transport-Security or X-Frame-Options set once at server level is gone from every ' +
        'location that adds a Cache-Control. Kasm\'s guide works around it by asking to add X-Frame-Options "to each file that defines ' +
        'add_header"; this rule computes where it is needed. Security headers come first because their absence is silent: the site ' +
        'works, only the protection is gone. A private page losing its Cache-Control can be kept by a shared cache and served to others.',
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
    checkDroppedInheritance(context, 'add_header', LEVELS, { message: 'dropped', matters: protective });
    checkDroppedInheritance(context, 'add_trailer', LEVELS, { message: 'droppedTrailer' });
  },
});
