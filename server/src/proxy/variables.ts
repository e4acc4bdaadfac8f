// Variables defined by `map` and `set`, and which of them carry a request header's value unchecked
// (a `map $http_origin $x { default $http_origin; }` or `set $x $http_origin;` copies the Origin).

import { type ConfigBlock, type ConfigDirective, type ConfigModel, modelMemoKey } from '../model/config';
import { addTo, TextMemo } from '../core/maps';

export interface MapEntry {
  directive: ConfigDirective;
  /** The source value or pattern as nginx reads it (`~` or `~*` first for a regex). */
  key: string;
  value: string;
}

export interface MapDefinition {
  directive: ConfigDirective;
  /** The variable compared, without `$` (map's first argument may be any string with variables). */
  source: string;
  /** The variable defined, without `$`, lower-cased. */
  target: string;
  entries: MapEntry[];
  /** The `default` entry's value ("" when there is none, as nginx does). */
  defaultValue: string;
}

/** Names of the variables a value refers to, lower-cased, without `$`: "$a${b}c" gives a, b. */
export function variablesIn(value: string): readonly string[] {
  if (!value.includes('$')) return NONE;
  return variableNames.get(value, () => [...value.matchAll(/\$(?:\{(\w+)\}|(\w+))/g)].map((m) => (m[1] ?? m[2]!).toLowerCase()));
}

const NONE: readonly string[] = [];
// asked of the same few header values in each of thousands of locations
const variableNames = new TextMemo<readonly string[]>(5_000, 256);

const MAP_PARAMETERS = new Set(['hostnames', 'volatile', 'include']);

const MAPS = modelMemoKey<Map<string, MapDefinition[]>>('maps by variable');

/** Every `map` of the model, by the variable it defines. */
export function mapsByVariable(model: ConfigModel): Map<string, MapDefinition[]> {
  return model.memo(MAPS, () => findMaps(model));
}

function findMaps(model: ConfigModel): Map<string, MapDefinition[]> {
  const maps = new Map<string, MapDefinition[]>();
  for (const d of model.named('map')) {
    if (!d.block || d.node.args.length !== 2) continue;
    const target = d.node.args[1]!.value.replace(/^\$/, '').toLowerCase();
    const entries: MapEntry[] = [];
    let defaultValue = '';
    for (const item of d.block.items) {
      if (item.node.terminator !== ';' || MAP_PARAMETERS.has(item.node.name)) continue;
      const value = item.node.args[0]?.value ?? '';
      if (item.node.name === 'default') defaultValue = value;
      else entries.push({ directive: item, key: item.node.name, value });
    }
    const definition: MapDefinition = { directive: d, source: d.node.args[0]!.value, target, entries, defaultValue };
    addTo(maps, target, definition);
  }
  return maps;
}

const SETS = modelMemoKey<Map<string, ConfigDirective[]>>('sets by variable');

/** Every `set` of the model, by variable. */
export function setsByVariable(model: ConfigModel): Map<string, ConfigDirective[]> {
  return model.memo(SETS, () => {
    const sets = new Map<string, ConfigDirective[]>();
    for (const d of model.named('set')) {
      if (d.node.args.length !== 2 || d.node.terminator !== ';') continue;
      const name = d.node.args[0]!.value.replace(/^\$/, '').toLowerCase();
      addTo(sets, name, d);
    }
    return sets;
  });
}

/**
 * The directive (a header, a `set`) sits inside `if ($http_origin ~ regex)` (or `= "https://..."`, or
 * a copy of the variable): only the values the condition accepts get through, an allow-list whose
 * regex cors/origin-regex checks.
 */
export function guardedByOriginCheck(d: ConfigDirective, copies: ReadonlySet<string>): boolean {
  for (let block: ConfigBlock | undefined = d.parent; block?.owner; block = block.parent) {
    const owner = block.owner;
    if (owner.node.name === 'location') return false;
    if (owner.node.name !== 'if') continue;
    const [subject, operator] = owner.node.args;
    if (subject && operator && /^(~\*?|=)$/.test(operator.value) && variablesIn(subject.value).some((v) => copies.has(v))) return true;
  }
  return false;
}

/**
 * The variables whose value may be `variable`'s, copied without a check: `variable` itself, a `set`
 * from one of them outside an `if` that checks it (`if ($http_origin ~* ...) { set $cors $http_origin; }`
 * sets only what the regex accepts; otherwise it is empty, and ngx_http_add_header in
 * src/http/modules/ngx_http_headers_filter_module.c adds no header with an empty value), a `map` whose
 * default is one of them. (A map that returns one only
 * for entries it matches is an allow-list: cors/origin-regex checks its patterns, as it checks the `if`.)
 */
export function copiesOf(model: ConfigModel, variable: string): Set<string> {
  const copies = new Set([variable]);
  const sets = setsByVariable(model);
  const maps = mapsByVariable(model);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [name, directives] of sets) {
      if (copies.has(name)) continue;
      if (directives.some((d) => variablesIn(d.node.args[1]!.value).some((v) => copies.has(v)) && !guardedByOriginCheck(d, copies))) {
        copies.add(name);
        grew = true;
      }
    }
    for (const [name, definitions] of maps) {
      if (copies.has(name)) continue;
      if (definitions.some((m) => variablesIn(m.defaultValue).some((v) => copies.has(v)))) {
        copies.add(name);
        grew = true;
      }
    }
  }
  return copies;
}
