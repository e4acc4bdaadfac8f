import { closestMatch } from '../../core/strings';
import { atHttpLevel } from '../../proxy/locations';
import { zoneKey, type ZoneUse, zoneUses } from '../../proxy/ratelimit';
import { defineRule, type FixSpec } from '../rule';
import { refused } from '../support';

const DEFINING = { limit_req: 'limit_req_zone', limit_conn: 'limit_conn_zone' } as const;

export default defineRule({
  meta: {
    id: 'ratelimit/unknown-zone',
    defaultSeverity: 'error',
    messages: {
      unknown: {
        text: '{directive} uses zone "{name}", which no {defining} defines{suggestion}.',
        ...refused(`nginx fails at start-up with: zero size shared memory zone "{name}", naming no file or line.`),
      },
      differentUse: { text: 'the shared memory zone "{name}" is already declared for a different use ({where}).', ...refused('"{name}" is a {otherKind} zone there.') },
      redefined: { text: '{directive} "{name}" is already bound to key "{key}" ({where}).', ...refused('A zone is defined once.') },
    },
    fixes: {
      rename: { title: 'Use zone "{name}"', applicability: 'unsafe', changes: 'another zone limits these requests' },
      define: { title: 'Define zone "{name}" ({line})', applicability: 'unsafe', changes: 'these requests get limited' },
    },
    reads: ['limit_conn', 'limit_conn_zone', 'limit_req', 'limit_req_zone'],
    docs: {
      summary: 'A `limit_req`/`limit_conn` naming a zone nothing defines, or a zone defined twice or for two uses.',
      whatItDoes:
        'Follows the rate-limit zones of each configuration in the order nginx reads them. Reports a `limit_req zone=NAME` or ' +
        '`limit_conn NAME` with no matching `limit_req_zone`/`limit_conn_zone` (nginx fails at start-up with "zero size shared memory zone", ' +
        'naming no file), a name used for both kinds, and a zone defined twice. These are the errors `nginx -t` prints, in its words.',
      whyItMatters:
        "A rate limit added to each services.d location, as Kasm's guide asks, stops kasm_proxy from starting when the zone's name is " +
        'mistyped or its `limit_req_zone` went into a file that is not read at http level. nginx\'s message does not say where the use is.',
      example: 'limit_req_zone $binary_remote_addr zone=mylimit:10m rate=100r/s;\n\nlocation / {\n    limit_req zone=my_limit burst=20 nodelay;\n}',
      useInstead: 'limit_req_zone $binary_remote_addr zone=mylimit:10m rate=100r/s;\n\nlocation / {\n    limit_req zone=mylimit burst=20 nodelay;\n}',
      fixSafety:
        'When a defined zone of the same kind has a close name, the fix uses it; otherwise it defines the zone at http level (above the ' +
        "server) with Kasm's guide's values. Unsafe: which limit applies changes.",
      references: ['https://nginx.org/en/docs/http/ngx_http_limit_req_module.html'],
    },
  },
  check({ model, report }) {
    for (const root of model.roots) {
      const uses = zoneUses(model, root);
      const first = new Map<string, ZoneUse>();
      const definition = new Map<string, ZoneUse>();
      const where = (u: ZoneUse) => `${u.directive.node.name} at ${u.directive.file.path.split('/').pop()}:${u.directive.node.nginxLine}`;
      for (const u of uses) {
        const seen = first.get(u.name);
        const node = u.directive.node;
        if (seen && seen.kind !== u.kind) {
          report({
            message: 'differentUse',
            data: { name: u.name, otherKind: seen.kind, where: where(seen) },
            file: u.directive.file,
            start: node.start,
            end: node.end,
            nginx: { seq: u.directive.seq, line: node.nginxLine, message: `the shared memory zone "${u.name}" is already declared for a different use` },
          });
          continue;
        }
        const defined = definition.get(u.name);
        if (u.defines && defined) {
          const message = `${node.name} "${u.name}" is already bound to key "${zoneKey(defined.directive)}"`;
          report({
            message: 'redefined',
            data: { directive: node.name, name: u.name, key: zoneKey(defined.directive), where: where(defined) },
            file: u.directive.file,
            start: node.start,
            end: node.end,
            nginx: { seq: u.directive.seq, line: node.nginxLine, message },
          });
          continue;
        }
        if (!seen) first.set(u.name, u);
        if (u.defines && !defined) definition.set(u.name, u);
      }

      for (const u of uses) {
        if (u.defines || definition.has(u.name) || first.get(u.name)?.kind !== u.kind) continue;
        const defining = DEFINING[u.kind];
        const known = [...definition.values()].filter((d) => d.kind === u.kind).map((d) => d.name);
        const near = closestMatch(u.name, known);
        const fixes: Array<FixSpec<'rename' | 'define'>> = [];
        const nameToken = u.directive.node.args.find((a) => (u.kind === 'limit_req' ? a.value === `zone=${u.name}` : a.value === u.name));
        if (near && nameToken) {
          fixes.push({ fix: 'rename', data: { name: near }, edits: [{ file: u.directive.file, start: nameToken.start, end: nameToken.end, newText: u.kind === 'limit_req' ? `zone=${near}` : near }] });
        }
        const line = u.kind === 'limit_req' ? `limit_req_zone $binary_remote_addr zone=${u.name}:10m rate=100r/s;` : `limit_conn_zone $binary_remote_addr zone=${u.name}:10m;`;
        // (a zone without a name is a typo to correct, not one to define)
        const define = u.name === '' ? undefined : atHttpLevel(u.directive.parent, [line]);
        if (define) fixes.push({ fix: 'define', data: { name: u.name, line }, edits: [define] });
        const firstUse = first.get(u.name)!;
        report({
          message: 'unknown',
          data: { directive: u.directive.node.name, name: u.name, defining, suggestion: near ? ` (did you mean "${near}"?)` : '' },
          file: u.directive.file,
          start: u.directive.node.start,
          end: u.directive.node.end,
          fixes,
          nginx: { seq: firstUse.directive.seq, line: firstUse.directive.node.nginxLine, message: `zero size shared memory zone "${u.name}"`, atStartup: true, unlocated: true },
        });
      }
    }
  },
});
