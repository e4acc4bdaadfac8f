// A rule declares everything about itself in one place: id, default severity, message templates, the
// fixes it can offer and how safe they are, options, and its documentation. `check` is a pure function
// of the analysed configuration: it imports nothing from LSP or VS Code.

import type { FixApplicability, Severity } from '../engine/findings';
import type { MessageSeverity, SeverityByPreset } from '../engine/presets';
import type { Settings } from '../engine/settings';
import type { ConfigBlock, ConfigDirective, ConfigModel } from '../model/config';
import type { TunnelDocument } from '../cloudflared/document';
import type { LineIndex } from '../core/text';
import type { FileHost } from '../workspace/host';
import type { DirectiveCatalog } from '../nginx/directives';
import type { LoadedModules } from '../nginx/modules';
import { TextMemo } from '../core/maps';

export interface RuleDocs {
  /** One line: what the rule finds. */
  summary: string;
  whatItDoes: string;
  whyItMatters: string;
  /** A configuration that triggers the rule. */
  example: string;
  /** The same configuration, right. */
  useInstead?: string;
  /** How each fix behaves, and why it is safe or not. */
  fixSafety?: string;
  /** When a finding's severity depends on what it finds (the report computes it), how: shown with the severities. */
  severityNote?: string;
  references?: string[];
}

export interface FixDeclaration {
  /** A title template, e.g. 'Replace with "{name}"' (no Kasm words). */
  title: string;
  applicability: FixApplicability;
  /**
   * What an unsafe fix changes in behaviour, ending its title after " — " ("narrows who may call this
   * server"); required for unsafe fixes. `changesKasm` replaces it on a Kasm tree.
   */
  changes?: string;
  changesKasm?: string;
}

export interface OptionDeclaration {
  description: string;
  default: unknown;
}

/**
 * A message in parts: `text` is what the Problems panel shows (what is wrong, one sentence of at most
 * ~100 characters, no Kasm words); `why` says why it matters and what the fix does, for any nginx
 * configuration; `whyKasm` replaces it on a Kasm tree. A plain string is a message with only `text`.
 */
export interface MessageTemplate {
  text: string;
  why?: string;
  whyKasm?: string;
  /** This kind of finding's own severity, for every preset or for some (the rule's otherwise). */
  severity?: MessageSeverity;
}

export type MessageDeclaration = string | MessageTemplate;

export interface RuleMeta<M extends string, F extends string> {
  id: string;
  /** The severity under kasm-default (today's), and under every preset `presets` does not name. */
  defaultSeverity: Severity;
  /** The severity under other presets where it differs ('off': not run). */
  presets?: SeverityByPreset;
  /** Message templates; `{name}` is replaced by the report's data. */
  messages: Record<M, MessageDeclaration>;
  fixes?: Record<F, FixDeclaration>;
  options?: Record<string, OptionDeclaration>;
  /**
   * The directives whose presence and arguments the rule's findings depend on (a `map`'s entries count
   * as the `map`'s). When an edit changes only statements of one block whose names, before and after,
   * are not listed (an argument edited, a name typed, a statement written or deleted, a line added), the
   * language server keeps the rule's findings from the analysis before (engine/reuse.ts); without `reads`
   * the rule runs on every edit. A name missing here leaves stale findings: test/engine/reuse.test.ts
   * makes those edits to directives of every name in real configurations and compares with an analysis
   * from scratch. Pseudo-names: `VARIABLES`, the variables any directive's arguments name or define;
   * `EVERY_NAME`, the names of all directives; `COMMENTS`, the comments of blocks; `SYNTAX_ISSUES`,
   * where the parser stopped.
   */
  reads?: readonly string[];
  /**
   * For a rule that checks each directive on its own: each finding is
   * about one directive and starts inside it, and depends only on that directive's words, the blocks
   * around it, the names of the directives beside it and the arguments of the directives named in
   * `reads` here; a finding it reports at a block's `{` or `}` is about the block's directive, one
   * anywhere in a map (geo, types...) about the map. Across an edit of one directive's arguments (not an
   * entry of a map, geo, types...), the language server keeps the findings about every other directive
   * and the rule checks only the edited one and its block's directive (`RuleContext.only`); across an
   * edit that changes a name, the edited statements, those beside them and the directive of their block. What such a rule reports about a whole file (nginx/syntax: a NUL byte, where the parser
   * stopped) is kept too when the edit changes neither (engine/reuse.ts). A rule about directives of a
   * few names declares `reads` too (those names and `perDirective.reads`): an edit that changes none of
   * them keeps all its findings. Held to an analysis from scratch by test/engine/reuse.test.ts.
   */
  perDirective?: { reads: readonly string[] };
  /**
   * For a rule that checks each http location on its own (it declares `reads` too): each finding is
   * about one location and starts inside it (from `location` to its `}`, in its file), and depends only
   * on the directives and comments of that location and of the blocks around it, and on the directives
   * named in `outside` wherever they stand (a `map`, an `upstream`). Across an edit inside a location
   * that changes names the rule reads (none of `outside`, and of the pseudo-names only COMMENTS), the
   * language server keeps the findings about every other location and the rule checks that location and
   * those nested in it (`RuleContext.locations`). Held to an analysis from scratch by
   * test/engine/reuse.test.ts.
   */
  perLocation?: { outside: readonly string[] };
  docs: RuleDocs;
}

