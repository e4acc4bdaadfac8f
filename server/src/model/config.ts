// The configuration as nginx reads it: every root expanded with its includes, each included file's
// directives placed in the block that includes it (so `services.d/*.conf` land inside the server of
// orchestrator.conf), in nginx's reading order. Built without recursion; bounded whatever the input.

import type { Block, Directive, ParsedFile, SyntaxIssue } from '../nginx/ast';
import type { Effective } from './effective';
import { bodyContext, OPAQUE_BLOCKS_WITH_INCLUDE, type ContextKind, type DirectiveCatalog, type DirectiveSpec } from '../nginx/directives';
import { expandGlob, isGlob } from '../workspace/glob';
import type { FileHost, ReadFailure } from '../workspace/host';
import type { PathResolver, ResolvedPath } from '../workspace/paths';

export interface ConfigBlock {
  context: ContextKind;
  /** The directive that opens the block; undefined for a root. */
  owner?: ConfigDirective;
  parent?: ConfigBlock;
  /** The directives at this level, includes expanded in place, in nginx's reading order. */
  items: ConfigDirective[];
  /** The syntax block (a root's is its file's top level; a virtual root has none). */
  syntax?: Block;
  file?: ParsedFile;
  root: Root;
  /** The reading position of the block's end, where nginx finishes its handler (set once it is read). */
  endSeq?: number;
  /** What the model's readers computed about this block, kept with it (a field: faster than a WeakMap per block). */
  memo?: BlockMemo;
}

export interface BlockMemo {
  /** The directives in effect here, by name, for the names whose inheritance is the same in every version (model/effective.ts). */
  effective: Map<string, Effective> | undefined;
  /** The same for the others (add_header, add_trailer: add_header_inherit, 1.29.3), by version, then name. */
  byVersion: Map<string, Map<string, Effective>> | undefined;
}

export interface ConfigDirective {
  node: Directive;
  file: ParsedFile;
  parent: ConfigBlock;
  block?: ConfigBlock;
  /** The include that brought this directive's file into the model (undefined in a root file). */
  via?: ConfigDirective;
  include?: IncludeResolution;
  /** Position in nginx's reading order: nginx reports the error it meets first. */
  seq: number;
  /** The catalog that last looked this directive's spec up, and what it found (specOf). */
  specFrom: DirectiveCatalog | undefined;
  spec: DirectiveSpec | undefined;
}

export interface IncludeResolution {
  resolved: ResolvedPath;
  glob: boolean;
  /** Local paths of the included files, in nginx's order. */
  files: string[];
  /** A file nginx would fail to open (a plain path that is missing, unreadable or a directory). */
  failure?: { path: string; nginxPath: string; reason: ReadFailure; message: string };
  /** Set when including would recurse: the chain of files back to this one. */
  cycle?: string[];
  /** Set when the include was not followed because the configuration grew past the model's limits. */
  truncated?: string;
}

export interface Root {
  /** The root file, or undefined for the virtual http block of a Kasm proxy container. */
  file?: string;
  context: ContextKind;
  /** Why the root's top level has this context, in words for messages. */
  reason: string;
  block: ConfigBlock;
  /** The sequence numbers of everything read from this root: [seqStart, seqEnd). */
  seqStart: number;
  seqEnd: number;
  /** The model the root belongs to (what a question about one block can ask the whole model). */
  model: ConfigModel;
}

/**
 * A block of the model with every field set, in one order: blocks and directives are made by the
 * hundred thousand and read by every rule, and objects given fields later (or in other orders) take
 * several layouts in V8, which makes each read of them slower.
 */
function configBlock(context: ContextKind, owner: ConfigDirective | undefined, parent: ConfigBlock | undefined, syntax: Block | undefined, file: ParsedFile | undefined, root: Root): ConfigBlock {
  return { context, owner, parent, items: [], syntax, file, root, endSeq: undefined, memo: undefined };
}

export interface FileInstance {
  /** The block this file's top-level directives are placed in. */
  block: ConfigBlock;
  via?: ConfigDirective;
  root: Root;
}

export type RootSpec =
  | { kind: 'file'; path: string; context: ContextKind; reason: string }
  | { kind: 'glob'; pattern: string; context: ContextKind; reason: string };

/** Limits that keep hostile configurations (include bombs) bounded. */
export const MAX_INCLUDE_DEPTH = 64;
export const MAX_DIRECTIVES = 2_000_000;

export type ReadFile = (path: string) => ParsedFile | { reason: ReadFailure; message: string };

