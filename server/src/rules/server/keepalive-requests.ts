import { replaceArguments } from '../edits';
import { defineRule } from '../rule';
import { checkedNamed } from '../support';

/** nginx's default since 1.19.10 (100 before). */
const RECOMMENDED = 1000;

export default defineRule({
  meta: {
    id: 'server/keepalive-requests',
    defaultSeverity: 'information',
    messages: {
      single: {
        text: 'keepalive_requests {value} closes every client connection after its first request.',
        why:
          'nginx ends keep-alive once a connection has served keepalive_requests requests, counting the first: every request then pays a new TCP ' +
          'and TLS handshake, and with HTTP/2 (nginx 1.19.7 and later) the first stream already draws a GOAWAY. Set keepalive_timeout 0 if ' +
          'keep-alive is meant to be off; the fix sets keepalive_requests 1000, nginx\'s default.',
      },
      low: {
        text: 'keepalive_requests {value} closes client connections after {value} requests.',
        why:
          'Since nginx 1.19.7, keepalive_requests also limits the requests on one HTTP/2 connection: once reached, nginx sends GOAWAY and the ' +
          'browser opens a new connection with a new TLS handshake, which a page loading many assets (or an application polling) reaches quickly. ' +
          'HTTP/1.1 clients reconnect as often. nginx raised its default from 100 to 1000 in 1.19.10 for this reason; the fix sets 1000.',
      },
    },
    fixes: {
      raise: { title: 'Set keepalive_requests 1000', applicability: 'unsafe', changes: 'a client connection may serve up to 1000 requests before nginx closes it' },
    },
    reads: ['keepalive_requests'],
    docs: {
      summary: 'A client-side `keepalive_requests` below 1000, nginx\'s default.',
      whatItDoes:
        'Reports each `keepalive_requests` in an http, server or location block set below 1000 (0 and 1 end keep-alive after the first request). ' +
        'The `keepalive_requests` of an upstream block, which limits the requests on a cached connection to the upstream, is a different ' +
        'directive and is not reported.',
      whyItMatters:
        'Since nginx 1.19.7 the limit also applies to HTTP/2, where one connection carries all of a page\'s requests: a low value makes browsers ' +
        'reconnect (a TCP and TLS handshake each time) in the middle of loading a page, and long-lived clients that poll reconnect constantly. ' +
        'nginx raised its default from 100 to 1000 in 1.19.10.',
      example: 'server {\n    listen 443 ssl;\n    http2 on;\n    keepalive_requests 100;\n}',
      useInstead: 'server {\n    listen 443 ssl;\n    http2 on;\n    keepalive_requests 1000;\n}',
      fixSafety:
        'Offered, not applied in bulk: a low value is sometimes chosen to spread clients over several servers behind a TCP load balancer, and ' +
        'nginx frees a connection\'s memory only when it closes it (the reason the limit exists).',
      references: ['https://nginx.org/en/docs/http/ngx_http_core_module.html#keepalive_requests', 'https://nginx.org/en/CHANGES'],
    },
  },
  check({ model, report }) {
    for (const d of checkedNamed(model, 'keepalive_requests')) {
      const context = d.parent.context;
      if (context !== 'http' && context !== 'http.server' && context !== 'http.location') continue;
      const value = d.node.args[0]?.value;
      // ngx_conf_set_num_slot reads digits only; anything else is nginx/invalid-value's
      if (value === undefined || !/^\d{1,15}$/.test(value) || Number(value) >= RECOMMENDED) continue;
      report({
        message: Number(value) <= 1 ? 'single' : 'low',
        data: { value },
        file: d.file,
        start: d.node.start,
        end: d.node.end,
        fixes: [{ fix: 'raise', edits: [replaceArguments(d.file, d.node, String(RECOMMENDED))] }],
      });
    }
  },
});
