import { CERTIFICATE_LINES } from '../../semantics/certificates';
import { checkDirective } from '../../semantics/handlers';
import { checkBlockEntries } from '../../semantics/handlers/blocks';
import { STORE_AND_CACHE } from '../../semantics/handlers/modules';
import { HTTP_PASSES } from '../../semantics/handlers/upstream';
import { missingSemicolonIn } from '../../semantics/missing-semicolon';
import { compiledAtMerge, variableScope } from '../../semantics/variable-uses';
import { type ConfigDirective, specOf } from '../../model/config';
import { mergeFoundAt } from '../http-merge';
import { defineRule, type NginxError, paced } from '../rule';
import { directivesToCheck, includeTrail, refused } from '../support';

/** An error nginx finds when it merges the http block: reported at that block's "}" (unlocated in a Kasm tree, whose http block is in the image's nginx.conf). */
function atHttpEnd(directive: ConfigDirective, message: string): NginxError {
  let http = directive.parent;
  while (http.parent && http.context !== 'http' && http.context !== 'stream') http = http.parent;
  const owner = http.owner;
  const close = owner?.node.block?.close;
  if (!owner || close === null || close === undefined) return { seq: directive.seq, foundAt: http.endSeq, line: directive.node.nginxLine, message, unlocated: true };
  return { seq: directive.seq, foundAt: http.endSeq, line: owner.file.lines.positionAt(close).line + 1, file: owner.file.path, message };
}

/**
 * An error nginx finds, about this directive, once the http or stream block holding it is read: in http
 * when the upstream module sets up the upstreams (after the core module's merge), in stream after the
 * servers' merges.
 */
function atBlockEnd(directive: ConfigDirective, message: string): NginxError {
  const block = variableScope(directive)?.block;
  const foundAt = block?.context === 'http' ? mergeFoundAt(block, 'upstream') : (block?.endSeq ?? Number.MAX_SAFE_INTEGER) + 0.25;
  return { seq: directive.seq, foundAt, line: directive.node.nginxLine, message };
}

export default defineRule({
  meta: {
    id: 'nginx/invalid-value',
    defaultSeverity: 'error',
    messages: {
      invalid: {
        text: '{nginx}.',
        ...refused('{explain}'),
      },
    },
    // access_log names a log_format; a *_pass without port, an upstream name or another pass's host;
    // thread_pool, the pools before it; proxy_redirect, the arguments of its block's proxy_redirect and
    // proxy_pass lines (root, alias, limit_except and an upstream `server` read only their siblings'
    // names, which an edit that changes a name rechecks)
    perDirective: { reads: ['log_format', 'upstream', 'thread_pool', 'proxy_redirect', ...HTTP_PASSES, ...CERTIFICATE_LINES, 'listen', ...STORE_AND_CACHE] },
    docs: {
      summary: "A directive's value that nginx's own handler for it refuses: a size, a time, a port, a status code, a flag...",
      whatItDoes:
        "Reads each directive's arguments as nginx's handler for it does once the directive is parsed, and reports what that handler " +
        "refuses, with nginx's message: sizes (`k`, `m`; `g` only for offsets), times (`1h 30m`, `500ms`), numbers and their bounds, " +
        'enumerated values of the configured nginx version and word lists (`dav_methods`, `keepalive_disable`, `smtp_auth`...), permissions ' +
        '(`dav_access user:rw group:r`), buffers (`proxy_buffers 8 4k`, neither zero), pool sizes, and the checks of handlers of their own ' +
        '(`listen`, `return`, `rewrite`, `if`, `set`, `location`, `proxy_pass`, upstream `server`, `expires`, `limit_req_zone`, `map`, `geo`, ' +
        '...). Which parser reads each argument was measured on the real nginx (test/tools/probe-values.ts), and every measured argument ' +
        "is held to nginx -t with thirty kinds of words. What nginx can only decide on the machine it runs on (host names, files, users) " +
        'is not checked.',
      whyItMatters: 'nginx refuses to start or reload with any of these errors; a typo in a timeout takes the whole proxy down.',
      example: 'client_max_body_size 1g;\nproxy_read_timeout 1h30;\nreturn 1000;',
      useInstead: 'client_max_body_size 1024m;\nproxy_read_timeout 1h 30m;\nreturn 404;',
    },
  },
  *check({ model, catalog, report, stopped, only }) {
    yield* paced(directivesToCheck(model, only), (directive) => {
      // in reading order, and what nginx meets later is about a directive or its block's end: nothing later matters either
      if (stopped(directive.seq)) return false;
      const { node, file } = directive;
      const spec = specOf(catalog, directive);
      if (!spec || spec.isBlock !== (node.terminator === '{') || !spec.counts.accepts(node.args.length)) return true; // other nginx/* rules
      if (missingSemicolonIn(directive, catalog)) return true; // nginx/missing-semicolon
      const entries = node.block ? checkBlockEntries(directive) : undefined;
      if (entries) {
        const where = entries.entry ?? directive;
        const span = entries.at ?? where.node.nameToken;
        const closeLine = entries.entry ? where.node.nginxLine : file.lines.positionAt(span.start).line + 1;
        report({
          message: 'invalid',
          data: { nginx: entries.message, explain: entries.explain },
          file: where.file,
          start: span.start,
          end: span.end,
          related: includeTrail(where),
          nginx: { seq: entries.entry ? where.seq : (directive.block?.endSeq ?? directive.seq), line: closeLine, message: entries.message },
        });
      }
      const error = checkDirective(directive, spec, { model, catalog });
      if (!error) return true;
      const span = error.at ?? node.nameToken;
      report({
        message: 'invalid',
        data: { nginx: error.message, explain: error.explain },
        file,
        start: span.start,
        end: span.end,
        related: includeTrail(directive),
        nginx: error.atBlockEnd
          ? atBlockEnd(directive, error.message)
          : error.foundAt !== undefined
            ? { seq: directive.seq, foundAt: error.foundAt, line: node.nginxLine, message: error.message }
          : compiledAtMerge(node.name)
            ? atHttpEnd(directive, error.message)
            : { seq: directive.seq, line: node.nginxLine, message: error.message },
      });
      return true;
    });
  },
});
