import { addTo } from '../../core/maps';
import type { ConfigBlock, ConfigDirective } from '../../model/config';
import { effective } from '../../model/effective';
import { versionNumber } from '../../nginx/directives';
import { listenEntries, serverBlocks, type ListenEntry } from '../../semantics/listens';
import { defineRule } from '../rule';
import { tlsSetUps } from '../tls-servers';

function hasCertificate(server: ConfigDirective, version: string): boolean {
  return effective(server.block!, 'ssl_certificate', version).directives.length > 0;
}

function rejectsHandshake(server: ConfigDirective, version: string): boolean {
  return effective(server.block!, 'ssl_reject_handshake', version).directives.some((d) => d.node.args[0]?.value.toLowerCase() === 'on');
}

export default defineRule({
  meta: {
    id: 'nginx/ssl-without-certificate',
    defaultSeverity: 'error',
    messages: {
      missing: {
        text: '{nginx}.',
        why:
          'This server is the one nginx answers {address} with by default, and it has no ssl_certificate (of its own or inherited from {level}): ' +
          'nginx -t refuses the configuration. Add ssl_certificate and ssl_certificate_key, or "ssl_reject_handshake on;" for a catch-all server.',
      },
      tlsServer: {
        text: '{nginx}.',
        why:
          'This {family} server sets up TLS ("{mode}") and has no ssl_certificate (of its own or inherited from {family}): nginx {version} refuses ' +
          'the configuration when it merges the server, naming that "{mode}" line. Add ssl_certificate and ssl_certificate_key.',
      },
    },
    reads: ['listen', 'ssl', 'starttls', 'ssl_certificate', 'ssl_reject_handshake'],
    docs: {
      summary: 'A server listening with ssl (or quic) and no certificate where nginx needs one.',
      whatItDoes:
        'For each address and port some server listens on with `ssl` (or `quic`), finds the server nginx uses by default there (the one ' +
        'marked default_server, else the first) and checks that a certificate applies to it (its own or the http level\'s) or that it rejects ' +
        'TLS handshakes (`ssl_reject_handshake on`, after which every server of the address needs its own). nginx checks this when the http ' +
        'block ends, since 1.15.0, and names the server\'s line; the same for stream servers since 1.25.5. Before 1.25.5, each stream server ' +
        'that listens with `ssl` needs a certificate of its own or of the stream level, and nginx names its last `listen ... ssl` line; so does ' +
        'each mail server that listens with `ssl` or has `starttls on` (or `only`, or `ssl on` before 1.25.1) in effect.',
      whyItMatters: 'nginx refuses to start; the usual cause is a catch-all server added on port 443 without a certificate.',
      example: 'server {\n    listen 443 ssl default_server;\n    return 444;\n}',
      useInstead: 'server {\n    listen 443 ssl default_server;\n    ssl_reject_handshake on;\n}',
    },
  },
  check({ model, catalog, report }) {
    const version = catalog.version;
    const at = versionNumber(version);
    for (const block of serverBlocks(model)) {
      if (block.context === 'http' ? at >= versionNumber('1.15.0') : block.context === 'stream' && at >= versionNumber('1.25.5')) checkDefaultServers(block);
    }
    for (const tls of tlsSetUps(model, version)) {
      if (hasCertificate(tls.server, version)) continue;
      const message = `no "ssl_certificate" is defined for the "${tls.mode}" directive`;
      report({
        message: 'tlsServer',
        data: { nginx: message, family: tls.family, mode: tls.mode, version },
        file: tls.server.file,
        start: tls.server.node.nameToken.start,
        end: tls.server.node.nameToken.end,
        related: [{ file: tls.named.file, start: tls.named.node.start, end: tls.named.node.end, message: 'nginx sets up TLS for the server here' }],
        nginx: { seq: tls.server.seq, foundAt: tls.foundAt, line: tls.named.node.nginxLine, message },
      });
    }

    /** Each address listened on with ssl or quic: its default server needs a certificate (ngx_http_ssl_init, ngx_stream_ssl_init). */
    function checkDefaultServers(block: ConfigBlock): void {
      const byAddress = new Map<string, ListenEntry[]>();
      for (const entry of listenEntries(block)) {
        const key = `${entry.address}${entry.udp ? '/udp' : ''}`;
        addTo(byAddress, key, entry);
      }
      for (const entries of byAddress.values()) {
        const tls = entries.find((e) => e.ssl || e.quic);
        if (!tls) continue;
        const kind = tls.quic ? 'quic' : 'ssl';
        const defaultEntry = entries.find((e) => e.defaultServer) ?? entries[0]!;
        // the default server, or when it rejects handshakes, the first server of the address without a certificate of its own
        const lacks = (server: ConfigDirective) => !hasCertificate(server, version) && !rejectsHandshake(server, version);
        const server = hasCertificate(defaultEntry.server, version) ? undefined : rejectsHandshake(defaultEntry.server, version) ? entries.find((e) => lacks(e.server))?.server : defaultEntry.server;
        if (!server) continue;
        const message = `no "ssl_certificate" is defined for the "listen ... ${kind}" directive`;
        report({
          message: 'missing',
          data: { nginx: message, address: defaultEntry.address, level: block.context },
          file: server.file,
          start: server.node.nameToken.start,
          end: server.node.nameToken.end,
          related: [{ file: tls.directive.file, start: tls.directive.node.start, end: tls.directive.node.end, message: `${defaultEntry.address} is listened on with ${kind} here` }],
          // found by the ssl module's postconfiguration when the block ends, after the locations, before the variables
          nginx: { seq: server.seq, foundAt: (block.endSeq ?? Number.MAX_SAFE_INTEGER) + 0.25, line: server.node.nginxLine, message },
        });
      }
    }
  },
});
