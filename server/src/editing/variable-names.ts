// Real names for nginx's variable families: `$http_<header>` completes to `$http_upgrade`,
// `$http_origin`, `$http_x_forwarded_for`..., from the header fields clients, proxies and Cloudflare
// commonly send (RFC 9110, RFC 6455, RFC 6454, RFC 7239, the Fetch standard, Cloudflare's documented
// headers) and from the names the configuration itself uses; the response families likewise, with the
// headers the configuration adds. A family no header list covers (`$arg_`, `$cookie_`...) offers the
// names the configuration uses.

import type { ProjectAnalysis } from '../engine/analyze';
import { modelMemoKey } from '../model/config';
import { variablePrefixes } from './builtin-variables';
import { variableNames } from './references';

const REQUEST_HEADERS = [
  'Accept', 'Accept-Encoding', 'Accept-Language', 'Access-Control-Request-Headers', 'Access-Control-Request-Method', 'Authorization',
  'Cache-Control', 'CF-Connecting-IP', 'CF-IPCountry', 'CF-Ray', 'CF-Visitor', 'Connection', 'Content-Length', 'Content-Type', 'Cookie',
  'DNT', 'Forwarded', 'Host', 'If-Match', 'If-Modified-Since', 'If-None-Match', 'Origin', 'Pragma', 'Range', 'Referer', 'Sec-Fetch-Dest',
  'Sec-Fetch-Mode', 'Sec-Fetch-Site', 'Sec-WebSocket-Extensions', 'Sec-WebSocket-Key', 'Sec-WebSocket-Protocol', 'Sec-WebSocket-Version',
  'True-Client-IP', 'Upgrade', 'User-Agent', 'X-Forwarded-For', 'X-Forwarded-Host', 'X-Forwarded-Port', 'X-Forwarded-Proto', 'X-Real-IP',
  'X-Request-ID', 'X-Requested-With',
];

const RESPONSE_HEADERS = [
  'Access-Control-Allow-Credentials', 'Access-Control-Allow-Origin', 'Cache-Control', 'Content-Disposition', 'Content-Encoding',
  'Content-Length', 'Content-Security-Policy', 'Content-Type', 'ETag', 'Expires', 'Last-Modified', 'Location', 'Server', 'Set-Cookie',
  'Strict-Transport-Security', 'Vary', 'WWW-Authenticate', 'X-Accel-Redirect', 'X-Content-Type-Options', 'X-Frame-Options', 'X-Powered-By',
];

/** `$http_x_forwarded_for` for `X-Forwarded-For`, as nginx names header variables. */
const asVariable = (header: string) => header.toLowerCase().replace(/-/g, '_');

export interface VariableName {
  name: string;
  detail: string;
  documentation: string;
}

const NAMES = modelMemoKey<VariableName[]>('variable names for completion');

/** Concrete names of the variable families, for completion (once per analysis). */
export function familyVariableNames(analysis: ProjectAnalysis | undefined): VariableName[] {
  if (!analysis) return namesFor(undefined);
  // (an analysis and its model come and go together)
  return analysis.model.memo(NAMES, () => namesFor(analysis));
}

function namesFor(analysis: ProjectAnalysis | undefined): VariableName[] {
  const used = analysis ? variableNames(analysis) : new Set<string>();
  const added = new Set<string>();
  if (analysis) {
    for (const d of analysis.model.directives()) {
      if ((d.node.name === 'add_header' || d.node.name === 'more_set_headers') && d.node.args[0]) added.add(d.node.args[0].value.replace(/:.*$/, ''));
    }
  }
  const headersOf: Record<string, string[]> = {
    http_: REQUEST_HEADERS,
    sent_http_: [...RESPONSE_HEADERS, ...added],
    upstream_http_: RESPONSE_HEADERS,
  };
  const out = new Map<string, VariableName>();
  for (const { prefix, spec } of variablePrefixes()) {
    const headers = new Map((headersOf[prefix] ?? []).map((h) => [`${prefix}${asVariable(h)}`, h]));
    for (const name of used) if (name.startsWith(prefix) && name.length > prefix.length && !headers.has(name)) headers.set(name, '');
    for (const [name, header] of headers) {
      if (out.has(name)) continue;
      const what = header ? `the ${header} header` : used.has(name) ? 'used in this configuration' : '';
      out.set(name, { name, detail: `${spec.module}${what ? ` · ${what}` : ''}`, documentation: spec.docs.description });
    }
  }
  return [...out.values()];
}
