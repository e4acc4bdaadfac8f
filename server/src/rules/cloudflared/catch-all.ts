import { appendListItem } from '../../cloudflared/edits';
import { field, NO_RULES, NO_RULES_AT_RUN } from '../../cloudflared/ingress';
import { refusalsOf } from '../../cloudflared/load';
import { defineRule, type FixSpec } from '../rule';

/** The flags that give a tunnel without ingress rules its one origin (ingress.go parseSingleOriginService). */
const SINGLE_ORIGIN_FLAGS = ['hello-world', 'bastion', 'url', 'unix-socket'];

export default defineRule({
  meta: {
    id: 'cloudflared/catch-all',
    defaultSeverity: 'error',
    messages: {
      noRules: {
        text: '{cloudflared}',
        why:
          '`cloudflared tunnel run` starts anyway and answers 503 to every request; `cloudflared tunnel ingress validate` refuses the file ("Validation failed: ' +
          `${NO_RULES}"). Add rules that end with a catch-all such as "- service: http_status:404".`,
      },
      lastNotCatchAll: {
        text: '{cloudflared}',
        why: 'cloudflared refuses to start: the last rule answers whatever no other rule matched. Add a last rule without hostname and path, such as "- service: http_status:404".',
      },
    },
    fixes: {
      append: { title: 'Append "- service: http_status:404" as the last rule', applicability: 'safe' },
    },
    docs: {
      summary: 'No ingress rules, or a last rule that does not match every request.',
      whatItDoes:
        'cloudflared requires the last ingress rule to match every request (no `hostname`, or `*`, and no `path`): it answers what no other ' +
        'rule matched, and cloudflared refuses to start otherwise. A file whose `ingress` is empty (or holds only nulls, which yaml.v3 drops) ' +
        'is a warning: `cloudflared tunnel run` starts and answers 503 to everything (unless the tunnel gets its configuration from the ' +
        'dashboard with a token, or a single-origin flag such as `url` is set), and only `cloudflared tunnel ingress validate` refuses it.',
      whyItMatters: 'Without a catch-all cloudflared refuses to start, so the site behind the tunnel is down; without rules it answers 503 to everything.',
      example: 'ingress:\n  - hostname: kasm.example.com\n    service: https://localhost:443',
      useInstead: 'ingress:\n  - hostname: kasm.example.com\n    service: https://localhost:443\n  - service: http_status:404',
      fixSafety: 'Appends a rule that answers 404 to requests no other rule matches: what cloudflared needs, and nothing else changes. Safe.',
      references: ['https://developers.cloudflare.com/cloudflare-one/connections/connect-networks/configure-tunnels/local-management/configuration-file/'],
    },
  },
  checkTunnel({ tunnel, report }) {
    const { file, load } = tunnel;
    const ingress = field(load.top, 'ingress');
    for (const refusal of refusalsOf(load, ['last-not-catch-all'])) {
      // After the list's last item, which may be a null item cloudflared dropped.
      const items = ingress?.node.kind === 'sequence' && ingress.node.style === 'block' ? ingress.node.content : [];
      const fixes: Array<FixSpec<'append'>> = items.length > 0 ? [{ fix: 'append', edits: [appendListItem(file, items[items.length - 1]!, ['service: http_status:404'])] }] : [];
      report({ message: 'lastNotCatchAll', data: { cloudflared: refusal.message }, file, start: refusal.start, end: refusal.end, fixes });
    }
    if (!load.top || load.rules.length > 0 || load.refusals.length > 0) return;
    // ingress.go ParseIngressFromConfigAndCLI: no rules and no single-origin flag; no warning with a token.
    if ([...SINGLE_ORIGIN_FLAGS, 'token', 'token-file'].some((flag) => load.applied.has(flag))) return;
    const at = ingress?.key ?? field(load.top, 'tunnel')?.key;
    if (at) report({ message: 'noRules', severity: 'warning', data: { cloudflared: NO_RULES_AT_RUN }, file, start: at.start, end: at.end });
  },
});
