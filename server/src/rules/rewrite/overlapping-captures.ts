// CVE-2026-9256, a heap overflow in the rewrite module of nginx 0.1.17 to 1.30.1 and 1.31.0 (fixed in
// 1.30.2 and 1.31.1: nginx's security advisory of 2026-05-22). A replacement with no named variable and
// no capture used twice is sized without its length codes: its raw length, each capture once, and one
// escaping allowance for the whole URI (ngx_http_script_regex_start_code, nginx 1.22.1
// src/http/ngx_http_script.c:1143). When it copies escaped (in a redirect, or after the "?" that starts
// the arguments) two captures one of which holds the other, the bytes they share are escaped twice: a URI
// with "%" escapes or "+" there writes past the buffer.

import { parseRegex, visit } from '../../values/regex';
import { versionNumber } from '../../nginx/directives';
import { escapedCaptures, rewriteReplacement } from '../../semantics/rewrite-replacement';
import { directivesNamed } from '../support';
import { defineRule } from '../rule';

function affected(version: string): boolean {
  const v = versionNumber(version);
  if (v < versionNumber('0.1.17')) return false;
  return v < versionNumber('1.30.2') || (v >= versionNumber('1.31.0') && v < versionNumber('1.31.1'));
}

/** The spans of a pattern's capturing groups, by number. */
function groupSpans(pattern: string, caseless: boolean): Map<number, { start: number; end: number }> | undefined {
  const parsed = parseRegex(pattern, caseless);
  if (!parsed.ok) return undefined;
  const spans = new Map<number, { start: number; end: number }>();
  visit(parsed.regex.root, (node) => {
    if (node.kind === 'group' && node.capture !== undefined && !spans.has(node.capture)) spans.set(node.capture, { start: node.start, end: node.end });
  });
  return spans;
}

export default defineRule({
  meta: {
    id: 'rewrite/overlapping-captures',
    defaultSeverity: 'warning',
    messages: {
      overlap: {
        text: 'This rewrite escapes ${inner} inside ${outer} twice: nginx {version} overflows (CVE-2026-9256).',
        why:
          'nginx sizes this replacement with one escaping allowance for the whole URI, then escapes ${inner}\'s bytes twice (once inside ' +
          '${outer}): a request with "%" escapes or "+" there writes past the worker\'s buffer (a crash; code run where ASLR is off). Fixed in ' +
          'nginx 1.30.2 and 1.31.1, and in distribution packages that carry the patch (Debian 12 from 1.22.1-9+deb12u8): upgrade. Until then, ' +
          'copy one of them only, or name the captures ((?<name>...)) and copy $name.',
      },
    },
    reads: ['rewrite'],
    docs: {
      summary: 'A `rewrite` copying two nested captures URI-escaped, in a redirect or its arguments (CVE-2026-9256).',
      whatItDoes:
        'On nginx before 1.30.2 (and 1.31.0), the configured version, reports a `rewrite` whose replacement has no named variable and ' +
        'copies no capture twice (nginx then sizes it without its length codes), and copies URI-escaped (all of a redirect, or after the ' +
        '"?" that starts the arguments) two captures of which one is inside the other, such as `^/((.*))$` with `$1` and `$2`.',
      whyItMatters:
        'nginx\'s advisory of 22 May 2026 (CVE-2026-9256, CVSS 9.2): the buffer is sized with one escaping allowance for the whole URI, ' +
        'and the shared bytes are escaped twice. An unauthenticated request overflows the worker\'s heap. Fixed in 1.30.2 (stable) and ' +
        '1.31.1 (mainline).',
      example: 'rewrite ^/docs/((\\w+)/.*)$ /view?path=$1&section=$2;',
      useInstead: 'rewrite ^/docs/(?<path>(?<section>\\w+)/.*)$ /view?path=$path&section=$section;',
      fixSafety: 'No fix is offered: upgrading nginx is the fix; which capture to keep is the author\'s choice.',
      references: ['https://nginx.org/en/security_advisories.html', 'https://nvd.nist.gov/vuln/detail/CVE-2026-9256'],
    },
  },
  check({ model, catalog, report }) {
    if (!affected(catalog.version)) return;
    for (const rewrite of directivesNamed(model, 'rewrite')) {
      if (rewrite.node.terminator !== ';' || rewrite.node.args.length < 2) continue;
      const r = rewriteReplacement(rewrite);
      if (!r?.fastPath) continue;
      const escaped = [...new Set(escapedCaptures(r).map((c) => c.group))];
      if (escaped.length < 2) continue;
      const spans = groupSpans(rewrite.node.args[0]!.value, false);
      if (!spans) continue;
      let pair: [number, number] | undefined;
      for (const outer of escaped) {
        for (const inner of escaped) {
          const a = spans.get(outer);
          const b = spans.get(inner);
          if (outer !== inner && a && b && a.start <= b.start && b.end <= a.end) pair ??= [outer, inner];
        }
      }
      if (!pair) continue;
      report({
        message: 'overlap',
        data: { outer: String(pair[0]), inner: String(pair[1]), version: catalog.version },
        file: rewrite.file,
        start: rewrite.node.start,
        end: rewrite.node.end,
      });
    }
  },
});
