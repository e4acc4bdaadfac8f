// Sizes nginx bounds after parsing them: the "post" handlers of size slots (pool sizes, HTTP/2 buffers)
// and ngx_conf_set_bufs_slot (a number of buffers and their size, neither zero). Each first parses the
// size as ngx_conf_set_size_slot does (`"name" directive invalid value`).

import type { Token } from '../../nginx/ast';
import type { Handler, HandlerError } from '../handler';
import { parseDecimal, parseSize } from '../values';

/** A size argument refused as ngx_parse_size refuses it, or its value. */
function sizeOf(name: string, token: Token, explain: string): bigint | HandlerError {
  return parseSize(token.value) ?? { message: `"${name}" directive invalid value`, at: token, explain };
}

/**
 * NGX_MIN_POOL_SIZE: sizeof(ngx_pool_t) + 2 * sizeof(ngx_pool_large_t) aligned to NGX_POOL_ALIGNMENT
 * (core/ngx_palloc.h), 112 on the 64-bit builds nginx runs on; NGX_POOL_ALIGNMENT is 16.
 */
const MIN_POOL_SIZE = 112n;
const POOL_ALIGNMENT = 16n;

/** connection_pool_size, request_pool_size (http/ngx_http_core_module.c, ngx_http_core_pool_size). */
export const poolSizeHandler: Handler = ({ node }) => {
  const explain = `${node.name} takes a size of at least ${MIN_POOL_SIZE} bytes and a multiple of ${POOL_ALIGNMENT} (the defaults, 256 or 512 and 4k, are right for almost every server).`;
  const token = node.args[0]!;
  const size = sizeOf(node.name, token, explain);
  if (typeof size !== 'bigint') return size;
  if (size < MIN_POOL_SIZE) return { message: `the pool size must be no less than ${MIN_POOL_SIZE}`, at: token, explain };
  if (size % POOL_ALIGNMENT !== 0n) return { message: `the pool size must be a multiple of ${POOL_ALIGNMENT}`, at: token, explain };
  return undefined;
};

/** NGX_HTTP_V2_STATE_BUFFER_SIZE (http/v2/ngx_http_v2.h). */
const HTTP2_STATE_BUFFER_SIZE = 16n;

/** http2_recv_buffer_size (http/v2/ngx_http_v2_module.c, ngx_http_v2_recv_buffer_size): more than the state buffer. */
export const http2RecvBufferHandler: Handler = ({ node }) => {
  const explain = `http2_recv_buffer_size takes a size of more than ${HTTP2_STATE_BUFFER_SIZE} bytes (the default is 256k).`;
  const token = node.args[0]!;
  const size = sizeOf(node.name, token, explain);
  if (typeof size !== 'bigint') return size;
  return size <= HTTP2_STATE_BUFFER_SIZE ? { message: '"http2_recv_buffer_size" directive value is too small', at: token, explain } : undefined;
};

/** http2_chunk_size (ngx_http_v2_chunk_size): not zero (a size over the largest frame is lowered to it, silently). */
export const http2ChunkSizeHandler: Handler = ({ node }) => {
  const explain = 'http2_chunk_size takes a size of at least one byte (the default is 8k).';
  const token = node.args[0]!;
  const size = sizeOf(node.name, token, explain);
  if (typeof size !== 'bigint') return size;
  return size === 0n ? { message: 'the http2 chunk size cannot be zero', at: token, explain } : undefined;
};

/** The directives read by ngx_conf_set_bufs_slot. */
export const BUFS_DIRECTIVES: readonly string[] = [
  'proxy_buffers', 'fastcgi_buffers', 'uwsgi_buffers', 'scgi_buffers', 'gzip_buffers', 'gunzip_buffers', 'output_buffers', 'large_client_header_buffers',
];

/** `number size` (core/ngx_conf_file.c, ngx_conf_set_bufs_slot): a number (ngx_atoi) and a size, neither zero. */
export const bufsHandler: Handler = ({ node }) => {
  const explain = `${node.name} takes a number of buffers and the size of each, such as "8 4k" (neither zero).`;
  const [count, size] = node.args as [Token, Token];
  const n = parseDecimal(count.value);
  if (n === undefined || n === 0n) return { message: `"${node.name}" directive invalid value`, at: count, explain };
  const bytes = sizeOf(node.name, size, explain);
  if (typeof bytes !== 'bigint') return bytes;
  return bytes === 0n ? { message: `"${node.name}" directive invalid value`, at: size, explain } : undefined;
};
