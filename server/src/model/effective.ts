// "What applies here": the directives in effect in a block after nginx's inheritance. Most directives
// are inherited from the enclosing level when the block does not set them. A few array-like ones are
// inherited only if the block defines none of them (its group): one `add_header` in a location drops
// every header the server set. Some apply only where they are written (proxy_pass, return, ...).

import { versionNumber, type ContextKind } from '../nginx/directives';
import type { BlockMemo, ConfigBlock, ConfigDirective } from './config';

/** Inherited from the enclosing level if and only if the current level defines none of the group. */
export const ONLY_IF_NONE_GROUPS: ReadonlyArray<readonly string[]> = [
  ['add_header'],
  ['add_trailer'],
  ['proxy_set_header'],
  ['proxy_hide_header'],
  ['fastcgi_param'],
  ['grpc_set_header'],
  ['scgi_param'],
  ['uwsgi_param'],
  ['allow', 'deny'],
  ['error_page'],
  ['limit_conn'],
  ['limit_req'],
  ['sub_filter'],
  ['ssl_conf_command'],
  ['set_real_ip_from'],
  ['xslt_param', 'xslt_string_param'],
];

/** Every directive of a list nginx inherits only into a level with none of its own. */
export const LIST_SETTINGS: readonly string[] = ONLY_IF_NONE_GROUPS.flat();

const GROUP_OF = new Map<string, readonly string[]>(ONLY_IF_NONE_GROUPS.flatMap((g) => g.map((name) => [name, g] as const)));

export function inheritanceGroup(name: string): readonly string[] | undefined {
  return GROUP_OF.get(name);
}

/** Apply only in the block they are written in: handlers and per-location settings nginx does not merge. */
export const NOT_INHERITED: ReadonlySet<string> = new Set([
  'location', 'if', 'limit_except', 'server', 'upstream', 'map', 'include', 'listen', 'server_name',
  'proxy_pass', 'fastcgi_pass', 'uwsgi_pass', 'scgi_pass', 'grpc_pass', 'memcached_pass',
  'return', 'rewrite', 'break', 'set', 'alias', 'internal', 'try_files', 'stub_status', 'empty_gif',
  'auth_request_set',
]);

/** Levels that pass their settings down to nested blocks (upstream, map, events do not). */
const INHERITING: ReadonlySet<ContextKind> = new Set<ContextKind>([
  'main', 'http', 'http.server', 'http.location', 'http.if.location', 'http.limit_except',
  'stream', 'stream.server', 'mail', 'mail.server',
]);

/** The level whose settings `block` inherits, if any. */
function enclosingLevel(block: ConfigBlock): ConfigBlock | undefined {
  const parent = block.parent;
  return parent && INHERITING.has(block.context) && INHERITING.has(parent.context) ? parent : undefined;
}

/** The levels whose settings reach `block`: itself, then each enclosing level that passes settings down. */
export function inheritanceChain(block: ConfigBlock): ConfigBlock[] {
  const chain = [block];
  for (let b = enclosingLevel(block); b; b = enclosingLevel(b)) chain.push(b);
  return chain;
}

export interface Effective {
  /** The directives in effect, in order (empty when none applies: nginx's default is in effect). */
  directives: readonly ConfigDirective[];
  /** The level they are written at. */
  level?: ConfigBlock;
  /** True when they come from an enclosing level. */
  inherited: boolean;
}

const NO_DIRECTIVES: readonly ConfigDirective[] = [];

function newMemo(): BlockMemo {
  return { effective: undefined, byVersion: undefined };
}

/** A level's own complete directives named `names`, in order. */
function own(level: ConfigBlock, names: readonly string[]): readonly ConfigDirective[] {
  if (names.length === 1) return level.root.model.ownNamed(level, names[0]!);
  // a group of several names (allow and deny): the level's items in order, the names mixed as written
  const { items } = level;
  let found: ConfigDirective[] | undefined;
  for (let i = 0; i < items.length; i++) {
    const d = items[i]!;
    if (d.node.terminator !== null && names.includes(d.node.name)) (found ??= []).push(d);
  }
  return found ?? NO_DIRECTIVES;
}

/** The directive that sets how `name` is inherited (1.29.3): add_header_inherit, add_trailer_inherit. */
const INHERIT_SETTING = new Map([
  ['add_header', 'add_header_inherit'],
  ['add_trailer', 'add_trailer_inherit'],
]);
const recentEnough = new Map<string, boolean>();

