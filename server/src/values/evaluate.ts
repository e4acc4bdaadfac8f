// What a directive's argument can hold at run time: its literal text and, for each variable in it,
// where the variable's bytes come from. Variables are followed through `set`, `auth_request_set`,
// `map` (every value, the default included), numbered captures ($1: the regexes matched before the
// use, on what they are matched against) and named captures. A variable can have several origins (two
// `set`s, a map's values): each is an alternative, with the chain of definitions that leads to it, for
// the message.
//
// Scope follows nginx's rewrite phase: a `set` or `auth_request_set` counts where it runs for the
// request, in the same location (its `if` blocks included) or at the server level; when none runs
// there, every definition in the configuration counts (an internal redirect can carry a value over).

import { basename } from 'node:path';
import { addTo } from '../core/maps';
import { directivesNamed } from '../model/by-name';
import { type ConfigBlock, type ConfigDirective, type ConfigModel, type ModelMemoKey, modelMemoKey } from '../model/config';
import { automatonOf, captureShape } from './automaton';
import { ByteSet } from './charset';
import { builtinOrigin, clientControlled, type OriginKind } from './origins';
import { parseRegex, type Regex } from './regex';

/**
 * The directives the value analysis follows a variable through (definitions, regexes whose captures it
 * reads): the `reads` of every rule that evaluates a value (rules/rule.ts).
 */
export const VALUE_SOURCES = ['set', 'auth_request_set', 'map', 'geo', 'split_clients', 'perl_set', 'js_set', 'set_by_lua', 'set_by_lua_block', 'set_by_lua_file', 'location', 'rewrite', 'if'];

export interface Alternative {
  kind: OriginKind;
  /** The bytes this alternative can hold. */
  bytes: ByteSet;
  /** It always starts with "/". */
  slash: boolean;
  /**
   * The variable as used, then each definition followed, ending with where the bytes come from: put
   * into words only when a message shows it (most alternatives never are, and a value followed through
   * thousands of map entries or captures made as many sentences).
   */
  trail: Trail;
  /** The directives that carry the value to the use (set, map, location with the capture, ...). */
  via: ConfigDirective[];
  /** Where the bytes enter: a built-in variable, or a regex capture of another value. */
  source?: Source;
  /** For a literal alternative: the text (`set $proto https;` gives "https"). */
  value?: string;
}

export type Source =
  | { builtin: string }
  | { capture: { directive: ConfigDirective; regex: Regex; group: number; subject: Alternative } };

export interface Part {
  /** Offsets of the part in the argument's value. */
  start: number;
  end: number;
  /** Literal text, or the variable as written ("$host", "${name}", "$1"). */
  text: string;
  literal: boolean;
  /** For a variable: what it can hold (empty for literal text). */
  alternatives: Alternative[];
}

/** A reference in an nginx script: "$name", "${name}", or a capture "$0".."$9" (one digit, as ngx_http_script_compile reads it). */
export interface Reference {
  start: number;
  end: number;
  name: string;
  capture?: number;
}

/** The variables of an nginx value, in order, as ngx_http_script_compile splits it. */
export function references(value: string): Reference[] {
  const out: Reference[] = [];
  for (let i = 0; i < value.length; i++) {
    if (value[i] !== '$') continue;
    const next = value[i + 1];
    if (next !== undefined && next >= '0' && next <= '9') {
      out.push({ start: i, end: i + 2, name: next, capture: Number(next) });
      i++;
      continue;
    }
    if (next === '{') {
      const close = value.indexOf('}', i + 2);
      if (close < 0) break;
      const name = value.slice(i + 2, close);
      if (/^\d$/.test(name)) out.push({ start: i, end: close + 1, name, capture: Number(name) });
      else if (/^\w+$/.test(name)) out.push({ start: i, end: close + 1, name: name.toLowerCase() });
      i = close;
      continue;
    }
    const m = /^\w+/.exec(value.slice(i + 1));
    if (!m) continue;
    out.push({ start: i, end: i + 1 + m[0].length, name: m[0].toLowerCase() });
    i += m[0].length;
  }
  return out;
}

/** The lines of an alternative's trail, made when asked for. */
export type Trail = () => readonly string[];

const NO_TRAIL: Trail = () => [];

