import type { ConfigBlock, ConfigModel, Root } from '../../model/config';
import { effective } from '../../model/effective';
import type { Settings } from '../../engine/settings';
import { atHttpLevel, LOCATION_READS, type LocationInfo, locations, locationSpan, serverOf } from '../../proxy/locations';
import { realIpConfigured, realIpEdit, realIpFor, rootOf, zoneKey, zoneUses } from '../../proxy/ratelimit';
import { insertIntoBlock } from '../edits';
import { defineRule, type EditSpec } from '../rule';

const ZONE = 'kasm_limit';
const DEPLOYMENT_TEXT: Record<Settings['deployment'], string> = {
  direct: 'per client address',
  'behind-proxy': "per client address, taken from the front proxy's X-Forwarded-For by the realip module",
  'cloudflare-tunnel': "per client address, taken from Cloudflare's CF-Connecting-IP by the realip module",
};

function unlimited(l: LocationInfo, version: string): boolean {
  return effective(l.block, 'limit_req', version).directives.length === 0 && effective(l.block, 'limit_conn', version).directives.length === 0;
}

/** The zone to use: an existing limit_req_zone keyed on the client address, or a new one. */
function zoneFor(model: ConfigModel, l: LocationInfo): { name: string; define?: string } {
  const root = rootOf(model, l.directive);
  const uses = root ? zoneUses(model, root) : [];
  const existing = uses.find((u) => u.defines && u.kind === 'limit_req' && /^\$(binary_)?remote_addr$/.test(zoneKey(u.directive)));
  if (existing) return { name: existing.name };
  const taken = new Set(uses.map((u) => u.name));
  let name = ZONE;
  for (let n = 2; taken.has(name); n++) name = `${ZONE}_${n}`;
  return { name, define: `limit_req_zone $binary_remote_addr zone=${name}:10m rate=100r/s;` };
}

export default defineRule({
  meta: {
    id: 'ratelimit/missing',
    defaultSeverity: 'hint',
    presets: { 'kasm-hardened': 'warning', 'nginx-recommended': 'off' },
    messages: {
      missing: {
        text: 'Requests to this proxying location are not rate-limited.',
        why: 'No limit_req or limit_conn is in effect here: one client can flood the upstream with logins or API calls. The fix adds a limit_req ({deployment}).',
        whyKasm:
          "No limit_req or limit_conn is in effect here: one client can flood Kasm with logins or API calls. Kasm ships without limits because the right key depends on the deployment; Kasm's hardening guide adds limit_req to every location, as the fix does ({deployment}).",
      },
    },
    fixes: {
      limit: { title: 'Rate-limit this location ({how})', applicability: 'unsafe', changes: 'requests over the rate are refused (503)' },
    },
    reads: [...LOCATION_READS, 'limit_conn', 'limit_conn_zone', 'limit_req', 'limit_req_zone', 'location'],
    docs: {
      summary: 'A proxying location without `limit_req` or `limit_conn`.',
      whatItDoes:
        'Reports each location with `proxy_pass` that answers browsers and has no `limit_req` or `limit_conn` in effect after inheritance. ' +
        'A hint under kasm-default, a warning under kasm-hardened, off under nginx-recommended (a limit per location is a policy, not a defect). The deployment setting (`direct`, `behind-proxy`, ' +
        '`cloudflare-tunnel`) decides the key and the realip set-up of the fix.',
      whyItMatters:
        "Kasm's guide says many organisations require rate limiting and that Kasm leaves it off only because the right key depends on " +
        'whether clients reach Kasm directly. Without it, password guessing and API floods are limited by nothing.',
      example: 'server {\n    location /api/ {\n        proxy_pass http://kasm_api;\n    }\n}',
      useInstead:
        'limit_req_zone $binary_remote_addr zone=kasm_limit:10m rate=100r/s;\n\nserver {\n    location /api/ {\n        limit_req zone=kasm_limit burst=20 nodelay;\n        proxy_pass http://kasm_api;\n    }\n}',
      fixSafety:
        "As the guide describes it: `limit_req_zone $binary_remote_addr zone=kasm_limit:10m rate=100r/s;` at http level above the " +
        'first server that needs it (one zone for the whole configuration, since nginx refuses a zone defined twice; for Kasm in ' +
        'orchestrator.conf, never in services.d; an existing zone keyed on the client address is reused), and ' +
        '`limit_req zone=kasm_limit burst=20 nodelay;` at the top of the location. Each location\'s fix carries the same zone edit, so ' +
        'fixing all (the fix-all action, `--fix --unsafe-fixes`) defines the zone once and limits every location. Behind a proxy or a Cloudflare Tunnel it also sets up the realip module at the top of the server ' +
        '(`set_real_ip_from` the `trustedProxies` setting, or private networks / local and Docker addresses by default), so that the key is ' +
        'the real client and not the proxy. It never keys on `$http_x_forwarded_for`, which clients can forge (ratelimit/spoofable-key). ' +
        'Unsafe: the rate must suit your users.',
      references: ['https://nginx.org/en/docs/http/ngx_http_limit_req_module.html', 'https://nginx.org/en/docs/http/ngx_http_realip_module.html'],
    },
  },
  check({ model, settings, report }) {
    const version = settings.nginxVersion;
    const realIp = realIpFor(settings);
    // What every location of a server needs once: the zone at http level, the realip set-up. Each
    // location's fix carries these same edits, so that fixes applied together add them once. The zone
    // is one per configuration, defined above the first server that needs it: nginx refuses a second
    // limit_req_zone with the same name, even an identical one.
    const zones = new Map<Root | undefined, { name: string; edit?: EditSpec } | undefined>();
    const zoneEdit = (l: LocationInfo, server: ConfigBlock) => {
      const root = rootOf(model, l.directive);
      if (!zones.has(root)) {
        const zone = zoneFor(model, l);
        const edit = zone.define ? atHttpLevel(server, [zone.define]) : undefined;
        zones.set(root, zone.define && !edit ? undefined : { name: zone.name, edit });
      }
      return zones.get(root);
    };
    const shared = new Map<ConfigBlock, { name: string; edits: EditSpec[] } | undefined>();
    const sharedFor = (l: LocationInfo, server: ConfigBlock) => {
      if (!shared.has(server)) {
        const zone = zoneEdit(l, server);
        const edits: Array<EditSpec | undefined> = zone?.edit ? [zone.edit] : [];
        if (realIp && !realIpConfigured(server, version)) edits.push(realIpEdit(server, realIp, version));
        shared.set(server, zone && edits.every((e): e is EditSpec => e !== undefined) ? { name: zone.name, edits } : undefined);
      }
      return shared.get(server);
    };
    for (const l of locations(model)) {
      if (!l.proxyPass || !l.public || !unlimited(l, version)) continue;
      const server = serverOf(l.block);
      const common = server && l.block.syntax && l.block.file ? sharedFor(l, server) : undefined;
      const fixes = common
        ? [
            {
              fix: 'limit' as const,
              data: { how: [`zone ${common.name}`, realIp ? realIp.summary : 'keyed on the client address'].join(', ') },
              edits: [...common.edits, insertIntoBlock(l.block.file!, l.block.syntax!, [`limit_req zone=${common.name} burst=20 nodelay;`])],
            },
          ]
        : [];
      report({
        message: 'missing',
        data: { deployment: `deployment: ${settings.deployment}, so the limit counts ${DEPLOYMENT_TEXT[settings.deployment]}` },
        ...locationSpan(l),
        fixes,
      });
    }
  },
});
