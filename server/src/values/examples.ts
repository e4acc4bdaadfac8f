// What an attacker sends to put a chosen text into a value: a path, a query parameter, a header.
// Messages show it, so that each finding says how it is exploited, not only that it is.

import type { ConfigDirective } from '../model/config';
import { automatonOf, matches } from './automaton';
import type { ByteSet } from './charset';
import { scopeOf, type Alternative } from './evaluate';
import { captureGroup } from './regex';
import { samples } from './samples';

/** Bytes a URL carries as they are; the others are shown percent-encoded. */
const URL_SAFE = /[A-Za-z0-9\-._~!$&'()*+,;=:@/?]/;

export function percentEncode(text: string, keep: RegExp = URL_SAFE): string {
  return [...text].map((c) => (keep.test(c) ? c : `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}

/** A text as a message shows it: control bytes escaped. */
export function visible(text: string): string {
  return text.replace(/[\x00-\x1f\x7f]/g, (c) => (c === '\r' ? '\\r' : c === '\n' ? '\\n' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}

/** The first of `payloads` whose bytes all fit in `bytes`. */
export function fittingPayload(payloads: readonly string[], bytes: ByteSet): string | undefined {
  return payloads.find((p) => [...p].every((c) => bytes.has(c.charCodeAt(0))));
}

function headerName(name: string): string {
  return name
    .split('_')
    .map((w) => (w ? w[0]!.toUpperCase() + w.slice(1) : w))
    .join('-');
}

/** The path prefix of the location a directive is in, for a request that reaches it. */
function locationPrefix(at: ConfigDirective | undefined): string {
  const scope = at ? scopeOf(at) : undefined;
  const args = scope?.owner?.node.name === 'location' ? scope.owner.node.args.map((a) => a.value) : [];
  const path = args.length === 2 && (args[0] === '^~' || args[0] === '=') ? args[1]! : args.length === 1 && !/^[~@=]/.test(args[0]!) ? args[0]! : '/';
  return path.endsWith('/') ? path : `${path}/`;
}

/**
 * How a client makes the value of `alternative` hold `payload`: "a request for /p/x%0D%0A..." or
 * "X-Forwarded-Host: evil.example". Undefined when kasmlint cannot tell.
 */
export function attackerInput(alternative: Alternative, payload: string, at?: ConfigDirective, wholePath = false): string | undefined {
  const source = alternative.source;
  if (!source) return undefined;
  if ('builtin' in source) {
    const name = source.builtin;
    if (['uri', 'document_uri', 'request_filename', 'fastcgi_script_name', 'fastcgi_path_info'].includes(name)) {
      return `a request for ${percentEncode(wholePath ? payload : locationPrefix(at) + payload)}`;
    }
    if (name === 'request_uri') return `a request for ${wholePath ? payload : `/${payload}`}`;
    if (name === 'args' || name === 'query_string') return `a request for /?${payload}`;
    if (name.startsWith('arg_')) return `a request for /?${name.slice(4)}=${payload}`;
    if (name === 'http_host' || name === 'host') return `the header "Host: ${visible(payload)}"`;
    if (name.startsWith('cookie_')) return `the header "Cookie: ${name.slice(7)}=${visible(payload)}"`;
    if (name.startsWith('http_')) return `the header "${headerName(name.slice(5))}: ${visible(payload)}"`;
    if (name === 'remote_user') return `the header "Authorization: Basic ${Buffer.from(`${payload}:x`, 'latin1').toString('base64')}"`;
    if (name === 'request_body') return `a request body of "${visible(payload)}"`;
    return undefined;
  }
  const { regex, group, subject } = source.capture;
  const node = captureGroup(regex, group);
  const automaton = automatonOf(regex);
  if (!node || !automaton) return undefined;
  const subjectText = samples(regex.root, 8, subject.bytes, new Map([[node, payload]])).find((s) => matches(automaton, s));
  if (subjectText === undefined) return undefined;
  return attackerInput(subject, subjectText, at, true);
}