/** The trail `rest` with its first line replaced by `first(that line)`: a definition followed before it. */
function extended(rest: Trail, first: (head: string | undefined) => string): Trail {
  return () => {
    const [head, ...others] = rest();
    return [first(head), ...others];
  };
}

const LITERAL: Alternative = { kind: 'literal', bytes: ByteSet.EMPTY, slash: false, trail: NO_TRAIL, via: [] };
const MAX_DEPTH = 12;

/** Where a regex is matched, and against what. */
export interface RegexSite {
  directive: ConfigDirective;
  regex: Regex;
  /** What it is matched against ($uri for a location or a rewrite, the variable for if and map). */
  subject: readonly Alternative[];
  /** For messages: 'the location regex "^/p/(.*)$" at nginx.conf:12' (made when a message shows it). */
  label: () => string;
}

interface Context {
  model: ConfigModel;
  depth: number;
  resolving: Set<string>;
  /** How many times a variable was cut short (a cycle, or MAX_DEPTH): results made without a cut do not depend on where they were asked. */
  cuts: number;
}

function newContext(model: ConfigModel): Context {
  return { model, depth: 0, resolving: new Set(), cuts: 0 };
}

function where(d: ConfigDirective): string {
  return `${basename(d.file.path)}:${d.file.lines.positionAt(d.node.start).line + 1}`;
}

/** The location (or server) whose rewrite phase runs a directive: its nearest enclosing location or server. */
export function scopeOf(d: ConfigDirective): ConfigBlock | undefined {
  for (let b: ConfigBlock | undefined = d.parent; b; b = b.parent) {
    if (b.context === 'http.location' || b.context === 'http.server') return b;
  }
  return undefined;
}

function serverOfScope(scope: ConfigBlock): ConfigBlock | undefined {
  for (let b: ConfigBlock | undefined = scope; b; b = b.parent) if (b.context === 'http.server') return b;
  return undefined;
}

interface RewritePhase {
  /** `set` and `auth_request_set` of the block (its `if` blocks included), by variable. */
  definitions: Map<string, ConfigDirective[]>;
  /** The directives whose regex sets captures: rewrite, and if with a regex. */
  regexes: ConfigDirective[];
}

const PHASES = modelMemoKey<Map<ConfigBlock, RewritePhase>>('rewrite phase of each block');

/** What a block's own rewrite phase runs (its directives and those of its `if` blocks), read once per block. */
function rewritePhase(block: ConfigBlock): RewritePhase {
  const phases = block.root.model.memo(PHASES, () => new Map());
  let phase = phases.get(block);
  if (phase) return phase;
  phase = { definitions: new Map(), regexes: [] };
  const consider = (d: ConfigDirective) => {
    const name = d.node.name;
    if ((name === 'set' || name === 'auth_request_set') && d.node.args.length === 2 && d.node.terminator === ';') {
      const variable = d.node.args[0]!.value.replace(/^\$/, '').toLowerCase();
      phase!.definitions.set(variable, [...(phase!.definitions.get(variable) ?? []), d]);
    } else if (name === 'rewrite' || name === 'if') phase!.regexes.push(d);
  };
  for (const d of block.items) {
    consider(d);
    if (d.node.name === 'if' && d.block) d.block.items.forEach(consider);
  }
  phases.set(block, phase);
  return phase;
}

/** The `set` and `auth_request_set` definitions of `name` that run for requests in `scope` (its server's first). */
function definitionsIn(scope: ConfigBlock, name: string): ConfigDirective[] | undefined {
  const server = serverOfScope(scope);
  const here = rewritePhase(scope).definitions.get(name);
  const above = server && server !== scope ? rewritePhase(server).definitions.get(name) : undefined;
  return above && here ? [...above, ...here] : (here ?? above);
}

interface ModelIndex {
  sets: Map<string, ConfigDirective[]>;
  maps: Map<string, ConfigDirective[]>;
  /** Named captures by name (lower case), and by the directive whose regex has them. */
  named: Map<string, NamedCapture[]>;
  namedAt: Map<ConfigDirective, NamedCapture[]>;
  /** Variables set by modules kasmlint does not follow (perl_set, js_set, ...). */
  opaque: Set<string>;
  /** Variables with literal values only: geo, split_clients. */
  literal: Map<string, ConfigDirective>;
  /** Whether each map's values are all literal text (literalMap), once asked. */
  literalMaps: Map<string, boolean>;
}

