// With a URI part, proxy_pass sends nginx's own copy of the path: ngx_http_proxy_create_request
// replaces the location's prefix in r->uri (decoded by ngx_http_parse_complex_uri: %XX resolved,
// "." and ".." segments removed) and escapes the result again with ngx_escape_uri(NGX_ESCAPE_URI).
// Without one, it sends the request URI as the client sent it (r->unparsed_uri).

import { locationName } from '../support';
import { LOCATION_READS, locations, locationsToCheck } from '../../proxy/locations';
import { defineRule } from '../rule';

export default defineRule({
  meta: {
    id: 'proxy/pass-normalized',
    defaultSeverity: 'information',
    messages: {
      normalized: {
        text: 'proxy_pass with a URI part ("{uri}") sends nginx\'s decoded path, not the client\'s.',
        why:
          'With a URI part, nginx replaces the matched prefix {prefix} with "{uri}" in its own decoded and normalised copy of the path, ' +
          'then encodes it again: %2F arrives as "/", "%2E%2E" segments are resolved, other escapes change. An upstream that routes ' +
          'or checks access on the path sees another one than nginx matched (path confusion), and names holding encoded slashes ' +
          'break. `proxy_pass {bare};` (no URI part) passes the request URI as sent; to change the prefix, rewrite it explicitly.',
        whyKasm:
          'Kasm proxies some of its own services this way (the agent, the manager, the RDP gateway, Guacamole): they receive nginx\'s ' +
          'decoded and re-encoded path, not the client\'s (%2F arrives as "/"). This is how Kasm ships and works; keep it in mind when ' +
          'a location you add must pass paths exactly as sent.',
      },
    },
    reads: [...LOCATION_READS, 'location', 'proxy_pass'],
    perLocation: { outside: [] },
    docs: {
      summary: '`proxy_pass` with a URI part: the upstream gets a decoded, normalised, re-encoded path.',
      whatItDoes:
        'Reports a `proxy_pass` without variables whose URL has a path (even just "/") in a prefix location that clients reach (not ' +
        'internal, named or exact-match locations, where the URI part is what is meant).',
      whyItMatters:
        'Security decisions split between nginx and the upstream must agree on the path. With a URI part they see different paths: ' +
        'encoded slashes and dot segments are resolved by nginx and arrive decoded, which upstreams have used to reach what the ' +
        'location was meant to keep out of reach, or which breaks names holding encoded characters.',
      example: 'location /api/ {\n    proxy_pass http://backend/;\n}',
      useInstead: 'location /api/ {\n    proxy_pass http://backend;\n}',
      references: ['https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_pass'],
    },
  },
  check({ model, report, locations: only }) {
    for (const l of locationsToCheck(locations(model), only)) {
      const pass = l.proxyPass;
      const url = pass?.node.args[0]?.value ?? '';
      // a URI part: something after the host (most proxy_pass lines have none)
      const m = url.includes('$') ? null : /^(https?:\/\/[^/?]+)([/?].*)$/i.exec(url);
      if (!pass || !m || !l.public) continue;
      const name = locationName(l.directive);
      if (!name || name.exact || name.regex) continue;
      report({
        message: 'normalized',
        data: { uri: m[2]!, prefix: `"${name.name}"`, bare: m[1]! },
        file: pass.file,
        start: pass.node.args[0]!.start,
        end: pass.node.args[0]!.end,
      });
    }
  },
});
