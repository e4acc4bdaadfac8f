// Servers that nginx sets up TLS for when it merges them because of a directive, checked there for
// their certificates and keys, with the line of that directive in its messages:
// - http servers with `ssl on` in effect, before 1.25.1 (ngx_http_ssl_merge_srv_conf, nginx 1.22.1
//   src/http/modules/ngx_http_ssl_module.c:678);
// - stream servers that listen with `ssl`, before 1.25.5 (ngx_stream_ssl_merge_conf, 1.22.1
//   src/stream/ngx_stream_ssl_module.c:737); since then a stream server is checked as an http one is;
// - mail servers that listen with `ssl` or have `ssl on` (before 1.25.1) or `starttls on|only` in
//   effect, in every version (ngx_mail_ssl_merge_conf, 1.22.1 src/mail/ngx_mail_ssl_module.c:393).

import { type ConfigBlock, type ConfigDirective, type ConfigModel, modelMemoKey } from '../model/config';
import { effective } from '../model/effective';
import { versionNumber } from '../nginx/directives';
import { listensWithSsl } from '../semantics/listens';
import { httpBlocks, mergeFoundAt, streamMergeFoundAt } from './http-merge';

export interface TlsSetUp {
  server: ConfigDirective;
  family: 'http' | 'stream' | 'mail';
  /** The directive nginx names: "listen ... ssl", "ssl" or "starttls". */
  mode: 'listen ... ssl' | 'ssl' | 'starttls';
  /** The line nginx names: the last `listen ... ssl` of the server, else its (or the mail level's) `ssl` or `starttls`. */
  named: ConfigDirective;
  /** Where in nginx's reading order it checks the server (after the block's last directive). */
  foundAt: number;
}

const TLS_SET_UPS = modelMemoKey<Map<string, TlsSetUp[]>>('servers a directive sets up TLS for');

/** The servers a directive sets up TLS for (once per model and version: three rules ask). */
export function tlsSetUps(model: ConfigModel, version: string): TlsSetUp[] {
  const byVersion = model.memo(TLS_SET_UPS, () => new Map());
  let found = byVersion.get(version);
  if (!found) byVersion.set(version, (found = findTlsSetUps(model, version)));
  return found;
}

function findTlsSetUps(model: ConfigModel, version: string): TlsSetUp[] {
  const found: TlsSetUp[] = [];
  if (versionNumber(version) < versionNumber('1.25.1')) {
    for (const { block } of httpBlocks(model)) {
      for (const server of serversIn(block)) {
        const ssl = effective(server.block!, 'ssl', version).directives.at(-1);
        if (ssl && lastOn([ssl], ['on'])) found.push({ server, family: 'http', mode: 'ssl', named: ssl, foundAt: mergeFoundAt(block, 'ssl') });
      }
    }
  }
  if (versionNumber(version) < versionNumber('1.25.5')) {
    for (const stream of model.named('stream')) {
      const block = stream.block;
      if (!block || block.endSeq === undefined) continue;
      for (const server of serversIn(block)) {
        const listen = server.block!.items.filter(listensWithSsl).at(-1);
        if (listen) found.push({ server, family: 'stream', mode: 'listen ... ssl', named: listen, foundAt: streamMergeFoundAt(block, 'ssl') });
      }
    }
  }
  for (const mail of model.named('mail')) {
    const block = mail.block;
    if (!block || block.endSeq === undefined) continue;
    // merged once the mail block is read: after the core module's checks (protocols), before auth_http's
    const foundAt = block.endSeq - 0.45;
    for (const server of serversIn(block)) {
      const own = server.block!;
      const listen = own.items.filter(listensWithSsl).at(-1);
      if (listen) {
        found.push({ server, family: 'mail', mode: 'listen ... ssl', named: listen, foundAt });
        continue;
      }
      const enabled = lastOn(effective(own, 'ssl', version).directives, ['on']);
      const starttls = lastOn(effective(own, 'starttls', version).directives, ['on', 'only']);
      const mode = enabled ? 'ssl' : starttls ? 'starttls' : undefined;
      if (!mode) continue;
      // the line of the last ssl or starttls line read at the server's level, else at the mail level
      const named = [own, block].map((level) => level.items.filter((d) => (d.node.name === 'ssl' || d.node.name === 'starttls') && d.node.terminator === ';').at(-1)).find((d) => d !== undefined);
      if (named) found.push({ server, family: 'mail', mode, named, foundAt });
    }
  }
  return found;
}

function serversIn(block: ConfigBlock): ConfigDirective[] {
  return block.items.filter((d) => d.node.name === 'server' && d.block !== undefined);
}

function lastOn(directives: readonly ConfigDirective[], values: readonly string[]): boolean {
  const value = directives.at(-1)?.node.args[0]?.value.toLowerCase();
  return value !== undefined && values.includes(value);
}