interface NamedCapture {
  /** The variable's name, in lower case. */
  name: string;
  site: ConfigDirective;
  pattern: string;
  regex: Regex;
  group: number;
  kind: 'uri' | 'if' | 'map' | 'host';
}

const INDEX = modelMemoKey<ModelIndex>('variable sources');

function indexOf(model: ConfigModel): ModelIndex {
  return model.memo(INDEX, () => newIndex(model));
}

function newIndex(model: ConfigModel): ModelIndex {
  const index: ModelIndex = { sets: new Map(), maps: new Map(), named: new Map(), namedAt: new Map(), opaque: new Set(), literal: new Map(), literalMaps: new Map() };
  const noteNamed = (site: ConfigDirective, pattern: string, caseless: boolean, kind: 'uri' | 'if' | 'map' | 'host') => {
    if (!pattern.includes('(?')) return;
    const parsed = parseRegex(pattern, caseless);
    if (!parsed.ok) return;
    for (const [name, groups] of parsed.regex.names) {
      const capture: NamedCapture = { name: name.toLowerCase(), site, pattern, regex: parsed.regex, group: groups[0]!, kind };
      addTo(index.named, capture.name, capture);
      addTo(index.namedAt, site, capture);
    }
  };
  const relevant = directivesNamed(model, ...VALUE_SOURCES);
  const mapEntries = directivesNamed(model, 'map').flatMap((m) => m.block?.items ?? []);
  for (const d of [...relevant, ...mapEntries]) {
    const name = d.node.name;
    const args = d.node.args;
    if (d.node.terminator === null) continue;
    if ((name === 'set' || name === 'auth_request_set') && args.length === 2) addTo(index.sets, args[0]!.value.replace(/^\$/, '').toLowerCase(), d);
    else if (name === 'map' && d.block && args.length === 2) addTo(index.maps, args[1]!.value.replace(/^\$/, '').toLowerCase(), d);
    else if ((name === 'geo' || name === 'split_clients') && d.block && args.length >= 1) index.literal.set(args[args.length - 1]!.value.replace(/^\$/, '').toLowerCase(), d);
    else if ((name === 'perl_set' || name === 'js_set' || name === 'set_by_lua' || name === 'set_by_lua_block' || name === 'set_by_lua_file') && args[0]) index.opaque.add(args[0].value.replace(/^\$/, '').toLowerCase());
    if (name === 'location' || name === 'rewrite' || name === 'if' || d.parent.owner?.node.name === 'map') {
      const regex = regexOf(d);
      if (regex) noteNamed(d, regex.pattern, regex.caseless, regex.kind);
    }
  }
  return index;
}

/** The regex a directive matches, if any: location ~, rewrite, if (... ~ ...), map ~ entries, server_name ~. */
export function regexOf(d: ConfigDirective): { pattern: string; caseless: boolean; kind: 'uri' | 'if' | 'map' | 'host'; token: number } | undefined {
  const name = d.node.name;
  // most locations are prefixes: answered without reading their arguments
  if (name === 'location' && !d.node.args[0]?.value.startsWith('~')) return undefined;
  const count = d.node.args.length;
  const arg = (i: number) => d.node.args[i]!.value;
  if (name === 'location' && d.block) {
    if (count === 2 && (arg(0) === '~' || arg(0) === '~*')) return { pattern: arg(1), caseless: arg(0) === '~*', kind: 'uri', token: 1 };
    if (count === 1 && arg(0) !== '~' && arg(0) !== '~*') {
      const caseless = arg(0).startsWith('~*');
      return { pattern: arg(0).slice(caseless ? 2 : 1), caseless, kind: 'uri', token: 0 };
    }
    return undefined;
  }
  if (name === 'rewrite' && count >= 2) return { pattern: arg(0), caseless: false, kind: 'uri', token: 0 };
  if (name === 'if' && d.block && count >= 3 && /^!?~\*?$/.test(arg(1))) {
    const pattern = count === 4 && arg(3) === ')' ? arg(2) : arg(2).replace(/\)$/, '');
    return { pattern, caseless: arg(1).endsWith('*'), kind: 'if', token: 2 };
  }
  if (d.parent.owner?.node.name === 'map' && /^~/.test(d.node.name)) {
    const caseless = d.node.name.startsWith('~*');
    return { pattern: d.node.name.slice(caseless ? 2 : 1), caseless, kind: 'map', token: -1 };
  }
  return undefined;
}

