// Which of nginx's value parsers reads each argument of a directive, measured on the real nginx by
// test/tools/probe-values.ts (data/values.json) and re-checked by test/nginx/values.test.ts.

import valueData from '../nginx/data/values.json';

/**
 * flag: ngx_conf_set_flag_slot (on|off); number: ngx_conf_set_num_slot; size: ngx_conf_set_size_slot
 * (k, m); offset: ngx_conf_set_off_slot (k, m, g); msec / sec: ngx_conf_set_msec_slot / sec_slot
 * (ngx_parse_time); enum: ngx_conf_set_enum_slot (one of the documented words); string: read as text.
 * `variables`: the argument is compiled, so `$name` in it must be a known variable.
 */
export type ValueKind =
  | { kind: 'flag' }
  | { kind: 'number'; variables?: boolean; min?: number; max?: number }
  | { kind: 'size' | 'offset' | 'msec' | 'sec' | 'enum' | 'string'; variables?: boolean };

export interface ValueTable {
  /** The nginx the table was measured on. */
  nginx: string;
  directives: Record<string, { probedWith: string[]; args: Array<ValueKind | null> }>;
}

const TABLE = valueData as unknown as ValueTable;

/**
 * The parsers of the arguments of `name` written with `count` arguments, when measured with that many
 * (another count is another form of the directive, which its own handler reads).
 */
export function valueKinds(name: string, count: number): ReadonlyArray<ValueKind | null> | undefined {
  const entry = TABLE.directives[name];
  if (!entry) return undefined;
  if (entry.args.length === count) return entry.args;
  // a list of words measured as such (ssl_protocols, proxy_next_upstream: ngx_conf_set_bitmask_slot)
  // reads any number of them the same way
  return entry.args.length >= 2 && entry.args.every((a) => a?.kind === 'enum') ? Array.from({ length: count }, () => entry.args[0]!) : undefined;
}

export function measuredOn(): string {
  return TABLE.nginx;
}
