// Where a configuration uses and defines variables, as nginx compiles them: which arguments of which
// directives are scripts (their `$name` are variables), and which directives create variables (set,
// map, geo, split_clients, auth_request_set, perl_set, js_set, regex named captures). Variables are
// global to an http (or stream) block: a definition anywhere in it serves every use.

import { type ConfigBlock, type ConfigDirective, type ConfigModel, modelMemoKey, specOf } from '../model/config';
import { memoOf, type Directive, type Token, type VariableSite } from '../nginx/ast';
import type { DirectiveCatalog } from '../nginx/directives';
import { locationName } from './location';
import { compileScript } from './script';
import { valueKinds } from './value-table';
import type { VariableFamily } from './variables';

/** Arguments compiled as scripts, beyond those measured on the real nginx (value-table.ts). */
const COMPILED: Record<string, (args: readonly Token[]) => readonly Token[]> = {
  return: (args) => (args.length === 1 ? args : args.slice(1)),
  rewrite: (args) => args.slice(1, 2),
  set: (args) => args.slice(1, 2),
  proxy_pass: (args) => args,
  fastcgi_pass: (args) => args,
  uwsgi_pass: (args) => args,
  scgi_pass: (args) => args,
  grpc_pass: (args) => args,
  proxy_set_header: (args) => args.slice(1, 2),
  grpc_set_header: (args) => args.slice(1, 2),
  fastcgi_param: (args) => args.slice(1, 2),
  scgi_param: (args) => args.slice(1, 2),
  uwsgi_param: (args) => args.slice(1, 2),
  proxy_set_body: (args) => args,
  add_header: (args) => args.slice(1, 2),
  add_trailer: (args) => args.slice(1, 2),
  limit_req_zone: (args) => args.slice(0, 1),
  limit_conn_zone: (args) => args.slice(0, 1),
  map: (args) => args.slice(0, 1),
  geo: (args) => (args.length === 2 ? args.slice(0, 1) : []),
  split_clients: (args) => args.slice(0, 1),
  log_format: (args) => args.slice(1).filter((a, i) => !(i === 0 && a.value.startsWith('escape='))),
  access_log: (args) => [...args.slice(0, 1), ...args.slice(2).filter((a) => a.value.startsWith('if='))],
  error_page: (args) => args.slice(-1),
  try_files: (args) => args,
  root: (args) => args,
  alias: (args) => args,
  index: (args) => args,
  auth_request_set: (args) => args.slice(1, 2),
  // (a first word starting with "~" is a regex, not a compiled value)
  proxy_redirect: (args) => (args.length === 2 ? args.filter((a, i) => i === 1 || !a.value.startsWith('~')) : []),
  proxy_cookie_domain: (args) => (args.length === 2 ? args.filter((a, i) => i === 1 || !a.value.startsWith('~')) : []),
  proxy_cookie_path: (args) => (args.length === 2 ? args.filter((a, i) => i === 1 || !a.value.startsWith('~')) : []),
  // a zone named by variables is compiled (ngx_http_proxy_cache and its twins)
  proxy_cache: (args) => args,
  fastcgi_cache: (args) => args,
  uwsgi_cache: (args) => args,
  scgi_cache: (args) => args,
  // only in some servers (semantics/certificates.ts)
  ssl_certificate: (args) => args,
  ssl_certificate_key: (args) => args,
  hash: (args) => args.slice(0, 1),
  sub_filter: (args) => args,
  // the time after "modified"; nginx refuses two words of which the first is not "modified" before compiling
  expires: (args) => (args.length === 1 ? args : args[0]!.value === 'modified' ? args.slice(1) : []),
  limit_rate: (args) => args,
  limit_rate_after: (args) => args,
  auth_basic: (args) => args,
  auth_basic_user_file: (args) => args,
  secure_link: (args) => args,
  secure_link_md5: (args) => args,
  proxy_cache_key: (args) => args,
  proxy_no_cache: (args) => args,
  proxy_cache_bypass: (args) => args,
};

/** Directives whose values nginx compiles when the http (or stream) block ends (merge), after those read earlier. */
const COMPILED_AT_MERGE = new Set(['proxy_set_header', 'grpc_set_header', 'fastcgi_param', 'scgi_param', 'uwsgi_param', 'ssl_certificate', 'ssl_certificate_key']);

