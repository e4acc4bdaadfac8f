// yaml.v3's resolve.go: the tag and Go value of a scalar from its text (and explicit tag). A plain
// `010` is the int 8, `0x10` 16, `1_000` 1000, `08` the float 8, `1e400` a string, `2024-01-02` a
// time.Time; only true/false (in three spellings) are booleans.

import { parseFloat64, parseIntBase, parseIntBase0, parseUintBase, parseUintBase0 } from '../go/strconv';
import type { GoValue } from '../go/values';
import { YamlStop } from './reader';

export const NULL_TAG = '!!null';
const BOOL_TAG = '!!bool';
export const STR_TAG = '!!str';
const INT_TAG = '!!int';
const FLOAT_TAG = '!!float';
const TIMESTAMP_TAG = '!!timestamp';
export const SEQ_TAG = '!!seq';
export const MAP_TAG = '!!map';
export const BINARY_TAG = '!!binary';
export const MERGE_TAG = '!!merge';

const LONG_PREFIX = 'tag:yaml.org,2002:';

export function shortTag(tag: string): string {
  return tag.startsWith(LONG_PREFIX) ? `!!${tag.slice(LONG_PREFIX.length)}` : tag;
}

const RESOLVE_MAP = new Map<string, [string, GoValue]>();
for (const s of ['true', 'True', 'TRUE']) RESOLVE_MAP.set(s, [BOOL_TAG, { t: 'bool', v: true }]);
for (const s of ['false', 'False', 'FALSE']) RESOLVE_MAP.set(s, [BOOL_TAG, { t: 'bool', v: false }]);
for (const s of ['', '~', 'null', 'Null', 'NULL']) RESOLVE_MAP.set(s, [NULL_TAG, { t: 'nil' }]);
for (const s of ['.nan', '.NaN', '.NAN']) RESOLVE_MAP.set(s, [FLOAT_TAG, { t: 'float64', v: NaN }]);
for (const s of ['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF']) RESOLVE_MAP.set(s, [FLOAT_TAG, { t: 'float64', v: Infinity }]);
for (const s of ['-.inf', '-.Inf', '-.INF']) RESOLVE_MAP.set(s, [FLOAT_TAG, { t: 'float64', v: -Infinity }]);
RESOLVE_MAP.set('<<', [MERGE_TAG, { t: 'string', v: '<<' }]);

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

function hint(c: string | undefined): 'S' | 'D' | 'M' | '.' | undefined {
  if (c === undefined) return 'M'; // '' resolves through the map ('N' in resolve.go)
  if (c === '+' || c === '-') return 'S';
  if (c >= '0' && c <= '9') return 'D';
  if ('yYnNtTfFoO~'.includes(c)) return 'M';
  if (c === '.') return '.';
  return undefined;
}

function intValue(v: bigint): GoValue {
  return { t: 'int', v };
}

/** resolve(): the resolved tag and value, failing as yaml.v3 does when an explicit tag does not fit. */
export function resolve(tag: string, text: string): [string, GoValue] {
  tag = shortTag(tag);
  if (!['', STR_TAG, BOOL_TAG, INT_TAG, FLOAT_TAG, NULL_TAG, TIMESTAMP_TAG].includes(tag)) return [tag, { t: 'string', v: text }];
  const [rtag, out] = resolvePlain(tag, text);
  if (tag === '' || tag === rtag || tag === STR_TAG || tag === BINARY_TAG) return [rtag, out];
  if (tag === FLOAT_TAG && rtag === INT_TAG && out.t === 'int') return [FLOAT_TAG, { t: 'float64', v: Number(out.v) }];
  throw new YamlStop('composer', `cannot decode ${shortTag(rtag)} \`${text}\` as a ${shortTag(tag)}`);
}

function resolvePlain(tag: string, text: string): [string, GoValue] {
  const h = hint(text[0]);
  if (h && tag !== STR_TAG && tag !== BINARY_TAG) {
    const mapped = RESOLVE_MAP.get(text);
    if (mapped) return mapped;
    if (h === '.') {
      const f = parseFloat64(text);
      if (f !== undefined) return [FLOAT_TAG, { t: 'float64', v: f }];
    } else if (h === 'D' || h === 'S') {
      if (tag === '' || tag === TIMESTAMP_TAG) {
        const t = parseTimestamp(text);
        if (t) return [TIMESTAMP_TAG, { t: 'time', text: t }];
      }
      const plain = text.replaceAll('_', '');
      const i = parseIntBase0(plain);
      if (i !== undefined) return [INT_TAG, intValue(i)];
      const u = parseUintBase0(plain);
      if (u !== undefined) return [INT_TAG, { t: 'uint64', v: u }];
      if (YAML_STYLE_FLOAT.test(plain)) {
        const f = parseFloat64(plain);
        if (f !== undefined) return [FLOAT_TAG, { t: 'float64', v: f }];
      }
      if (plain.startsWith('0b')) {
        const bi = parseIntBase(plain.slice(2), 2);
        if (bi !== undefined) return [INT_TAG, intValue(bi)];
        const bu = parseUintBase(plain.slice(2), 2);
        if (bu !== undefined) return [INT_TAG, { t: 'uint64', v: bu }];
      } else if (plain.startsWith('-0b')) {
        const bi = parseIntBase(`-${plain.slice(3)}`, 2);
        if (bi !== undefined) return [INT_TAG, intValue(bi)];
      }
      if (plain.startsWith('0o')) {
        const oi = parseIntBase(plain.slice(2), 8);
        if (oi !== undefined) return [INT_TAG, intValue(oi)];
        const ou = parseUintBase(plain.slice(2), 8);
        if (ou !== undefined) return [INT_TAG, { t: 'uint64', v: ou }];
      } else if (plain.startsWith('-0o')) {
        const oi = parseIntBase(`-${plain.slice(3)}`, 8);
        if (oi !== undefined) return [INT_TAG, intValue(oi)];
      }
    }
  }
  return [STR_TAG, { t: 'string', v: text }];
}

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * parseTimestamp: "YYYY-M-D", optionally followed by [Tt ]H:M:S(.frac)? and, after T/t, a zone (Z or
 * ±hh:mm), as time.Parse reads the four layouts of resolve.go. The time.Time as fmt prints it.
 */
function parseTimestamp(s: string): string | undefined {
  if (!/^[0-9]{4}-/.test(s)) return undefined;
  const m = /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:([Tt ])([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?)?$/.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, sep, hh, mi, ss, frac, zone] = m;
  const month = Number(mo);
  const day = Number(d);
  const year = Number(y);
  if (month < 1 || month > 12 || day < 1) return undefined;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (day > (month === 2 && !leap ? 28 : DAYS[month - 1]!)) return undefined;
  if (sep !== undefined) {
    if (Number(hh) > 23 || Number(mi) > 59 || Number(ss) > 59) return undefined;
    if (sep === ' ' && zone !== undefined) return undefined; // the space layout has no zone
    if (sep !== ' ' && zone === undefined) return undefined; // the T layouts need one
  }
  const two = (v: string | undefined) => String(Number(v ?? 0)).padStart(2, '0');
  const zoneText = zone === undefined || zone === 'Z' ? '+0000 UTC' : `${zone.replace(':', '')} ${zone.replace(':', '')}`;
  return `${y}-${two(mo)}-${two(d)} ${two(hh)}:${two(mi)}:${two(ss)}${frac ?? ''} ${zoneText}`;
}
