// Every directive handler check, by directive name. A directive without a handler of its own goes
// through the generic slot parsers (slots.ts) where the real nginx was measured to use them.

import { CERTIFICATE_LINES, compiledCertificates } from '../certificates';
import type { DirectiveSpec } from '../../nginx/directives';
import type { ConfigDirective } from '../../model/config';
import type { Handler, HandlerEnv, HandlerError } from '../handler';
import { addHeaderHandler, charsetHandler, disableSymlinksHandler, indexHandler, errorPageHandler, expiresHandler, limitExceptHandler, locationHandler, resolverHandler, rootHandler, serverNameHandler, tryFilesHandler } from './core';
import { limitConnHandler, limitReqHandler, zoneDefinitionHandler } from './limits';
import { listen } from './listen';
import { mailProtocolHandler, mailTlsConflict } from './mail';
import { AFTER_SLOT, openLogFileCacheHandler } from './modules';
import { accessLogHandler, errorLogHandler, logFormatHandler } from './logs';
import { argumentsHaveDollar, compiledTokens } from '../variable-uses';
import { scriptError } from './rewrite';
import { ifHandler, returnHandler, rewriteHandler, setHandler, variableCreatingHandler } from './rewrite';
import { accessRuleHandler } from './access';
import { checkSlots } from './slots';
import { cpuAffinityHandler, loadModuleHandler, workerConnectionsHandler, workerProcessesHandler } from './main';
import { aioHandler, threadPoolHandler } from './threads';
import { cachePathHandler, cacheValidHandler, openFileCacheHandler, sslSessionCacheHandler, tempPathHandler } from './cache';
import { BUFS_DIRECTIVES, bufsHandler, http2ChunkSizeHandler, http2RecvBufferHandler, poolSizeHandler } from './sizes';
import { ACCESS_DIRECTIVES, accessHandler, WORD_LIST_DIRECTIVES, wordListHandler } from './word-lists';
import { addressPassHandler, bindHandler, cookieRewriteHandler, hashHandler, keepaliveHandler, proxyPassHandler, randomHandler, redirectHandler, streamProxyPassHandler, upstreamBlockHandler, upstreamServerHandler, upstreamZoneHandler } from './upstream';

const HANDLERS: Record<string, Handler> = {
  listen,
  location: locationHandler,
  server_name: serverNameHandler,
  error_page: errorPageHandler,
  add_header: addHeaderHandler,
  add_trailer: addHeaderHandler,
  expires: expiresHandler,
  charset: charsetHandler,
  source_charset: charsetHandler,
  try_files: tryFilesHandler,
  root: rootHandler,
  alias: rootHandler,
  limit_except: limitExceptHandler,
  resolver: resolverHandler,
  return: returnHandler,
  rewrite: rewriteHandler,
  if: ifHandler,
  set: setHandler,
  auth_request_set: variableCreatingHandler,
  map: variableCreatingHandler,
  geo: variableCreatingHandler,
  split_clients: variableCreatingHandler,
  limit_req_zone: zoneDefinitionHandler,
  limit_conn_zone: zoneDefinitionHandler,
  limit_req: limitReqHandler,
  limit_conn: limitConnHandler,
  server: (directive, env) => (directive.parent.context.endsWith('upstream') ? upstreamServerHandler(directive, env) : undefined),
  upstream: upstreamBlockHandler,
  keepalive: keepaliveHandler,
  zone: (directive, env) => (directive.parent.context.endsWith('upstream') ? upstreamZoneHandler(directive, env) : undefined),
  hash: hashHandler,
  random: randomHandler,
  proxy_pass: (directive, env) =>
    directive.parent.context.startsWith('http') ? proxyPassHandler(directive, env) : directive.parent.context.startsWith('stream') ? streamProxyPassHandler(directive, env) : undefined,
  fastcgi_pass: addressPassHandler,
  scgi_pass: addressPassHandler,
  uwsgi_pass: addressPassHandler,
  grpc_pass: addressPassHandler,
  memcached_pass: addressPassHandler,
  log_format: logFormatHandler,
  access_log: accessLogHandler,
  error_log: errorLogHandler,
  allow: accessRuleHandler,
  deny: accessRuleHandler,
  worker_processes: workerProcessesHandler,
  worker_connections: workerConnectionsHandler,
  worker_cpu_affinity: cpuAffinityHandler,
  load_module: loadModuleHandler,
  protocol: mailProtocolHandler,
  open_log_file_cache: openLogFileCacheHandler,
  aio: aioHandler,
  thread_pool: threadPoolHandler,
  open_file_cache: openFileCacheHandler,
  disable_symlinks: disableSymlinksHandler,
  index: indexHandler,
  proxy_cookie_domain: cookieRewriteHandler,
  proxy_cookie_path: cookieRewriteHandler,
  proxy_redirect: redirectHandler,
  ...Object.fromEntries(['proxy', 'fastcgi', 'uwsgi', 'scgi', 'grpc', 'memcached'].map((m) => [`${m}_bind`, bindHandler])),
  ssl_session_cache: sslSessionCacheHandler,
  ...Object.fromEntries(['proxy', 'fastcgi', 'uwsgi', 'scgi'].flatMap((m) => [[`${m}_cache_path`, cachePathHandler], [`${m}_cache_valid`, cacheValidHandler], [`${m}_temp_path`, tempPathHandler]])),
  client_body_temp_path: tempPathHandler,
  connection_pool_size: poolSizeHandler,
  request_pool_size: poolSizeHandler,
  http2_recv_buffer_size: http2RecvBufferHandler,
  http2_chunk_size: http2ChunkSizeHandler,
  ...Object.fromEntries(BUFS_DIRECTIVES.map((name) => [name, bufsHandler])),
  ...Object.fromEntries(WORD_LIST_DIRECTIVES.map((name) => [name, wordListHandler])),
  ...Object.fromEntries(ACCESS_DIRECTIVES.map((name) => [name, accessHandler])),
};

/** What nginx's handler of this directive refuses in it, if anything. */
export function checkDirective(directive: ConfigDirective, spec: DirectiveSpec, env: HandlerEnv): HandlerError | undefined {
  const own = HANDLERS[directive.node.name];
  if (own) return own(directive, env);
  const slot = checkSlots(directive, spec, env.catalog.version);
  if (slot) return slot;
  if (directive.node.name === 'ssl' || directive.node.name === 'starttls') return mailTlsConflict(directive);
  const after = AFTER_SLOT[directive.node.name]?.(directive);
  if (after) return after;
  // values compiled with variables (proxy_set_header, proxy_cache_key...): only a word with a "$" can
  // fail to compile, and most directives have none
  if (!argumentsHaveDollar(directive.node)) return undefined;
  if (CERTIFICATE_LINES.includes(directive.node.name) && !compiledCertificates(env.model, env.catalog.version).has(directive)) return undefined;
  for (const token of compiledTokens(directive)) {
    const error = scriptError(token);
    if (error) return error;
  }
  return undefined;
}
