import type { TunnelFile } from '../../cloudflared/document';
import { removeEntry, replaceScalar, startsLine } from '../../cloudflared/edits';
import { FLAG_ALIASES, FLAGS_BY_NAME } from '../../cloudflared/flags';
import { boolField, checkService, field, listField, ruleBool, structField, URL_WITH_INGRESS } from '../../cloudflared/ingress';
import { entryOfKey, settingsOf, type TunnelLoad } from '../../cloudflared/load';
import type { YNode } from '../../cloudflared/yamlv3/compose';
import type { FieldValue } from '../../cloudflared/yamlv3/decode';
import { defineRule, type FixSpec } from '../rule';

/** runCommand's warning (cmd/cloudflared/tunnel/subcommands.go), in two parts: the fact, and what to do. */
const HOSTNAME_IGNORED = 'The property `hostname` in your configuration is ignored because you configured a Named Tunnel in the property `tunnel` to run.';
const HOSTNAME_ADVICE =
  'Make sure to provision the routing (e.g. via `cloudflared tunnel route dns/lb`) or else your origin will not be reachable. You should remove the `hostname` property to avoid this warning.';

type Fix = 'remove' | 'rename';

function removal(file: TunnelFile, load: TunnelLoad, key: YNode): Array<FixSpec<Fix>> {
  const entry = entryOfKey(load.document.root, key);
  return entry && entry.mapping.style === 'block' && startsLine(file, key) ? [{ fix: 'remove', data: { key: key.value }, edits: [removeEntry(file, key, entry.value)] }] : [];
}