const NO_DIRECTIVES: readonly ConfigDirective[] = [];

/** What one reader of models computes once per model (ConfigModel.memo): its key, made once by the reader. */
export interface ModelMemoKey<T> {
  readonly name: string;
  /** (the type of the value, for the compiler only) */
  readonly valueType?: T;
}

export function modelMemoKey<T>(name: string): ModelMemoKey<T> {
  return { name };
}

export class ConfigModel {
  readonly roots: Root[] = [];
  readonly files = new Map<string, ParsedFile>();
  private readonly instanceMap = new Map<string, FileInstance[]>();
  /** The first sequence number at which nginx would meet each syntax issue. */
  readonly issueSeq = new Map<SyntaxIssue, number>();
  /** Every directive, in nginx's reading order (the order they were created in). */
  private readonly ordered: ConfigDirective[] = [];
  /** The same, by name (see model/by-name.ts). */
  private readonly byName = new Map<string, ConfigDirective[]>();
  /** The blocks of the model each parsed block became (one per time its file is included), made when first asked. */
  private bySyntax: Map<Block, ConfigBlock[]> | undefined;
  private seq = 0;
  private directiveCount = 0;

  constructor(
    private readonly host: FileHost,
    private readonly resolver: PathResolver,
    private readonly readFile: ReadFile,
  ) {}

  /** Where a file's directives land, once per time it is included (empty if never reached). */
  instances(path: string): readonly FileInstance[] {
    return this.instanceMap.get(path) ?? [];
  }

  reached(path: string): boolean {
    return this.instanceMap.has(path);
  }

  resolvePath(argument: string): ResolvedPath {
    return this.resolver.resolve(argument);
  }

  private readonly referenced = new Map<string, { localPath: string; read: ReturnType<FileHost['read']> }>();

  /**
   * What readers computed about the whole model, under their keys (memo). A field, not a WeakMap keyed
   * by models in each reader: such a map lives in V8's old generation, where its young-generation
   * collections take its values for live, and the values lead back to their model: every model the
   * language server made at each keystroke was kept through them and promoted (a small script of
   * short-lived keys: 0.1 MB promoted without the map, 329 MB with it).
   */
  private readonly memos = new Map<ModelMemoKey<unknown>, unknown>();

  /** `make()` for this model, computed once under `key`. */
  memo<T>(key: ModelMemoKey<T>, make: () => T): T {
    const known = this.memos.get(key) as T | undefined;
    if (known !== undefined || this.memos.has(key)) return known as T;
    const value = make();
    this.memos.set(key, value);
    return value;
  }

  /** A file the configuration names (a certificate, DH parameters), read through the path mappings. */
  readReferenced(argument: string): { localPath: string; read: ReturnType<FileHost['read']> } {
    let entry = this.referenced.get(argument);
    if (!entry) {
      const localPath = this.resolver.resolve(argument).localPath;
      entry = { localPath, read: this.host.read(localPath) };
      this.referenced.set(argument, entry);
    }
    return entry;
  }

  /** The files read through readReferenced that could be read (a fix may edit one: Kasm's docker-compose.yaml). */
  referencedFiles(): Array<{ path: string; text: string; latin1: boolean }> {
    return [...this.referenced.values()].flatMap(({ localPath, read }) => (read.ok ? [{ path: localPath, text: read.text, latin1: read.latin1 }] : []));
  }

  /** Every directive of the model, in nginx's reading order. */
  directives(): readonly ConfigDirective[] {
    return this.ordered;
  }

  /** The directives named `name`, in nginx's reading order. */
  named(name: string): readonly ConfigDirective[] {
    return this.byName.get(name) ?? [];
  }

  private readonly ownByName = new Map<string, Map<ConfigBlock, ConfigDirective[]>>();

  /**
   * The complete directives named `name` that `block` holds itself (not in nested blocks), in reading
   * order. Asked of every block for each name a rule needs the effective value of (model/effective.ts):
   * each name's directives are grouped by block once, instead of scanning a block's items per question.
   */
  ownNamed(block: ConfigBlock, name: string): readonly ConfigDirective[] {
    let byBlock = this.ownByName.get(name);
    if (!byBlock) {
      byBlock = new Map();
      const all = this.named(name);
      for (let i = 0; i < all.length; i++) {
        const d = all[i]!;
        if (d.node.terminator === null) continue;
        const list = byBlock.get(d.parent);
        if (list) list.push(d);
        else byBlock.set(d.parent, [d]);
      }
      this.ownByName.set(name, byBlock);
    }
    return byBlock.get(block) ?? NO_DIRECTIVES;
  }

