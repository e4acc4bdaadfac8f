// Snippets made from the Kasm tree being edited, offered where a location may be written in it (a
// services.d file, or orchestrator.conf's server): a location proxying to one of the tree's own
// upstreams, with the headers Kasm's own service files set, so that the names it inserts exist there.
// Snippet syntax as LSP and VS Code take it; no LSP types.

import type { ProjectAnalysis } from '../engine/analyze';
import type { ContextKind } from '../nginx/directives';
import { upstreamDefinitions, upstreamNameIn, PASS_DIRECTIVES } from './symbols';

export interface Snippet {
  label: string;
  detail: string;
  documentation: string;
  /** The body, in snippet syntax. */
  body: string;
}

/** `|` and `,` and `}` and `$` are special inside a snippet choice. */
const choice = (text: string) => text.replace(/[\\|,}$]/g, '\\$&');

/** The scheme the tree's own proxy_pass lines use for an upstream (https for the RDP gateway), http otherwise. */
function schemeOf(analysis: ProjectAnalysis, upstream: string): string {
  for (const d of analysis.model.directives()) {
    const target = PASS_DIRECTIVES.has(d.node.name) ? d.node.args[0]?.value : undefined;
    if (target && upstreamNameIn(target) === upstream) return /^https:/.test(target) ? 'https' : 'http';
  }
  return 'http';
}

export function kasmSnippets(analysis: ProjectAnalysis | undefined, context: ContextKind): Snippet[] {
  if (analysis?.project.kind !== 'kasm' || context !== 'http.server') return [];
  const upstreams = [...upstreamDefinitions(analysis).keys()].sort();
  if (upstreams.length === 0) return [];
  const targets = upstreams.map((u) => `${schemeOf(analysis, u)}://${u}`);
  return [
    {
      label: 'kasm-service-location',
      detail: "Location proxying to one of this Kasm tree's upstreams",
      documentation:
        `A location like Kasm's own services.d files: HTTP/1.1 with the WebSocket upgrade headers, the forwarding headers, and \`proxy_pass\` to an upstream this tree defines (${upstreams.join(', ')}). ` +
        'The path is a placeholder: the one your service answers on.',
      body: [
        'location ${1:/your-service-path/} {',
        '\tproxy_http_version 1.1;',
        '\tproxy_set_header Host \\$host;',
        '\tproxy_set_header Upgrade \\$http_upgrade;',
        '\tproxy_set_header Connection "upgrade";',
        '\tproxy_set_header X-Real-IP \\$remote_addr;',
        '\tproxy_set_header X-Forwarded-For \\$proxy_add_x_forwarded_for;',
        '\tproxy_set_header X-Forwarded-Proto \\$scheme;',
        `\tproxy_pass \${2|${targets.map(choice).join(',')}|};$0`,
        '}',
      ].join('\n'),
    },
  ];
}
