// When nginx meets the errors of its http modules' merge functions: once the http block is read,
// ngx_http_block merges module after module (in the order of the modules nginx was built with), and
// for each module the servers in turn, each server before its locations, each location before those
// inside it (the reading order: locations are sorted only after the merge). Errors logged with
// ngx_conf_log_error name the line where the http block ends; those logged with ngx_log_error name none.

import { type ConfigBlock, type ConfigModel, within } from '../model/config';
import type { ParsedFile } from '../nginx/ast';

export { within };

/** An http block read to its end, and where nginx names its end (unknown for the Kasm container's own nginx.conf). */
export interface HttpBlock {
  block: ConfigBlock;
  end?: { file: ParsedFile; line: number };
}

export function httpBlocks(model: ConfigModel): HttpBlock[] {
  const blocks: HttpBlock[] = [];
  for (const d of model.named('http')) {
    const close = d.node.block?.close;
    if (d.block && close !== null && close !== undefined && d.block.endSeq !== undefined) blocks.push({ block: d.block, end: { file: d.file, line: d.file.lines.nginxLine(close) } });
  }
  // a Kasm tree: the image's nginx.conf includes it inside its http block
  for (const root of model.roots) if (root.file === undefined && root.context === 'http') blocks.push({ block: root.block });
  return blocks;
}

/** The modules whose merges the rules follow, in nginx's module order (auto/modules). */
// (upstream: its init_main_conf sets up each upstream's peers, after the core module's merge)
export const MERGING_MODULES = { core: 0, upstream: 0.1, referer: 0.3, ssl: 0.5, proxy: 1, fastcgi: 2, uwsgi: 3, scgi: 4, grpc: 5 } as const;

/**
 * Where in nginx's reading order it meets an error of `module`'s merge: after the http block's last
 * directive, before the next module's merge. (The level merged goes in the error's `seq`: servers and
 * locations are merged in their reading order.)
 */
export function mergeFoundAt(http: ConfigBlock, module: keyof typeof MERGING_MODULES): number {
  return (http.endSeq ?? Number.MAX_SAFE_INTEGER) - 0.5 + MERGING_MODULES[module] / 10;
}

/**
 * The stream modules in the order nginx merges them (Debian's ngx_stream_module.so: core, log, proxy,
 * upstream, ssl...): ngx_stream_block runs each module's init_main_conf, then its merge of every server.
 */
const STREAM_MERGING = { core: 0, proxy: 0.03, upstream: 0.05, ssl: 0.06 } as const;

/** Where in nginx's reading order it meets an error of a stream module's merge (see mergeFoundAt). */
export function streamMergeFoundAt(stream: ConfigBlock, module: keyof typeof STREAM_MERGING): number {
  return (stream.endSeq ?? Number.MAX_SAFE_INTEGER) - 0.5 + STREAM_MERGING[module];
}


/** The servers of an http block, in the order nginx merges them. */
export function serversOf(http: ConfigBlock): ConfigBlock[] {
  return http.items.filter((d) => d.node.name === 'server' && d.block).map((d) => d.block!);
}

/** The modules that proxy over TLS, and the scheme that asks for it. */
export const TLS_PASSES = { proxy: /^https:\/\//i, grpc: /^grpcs:\/\//i, uwsgi: /^suwsgi:\/\//i } as const;

/**
 * The levels (locations, their `if` blocks and `limit_except`) whose own `proxy_pass` (`grpc_pass`,
 * `uwsgi_pass`) makes nginx set up TLS to the upstream when it merges them: a URL with the TLS scheme,
 * or one with variables (which may turn out to use it), as ngx_http_proxy_pass marks them (plcf->ssl);
 * a level without its own pass sets up none (the merge takes the parent's only after).
 */
export function tlsPassLevels(model: ConfigModel, http: ConfigBlock, module: keyof typeof TLS_PASSES): ConfigBlock[] {
  return model
    .named(`${module}_pass`)
    .filter((d) => {
      const url = d.node.args[0]?.value ?? '';
      return d.node.terminator === ';' && d.node.args.length === 1 && (TLS_PASSES[module].test(url) || url.includes('$')) && within(d.parent, http);
    })
    .map((d) => d.parent);
}
