// Which ssl_certificate and ssl_certificate_key lines nginx compiles as scripts. It keeps their values
// as text and compiles them only when it merges a server whose certificates in effect (its own, else the
// http or stream level's) are all matched by keys and one of them, or of the keys beside them, has a "$":
// then every certificate and the key beside it, not the keys beyond the last certificate
// (ngx_http_ssl_compile_certificates, nginx 1.22.1 src/http/modules/ngx_http_ssl_module.c:907). A stream
// server before 1.25.5 compiles them only when it listens with ssl (ngx_stream_ssl_merge_conf, 1.22.1
// src/stream/ngx_stream_ssl_module.c:737). Their variables, and the errors of their scripts, count only there.

import { type ConfigBlock, type ConfigDirective, type ConfigModel, modelMemoKey } from '../model/config';
import { effective } from '../model/effective';
import { versionNumber } from '../nginx/directives';
import { listensWithSsl } from './listens';

export const CERTIFICATE_LINES: readonly string[] = ['ssl_certificate', 'ssl_certificate_key'];

const COMPILED_CERTIFICATES = modelMemoKey<Map<string, ReadonlySet<ConfigDirective>>>('ssl_certificate lines compiled');

export function compiledCertificates(model: ConfigModel, version: string): ReadonlySet<ConfigDirective> {
  const byVersion = model.memo(COMPILED_CERTIFICATES, () => new Map());
  let compiled = byVersion.get(version);
  if (compiled) return compiled;
  const found = new Set<ConfigDirective>();
  const streamNeedsSslListen = versionNumber(version) < versionNumber('1.25.5');
  for (const { block, stream } of serverLevels(model)) {
    for (const server of block.items) {
      if (server.node.name !== 'server' || !server.block) continue;
      if (stream && streamNeedsSslListen && !server.block.items.some(listensWithSsl)) continue;
      const certificates = effective(server.block, 'ssl_certificate', version).directives;
      const keys = effective(server.block, 'ssl_certificate_key', version).directives.slice(0, certificates.length);
      if (certificates.length === 0 || keys.length < certificates.length) continue;
      const lines = [...certificates, ...keys];
      if (lines.some((d) => d.node.args.some((a) => a.value.includes('$')))) for (const d of lines) found.add(d);
    }
  }
  byVersion.set(version, (compiled = found));
  return compiled;
}

/** The http and stream blocks whose servers nginx merges (a Kasm tree's root is the inside of an http block). */
function serverLevels(model: ConfigModel): Array<{ block: ConfigBlock; stream: boolean }> {
  const levels: Array<{ block: ConfigBlock; stream: boolean }> = [];
  for (const name of ['http', 'stream']) for (const d of model.named(name)) if (d.block) levels.push({ block: d.block, stream: name === 'stream' });
  for (const root of model.roots) if (root.file === undefined && root.context === 'http') levels.push({ block: root.block, stream: false });
  return levels;
}