/** Whether nginx compiles a directive's values only when the http block ends (its errors are found there). */
export function compiledAtMerge(name: string): boolean {
  return COMPILED_AT_MERGE.has(name);
}

export interface VariableUse {
  name: string;
  directive: ConfigDirective;
  token: Token;
  /** Offset of the `$` in the file. */
  start: number;
  end: number;
  /** Compiled when the http block ends (after every directive read). */
  atMerge: boolean;
}

/** The offset in a token's text of its value's character `index` (past the opening quote). */
function inToken(token: Token, index: number): number {
  return (token.quote ? 1 : 0) + index;
}

/** Whether a directive is an entry of a `map` block (`key $variable;`: its value is compiled, 0.9.0). */
function isMapEntry(directive: ConfigDirective): boolean {
  return directive.parent.context === 'opaque' && directive.parent.owner?.node.name === 'map';
}

/** The tokens of a directive nginx compiles as scripts. */
export function compiledTokens(directive: ConfigDirective): readonly Token[] {
  const mapEntry = isMapEntry(directive);
  return directive.parent.context === 'opaque' && !mapEntry ? [] : compiledArguments(directive.node, mapEntry);
}

function compiledArguments(node: Directive, mapEntry: boolean): readonly Token[] {
  if (mapEntry) return node.args.slice(0, 1);
  const own = COMPILED[node.name];
  if (own) return own(node.args);
  const kinds = valueKinds(node.name, node.args.length);
  if (!kinds) return [];
  return node.args.filter((_, i) => {
    const kind = kinds[i];
    return kind !== null && kind !== undefined && 'variables' in kind && kind.variables === true;
  });
}

const NO_SITES: readonly VariableSite[] = [];

/**
 * Whether any argument has a "$": most directives have none, and this is asked of every directive of
 * the configuration (a plain loop: no callback, and no memo made for a directive without variables).
 */
export function argumentsHaveDollar(node: Directive): boolean {
  const { args } = node;
  for (let i = 0; i < args.length; i++) if (args[i]!.value.includes('$')) return true;
  return false;
}

/** Adds the variables one directive uses (the `if` condition's subject and operand included) to `uses`. */
function addVariableUses(directive: ConfigDirective, uses: VariableUse[]): void {
  const { node } = directive;
  // memcached_pass reads $memcached_key, which only `set` makes (ngx_http_memcached_pass looks up its index)
  if (node.name === 'memcached_pass' && directive.parent.context !== 'opaque') {
    uses.push({ name: 'memcached_key', directive, token: node.nameToken, start: node.nameToken.start, end: node.nameToken.end, atMerge: false });
  }
  if (!argumentsHaveDollar(node)) return;
  let sites: readonly VariableSite[];
  if (directive.parent.context !== 'opaque') {
    const memo = memoOf(node);
    sites = memo.variableSites ??= variableSites(node, false);
  } else if (isMapEntry(directive)) {
    const memo = memoOf(node);
    sites = memo.mapEntryVariableSites ??= variableSites(node, true);
  } else sites = NO_SITES;
  for (const site of sites) {
    const token = site.word < 0 ? node.nameToken : node.args[site.word]!;
    uses.push({ name: site.name, directive, token, start: token.start + site.from, end: token.start + site.to, atMerge: site.atMerge });
  }
}

/**
 * Directives whose argument is a charset's name, or a variable's when it starts with "$": all the rest
 * is the name, as written (ngx_http_set_charset_slot); a "$" elsewhere is part of a charset's name.
 */
const CHARSET_OR_VARIABLE = new Set(['charset', 'source_charset']);

