import { closestMatch } from '../../core/strings';
import { KEYS_BY_GO_TYPE } from '../../cloudflared/config-types';
import { removeEntry, replaceScalar, startsLine } from '../../cloudflared/edits';
import { FLAG_ALIASES, FLAGS_BY_NAME } from '../../cloudflared/flags';
import { TOP_LEVEL_KEYS } from '../../cloudflared/keys';
import { entryOfKey, settingsOf } from '../../cloudflared/load';
import type { YNode } from '../../cloudflared/yamlv3/compose';
import { defineRule, type FixSpec } from '../rule';

/** ingress validate's header for the strict decode's errors (cmd/cloudflared/tunnel/ingress_subcommands.go validateIngressCommand). */
const UNUSED_KEYS = 'Warning: unused keys detected in your config file. Here is a list of unused keys:';

/** Keys cloudflared once had, by struct: why they are gone. */
const REMOVED: Record<string, string> = {
  'config.WarpRoutingConfig enabled': ' warp-routing.enabled was removed in cloudflared 2023.9.0: private network routing is switched on in the Cloudflare dashboard.',
};

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
      nested: {
        text: '{cloudflared}',
        why: `cloudflared ignores this key when the tunnel runs, without a word; only \`cloudflared tunnel ingress validate\` prints "${UNUSED_KEYS}" and this line.{note}`,
      },
      top: {
        text: '"{key}" is not a setting or a flag cloudflared reads from its config file{suggestion}',
        why: 'cloudflared keeps the top-level keys it does not know in a map of flags and never reads this one, without a word, not even from `cloudflared tunnel ingress validate`: the setting has no effect.',
      },
    },
    fixes: {
      rename: { title: 'Change to "{name}"', applicability: 'unsafe' },
      remove: { title: 'Remove "{key}", which has no effect', applicability: 'safe' },
    },
    docs: {
      summary: 'A key cloudflared does not know where it is written (`noTlsVerify` for `noTLSVerify`).',
      whatItDoes:
        'Reports every key cloudflared does not read: in an ingress rule, `originRequest`, `access`, `ipRules` or `warp-routing`, with the line ' +
        '`cloudflared tunnel ingress validate` prints for it under "Warning: unused keys detected in your config file" (yaml.v3\'s ' +
        '`line 7: field noTlsVerify not found in type config.OriginRequestConfig`); at the top level, a key that is neither a setting of the ' +
        'file nor a flag cloudflared reads from it (flag aliases are cloudflared/ignored-setting). Keys are case-sensitive. The message suggests the closest known key.',
      whyItMatters:
        'cloudflared silently ignores an unknown key: `noTlsVerify: true` (instead of `noTLSVerify`) looks like it disables verification and ' +
        'does nothing, and `originServerNmae` leaves the default name in place. Nothing fails until traffic does.',
      example: 'originRequest:\n  noTlsVerify: true',
      useInstead: 'originRequest:\n  noTLSVerify: true',
      fixSafety: 'Renames the key to the suggestion. Unsafe: the setting starts to take effect. A key cloudflared removed is removed instead (safe: it did nothing).',
    },
  },
  checkTunnel({ tunnel, report }) {
    const { file, load } = tunnel;
    if (!load.decoded || load.decoded.fatal) return;
    const keyFixes = (key: YNode, known: Iterable<string>, removed: boolean): Array<FixSpec<'rename' | 'remove'>> => {
      if (removed) {
        const entry = entryOfKey(load.document.root, key);
        return entry && entry.mapping.style === 'block' && startsLine(file, key) ? [{ fix: 'remove', data: { key: key.value }, edits: [removeEntry(file, key, entry.value)] }] : [];
      }
      const near = suggestion(key.value, known);
      return near && key.kind === 'scalar' && !key.quoted ? [{ fix: 'rename', data: { name: near }, edits: [replaceScalar(file, key, near)] }] : [];
    };
    for (const unknown of load.decoded.unknownFields) {
      const known = [...(KEYS_BY_GO_TYPE.get(unknown.structType ?? '')?.keys() ?? [])];
      const note = REMOVED[`${unknown.structType} ${unknown.field}`];
      const near = note ? undefined : suggestion(unknown.field ?? '', known);
      report({
        message: 'nested',
        data: { cloudflared: unknown.message, note: note ?? (near ? ` Did you mean "${near}"?` : '') },
        file,
        start: unknown.node.start,
        end: unknown.node.end,
        fixes: keyFixes(unknown.node, known, note !== undefined),
      });
    }
    const topKeys = [...TOP_LEVEL_KEYS.keys(), ...FLAGS_BY_NAME.keys()];
    for (const [key, entry] of settingsOf(load.top)) {
      if (FLAGS_BY_NAME.has(key) || FLAG_ALIASES.has(key)) continue;
      const near = suggestion(key, topKeys);
      report({ message: 'top', data: { key, suggestion: near ? ` (did you mean "${near}"?)` : '' }, file, start: entry.key.start, end: entry.key.end, fixes: keyFixes(entry.key, topKeys, false) });
    }
  },
});
