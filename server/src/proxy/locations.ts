// What the reverse-proxy rules need to know about locations and headers: which locations proxy or
// serve responses to browsers, the headers in effect there (after nginx's inheritance), and how to add
// directives to a level without dropping what it inherited.

import { basename } from 'node:path';
import { lineBreakOf } from '../core/text';
import { type ConfigBlock, type ConfigDirective, type ConfigModel, modelMemoKey } from '../model/config';
import { effective, inheritanceGroup } from '../model/effective';
import { insertIntoBlock, insertLinesAfter } from '../rules/edits';
import type { EditSpec } from '../rules/rule';
import { addTo } from '../core/maps';
import { rulesAt } from './access';

export interface LocationInfo {
  block: ConfigBlock;
  directive: ConfigDirective;
  /** The location's own proxy_pass (not inherited: nginx does not inherit it). */
  proxyPass?: ConfigDirective;
  internal: boolean;
  named: boolean;
  /** Answers browsers directly: not internal, not a named location. */
  public: boolean;
  /**
   * Every answer is a status without a page of this location's own: a `return` of 204, a redirect or an
   * error (`return` runs in the rewrite phase, before anything else), or `deny all` for every client.
   */
  statusOnly: boolean;
}

/**
 * The directives whose presence or arguments decide what `locations`, `servingLocations` and
 * `internalOnly` say of a location: the `reads` of every rule that asks them (rules/rule.ts).
 */
export const LOCATION_READS: readonly string[] = ['allow', 'deny', 'internal', 'location', 'proxy_pass', 'return', 'satisfy'];

const LOCATIONS = modelMemoKey<LocationInfo[]>('locations');

/**
 * The locations of `list` a rule checking each location on its own checks: all of them, or across an
 * edit inside a location those of `only` (RuleContext.locations).
 */
export function locationsToCheck(list: LocationInfo[], only: ReadonlySet<ConfigBlock> | undefined): LocationInfo[] {
  return only ? list.filter((l) => only.has(l.block)) : list;
}

/** Every http location of the model, once per place it is included. */
export function locations(model: ConfigModel): LocationInfo[] {
  return model.memo(LOCATIONS, () => {
    const list: LocationInfo[] = [];
    for (const d of model.named('location')) {
      if (!d.block || d.block.context !== 'http.location') continue;
      const block = d.block;
      const internal = block.items.some((i) => i.node.name === 'internal');
      const named = d.node.args[0]?.value.startsWith('@') ?? false;
      const proxyPass = block.items.find((i) => i.node.name === 'proxy_pass' && i.node.terminator === ';');
      const ret = block.items.find((i) => i.node.name === 'return' && i.node.terminator === ';');
      const code = ret?.node.args[0]?.value ?? '';
      const statusOnly = ret ? /^(204|[345]\d\d)$/.test(code) || /^https?:\/\//.test(code) : deniesEveryone(block);
      list.push({ block, directive: d, proxyPass, internal, named, public: !internal && !named, statusOnly });
    }
    return list;
  });
}

/**
 * `deny all` reached before any `allow`, for every client (ngx_http_access_module: the first rule that
 * matches decides, nginx/nginx src/http/modules/ngx_http_access_module.c, ngx_http_access_inet), and no
 * `satisfy any` that would let an authenticated client through.
 */
function deniesEveryone(block: ConfigBlock): boolean {
  // asked of every location: a configuration without any deny answers at once
  if (block.root.model.named('deny').length === 0) return false;
  // allow and deny are one group: the level that sets either is the level both come from
  const level = effective(block, 'deny', LATEST).level;
  if (!level) return false;
  const first = rulesAt(level).find((d) => d.node.name === 'allow' || d.node.args[0]?.value === 'all');
  if (first?.node.name !== 'deny') return false;
  return effective(block, 'satisfy', LATEST).directives.at(-1)?.node.args[0]?.value.toLowerCase() !== 'any';
}

/** Version-independent questions (allow, deny, satisfy, return) need no particular nginx version. */
const LATEST = '9.9.9';

/** Health checks answer load balancers and monitors, not browsers. */
function isHealthCheck(l: LocationInfo): boolean {
  return /health|^\/(ping|status)$/i.test(l.directive.node.args[l.directive.node.args.length - 1]?.value ?? '');
}

/** The locations that answer browsers with content: public, not only a status (a redirect, 204, 403), not a health check. */
export function servingLocations(model: ConfigModel): LocationInfo[] {
  return model.memo(SERVING, () => locations(model).filter((l) => l.public && !l.statusOnly && !isHealthCheck(l)));
}

