// Helpers the rules share: which directives to check, and how to describe where a directive stands.

import { basename } from 'node:path';
import { directivesNamed } from '../model/by-name';
import { type ConfigBlock, type ConfigDirective, includeChain, type ConfigModel, modelMemoKey } from '../model/config';
import { CONTEXT_LABELS, DIRECTIVE_CONTEXTS, type ContextKind } from '../nginx/directives';
import type { MessageTemplate, RelatedSpec } from './rule';

/**
 * The why of a configuration nginx refuses, after a `reason` of its own (a sentence, or ''): for any
 * nginx, and on a Kasm tree.
 */
export function refused(reason = ''): Pick<MessageTemplate, 'why' | 'whyKasm'> {
  const lead = reason ? `${reason} ` : '';
  return {
    why: `${lead}nginx -t rejects the configuration: nginx does not start with it, and a reload keeps running the old one.`,
    whyKasm: `${lead}nginx -t rejects the configuration: kasm_proxy does not start with it, and Kasm is unreachable until it is fixed.`,
  };
}

export { locationName, type LocationName } from '../semantics/location';

/**
 * Directives nginx's own handler would see: complete (ended by `;` or `{`; a directive cut short by a
 * syntax error is reported as such) and standing in a directive context (not inside `map`, `types`, Lua
 * or an unknown block).
 *
 * The rules that visit every directive do it with an indexed loop, not `for...of`: the CLI runs each
 * such loop once, mostly before V8 optimizes it, and unoptimized `for...of` allocates a result object
 * per element (on a configuration of 320,000 directives, a quarter of all the lint allocated).
 */
export function checkedDirectives(model: ConfigModel): readonly ConfigDirective[] {
  return model.memo(CHECKED, () => model.directives().filter(isChecked));
}

const CHECKED = modelMemoKey<readonly ConfigDirective[]>('checked directives');

/** What a rule that checks each directive on its own checks: checkedDirectives, or those of `only` (RuleContext.only) it lists. */
export function directivesToCheck(model: ConfigModel, only: readonly ConfigDirective[] | undefined): readonly ConfigDirective[] {
  return only ? only.filter(isChecked) : checkedDirectives(model);
}

/**
 * The directives checkedDirectives lists that have one of these names, each name's in reading order: a
 * rule about a few names does not walk every directive of a configuration of hundreds of thousands.
 */
export function checkedNamed(model: ConfigModel, ...names: string[]): ConfigDirective[] {
  return directivesNamed(model, ...names).filter(isChecked);
}

/** One of the directives checkedDirectives lists. */
export function isChecked(d: ConfigDirective): boolean {
  return d.node.terminator !== null && isDirectiveContext(d.parent.context);
}

export { directivesNamed };

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

/**
 * The main context of a whole configuration: a root read from nginx.conf, or a file holding the http,
 * stream or mail block; not a fragment read as main, nor a Kasm tree (whose main context is the
 * container's nginx.conf).
 */
export function wholeConfiguration(model: ConfigModel): ConfigBlock | undefined {
  const root = model.roots[0];
  if (!root || root.context !== 'main' || !root.file) return undefined;
  const whole = basename(root.file) === 'nginx.conf' || root.block.items.some((d) => ['http', 'stream', 'mail'].includes(d.node.name) && d.block);
  return whole ? root.block : undefined;
}

export function nameSpan(directive: ConfigDirective): { start: number; end: number } {
  return { start: directive.node.nameToken.start, end: directive.node.nameToken.end };
}

/** A name from the file as a message shows it: control characters escaped, long names cut. */
export function shown(name: string, max = 60): string {
  const escaped = name.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return escaped.length > max ? `${escaped.slice(0, max)}…` : escaped;
}
