// What stands at a position of a file: the directive, the word, and the context nginx reads it in.
// Editor features (hover, completion, definitions) start from here. No LSP types.

import type { ProjectAnalysis } from '../engine/analyze';
import type { ConfigBlock, ConfigDirective } from '../model/config';
import { declaredContext } from '../model/context';
import { blockAt, type Block, type Directive, type ParsedFile, type Token } from '../nginx/ast';
import type { ContextKind } from '../nginx/directives';

export interface Located {
  file: ParsedFile;
  offset: number;
  /** The innermost directive whose text contains the offset (its block included). */
  directive?: Directive;
  /** The word under the offset: the directive's name (index -1) or an argument. */
  token?: { token: Token; index: number };
  /** Where the directive's own words end: past it, the offset is inside its block. */
  inWords: boolean;
}

export function locate(file: ParsedFile, offset: number): Located {
  let directive: Directive | undefined;
  let block: Block | undefined = file.root;
  while (block) {
    const inside: Directive | undefined = block.directives.find((d) => d.start <= offset && offset <= d.end);
    if (!inside) break;
    directive = inside;
    const wordsEnd = inside.block ? inside.block.open : inside.end;
    if (offset <= wordsEnd) break;
    block = inside.block && !inside.block.lua ? inside.block : undefined;
  }
  if (!directive) return { file, offset, inWords: false };
  const wordsEnd = directive.block ? directive.block.open : directive.end;
  const words = [directive.nameToken, ...directive.args];
  const hit = words.findIndex((t) => t.start <= offset && offset <= t.end);
  return {
    file,
    offset,
    directive,
    token: hit >= 0 ? { token: words[hit]!, index: hit - 1 } : undefined,
    inWords: offset <= wordsEnd,
  };
}

/** The instances of a syntax directive in the model (one per time its file is included). */
export function instancesOf(analysis: ProjectAnalysis, directive: Directive): ConfigDirective[] {
  return analysis.model.directives().filter((d) => d.node === directive);
}

/** The model's blocks for a syntax block (one per inclusion of its file). */
export function configBlocksFor(analysis: ProjectAnalysis, file: ParsedFile, block: Block): ConfigBlock[] {
  if (block === file.root) return analysis.model.instances(file.path).map((i) => i.block);
  const analysed = analysedBlock(analysis, file, block);
  if (!analysed) return [];
  return [...analysis.model.blocksOf(analysed)];
}

/**
 * The block of the analysed parse of `file` that stands where `block` stands: the same, unless the
 * editor's text is newer than the analysis (requests do not wait for one), then the block reached from
 * the top through the block directives with the same words (see counterpart).
 */
function analysedBlock(analysis: ProjectAnalysis, file: ParsedFile, block: Block): Block | undefined {
  const analysed = analysis.model.files.get(file.path);
  if (!analysed || analysed === file) return block;
  const owners: Directive[] = [];
  for (let b = block; b.owner; b = b.owner.parent) owners.unshift(b.owner);
  let at: Block = analysed.root;
  for (const owner of owners) {
    const same = counterpart(at, owner);
    if (!same?.block) return undefined;
    at = same.block;
  }
  return at;
}

/**
 * The directive of an analysed block that stands for `directive` of a newer parse: the one at its place
 * when it has the same words, else the one with the same words elsewhere in the block (a line added or
 * removed before it moved it), else the one at its place with the same name.
 */
function counterpart(block: Block, directive: Directive): Directive | undefined {
  const index = directive.parent.directives.indexOf(directive);
  const words = (d: Directive) => [d.name, ...d.args.map((a) => a.value)].join(' ');
  const atPlace = block.directives[index];
  const wanted = words(directive);
  if (atPlace && words(atPlace) === wanted) return atPlace;
  return block.directives.find((d) => d.name === directive.name && words(d) === wanted) ?? (atPlace?.name === directive.name ? atPlace : undefined);
}

/** The directive of the analysed parse of `file` that stands where `directive` stands (see analysedBlock). */
export function analysedDirective(analysis: ProjectAnalysis, file: ParsedFile, directive: Directive): Directive | undefined {
  const block = analysedBlock(analysis, file, directive.parent);
  return block && (block === directive.parent ? directive : counterpart(block, directive));
}

/** The context the text at `offset` is read in (the first inclusion's, when a file is included several times). */
export function contextAt(analysis: ProjectAnalysis | undefined, file: ParsedFile, offset: number): ContextKind {
  const block = blockAt(file.root, offset);
  const config = analysis ? configBlocksFor(analysis, file, block)[0] : undefined;
  if (config) return config.context;
  if (block !== file.root) return 'unknown';
  return declaredContext(file)?.context ?? 'main';
}
