// nginx resolves the host names of upstream servers, and of a proxy_pass without variables, when it
// reads its configuration (ngx_http_upstream_server → ngx_parse_url with no_resolve unset, and
// ngx_http_proxy_pass → ngx_http_upstream_add), and keeps the addresses until a reload. The "resolve"
// parameter of an upstream server re-resolves them at run time: NGINX Plus only until open source
// nginx 1.27.3 (docs/xml/nginx/changes.xml, 1.27.3: "the server directive in the upstream block
// supports the resolve parameter"), which needs the upstream in a shared memory zone and a resolver.

import type { ConfigDirective } from '../../model/config';
import { versionNumber } from '../../nginx/directives';
import { upstreams } from '../../proxy/upstreams';
import { bySeq } from '../../model/by-name';
import { directivesNamed, isChecked } from '../support';
import { defineRule } from '../rule';

const PASSES = new Set(['proxy_pass', 'fastcgi_pass', 'uwsgi_pass', 'scgi_pass', 'grpc_pass', 'memcached_pass']);

const hostNames = new Map<string, string | undefined>();

/** The host of an address ("host:port", "http://host:port/..."), when it is a name (not an address, a socket or localhost). */
export function hostName(address: string): string | undefined {
  if (hostNames.has(address)) return hostNames.get(address);
  const host = nameIn(address);
  if (hostNames.size > 10_000) hostNames.clear();
  hostNames.set(address, host);
  return host;
}

function nameIn(address: string): string | undefined {
  const m = /^(?:[a-z]+:\/\/)?([^/:?[\]]+|\[[^\]]*\])(?::\d+)?(?:[/?].*)?$/i.exec(address);
  const host = m?.[1]?.toLowerCase();
  if (!host || host.includes('$') || address.startsWith('unix:')) return undefined;
  if (/^\d+(\.\d+){3}$/.test(host) || host.startsWith('[') || /^\d+$/.test(host)) return undefined;
  if (host === 'localhost' || host.endsWith('.localhost')) return undefined;
  return host;
}

export default defineRule({
  meta: {
    id: 'proxy/stale-dns',
    defaultSeverity: 'information',
    messages: {
      upstream: {
        text: 'upstream {upstream} resolves {host} once, when nginx starts.',
        why:
          'nginx looks up the names of upstream servers when it reads its configuration and keeps the addresses until it is reloaded: ' +
          'when {host} moves to another address, requests keep going to the old one (502 Bad Gateway, or another service that took the ' +
          'address). {remedy}',
        whyKasm:
          "Kasm's upstreams name Docker containers ({host}). Docker's DNS answers with a container's current address, but nginx asked " +
          'only when kasm_proxy started: when the container is recreated with another address (an upgrade, a restart of the stack), ' +
          'kasm_proxy keeps sending to the old one (502 Bad Gateway) until it is restarted (`sudo docker restart kasm_proxy`). {remedy} ' +
          "Inside Kasm's containers, Docker's DNS is `resolver 127.0.0.11`.",
      },
      pass: {
        text: '{directive} resolves {host} once, when nginx starts.',
        why:
          'Without variables, nginx looks up the name when it reads its configuration and keeps the address until it is reloaded: when ' +
          '{host} moves to another address, requests keep going to the old one (502 Bad Gateway, or another service that took the ' +
          'address). {remedy}',
        whyKasm:
          "Kasm's files name Docker containers ({host}) in proxy_pass. Docker's DNS answers with a container's current address, but " +
          'nginx asked only when kasm_proxy started: when the container is recreated with another address, kasm_proxy keeps sending ' +
          'to the old one (502 Bad Gateway) until it is restarted (`sudo docker restart kasm_proxy`). {remedy} ' +
          "Inside Kasm's containers, Docker's DNS is `resolver 127.0.0.11`.",
      },
    },
    reads: ['fastcgi_pass', 'grpc_pass', 'memcached_pass', 'proxy_pass', 'scgi_pass', 'server', 'upstream', 'uwsgi_pass'],
    docs: {
      summary: 'Upstream names resolved once at start (`resolve` where the nginx version has it).',
      whatItDoes:
        'Reports each upstream block with a server named by host name without the `resolve` parameter, and each host name written ' +
        'directly in a `proxy_pass` (or fastcgi/uwsgi/scgi/grpc/memcached_pass) without variables. IP addresses, unix sockets and ' +
        'localhost are not reported. The advice depends on the nginx version (`nginxVersion`): `resolve` exists in open source nginx ' +
        'since 1.27.3; before, a variable in proxy_pass with a `resolver` re-resolves per request.',
      whyItMatters:
        'Containers, cloud load balancers and failover change addresses. nginx keeps sending to the address it found at start until ' +
        'it is reloaded: an outage that looks like a broken upstream, or traffic sent to whoever got the old address.',
      example: 'upstream api {\n    server api.internal.example:8080;\n}',
      useInstead: 'resolver 10.0.0.2 valid=30s;\nupstream api {\n    zone api 64k;\n    server api.internal.example:8080 resolve;\n}',
      references: ['https://nginx.org/en/docs/http/ngx_http_upstream_module.html#resolve', 'https://nginx.org/en/CHANGES'],
    },
  },
  check({ model, settings, report }) {
    const version = settings.nginxVersion;
    const canResolve = versionNumber(version) >= versionNumber('1.27.3');
    const remedy = (host: string) =>
      canResolve
        ? `Since nginx 1.27.3 an upstream re-resolves its names: \`server ${host} resolve;\` with a \`zone\` in the upstream and a \`resolver\` in effect.`
        : `nginx ${version} cannot re-resolve upstream servers (the \`resolve\` parameter came in 1.27.3): reload nginx when addresses change, or proxy through a variable (\`set $backend ${host}; proxy_pass http://$backend;\`) with a \`resolver\`, which resolves per request and honours the TTL.`;
    const groups = upstreams(model);
    for (const [name, block] of groups) {
      if (block.context !== 'http.upstream') continue;
      const stale = block.items.find((d) => d.node.name === 'server' && hostName(d.node.args[0]?.value ?? '') && !(canResolve && d.node.args.some((a) => a.value === 'resolve')));
      if (!stale) continue;
      const host = hostName(stale.node.args[0]!.value)!;
      report({ message: 'upstream', data: { upstream: name, host, remedy: remedy(host) }, file: stale.file, start: stale.node.start, end: stale.node.end });
    }
    const seen = new Map<string, ConfigDirective>();
    for (const d of bySeq(directivesNamed(model, ...PASSES))) {
      if (!isChecked(d) || !d.parent.context.startsWith('http.')) continue;
      const address = d.node.args[0]?.value ?? '';
      if (address.includes('$')) continue;
      const host = hostName(address);
      if (!host || groups.has(host) || seen.has(host)) continue;
      seen.set(host, d);
      report({ message: 'pass', data: { directive: d.node.name, host, remedy: remedy(host) }, file: d.file, start: d.node.args[0]!.start, end: d.node.args[0]!.end });
    }
  },
});
