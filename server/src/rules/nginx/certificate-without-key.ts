// A certificate without its key, which nginx refuses when it merges the server (ngx_http_ssl_merge_srv_conf:
// more ssl_certificate than ssl_certificate_key lines in effect) or a location that proxies over TLS
// (ngx_http_proxy_set_ssl, and grpc's and uwsgi's: a proxy_ssl_certificate without proxy_ssl_certificate_key).
// Both are logged with ngx_log_error: nginx names no file or line. The same for stream servers (their
// own certificates, and proxy_ssl_certificate where proxy_ssl is on) and mail servers; stream before
// 1.25.5 and mail name the line that set up TLS (rules/tls-servers.ts).

import type { ConfigDirective } from '../../model/config';
import { effective } from '../../model/effective';
import { versionNumber } from '../../nginx/directives';
import { httpBlocks, mergeFoundAt, serversOf, streamMergeFoundAt, TLS_PASSES, tlsPassLevels } from '../http-merge';
import { defineRule } from '../rule';
import { refused } from '../support';
import { tlsSetUps } from '../tls-servers';

export default defineRule({
  meta: {
    id: 'nginx/certificate-without-key',
    defaultSeverity: 'error',
    messages: {
      server: {
        text: 'no "ssl_certificate_key" is defined for certificate "{certificate}".',
        ...refused('Each ssl_certificate needs an ssl_certificate_key in effect beside it (the Nth key goes with the Nth certificate); nginx checks it when it merges each server, naming no file or line.'),
      },
      tlsServer: {
        text: 'no "ssl_certificate_key" is defined for the "{mode}" directive.',
        ...refused('This {family} server sets up TLS and has a certificate but no ssl_certificate_key in effect (its own or the {family} level\'s); nginx checks it when it merges the server, naming the line of its "{mode}".'),
      },
      tlsServerCertificate: {
        text: 'no "ssl_certificate_key" is defined for certificate "{certificate}" (a "{mode}" server).',
        ...refused('Each ssl_certificate of a {family} server that sets up TLS needs an ssl_certificate_key beside it (the Nth key goes with the Nth certificate); nginx checks it when it merges the server, naming the line of its "{mode}".'),
      },
      upstream: {
        text: 'no "{module}_ssl_certificate_key" is defined for certificate "{certificate}".',
        ...refused('The client certificate nginx presents to the upstream needs its key; nginx checks it when it merges each location (or stream server) that proxies over TLS, naming no file or line.'),
      },
    },
    reads: ['http', 'stream', 'mail', 'listen', 'ssl', 'starttls', 'proxy_ssl', 'proxy_ssl_certificate', 'proxy_ssl_certificate_key', 'server', 'location', 'if', 'limit_except', 'ssl_certificate', 'ssl_certificate_key', ...Object.keys(TLS_PASSES).flatMap((m) => [`${m}_pass`, `${m}_ssl_certificate`, `${m}_ssl_certificate_key`])],
    docs: {
      summary: 'An `ssl_certificate` (or `proxy_ssl_certificate`, `grpc_ssl_certificate`, `uwsgi_ssl_certificate`) without its key.',
      whatItDoes:
        'For each server, counts the `ssl_certificate` and `ssl_certificate_key` lines in effect (its own, else those of the http level) and ' +
        'reports the last certificate when there are fewer keys. For each location (and `if`, `limit_except`) whose own `proxy_pass` uses ' +
        'https:// or variables (`grpc_pass` grpcs://, `uwsgi_pass` suwsgi://), reports a `proxy_ssl_certificate` (`grpc_ssl_certificate`, ' +
        '`uwsgi_ssl_certificate`) in effect without its key. Stream servers the same since 1.25.5; before, only those that listen ' +
        'with `ssl`, with nginx\'s words of then (naming the last `listen ... ssl` line); mail servers that listen with `ssl` or have ' +
        '`starttls on` (or `only`, or `ssl on`) in effect, in those words too. These are the errors ' +
        '`nginx -t` prints, in its words.',
      whyItMatters:
        'nginx refuses the whole configuration without naming a file or line: a certificate added for a new name, or a client certificate ' +
        'for an upstream that asks for one, without the key line stops the next reload.',
      example: 'server {\n    listen 443 ssl;\n    ssl_certificate /etc/nginx/ssl/site.crt;\n}',
      useInstead: 'server {\n    listen 443 ssl;\n    ssl_certificate /etc/nginx/ssl/site.crt;\n    ssl_certificate_key /etc/nginx/ssl/site.key;\n}',
      references: ['https://nginx.org/en/docs/http/ngx_http_ssl_module.html#ssl_certificate_key', 'https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_ssl_certificate_key'],
    },
  },
  check({ model, catalog, report }) {
    const version = catalog.version;
    const reported = new Set<ConfigDirective>();
    const tls = tlsSetUps(model, version);
    // (an http server with "ssl on" is checked with the words nginx uses for it, below)
    const setUpByDirective = new Set(tls.map((t) => t.server.block!));
    // stream servers since 1.25.5 are merged as http ones are (ngx_stream_ssl_merge_conf)
    const streamBlocks = versionNumber(version) >= versionNumber('1.25.5') ? model.named('stream').flatMap((d) => (d.block?.endSeq === undefined ? [] : [d.block])) : [];
    for (const http of [...httpBlocks(model).map((h) => h.block), ...streamBlocks]) {
      for (const server of serversOf(http)) {
        if (setUpByDirective.has(server)) continue;
        const certificates = effective(server, 'ssl_certificate', version).directives;
        const keys = effective(server, 'ssl_certificate_key', version).directives;
        const last = certificates.at(-1);
        if (!last || keys.length >= certificates.length || reported.has(last)) continue;
        reported.add(last);
        const certificate = last.node.args[0]?.value ?? '';
        report({
          message: 'server',
          data: { certificate },
          file: last.file,
          start: last.node.start,
          end: last.node.end,
          nginx: { seq: server.owner!.seq, line: 0, message: `no "ssl_certificate_key" is defined for certificate "${certificate}"`, unlocated: true, foundAt: http.context === 'stream' ? streamMergeFoundAt(http, 'ssl') : mergeFoundAt(http, 'ssl') },
        });
      }
      if (http.context === 'stream') continue;
      for (const module of Object.keys(TLS_PASSES) as Array<keyof typeof TLS_PASSES>) {
        for (const level of tlsPassLevels(model, http, module)) {
          const certificate = effective(level, `${module}_ssl_certificate`, version).directives.at(-1);
          const value = certificate?.node.args[0]?.value ?? '';
          if (!certificate || value === '' || effective(level, `${module}_ssl_certificate_key`, version).directives.length > 0 || reported.has(certificate)) continue;
          reported.add(certificate);
          report({
            message: 'upstream',
            data: { module, certificate: value },
            file: certificate.file,
            start: certificate.node.start,
            end: certificate.node.end,
            // at the end of the module's merge_loc_conf: after the level's buffer and cache checks
            nginx: { seq: level.owner!.seq + 0.2, line: 0, message: `no "${module}_ssl_certificate_key" is defined for certificate "${value}"`, unlocated: true, foundAt: mergeFoundAt(http, module) },
          });
        }
      }
    }
    // a stream server that proxies over TLS (proxy_ssl on), where even "" is a certificate (ngx_stream_proxy_set_ssl)
    for (const stream of model.named('stream')) {
      if (!stream.block || stream.block.endSeq === undefined) continue;
      for (const server of serversOf(stream.block)) {
        if (effective(server, 'proxy_ssl', version).directives.at(-1)?.node.args[0]?.value.toLowerCase() !== 'on') continue;
        const certificate = effective(server, 'proxy_ssl_certificate', version).directives.at(-1);
        if (!certificate || effective(server, 'proxy_ssl_certificate_key', version).directives.length > 0 || reported.has(certificate)) continue;
        reported.add(certificate);
        const value = certificate.node.args[0]?.value ?? '';
        report({
          message: 'upstream',
          data: { module: 'proxy', certificate: value },
          file: certificate.file,
          start: certificate.node.start,
          end: certificate.node.end,
          nginx: { seq: server.owner!.seq + 0.2, line: 0, message: `no "proxy_ssl_certificate_key" is defined for certificate "${value}"`, unlocated: true, foundAt: streamMergeFoundAt(stream.block, 'proxy') },
        });
      }
    }
    for (const setUp of tls) {
      const certificates = effective(setUp.server.block!, 'ssl_certificate', version).directives;
      const keys = effective(setUp.server.block!, 'ssl_certificate_key', version).directives;
      const last = certificates.at(-1);
      if (!last || keys.length >= certificates.length) continue;
      const certificate = last.node.args[0]?.value ?? '';
      const message = keys.length === 0
        ? `no "ssl_certificate_key" is defined for the "${setUp.mode}" directive`
        : `no "ssl_certificate_key" is defined for certificate "${certificate}" and the "${setUp.mode}" directive`;
      report({
        message: keys.length === 0 ? 'tlsServer' : 'tlsServerCertificate',
        data: { certificate, mode: setUp.mode, family: setUp.family },
        file: last.file,
        start: last.node.start,
        end: last.node.end,
        related: [{ file: setUp.named.file, start: setUp.named.node.start, end: setUp.named.node.end, message: 'nginx sets up TLS for the server here' }],
        nginx: { seq: setUp.server.seq, line: setUp.named.node.nginxLine, message, foundAt: setUp.foundAt },
      });
    }
  },
});
