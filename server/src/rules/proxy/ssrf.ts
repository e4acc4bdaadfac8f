// Server-side request forgery: the host (or scheme) nginx connects to comes from the request. With
// variables in proxy_pass, nginx parses the evaluated URL per request and connects to whatever host it
// names (through the resolver, or an upstream of that name): ngx_http_proxy_eval.

import { LOCATION_READS, locations } from '../../proxy/locations';
import { describeTrail, evaluate, type Alternative, type Part } from '../../values/evaluate';
import { attackerInput, fittingPayload } from '../../values/examples';
import { clientControlled } from '../../values/origins';
import { urlSections } from '../../values/urls';
import { ByteSet } from '../../values/charset';
import { directivesNamed, isChecked } from '../support';
import { defineRule } from '../rule';
import { VALUE_SOURCES } from '../../values/evaluate';

const PASSES = new Set(['proxy_pass', 'fastcgi_pass', 'uwsgi_pass', 'scgi_pass', 'grpc_pass', 'memcached_pass']);
/** Bytes that let a value name another host, port or address, or rewrite the URL around it. */
const STEERING = ByteSet.chars('.:/@[');

interface Steered {
  part: Part;
  alternative: Alternative;
  where: 'host' | 'scheme' | 'address';
}

function steered(parts: Part[], withScheme: boolean): Steered | undefined {
  const sections = urlSections(parts, withScheme);
  const look = (section: Part[], where: Steered['where'], needs: (a: Alternative, whole: boolean) => boolean) => {
    const variables = section.filter((p) => !p.literal);
    const whole = section.length === 1 && variables.length === 1;
    for (const part of variables) {
      const alternative = part.alternatives.find((a) => clientControlled(a.kind) && needs(a, whole));
      if (alternative) return { part, alternative, where };
    }
    return undefined;
  };
  if (sections.opaque) return look(sections.scheme, 'address', (a) => a.bytes.overlaps(ByteSet.chars(':/')));
  return (
    look(sections.scheme, 'scheme', (a) => a.bytes.overlaps(ByteSet.chars(':/'))) ??
    look(sections.host, 'host', (a, whole) => a.bytes.overlaps(STEERING) || whole)
  );
}

export default defineRule({
  meta: {
    id: 'proxy/ssrf',
    defaultSeverity: 'error',
    messages: {
      ssrf: {
        text: '{directive} connects to {where} the client chooses, through {variable}.',
        why:
          '{origin}. With {example}, nginx connects to that host and hands back its answer: server-side request forgery, reaching ' +
          'what only the proxy can reach (cloud metadata at 169.254.169.254, admin interfaces, other internal services). Let the ' +
          'client choose among fixed upstreams instead: map its value to upstream names with a map whose default is a safe one.',
        whyKasm:
          '{origin}. With {example}, nginx connects to that host and hands back its answer: server-side request forgery, reaching ' +
          'what only the proxy can reach (Kasm\'s own services on the Docker network, the agents, cloud metadata at 169.254.169.254). ' +
          "Kasm's own files build upstream URLs from auth_request_set variables that Kasm's API fills ($upstream_http_connect_hostname): " +
          'those are not the client\'s, and are not reported. This one is. Let the client choose among fixed upstreams instead (a map with ' +
          'a safe default).',
      },
    },
    reads: [...LOCATION_READS, 'fastcgi_pass', 'grpc_pass', 'memcached_pass', 'proxy_pass', 'scgi_pass', 'uwsgi_pass', ...VALUE_SOURCES],
    docs: {
      summary: '`proxy_pass` (or fastcgi/uwsgi/scgi/grpc_pass) whose host or scheme comes from the client.',
      whatItDoes:
        'Splits the address of each `*_pass` into scheme, host and path, follows each variable of the scheme and the host back to where its ' +
        'bytes come from (through `set`, `map`, captures), and reports a value the client controls that can name another host: one that ' +
        'can hold a dot, a colon or a slash, or that is the whole host. Query parameters, request headers (`$http_host` included), cookies, ' +
        'the decoded path and its captures are the client\'s; `$host` is checked by nginx, and `$upstream_http_*` (a response header of ' +
        'an upstream, such as the `auth_request_set` variables Kasm fills from its API) is not the client\'s. A path built from the ' +
        'client (`proxy_pass http://backend$request_uri`) is not reported. Locations reachable only internally are skipped.',
      whyItMatters:
        'The proxy sits where the internet meets your private network: a request that makes it connect elsewhere reaches admin ' +
        'interfaces, databases with HTTP APIs, and cloud metadata endpoints that hand out credentials.',
      example: 'location /fetch {\n    resolver 127.0.0.11;\n    proxy_pass http://$arg_host$request_uri;\n}',
      useInstead:
        'map $arg_site $fetch_upstream {\n    default     app_main;\n    reports     app_reports;\n}\n\nlocation /fetch {\n    proxy_pass http://$fetch_upstream;\n}',
      references: ['https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_pass', 'https://owasp.org/www-community/attacks/Server_Side_Request_Forgery'],
    },
  },
  check({ model, report }) {
    const internal = new Set(locations(model).filter((l) => !l.public).map((l) => l.block));
    for (const d of directivesNamed(model, ...PASSES)) {
      if (!isChecked(d) || !d.node.args[0]?.value.includes('$')) continue;
      if (!d.parent.context.startsWith('http.')) continue;
      let location = d.parent;
      while (location.context === 'http.if.location' && location.parent) location = location.parent;
      if (internal.has(location)) continue;
      const value = d.node.args[0].value;
      const withScheme = d.node.name === 'proxy_pass' || d.node.name === 'grpc_pass';
      const found = steered(evaluate(model, d, value), withScheme);
      if (!found) continue;
      const payload = fittingPayload(['169.254.169.254', '169.254.169.254/', 'http://169.254.169.254/', 'localhost'], found.alternative.bytes) ?? '169.254.169.254';
      const input = attackerInput(found.alternative, found.where === 'address' && withScheme ? `http://${payload}/` : payload, d);
      report({
        message: 'ssrf',
        data: {
          directive: d.node.name,
          where: found.where === 'scheme' ? 'a scheme and address' : found.where === 'address' ? 'an address' : 'a host',
          variable: found.part.text,
          origin: describeTrail(found.alternative),
          example: input ?? 'a value naming another host',
        },
        file: d.file,
        start: d.node.args[0].start,
        end: d.node.args[0].end,
        related: found.alternative.via.map((v) => ({ file: v.file, start: v.node.start, end: v.node.end, message: `${found.part.text} gets its value here` })),
      });
    }
  },
});
