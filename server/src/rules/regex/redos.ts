// Regexes nginx runs on what the client sends, checked for catastrophic backtracking without being
// run (values/backtracking.ts). PCRE2 stops after its match limit (10,000,000 by default, which nginx
// does not change) and nginx answers 500 ("pcre2_match() failed: -47" in the error log), after that
// much work in the worker for each such request. Measured on nginx 1.22 with PCRE2 10.42 on Kasm's
// `rewrite ^/workspace/(.+)/(.+)/(.+)/(.+)/(.+)/(.+)$ ...`: a 95-byte request takes 0.7 s of CPU.

import { basename } from 'node:path';
import type { ConfigDirective } from '../../model/config';
import { catastrophicBacktracking } from '../../values/backtracking';
import { ByteSet } from '../../values/charset';
import { evaluate, regexOf } from '../../values/evaluate';
import { percentEncode, visible } from '../../values/examples';
import { builtinOrigin, clientControlled } from '../../values/origins';
import { parseRegex } from '../../values/regex';
import { directivesNamed } from '../support';
import { defineRule } from '../rule';
import { VALUE_SOURCES } from '../../values/evaluate';

interface Site {
  directive: ConfigDirective;
  pattern: string;
  caseless: boolean;
  /** The bytes the client can put in the subject. */
  subject: ByteSet;
  /** How to show a subject: as a path, or as a header value. */
  show: (text: string) => string;
  start: number;
  end: number;
}

const asPath = (text: string) => `a request for ${percentEncode(text)}`;

/** "location / (website.conf:3)": where a regex runs, for messages. */
function placeOf(d: ConfigDirective): string {
  const owner = d.node.name === 'location' ? d : d.parent.owner;
  const label = owner ? `${owner.node.name} ${owner.node.args.map((a) => a.value).join(' ')}`.trim() : 'this configuration';
  return owner ? `${label} (${basename(owner.file.path)}:${owner.file.lines.positionAt(owner.node.start).line + 1})` : label;
}

