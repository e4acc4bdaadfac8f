// A certificate without its key, which nginx refuses when it merges the server (ngx_http_ssl_merge_srv_conf:
// more ssl_certificate than ssl_certificate_key lines in effect) or a location that proxies over TLS
// (ngx_http_proxy_set_ssl, and grpc's and uwsgi's: a proxy_ssl_certificate without proxy_ssl_certificate_key).
// Both are logged with ngx_log_error: nginx names no file or line.

import type { ConfigDirective } from '../../model/config';
import { effective } from '../../model/effective';
import { versionNumber } from '../../nginx/directives';
import { listenEntries, type ListenEntry } from '../../semantics/listens';
import { httpBlocks, mergeFoundAt, serversOf, TLS_PASSES, tlsPassLevels } from '../http-merge';
import { defineRule } from '../rule';
import { refused } from '../support';

export default defineRule({
  meta: {
    id: 'nginx/certificate-without-key',
    defaultSeverity: 'error',
    messages: {
      server: {
        text: 'no "ssl_certificate_key" is defined for certificate "{certificate}".',
        ...refused('Each ssl_certificate needs an ssl_certificate_key in effect beside it (the Nth key goes with the Nth certificate); nginx checks it when it merges each server, naming no file or line.'),
      },
      streamListen: {
        text: 'no "ssl_certificate_key" is defined for the "listen ... ssl" directive.',
        ...refused('This stream server listens with ssl and has a certificate but no ssl_certificate_key in effect (its own or the stream level\'s); nginx before 1.25.5 checks it when it merges the server, naming its last "listen ... ssl" line.'),
      },
      streamListenCertificate: {
        text: 'no "ssl_certificate_key" is defined for certificate "{certificate}" (a "listen ... ssl" server).',
        ...refused('Each ssl_certificate of a stream server that listens with ssl needs an ssl_certificate_key beside it (the Nth key goes with the Nth certificate); nginx before 1.25.5 checks it when it merges the server, naming its last "listen ... ssl" line.'),
      },
      upstream: {
        text: 'no "{module}_ssl_certificate_key" is defined for certificate "{certificate}".',
        ...refused('The client certificate nginx presents to the upstream needs its key; nginx checks it when it merges each location that proxies over TLS, naming no file or line.'),
      },
    },
    reads: ['http', 'stream', 'listen', 'server', 'location', 'if', 'limit_except', 'ssl_certificate', 'ssl_certificate_key', ...Object.keys(TLS_PASSES).flatMap((m) => [`${m}_pass`, `${m}_ssl_certificate`, `${m}_ssl_certificate_key`])],
    docs: {
      summary: 'An `ssl_certificate` (or `proxy_ssl_certificate`, `grpc_ssl_certificate`, `uwsgi_ssl_certificate`) without its key.',
      whatItDoes:
        'For each server, counts the `ssl_certificate` and `ssl_certificate_key` lines in effect (its own, else those of the http level) and ' +
        'reports the last certificate when there are fewer keys. For each location (and `if`, `limit_except`) whose own `proxy_pass` uses ' +
        'https:// or variables (`grpc_pass` grpcs://, `uwsgi_pass` suwsgi://), reports a `proxy_ssl_certificate` (`grpc_ssl_certificate`, ' +
        '`uwsgi_ssl_certificate`) in effect without its key. Stream servers the same since 1.25.5; before, only those that listen ' +
        'with `ssl`, with nginx\'s words of then (naming the last `listen ... ssl` line). These are the errors ' +
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
    for (const { block: http } of httpBlocks(model)) {
      for (const server of serversOf(http)) {
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
          nginx: { seq: server.owner!.seq, line: 0, message: `no "ssl_certificate_key" is defined for certificate "${certificate}"`, unlocated: true, foundAt: mergeFoundAt(http, 'ssl') },
        });
      }
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
    const streamSince1255 = versionNumber(version) >= versionNumber('1.25.5');
    for (const stream of model.named('stream')) {
      const block = stream.block;
      if (!block || block.endSeq === undefined) continue;
      if (streamSince1255) {
        for (const server of serversOf(block)) {
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
            nginx: { seq: server.owner!.seq, line: 0, message: `no "ssl_certificate_key" is defined for certificate "${certificate}"`, unlocated: true, foundAt: mergeFoundAt(block, 'ssl') },
          });
        }
        continue;
      }
      // before 1.25.5 (ngx_stream_ssl_merge_conf, 1.22.1 line 741): a server that listens with ssl, named by its last such listen
      const lastTlsListen = new Map<ConfigDirective, ListenEntry>();
      for (const entry of listenEntries(block)) if (entry.ssl) lastTlsListen.set(entry.server, entry);
      for (const [server, listen] of lastTlsListen) {
        const certificates = effective(server.block!, 'ssl_certificate', version).directives;
        const keys = effective(server.block!, 'ssl_certificate_key', version).directives;
        const last = certificates.at(-1);
        if (!last || keys.length >= certificates.length) continue;
        const certificate = last.node.args[0]?.value ?? '';
        const message = keys.length === 0
          ? 'no "ssl_certificate_key" is defined for the "listen ... ssl" directive'
          : `no "ssl_certificate_key" is defined for certificate "${certificate}" and the "listen ... ssl" directive`;
        report({
          message: keys.length === 0 ? 'streamListen' : 'streamListenCertificate',
          data: { certificate },
          file: last.file,
          start: last.node.start,
          end: last.node.end,
          related: [{ file: listen.directive.file, start: listen.directive.node.start, end: listen.directive.node.end, message: 'the server listens with ssl here' }],
          nginx: { seq: server.seq, line: listen.directive.node.nginxLine, message, foundAt: mergeFoundAt(block, 'ssl') },
        });
      }
    }
  },
});
