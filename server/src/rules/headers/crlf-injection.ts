// Header splitting: a value that can hold a line break, written into a response header, a redirect,
// a request header sent upstream, or the request line sent upstream. The facts that decide it, from
// nginx's sources (src/http/):
// - $uri and location/rewrite captures hold the decoded path: %0D%0A become CR LF
//   (ngx_http_parse_complex_uri); header values and the raw request line never hold them.
// - add_header, add_trailer, return's Location and proxy_set_header copy variables as they are
//   (ngx_http_script_copy_var_code, ngx_http_script_copy_capture_code without escaping).
// - rewrite ... redirect escapes captures with NGX_ESCAPE_ARGS when the URI was percent-encoded
//   (ngx_http_script_copy_capture_code, e->quote), but copies other variables as they are.
// - proxy_pass with variables sends the URI part it evaluates unescaped (ngx_http_proxy_eval,
//   ngx_http_proxy_create_request: ctx->vars.uri); without variables it sends nginx's escaped path.
// - PCRE's "." does not match a line feed, so (.*) can carry CR but not LF.
// A line feed splits any HTTP/1 message; a lone carriage return splits responses for some clients
// only, so upstream-bound values are reported for a line feed, response-bound ones for either.

import type { ConfigDirective } from '../../model/config';
import { CR, LF } from '../../values/charset';
import { describeTrail, evaluate, references, scopeFree, type Alternative, type Part } from '../../values/evaluate';
import { attackerInput, fittingPayload } from '../../values/examples';
import { urlSections } from '../../values/urls';
import { clientControlled } from '../../values/origins';
import { directivesNamed, isChecked } from '../support';
import { defineRule } from '../rule';
import { VALUE_SOURCES } from '../../values/evaluate';

interface Sink {
  directive: ConfigDirective;
  /** Index of the argument holding the value. */
  arg: number;
  /** The parts to check (all of the value, or only the URI part of proxy_pass). */
  parts: Part[];
  /** 'the "X-Uri" response header', ... */
  label: string;
  upstream: boolean;
  /** rewrite ... redirect escapes numbered captures: only variables count. */
  skipCaptures?: boolean;
}

/** The directives whose values this rule follows. */
const SINKS = ['add_header', 'add_trailer', 'proxy_pass', 'proxy_set_header', 'return', 'rewrite'];

const REDIRECT_CODES = new Set(['301', '302', '303', '307', '308']);
const isRedirectUrl = (text: string) => /^(https?:\/\/|\$scheme)/.test(text);

function sinks(model: Parameters<typeof evaluate>[0], d: ConfigDirective): Sink[] {
  const args = d.node.args;
  const name = d.node.name;
  const value = (i: number) => args[i]?.value ?? '';
  switch (name) {
    case 'add_header':
    case 'add_trailer':
      if (args.length < 2 || !value(1).includes('$')) return [];
      return [{ directive: d, arg: 1, parts: evaluate(model, d, value(1)), label: `the "${value(0)}" response ${name === 'add_trailer' ? 'trailer' : 'header'}`, upstream: false }];
    case 'proxy_set_header':
      if (args.length < 2 || !value(1).includes('$')) return [];
      return [{ directive: d, arg: 1, parts: evaluate(model, d, value(1)), label: `the "${value(0)}" header sent upstream`, upstream: true }];
    case 'return': {
      const url = args.length === 1 && isRedirectUrl(value(0)) ? 0 : args.length === 2 && REDIRECT_CODES.has(value(0)) ? 1 : -1;
      if (url < 0 || !value(url).includes('$')) return [];
      return [{ directive: d, arg: url, parts: evaluate(model, d, value(url)), label: 'the Location header of the redirect', upstream: false }];
    }
    case 'rewrite': {
      const flag = value(2);
      if (args.length < 2 || !(flag === 'redirect' || flag === 'permanent' || isRedirectUrl(value(1))) || !value(1).includes('$')) return [];
      // (numbered captures alone: nginx escapes them, nothing to follow)
      if (references(value(1)).every((r) => r.capture !== undefined)) return [];
      return [{ directive: d, arg: 1, parts: evaluate(model, d, value(1)), label: 'the Location header of the redirect', upstream: false, skipCaptures: true }];
    }
    case 'proxy_pass': {
      if (!value(0).includes('$') || d.parent.context === 'stream.server') return [];
      // the URI part: from the first "/" after the host
      const parts = urlSections(evaluate(model, d, value(0)), true).path.filter((p) => !p.literal);
      return parts.length > 0 ? [{ directive: d, arg: 0, parts, label: 'the request line sent upstream', upstream: true }] : [];
    }
    default:
      return [];
  }
}

const SPLITTING = ['x\r\nSet-Cookie: a=b', 'x\r\nSet-Cookie:a=b', 'x\r\nX:1', '\r\n'];
const LINE_FEED_ONLY = ['x\nSet-Cookie: a=b', 'x\nSet-Cookie:a=b', '\n'];
const CARRIAGE_RETURN = ['x\rSet-Cookie: a=b', 'x\rSet-Cookie:a=b', '\r'];

function offending(sink: Sink): { part: Part; alternative: Alternative; breaks: 'CR LF' | 'a line feed' | 'a carriage return' } | undefined {
  let crOnly: { part: Part; alternative: Alternative } | undefined;
  for (const part of sink.parts) {
    if (part.literal || (sink.skipCaptures && /^\$\{?\d\}?$/.test(part.text))) continue;
    for (const alternative of part.alternatives) {
      if (!clientControlled(alternative.kind)) continue;
      const lf = alternative.bytes.has(LF);
      const cr = alternative.bytes.has(CR);
      if (lf) return { part, alternative, breaks: cr ? 'CR LF' : 'a line feed' };
      if (cr && !sink.upstream) crOnly ??= { part, alternative };
    }
  }
  return crOnly ? { ...crOnly, breaks: 'a carriage return' } : undefined;
}

