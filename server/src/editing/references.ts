// Find All References and Rename for the names a configuration defines and uses, across every file of
// it (a services.d file and the orchestrator.conf that includes it are one configuration):
// variables (set, map, geo, split_clients, auth_request_set, named regex captures, ...), upstream
// blocks and the *_pass directives that name them, limit_req / limit_conn zones, and named locations
// (per server, as nginx looks them up). Offsets only; no LSP types.

import type { ProjectAnalysis } from '../engine/analyze';
import { type ConfigBlock, type ConfigDirective, modelMemoKey } from '../model/config';
import type { Directive, Token } from '../nginx/ast';
import { builtinVariable } from './builtin-variables';
import { locate } from './locate';
import { definingArgument, PASS_DIRECTIVES } from './symbols';

export type SymbolKind = 'variable' | 'upstream' | 'limit_req zone' | 'limit_conn zone' | 'named location';

export interface Occurrence {
  file: string;
  /** Offsets of the name itself (no `$`, `@` or `zone=`). */
  start: number;
  end: number;
  definition: boolean;
}

interface SymbolEntry {
  kind: SymbolKind;
  name: string;
  occurrences: Occurrence[];
}

interface Index {
  symbols: Map<string, SymbolEntry>;
  /** The names standing in each directive, with the symbol they belong to (one per scope it is read in). */
  at: Map<Directive, Array<{ start: number; end: number; key: string }>>;
}