/** A file as reports and edits name it: an nginx file (ParsedFile) or a cloudflared config. */
export interface SourceFile {
  path: string;
  text: string;
  lines: LineIndex;
}

export interface EditSpec {
  file: SourceFile;
  start: number;
  end: number;
  newText: string;
}

export interface FixSpec<F extends string> {
  fix: F;
  data?: Record<string, string | number>;
  edits: EditSpec[];
  /** Defaults to the first fix of a report being preferred. */
  preferred?: boolean;
}

export interface RelatedSpec {
  file: SourceFile;
  start: number;
  end: number;
  message: string;
}

/** The error `nginx -t` prints for what a report describes, and when nginx would meet it. */
export interface NginxError {
  /** The sequence number of the directive (or syntax issue) in nginx's reading order. */
  seq: number;
  line: number;
  message: string;
  /**
   * Where nginx meets the error when that is not where it reads the directive: the end of the http
   * block holding it, where ngx_http_block checks locations and variables (see httpBlockEnd).
   */
  foundAt?: number;
  /** Found after that, when nginx sets up shared memory (a zone used but never sized). */
  atStartup?: boolean;
  /** nginx prints no file and line with this error. */
  unlocated?: boolean;
  /** The file nginx names, when not the report's (an error found when the http block ends is named where it ends). */
  file?: string;
}

export interface Report<M extends string, F extends string> {
  message: M;
  data?: Record<string, string | number>;
  file: SourceFile;
  start: number;
  end: number;
  /** Only when the severity depends on what was found (declare `docs.severityNote`); else the message's or the rule's. */
  severity?: Severity;
  /**
   * The fixes, or how to compute them when they are first asked for (a rule that reports on every
   * location of a large file need not build edits the editor only shows for one finding at a time).
   */
  fixes?: Array<FixSpec<F>> | (() => Array<FixSpec<F>>);
  related?: RelatedSpec[];
  nginx?: NginxError;
}

export interface RuleContext<M extends string, F extends string> {
  model: ConfigModel;
  /** The directives of the configured version and edition, with those of the modules it loads. */
  catalog: DirectiveCatalog;
  /** The modules the configuration loads (load_module). */
  modules: LoadedModules;
  settings: Settings;
  /** The rule's options: its declared defaults overridden by the settings. */
  options: Record<string, unknown>;
  report(report: Report<M, F>): void;
  /**
   * True once a report (about what nginx reads at position `seq`, when given) would be thrown away: the
   * rule went past `maxFindingsPerRule` findings, and (for the nginx/* rules, whose errors decide nginx's
   * verdict) nginx stops before `seq`.
   * A rule that works hard per report asks first; one that walks in reading order may stop there.
   */
  stopped(seq?: number): boolean;
  /**
   * Set for a rule that checks each directive on its own (`perDirective`) when only these need it: the
   * instances of an edited directive and its block's directive (when a name changed, with those beside it;
   * none when nothing changed). The rule checks these and no others.
   */
  only?: readonly ConfigDirective[];
  /**
   * Set for a rule that checks each location on its own (`perLocation`) across an edit inside a
   * location: the blocks of that location's instances and of the locations nested in them. The rule
   * checks these and no others.
   */
  locations?: ReadonlySet<ConfigBlock>;
}

