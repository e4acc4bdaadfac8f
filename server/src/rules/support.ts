// Helpers the rules share: which directives to check, and how to describe where a directive stands.

import { basename } from 'node:path';
import { type ConfigBlock, type ConfigDirective, includeChain, type ConfigModel } from '../model/config';
import { CONTEXT_LABELS, DIRECTIVE_CONTEXTS, type ContextKind } from '../nginx/directives';
import type { RelatedSpec } from './rule';

/**
 * Directives nginx's own handler would see: complete (ended by `;` or `{`; a directive cut short by a
 * syntax error is reported as such) and standing in a directive context (not inside `map`, `types`, Lua
 * or an unknown block).
 */
export function checkedDirectives(model: ConfigModel): readonly ConfigDirective[] {
  let checked = checkedCache.get(model);
  if (!checked) {
    checked = model.directives().filter(isChecked);
    checkedCache.set(model, checked);
  }
  return checked;
}

const checkedCache = new WeakMap<ConfigModel, readonly ConfigDirective[]>();

/** One of the directives checkedDirectives lists. */
export function isChecked(d: ConfigDirective): boolean {
  return d.node.terminator !== null && isDirectiveContext(d.parent.context);
}

export { directivesNamed } from '../model/by-name';

const DIRECTIVE_CONTEXT_SET: ReadonlySet<ContextKind> = new Set(DIRECTIVE_CONTEXTS);

export function isDirectiveContext(context: ContextKind): boolean {
  return DIRECTIVE_CONTEXT_SET.has(context);
}

/** "the server block of orchestrator.conf" style description of a block. */
export function describeBlock(block: ConfigBlock): string {
  const label = CONTEXT_LABELS[block.context];
  if (!block.owner) {
    if (block.root.file === undefined) return `the ${label} block of Kasm's nginx.conf`;
    return `the ${label} context of ${basename(block.root.file)}`;
  }
  const owner = block.owner;
  const line = owner.file.lines.positionAt(owner.node.start).line + 1;
  return `the ${label} block at ${basename(owner.file.path)}:${line}`;
}

/** Related information showing the includes that placed a directive where it is. */
export function includeTrail(directive: ConfigDirective): RelatedSpec[] {
  return includeChain(directive).map((include) => ({
    file: include.file,
    start: include.node.start,
    end: include.node.end,
    message: `${basename(directive.file.path)} is included here, in ${describeBlock(include.parent)}`,
  }));
}

/** Range of a directive's name. */
export interface LocationName {
  /** The path, regex or name, without its modifier. */
  name: string;
  exact: boolean;
  regex: boolean;
  named: boolean;
}

/** The name and kind of a location as ngx_http_core_location reads its arguments; undefined when they are malformed. */
export function locationName(directive: ConfigDirective): LocationName | undefined {
  const args = directive.node.args.map((a) => a.value);
  if (args.length === 2) {
    const [modifier, name] = args as [string, string];
    if (modifier === '=') return { name, exact: true, regex: false, named: false };
    if (modifier === '^~') return { name, exact: false, regex: false, named: false };
    if (modifier === '~' || modifier === '~*') return { name, exact: false, regex: true, named: false };
    return undefined;
  }
  if (args.length !== 1) return undefined;
  const value = args[0]!;
  if (value.startsWith('=')) return { name: value.slice(1), exact: true, regex: false, named: false };
  if (value.startsWith('^~')) return { name: value.slice(2), exact: false, regex: false, named: false };
  if (value.startsWith('~*')) return { name: value.slice(2), exact: false, regex: true, named: false };
  if (value.startsWith('~')) return { name: value.slice(1), exact: false, regex: true, named: false };
  return { name: value, exact: false, regex: false, named: value.startsWith('@') };
}

/**
 * The reading position where nginx finishes the http block holding a directive: ngx_http_block checks
 * locations and variables there, before reading anything after the block.
 */
export function httpBlockEnd(directive: ConfigDirective): number {
  for (let block: ConfigBlock | undefined = directive.parent; block; block = block.parent) {
    if (block.context === 'http') return block.endSeq ?? Number.POSITIVE_INFINITY;
  }
  return Number.POSITIVE_INFINITY;
}

export function nameSpan(directive: ConfigDirective): { start: number; end: number } {
  return { start: directive.node.nameToken.start, end: directive.node.nameToken.end };
}

/** A name from the file as a message shows it: control characters escaped, long names cut. */
export function shown(name: string, max = 60): string {
  const escaped = name.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return escaped.length > max ? `${escaped.slice(0, max)}…` : escaped;
}