const VARIABLE = /\$(\{)?([A-Za-z_][A-Za-z0-9_]*)(\})?/g;
const CAPTURE = /\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>|\(\?'([A-Za-z_][A-Za-z0-9_]*)'/g;
/** Directives whose arguments may hold regular expressions with named captures. */
const REGEX_HOLDERS = new Set(['location', 'if', 'rewrite', 'server_name']);
const NAMED_LOCATION_USERS = new Set(['error_page', 'try_files', 'post_action']);
const NAMESPACES = new Set(['http', 'stream', 'mail']);

/** Where nginx looks a name up: the http, stream or mail block (named locations: the server). */
function scopeOf(d: ConfigDirective, kind: SymbolKind): ConfigBlock {
  let block: ConfigBlock = d.parent;
  for (;;) {
    if (kind === 'named location' ? block.context === 'http.server' : NAMESPACES.has(block.context)) return block;
    if (!block.parent) return block;
    block = block.parent;
  }
}

/** A word as written (quotes included): names are found in it at their offsets. */
function raw(d: ConfigDirective, token: Token): string {
  return d.file.text.slice(token.start, token.end);
}

/** Where a word's value starts in the text, when it is written as is (no escapes), quoted or not. */
function plainStart(d: ConfigDirective, token: Token | undefined): number | undefined {
  if (!token) return undefined;
  const written = raw(d, token);
  if (written === token.value) return token.start;
  return token.quote && written === `${token.quote}${token.value}${token.quote}` ? token.start + 1 : undefined;
}

const scopeOfKey = (key: string) => key.slice(key.lastIndexOf('\0') + 1);

const INDEX = modelMemoKey<Index>('symbols and where they occur');

function indexOf(analysis: ProjectAnalysis): Index {
  // (an analysis and its model come and go together)
  return analysis.model.memo(INDEX, () => newIndex(analysis));
}

function newIndex(analysis: ProjectAnalysis): Index {
  const built: Index = { symbols: new Map(), at: new Map() };
  const scopeIds = new Map<ConfigBlock, number>();
  const seen = new Set<string>();
  const add = (d: ConfigDirective, kind: SymbolKind, name: string, start: number, definition: boolean) => {
    const scope = scopeOf(d, kind);
    if (!scopeIds.has(scope)) scopeIds.set(scope, scopeIds.size);
    const key = `${kind}\0${name}\0${scopeIds.get(scope)}`;
    const unique = `${key}\0${d.file.path}\0${start}`;
    if (seen.has(unique)) return; // a file read twice in one scope
    seen.add(unique);
    let entry = built.symbols.get(key);
    if (!entry) built.symbols.set(key, (entry = { kind, name, occurrences: [] }));
    entry.occurrences.push({ file: d.file.path, start, end: start + name.length, definition });
    const list = built.at.get(d.node) ?? [];
    list.push({ start, end: start + name.length, key });
    built.at.set(d.node, list);
  };
  for (const d of analysis.model.directives()) collect(d, add);
  return built;
}

type Add = (d: ConfigDirective, kind: SymbolKind, name: string, start: number, definition: boolean) => void;

function collect(d: ConfigDirective, add: Add): void {
  const node = d.node;
  const args = node.args;
  // variables: `$name` and `${name}` in any argument; the definer's own argument defines it
  const defining = definingArgument(node);
  for (const token of args) {
    const text = raw(d, token);
    for (const m of text.matchAll(VARIABLE)) {
      if (m[1] && !m[3]) continue; // `${name` without its brace is not a variable
      const start = token.start + m.index + 1 + (m[1] ? 1 : 0);
      add(d, 'variable', m[2]!, start, token === defining && m.index === (token.quote ? 1 : 0));
    }
  }
  // named captures of regular expressions define variables too
  const inMap = d.parent.owner?.node.name === 'map';
  const regexTokens = REGEX_HOLDERS.has(node.name) ? args : inMap ? [node.nameToken] : [];
  for (const token of regexTokens) {
    for (const m of raw(d, token).matchAll(CAPTURE)) {
      const name = m[1] ?? m[2]!;
      add(d, 'variable', name, token.start + m.index + m[0].indexOf(name), true);
    }
  }
  // upstream blocks and the *_pass directives that name them (a host:port is a host, not an upstream)
  const first = plainStart(d, args[0]);
  if (node.name === 'upstream' && node.block && first !== undefined) add(d, 'upstream', args[0]!.value, first, true);
  if (PASS_DIRECTIVES.has(node.name) && args[0]) {
    const text = raw(d, args[0]);
    const m = /^(["']?(?:[A-Za-z][A-Za-z0-9+.-]*:\/\/)?)([^/:$\s"';?#{}\\]+)(.?)/.exec(text);
    if (m && m[3] !== ':') add(d, 'upstream', m[2]!, args[0].start + m[1]!.length, false);
  }
  // shared memory zones of limit_req and limit_conn
  if (node.name === 'limit_req_zone' || node.name === 'limit_conn_zone' || node.name === 'limit_req') {
    const kind: SymbolKind = node.name === 'limit_conn_zone' ? 'limit_conn zone' : 'limit_req zone';
    for (const token of args) {
      const m = /^(["']?zone=)([^:"']+)/.exec(raw(d, token));
      if (m) add(d, kind, m[2]!, token.start + m[1]!.length, node.name !== 'limit_req');
    }
  }
  if (node.name === 'limit_conn' && first !== undefined) add(d, 'limit_conn zone', args[0]!.value, first, false);
  // named locations, used by error_page, try_files and post_action
  if (node.name === 'location' && args.length === 1 && first !== undefined && args[0]!.value.startsWith('@')) {
    add(d, 'named location', args[0]!.value.slice(1), first + 1, true);
  }
  const last = args[args.length - 1];
  if (NAMED_LOCATION_USERS.has(node.name) && last?.value.startsWith('@') && raw(d, last) === last.value) {
    add(d, 'named location', last.value.slice(1), last.start + 1, false);
  }
}

export interface SymbolAt {
  kind: SymbolKind;
  name: string;
  start: number;
  end: number;
  /** Every occurrence, in every scope the position is read in. */
  occurrences: Occurrence[];
  /** Those scopes (the http, stream or mail block, or the server of a named location). */
  scopes: string[];
}

/** The name at `offset` of a file (on it, or right after it), with all its occurrences. */
export function symbolAt(analysis: ProjectAnalysis, path: string, offset: number): SymbolAt | undefined {
  const file = analysis.model.files.get(path);
  const directive = file ? locate(file, offset).directive : undefined;
  if (!directive) return undefined;
  const index = indexOf(analysis);
  const here = (index.at.get(directive) ?? []).filter((e) => e.start - 1 <= offset && offset <= e.end);
  if (here.length === 0) return undefined;
  const first = here[0]!;
  const keys = new Set(here.filter((e) => e.start === first.start).map((e) => e.key));
  const entries = [...keys].map((k) => index.symbols.get(k)!);
  const occurrences = new Map<string, Occurrence>();
  for (const entry of entries) for (const o of entry.occurrences) occurrences.set(`${o.file}\0${o.start}`, o);
  const sorted = [...occurrences.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.start - b.start));
  return { kind: entries[0]!.kind, name: entries[0]!.name, start: first.start, end: first.end, occurrences: sorted, scopes: [...keys].map(scopeOfKey) };
}

/** Every place the name at `offset` stands, its definitions included or not. */
export function referencesAt(analysis: ProjectAnalysis, path: string, offset: number, includeDefinitions: boolean): Occurrence[] {
  const symbol = symbolAt(analysis, path, offset);
  if (!symbol) return [];
  return symbol.occurrences.filter((o) => includeDefinitions || !o.definition);
}

export type RenameCheck = { ok: true; symbol: SymbolAt } | { ok: false; message: string };

function display(kind: SymbolKind, name: string): string {
  if (kind === 'variable') return `$${name}`;
  if (kind === 'named location') return `@${name}`;
  return name;
}

/** Whether the name at `offset` can be renamed: it must be one the configuration defines. */
export function canRename(analysis: ProjectAnalysis, path: string, offset: number): RenameCheck | undefined {
  const symbol = symbolAt(analysis, path, offset);
  if (!symbol) return undefined;
  const shown = display(symbol.kind, symbol.name);
  const defined = symbol.occurrences.some((o) => o.definition);
  if (symbol.kind === 'variable') {
    const builtin = builtinVariable(symbol.name);
    if (builtin && !defined) return { ok: false, message: `${shown} is one of nginx's own variables (${builtin.module}): it cannot be renamed.` };
    if (!defined) return { ok: false, message: `${shown} is defined nowhere in this configuration (perhaps by a module kasmlint does not read): renaming its uses alone would break them.` };
    const lua = luaUse(analysis, symbol.name);
    if (lua) return { ok: false, message: `${shown} is also used in the Lua code of ${lua}: rename it there by hand.` };
  } else if (!defined) {
    const what = symbol.kind === 'upstream' ? `no upstream block is named ${shown}: it is a host name` : symbol.kind === 'named location' ? `no location ${shown} in this server` : `no ${symbol.kind.split(' ')[0]}_zone defines the zone ${shown}`;
    return { ok: false, message: `${what}; nothing to rename.` };
  }
  return { ok: true, symbol };
}

/** A Lua body of the configuration that reads `ngx.var.<name>`: a file name and line, or undefined. */
function luaUse(analysis: ProjectAnalysis, name: string): string | undefined {
  const pattern = new RegExp(`ngx\\.var(?:\\.${name}\\b|\\[\\s*["']${name}["']\\s*\\])`);
  for (const d of analysis.model.directives()) {
    const lua = d.node.block?.lua;
    if (!lua) continue;
    const m = pattern.exec(d.file.text.slice(lua.start, lua.end));
    if (m) return `${d.file.path.split('/').pop()}:${d.file.lines.positionAt(lua.start + m.index).line + 1}`;
  }
  return undefined;
}

const VALID_NAME: Record<SymbolKind, { pattern: RegExp; rule: string }> = {
  variable: { pattern: /^[A-Za-z_][A-Za-z0-9_]*$/, rule: 'letters, digits and _, not starting with a digit' },
  upstream: { pattern: /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, rule: 'letters, digits, _, . and -' },
  'limit_req zone': { pattern: /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, rule: 'letters, digits, _, . and -' },
  'limit_conn zone': { pattern: /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, rule: 'letters, digits, _, . and -' },
  'named location': { pattern: /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, rule: 'letters, digits, _, . and -' },
};

export type RenameResult = { ok: true; edits: Array<{ file: string; start: number; end: number; newText: string }> } | { ok: false; message: string };

/** The edits that rename the name at `offset` everywhere it stands, or why it cannot be renamed to `newName`. */
export function renameAt(analysis: ProjectAnalysis, path: string, offset: number, newName: string): RenameResult {
  const check = canRename(analysis, path, offset);
  if (!check) return { ok: false, message: 'Nothing that can be renamed stands here.' };
  if (!check.ok) return check;
  const { symbol } = check;
  const sigil = symbol.kind === 'variable' ? '$' : symbol.kind === 'named location' ? '@' : '';
  const name = sigil && newName.startsWith(sigil) ? newName.slice(1) : newName;
  const valid = VALID_NAME[symbol.kind];
  if (!valid.pattern.test(name)) return { ok: false, message: `"${newName}" is not a valid ${symbol.kind} name (${valid.rule}).` };
  if (name === symbol.name) return { ok: true, edits: [] };
  if (symbol.kind === 'variable') {
    const builtin = builtinVariable(name);
    if (builtin) return { ok: false, message: `$${name} is one of nginx's own variables (${builtin.module}): choose another name.` };
  }
  const taken = clash(analysis, symbol, name);
  if (taken) return { ok: false, message: `${display(symbol.kind, name)} is already defined (${taken}): choose another name.` };
  return { ok: true, edits: symbol.occurrences.map((o) => ({ file: o.file, start: o.start, end: o.end, newText: name })) };
}

/** Where a definition of `name` already stands, among the names of the renamed one's kind (zones: both kinds) and scopes. */
function clash(analysis: ProjectAnalysis, symbol: SymbolAt, name: string): string | undefined {
  const zones: SymbolKind[] = ['limit_req zone', 'limit_conn zone'];
  const kinds = zones.includes(symbol.kind) ? zones : [symbol.kind];
  for (const [key, entry] of indexOf(analysis).symbols) {
    if (entry.name !== name || !kinds.includes(entry.kind) || !symbol.scopes.includes(scopeOfKey(key))) continue;
    const definition = entry.occurrences.find((o) => o.definition);
    if (!definition) continue;
    const file = analysis.model.files.get(definition.file)!;
    return `${definition.file.split('/').pop()}:${file.lines.positionAt(definition.start).line + 1}`;
  }
  return undefined;
}

/** The names of every variable the configuration defines or uses. */
export function variableNames(analysis: ProjectAnalysis): Set<string> {
  const names = new Set<string>();
  for (const entry of indexOf(analysis).symbols.values()) if (entry.kind === 'variable') names.add(entry.name);
  return names;
}
