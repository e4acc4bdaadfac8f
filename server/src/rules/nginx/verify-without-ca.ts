// Certificate verification without the certificates to verify against, which nginx refuses when it
// merges: ssl_verify_client on (or optional) without ssl_client_certificate in a server that has a
// certificate (ngx_http_ssl_merge_srv_conf; optional_no_ca needs none), proxy_ssl_verify on without
// proxy_ssl_trusted_certificate in a location that proxies over TLS (ngx_http_proxy_set_ssl, and the
// same for grpc and uwsgi). Both are logged with ngx_log_error: nginx names no file or line. The same
// in stream (ngx_stream_ssl_merge_conf, ngx_stream_proxy_set_ssl: a server with proxy_ssl on) and
// for mail servers (ngx_mail_ssl_merge_conf), each when nginx sets up TLS for the server.

import type { ConfigBlock, ConfigDirective } from '../../model/config';
import { effective } from '../../model/effective';
import { versionNumber } from '../../nginx/directives';
import { httpBlocks, mergeFoundAt, serversOf, streamMergeFoundAt, TLS_PASSES, tlsPassLevels } from '../http-merge';
import { insertLinesAfter } from '../edits';
import { defineRule } from '../rule';
import { refused } from '../support';
import { tlsSetUps } from '../tls-servers';

/** The CA bundle Debian's and Ubuntu's ca-certificates install. */
const SYSTEM_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

const lower = (d: ConfigDirective | undefined) => d?.node.args[0]?.value.toLowerCase();

