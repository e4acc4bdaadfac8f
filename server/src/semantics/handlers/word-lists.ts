// Directives whose arguments are words of a fixed list, read by nginx's generic parsers with lists
// the reference's syntax lines do not spell out (they write *`method`* ... or *`users`*:*`permissions`*):
// ngx_conf_set_bitmask_slot and ngx_conf_set_enum_slot (core/ngx_conf_file.c: any number of words, or
// one, each compared without case) and ngx_conf_set_access_slot (core/ngx_file.c: with case).
// Each refuses an unknown word with `invalid value "word"`.

import type { Token } from '../../nginx/ast';
import { versionNumber } from '../../nginx/directives';
import type { Handler } from '../handler';

/** A word of a list, and the nginx version that added it when it came after the directive. */
type Word = string | { word: string; since: string };

const IGNORED_HEADERS = ['X-Accel-Redirect', 'X-Accel-Expires', 'X-Accel-Limit-Rate', 'X-Accel-Buffering', 'X-Accel-Charset', 'Expires', 'Cache-Control', 'Set-Cookie', 'Vary'];

/** The ngx_conf_bitmask_t and ngx_conf_enum_t lists, from each module's source. */
const WORDS: Record<string, readonly Word[]> = {
  // http/ngx_http_core_module.c, ngx_http_core_keepalive_disable
  keepalive_disable: ['none', 'msie6', 'safari'],
  // http/ngx_http_core_module.c, ngx_http_core_server_tokens (NGINX Plus adds a string: see serverTokens)
  server_tokens: ['off', 'on', { word: 'build', since: '1.11.10' }],
  // http/modules/ngx_http_dav_module.c, ngx_http_dav_methods_mask
  dav_methods: ['off', 'put', 'delete', 'mkcol', 'copy', 'move'],
  // http/modules/ngx_http_userid_filter_module.c, ngx_http_userid_flags (the directive is 1.19.3)
  userid_flags: ['off', 'secure', 'httponly', 'samesite=strict', 'samesite=lax', 'samesite=none'],
  // http/ngx_http_upstream.c, ngx_http_upstream_ignore_headers_masks (proxy, fastcgi, uwsgi, scgi, grpc)
  ...Object.fromEntries(['proxy', 'fastcgi', 'uwsgi', 'scgi', 'grpc'].map((m) => [`${m}_ignore_headers`, IGNORED_HEADERS])),
  // mail/ngx_mail_smtp_module.c, ngx_mail_smtp_auth_methods (none: 0.7.22; external: 1.11.6, changes.xml)
  smtp_auth: ['plain', 'login', 'cram-md5', { word: 'external', since: '1.11.6' }, { word: 'none', since: '0.7.22' }],
  // mail/ngx_mail_imap_module.c, ngx_mail_imap_auth_methods
  imap_auth: ['plain', 'login', 'cram-md5', { word: 'external', since: '1.11.6' }],
  // mail/ngx_mail_pop3_module.c, ngx_mail_pop3_auth_methods
  pop3_auth: ['plain', 'apop', 'cram-md5', { word: 'external', since: '1.11.6' }],
};

/** The directives with a list of words, each read by its own handler below. */
export const WORD_LIST_DIRECTIVES: readonly string[] = Object.keys(WORDS);

function wordsIn(name: string, version: string): string[] {
  const at = versionNumber(version);
  return (WORDS[name] ?? []).flatMap((w) => (typeof w === 'string' ? [w] : versionNumber(w.since) <= at ? [w.word] : []));
}

/** Every argument one of the directive's words (bitmask and enum slots alike: each argument is one word). */
export const wordListHandler: Handler = ({ node }, { catalog }) => {
  // NGINX Plus takes any string (with variables) as the Server header's version part
  if (node.name === 'server_tokens' && catalog.edition === 'plus') return undefined;
  const words = wordsIn(node.name, catalog.version);
  const known = new Set(words.map((w) => w.toLowerCase()));
  const unknown = node.args.find((arg) => !known.has(arg.value.toLowerCase()));
  if (!unknown) return undefined;
  return { message: `invalid value "${unknown.value}"`, at: unknown, explain: `${node.name} takes ${words.map((w) => `"${w}"`).join(', ')}${node.name === 'server_tokens' ? '' : ' (one or more)'}.` };
};

/** The directives read by ngx_conf_set_access_slot. */
export const ACCESS_DIRECTIVES: readonly string[] = ['dav_access', 'proxy_store_access', 'fastcgi_store_access', 'uwsgi_store_access', 'scgi_store_access'];

/** Permissions of created files: user:rw, group:r, all:r... (core/ngx_file.c, ngx_conf_set_access_slot: with case, no "w" alone). */
export const accessHandler: Handler = ({ node }) => {
  const invalid = node.args.find((arg: Token) => !/^(user|group|all):(rw|r)$/.test(arg.value));
  if (!invalid) return undefined;
  return {
    message: `invalid value "${invalid.value}"`,
    at: invalid,
    explain: `${node.name} takes permissions as user:rw, group:r, all:r and the like: who (user, group or all), a colon, then r or rw.`,
  };
};
