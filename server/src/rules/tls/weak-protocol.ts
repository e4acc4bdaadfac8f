import { listWords } from '../../core/strings';
import { PROFILES } from '../../tls/profiles';
import { PROTOCOL_VERSIONS, tlsServers } from '../../tls/servers';
import { insertIntoBlock, replaceArguments } from '../edits';
import { defineRule } from '../rule';
import { refused } from '../support';

const BROKEN = new Set(['sslv2', 'sslv3']);
const KNOWN = new Set(Object.keys(PROTOCOL_VERSIONS).map((k) => k.toLowerCase()));
const DEPRECATED = new Set(['tlsv1', 'tlsv1.1']);

export default defineRule({
  meta: {
    id: 'tls/weak-protocol',
    defaultSeverity: 'warning',
    messages: {
      configured: { text: 'ssl_protocols enables {weak}.', why: '{why} The {profile} allows {allowed}; the fix sets them.' },
      byDefault: {
        text: "This TLS server sets no ssl_protocols, and nginx {version}'s default enables {weak}.",
        why: 'nginx {version} defaults to "{defaults}". {why} The {profile} allows {allowed}; the fix sets them.',
      },
      unknown: {
        text: 'ssl_protocols names "{name}", which nginx does not know.',
        ...refused('nginx knows SSLv2, SSLv3, TLSv1, TLSv1.1, TLSv1.2 and TLSv1.3.'),
        severity: 'error',
      },
    },
    fixes: {
      replace: { title: 'Use "ssl_protocols {protocols}" ({profile})', applicability: 'safe' },
      add: { title: 'Add "ssl_protocols {protocols};" to this server ({profile})', applicability: 'safe' },
    },
    reads: ['listen', 'ssl', 'ssl_protocols'],
    docs: {
      summary: 'SSLv2, SSLv3, TLS 1.0 or TLS 1.1 enabled, explicitly or through the default of the configured nginx version.',
      whatItDoes:
        'For every server that listens with `ssl`, finds the protocol versions it really enables: `ssl_protocols` where it is set (at the server ' +
        'or inherited from http; several lines add up, as nginx ORs them), otherwise the default of the nginx version checked: `TLSv1 TLSv1.1 ' +
        'TLSv1.2` up to 1.23.3, plus `TLSv1.3` up to 1.27.2 (which includes Kasm\'s 1.25.1), `TLSv1.2 TLSv1.3` since 1.27.3. Anything older than ' +
        'the chosen profile allows is reported; with the `mozilla-modern` profile that includes TLS 1.2.',
      whyItMatters:
        'SSLv3 is broken (POODLE). TLS 1.0 and 1.1 are deprecated (RFC 8996), rely on SHA-1 and CBC constructions, and fail compliance checks ' +
        '(DISA STIG V-278381, CAT I; CIS 4.1.4). Every browser that can run a Kasm session speaks TLS 1.2 or 1.3.',
      severityNote: 'SSLv2 or SSLv3 let in is an error in every preset.',
      example: 'server {\n    listen 443 ssl;\n    ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;\n}',
      useInstead: 'server {\n    listen 443 ssl;\n    ssl_protocols TLSv1.2 TLSv1.3;\n}',
      fixSafety:
        'Replacing the protocols with the profile\'s is applied by --fix: it is the point of the rule, and the profiles keep every current ' +
        'browser working. Clients that only speak TLS 1.0/1.1 (Internet Explorer 10 and older, Android 4.3 and older) can no longer connect.',
      references: ['https://www.rfc-editor.org/rfc/rfc8996', 'https://ssl-config.mozilla.org/'],
    },
  },
  check({ model, settings, report }) {
    const profile = PROFILES[settings.tlsProfile];
    const allowed = new Set(profile.protocols.map((p) => p.toLowerCase()));
    const protocols = profile.protocols.join(' ');
    const data = { profile: profile.title, allowed: listWords(profile.protocols), protocols };

    for (const server of tlsServers(model, settings.nginxVersion)) {
      const weak = server.protocols.names.filter((n) => KNOWN.has(n.toLowerCase()) && !allowed.has(n.toLowerCase()));
      const why = weak.some((n) => BROKEN.has(n.toLowerCase()))
        ? 'SSLv2 and SSLv3 are broken (POODLE), and no browser needs them.'
        : weak.some((n) => DEPRECATED.has(n.toLowerCase()))
          ? 'TLS 1.0 and 1.1 are deprecated (RFC 8996): they rely on SHA-1 and CBC constructions, and no current browser needs them.'
          : 'the chosen profile requires TLS 1.3 only.';
      const severity = weak.some((n) => BROKEN.has(n.toLowerCase())) ? ('error' as const) : undefined;

      if (!server.protocols.isDefault) {
        for (const d of server.protocols.from) {
          for (const arg of d.node.args) {
            if (!KNOWN.has(arg.value.toLowerCase())) {
              report({ message: 'unknown', data: { name: arg.value }, file: d.file, start: arg.start, end: arg.end });
            }
          }
          const here = d.node.args.filter((a) => weak.includes(a.value));
          if (here.length === 0) continue;
          report({
            message: 'configured',
            data: { ...data, weak: listWords(here.map((a) => a.value)), why },
            file: d.file,
            start: d.node.args[0]!.start,
            end: d.node.args[d.node.args.length - 1]!.end,
            severity,
            fixes: [{ fix: 'replace', data, edits: [replaceArguments(d.file, d.node, protocols)] }],
          });
        }
        continue;
      }
      if (weak.length === 0) continue;
      const anchor = server.listens[0] ?? server.server.owner!;
      const syntax = server.server.syntax!;
      const file = server.server.file!;
      report({
        message: 'byDefault',
        data: { ...data, weak: listWords(weak), why, version: settings.nginxVersion, defaults: server.protocols.names.join(' ') },
        file: anchor.file,
        start: anchor.node.start,
        end: anchor.node.end,
        severity,
        fixes: [
          {
            fix: 'add',
            data,
            edits: [insertIntoBlock(file, syntax, [`ssl_protocols ${protocols};`], (d) => d.name.startsWith('ssl_') || d.name === 'listen' || d.name === 'server_name')],
          },
        ],
      });
    }
  },
});