  /** The blocks a parsed directive's block became in the model, in nginx's reading order (a Lua block: none). */
  blocksOf(syntax: Block): readonly ConfigBlock[] {
    if (!this.bySyntax) {
      // (an editor's question about a few blocks: not worth a map entry per block at every analysis)
      const bySyntax = new Map<Block, ConfigBlock[]>();
      for (const d of this.ordered) {
        if (!d.block?.syntax) continue;
        const copies = bySyntax.get(d.block.syntax);
        if (copies) copies.push(d.block);
        else bySyntax.set(d.block.syntax, [d.block]);
      }
      this.bySyntax = bySyntax;
    }
    return this.bySyntax.get(syntax) ?? [];
  }

  addRoot(spec: RootSpec): Root | undefined {
    this.bySyntax = undefined;
    const root = { file: spec.kind === 'file' ? spec.path : undefined, context: spec.context, reason: spec.reason, seqStart: this.seq, model: this } as Omit<Root, 'block' | 'seqEnd'> as Root;
    const block = configBlock(spec.context, undefined, undefined, undefined, undefined, root);
    root.block = block;
    if (spec.kind === 'file') {
      const parsed = this.readFile(spec.path);
      if (!('root' in parsed)) return undefined;
      block.syntax = parsed.root;
      block.file = parsed;
      this.roots.push(root);
      this.expand([{ file: parsed, chain: [this.host.realpath(spec.path)] }], block, undefined);
      root.seqEnd = this.seq;
      block.endSeq = this.seq;
    } else {
      this.roots.push(root);
      const files: Frame['instance'][] = [];
      for (const path of expandGlob(this.host, spec.pattern)) {
        const parsed = this.readFile(path);
        if ('root' in parsed) files.push({ file: parsed, chain: [this.host.realpath(path)] });
      }
      this.expand(files, block, undefined);
      root.seqEnd = this.seq;
      block.endSeq = this.seq;
    }
    return root;
  }

  /** Expands files' top levels into `block`, and everything they include, in nginx's order. */
  private expand(files: Array<Frame['instance']>, block: ConfigBlock, via: ConfigDirective | undefined): void {
    const stack: Frame[] = [];
    const pushFiles = (instances: Array<Frame['instance']>, into: ConfigBlock, through: ConfigDirective | undefined) => {
      for (let i = instances.length - 1; i >= 0; i--) {
        const instance = instances[i]!;
        this.files.set(instance.file.path, instance.file);
        const list = this.instanceMap.get(instance.file.path) ?? [];
        list.push({ block: into, via: through, root: into.root });
        this.instanceMap.set(instance.file.path, list);
        stack.push({ instance, syntax: instance.file.root, config: into, index: 0, via: through, issueCursor: { next: 0 } });
      }
    };
    pushFiles(files, block, via);

    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const { syntax } = frame;
      if (frame.index >= syntax.directives.length) {
        this.emitIssues(frame, syntax === frame.instance.file.root ? Number.POSITIVE_INFINITY : (syntax.close ?? Number.POSITIVE_INFINITY));
        if (syntax !== frame.instance.file.root) frame.config.endSeq = this.seq++;
        stack.pop();
        continue;
      }
      const node = syntax.directives[frame.index++]!;
      this.emitIssues(frame, node.terminatorOffset);
      const directive: ConfigDirective = { node, file: frame.instance.file, parent: frame.config, block: undefined, via: frame.via, include: undefined, seq: this.seq++, specFrom: undefined, spec: undefined };
      frame.config.items.push(directive);
      this.ordered.push(directive);
      const named = this.byName.get(node.name);
      if (named) named.push(directive);
      else this.byName.set(node.name, [directive]);
      this.directiveCount++;

      if (node.name === 'include' && node.terminator === ';' && node.args.length === 1 && this.includesHere(frame.config)) {
        const files = this.resolveInclude(directive, frame.instance.chain);
        pushFiles(files, frame.config, directive);
        continue;
      }
      if (node.block && !node.block.lua) {
        const context = frame.config.context === 'opaque' || frame.config.context === 'unknown' ? 'unknown' : bodyContext(node.name, frame.config.context);
        const child = configBlock(context, directive, frame.config, node.block, frame.instance.file, frame.config.root);
        directive.block = child;
        stack.push({ instance: frame.instance, syntax: node.block, config: child, index: 0, via: frame.via, issueCursor: frame.issueCursor });
      }
    }
  }

  /** nginx honours `include` in directive contexts and in the bodies of map, geo and types. */
  private includesHere(block: ConfigBlock): boolean {
    if (block.context === 'lua' || block.context === 'unknown') return false;
    if (block.context === 'opaque') return OPAQUE_BLOCKS_WITH_INCLUDE.has(block.owner?.node.name ?? '');
    return true;
  }

  private resolveInclude(directive: ConfigDirective, chain: string[]): Array<Frame['instance']> {
    const argument = directive.node.args[0]!.value;
    const resolved = this.resolver.resolve(argument);
    const glob = isGlob(resolved.nginxPath);
    const info: IncludeResolution = { resolved, glob, files: [] };
    directive.include = info;

    const paths = glob ? expandGlob(this.host, resolved.localPath) : [resolved.localPath];
    const instances: Array<Frame['instance']> = [];
    for (const path of paths) {
      const real = this.host.realpath(path);
      if (chain.includes(real)) {
        info.cycle = [...chain, real];
        info.files.push(path);
        continue;
      }
      if (chain.length >= MAX_INCLUDE_DEPTH) {
        info.truncated = `includes nested more than ${MAX_INCLUDE_DEPTH} deep`;
        continue;
      }
      if (this.directiveCount > MAX_DIRECTIVES) {
        info.truncated = `the configuration expands to more than ${MAX_DIRECTIVES} directives`;
        continue;
      }
      const parsed = this.readFile(path);
      if (!('root' in parsed)) {
        // glob(3) lists directories and other entries too; nginx then fails to read them.
        if (!glob || parsed.reason !== 'not-found') info.failure ??= { path, nginxPath: glob ? nginxPathOf(path, resolved) : resolved.named, ...parsed };
        continue;
      }
      info.files.push(path);
      instances.push({ file: parsed, chain: [...chain, real] });
    }
    return instances;
  }

  private emitIssues(frame: Frame, before: number): void {
    const issues = frame.instance.file.issues;
    const cursor = frame.issueCursor;
    while (cursor.next < issues.length && issues[cursor.next]!.start < before) {
      const issue = issues[cursor.next++]!;
      if (!this.issueSeq.has(issue)) this.issueSeq.set(issue, this.seq);
      this.seq++;
    }
  }
}

