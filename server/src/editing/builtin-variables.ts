// nginx's own variables for the editor (the exact names, and the families such as `$http_<header>`):
// their documentation from @nginx/reference-lib (`variableSpecs`), which of them a version and edition
// has from semantics/variables.ts.

import { type Edition, variableSpecs, type VariableSpec } from '../nginx/directives';
import { isBuiltin } from '../semantics/variables';

/** The families of variables named by a prefix: `http_` for `$http_<header>`, ... */
export function variablePrefixes(): Array<{ prefix: string; spec: VariableSpec }> {
  return [...variableSpecs().values()].filter((s) => s.name.endsWith('_NAME')).map((spec) => ({ prefix: spec.name.slice(0, -4), spec }));
}

/** What nginx says of a variable it sets itself (`host`, `http_origin`, `arg_id`...), or undefined. */
export function builtinVariable(name: string): VariableSpec | undefined {
  const exact = variableSpecs().get(name);
  if (exact && !exact.name.endsWith('_NAME')) return exact;
  return variablePrefixes().find((p) => name.startsWith(p.prefix) && name.length > p.prefix.length)?.spec;
}

/** nginx's variables with an exact name (the families left out); those of a version and edition when given. */
export function builtinVariables(version?: string, edition: Edition = 'oss'): VariableSpec[] {
  const family = (s: VariableSpec) => (s.module.startsWith('ngx_stream_') ? 'stream' : 'http');
  return [...variableSpecs().values()].filter((s) => !s.name.endsWith('_NAME') && (version === undefined || isBuiltin(s.name, version, family(s), edition)));
}
