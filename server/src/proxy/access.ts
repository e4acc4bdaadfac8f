// Access control as nginx applies it in a block: the allow/deny list in effect (a level with any
// allow or deny of its own inherits none from above), authentication in effect, and `satisfy`.
// ngx_http_access_module checks the rules in order and lets a request through when none matches.

import { keptIn } from '../core/maps';
import { type ConfigBlock, type ConfigDirective, modelMemoKey } from '../model/config';
import { effective } from '../model/effective';

export interface AccessRules {
  /** The level the rules are written at (undefined when none applies). */
  level?: ConfigBlock;
  /** allow and deny, in order. */
  rules: ConfigDirective[];
}

export function accessRules(block: ConfigBlock, version: string): AccessRules {
  const allow = effective(block, 'allow', version);
  const deny = effective(block, 'deny', version);
  const level = allow.level ?? deny.level;
  if (!level) return { rules: [] };
  return { level, rules: rulesAt(level) };
}

const LEVEL_RULES = modelMemoKey<Map<ConfigBlock, ConfigDirective[]>>('allow and deny lines of each level');

/**
 * The allow and deny lines a level sets, in order: read once per level (thousands of locations that
 * inherit their server's list each read the server's lines: 32,000 locations took 11 s).
 */
export function rulesAt(level: ConfigBlock): ConfigDirective[] {
  return keptIn(level.root.model.memo(LEVEL_RULES, () => new Map()), level, (l: ConfigBlock) => l.items.filter((d) => (d.node.name === 'allow' || d.node.name === 'deny') && d.node.terminator === ';'));
}

/** Some client is refused: a deny that is not preceded by `allow all`. */
export function refusesSome(rules: readonly ConfigDirective[]): boolean {
  for (const r of rules) {
    const all = r.node.args[0]?.value.toLowerCase() === 'all';
    if (r.node.name === 'deny') return true;
    if (all) return false;
  }
  return false;
}

const AUTH = ['auth_basic', 'auth_request', 'auth_jwt', 'auth_oidc'];

/** An authentication directive in effect (not `off`). */
export function authenticationIn(block: ConfigBlock, version: string): ConfigDirective | undefined {
  for (const name of AUTH) {
    const d = effective(block, name, version).directives.at(-1);
    if (d && d.node.args[0]?.value.toLowerCase() !== 'off') return d;
  }
  return undefined;
}

export function satisfiesAny(block: ConfigBlock, version: string): boolean {
  return effective(block, 'satisfy', version).directives.at(-1)?.node.args[0]?.value.toLowerCase() === 'any';
}

/** `location @name` or a location with `internal`: reachable by internal redirects only. */
export function internalOnly(block: ConfigBlock): boolean {
  const owner = block.owner;
  if (owner?.node.name !== 'location') return false;
  return (owner.node.args[0]?.value.startsWith('@') ?? false) || block.items.some((d) => d.node.name === 'internal');
}
