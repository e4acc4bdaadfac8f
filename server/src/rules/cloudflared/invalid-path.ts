import { refusalsOf } from '../../cloudflared/load';
import { defineRule } from '../rule';

export default defineRule({
  meta: {
    id: 'cloudflared/invalid-path',
    defaultSeverity: 'error',
    messages: {
      invalid: {
        text: '{cloudflared}',
        why: "cloudflared compiles the path with Go's regexp package (RE2 syntax: no look-around, no back-references) and refuses to start when it does not compile.",
      },
    },
    docs: {
      summary: 'An ingress path that is not a valid Go (RE2) regular expression.',
      whatItDoes:
        "Checks each rule's `path` with the syntax of Go's regexp/syntax (a checker written from its parser, not JavaScript's RegExp): what " +
        'Go accepts passes (`(?P<name>...)`, `(?<name>...)`, `\\z`, `(?i)`, `[[:alpha:]]`), what it refuses is reported with its message: ' +
        'look-around and back-references, `\\Z`, a repeat over 1000 (`a{1001}`), a missing `)` or `]`, a bad escape.',
      whyItMatters:
        'cloudflared refuses to start. Note too that the path is an unanchored regex: `/admin` also matches `/x/admin/y`; anchor it with `^` when that matters.',
      example: 'ingress:\n  - hostname: kasm.example.com\n    path: ^/(?!api)\n    service: https://localhost:443\n  - service: http_status:404',
      useInstead: 'ingress:\n  - hostname: kasm.example.com\n    path: ^/api\n    service: http_status:403\n  - hostname: kasm.example.com\n    service: https://localhost:443\n  - service: http_status:404',
      references: ['https://github.com/google/re2/wiki/Syntax'],
    },
  },
  checkTunnel({ tunnel, report }) {
    for (const refusal of refusalsOf(tunnel.load, ['path'])) report({ message: 'invalid', data: { cloudflared: refusal.message }, file: tunnel.file, start: refusal.start, end: refusal.end });
  },
});
