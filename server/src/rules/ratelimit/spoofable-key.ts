import { insertLinesAfter } from '../edits';
import { bySeq, directivesNamed } from '../../model/by-name';
import type { ConfigBlock } from '../../model/config';
import { serverOf } from '../../proxy/locations';
import { clientControlled, realIpConfigured, realIpEdit, realIpFor, rootOf, zoneUse, zoneUses } from '../../proxy/ratelimit';
import { defineRule, type EditSpec } from '../rule';
import type { Settings } from '../../engine/settings';

const WHY: Record<Settings['deployment'], string> = {
  direct:
    'clients connect directly, so the header is whatever each client sends: a new value per request escapes the limit, and a victim\'s value can be used to get them throttled. If a proxy is in front of this server, set "deployment" to behind-proxy or cloudflare-tunnel',
  'behind-proxy':
    'the front proxy appends the client address to whatever X-Forwarded-For the client sent, so the whole value still changes at the client\'s will. Let the realip module take the address the proxy saw, trusting only the proxy',
  'cloudflare-tunnel':
    "any client can send the header; behind a Cloudflare Tunnel the real address is CF-Connecting-IP, which the realip module can take from cloudflared alone",
};

export default defineRule({
  meta: {
    id: 'ratelimit/spoofable-key',
    defaultSeverity: 'warning',
    messages: {
      spoofable: { text: 'This {directive} is keyed on ${variable}, which the client controls.', why: '{why}.' },
    },
    fixes: {
      key: { title: 'Key on $binary_remote_addr{how}', applicability: 'unsafe', changes: 'the limit counts per client address' },
    },
    reads: ['limit_conn', 'limit_conn_zone', 'limit_req', 'limit_req_zone'],
    docs: {
      summary: 'A rate-limit zone keyed on a request header, argument or cookie (`$http_x_forwarded_for`, ...).',
      whatItDoes:
        'Reports a `limit_req_zone` or `limit_conn_zone` whose key uses `$http_*`, `$arg_*` or `$cookie_*`. The message and the fix follow ' +
        'the deployment setting: behind a proxy (F5 BIG-IP, load balancer) the fix sets up `set_real_ip_from`/`real_ip_header X-Forwarded-For`, ' +
        'behind a Cloudflare Tunnel `real_ip_header CF-Connecting-IP`, so that `$binary_remote_addr` is the real client.',
      whyItMatters:
        "Kasm's guide suggests `limit_req_zone $http_x_forwarded_for` behind a load balancer. Any client can send that header: each request " +
        'with a new value gets a fresh bucket (no limit at all), and sending a victim\'s address gets the victim throttled.',
      example: 'limit_req_zone $http_x_forwarded_for zone=zone:10m rate=100r/s;',
      useInstead:
        'set_real_ip_from 10.0.0.5;          # the load balancer\nreal_ip_header X-Forwarded-For;\nreal_ip_recursive on;\nlimit_req_zone $binary_remote_addr zone=zone:10m rate=100r/s;',
      fixSafety:
        'Switches the key to `$binary_remote_addr` and, unless the realip module is already set up there or clients connect directly, adds ' +
        'its lines at the top of each server that uses the zone, where ratelimit/missing puts them too, or next to an unused zone (addresses from the `trustedProxies` setting; private networks, or local and Docker addresses for a ' +
        'tunnel, when it is empty). Unsafe: it trusts those addresses to report the client.',
      references: ['https://nginx.org/en/docs/http/ngx_http_realip_module.html'],
    },
  },
  check({ model, settings, report }) {
    for (const d of bySeq(directivesNamed(model, 'limit_req_zone', 'limit_conn_zone'))) {
      const use = zoneUse(d);
      if (!use?.defines) continue;
      const keyToken = d.node.args[0]!;
      const variable = clientControlled(keyToken.value);
      if (!variable) continue;
      const realIp = realIpFor(settings);
      const edits: EditSpec[] = [{ file: d.file, start: keyToken.start, end: keyToken.end, newText: '$binary_remote_addr' }];
      const addRealIp = realIp && !realIpConfigured(d.parent, settings.nginxVersion);
      if (addRealIp) {
        // In each server that uses the zone, where ratelimit/missing puts them too; at http level if none does.
        const root = rootOf(model, d);
        const servers = new Set(
          (root ? zoneUses(model, root) : [])
            .filter((u) => !u.defines && u.name === use.name && u.kind === use.kind)
            .map((u) => serverOf(u.directive.parent))
            .filter((b): b is ConfigBlock => b !== undefined),
        );
        const inServers = [...servers].map((server) => realIpEdit(server, realIp, settings.nginxVersion));
        if (servers.size === 0) edits.push(insertLinesAfter(d.file, d.node, realIp.lines));
        else edits.push(...inServers.filter((e): e is EditSpec => e !== undefined));
      }
      report({
        message: 'spoofable',
        data: { directive: d.node.name, variable, why: WHY[settings.deployment] },
        file: d.file,
        start: keyToken.start,
        end: keyToken.end,
        fixes: [{ fix: 'key', data: { how: addRealIp ? ` (${realIp.summary})` : '' }, edits }],
      });
    }
  },
});