export default defineRule({
  meta: {
    id: 'headers/crlf-injection',
    defaultSeverity: 'error',
    messages: {
      response: {
        text: '{variable} can put {breaks} into {sink}.',
        why:
          '{origin}. {example} ends the header line there and starts lines of the attacker\'s choosing in the response (HTTP response ' +
          'splitting: a Set-Cookie on your domain, a forged redirect, a poisoned cache entry). Use a value that cannot hold line breaks: ' +
          '$request_uri (the path as sent, not decoded) rather than $uri, or a capture whose class excludes them ([^\\r\\n/]).',
      },
      upstream: {
        text: '{variable} can put {breaks} into {sink}.',
        why:
          '{origin}. {example} ends the line there: the upstream reads headers, or a whole second request, of the attacker\'s choosing ' +
          '(HTTP request splitting: bypassing checks done by nginx, poisoning the upstream\'s connection for the next client). Use a value ' +
          'that cannot hold line breaks: $request_uri (the path as sent) rather than $uri, or a capture whose class excludes them ([^\\r\\n/]).',
      },
    },
    reads: [...SINKS, ...VALUE_SOURCES],
    perDirective: { reads: VALUE_SOURCES },
    docs: {
      summary: 'A value that can carry CR/LF into a response header, a redirect, or the request sent upstream (HTTP splitting).',
      whatItDoes:
        'Follows every variable of `add_header`, `add_trailer`, the Location of `return` and `rewrite ... redirect`, `proxy_set_header` and ' +
        "the URI part of a `proxy_pass` with variables back to where its bytes come from (through `set`, `map`, captures), and reports " +
        'the values the client can fill with line breaks: `$uri` and `$document_uri` (nginx percent-decodes the path: `%0D%0A` becomes ' +
        'CR LF), captures of location and rewrite regexes whose class admits them (`[^/]*` does, `.*` admits CR but not LF), a Basic ' +
        "user name, the request body. Request headers, `$request_uri`, `$args` and `$arg_*` never hold CR or LF (nginx refuses them) and " +
        'are not reported. Response headers are reported for CR or LF, values sent upstream for LF (which any HTTP/1 server reads as a line ' +
        'end); numbered captures in `rewrite ... redirect` are escaped by nginx and are not reported.',
      whyItMatters:
        'A line break in a header value lets the client write the rest of the message: cookies set on your domain (session fixation), a ' +
        'redirect elsewhere, a second response cached for other users, or a second request to the upstream that nginx never checked.',
      example: 'location ~ ^/go/([^/]+)$ {\n    return 302 https://$host/$1;\n}',
      useInstead: 'location ~ ^/go/([^/\\r\\n]+)$ {\n    return 302 https://$host/$1;\n}',
      references: ['https://nginx.org/en/docs/http/ngx_http_core_module.html#var_uri', 'https://owasp.org/www-community/attacks/HTTP_Response_Splitting'],
    },
  },
  check({ model, report, only }) {
    // headers of built-in variables repeat across thousands of locations: judged once per value
    const harmless = new Map<string, Set<string>>();
    const judged = new Set<ConfigDirective['node']>();
    const sinkDirectives = only ? only.filter((d) => SINKS.includes(d.node.name)) : directivesNamed(model, ...SINKS);
    for (let i = 0; i < sinkDirectives.length; i++) {
      const d = sinkDirectives[i]!;
      const name = d.node.name;
      const header = name === 'add_header' || name === 'add_trailer' || name === 'proxy_set_header';
      const value = d.node.args[header || name === 'rewrite' ? 1 : name === 'proxy_pass' ? 0 : d.node.args.length - 1]?.value;
      // (a directive judged this quickly is not remembered: a set of every header directive cost more
      // than judging it again)
      if (value === undefined || !value.includes('$') || !isChecked(d)) continue;
      if (header && harmless.get(name)?.has(value)) continue;
      if (judged.has(d.node)) continue;
      for (const sink of sinks(model, d)) {
        const found = offending(sink);
        if (!found) {
          if (scopeFree(model, value)) {
            judged.add(d.node);
            if (header) {
              let known = harmless.get(name);
              if (!known) harmless.set(name, (known = new Set()));
              known.add(value);
            }
          }
          continue;
        }
        const payloads = found.breaks === 'a carriage return' ? CARRIAGE_RETURN : found.breaks === 'a line feed' ? LINE_FEED_ONLY : SPLITTING;
        const payload = fittingPayload(payloads, found.alternative.bytes) ?? payloads[payloads.length - 1]!;
        const input = attackerInput(found.alternative, payload, d);
        const token = d.node.args[sink.arg]!;
        report({
          message: sink.upstream ? 'upstream' : 'response',
          severity: found.breaks === 'a carriage return' ? 'warning' : undefined,
          data: {
            variable: found.part.text,
            breaks: found.breaks,
            sink: sink.label,
            origin: describeTrail(found.alternative),
            example: input ? `For example, ${input}` : 'A value holding a line break',
          },
          file: d.file,
          start: token.start,
          end: token.end,
          related: found.alternative.via.map((v) => ({ file: v.file, start: v.node.start, end: v.node.end, message: `${found.part.text} gets its value here` })),
        });
      }
    }
  },
});
