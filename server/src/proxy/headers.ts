// Response headers the proxy adds: which ones are security headers, whether they carry `always`, and
// the directives an admin left commented out (Kasm ships CSP and COEP as `#add_header ...` lines).

import type { Comment } from '../nginx/lexer';
import type { Block, Directive, ParsedFile } from '../nginx/ast';
import { parseNginx } from '../nginx/parser';
import type { ConfigDirective } from '../model/config';

/** Headers that protect browsers; they belong on error pages too, hence `always`. */
export const SECURITY_HEADERS: ReadonlySet<string> = new Set([
  'strict-transport-security',
  'x-frame-options',
  'content-security-policy',
  'content-security-policy-report-only',
  'cross-origin-embedder-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'referrer-policy',
  'x-content-type-options',
  'permissions-policy',
]);

/** `add_header name value always`: the third argument. */
export function hasAlways(d: ConfigDirective): boolean {
  return d.node.args[2]?.value.toLowerCase() === 'always';
}

export interface CommentedDirective {
  comment: Comment;
  /** The directive as parsed from the comment's text (offsets relative to that text). */
  directive: Directive;
  name: string;
  args: string[];
}

const commentCache = new WeakMap<Block, CommentedDirective[]>();

/**
 * Comments of a block (not of its nested blocks) that hold exactly one complete directive, such as
 * `#add_header 'Content-Security-Policy' "default-src 'self'";`.
 */
export function commentedDirectives(block: Block): CommentedDirective[] {
  let found = commentCache.get(block);
  if (found) return found;
  found = [];
  for (const comment of block.comments) {
    if (!/^\s*[a-z_]+\s/i.test(comment.text) || !comment.text.trimEnd().endsWith(';')) continue;
    const parsed = parseNginx('', comment.text);
    const [directive, extra] = parsed.root.directives;
    if (!directive || extra || parsed.issues.length > 0 || directive.terminator !== ';' || parsed.comments.length > 0) continue;
    found.push({ comment, directive, name: directive.name, args: directive.args.map((a) => a.value) });
  }
  commentCache.set(block, found);
  return found;
}

/** The edit that turns a commented-out directive back on: the `#` and the spaces after it go. */
export function uncomment(file: ParsedFile, commented: CommentedDirective): { file: ParsedFile; start: number; end: number; newText: string } {
  const start = commented.comment.start;
  return { file, start, end: start + 1 + commented.directive.start, newText: '' };
}
