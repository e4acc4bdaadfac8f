// How ngx_http_core_location reads a location's arguments: its modifier and its name.

import type { ConfigDirective } from '../model/config';

export interface LocationName {
  /** The path, regex or name, without its modifier. */
  name: string;
  exact: boolean;
  regex: boolean;
  named: boolean;
}

/** The name and kind of a location as ngx_http_core_location reads its arguments; undefined when they are malformed. */
export function locationName(directive: ConfigDirective): LocationName | undefined {
  const args = directive.node.args.map((a) => a.value);
  if (args.length === 2) {
    const [modifier, name] = args as [string, string];
    if (modifier === '=') return { name, exact: true, regex: false, named: false };
    if (modifier === '^~') return { name, exact: false, regex: false, named: false };
    if (modifier === '~' || modifier === '~*') return { name, exact: false, regex: true, named: false };
    return undefined;
  }
  if (args.length !== 1) return undefined;
  const value = args[0]!;
  if (value.startsWith('=')) return { name: value.slice(1), exact: true, regex: false, named: false };
  if (value.startsWith('^~')) return { name: value.slice(2), exact: false, regex: false, named: false };
  if (value.startsWith('~*')) return { name: value.slice(2), exact: false, regex: true, named: false };
  if (value.startsWith('~')) return { name: value.slice(1), exact: false, regex: true, named: false };
  return { name: value, exact: false, regex: false, named: value.startsWith('@') };
}