/** `add_header_inherit` / `add_trailer_inherit` (1.29.3) at a level: on (default), off, or merge. */
function inheritMode(name: string, level: ConfigBlock, version: string): string {
  const setting = INHERIT_SETTING.get(name);
  if (!setting) return 'on';
  let recent = recentEnough.get(version);
  if (recent === undefined) recentEnough.set(version, (recent = versionNumber(version) >= versionNumber('1.29.3')));
  if (!recent) return 'on';
  const d = effective(level, setting, version).directives[0];
  return d?.node.args[0]?.value.toLowerCase() ?? 'on';
}

const NONE: Effective = { directives: [], inherited: false };
// Answers kept on the block, by name; by version first for the names whose inheritance depends on it.
function remembered(block: ConfigBlock, version: string | undefined, name: string): Effective | undefined {
  const memo = block.memo;
  if (!memo) return undefined;
  return version === undefined ? memo.effective?.get(name) : memo.byVersion?.get(version)?.get(name);
}

function remember(block: ConfigBlock, version: string | undefined, name: string, value: Effective): Effective {
  const memo = (block.memo ??= newMemo());
  if (version === undefined) {
    (memo.effective ??= new Map()).set(name, value);
    return value;
  }
  memo.byVersion ??= new Map();
  let byName = memo.byVersion.get(version);
  if (!byName) memo.byVersion.set(version, (byName = new Map()));
  byName.set(name, value);
  return value;
}

/**
 * The directives named `name` in effect in `block`. Each level's answer is remembered, and a level's
 * answer is built from its enclosing level's, so a whole tree costs one visit per level, however deep.
 */
export function effective(block: ConfigBlock, name: string, version: string): Effective {
  if (NOT_INHERITED.has(name)) {
    const here = own(block, [name]);
    return { directives: here, level: here.length ? block : undefined, inherited: false };
  }
  // only add_header and add_trailer are inherited differently from one version to another
  const asked = INHERIT_SETTING.has(name) ? version : undefined;
  const known = remembered(block, asked, name);
  if (known) return known;

  // Climb to the first level already answered (or the top), then answer downwards.
  const pending: ConfigBlock[] = [];
  let above: Effective = NONE;
  for (let b: ConfigBlock | undefined = block; b; b = enclosingLevel(b)) {
    const cached = remembered(b, asked, name);
    if (cached) {
      above = cached;
      break;
    }
    pending.push(b);
  }
  const group = GROUP_OF.get(name) ?? [name];
  for (let i = pending.length - 1; i >= 0; i--) {
    const level = pending[i]!;
    const defined = own(level, group);
    const mode = inheritMode(name, level, version);
    let result: Effective;
    if (defined.length > 0) {
      const mine = group.length === 1 ? defined : defined.filter((d) => d.node.name === name);
      // `merge` appends the enclosing level's headers after this level's
      result = { directives: mode === 'merge' ? [...mine, ...above.directives] : mine, level, inherited: false };
    } else if (mode === 'off') {
      result = NONE;
    } else {
      // an answer already inherited is the same answer one level further down
      result = !above.level ? NONE : above.inherited ? above : { directives: above.directives, level: above.level, inherited: true };
    }
    above = remember(level, asked, name, result);
  }
  return above;
}

export interface DroppedInheritance {
  /** Directives of the group set at an enclosing level that no longer apply here. */
  dropped: readonly ConfigDirective[];
  /** The enclosing level they were set at. */
  from: ConfigBlock;
  /** The directives at this level that cause the drop. */
  cause: readonly ConfigDirective[];
}

/**
 * When `block` defines some of an "only if none at this level" group itself, the directives of that
 * group it would otherwise have inherited, which nginx silently drops.
 */
export function droppedInheritance(block: ConfigBlock, name: string, version: string): DroppedInheritance | undefined {
  const group = GROUP_OF.get(name);
  if (!group) return undefined;
  const cause = own(block, group);
  if (cause.length === 0) return undefined;
  // merge keeps them; off drops them on purpose
  if (inheritMode(name, block, version) !== 'on') return undefined;
  const parent = enclosingLevel(block);
  if (!parent) return undefined;
  const inherited = effective(parent, name, version);
  if (inherited.directives.length === 0 || !inherited.level) return undefined;
  return { dropped: inherited.directives, from: inherited.level, cause };
}

/** Every directive in effect in `block`, by name: what nginx really applies there. */
export function effectiveConfig(block: ConfigBlock, version: string): Map<string, Effective> {
  const names = new Set<string>();
  for (const level of inheritanceChain(block)) {
    for (const d of level.items) {
      if (d.node.terminator === null || d.node.block) continue;
      if (level !== block && NOT_INHERITED.has(d.node.name)) continue;
      names.add(d.node.name);
    }
  }
  const result = new Map<string, Effective>();
  for (const name of [...names].sort()) {
    const found = effective(block, name, version);
    if (found.directives.length > 0) result.set(name, found);
  }
  return result;
}
