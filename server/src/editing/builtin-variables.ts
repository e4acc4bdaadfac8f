// nginx's own variables (the exact names, and the families such as `$http_<header>`), read from
// @nginx/reference-lib through `variableSpecs`. The one place that knows where they come from, so that
// a per-version table can replace it.

import { variableSpecs, type VariableSpec } from '../nginx/directives';

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

/** nginx's variables with an exact name (the families left out). */
export function builtinVariables(): VariableSpec[] {
  return [...variableSpecs().values()].filter((s) => !s.name.endsWith('_NAME'));
}
