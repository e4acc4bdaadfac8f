// Completion: directive names valid where the cursor is, enumerated values of the directive being
// written (from its syntax lines), and variables (the configuration's own and nginx's).

import type { ProjectAnalysis } from '../engine/analyze';
import type { ParsedFile } from '../nginx/ast';
import { type ContextKind, type DirectiveCatalog, type DirectiveSpec, plainSyntax, valueInVersion } from '../nginx/directives';
import { directiveDoc } from './hover';
import { contextAt, locate } from './locate';
import { variableDefinitions } from './symbols';
import { builtinVariables } from './builtin-variables';
import { familyVariableNames } from './variable-names';
import { kasmSnippets } from './kasm-snippets';

export interface CompletionEntry {
  label: string;
  kind: 'directive' | 'block' | 'value' | 'variable' | 'snippet';
  detail?: string;
  /** Markdown, or how to write it (a directive's reference page is written only for the entry the editor shows). */
  documentation?: string | (() => string);
  /** What is inserted instead of the label (snippet syntax for a snippet). */
  insertText?: string;
  /** The text the entry replaces. */
  start: number;
  end: number;
}

/** An entry's documentation, written out. */
export function documentationOf(entry: CompletionEntry): string | undefined {
  return typeof entry.documentation === 'function' ? entry.documentation() : entry.documentation;
}

export function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && !/[\s;{}"']/.test(ch);
}

/** The literal words of a directive's syntax: `on`, `off`, `TLSv1.3`, `zone=`, `always`, ... */
export function literalValues(spec: DirectiveSpec, version?: string): string[] {
  const values = new Set<string>();
  for (const line of spec.syntax) {
    // `literal` words, not *`placeholders`*
    for (const m of line.matchAll(/(?<!\*)`([^`]+)`(?!\*)(=?)/g)) {
      const word = m[1]!;
      if (word === '{...}' || word === spec.name) continue;
      values.add(m[2] ? `${word}=` : word);
    }
  }
  // only what the configured version accepts (proxy_http_version 2 appeared in 1.29.4)
  return [...values].filter((v) => version === undefined || valueInVersion(spec, v, version));
}

/**
 * The completions at `offset` of `file`. `context`, when given, is the context the whole file is read in
 * (a statement read on its own, editing/analysed-view.ts); otherwise the context at the offset.
 */
export function completionsAt(analysis: ProjectAnalysis | undefined, catalog: DirectiveCatalog, file: ParsedFile, offset: number, context?: ContextKind): CompletionEntry[] {
  const text = file.text;
  let start = offset;
  while (start > 0 && isWordChar(text[start - 1])) start--;
  let end = offset;
  while (end < text.length && isWordChar(text[end])) end++;

  // a variable being written: `$na|`, `${na|`
  let name = offset;
  while (name > 0 && /[A-Za-z0-9_]/.test(text[name - 1]!)) name--;
  const braced = text[name - 1] === '{' && text[name - 2] === '$';
  if (text[name - 1] === '$' || braced) {
    let nameEnd = offset;
    while (nameEnd < text.length && /[A-Za-z0-9_]/.test(text[nameEnd]!)) nameEnd++;
    return variableCompletions(analysis, name, nameEnd);
  }

  const at = locate(file, offset);
  const inArguments = at.directive && at.inWords && offset > at.directive.nameToken.end;
  if (inArguments) {
    const directiveContext = context ?? contextAt(analysis, file, at.directive!.start);
    const spec = catalog.specIn(at.directive!.name, directiveContext) ?? catalog.specs(at.directive!.name)[0];
    if (!spec) return [];
    return literalValues(spec, catalog.version).map((value) => ({ label: value, kind: 'value' as const, detail: plainSyntax(spec, catalog.version), start, end }));
  }

  const here = context ?? contextAt(analysis, file, offset);
  const snippets = kasmSnippets(analysis, here).map((s) => ({ label: s.label, kind: 'snippet' as const, detail: s.detail, documentation: s.documentation, insertText: s.body, start, end }));
  return [...snippets, ...directiveCompletions(catalog, here, start, end)];
}

function directiveCompletions(catalog: DirectiveCatalog, context: ContextKind, start: number, end: number): CompletionEntry[] {
  // (written out: a spread of each of the 400 entries was most of a completion's time)
  return directivesIn(catalog, context).map((e) => ({ label: e.label, kind: e.kind, detail: e.detail, documentation: e.documentation, start, end }));
}

/** The directive entries of a context, made once per catalog (a completion is asked at every pause in typing). */
function directivesIn(catalog: DirectiveCatalog, context: ContextKind): ReadonlyArray<Omit<CompletionEntry, 'start' | 'end'>> {
  let byContext = DIRECTIVE_ENTRIES.get(catalog);
  if (!byContext) DIRECTIVE_ENTRIES.set(catalog, (byContext = new Map()));
  let entries = byContext.get(context);
  if (!entries) {
    entries = catalog
      .names()
      .map((name) => catalog.specIn(name, context))
      .filter((spec): spec is DirectiveSpec => spec !== undefined)
      .map((spec) => ({
        label: spec.name,
        kind: spec.isBlock ? ('block' as const) : ('directive' as const),
        detail: plainSyntax(spec, catalog.version),
        documentation: () => directiveDoc(spec, catalog.version),
      }));
    byContext.set(context, entries);
  }
  return entries;
}

const DIRECTIVE_ENTRIES = new WeakMap<DirectiveCatalog, Map<ContextKind, ReadonlyArray<Omit<CompletionEntry, 'start' | 'end'>>>>();

function variableCompletions(analysis: ProjectAnalysis | undefined, start: number, end: number): CompletionEntry[] {
  const entries: CompletionEntry[] = [];
  const seen = new Set<string>();
  if (analysis) {
    for (const [name, definitions] of variableDefinitions(analysis)) {
      seen.add(name);
      entries.push({ label: name, kind: 'variable', detail: `set by ${definitions[0]!.node.name}`, start, end });
    }
  }
  for (const spec of builtinVariables(analysis?.catalog.version, analysis?.catalog.edition)) {
    if (seen.has(spec.name)) continue;
    seen.add(spec.name);
    entries.push({ label: spec.name, kind: 'variable', detail: spec.module, documentation: spec.docs.description, start, end });
  }
  // the families (`$http_<header>`...) by their real names, not a placeholder
  for (const family of familyVariableNames(analysis)) {
    if (seen.has(family.name)) continue;
    seen.add(family.name);
    entries.push({ label: family.name, kind: 'variable', detail: family.detail, documentation: family.documentation, start, end });
  }
  return entries;
}