/** Where a directive uses variables, from its words alone (see DirectiveMemo). */
function variableSites(node: Directive, mapEntry: boolean): readonly VariableSite[] {
  // (asked only of directives with a "$" in their arguments: see addVariableUses)
  if (CHARSET_OR_VARIABLE.has(node.name) && !mapEntry) {
    const arg = node.args[0]!;
    if (!arg.value.startsWith('$') || arg.value.length === 1) return NO_SITES;
    return [{ name: arg.value.slice(1), word: 0, from: inToken(arg, 0), to: inToken(arg, arg.value.length), atMerge: false }];
  }
  const sites: VariableSite[] = [];
  const atMerge = COMPILED_AT_MERGE.has(node.name);
  if (node.name === 'if' && !mapEntry) {
    const words = node.args.map((a) => a.value);
    const first = words[0]?.replace(/^\(/, '') ?? '';
    const subject = first === '' ? words[1] : first;
    const subjectWord = first === '' ? 1 : 0;
    const subjectToken = node.args[subjectWord];
    if (subject && subjectToken && subject.startsWith('$')) {
      const name = subject.slice(1).replace(/\)$/, '');
      const shift = first === '' ? 0 : 1;
      sites.push({ name, word: subjectWord, from: inToken(subjectToken, shift), to: inToken(subjectToken, shift + 1 + name.length), atMerge: false });
    }
    const operatorIndex = first === '' ? 2 : 1;
    const operator = words[operatorIndex];
    // the operand follows the operator; the condition's ")" may be glued to it or stand alone
    const operandAt = (index: number) => {
      const operand = node.args[index];
      if (operand && operand.value !== ')') addSites(sites, node, operand, index === node.args.length - 1 ? operand.value.replace(/\)$/, '') : operand.value, atMerge);
    };
    if (operator === '=' || operator === '!=') operandAt(operatorIndex + 1);
    if (subject && /^!?-[fdex]$/.test(subject)) operandAt(first === '' ? 2 : 1);
    return sites.length > 0 ? sites : NO_SITES;
  }
  for (const token of compiledArguments(node, mapEntry)) addSites(sites, node, token, token.value, atMerge);
  return sites.length > 0 ? sites : NO_SITES;
}

/** Adds to `sites` the variables of `text`, the value of `token` (or its start: a condition's ")" cut off). */
function addSites(sites: VariableSite[], node: Directive, token: Token, text: string, atMerge: boolean): void {
  const { variables } = compileScript(text);
  if (variables.length === 0) return;
  const word = token === node.nameToken ? -1 : node.args.indexOf(token);
  for (const ref of variables) sites.push({ name: ref.name, word, from: inToken(token, ref.start), to: inToken(token, ref.end), atMerge });
}

/** Named captures of a PCRE regex: (?<name>...), (?P<name>...), (?'name'...). */
export function namedCaptures(regex: string): string[] {
  return [...regex.matchAll(/\(\?(?:P?<([A-Za-z_][A-Za-z0-9_]*)>|'([A-Za-z_][A-Za-z0-9_]*)')/g)].map((m) => m[1] ?? m[2]!);
}

/** The regexes a directive compiles (location ~, server_name ~, if ~, rewrite, proxy_redirect ~ and the cookie rewrites; map keys apart). */
function regexesOf(directive: ConfigDirective): string[] {
  const { node } = directive;
  switch (node.name) {
    case 'location': {
      const location = locationName(directive);
      return location?.regex ? [location.name] : [];
    }
    case 'server_name':
      return node.args.filter((a) => a.value.startsWith('~')).map((a) => a.value.replace(/^~\*?/, ''));
    case 'rewrite':
      return node.args.slice(0, 1).map((a) => a.value);
    case 'if': {
      const words = node.args.map((a) => a.value);
      const op = words.findIndex((w) => /^!?~\*?$/.test(w));
      if (op < 0 || op === words.length - 1) return [];
      return [op + 1 === words.length - 1 ? words[op + 1]!.replace(/\)$/, '') : words[op + 1]!];
    }
    // a first word starting with "~" is a regex nginx compiles with ngx_http_regex_compile, whose named
    // captures become variables as any other regex's do
    case 'proxy_redirect':
    case 'proxy_cookie_domain':
    case 'proxy_cookie_path':
    case 'proxy_cookie_flags':
      return node.args.slice(0, 1).filter((a) => a.value.startsWith('~')).map((a) => a.value.replace(/^~\*?/, ''));
    default:
      return [];
  }
}

/** Directives whose first argument is the variable they create. */
const DEFINES_FIRST: ReadonlySet<string> = new Set(['set', 'auth_request_set', 'perl_set', 'js_set', 'set_by_lua', 'set_by_lua_block', 'set_by_lua_file']);

