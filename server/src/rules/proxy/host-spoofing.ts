// The Host header sent upstream, taken from what the client sent. nginx picks the server from the
// request line's host when the request line holds an absolute URI ("GET http://a/ HTTP/1.1"), and only
// then from the Host header (ngx_http_process_request_uri, ngx_http_process_host); $host is that
// name after ngx_http_validate_host. $http_host is the Host header as sent, whatever name nginx used.
// Measured on nginx 1.22: "GET http://good.example/ HTTP/1.1" + "Host: evil.example:99" gives
// $host = good.example and $http_host = evil.example:99.

import type { ConfigDirective } from '../../model/config';
import { serverHost } from '../../proxy/cors';
import { describeTrail, evaluate, scopeFree, type Alternative } from '../../values/evaluate';
import { attackerInput } from '../../values/examples';
import { directivesNamed, isChecked } from '../support';
import { defineRule } from '../rule';
import { VALUE_SOURCES } from '../../values/evaluate';

export default defineRule({
  meta: {
    id: 'proxy/host-spoofing',
    defaultSeverity: 'warning',
    messages: {
      spoofed: {
        text: 'The Host sent upstream is {variable}, which the client sets as it likes.',
        why:
          '{origin}. nginx chooses the server from the request line when it holds a full URL, so {example} is served here ' +
          'as {server} and the upstream receives Host: evil.example: password-reset links, absolute redirects, virtual-host routing ' +
          'and cache keys the upstream derives from it follow the attacker. $host is the name nginx matched (checked, lower-cased, ' +
          'without the port): `proxy_set_header Host $host;`.',
        whyKasm:
          '{origin}. In Kasm\'s rdp_https_gateway files this is the /rpc route, the Microsoft RD Gateway endpoint: the gateway service ' +
          'behind it (kasm_rdp_https_gateway, or the RDP host Kasm\'s API names) receives whatever Host the client sent, port included, ' +
          'while nginx may have served the request under another name ({example} is served as {server}). Kasm\'s port-443 server is ' +
          'the only one and answers every name, so $host does not restrict the name either: it is the name nginx matched, checked and ' +
          'without the port. Send $host (or `$host:$server_port` if the gateway needs the port) so the gateway sees the name nginx used.',
      },
    },
    fixes: {
      host: { title: 'Send $host instead of $http_host', applicability: 'unsafe', changes: 'the upstream gets the name nginx matched, without the port' },
    },
    reads: ['grpc_set_header', 'proxy_set_header', 'server_name', ...VALUE_SOURCES],
    // (the example request names the server's server_name)
    perDirective: { reads: ['server_name', ...VALUE_SOURCES] },
    docs: {
      summary: '`Host` sent upstream from `$http_host` (or another client-set value) instead of `$host`.',
      whatItDoes:
        'Reports `proxy_set_header Host` and `grpc_set_header Host` whose value holds a variable the client sets as it likes: ' +
        '`$http_host`, `$http_x_forwarded_host`, a query parameter, a cookie, or a copy of one (`set`, `map`).',
      whyItMatters:
        'Upstream applications trust the Host header to build absolute URLs (password-reset mails, redirects), to pick a tenant or a ' +
        'virtual host, and as a cache key. With `$http_host` an attacker chooses it freely even when nginx served the request under ' +
        'your server_name: nginx takes the name from an absolute request line (`GET http://kasm.example.com/ HTTP/1.1`) and leaves the ' +
        "Host header as sent. `$host` is the name nginx matched, checked by nginx.",
      example: 'location / {\n    proxy_set_header Host $http_host;\n    proxy_pass http://app;\n}',
      useInstead: 'location / {\n    proxy_set_header Host $host;\n    proxy_pass http://app;\n}',
      fixSafety:
        'Replaces `$http_host` with `$host`. Unsafe: `$host` has no port and is lower-cased; an upstream that needs the port gets ' +
        '`$host:$server_port` instead.',
      references: ['https://nginx.org/en/docs/http/ngx_http_core_module.html#var_host', 'https://portswigger.net/web-security/host-header'],
    },
  },
  check({ model, report, only }) {
    const harmless = new Set<string>();
    const judged = new Set<ConfigDirective['node']>();
    const candidates = only ? only.filter((d) => d.node.name === 'proxy_set_header' || d.node.name === 'grpc_set_header') : directivesNamed(model, 'proxy_set_header', 'grpc_set_header');
    for (let i = 0; i < candidates.length; i++) {
      const d = candidates[i]!;
      const header = d.node.args[0]?.value;
      if (judged.has(d.node) || header === undefined || header.length !== 4 || header.toLowerCase() !== 'host' || !isChecked(d) || d.node.args.length < 2) continue;
      if (!d.node.args[1]!.value.includes('$')) continue;
      const value = d.node.args[1]!;
      if (harmless.has(value.value)) continue;
      const parts = evaluate(model, d, value.value);
      const found = parts.flatMap((part) => part.alternatives.filter((a) => a.kind === 'client').map((alternative) => ({ part, alternative })))[0];
      if (!found) {
        // `Host $host` in thousands of locations: judged once
        if (scopeFree(model, value.value)) {
          harmless.add(value.value);
          judged.add(d.node);
        }
        continue;
      }
      const exact = /^\$(\{http_host\}|http_host)$/i.test(value.value);
      report({
        message: 'spoofed',
        data: {
          variable: found.part.text,
          origin: describeTrail(found.alternative),
          example: requestExample(d, found.alternative),
          server: serverHost(d.parent) ?? 'one of your names',
        },
        file: d.file,
        start: value.start,
        end: value.end,
        fixes: exact ? [{ fix: 'host', edits: [{ file: d.file, start: value.start, end: value.end, newText: value.quote ? `${value.quote}$host${value.quote}` : '$host' }] }] : [],
      });
    }
  },
});

/** For a header: '"GET http://kasm.example.com/ HTTP/1.1" sent with the header "Host: evil.example"'; otherwise how the value is set. */
function requestExample(d: ConfigDirective, alternative: Alternative): string {
  const input = attackerInput(alternative, 'evil.example', d) ?? 'a forged value';
  const source = alternative.source;
  if (!source || !('builtin' in source) || !source.builtin.startsWith('http_')) return input;
  const name = serverHost(d.parent) ?? 'your-name.example';
  return `"GET http://${name}/ HTTP/1.1" sent with ${input}`;
}