const SERVING = modelMemoKey<LocationInfo[]>('serving locations');
const PAGES = modelMemoKey<Map<string, LocationInfo[]>>('page locations by version');

/**
 * The locations that serve pages: serving ones that are not an API. A path segment `api`, `*_api`,
 * `*-api` or `graphql`, or a JSON content type, marks an API: its answers are data, which no browser
 * frames, runs scripts in or follows links from.
 */
export function pageLocations(model: ConfigModel, version: string): LocationInfo[] {
  const byVersion = model.memo(PAGES, () => new Map());
  let list = byVersion.get(version);
  if (!list) byVersion.set(version, (list = servingLocations(model).filter((l) => !servesApi(l, version))));
  return list;
}

function servesApi(l: LocationInfo, version: string): boolean {
  const path = l.directive.node.args[l.directive.node.args.length - 1]?.value ?? '';
  if (/(^|[/(|?])(api|[a-z0-9]+[_-]api|graphql)([/)|$?]|$)/i.test(path)) return true;
  const type = effective(l.block, 'default_type', version).directives.at(-1)?.node.args[0]?.value ?? '';
  const contentType = effectiveHeaders(l.block, 'add_header', version).get('content-type')?.[0]?.node.args[1]?.value ?? '';
  return /json/i.test(type) || /json/i.test(contentType);
}

/** The name and place of a location, for messages: `location /api/ (api.conf:3)`. */
export function locationLabel(info: LocationInfo): string {
  const d = info.directive;
  return `location ${d.node.args.map((a) => a.value).join(' ')} (${basename(d.file.path)}:${d.file.lines.positionAt(d.node.start).line + 1})`;
}

/** The range to report a location on: its name and arguments. */
export function locationSpan(info: LocationInfo): { file: ConfigDirective['file']; start: number; end: number } {
  const node = info.directive.node;
  return { file: info.directive.file, start: node.start, end: node.args[node.args.length - 1]?.end ?? node.nameToken.end };
}

export function headerName(d: ConfigDirective): string {
  return (d.node.args[0]?.value ?? '').toLowerCase();
}

/** The add_header (or proxy_set_header, ...) directives in effect in a block, by lower-cased header name. */
export function effectiveHeaders(block: ConfigBlock, directive: string, version: string): ReadonlyMap<string, readonly ConfigDirective[]> {
  // asked by every header rule for every location; the locations that inherit a level's headers share
  // that level's list (effective() answers them with the same array), so each list is indexed once
  const directives = effective(block, directive, version).directives;
  const headersOf = block.root.model.memo(HEADERS_OF, () => new Map());
  let map = headersOf.get(directives);
  if (!map) {
    const found = new Map<string, ConfigDirective[]>();
    for (const d of directives) addTo(found, headerName(d), d);
    headersOf.set(directives, (map = found));
  }
  return map;
}

const HEADERS_OF = modelMemoKey<Map<readonly ConfigDirective[], ReadonlyMap<string, readonly ConfigDirective[]>>>('headers by list');
const SERVERS = modelMemoKey<Map<ConfigBlock, ConfigBlock | null>>('server of each block');

/** The server block a location stands in (remembered along the way: locations may nest deeply). */
export function serverOf(block: ConfigBlock): ConfigBlock | undefined {
  const path: ConfigBlock[] = [];
  let found: ConfigBlock | null = null;
  const servers = block.root.model.memo(SERVERS, () => new Map());
  for (let b: ConfigBlock | undefined = block; b; b = b.parent) {
    const known = servers.get(b);
    if (known !== undefined) {
      found = known;
      break;
    }
    if (b.context === 'http.server') {
      found = b;
      break;
    }
    path.push(b);
  }
  for (const b of path) servers.set(b, found);
  return found ?? undefined;
}

export function rawText(d: ConfigDirective): string {
  return d.file.text.slice(d.node.start, d.node.end);
}

/** True for the virtual root of a Kasm tree (its http block lives in the proxy container's nginx.conf). */
export function isKasmModel(model: ConfigModel): boolean {
  return model.roots.some((r) => r.file === undefined && r.context === 'http');
}

/** Directives that end a location's settings: new lines go before handlers and nested blocks. */
function isSetting(d: { name: string; block?: unknown }): boolean {
  return !d.block && d.name !== 'proxy_pass' && d.name !== 'return' && d.name !== 'rewrite' && d.name !== 'try_files' && d.name !== 'root';
}

