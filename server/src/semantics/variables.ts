// nginx's own variables (data/variables.json, from nginx's sources and documentation): which exist in
// a version and edition, which prefixes name a whole family (`$http_*`, `$arg_*`...), and which `set`
// may change. A variable nginx does not know, and no directive of the configuration defines, stops
// `nginx -t` with `unknown "name" variable` when the http (or stream) block ends
// (http/ngx_http_variables.c, ngx_http_variables_init_vars).

import variableData from '../nginx/data/variables.json';
import { versionNumber, type Edition } from '../nginx/directives';

export type VariableFamily = 'http' | 'stream';

export interface BuiltinVariable {
  name: string;
  family: VariableFamily;
  module: string;
  prefix?: boolean;
  since?: string;
  plus?: boolean;
  /** Whether set, map, geo... may redefine it (NGX_HTTP_VAR_CHANGEABLE); null when not established. */
  changeable?: boolean | null;
  removedIn?: string;
  internal?: boolean;
  source: string;
}

const VARIABLES = (variableData as { variables: BuiltinVariable[] }).variables;

function exists(v: BuiltinVariable, version: string, edition: Edition): boolean {
  const at = versionNumber(version);
  if (v.plus && edition !== 'plus') return false;
  if (v.since && at < versionNumber(v.since)) return false;
  return !(v.removedIn && at >= versionNumber(v.removedIn));
}

const cache = new Map<string, { names: Map<string, BuiltinVariable>; prefixes: BuiltinVariable[] }>();

/**
 * Names a module looks up without defining them: the configuration must (`set $memcached_key ...`):
 * ngx_http_memcached_pass takes the index of "memcached_key" (nginx 1.22.1 ngx_http_memcached_module.c:728)
 * and adds no variable, so nginx refuses an http block where nothing sets it.
 */
const LOOKED_UP_ONLY = new Set(['memcached_key']);

function tableFor(version: string, edition: Edition, family: VariableFamily) {
  const key = `${version}/${edition}/${family}`;
  let table = cache.get(key);
  if (!table) {
    const names = new Map<string, BuiltinVariable>();
    const prefixes: BuiltinVariable[] = [];
    for (const v of VARIABLES) {
      if (v.family !== family || !exists(v, version, edition) || LOOKED_UP_ONLY.has(v.name)) continue;
      if (v.prefix) prefixes.push(v);
      else names.set(v.name, v);
    }
    prefixes.sort((a, b) => b.name.length - a.name.length);
    table = { names, prefixes };
    cache.set(key, table);
  }
  return table;
}

/** The built-in variable (or prefix family) nginx would use for `$name`. */
export function builtinVariable(name: string, version: string, family: VariableFamily, edition: Edition = 'oss'): BuiltinVariable | undefined {
  const lower = name.toLowerCase();
  const table = tableFor(version, edition, family);
  return table.names.get(lower) ?? table.prefixes.find((p) => lower.startsWith(p.name));
}

/** Whether nginx itself provides `$name` (a built-in, or a name under a prefix). */
export function isBuiltin(name: string, version: string, family: VariableFamily, edition: Edition = 'oss'): boolean {
  return builtinVariable(name, version, family, edition) !== undefined;
}

/**
 * A built-in (matched by its exact name, not a prefix: `set $http_foo` is allowed) that `set`, `map`,
 * `geo`... cannot redefine: nginx says `the duplicate "name" variable`.
 */
export function isBuiltinUnchangeable(name: string, version: string, family: VariableFamily, edition: Edition = 'oss'): boolean {
  const variable = tableFor(version, edition, family).names.get(name.toLowerCase());
  return variable !== undefined && variable.changeable === false;
}

/** Every built-in name of a family in a version (prefixes end with `_`), for completion. */
export function builtinVariableNames(family: VariableFamily, version: string, edition: Edition = 'oss'): string[] {
  const table = tableFor(version, edition, family);
  return [...table.names.values()].filter((v) => !v.internal).map((v) => v.name);
}
