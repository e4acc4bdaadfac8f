import { asMap, entry, ingressRules, span } from '../../cloudflared/document';
import { removeEntry } from '../../cloudflared/edits';
import { LEGACY_ORIGIN_FLAGS } from '../../cloudflared/keys';
import { defineRule, type FixSpec } from '../rule';

export default defineRule({
  meta: {
    id: 'cloudflared/ignored-setting',
    defaultSeverity: 'warning',
    messages: {
      legacy: '"{key}" is a legacy origin flag: once the file has ingress rules, cloudflared ignores it{instead}.',
      topLevelAccess:
        'access in the top-level originRequest is not enforced: cloudflared validates Access tokens only from the originRequest of each ingress rule, so requests reach the origin without an Access check.',
      warpEnabled: 'warp-routing.enabled was removed in cloudflared 2023.9.0: it has no effect; private routing is switched on in the Cloudflare dashboard.',
    },
    fixes: {
      remove: { title: 'Remove "{key}", which has no effect', applicability: 'safe' },
    },
    docs: {
      summary: 'Settings that look effective but that cloudflared ignores.',
      whatItDoes:
        'Reports the legacy top-level origin flags (`no-tls-verify`, `origin-server-name`, `origin-ca-pool`, `proxy-connect-timeout`, ...) when ' +
        'the file has ingress rules, `access` in the top-level `originRequest`, and `warp-routing.enabled`.',
      whyItMatters:
        "These keys are accepted without a word and do nothing: an `access` block at the top looks like it protects every rule and protects none; `origin-ca-pool` looks like it verifies the origin and does not.",
      example: 'no-tls-verify: false\noriginRequest:\n  access:\n    required: true\n    teamName: example\n    audTag: [abc]\ningress:\n  - service: https://localhost:443',
      useInstead: 'ingress:\n  - service: https://localhost:443\n    originRequest:\n      access:\n        required: true\n        teamName: example\n        audTag: [abc]',
      fixSafety: 'Removes a key that has no effect: nothing changes at run time. Safe. (An ignored access block is not removed: move it into each rule.)',
    },
  },
  checkTunnel({ tunnel, report }) {
    const { rules } = ingressRules(tunnel);
    const remove = (e: NonNullable<ReturnType<typeof entry>>): Array<FixSpec<'remove'>> => [{ fix: 'remove', data: { key: e.key }, edits: [removeEntry(tunnel.file, e)] }];
    if (rules.length > 0) {
      for (const [key, originKey] of LEGACY_ORIGIN_FLAGS) {
        const e = entry(tunnel.top, key);
        if (!e) continue;
        report({
          message: 'legacy',
          data: { key, instead: originKey ? `: set ${originKey} in originRequest instead` : '' },
          file: tunnel.file,
          start: e.keyNode.range![0],
          end: span(e.value, e.keyNode).end,
          fixes: remove(e),
        });
      }
    }
    const access = entry(asMap(entry(tunnel.top, 'originRequest')?.value), 'access');
    if (access) report({ message: 'topLevelAccess', file: tunnel.file, start: access.keyNode.range![0], end: access.keyNode.range![1] });
    const enabled = entry(asMap(entry(tunnel.top, 'warp-routing')?.value), 'enabled');
    if (enabled) report({ message: 'warpEnabled', file: tunnel.file, start: enabled.keyNode.range![0], end: span(enabled.value, enabled.keyNode).end, fixes: remove(enabled) });
  },
});
