// Go values as yaml.v3 hands them to an interface{} (the map cloudflared's flag reader looks at),
// and fmt's %T and %v of them: cloudflared's flag errors print both ("expected string found int for
// edge-ip-version", config/configuration.go).

import { formatFloat, goQuote } from './strconv';

export type GoValue =
  | { t: 'nil' }
  | { t: 'bool'; v: boolean }
  | { t: 'int'; v: bigint }
  | { t: 'uint64'; v: bigint }
  | { t: 'float64'; v: number }
  | { t: 'string'; v: string }
  | { t: 'time'; text: string }
  | { t: 'slice'; items: GoValue[] }
  | { t: 'map'; stringKeys: boolean; entries: Array<[GoValue, GoValue]> };

/** fmt's %T. */
export function goTypeName(v: GoValue): string {
  switch (v.t) {
    case 'nil':
      return '<nil>';
    case 'time':
      return 'time.Time';
    case 'slice':
      return '[]interface {}';
    case 'map':
      return v.stringKeys ? 'map[string]interface {}' : 'map[interface {}]interface {}';
    default:
      return v.t;
  }
}

/** fmt's %v (maps print with sorted keys, as fmt sorts them). */
export function goFormat(v: GoValue): string {
  switch (v.t) {
    case 'nil':
      return '<nil>';
    case 'bool':
      return String(v.v);
    case 'int':
    case 'uint64':
      return v.v.toString();
    case 'float64':
      return formatFloat(v.v);
    case 'string':
      return v.v;
    case 'time':
      return v.text;
    case 'slice':
      return `[${v.items.map(goFormat).join(' ')}]`;
    case 'map': {
      const pairs = v.entries.map(([k, e]) => [goFormat(k), goFormat(e)] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      return `map[${pairs.map(([k, e]) => `${k}:${e}`).join(' ')}]`;
    }
  }
}

/** fmt's %#v, for yaml.v3's "invalid map key" panic text. */
export function goSyntax(v: GoValue): string {
  switch (v.t) {
    case 'string':
      return goQuote(v.v);
    case 'slice':
      return `[]interface {}{${v.items.map(goSyntax).join(', ')}}`;
    case 'map':
      return `${goTypeName(v)}{${v.entries.map(([k, e]) => `${goSyntax(k)}:${goSyntax(e)}`).join(', ')}}`;
    case 'nil':
      return 'interface {}(nil)';
    default:
      return goFormat(v);
  }
}

/** A map key as Go compares interface{} keys: type and value. */
export function goKey(v: GoValue): string {
  return `${v.t}:${v.t === 'slice' || v.t === 'map' ? goFormat(v) : goFormat(v)}`;
}
