import { walk } from '../../model/config';
import { effective } from '../../model/effective';
import { tlsServers } from '../../tls/servers';
import { insertIntoBlock } from '../edits';
import { defineRule } from '../rule';

const SIX_MONTHS = 15_552_000;
export const HSTS_VALUE = 'max-age=63072000';

export function isHstsHeader(name: string): boolean {
  return name.toLowerCase() === 'strict-transport-security';
}

export default defineRule({
  meta: {
    id: 'tls/hsts',
    defaultSeverity: 'warning',
    messages: {
      missing: {
        text: 'This TLS server never sends Strict-Transport-Security.',
        why: 'Browsers keep accepting a plain-HTTP first request, which an attacker on the network can intercept and downgrade (SSL stripping). The fix sends it for two years, on every response.',
      },
      short: {
        text: 'Strict-Transport-Security max-age is {age} seconds ({days} days), under six months.',
        why: 'Browsers forget the host too soon to be protected; the fix sets two years (63072000), the usual value.',
        whyKasm: 'Browsers forget the host too soon to be protected; the fix sets two years (63072000), what Kasm ships.',
      },
    },
    fixes: {
      add: { title: 'Add "add_header Strict-Transport-Security \\"max-age=63072000\\" always;" to this server{also}', applicability: 'safe' },
      longer: { title: 'Use max-age=63072000 (two years)', applicability: 'safe' },
    },
    reads: ['add_header', 'add_header_inherit', 'listen', 'ssl'],
    docs: {
      summary: 'A TLS server without Strict-Transport-Security, or a max-age under six months.',
      whatItDoes:
        'For each server that listens with `ssl`, looks for an `add_header Strict-Transport-Security` in effect at the server or in any of its ' +
        'locations (includes counted: Kasm sets it in each services.d location). Reports a server that never sends it, and a `max-age` under ' +
        'six months (15552000 seconds).',
      whyItMatters:
        'Without HSTS the first request of a browser can go out in plain HTTP and be downgraded by an attacker on the network (SSL stripping); ' +
        'users of Kasm often connect from untrusted networks. CIS NGINX 4.1.8.',
      example: 'server {\n    listen 443 ssl;\n}',
      useInstead: 'server {\n    listen 443 ssl;\n    add_header Strict-Transport-Security "max-age=63072000" always;\n}',
      fixSafety:
        'The header is added at server level with `always`. Because an add_header at a level drops those inherited from above, the fix also ' +
        're-declares at server level the headers the server inherited from http, so nothing else changes: safe.',
    },
  },
  check({ model, settings, report }) {
    const version = settings.nginxVersion;
    const seen = new Set<object>();
    for (const server of tlsServers(model, version)) {
      const inServer = [...walk(server.server)].filter((d) => d.node.name === 'add_header');
      const inherited = effective(server.server, 'add_header', version).directives;
      const hsts = [...inServer, ...inherited].filter((d) => isHstsHeader(d.node.args[0]?.value ?? ''));
      for (const d of hsts) {
        if (seen.has(d)) continue;
        seen.add(d);
        const value = d.node.args[1];
        const age = Number(/max-age\s*=\s*"?(\d+)/i.exec(value?.value ?? '')?.[1] ?? Number.NaN);
        if (!value || Number.isNaN(age) || age >= SIX_MONTHS) continue;
        const replaced = value.value.replace(/max-age\s*=\s*"?\d+"?/i, HSTS_VALUE);
        report({
          message: 'short',
          data: { age, days: Math.floor(age / 86400) },
          file: d.file,
          start: value.start,
          end: value.end,
          fixes: [{ fix: 'longer', edits: [{ file: d.file, start: value.start, end: value.end, newText: `"${replaced}"` }] }],
        });
      }
      if (hsts.length > 0) continue;

      const ownHeaders = server.server.items.filter((d) => d.node.name === 'add_header');
      const fromAbove = ownHeaders.length === 0 ? inherited : [];
      const lines = [...fromAbove.map((d) => d.file.text.slice(d.node.start, d.node.end)), `add_header Strict-Transport-Security "${HSTS_VALUE}" always;`];
      const anchor = server.listens[0] ?? server.server.owner!;
      report({
        message: 'missing',
        file: anchor.file,
        start: anchor.node.start,
        end: anchor.node.end,
        fixes: [
          {
            fix: 'add',
            data: { also: fromAbove.length ? ` (and re-declare the ${fromAbove.length} header${fromAbove.length === 1 ? '' : 's'} it inherits from http)` : '' },
            edits: [insertIntoBlock(server.server.file!, server.server.syntax!, lines, (d) => d.name === 'add_header' || d.name.startsWith('ssl_') || d.name === 'listen' || d.name === 'server_name')],
          },
        ],
      });
    }
  },
});

