// What an NGINX configuration's first directive looks like: a block nginx opens at its top levels
// (`server {`, `upstream kasm_api {`, `location / {`...), or a directive that appears first in real
// files, with its `;` (`gzip on;`, `include ...;`, `user nginx;`, the main context's `thread_pool`,
// `env`, `worker_*`...; `log_format json_combined
// escape=json` may continue on the next lines). Lines
// of Properties, INI, Apache or systemd files (`key=value`, `key: value`, `[section]`, `<Tag>`) do
// not match. package.json's `firstLine` is this pattern (a test compares them); the client also
// applies it to the first line that is not a comment of `.conf` files VS Code opened as Properties.

export const NGINX_FIRST_LINE =
  /^\s*(?:(?:events|http|stream|mail|server|upstream|map|geo|split_clients|location|types|limit_except)(?:\s+[^\s{;=:][^\s{;]*)*\s*\{.*|(?:user|worker_[a-z_]+|working_directory|thread_pool|env|daemon|master_process|pcre_jit|timer_resolution|lock_file|pid|load_module|include|error_log|access_log|gzip|gzip_[a-z_]+|server_name|listen|root|proxy_[a-z_]+|add_header|ssl_[a-z_]+|limit_req_zone|limit_conn_zone|client_max_body_size|server_tokens|resolver)(?:\s+[^\s{;=:][^\s{;]*)+\s*;|log_format(?:\s+[^\s{;=:][^\s{;]*)+\s*;?)\s*(?:#.*)?$/;

/** The first line of `lines` that is neither blank nor a comment, within the first 50. */
export function firstDirectiveLine(lines: readonly string[]): string | undefined {
  return lines.slice(0, 50).find((l) => l.trim() !== '' && !l.trim().startsWith('#'));
}