/**
 * An edit that adds `lines` of an "only if none at this level" directive (add_header, proxy_set_header,
 * proxy_hide_header, ...) to a block written in one file, with `also` (other directives) before them.
 * When the block has none of the group yet, it inherits some from above, and adding one would drop
 * those: they are re-declared first (except the header names in `replacing`, which the new lines
 * replace), so that only the new lines change what nginx does.
 */
export function addToLevel(
  block: ConfigBlock,
  directive: string,
  lines: readonly string[],
  version: string,
  options: { also?: readonly string[]; replacing?: ReadonlySet<string> } = {},
): EditSpec | undefined {
  if (!block.syntax || !block.file) return undefined;
  const { also = [], replacing } = options;
  const group = inheritanceGroup(directive) ?? [directive];
  const own = block.items.filter((d) => group.includes(d.node.name) && d.node.terminator !== null);
  const inherited = own.length === 0 ? group.flatMap((name) => effective(block, name, version).directives).filter((d) => !replacing?.has(headerName(d))) : [];
  const all = [...also, ...inherited.sort((a, b) => a.seq - b.seq).map(rawText), ...lines];
  const lastOwn = [...own].reverse().find((d) => d.file === block.file && d.parent === block);
  if (lastOwn) return insertLinesAfter(block.file, lastOwn.node, all);
  const ownInOtherFile = [...own].reverse()[0];
  if (ownInOtherFile) return insertLinesAfter(ownInOtherFile.file, ownInOtherFile.node, all);
  return insertIntoBlock(block.file, block.syntax, all, isSetting);
}

/** Inserts setting lines (not part of an inheritance group) into a block, after its other settings. */
export function addSettings(block: ConfigBlock, lines: readonly string[], after?: (name: string) => boolean): EditSpec | undefined {
  if (!block.syntax || !block.file) return undefined;
  return insertIntoBlock(block.file, block.syntax, lines, (d) => (after ? after(d.name) && !d.block : isSetting(d)));
}

/** The directive at http level that holds `block` (its server, or itself when it is at http level). */
export function httpLevelAncestor(block: ConfigBlock): ConfigDirective | undefined {
  let b: ConfigBlock | undefined = block;
  while (b?.owner && b.parent && b.parent.context !== 'http') b = b.parent;
  return b?.owner && b.parent?.context === 'http' ? b.owner : undefined;
}

/**
 * Where an http-level directive (map, limit_req_zone) goes for a block: just above the server (or
 * other http-level block) holding it, in the file that holds that server. For Kasm that is a
 * top-level file such as orchestrator.conf, never a services.d file, which is read inside the server.
 */
export function atHttpLevel(block: ConfigBlock, lines: readonly string[]): EditSpec | undefined {
  const owner = block.context === 'http' ? undefined : httpLevelAncestor(block);
  if (!owner) {
    if (block.context !== 'http' || !block.syntax || !block.file) return undefined;
    return insertIntoBlock(block.file, block.syntax, lines);
  }
  const file = owner.file;
  let start = owner.node.start;
  while (start > 0 && (file.text[start - 1] === ' ' || file.text[start - 1] === '\t')) start--;
  const indent = file.text.slice(start, owner.node.start);
  const eol = lineBreakOf(file.text);
  const blank = owner.node.block ? eol : '';
  return { file, start, end: start, newText: `${lines.map((l) => `${indent}${l}`).join(eol)}${eol}${blank}` };
}

/** Two insertions at one point in one file become one edit (their order is then the one given). */
export function mergeInsertions(edits: ReadonlyArray<EditSpec | undefined>): EditSpec[] {
  const result: EditSpec[] = [];
  for (const edit of edits) {
    if (!edit) continue;
    const same = result.find((e) => e.file === edit.file && e.start === e.end && edit.start === edit.end && e.start === edit.start);
    if (same) same.newText += edit.newText;
    else result.push({ ...edit });
  }
  return result;
}

/** A header value written as nginx reads it: quoted when it holds spaces, quotes or braces. */
export function quoteArgument(value: string, quote: '' | '"' | "'" = ''): string {
  const needs = /[\s;{}"'\\]/.test(value) || value === '';
  const q = quote || (needs ? '"' : '');
  if (!q) return value;
  // nginx resolves only \" \' \\ \t \r \n inside quotes: other backslashes (regex escapes) stay as written
  const escaped = value.replace(/\\(?=["'\\trn]|$)/g, '\\\\').replaceAll(q, `\\${q}`);
  return `${q}${escaped}${q}`;
}