export default defineRule({
  meta: {
    id: 'cloudflared/ignored-setting',
    defaultSeverity: 'warning',
    messages: {
      legacy: {
        text: '"{key}" is ignored: cloudflared reads it only for a tunnel without ingress rules',
        why: 'With ingress rules, each origin takes its settings from originRequest{instead}; this single-origin flag has no effect.',
      },
      urlWithIngress: {
        text: '{cloudflared}',
        why: '`cloudflared tunnel ingress validate` refuses the file with this message; `cloudflared tunnel run` ignores url and uses the ingress rules.',
      },
      noEffect: { text: '"{key}" has no effect: {usage}', why: 'cloudflared still accepts the flag, and ignores it.' },
      alias: {
        text: '"{key}" is ignored: cloudflared reads the {flag} flag from its config file by that name only',
        why: '"{key}" is an alias of --{flag} on the command line; in the file cloudflared looks up each flag by its full name, and keeps this key in a map it never reads.',
      },
      hostname: { text: HOSTNAME_IGNORED, why: HOSTNAME_ADVICE },
      topLevelAccess: {
        text: 'access in the top-level originRequest is not enforced: cloudflared checks Access only from each rule',
        why: "cloudflared validates Access tokens only from the originRequest of each ingress rule, so requests reach the origins without an Access check. Move the block into each rule's originRequest.",
      },
      topLevelIpRules: {
        text: 'ipRules in the top-level originRequest are never used: cloudflared reads them only from each rule',
        why: "A socks-proxy rule takes its ipRules from its own originRequest only; these allow or deny nothing. Move them into the socks-proxy rule's originRequest.",
      },
      ipRulesUnused: {
        text: 'ipRules have no effect on rule #{n}: cloudflared uses them only for a socks-proxy service',
        why: 'The rule proxies to {service}; cloudflared builds an IP access policy only for `service: socks-proxy`, so these rules allow or deny nothing.',
      },
      accessNotRequired: {
        text: 'Access is not enforced on rule #{n}: access.required is not true',
        why: 'cloudflared adds the Access token check only when access.required is true; teamName and audTag alone do nothing, and requests reach the origin unchecked.',
      },
      bastion: {
        text: 'bastionMode is on, so cloudflared runs rule #{n} as a bastion and ignores its service {service}',
        why: 'cloudflared decides bastion mode before it reads the URL (ingress.go validateIngress): the rule becomes a jump host for `cloudflared access` clients, and {service} is never proxied to.',
      },
    },
    fixes: {
      remove: { title: 'Remove "{key}", which has no effect', applicability: 'safe' },
      rename: { title: 'Change to "{name}"', applicability: 'unsafe' },
    },
    docs: {
      summary: 'Settings that look effective but that cloudflared ignores.',
      whatItDoes:
        'Reports the settings cloudflared reads and then ignores: the single-origin flags (`url`, `no-tls-verify`, `origin-ca-pool`, ' +
        '`proxy-connect-timeout`, ...) beside ingress rules, the flags that no longer do anything, a flag written by its command-line alias ' +
        '(`cred-file`, `pq`, `p`: cloudflared reads flags from the file by name only), `hostname` (with the warning cloudflared prints), ' +
        '`access` or `ipRules` in the top-level `originRequest`, `ipRules` on a rule that is not a socks-proxy, an Access block without ' +
        '`required: true`, and `bastionMode` turning a rule with a URL into a bastion.',
      whyItMatters:
        "These keys are accepted without a word (or with a warning in the log) and do nothing: an `access` block at the top looks like it protects every rule and protects none; `origin-ca-pool` looks like it verifies the origin and does not; `cred-file` looks like it names the credentials and is never read.",
      example: 'no-tls-verify: false\noriginRequest:\n  access:\n    required: true\n    teamName: example\n    audTag: [abc]\ningress:\n  - service: https://localhost:443',
      useInstead: 'ingress:\n  - service: https://localhost:443\n    originRequest:\n      access:\n        required: true\n        teamName: example\n        audTag: [abc]',
      fixSafety:
        'Removes a key that has no effect: nothing changes at run time. Safe. A flag alias is renamed to the flag (unsafe: the setting starts to take effect). An ignored access block is not removed: move it into each rule.',
    },
  },
  checkTunnel({ tunnel, report }) {
    const { file, load } = tunnel;
    if (!load.top) return;
    const settings = settingsOf(load.top);
    const at = (e: FieldValue) => ({ file, start: e.key.start, end: e.node.end > e.key.end ? e.node.end : e.key.end });

    for (const [key, entry] of settings) {
      const flag = FLAGS_BY_NAME.get(key);
      const alias = FLAG_ALIASES.get(key);
      if (alias && !settings.has(alias.key)) {
        const fixes: Array<FixSpec<Fix>> = entry.key.kind === 'scalar' && !entry.key.quoted ? [{ fix: 'rename', data: { name: alias.key }, edits: [replaceScalar(file, entry.key, alias.key)] }] : [];
        report({ message: 'alias', data: { key, flag: alias.key }, ...at(entry), fixes });
      } else if (alias) {
        report({ message: 'alias', data: { key, flag: alias.key }, ...at(entry), fixes: removal(file, load, entry.key) });
      }
      if (!flag || !load.applied.has(key)) continue;
      if (flag.noEffect) report({ message: 'noEffect', data: { key, usage: flag.noEffect }, ...at(entry), fixes: removal(file, load, entry.key) });
      else if (key === 'hostname') report({ message: 'hostname', ...at(entry), fixes: removal(file, load, entry.key) });
      else if (flag.legacy && load.rules.length > 0) {
        if (key === 'url') report({ message: 'urlWithIngress', data: { cloudflared: URL_WITH_INGRESS }, ...at(entry), fixes: removal(file, load, entry.key) });
        else report({ message: 'legacy', data: { key, instead: typeof flag.legacy === 'string' ? ` (here: ${flag.legacy})` : '' }, ...at(entry), fixes: removal(file, load, entry.key) });
      }
    }

    const topAccess = field(load.defaults, 'access');
    if (topAccess) report({ message: 'topLevelAccess', file, start: topAccess.key.start, end: topAccess.key.end });
    const topIpRules = field(load.defaults, 'ipRules');
    if (topIpRules && listField(load.defaults, 'ipRules').length > 0) report({ message: 'topLevelIpRules', file, start: topIpRules.key.start, end: topIpRules.key.end });

    for (const rule of load.rules) {
      const n = rule.index + 1;
      const ipRules = field(rule.originRequest, 'ipRules');
      if (ipRules && listField(rule.originRequest, 'ipRules').length > 0 && rule.service !== 'socks-proxy') {
        report({ message: 'ipRulesUnused', data: { n, service: rule.service || 'no service' }, file, start: ipRules.key.start, end: ipRules.key.end });
      }
      const access = structField(rule.originRequest, 'access');
      if (access && !boolField(access, 'required') && (field(access, 'teamName') || field(access, 'audTag'))) {
        const where = field(rule.originRequest, 'access')!;
        report({ message: 'accessNotRequired', data: { n }, file, start: where.key.start, end: where.key.end });
      }
      const service = checkService(rule.service);
      if (ruleBool(rule, load.defaults, 'bastionMode') && rule.service !== '' && rule.service !== 'bastion' && (!service.ok || service.kind === 'url')) {
        const where = field(rule.originRequest, 'bastionMode') ?? field(load.defaults, 'bastionMode')!;
        report({ message: 'bastion', data: { n, service: rule.service }, file, start: where.key.start, end: where.node.end });
      }
    }
  },
});
