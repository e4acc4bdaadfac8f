import { replaceScalar } from '../../cloudflared/edits';
import { checkService } from '../../cloudflared/ingress';
import { refusalsOf } from '../../cloudflared/load';
import { defineRule, type FixSpec } from '../rule';

export default defineRule({
  meta: {
    id: 'cloudflared/invalid-service',
    defaultSeverity: 'error',
    messages: {
      invalid: {
        text: '{cloudflared}',
        why:
          'cloudflared validates every ingress rule when it starts and refuses to run on this service (rule #{n}). A service is a URL with a scheme ' +
          'and a host and no path, http_status:NNN, hello_world, bastion, socks-proxy, unix:PATH or unix+tls:PATH.',
      },
    },
    fixes: {
      dropPath: { title: 'Use {service}', applicability: 'unsafe' },
    },
    docs: {
      summary: "An ingress rule's service that cloudflared does not accept.",
      whatItDoes:
        "Checks `service` as cloudflared's validateIngress does, in its order: `unix:` and `unix+tls:` paths are taken as they are; " +
        '`http_status:` takes a code from 100 to 999 (strconv.Atoi\'s error otherwise); `hello_world` and `hello-world` (not `helloworld`), ' +
        '`socks-proxy` and `bastion` are names; a rule whose originRequest (or the top-level one) sets `bastionMode` is a bastion whatever its ' +
        "service says; anything else is parsed with Go's url.Parse (its error as Go prints it: `parse \"https://[::1\": missing ']' in host`) and " +
        'needs a scheme and a host and no path, not even `/`. The message is cloudflared\'s own.',
      whyItMatters: 'cloudflared validates every rule at start-up and refuses to run with one wrong service.',
      example: 'ingress:\n  - hostname: kasm.example.com\n    service: https://localhost:443/\n  - service: http_status:404',
      useInstead: 'ingress:\n  - hostname: kasm.example.com\n    service: https://localhost:443\n  - service: http_status:404',
      fixSafety: "For a URL with a path, the fix drops the path (cloudflared sends the visitor's path as it is). Unsafe: check the origin expects that.",
      references: ['https://developers.cloudflare.com/cloudflare-one/connections/connect-networks/configure-tunnels/local-management/configuration-file/'],
    },
  },
  checkTunnel({ tunnel, report }) {
    const { file, load } = tunnel;
    for (const refusal of refusalsOf(load, ['service'])) {
      const rule = refusal.rule!;
      const fixes: Array<FixSpec<'dropPath'>> = [];
      const withoutPath = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]+)\/[^?#]*$/.exec(rule.service)?.[1];
      if (withoutPath && refusal.node?.kind === 'scalar' && ['plain', 'single', 'double'].includes(refusal.node.style) && checkService(withoutPath).ok) {
        fixes.push({ fix: 'dropPath', data: { service: withoutPath }, edits: [replaceScalar(file, refusal.node, withoutPath)] });
      }
      report({ message: 'invalid', data: { cloudflared: refusal.message, n: rule.index + 1 }, file, start: refusal.start, end: refusal.end, fixes });
    }
  },
});