function sites(model: Parameters<typeof evaluate>[0], d: ConfigDirective): Site[] {
  const uri = builtinOrigin('uri')!.bytes;
  const token = (i: number) => (i < 0 ? d.node.nameToken : d.node.args[i]!);
  if (d.node.name === 'fastcgi_split_path_info' && d.node.args[0]) {
    return [{ directive: d, pattern: d.node.args[0].value, caseless: false, subject: uri, show: asPath, start: d.node.args[0].start, end: d.node.args[0].end }];
  }
  if (d.node.name === 'server_name') {
    return d.node.args.filter((a) => a.value.startsWith('~')).map((a) => ({ directive: d, pattern: a.value.slice(1), caseless: false, subject: builtinOrigin('host')!.bytes, show: (t: string) => `a request with the header "Host: ${visible(t)}"`, start: a.start, end: a.end }));
  }
  const r = regexOf(d);
  if (!r) return [];
  const t = token(r.token);
  if (r.kind === 'uri') return [{ directive: d, pattern: r.pattern, caseless: r.caseless, subject: uri, show: asPath, start: t.start, end: t.end }];
  const source = r.kind === 'if' ? d.node.args[0]!.value.replace(/^\(/, '') : d.parent.owner!.node.args[0]!.value;
  const alternatives = evaluate(model, d, source).flatMap((p) => p.alternatives).filter((a) => clientControlled(a.kind) || a.kind === 'checked');
  if (alternatives.length === 0) return [];
  const subject = alternatives.reduce((set, a) => set.union(a.bytes), ByteSet.EMPTY);
  const first = alternatives[0]!.source;
  const header = first && 'builtin' in first && first.builtin.startsWith('http_') ? first.builtin.slice(5).replace(/_/g, '-') : undefined;
  const show = header ? (text: string) => `a request with the header "${header}: ${visible(text)}"` : (text: string) => `the value "${visible(text)}" in ${source}`;
  return [{ directive: d, pattern: r.pattern, caseless: r.caseless, subject, show, start: t.start, end: t.end }];
}

export default defineRule({
  meta: {
    id: 'regex/redos',
    defaultSeverity: 'warning',
    messages: {
      polynomial: {
        text: 'This regex makes PCRE try about n^{degree} splits of an n-byte subject that does not match.',
        why:
          'Its {degree} unbounded repeats can trade bytes between them, so before giving up PCRE tries every way to split the subject: ' +
          '{example} ({length} bytes). PCRE stops at its match limit (10 million steps), nginx answers 500, and the worker has spent ' +
          'that CPU on one request: a few such requests a second keep nginx busy. Make the repeats unable to trade bytes ' +
          '(([^/]+) between slashes instead of (.+)), or bound them.',
        whyKasm:
          'Its {degree} unbounded repeats can trade bytes between them, so before giving up PCRE tries every way to split the subject: ' +
          '{example} ({length} bytes). PCRE stops at its match limit (10 million steps) and kasm_proxy answers 500, after that much CPU ' +
          'in one of its workers: measured on nginx 1.22, a request that reaches the limit costs 0.6 to 0.8 s of CPU. The regex runs ' +
          'for requests that reach {where}, so a few such requests a second from one client keep kasm_proxy busy and desktops stop ' +
          'streaming. ([^/]+) between the slashes (or bounded repeats) keeps what the regex matches and removes the blow-up.',
      },
      exponential: {
        text: 'This regex makes PCRE try exponentially many paths on a subject that does not match.',
        why:
          'A repeated part can match the same text in two ways, so each extra repetition doubles the work: {example} ({length} bytes). ' +
          'PCRE stops at its match limit (10 million steps), nginx answers 500, and the worker has spent that CPU on one request. ' +
          'Rewrite the repeat so that each text has one way to match ((a+)+ is a+), or make it possessive ((?>...), a++).',
      },
    },
    options: {
      minimumDegree: {
        description: 'The smallest polynomial degree reported (2 reports the common (.*)/(.*) shapes too, which need an 8 KB request to hit the limit).',
        default: 3,
      },
    },
    reads: ['fastcgi_split_path_info', 'limit_except', 'server', 'server_name', ...VALUE_SOURCES],
    docs: {
      summary: 'Regexes open to catastrophic backtracking on what the client sends (ReDoS).',
      whatItDoes:
        'Checks the regexes nginx runs on client input: location and rewrite regexes (on the decoded path), `if` conditions and map ' +
        'entries on client-controlled variables, regex server names (on the Host), `fastcgi_split_path_info`. Reports repeated parts ' +
        'that can match the same text in two ways (exponential) and chains of `minimumDegree` or more unbounded repeats that can ' +
        'trade bytes (polynomial), with a subject built from the regex that fails to match: the kind that makes PCRE try every split. ' +
        'The analysis is static: no regex is run.',
      whyItMatters:
        "Kasm's website.conf rewrites `^/workspace/(.+)/(.+)/(.+)/(.+)/(.+)/(.+)$` in `location /`: measured on nginx 1.22, a 95-byte " +
        'request takes 0.7 s of a worker\'s CPU before nginx answers 500. A handful of such requests a second, from one client, keeps ' +
        'every worker busy: a denial of service without a flood.',
      example: 'location / {\n    rewrite ^/app/(.+)/(.+)/(.+)$ /$1/$2/$3 last;\n}',
      useInstead: 'location / {\n    rewrite ^/app/([^/]+)/([^/]+)/([^/]+)$ /$1/$2/$3 last;\n}',
      references: ['https://www.pcre.org/current/doc/html/pcre2api.html#SEC20', 'https://owasp.org/www-community/attacks/Regular_expression_Denial_of_Service_-_ReDoS'],
    },
  },
  check({ model, options, report }) {
    const minimum = typeof options.minimumDegree === 'number' ? options.minimumDegree : 3;
    const candidates = [
      ...directivesNamed(model, 'location', 'rewrite', 'if', 'server_name', 'fastcgi_split_path_info'),
      ...directivesNamed(model, 'map').flatMap((m) => m.block?.items ?? []),
    ];
    for (const d of candidates) {
      if (d.node.terminator === null) continue;
      for (const site of sites(model, d)) {
        const parsed = parseRegex(site.pattern, site.caseless);
        if (!parsed.ok) continue;
        const found = catastrophicBacktracking(parsed.regex, site.subject);
        if (!found || (found.kind === 'polynomial' && found.degree < minimum)) continue;
        const subject = found.prefix + found.pump.repeat(found.repeat) + found.suffix;
        const example = `${site.show(found.prefix)}, then "${percentEncode(found.pump)}" ${found.repeat} times, then ${JSON.stringify(percentEncode(found.suffix))}`;
        report({
          message: found.kind,
          data: { degree: found.degree, example, length: subject.length, where: placeOf(d) },
          file: d.file,
          start: site.start,
          end: site.end,
        });
      }
    }
  },
});
