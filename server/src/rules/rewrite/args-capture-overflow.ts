// CVE-2026-42945 ("NGINX Rift"), a heap overflow in the rewrite module of nginx 0.6.27 to 1.30.0 (fixed in
// 1.30.1 and 1.31.0: nginx's security advisory of 2026-05-13). A `rewrite` whose replacement has a "?"
// (not only a last one, and no flag: the script goes on) sets the engine's is_args, which nothing
// clears. A value the same script copies later with a capture ($1..$9) is then sized without escaping
// and copied escaped: `set` and the operands of `if` (ngx_http_script_complex_value_code zeroes its
// length engine, nginx 1.22.1 src/http/ngx_http_script.c:1765, and ngx_http_script_copy_capture_code
// escapes when e->is_args is set, :1395), and a later rewrite's captures before its own "?" when it is
// sized by its length codes (its length engine is zeroed too, :1158). A request whose URI has "%"
// escapes or "+" then writes past the
// buffer. The directives of an `if` block are part of the enclosing block's script
// (ngx_http_rewrite_if shares its codes); a location's script and its server's are separate.

import { basename } from 'node:path';
import type { ConfigBlock, ConfigDirective } from '../../model/config';
import { versionNumber } from '../../nginx/directives';
import { rewriteReplacement } from '../../semantics/rewrite-replacement';
import { directivesNamed } from '../support';
import { defineRule } from '../rule';

const FIRST_AFFECTED = '0.6.27';
const FIXED_STABLE = '1.30.1';
const FIXED_MAINLINE = '1.31.0';

function affected(version: string): boolean {
  const v = versionNumber(version);
  return v >= versionNumber(FIRST_AFFECTED) && v < versionNumber(FIXED_STABLE);
}

/** Whether a value copies a capture ($1..$9). */
const copiesCapture = (value: string | undefined) => value !== undefined && /\$[1-9]/.test(value);

/** The values of an `if` condition nginx compiles as scripts: the operand of = and !=, the path of -f, -d, -e, -x. */
function conditionValues(d: ConfigDirective): string[] {
  const words = d.node.args.map((a) => a.value);
  const joined = words.join(' ').replace(/^\(\s*/, '').replace(/\s*\)$/, '');
  const parts = joined.split(/\s+/);
  if (/^!?-[fdex]$/.test(parts[0] ?? '')) return parts.slice(1);
  if (parts[1] === '=' || parts[1] === '!=') return parts.slice(2);
  return [];
}

/** What the later directive copies a capture into, when the stale flag makes nginx escape it: undefined when nothing. */
function overflowingUse(d: ConfigDirective): string | undefined {
  const name = d.node.name;
  const args = d.node.args.map((a) => a.value);
  if (name === 'set' && copiesCapture(args[1])) return 'set';
  if (name === 'if' && conditionValues(d).some(copiesCapture)) return 'if';
  // a later rewrite sized by its length codes (named variables, a capture twice) on a zeroed engine; one
  // sized without them has an escaping allowance for the whole URI, which covers each capture once
  if (name === 'rewrite') {
    const r = rewriteReplacement(d);
    if (r && !r.redirect && !r.fastPath && r.captures.some((c) => r.argsAt === undefined || c.at < r.argsAt)) return 'rewrite';
  }
  return undefined;
}

export default defineRule({
  meta: {
    id: 'rewrite/args-capture-overflow',
    defaultSeverity: 'warning',
    messages: {
      overflow: {
        text: 'This {use} copies a capture into a buffer nginx {version} overflows (CVE-2026-42945).',
        why:
          'The "?" of the rewrite at {where} makes nginx escape the captures this script copies after it, while it sizes them unescaped: ' +
          'a request with "%" escapes or "+" in its URI writes past the worker\'s buffer (a crash; code run where ASLR is off). Fixed in nginx ' +
          `${FIXED_STABLE} and ${FIXED_MAINLINE}, and in distribution packages that carry the patch (Debian 12 from 1.22.1-9+deb12u7): upgrade. ` +
          'Until then, end that rewrite with last or break, or copy a named capture ($name) here.',
      },
    },
    reads: ['rewrite', 'set', 'if', 'return', 'break', 'location', 'server'],
    docs: {
      summary: 'A `rewrite` whose replacement has a "?", followed in the same script by `set`, `if` or `rewrite` copying $1..$9 (CVE-2026-42945).',
      whatItDoes:
        'On nginx 0.6.27 to 1.30.0 (the configured version), follows each server\'s and location\'s rewrite script in order, with the ' +
        'directives of its `if` blocks: after a `rewrite` without a flag whose replacement has a "?" before its end, reports each `set` ' +
        'and `if` condition copying a capture ($1..$9), and each later `rewrite` (not a redirect, with a named variable or a capture used ' +
        'twice) copying one before its own "?". A ' +
        '`return` or `break` that always runs after the first rewrite ends the script there.',
      whyItMatters:
        'nginx\'s advisory of 13 May 2026 (CVE-2026-42945, CVSS 9.2, "NGINX Rift"): the "?" sets a flag nothing clears, so the later ' +
        'value is sized without URI escaping and copied with it. An unauthenticated request with escaped characters overflows the worker\'s ' +
        'heap; it was exploited within days of the advisory. Fixed in 1.30.1 (stable) and 1.31.0 (mainline).',
      example: 'location /p/ {\n    rewrite ^/p/(.+)$ /page.php?name=$1;\n    set $page $1;\n}',
      useInstead: 'location /p/ {\n    rewrite ^/p/(?<name>.+)$ /page.php?name=$name;\n    set $page $name;\n}',
      fixSafety: 'No fix is offered: upgrading nginx is the fix; renaming captures changes what the lines mean.',
      references: ['https://nginx.org/en/security_advisories.html', 'https://nvd.nist.gov/vuln/detail/CVE-2026-42945'],
    },
  },
  check({ model, catalog, report }) {
    if (!affected(catalog.version)) return;
    const scripts = new Set<ConfigBlock>();
    for (const rewrite of directivesNamed(model, 'rewrite')) {
      let block = rewrite.parent;
      while (block.context.startsWith('http.if') && block.parent) block = block.parent;
      if (block.context === 'http.server' || block.context === 'http.location') scripts.add(block);
    }
    for (const script of scripts) {
      let armedBy: ConfigDirective | undefined;
      // the shallowest if-depth run since the rewrite: a return or break there always follows it
      let pathDepth = 0;
      const run = (items: readonly ConfigDirective[], depth: number) => {
        for (const d of items) {
          if (d.node.terminator === null) continue;
          pathDepth = Math.min(pathDepth, depth);
          const name = d.node.name;
          if (armedBy) {
            if ((name === 'return' || name === 'break') && depth <= pathDepth) armedBy = undefined;
            else {
              const use = overflowingUse(d);
              if (use) {
                const where = `${basename(armedBy.file.path)}:${armedBy.file.lines.positionAt(armedBy.node.start).line + 1}`;
                report({
                  message: 'overflow',
                  data: { use, version: catalog.version, where },
                  file: d.file,
                  start: d.node.start,
                  end: d.node.end,
                  related: [{ file: armedBy.file, start: armedBy.node.start, end: armedBy.node.end, message: 'its "?" leaves nginx escaping the captures copied after it' }],
                });
              }
            }
          }
          if (!armedBy && name === 'rewrite') {
            const r = rewriteReplacement(d);
            if (r && !r.stops && r.argsAt !== undefined) {
              armedBy = d;
              pathDepth = depth;
            }
          }
          if (name === 'if' && d.block) run(d.block.items, depth + 1);
        }
      };
      run(script.items, 0);
    }
  },
});
