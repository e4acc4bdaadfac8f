import type { ContextKind } from '../../nginx/directives';
import { checkDroppedInheritance } from '../../proxy/inheritance';
import { defineRule } from '../rule';

const LEVELS: ReadonlySet<ContextKind> = new Set<ContextKind>(['http.server', 'http.location']);

export default defineRule({
  meta: {
    id: 'proxy/header-inheritance',
    defaultSeverity: 'warning',
    messages: {
      dropped: {
        text: 'This {directive} drops {count} request header{s} set in {level} ({names}).',
        why: 'A level that has any proxy_set_header of its own inherits none from above, so the upstream no longer receives {them} from {here}. The fix re-declares {them} here.',
      },
    },
    fixes: {
      redeclare: { title: 'Re-declare the dropped header{s} here ({names})', applicability: 'unsafe', changes: 'the upstream receives {names} again' },
    },
    reads: ['proxy_set_header'],
    docs: {
      summary: 'A `proxy_set_header` that silently drops the request headers set at an enclosing level.',
      whatItDoes:
        'For each server and location with `proxy_set_header` lines of its own (includes counted), lists the ones it would have inherited ' +
        'and no longer does, because nginx inherits these only if a level defines none.',
      whyItMatters:
        'Dropping `Host`, `X-Forwarded-For`, `X-Forwarded-Proto` or the WebSocket `Upgrade`/`Connection` headers breaks Kasm in ways that are ' +
        'hard to trace: wrong redirects, lost client addresses in logs and rate limits, desktops that never connect.',
      example: 'server {\n    proxy_set_header Host $host;\n    location /api/ {\n        proxy_set_header X-Real-IP $remote_addr;\n        proxy_pass http://kasm_api;\n    }\n}',
      useInstead:
        'server {\n    proxy_set_header Host $host;\n    location /api/ {\n        proxy_set_header X-Real-IP $remote_addr;\n        proxy_set_header Host $host;\n        proxy_pass http://kasm_api;\n    }\n}',
      fixSafety: "Copies the dropped lines after the level's last proxy_set_header. Unsafe: the drop may be intended.",
      references: ['https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_set_header'],
    },
  },
  check(context) {
    checkDroppedInheritance(context, 'proxy_set_header', LEVELS);
  },
});
