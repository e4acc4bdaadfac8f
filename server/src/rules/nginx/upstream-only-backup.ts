// An upstream whose servers are all backups: nginx refuses it when it sets up the upstream's peers,
// once the http or stream block is read (ngx_http_upstream_init_round_robin, and stream's twin, which
// every balancing method calls: "no servers in upstream "NAME" in FILE:LINE", the line where the
// upstream was first named). In stream it comes after the core module's merge of the servers
// ("no handler for server" first), as the real nginx -t shows.

import type { ConfigBlock, ConfigDirective, ConfigModel } from '../../model/config';
import { HTTP_PASSES } from '../../semantics/handlers/upstream';
import { passTarget } from '../../semantics/url';
import { httpBlocks, mergeFoundAt, streamMergeFoundAt, within } from '../http-merge';
import { defineRule, type Report } from '../rule';
import { refused } from '../support';

/** The directives that name an upstream by its host (an earlier one is where nginx first books the name). */
const PASSES = HTTP_PASSES;

interface UpstreamScope {
  block: ConfigBlock;
  /** The *_pass directives that may name its upstreams. */
  passes: readonly string[];
  /** Whether nginx's message is predicted for an upstream first named by this pass. */
  exactFor: (pass: ConfigDirective) => boolean;
  foundAt: number;
}

function scopes(model: ConfigModel): UpstreamScope[] {
  const http = httpBlocks(model).map(({ block }) => ({
    block,
    passes: PASSES,
    // worked out for a proxy_pass http(s):// without port
    exactFor: (pass: ConfigDirective) => pass.node.name === 'proxy_pass' && /^https?:\/\//i.test(pass.node.args[0]!.value) && !passTarget(pass.node.args[0]!.value).port,
    foundAt: mergeFoundAt(block, 'upstream'),
  }));
  const stream = model.named('stream').flatMap((d) =>
    d.block
      ? [{ block: d.block, passes: ['proxy_pass'], exactFor: (pass: ConfigDirective) => !passTarget(pass.node.args[0]!.value).port, foundAt: streamMergeFoundAt(d.block, 'upstream') }]
      : [],
  );
  return [...http, ...stream];
}

export default defineRule({
  meta: {
    id: 'nginx/upstream-only-backup',
    defaultSeverity: 'error',
    messages: {
      onlyBackup: {
        text: 'no servers in upstream "{name}": every server of it is a backup.',
        ...refused('A backup server only takes requests when the others are down, so an upstream needs at least one server without "backup"; nginx checks it when it sets up the upstreams, once the http (or stream) block is read.'),
      },
    },
    reads: ['http', 'stream', 'upstream', 'server', ...PASSES],
    docs: {
      summary: 'An `upstream` whose `server` lines all have `backup`.',
      whatItDoes:
        'Reports an upstream block of http or stream whose servers are all marked `backup`, with the message `nginx -t` prints ("no servers in upstream ' +
        '"NAME" in FILE:LINE": the line of the upstream, or of a `proxy_pass` that named it before it, with the name as written there).',
      whyItMatters: 'nginx refuses the whole configuration: marking the last active server of a pool as backup, to drain it, stops the next reload.',
      example: 'upstream app {\n    server 10.0.0.5:8080 backup;\n}',
      useInstead: 'upstream app {\n    server 10.0.0.4:8080;\n    server 10.0.0.5:8080 backup;\n}',
      references: ['https://nginx.org/en/docs/http/ngx_http_upstream_module.html#server'],
    },
  },
  check({ model, report }) {
    for (const scope of scopes(model)) checkScope(model, scope, report);
  },
});

function checkScope(model: ConfigModel, { block, passes, exactFor, foundAt }: UpstreamScope, report: (r: Report<'onlyBackup', never>) => void): void {
  // the first *_pass of the block naming each host (lower case), made when an upstream of backups is first found
  let firstPasses: Map<string, ConfigDirective> | undefined;
  const passesByHost = () => {
    if (!firstPasses) {
      firstPasses = new Map();
      for (const d of passes.flatMap((pass) => model.named(pass)).sort((a, b) => a.seq - b.seq)) {
        const host = passTarget(d.node.args[0]?.value ?? '').host.toLowerCase();
        if (within(d.parent, block) && !firstPasses.has(host)) firstPasses.set(host, d);
      }
    }
    return firstPasses;
  };
  for (const upstream of model.named('upstream')) {
    if (!upstream.block || upstream.parent !== block || upstream.node.args.length !== 1) continue;
    const servers = upstream.block.items.filter((d) => d.node.name === 'server' && d.node.terminator === ';');
    if (servers.length === 0 || !servers.every((s) => s.node.args.some((a) => a.value === 'backup'))) continue;
    const name = upstream.node.args[0]!.value;
    // named first by a *_pass before the block: nginx names that line and the name as written there
    // (otherwise nginx's message is not predicted)
    const earliest = passesByHost().get(name.toLowerCase());
    const first = earliest && earliest.seq < upstream.seq ? earliest : undefined;
    const namedAt = first ?? upstream;
    report({
      message: 'onlyBackup',
      data: { name },
      file: upstream.file,
      start: upstream.node.nameToken.start,
      end: upstream.node.args[0]!.end,
      nginx:
        !first || exactFor(first)
          ? { seq: upstream.seq, line: namedAt.node.nginxLine, file: namedAt.file.path, message: `no servers in upstream "${first ? passTarget(first.node.args[0]!.value).host : name}"`, foundAt }
          : undefined,
    });
  }
}
