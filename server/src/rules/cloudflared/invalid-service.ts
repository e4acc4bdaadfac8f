import { ingressRules, span } from '../../cloudflared/document';
import { checkService } from '../../cloudflared/ingress';
import { replaceScalar } from '../../cloudflared/edits';
import { defineRule, type FixSpec } from '../rule';

export default defineRule({
  meta: {
    id: 'cloudflared/invalid-service',
    defaultSeverity: 'error',
    messages: {
      invalid: 'Rule #{n}: {cloudflared}. cloudflared refuses to start.',
    },
    fixes: {
      dropPath: { title: 'Use {service}', applicability: 'unsafe' },
    },
    docs: {
      summary: "An ingress rule's service that cloudflared does not accept.",
      whatItDoes:
        'Checks `service` as cloudflared does: a URL needs a scheme and a host and may not have a path (not even `/`); `http_status:` takes ' +
        'a code from 100 to 999; otherwise `hello_world`, `bastion`, `socks-proxy`, `unix:` or `unix+tls:` paths. The message is cloudflared\'s own.',
      whyItMatters: 'cloudflared validates every rule at start-up and refuses to run with one wrong service.',
      example: 'ingress:\n  - hostname: kasm.example.com\n    service: https://localhost:443/\n  - service: http_status:404',
      useInstead: 'ingress:\n  - hostname: kasm.example.com\n    service: https://localhost:443\n  - service: http_status:404',
      fixSafety: 'For a URL with a path, the fix drops the path (cloudflared sends the visitor\'s path as it is). Unsafe: check the origin expects that.',
    },
  },
  checkTunnel({ tunnel, report }) {
    for (const rule of ingressRules(tunnel).rules) {
      const check = checkService(rule.service);
      if (check.ok) continue;
      const node = rule.serviceEntry?.value ?? rule.serviceEntry?.keyNode;
      const fixes: Array<FixSpec<'dropPath'>> = [];
      const withoutPath = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]+)\/[^?#]*$/.exec(rule.service)?.[1];
      if (withoutPath && rule.serviceEntry?.value && checkService(withoutPath).ok) {
        fixes.push({ fix: 'dropPath', data: { service: withoutPath }, edits: [replaceScalar(tunnel.file, rule.serviceEntry.value, withoutPath)] });
      }
      report({ message: 'invalid', data: { n: rule.index + 1, cloudflared: check.message }, file: tunnel.file, ...span(node, rule.node), fixes });
    }
  },
});