/** The path nginx opens for a local file reached through `resolved` (the mapping undone). */
function nginxPathOf(localPath: string, resolved: ResolvedPath): string {
  const mapping = resolved.mapping;
  return mapping && localPath.startsWith(mapping.to) ? mapping.from + localPath.slice(mapping.to.length) : localPath;
}

interface Frame {
  instance: { file: ParsedFile; chain: string[] };
  syntax: Block;
  config: ConfigBlock;
  index: number;
  via: ConfigDirective | undefined;
  /** Shared by the frames of one file instance: the next syntax issue to place in reading order. */
  issueCursor: { next: number };
}

/**
 * The spec nginx's handler would use for a directive where it stands (DirectiveCatalog.specIn), kept
 * with the directive: most nginx/* rules ask it of every directive of the configuration.
 */
export function specOf(catalog: DirectiveCatalog, directive: ConfigDirective): DirectiveSpec | undefined {
  if (directive.specFrom !== catalog) {
    directive.spec = catalog.specIn(directive.node.name, directive.parent.context);
    directive.specFrom = catalog;
  }
  return directive.spec;
}

/** The directives of a block and of everything nested in it, in order, without recursion. */
export function* walk(block: ConfigBlock): Generator<ConfigDirective> {
  const stack: Array<{ block: ConfigBlock; index: number }> = [{ block, index: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.index >= top.block.items.length) {
      stack.pop();
      continue;
    }
    const directive = top.block.items[top.index++]!;
    yield directive;
    if (directive.block) stack.push({ block: directive.block, index: 0 });
  }
}

/** The chain of blocks from `block` up to its root. */
export function ancestors(block: ConfigBlock): ConfigBlock[] {
  const chain: ConfigBlock[] = [];
  for (let b: ConfigBlock | undefined = block; b; b = b.parent) chain.push(b);
  return chain;
}

/** Whether `block` is `ancestor` or lies inside it. */
export function within(block: ConfigBlock, ancestor: ConfigBlock): boolean {
  for (let b: ConfigBlock | undefined = block; b; b = b.parent) if (b === ancestor) return true;
  return false;
}

/** The include chain that brought a directive in: outermost first. */
export function includeChain(directive: ConfigDirective): ConfigDirective[] {
  const chain: ConfigDirective[] = [];
  for (let d = directive.via; d; d = d.via) chain.unshift(d);
  return chain;
}