/**
 * In a rule's `reads`: the variables that directives' arguments name or define (`$name`, `${name}`),
 * whatever the directive. An edit whose directive has no `$` before it or after it changes none.
 */
export const VARIABLES = '$';

/**
 * In a rule's `reads`: the name of every directive. A rule whose findings depend on what any directive
 * is called (its context, whether nginx knows it) runs again when a name is typed or changed; the
 * others run only when the name before or after is among their `reads`.
 */
export const EVERY_NAME = '*';

/**
 * In a rule's `reads`: the comments of blocks (a directive commented out, such as a security header).
 * An edit that adds, changes or removes a comment runs the rule.
 */
export const COMMENTS = '#';

/** In a rule's `reads`: the files' syntax issues (where the parser stopped). An edit that changes them runs the rule. */
export const SYNTAX_ISSUES = '!';

/** What a cloudflared rule sees: one tunnel config file. */
export interface TunnelRuleContext<M extends string, F extends string> {
  tunnel: TunnelDocument;
  settings: Settings;
  options: Record<string, unknown>;
  /** To read the files the config names (the caPool certificate). */
  host: FileHost;
  report(report: Report<M, F>): void;
}

/** A rule checks nginx configurations (`check`) or cloudflared configs (`checkTunnel`). */
export interface Rule<M extends string = string, F extends string = string> {
  meta: RuleMeta<M, F>;
  /**
   * A check may be a generator that pauses (`yield`) between pieces of its work: the language server
   * answers requests and notices newer edits at those pauses. A rule that walks thousands of locations
   * or directives pauses every few dozen (`paced`).
   */
  check?(context: RuleContext<M, F>): void | Iterator<void, void, void>;
  checkTunnel?(context: TunnelRuleContext<M, F>): void;
}

export function defineRule<M extends string, F extends string = never>(rule: Rule<M, F>): Rule<M, F> {
  return rule;
}

/** The parts of a declared message. */
export function messageParts(declaration: MessageDeclaration): MessageTemplate {
  return typeof declaration === 'string' ? { text: declaration } : declaration;
}

/** A template split once at its placeholders: texts at even indexes, placeholder names at odd ones. */
const splitTemplates = new TextMemo<readonly string[]>(2_000);

/** Fills `{name}` placeholders (a placeholder without data stays as written). */
export function formatTemplate(template: string, data: Record<string, string | number> = {}): string {
  const parts = splitTemplates.get(template, () => template.split(/\{(\w+)\}/));
  if (parts.length === 1) return template;
  let text = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) {
    const key = parts[i]!;
    text += (key in data ? String(data[key]) : `{${key}}`) + parts[i + 1]!;
  }
  return text;
}

/**
 * Visits `items`, pausing every `every` of them (a `yield` where the language server may answer a
 * request); `visit` returning false stops the walk (the rule found what it looks for, or was stopped).
 */
export function* paced<T>(items: Iterable<T>, visit: (item: T) => boolean | void, every = 64): Generator<void, void, void> {
  if (Array.isArray(items)) {
    // indexed: see checkedDirectives
    for (let i = 0; i < items.length; i++) {
      if (visit(items[i] as T) === false) return;
      if ((i + 1) % every === 0) yield;
    }
    return;
  }
  let count = 0;
  for (const item of items) {
    if (visit(item) === false) return;
    if (++count % every === 0) yield;
  }
}