const builtinSubjects = new Map<'uri' | 'host', readonly Alternative[]>();

/**
 * What location and rewrite regexes ($uri) or server_name regexes ($host) are matched against: one list
 * each, shared (alternatives are never changed).
 */
function builtinSubject(name: 'uri' | 'host'): readonly Alternative[] {
  let subject = builtinSubjects.get(name);
  if (!subject) {
    const origin = builtinOrigin(name)!;
    subject = [{ kind: origin.kind, bytes: origin.bytes, slash: name === 'uri', trail: () => [`$${name}, ${origin.description}`], via: [], source: { builtin: name } }];
    builtinSubjects.set(name, subject);
  }
  return subject;
}

const SUBJECTS = modelMemoKey<Map<string, readonly Alternative[]>>('alternatives of values free of scope');

/**
 * What a regex is matched against (an if's or a map's source), as evaluated at `at`: the variables'
 * alternatives. A value free of scope (built-in variables: a map of $uri, an if on $http_origin) is
 * followed once for all its regexes; it cannot lead back to them.
 */
function subjectOf(ctx: Context, at: ConfigDirective, value: string): readonly Alternative[] {
  if (!scopeFree(ctx.model, value)) return evaluateIn(ctx, at, value).flatMap((p) => p.alternatives);
  const known = ctx.model.memo(SUBJECTS, () => new Map());
  let subject = known.get(value);
  if (subject) return subject;
  const cutsBefore = ctx.cuts;
  subject = evaluateIn(ctx, at, value).flatMap((p) => p.alternatives);
  // (cut short by the depth reached: true here only)
  if (ctx.cuts === cutsBefore) known.set(value, subject);
  return subject;
}

