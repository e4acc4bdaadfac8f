// The context a file is read in when nothing includes it: named by a `# kasmlint: context=server`
// comment, or inferred from its top-level directives (a top-level `location` means server context).

import type { ParsedFile } from '../nginx/ast';
import type { ContextKind, DirectiveCatalog } from '../nginx/directives';

/** The names users write in `# kasmlint: context=...`, and the context each means. */
export const CONTEXT_NAMES: Record<string, ContextKind> = {
  main: 'main',
  events: 'events',
  http: 'http',
  server: 'http.server',
  location: 'http.location',
  if: 'http.if.location',
  upstream: 'http.upstream',
  limit_except: 'http.limit_except',
  stream: 'stream',
  'stream-server': 'stream.server',
  'stream-upstream': 'stream.upstream',
  mail: 'mail',
  'mail-server': 'mail.server',
};

const CONTEXT_COMMENT = /^\s*kasmlint:\s*context\s*=\s*([\w-]+)\s*$/;

export interface ContextChoice {
  context: ContextKind;
  reason: string;
  /** Set when a context comment names no known context. */
  invalidComment?: { start: number; end: number; name: string };
}

export function declaredContext(file: ParsedFile): ContextChoice | undefined {
  for (const comment of file.comments) {
    const match = CONTEXT_COMMENT.exec(comment.text);
    if (!match) continue;
    const context = CONTEXT_NAMES[match[1]!];
    if (context) return { context, reason: `its "# kasmlint: context=${match[1]}" comment` };
    return { context: 'main', reason: 'an unknown context comment', invalidComment: { start: comment.start, end: comment.end, name: match[1]! } };
  }
  return undefined;
}

/** Strong signals first; otherwise the outermost context that accepts the most top-level directives. */
export function inferContext(file: ParsedFile, catalog: DirectiveCatalog, fileName: string): ContextChoice {
  const declared = declaredContext(file);
  if (declared) return declared;

  const names = file.root.directives.filter((d) => d.terminator !== null).map((d) => d.name);
  if (fileName === 'nginx.conf' || names.some((n) => n === 'http' || n === 'events' || n === 'stream' || n === 'mail')) {
    return { context: 'main', reason: fileName === 'nginx.conf' ? 'its name (nginx.conf)' : 'its top-level http/events block' };
  }
  if (names.includes('location')) return { context: 'http.server', reason: 'its top-level location blocks' };
  if (names.includes('server')) return { context: 'http', reason: 'its top-level server blocks' };

  const candidates: ContextKind[] = ['main', 'http', 'http.server', 'http.location', 'stream', 'stream.server'];
  let best: ContextKind = 'http';
  let bestScore = -1;
  for (const context of candidates) {
    const score = names.filter((n) => catalog.specIn(n, context)).length;
    if (score > bestScore) {
      best = context;
      bestScore = score;
    }
  }
  return { context: best, reason: 'its top-level directives' };
}
