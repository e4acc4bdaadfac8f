import { closestMatch } from '../../core/strings';
import { replaceScalar } from '../../cloudflared/edits';
import { walkKeys } from '../../cloudflared/walk';
import { defineRule, type FixSpec } from '../rule';

/** Keys whose case alone is wrong are matched case-insensitively first: noTlsVerify → noTLSVerify. */
function suggestion(key: string, known: Iterable<string>): string | undefined {
  const list = [...known];
  return list.find((k) => k.toLowerCase() === key.toLowerCase()) ?? closestMatch(key, list);
}

export default defineRule({
  meta: {
    id: 'cloudflared/unknown-key',
    defaultSeverity: 'warning',
    messages: {
      nested: '"{key}" is not a key of {place}{suggestion}: cloudflared ignores it silently when the tunnel runs (only "cloudflared tunnel ingress validate" warns: field {key} not found), so the setting has no effect.',
      top: '"{key}" is not a key cloudflared knows{suggestion}: it is ignored without a word, so the setting has no effect.',
    },
    fixes: {
      rename: { title: 'Change to "{name}"', applicability: 'unsafe' },
    },
    docs: {
      summary: 'A key cloudflared does not know where it is written (`noTlsVerify` for `noTLSVerify`).',
      whatItDoes:
        'Checks every key against what cloudflared reads at that place: the top level (its own keys and the command-line flags usable as keys), ' +
        'ingress rules, `originRequest`, `access`, `ipRules`, `warp-routing`. Keys are case-sensitive. The message suggests the closest known key.',
      whyItMatters:
        'cloudflared silently ignores an unknown key: `noTlsVerify: true` (instead of `noTLSVerify`) looks like it disables verification and ' +
        'does nothing, and `originServerNmae` leaves the default name in place. Nothing fails until traffic does.',
      example: 'originRequest:\n  noTlsVerify: true',
      useInstead: 'originRequest:\n  noTLSVerify: true',
      fixSafety: 'Renames the key to the suggestion. Unsafe: the setting starts to take effect.',
    },
  },
  checkTunnel({ tunnel, report }) {
    walkKeys(tunnel, ({ entry, place, info, known }) => {
      if (info || (place === 'warp-routing' && entry.key === 'enabled')) return; // enabled: cloudflared/ignored-setting
      const near = suggestion(entry.key, known.keys());
      const fixes: Array<FixSpec<'rename'>> = near ? [{ fix: 'rename', data: { name: near }, edits: [replaceScalar(tunnel.file, entry.keyNode, near)] }] : [];
      report({
        message: place === 'top' ? 'top' : 'nested',
        data: { key: entry.key, place: place === 'ingress rule' ? 'an ingress rule' : place, suggestion: near ? ` (did you mean "${near}"?)` : '' },
        file: tunnel.file,
        start: entry.keyNode.range![0],
        end: entry.keyNode.range![1],
        fixes,
      });
    });
  },
});