/** Where a regex's captures come from: what nginx matches it against, and a label for messages. */
function regexSite(ctx: Context, at: ConfigDirective, d: ConfigDirective): RegexSite | undefined {
  const r = regexOf(d);
  if (!r) return undefined;
  const parsed = parseRegex(r.pattern, r.caseless);
  if (!parsed.ok) return undefined;
  if (r.kind === 'uri') return { directive: d, regex: parsed.regex, subject: builtinSubject('uri'), label: () => `the ${d.node.name} regex "${r.pattern}" at ${where(d)}` };
  if (r.kind === 'if') {
    const text = d.node.args[0]!.value.replace(/^\(/, '');
    const subject = subjectOf(ctx, d, text);
    return { directive: d, regex: parsed.regex, subject, label: () => `the regex of "if (${text} ${d.node.args[1]!.value} ...)" at ${where(d)}` };
  }
  const map = d.parent.owner!;
  const subject = subjectOf(ctx, at, map.node.args[0]!.value);
  return { directive: d, regex: parsed.regex, subject, label: () => `the map regex "${r.pattern}" at ${where(d)}` };
}

/**
 * The regexes whose captures `at` can read, nearest first, each tier a list of segments (shared
 * lists, never copied per use): its own regex (a rewrite, a map entry), then the `if` it stands in,
 * then its location's (the location's own regex, its rewrites and ifs), then its server's rewrites
 * and ifs, which ran before the location was chosen.
 */
function* regexTiers(at: ConfigDirective): Generator<ReadonlyArray<readonly ConfigDirective[]>, void> {
  if (at.parent.owner?.node.name === 'map') {
    yield [[at]];
    return;
  }
  if (at.node.name === 'rewrite') yield [[at]];
  const inIf = at.parent.owner?.node.name === 'if' ? at.parent.owner : undefined;
  if (inIf && regexOf(inIf)) yield [[inIf]];
  const scope = scopeOf(at);
  if (!scope) return;
  yield [regexesOfScope(scope)];
  const server = serverOfScope(scope);
  if (server && server !== scope) yield [rewritePhase(server).regexes];
}

const SCOPE_REGEXES = modelMemoKey<Map<ConfigBlock, readonly ConfigDirective[]>>('regexes of each scope');

/** The regexes a location or server runs itself: a location's own regex, then its rewrites and ifs. */
function regexesOfScope(scope: ConfigBlock): readonly ConfigDirective[] {
  const phase = rewritePhase(scope).regexes;
  if (!(scope.owner && scope.context === 'http.location' && regexOf(scope.owner))) return phase;
  const known = scope.root.model.memo(SCOPE_REGEXES, () => new Map());
  let regexes = known.get(scope);
  if (!regexes) known.set(scope, (regexes = [scope.owner, ...phase]));
  return regexes;
}

/** Where the captures a directive sees ($1...) can come from (capturingRegexes). */
export function captureSites(model: ConfigModel, at: ConfigDirective, ctx?: Context): RegexSite[] {
  const context = ctx ?? newContext(model);
  return capturingRegexes(at).flatMap((segment) => segment.flatMap((d) => regexSite(context, at, d) ?? []));
}

/**
 * The regexes whose numbered captures `at` reads: its own (a rewrite, a map entry), else the `if` it
 * stands in, else those run for its location, the server's rewrites and ifs among them unless the
 * location is a regex one: every match sets the captures anew (`r->ncaptures = rc * 2` in
 * ngx_http_regex_exec, src/http/ngx_http_variables.c), and the location's comes after the server's.
 */
function capturingRegexes(at: ConfigDirective): ReadonlyArray<readonly ConfigDirective[]> {
  if (at.parent.owner?.node.name === 'map' || at.node.name === 'rewrite') return [[at]];
  const inIf = at.parent.owner?.node.name === 'if' ? at.parent.owner : undefined;
  if (inIf && regexOf(inIf)) return [[inIf]];
  const scope = scopeOf(at);
  if (!scope) return [];
  const own = regexesOfScope(scope);
  const server = serverOfScope(scope);
  if (!server || server === scope || (scope.owner && scope.context === 'http.location' && regexOf(scope.owner))) return [own];
  return [rewritePhase(server).regexes, own];
}

function captureAlternatives(ctx: Context, at: ConfigDirective, n: number, shown: string): Alternative[] {
  const out: Alternative[] = [];
  for (const site of captureSites(ctx.model, at, ctx)) {
    if (n > site.regex.groups) continue;
    const a = automatonOf(site.regex);
    if (!a) continue;
    const shape = n === 0 ? undefined : captureShape(a, n);
    for (const subject of site.subject) {
      const bytes = (shape ? shape.bytes : ByteSet.ALL).intersect(subject.bytes);
      const slash = shape ? shape.first.equals(ByteSet.chars('/')) && !shape.canBeEmpty : subject.slash;
      out.push({
        kind: subject.kind,
        bytes,
        slash,
        trail: extended(subject.trail, (head) => `${shown}, a capture of ${site.label()}, which nginx matches against ${head ?? 'its subject'}`),
        via: [site.directive, ...subject.via],
        source: { capture: { directive: site.directive, regex: site.regex, group: n, subject } },
      });
    }
  }
  return out.length > 0 ? distinct(out) : [{ ...LITERAL, trail: () => [`${shown} (empty: no regex sets it here)`] }];
}

/**
 * What a named capture can hold at `at`. The nearest regexes run before it that name the capture set
 * it (a map entry's own key, a rewrite's own regex, the location's regex...), as nginx stores a named
 * capture when its regex matches; only when none does can it come from a regex anywhere else (a map
 * evaluated earlier, a location before an internal redirect). Nearest first also keeps this linear: N
 * locations or map entries that each use their own capture do not each follow all N regexes.
 */
function namedCaptureAlternatives(ctx: Context, at: ConfigDirective, name: string): Alternative[] | undefined {
  const index = indexOf(ctx.model);
  const entries = index.named.get(name);
  if (!entries) return undefined;
  for (const tier of regexTiers(at)) {
    const near = tier.flatMap((segment) => namedCapturesIn(ctx.model, segment, name));
    if (near.length > 0) return distinct(near.flatMap((entry) => namedAlternatives(ctx, at, entry)));
  }
  return distinct(entries.flatMap((entry) => namedAlternatives(ctx, at, entry)));
}

/** The named captures called `name` of a list of regexes. */
function namedCapturesIn(model: ConfigModel, regexes: readonly ConfigDirective[], name: string): readonly NamedCapture[] {
  // one regex (a map entry's, a rewrite's own) is asked about once: its few captures are read as they are
  if (regexes.length === 1) return indexOf(model).namedAt.get(regexes[0]!)?.filter((capture) => capture.name === name) ?? [];
  return namedIn(model, regexes).get(name) ?? [];
}

const NAMED_IN = modelMemoKey<Map<readonly ConfigDirective[], Map<string, NamedCapture[]>>>('named captures of each list of regexes');

/** The named captures of a list of regexes, by name (made once for a server's rewrites, shared by its locations). */
function namedIn(model: ConfigModel, regexes: readonly ConfigDirective[]): Map<string, NamedCapture[]> {
  const known = model.memo(NAMED_IN, () => new Map());
  let byName = known.get(regexes);
  if (!byName) {
    byName = new Map();
    const index = indexOf(model);
    for (const d of regexes) for (const capture of index.namedAt.get(d) ?? []) addTo(byName, capture.name, capture);
    known.set(regexes, byName);
  }
  return byName;
}

function namedAlternatives(ctx: Context, at: ConfigDirective, entry: NamedCapture): Alternative[] {
  const a = automatonOf(entry.regex);
  const shape = a ? captureShape(a, entry.group) : undefined;
  let subject: readonly Alternative[];
  if (entry.kind === 'uri') subject = builtinSubject('uri');
  else if (entry.kind === 'if') subject = subjectOf(ctx, entry.site, entry.site.node.args[0]!.value.replace(/^\(/, ''));
  else if (entry.kind === 'map') subject = subjectOf(ctx, at, entry.site.parent.owner!.node.args[0]!.value);
  else subject = builtinSubject('host');
  return subject.map((s) => ({
    kind: s.kind,
    bytes: (shape?.bytes ?? ByteSet.ALL).intersect(s.bytes),
    slash: false,
    trail: extended(s.trail, (head) => `$${entry.name}, a named capture of "${entry.pattern}" at ${where(entry.site)}, which nginx matches against ${head ?? 'its subject'}`),
    via: [entry.site, ...s.via],
    source: { capture: { directive: entry.site, regex: entry.regex, group: entry.group, subject: s } },
  }));
}

function fromDefinitions(ctx: Context, defs: ConfigDirective[], name: string): Alternative[] {
  const out: Alternative[] = [];
  for (const d of defs) {
    const value = d.node.args[1]!.value;
    const how = d.node.name === 'auth_request_set' ? 'set by auth_request_set' : 'set';
    const parts = evaluateIn(ctx, d, value);
    const variables = parts.filter((p) => !p.literal);
    if (variables.length === 0) {
      out.push({ kind: 'literal', bytes: ByteSet.chars(value), slash: value.startsWith('/'), trail: () => [`$${name}, ${how} to "${value}" at ${where(d)}`], via: [d], value });
      continue;
    }
    for (const p of variables) {
      for (const alt of p.alternatives) {
        out.push({ ...alt, slash: alt.slash && parts[0] === p, trail: extended(alt.trail, (head) => `$${name}, ${how} at ${where(d)} from ${head ?? p.text}`), via: [d, ...alt.via] });
      }
    }
  }
  return distinct(out);
}

type AlternativesByName = Map<string, Alternative[]>;

/**
 * `compute()`, kept for the model under `key` and `name`: for what does not depend on where it is
 * asked. Unless a cycle or MAX_DEPTH cut it short: then it does.
 */
function keptForModel(ctx: Context, key: ModelMemoKey<AlternativesByName>, name: string, compute: () => Alternative[]): Alternative[] {
  const known = ctx.model.memo(key, () => new Map());
  const kept = known.get(name);
  if (kept) return kept;
  const cutsBefore = ctx.cuts;
  const alternatives = compute();
  if (ctx.cuts === cutsBefore) known.set(name, alternatives);
  return alternatives;
}

const SET_ANYWHERE = modelMemoKey<AlternativesByName>('alternatives of each variable from all its definitions');

/**
 * A variable no definition sets where it is used: any of them can have set it (before an internal
 * redirect). The same for every such use (each definition is evaluated where it stands): 2,000
 * locations that use a variable 2,000 others set each followed all 2,000 definitions.
 */
function fromAnyDefinition(ctx: Context, defs: ConfigDirective[], name: string): Alternative[] {
  return keptForModel(ctx, SET_ANYWHERE, name, () => fromDefinitions(ctx, defs, name));
}

const MAPPED = modelMemoKey<AlternativesByName>('alternatives of each map variable');

/** What a map variable can hold: each entry's value, evaluated where the entry stands (not where the variable is used). */
function fromMaps(ctx: Context, maps: ConfigDirective[], name: string): Alternative[] {
  return keptForModel(ctx, MAPPED, name, () => mapAlternatives(ctx, maps, name));
}

function mapAlternatives(ctx: Context, maps: ConfigDirective[], name: string): Alternative[] {
  const out: Alternative[] = [];
  for (const map of maps) {
    for (const entry of map.block!.items) {
      if (entry.node.terminator !== ';' || ['hostnames', 'volatile', 'include'].includes(entry.node.name)) continue;
      const value = entry.node.args[0]?.value ?? '';
      const parts = evaluateIn(ctx, entry, value);
      const variables = parts.filter((p) => !p.literal);
      if (variables.length === 0) continue;
      for (const p of variables) {
        for (const alt of p.alternatives) {
          out.push({ ...alt, trail: extended(alt.trail, (head) => `$${name}, mapped by the entry "${entry.node.name}" at ${where(entry)} to ${head ?? p.text}`), via: [entry, ...alt.via] });
        }
      }
    }
  }
  return out.length > 0 ? distinct(out) : [{ ...LITERAL, trail: () => [`$${name}, mapped to literal values at ${where(maps[0]!)}`], via: [maps[0]!] }];
}

/** Beyond this many alternatives for one variable, those alike (kind, bytes, leading slash) are kept once. */
const MANY_ALTERNATIVES = 64;

/**
 * The alternatives, the first of each kind of bytes when there are many: what the rules ask of a value
 * (can the client put a line feed in it?) is the same for alike ones, and maps of maps of thousands of
 * entries would otherwise multiply (500 entries each reading a map of 500: a quarter of a million).
 */
function distinct(alternatives: Alternative[]): Alternative[] {
  if (alternatives.length <= MANY_ALTERNATIVES) return alternatives;
  // (by the hash of their bytes: a string key for each of thousands of alternatives was most of the work)
  const kept: Alternative[] = [];
  const byHash = new Map<number, Alternative[]>();
  for (const a of alternatives) {
    const hash = a.bytes.hash();
    const alike = byHash.get(hash);
    if (alike?.some((b) => b.kind === a.kind && b.slash === a.slash && b.bytes.equals(a.bytes))) continue;
    if (alike) alike.push(a);
    else byHash.set(hash, [a]);
    kept.push(a);
  }
  return kept;
}

function variableAlternatives(ctx: Context, at: ConfigDirective, name: string, shown: string): Alternative[] {
  const scope = scopeOf(at);
  const index = indexOf(ctx.model);
  const local = scope ? definitionsIn(scope, name) : undefined;
  if (local) return fromDefinitions(ctx, local, name);
  const maps = index.maps.get(name);
  if (maps) return fromMaps(ctx, maps, name);
  const named = namedCaptureAlternatives(ctx, at, name);
  if (named && named.length > 0) return named;
  const builtin = builtinOrigin(name);
  if (builtin) return [{ kind: builtin.kind, bytes: builtin.bytes, slash: builtin.slash ?? false, trail: () => [`${shown}, ${builtin.description}`], via: [], source: { builtin: name } }];
  const literal = index.literal.get(name);
  if (literal) return [{ ...LITERAL, trail: () => [`${shown}, from the ${literal.node.name} block at ${where(literal)}`], via: [literal] }];
  const anywhere = index.sets.get(name);
  if (anywhere && !index.opaque.has(name)) return fromAnyDefinition(ctx, anywhere, name);
  return [{ kind: 'unknown', bytes: ByteSet.ALL, slash: false, trail: () => [`${shown} (a variable kasmlint cannot follow)`], via: [] }];
}

function evaluateIn(ctx: Context, at: ConfigDirective, value: string): Part[] {
  const parts: Part[] = [];
  let last = 0;
  for (const ref of references(value)) {
    if (ref.start > last) parts.push({ start: last, end: ref.start, text: value.slice(last, ref.start), literal: true, alternatives: [] });
    const shown = value.slice(ref.start, ref.end);
    const key = `${ref.name}`;
    let alternatives: Alternative[];
    if (ctx.depth >= MAX_DEPTH || ctx.resolving.has(key)) {
      ctx.cuts++;
      alternatives = [{ kind: 'unknown', bytes: ByteSet.ALL, slash: false, trail: () => [`${shown} (defined in terms of itself)`], via: [] }];
    } else {
      ctx.depth++;
      ctx.resolving.add(key);
      try {
        alternatives = ref.capture !== undefined ? captureAlternatives(ctx, at, ref.capture, shown) : variableAlternatives(ctx, at, ref.name, shown);
      } finally {
        ctx.depth--;
        ctx.resolving.delete(key);
      }
    }
    parts.push({ start: ref.start, end: ref.end, text: shown, literal: false, alternatives });
    last = ref.end;
  }
  if (last < value.length) parts.push({ start: last, end: value.length, text: value.slice(last), literal: true, alternatives: [] });
  return parts;
}

/** A map whose values are all literal text means the same wherever it is used. */
function literalMap(index: ModelIndex, name: string): boolean {
  const known = index.literalMaps;
  let literal = known.get(name);
  if (literal === undefined) {
    literal = index.maps.get(name)!.every((m) => m.block!.items.every((e) => !(e.node.args[0]?.value ?? '').includes('$')));
    known.set(name, literal);
  }
  return literal;
}

const PARTS = modelMemoKey<Map<unknown, Map<string, Part[]>>>('parts of values, by scope');
const GLOBAL = {};

/**
 * The parts of `value` (a directive argument as nginx reads it) as it is evaluated for `at`: literal
 * text, and variables with every origin they can have there.
 */
export function evaluate(model: ConfigModel, at: ConfigDirective, value: string): Part[] {
  if (!value.includes('$')) return value ? [{ start: 0, end: value.length, text: value, literal: true, alternatives: [] }] : [];
  const byModel = model.memo(PARTS, () => new Map());
  // A value of built-in variables (or maps of fixed values) means the same everywhere: cached once.
  let global = byModel.get(GLOBAL);
  if (!global) byModel.set(GLOBAL, (global = new Map()));
  const known = global.get(value);
  if (known) return known;
  const simple = scopeFree(model, value);
  // otherwise captures depend on the directive itself for a rewrite (its own regex) and a map entry (its key)
  const own = at.node.name === 'rewrite' || at.parent.owner?.node.name === 'map';
  const scopeKey: unknown = simple ? GLOBAL : own ? at : at.parent;
  let byScope = byModel.get(scopeKey);
  if (!byScope) byModel.set(scopeKey, (byScope = new Map()));
  let parts = byScope.get(value);
  if (!parts) {
    parts = evaluateIn(newContext(model), at, value);
    byScope.set(value, parts);
  }
  return parts;
}

const SCOPE_FREE = modelMemoKey<Map<string, boolean>>('values free of scope');

/**
 * The value means the same wherever it is used: its variables are built-in (not redefined by `set`)
 * or maps of fixed values, and it has no captures. Rules may cache what they conclude about it.
 */
export function scopeFree(model: ConfigModel, value: string): boolean {
  const table = model.memo(SCOPE_FREE, () => new Map());
  let free = table.get(value);
  if (free === undefined) {
    const index = indexOf(model);
    free = references(value).every((r) => r.capture === undefined && !index.sets.has(r.name) && !index.named.has(r.name) && (index.maps.has(r.name) ? literalMap(index, r.name) : builtinOrigin(r.name) !== undefined));
    table.set(value, free);
  }
  return free;
}

/** The first alternative of any variable part that the client controls and that can hold one of `bytes`. */
export function controlledWith(parts: readonly Part[], bytes: ByteSet): { part: Part; alternative: Alternative } | undefined {
  for (const part of parts) {
    for (const alternative of part.alternatives) {
      if (clientControlled(alternative.kind) && alternative.bytes.overlaps(bytes)) return { part, alternative };
    }
  }
  return undefined;
}

/** The chain of an alternative as one sentence: "$path, set from $1 ..., which is $uri (...)". */
export function describeTrail(alternative: Alternative): string {
  return alternative.trail().join('; ');
}
