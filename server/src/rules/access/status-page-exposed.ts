// stub_status (ngx_http_stub_status_module) and the NGINX Plus `api`/`status` pages answer whoever
// reaches their location: they are protected only by allow/deny, authentication, or a listener
// nobody else reaches.

import type { ConfigBlock } from '../../model/config';
import { accessRules, authenticationIn, refusesSome } from '../../proxy/access';
import { LOCATION_READS, locationLabel, locations, serverOf } from '../../proxy/locations';
import { directivesNamed } from '../support';
import { insertIntoBlock } from '../edits';
import { defineRule } from '../rule';

const STATUS = new Set(['stub_status', 'status', 'api', 'vhost_traffic_status_display']);

/** Every listen of the server is a loopback address or a unix socket. */
function localOnly(server: ConfigBlock | undefined): boolean {
  const listens = server?.items.filter((d) => d.node.name === 'listen') ?? [];
  return listens.length > 0 && listens.every((d) => /^(unix:|127\.|\[::1\]|localhost(:|$))/i.test(d.node.args[0]?.value ?? ''));
}

export default defineRule({
  meta: {
    id: 'access/status-page-exposed',
    defaultSeverity: 'warning',
    messages: {
      exposed: {
        text: 'The {page} page at {location} answers anyone.',
        why:
          'It shows the connections and requests nginx is handling (the NGINX Plus api more: upstreams, zones, sometimes write ' +
          'access): a view for an attacker sizing a denial of service or timing an attack, and a confirmation of what runs here. ' +
          'Restrict it to your monitoring (allow 127.0.0.1; deny all;), put it behind authentication, or on a listener only the ' +
          'host reaches.',
      },
    },
    fixes: {
      local: { title: 'Allow only the local host', applicability: 'unsafe', changes: 'only the local host reads the page' },
    },
    reads: [...LOCATION_READS, 'allow', 'auth_basic', 'auth_jwt', 'auth_oidc', 'auth_request', 'deny', 'listen', 'location', ...STATUS],
    docs: {
      summary: 'A `stub_status` (or NGINX Plus `api`/`status`) page with no access restriction.',
      whatItDoes:
        'Reports a location serving `stub_status`, `status`, `api` or `vhost_traffic_status_display` when no allow/deny rule in effect ' +
        'refuses anyone, no authentication is in effect (auth_basic, auth_request, auth_jwt), and its server listens on more than ' +
        'loopback addresses or unix sockets.',
      whyItMatters: 'Monitoring pages are for monitoring systems; published, they tell an attacker what your server is doing and how loaded it is.',
      example: 'location = /nginx_status {\n    stub_status;\n}',
      useInstead: 'location = /nginx_status {\n    stub_status;\n    allow 127.0.0.1;\n    allow ::1;\n    deny all;\n}',
      fixSafety:
        'Adds `allow 127.0.0.1; allow ::1; deny all;` to the location (only when it inherits no allow/deny). Unsafe: a monitoring system ' +
        'on another host must be allowed as well.',
      references: ['https://nginx.org/en/docs/http/ngx_http_stub_status_module.html'],
    },
  },
  check({ model, settings, report }) {
    const pages = new Set(directivesNamed(model, ...STATUS).map((d) => d.parent));
    if (pages.size === 0) return;
    for (const l of locations(model)) {
      if (!pages.has(l.block) || !l.public) continue;
      const page = l.block.items.find((d) => STATUS.has(d.node.name) && d.node.terminator === ';');
      if (!page) continue;
      if (refusesSome(accessRules(l.block, settings.nginxVersion).rules) || authenticationIn(l.block, settings.nginxVersion) || localOnly(serverOf(l.block))) continue;
      const inherited = accessRules(l.block, settings.nginxVersion).level;
      const edit = !inherited && l.block.syntax && l.block.file ? insertIntoBlock(l.block.file, l.block.syntax, ['allow 127.0.0.1;', 'allow ::1;', 'deny all;'], (d) => d.name === page.node.name) : undefined;
      report({
        message: 'exposed',
        data: { page: page.node.name, location: locationLabel(l) },
        file: page.file,
        start: page.node.start,
        end: page.node.end,
        fixes: edit ? [{ fix: 'local', edits: [edit] }] : [],
      });
    }
  },
});
