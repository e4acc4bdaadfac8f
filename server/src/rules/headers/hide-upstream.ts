import { listWords } from '../../core/strings';
import { effective } from '../../model/effective';
import { addToLevel, effectiveHeaders, LOCATION_READS, locations, locationSpan, locationsToCheck, quoteArgument } from '../../proxy/locations';
import { defineRule } from '../rule';

/** Headers that break when a response carries two of them, by what goes wrong. */
const DUPLICATE_BREAKS: ReadonlyMap<string, string> = new Map([
  ['access-control-allow-origin', 'browsers reject a response with two Access-Control-Allow-Origin values'],
  ['access-control-allow-credentials', 'browsers accept only the exact value "true", not "true, true"'],
  ['x-frame-options', 'browsers ignore a conflicting or repeated X-Frame-Options'],
  ['content-security-policy', 'browsers enforce both policies, so the stricter one blocks what the other allows'],
  ['cross-origin-embedder-policy', 'a repeated Cross-Origin-Embedder-Policy fails to parse and counts as none'],
]);

export default defineRule({
  meta: {
    id: 'headers/hide-upstream',
    defaultSeverity: 'information',
    messages: {
      duplicate: {
        text: 'This location adds {names} without proxy_hide_header: the upstream may send {them} too.',
        why: "nginx's add_header does not replace the upstream's header, it adds a second one: {why}. The fix hides the upstream's copy.",
      },
    },
    fixes: {
      hide: { title: 'Hide the upstream\'s {names} (proxy_hide_header)', applicability: 'safe' },
    },
    reads: [...LOCATION_READS, 'add_header', 'add_header_inherit', 'location', 'proxy_hide_header'],
    perLocation: { outside: [] },
    docs: {
      summary: 'A proxying location adds a header the upstream may also send, without `proxy_hide_header`.',
      whatItDoes:
        'For each location with `proxy_pass`, takes the `add_header` lines in effect and reports those whose duplication breaks browsers ' +
        '(Access-Control-Allow-Origin, Access-Control-Allow-Credentials, X-Frame-Options, Content-Security-Policy, ' +
        'Cross-Origin-Embedder-Policy) when no `proxy_hide_header` for them is in effect. Kasm\'s upstream_proxy.conf does it right for ' +
        'the CORS headers, and ships the CSP and COEP ones commented out beside their add_header lines.',
      whyItMatters:
        "nginx's add_header does not replace a header from the upstream, it adds a second one. Two CORS origins make the browser refuse the " +
        'response; two policies are both enforced.',
      example: "location /api/ {\n    add_header 'Access-Control-Allow-Origin' 'https://www.kasmweb.com' always;\n    proxy_pass http://kasm_api;\n}",
      useInstead:
        "location /api/ {\n    proxy_hide_header 'Access-Control-Allow-Origin';\n    add_header 'Access-Control-Allow-Origin' 'https://www.kasmweb.com' always;\n    proxy_pass http://kasm_api;\n}",
      fixSafety:
        'Adds `proxy_hide_header` lines after the location\'s own (re-declaring inherited ones first when it has none, since a level with one ' +
        'inherits none). Safe: the response keeps exactly the value nginx adds.',
      references: ['https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_hide_header'],
    },
  },
  check({ model, settings, report, locations: only }) {
    const version = settings.nginxVersion;
    const all = locationsToCheck(locations(model), only);
    for (let i = 0; i < all.length; i++) {
      const l = all[i]!;
      if (!l.proxyPass) continue;
      const hidden = new Set(effective(l.block, 'proxy_hide_header', version).directives.map((d) => d.node.args[0]?.value.toLowerCase() ?? ''));
      const added = [...effectiveHeaders(l.block, 'add_header', version)].filter(([name]) => DUPLICATE_BREAKS.has(name) && !hidden.has(name));
      if (added.length === 0) continue;
      const shownNames = added.map(([, ds]) => ds[0]!.node.args[0]!.value);
      const first = added.map(([, ds]) => ds[0]!).find((d) => d.parent === l.block);
      const span = first ? { file: first.file, start: first.node.start, end: first.node.end } : locationSpan(l);
      const edit = addToLevel(l.block, 'proxy_hide_header', shownNames.map((n) => `proxy_hide_header ${quoteArgument(n, "'")};`), version);
      report({
        message: 'duplicate',
        data: {
          names: listWords(shownNames),
          them: added.length === 1 ? 'it' : 'them',
          why: added.map(([name]) => DUPLICATE_BREAKS.get(name)!).join('; '),
        },
        ...span,
        fixes: edit ? [{ fix: 'hide', data: { names: listWords(shownNames) }, edits: [edit] }] : [],
      });
    }
  },
});