export default defineRule({
  meta: {
    id: 'nginx/verify-without-ca',
    defaultSeverity: 'error',
    messages: {
      client: {
        text: 'no ssl_client_certificate for ssl_verify_client.',
        ...refused('Verifying client certificates needs ssl_client_certificate, the CA certificates they are checked against (only "optional_no_ca" does without); nginx checks it when it merges each server that has a certificate, naming no file or line.'),
      },
      clientOrTrusted: {
        text: 'no ssl_client_certificate or ssl_trusted_certificate for ssl_verify_client.',
        ...refused('Verifying client certificates needs the CA certificates they are checked against, in ssl_client_certificate (also sent to clients) or, since nginx 1.27.2, ssl_trusted_certificate (only "optional_no_ca" does without); nginx checks it when it merges each server that has a certificate, naming no file or line.'),
      },
      upstream: {
        text: 'no {module}_ssl_trusted_certificate for {module}_ssl_verify.',
        ...refused('Verifying the upstream\'s certificate needs {module}_ssl_trusted_certificate, the CA certificates it is checked against; nginx checks it when it merges each location (or stream server) that proxies over TLS, naming no file or line. The fix adds the system\'s CA bundle: pin the upstream\'s own certificate instead for a self-signed one.'),
      },
    },
    fixes: {
      trust: { title: 'Add "{module}_ssl_trusted_certificate {path}"', applicability: 'unsafe', changes: 'the upstream must present a certificate signed by a CA of {path}' },
    },
    reads: ['http', 'stream', 'mail', 'server', 'listen', 'ssl', 'starttls', 'location', 'if', 'limit_except', 'ssl_certificate', 'ssl_reject_handshake', 'ssl_verify_client', 'ssl_client_certificate', 'ssl_trusted_certificate', 'proxy_ssl', ...Object.keys(TLS_PASSES).flatMap((m) => [`${m}_pass`, `${m}_ssl_verify`, `${m}_ssl_trusted_certificate`])],
    docs: {
      summary: '`ssl_verify_client` without `ssl_client_certificate`, or `proxy_ssl_verify on` without `proxy_ssl_trusted_certificate`.',
      whatItDoes:
        'Reports a server with a certificate (or `ssl_reject_handshake on`) where `ssl_verify_client` in effect is `on` or `optional` and no ' +
        '`ssl_client_certificate` is, and a location (or `if`, `limit_except`) whose own `proxy_pass` uses https:// or variables where ' +
        '`proxy_ssl_verify` in effect is on and no `proxy_ssl_trusted_certificate` is (the same for `grpc_pass` grpcs:// and `uwsgi_pass` ' +
        'suwsgi://). The same for stream servers (`proxy_ssl_verify` where `proxy_ssl` is on) and for the client certificates of stream and ' +
        'mail servers that nginx sets up TLS for. These are the errors `nginx -t` prints, in its words.',
      whyItMatters:
        'nginx refuses the whole configuration without naming a file or line. Turning on upstream verification, as hardening guides for ' +
        "Kasm's proxy ask, with `proxy_ssl_verify on` alone stops the next reload.",
      example: 'location / {\n    proxy_pass https://kasm_backend;\n    proxy_ssl_verify on;\n}',
      useInstead: 'location / {\n    proxy_pass https://kasm_backend;\n    proxy_ssl_verify on;\n    proxy_ssl_trusted_certificate /etc/nginx/kasm_nginx.crt;\n}',
      fixSafety:
        "For proxy_ssl_verify, the fix adds `proxy_ssl_trusted_certificate` with the system's CA bundle (" + SYSTEM_CA_BUNDLE + ') after the ' +
        '`proxy_ssl_verify` line: unsafe, requests fail until the upstream presents a certificate a public CA signed (point it at the ' +
        "upstream's own certificate for a self-signed one). For client certificates no fix is offered: which CA signs them is yours to say.",
      references: ['https://nginx.org/en/docs/http/ngx_http_ssl_module.html#ssl_verify_client', 'https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_ssl_verify'],
    },
  },
  check({ model, catalog, report }) {
    const version = catalog.version;
    const reported = new Set<ConfigDirective>();
    for (const { block: http } of httpBlocks(model)) {
      for (const server of serversOf(http)) {
        // (a server without a certificate sets up no TLS of its own when merged: ngx_http_ssl_merge_srv_conf returns first)
        if (setsUpTls(server)) checkClientVerify(server, mergeFoundAt(http, 'ssl'));
      }
      for (const module of Object.keys(TLS_PASSES) as Array<keyof typeof TLS_PASSES>) {
        for (const level of tlsPassLevels(model, http, module)) checkUpstreamVerify(level, module, mergeFoundAt(http, module));
      }
    }
    const streamSince1255 = versionNumber(version) >= versionNumber('1.25.5');
    for (const stream of model.named('stream')) {
      const block = stream.block;
      if (!block || block.endSeq === undefined) continue;
      for (const server of serversOf(block)) {
        if (streamSince1255 && setsUpTls(server)) checkClientVerify(server, streamMergeFoundAt(block, 'ssl'));
        if (lower(effective(server, 'proxy_ssl', version).directives.at(-1)) === 'on') checkUpstreamVerify(server, 'proxy', streamMergeFoundAt(block, 'proxy'));
      }
    }
    // servers a directive sets up TLS for: http ones with "ssl on", stream ones before 1.25.5, mail ones
    for (const tls of tlsSetUps(model, version)) checkClientVerify(tls.server.block!, tls.foundAt);

    function setsUpTls(server: ConfigBlock): boolean {
      return effective(server, 'ssl_certificate', version).directives.length > 0 || lower(effective(server, 'ssl_reject_handshake', version).directives.at(-1)) === 'on';
    }

    function checkClientVerify(server: ConfigBlock, foundAt: number): void {
      const verify = effective(server, 'ssl_verify_client', version).directives.at(-1);
      if (!verify || reported.has(verify) || !['on', 'optional'].includes(lower(verify) ?? '')) return;
      const named = (name: string) => (effective(server, name, version).directives.at(-1)?.node.args[0]?.value ?? '') !== '';
      // since 1.27.2 the trusted certificates do as well (changes.xml: "ssl_client_certificate" is not required)
      const trustedDoes = versionNumber(version) >= versionNumber('1.27.2');
      if (named('ssl_client_certificate') || (trustedDoes && named('ssl_trusted_certificate'))) return;
      reported.add(verify);
      report({
        message: trustedDoes ? 'clientOrTrusted' : 'client',
        file: verify.file,
        start: verify.node.start,
        end: verify.node.end,
        nginx: { seq: server.owner!.seq + 0.1, line: 0, message: trustedDoes ? 'no ssl_client_certificate or ssl_trusted_certificate for ssl_verify_client' : 'no ssl_client_certificate for ssl_verify_client', unlocated: true, foundAt },
      });
    }

    function checkUpstreamVerify(level: ConfigBlock, module: keyof typeof TLS_PASSES, foundAt: number): void {
      const verify = effective(level, `${module}_ssl_verify`, version).directives.at(-1);
      if (!verify || reported.has(verify) || lower(verify) !== 'on') return;
      if ((effective(level, `${module}_ssl_trusted_certificate`, version).directives.at(-1)?.node.args[0]?.value ?? '') !== '') return;
      reported.add(verify);
      report({
        message: 'upstream',
        data: { module },
        file: verify.file,
        start: verify.node.start,
        end: verify.node.end,
        fixes: [{ fix: 'trust', data: { module, path: SYSTEM_CA_BUNDLE }, edits: [insertLinesAfter(verify.file, verify.node, [`${module}_ssl_trusted_certificate ${SYSTEM_CA_BUNDLE};`])] }],
        // at the end of the module's merge, after a certificate without its key
        nginx: { seq: level.owner!.seq + 0.3, line: 0, message: `no ${module}_ssl_trusted_certificate for ${module}_ssl_verify`, unlocated: true, foundAt },
      });
    }
  },
});