/** Directives that create a variable named by one of their arguments (see createdVariableArgument). */
export const VARIABLE_CREATORS: readonly string[] = [...DEFINES_FIRST, 'map', 'split_clients', 'geo'];

/** Every directive whose arguments definedVariables reads (a variable's name, or a regex's named captures). */
export const VARIABLE_DEFINERS: readonly string[] = [...VARIABLE_CREATORS, 'location', 'server_name', 'rewrite', 'if', 'proxy_redirect', 'proxy_cookie_domain', 'proxy_cookie_path', 'proxy_cookie_flags'];

/** Which argument of a directive named `name` (of `argCount` arguments) names the variable it creates, if it creates one. */
export function createdVariableArgument(name: string, argCount: number): number | undefined {
  if (DEFINES_FIRST.has(name)) return 0;
  if (name === 'map' || name === 'split_clients') return 1;
  return name === 'geo' ? argCount - 1 : undefined;
}

/**
 * The variables a block of the configuration (an http or stream block, or a root) defines anywhere
 * inside: found through the model's index of the directives that can define one, among those read
 * between the block's start and its end (a walk of every directive of the block cost as much as the
 * rest of the rule on a large configuration, and was made again at each edit).
 */
export function definedVariables(model: ConfigModel, block: ConfigBlock): Set<string> {
  const after = block.owner ? block.owner.seq : block.root.seqStart - 1;
  const end = block.endSeq ?? Number.POSITIVE_INFINITY;
  const inside = (d: ConfigDirective) => d.seq > after && d.seq < end;
  const defined = new Set<string>();
  const addName = (text: string | undefined) => {
    if (text?.startsWith('$') && text.length > 1) defined.add(text.slice(1).toLowerCase());
  };
  for (const name of VARIABLE_DEFINERS) {
    for (const directive of model.named(name)) {
      if (!inside(directive)) continue;
      const { node } = directive;
      const created = createdVariableArgument(node.name, node.args.length);
      if (created !== undefined) addName(node.args[created]?.value);
      for (const regex of regexesOf(directive)) for (const captured of namedCaptures(regex)) defined.add(captured.toLowerCase());
    }
  }
  // a map's regex keys: their named captures are variables too
  for (const map of model.named('map')) {
    if (!inside(map) || map.block?.context !== 'opaque') continue;
    for (const entry of map.block.items) {
      if (!entry.node.name.startsWith('~')) continue;
      for (const captured of namedCaptures(entry.node.name.replace(/^~\*?/, ''))) defined.add(captured.toLowerCase());
    }
  }
  return defined;
}

/** The http or stream block a directive belongs to (its root's top block when the root is http). */
export function variableScope(directive: ConfigDirective): { block: ConfigBlock; family: VariableFamily } | undefined {
  for (let block: ConfigBlock | undefined = directive.parent; block; block = block.parent) {
    if (block.context === 'http') return { block, family: 'http' };
    if (block.context === 'stream') return { block, family: 'stream' };
  }
  return undefined;
}

/** Whether nginx runs the directive's handler: it is complete and valid where it stands (map entries: the map is). */
function handled(directive: ConfigDirective, catalog: DirectiveCatalog): boolean {
  if (directive.node.terminator === null) return false;
  const owner = directive.parent.context === 'opaque' ? directive.parent.owner : directive;
  return owner !== undefined && specOf(catalog, owner) !== undefined;
}

/** The variable uses of these directives (in the order given), as allVariableUses lists them. */
export function variableUsesIn(directives: readonly ConfigDirective[], catalog: DirectiveCatalog): VariableUse[] {
  const found: VariableUse[] = [];
  for (let i = 0; i < directives.length; i++) if (handled(directives[i]!, catalog)) addVariableUses(directives[i]!, found);
  return found;
}

/** Every variable use of a model, with its scope, in nginx's reading order (merge-time uses after). */
const ALL_USES = modelMemoKey<Map<DirectiveCatalog, readonly VariableUse[]>>('variable uses');

export function allVariableUses(model: ConfigModel, catalog: DirectiveCatalog): readonly VariableUse[] {
  const byCatalog = model.memo(ALL_USES, () => new Map());
  let uses = byCatalog.get(catalog);
  if (!uses) {
    byCatalog.set(catalog, (uses = variableUsesIn(model.directives(), catalog)));
  }
  return uses;
}
