import { listWords } from '../../core/strings';
import { effective } from '../../model/effective';
import { findGroup, type Group, laterGroup } from '../../tls/groups';
import { PROFILES } from '../../tls/profiles';
import { tlsServers } from '../../tls/servers';
import { replaceArguments } from '../edits';
import { defineRule } from '../rule';
import { refused } from '../support';

export default defineRule({
  meta: {
    id: 'tls/ecdh-curve',
    defaultSeverity: 'warning',
    messages: {
      unknown: {
        text: 'ssl_ecdh_curve names {names}, which OpenSSL {openssl} does not know{why}.',
        ...refused('SSL_CTX_set1_curves_list fails on the whole list; the fix keeps the groups OpenSSL knows.'),
        severity: 'error',
      },
      repeated: { text: 'ssl_ecdh_curve names the group {names} twice.', ...refused('OpenSSL refuses the whole list.'), severity: 'error' },
      weak: {
        text: 'ssl_ecdh_curve offers {names}, under 112 bits of security.',
        why: 'A weak group lets an attacker recover session keys, and OpenSSL at security level 2 refuses it anyway; the fix keeps the others.',
      },
    },
    fixes: {
      keepGood: { title: 'Keep only {groups}', applicability: 'safe' },
    },
    options: {
      opensslVersion: {
        description: "The OpenSSL version nginx is built with (Kasm's nginx 1.25.1 image: 3.0). Hybrid post-quantum groups such as X25519MLKEM768 need 3.5.",
        default: '3.0',
      },
    },
    reads: ['listen', 'ssl', 'ssl_ecdh_curve'],
    docs: {
      summary: 'Key-exchange groups OpenSSL does not know (nginx then refuses to start), repeated, or weak.',
      whatItDoes:
        "Checks each group of `ssl_ecdh_curve` against the groups of the OpenSSL nginx uses (the `opensslVersion` option, 3.0 by default as in Kasm's " +
        'image): names are matched as OpenSSL matches them, case-sensitively. `X25519MLKEM768`, first in Mozilla\'s 2026 profiles, only exists from ' +
        'OpenSSL 3.5 on. A group named twice is refused too. Groups under 112 bits of security (sect163*, secp160*, secp192*) are reported as weak.',
      whyItMatters:
        'Copying the current Mozilla configuration onto Kasm\'s proxy stops it: OpenSSL 3.0 rejects the unknown group and nginx exits with ' +
        '`SSL_CTX_set1_curves_list(...) failed` (measured with the real nginx). Weak groups let an attacker recover session keys.',
      example: 'ssl_ecdh_curve X25519MLKEM768:X25519:prime256v1:secp384r1;',
      useInstead: 'ssl_ecdh_curve X25519:prime256v1:secp384r1;',
      fixSafety: 'Removing the groups OpenSSL refuses or cannot use keeps the others: safe.',
    },
  },
  check({ model, settings, options, report }) {
    const openssl = String(options.opensslVersion ?? '3.0');
    const seen = new Set<object>();
    for (const server of tlsServers(model, settings.nginxVersion)) {
      const d = effective(server.server, 'ssl_ecdh_curve', settings.nginxVersion).directives[0];
      if (!d || seen.has(d)) continue;
      seen.add(d);
      const arg = d.node.args[0];
      if (!arg || arg.value === 'auto' || arg.value.includes('$')) continue;
      const names = arg.value.split(':').filter((n) => n !== '');
      const unknown: string[] = [];
      const repeated: string[] = [];
      const weak: string[] = [];
      const kept: string[] = [];
      const used = new Set<Group>();
      for (const name of names) {
        const group = findGroup(name, openssl);
        if (!group) unknown.push(name);
        else if (used.has(group)) repeated.push(name);
        else {
          used.add(group);
          (group.securityBits < 112 ? weak : kept).push(name);
        }
      }
      const groups = kept.length ? kept.join(':') : PROFILES[settings.tlsProfile].curves;
      const fixes = [{ fix: 'keepGood' as const, data: { groups }, edits: [replaceArguments(d.file, d.node, groups)] }];
      const at = { file: d.file, start: arg.start, end: arg.end };
      if (unknown.length) {
        const why = unknown.some(laterGroup) ? ' (it appeared in OpenSSL 3.5)' : '';
        report({ message: 'unknown', data: { names: listWords(unknown.map((n) => `"${n}"`)), openssl, why }, ...at, fixes });
      } else if (repeated.length) {
        report({ message: 'repeated', data: { names: listWords(repeated.map((n) => `"${n}"`)) }, ...at, fixes });
      } else if (weak.length) {
        report({ message: 'weak', data: { names: listWords(weak) }, ...at, fixes });
      }
    }
  },
});
