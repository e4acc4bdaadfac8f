// nginx's own variables: which exist (per family, module and version), which prefixes name a whole
// family (`$http_*`, `$arg_*`...), and which `set` may change. A variable nginx does not know, and no
// directive of the configuration defines, stops `nginx -t` with `unknown "name" variable` at the end
// of the http (or stream) block (http/ngx_http_variables.c, ngx_http_variables_init_vars).

import { variableSpecs, versionNumber } from '../nginx/directives';

export type VariableFamily = 'http' | 'stream';

/**
 * Prefix variables (NGX_HTTP_VAR_PREFIX in 1.26.3): the longest registered prefix a name starts with
 * wins; the bare prefix matches too. Versions from CHANGES.
 */
const PREFIXES: ReadonlyArray<{ prefix: string; family: VariableFamily; since?: string }> = [
  { prefix: 'http_', family: 'http' },
  { prefix: 'sent_http_', family: 'http', since: '0.3.10' },
  { prefix: 'sent_trailer_', family: 'http', since: '1.13.2' },
  { prefix: 'cookie_', family: 'http', since: '0.7.22' },
  { prefix: 'arg_', family: 'http', since: '0.7.8' },
  { prefix: 'proxy_protocol_tlv_', family: 'http', since: '1.23.2' },
  { prefix: 'upstream_http_', family: 'http', since: '0.5.18' },
  { prefix: 'upstream_trailer_', family: 'http', since: '1.13.10' },
  { prefix: 'upstream_cookie_', family: 'http', since: '1.7.1' },
  { prefix: 'proxy_protocol_tlv_', family: 'stream', since: '1.23.2' },
];

/**
 * Built-in variables `set` (and map, geo, ...) may change: NGX_HTTP_VAR_CHANGEABLE in their
 * definitions (ngx_http_variables.c: args, limit_rate; ngx_http_proxy_module.c; the browser module;
 * ngx_http_ssl_module's $ssl_*). Every other built-in gives `the duplicate "name" variable`.
 */
const CHANGEABLE = new Set([
  'args', 'limit_rate', 'proxy_host', 'proxy_port', 'msie', 'modern_browser', 'ancient_browser',
  'ssl_protocol', 'ssl_cipher', 'ssl_ciphers', 'ssl_curve', 'ssl_curves', 'ssl_session_id', 'ssl_session_reused',
  'ssl_early_data', 'ssl_server_name', 'ssl_alpn_protocol', 'ssl_client_cert', 'ssl_client_raw_cert',
  'ssl_client_escaped_cert', 'ssl_client_s_dn', 'ssl_client_i_dn', 'ssl_client_s_dn_legacy', 'ssl_client_i_dn_legacy',
  'ssl_client_serial', 'ssl_client_fingerprint', 'ssl_client_verify', 'ssl_client_v_start', 'ssl_client_v_end',
  'ssl_client_v_remain', 'uid_reset', 'invalid_referer',
]);

function familyOfModule(module: string): VariableFamily | undefined {
  if (module.startsWith('ngx_http_') || module === 'ngx_otel_module') return 'http';
  if (module.startsWith('ngx_stream_')) return 'stream';
  return undefined;
}

let builtins: Map<VariableFamily, Set<string>> | undefined;

function builtinNames(family: VariableFamily): Set<string> {
  if (!builtins) {
    builtins = new Map([
      ['http', new Set()],
      ['stream', new Set()],
    ]);
    for (const spec of variableSpecs().values()) {
      const fam = familyOfModule(spec.module);
      // "$http_NAME", "$arg_NAME"...: the documentation's way of writing a prefix
      if (fam && !/[A-Z]/.test(spec.name)) builtins.get(fam)!.add(spec.name);
    }
  }
  return builtins.get(family)!;
}

/** Whether nginx itself provides `$name` (a built-in, or a name under a prefix). */
export function isBuiltin(name: string, version: string, family: VariableFamily): boolean {
  const lower = name.toLowerCase();
  if (builtinNames(family).has(lower)) return true;
  const at = versionNumber(version);
  return PREFIXES.some((p) => p.family === family && lower.startsWith(p.prefix) && (!p.since || at >= versionNumber(p.since)));
}

/** A built-in (not a prefix name) that `set`, `map`, `geo`... cannot redefine. */
export function isBuiltinUnchangeable(name: string, _version: string, family: VariableFamily): boolean {
  const lower = name.toLowerCase();
  return builtinNames(family).has(lower) && !CHANGEABLE.has(lower);
}

/** Every built-in name of a family, for completion. */
export function builtinVariableNames(family: VariableFamily): string[] {
  return [...builtinNames(family)];
}
