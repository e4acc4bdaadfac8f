// How nginx compiles a rewrite's replacement (ngx_http_rewrite and ngx_http_script_compile, nginx
// 1.22.1 src/http/modules/ngx_http_rewrite_module.c:338-410, src/http/ngx_http_script.c:470-590): a last
// "?" only drops the request's arguments; the first other "?" starts the arguments, whose captures are
// copied URI-escaped (not in a redirect, where every capture is); a replacement with no named variable
// and no capture used twice is sized without running its length codes (regex->lengths NULL: its raw
// length, each capture once, and one escaping allowance for the whole URI).

import type { ConfigDirective } from '../model/config';

export interface CaptureUse {
  /** The capture's number (1..9). */
  group: number;
  /** Offset of its `$` in the replacement (as nginx reads it: a last "?" removed). */
  at: number;
}

export interface Replacement {
  /** Offset of the "?" that starts the arguments, when the replacement has one (not in a redirect). */
  argsAt?: number;
  captures: CaptureUse[];
  /** Named variables ($name, ${name}) it copies. */
  variables: number;
  /** A capture is copied twice. */
  duplicateCapture: boolean;
  /** A redirect (http://, https://, $scheme, or the redirect and permanent flags): every capture is copied escaped. */
  redirect: boolean;
  /** It ends the script when its regex matches (any flag, or a redirect). */
  stops: boolean;
  /** Sized without its length codes: no named variable, no capture copied twice. */
  fastPath: boolean;
}

export function rewriteReplacement(d: ConfigDirective): Replacement | undefined {
  const [, replacement, flag] = d.node.args.map((a) => a.value);
  if (replacement === undefined || replacement === '') return undefined;
  const text = replacement.endsWith('?') ? replacement.slice(0, -1) : replacement;
  const redirect = /^(https?:\/\/|\$scheme)/.test(replacement) || flag === 'redirect' || flag === 'permanent';
  const captures: CaptureUse[] = [];
  let variables = 0;
  let argsAt: number | undefined;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '$') {
      const next = text[i + 1] ?? '';
      if (/[1-9]/.test(next)) captures.push({ group: Number(next), at: i });
      else if (/[A-Za-z0-9_{]/.test(next)) variables++;
    } else if (text[i] === '?' && argsAt === undefined && !redirect) argsAt = i;
  }
  const duplicateCapture = new Set(captures.map((c) => c.group)).size < captures.length;
  return { argsAt, captures, variables, duplicateCapture, redirect, stops: redirect || flag !== undefined, fastPath: variables === 0 && !duplicateCapture };
}

/** The captures a replacement copies URI-escaped: all in a redirect, else those after the "?" that starts the arguments. */
export function escapedCaptures(r: Replacement): CaptureUse[] {
  if (r.redirect) return r.captures;
  return r.argsAt === undefined ? [] : r.captures.filter((c) => c.at > r.argsAt!);
}
