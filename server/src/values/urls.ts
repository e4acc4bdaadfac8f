// The sections of an upstream address built from parts (literal text and variables): scheme, host
// (with port) and the rest, as ngx_http_proxy_pass and ngx_parse_url read them. A variable belongs to
// the section it starts in; a variable that always starts with "/" ($request_uri, $uri) starts the path.

import type { Part } from './evaluate';

export interface UrlSections {
  /** Before "://" (empty when the address has no scheme, as for fastcgi_pass). */
  scheme: Part[];
  /** Host and port. */
  host: Part[];
  /** From the first "/" or "?" after the host. */
  path: Part[];
  /** No literal "://": the address's structure comes from a variable (`proxy_pass $target;`). */
  opaque: boolean;
}

function slice(p: Part, from: number, to: number): Part {
  return { ...p, start: p.start + from, end: p.start + to, text: p.text.slice(from, to) };
}

/** Splits `parts` into scheme, host and path; `withScheme` for proxy_pass and grpc_pass ("http://..."). */
export function urlSections(parts: readonly Part[], withScheme: boolean): UrlSections {
  const sections: UrlSections = { scheme: [], host: [], path: [], opaque: false };
  let state: 'scheme' | 'host' | 'path' = withScheme ? 'scheme' : 'host';
  // without a literal "://", the scheme (and maybe more) comes from a variable
  if (withScheme && !parts.some((p) => p.literal && p.text.includes('://'))) sections.opaque = true;
  for (const p of parts) {
    if (!p.literal) {
      if (state === 'host' && p.alternatives.length > 0 && p.alternatives.every((a) => a.slash)) state = 'path';
      sections[state].push(p);
      continue;
    }
    let i = 0;
    while (i < p.text.length) {
      if (state === 'scheme') {
        const at = p.text.indexOf('://', i);
        if (at < 0) {
          sections.scheme.push(slice(p, i, p.text.length));
          i = p.text.length;
        } else {
          if (at > i) sections.scheme.push(slice(p, i, at));
          i = at + 3;
          state = 'host';
        }
      } else if (state === 'host') {
        const rest = p.text.slice(i);
        const m = /[/?]/.exec(rest);
        const end = m ? i + m.index : p.text.length;
        if (end > i) sections.host.push(slice(p, i, end));
        i = end;
        if (m) state = 'path';
      } else {
        sections.path.push(slice(p, i, p.text.length));
        i = p.text.length;
      }
    }
  }
  return sections;
}

/** The literal text of a section when it has no variables, else undefined. */
export function literalText(section: readonly Part[]): string | undefined {
  return section.every((p) => p.literal) ? section.map((p) => p.text).join('') : undefined;
}

/**
 * The values a section can take when every variable in it is set to literal text (`set $proto https;`):
 * "https" for `$upstream_proto`. Undefined when some part comes from elsewhere.
 */
export function literalValues(section: readonly Part[]): string[] | undefined {
  let values = [''];
  for (const p of section) {
    if (p.literal) {
      values = values.map((v) => v + p.text);
      continue;
    }
    const texts = p.alternatives.map((a) => (a.kind === 'literal' ? a.value : undefined));
    if (texts.length === 0 || texts.some((t) => t === undefined)) return undefined;
    values = values.flatMap((v) => texts.map((t) => v + t!)).slice(0, 32);
  }
  return [...new Set(values)];
}
