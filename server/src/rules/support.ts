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
export function* checkedDirectives(model: ConfigModel): Generator<ConfigDirective> {
  for (const directive of model.directives()) {
    if (directive.node.terminator !== null && isDirectiveContext(directive.parent.context)) yield directive;
  }
}

export function isDirectiveContext(context: ContextKind): boolean {
  return DIRECTIVE_CONTEXTS.includes(context);
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
export function nameSpan(directive: ConfigDirective): { start: number; end: number } {
  return { start: directive.node.nameToken.start, end: directive.node.nameToken.end };
}
