// yaml.v3's decoder (decode.go, v3.0.1) over descriptions of Go types: unmarshal, scalar, sequence,
// mapping, mappingStruct, merge, alias, with their type errors ("line 7: cannot unmarshal !!int `30`
// into time.Duration"), duplicate keys compared as yaml.v3 compares them (kind and raw value, in a
// mapping decoded into a map or struct, never inside an unknown field's value), merge keys (explicit
// keys win, earlier merged maps win: mergedFields), the alias limits, and the unknown fields a
// KnownFields decoder would report. The decoded values keep the nodes they came from.

import { base64Decode } from '../go/base64';
import type { GoValue } from '../go/values';
import { goKey, goSyntax } from '../go/values';
import { parseDuration } from '../go/duration';
import { goQuote } from '../go/strconv';
import { indicatedString, nodeShortTag, type YNode } from './compose';
import { YamlStop } from './reader';
import { BINARY_TAG, MAP_TAG, MERGE_TAG, NULL_TAG, resolve, SEQ_TAG, STR_TAG, shortTag } from './resolve';

export type GoType =
  | { kind: 'struct'; name: string; fields: readonly StructField[]; inlineMap?: boolean }
  | { kind: 'ptr'; elem: GoType }
  | { kind: 'slice'; elem: GoType }
  | { kind: 'interface' }
  | { kind: 'string' }
  | { kind: 'bool' }
  | { kind: 'int' }
  | { kind: 'uint' }
  | { kind: 'uint64' }
  | { kind: 'duration' }
  /** config.CustomDuration: an obsolete Unmarshaler that decodes into its time.Duration. */
  | { kind: 'customDuration' };

export interface StructField {
  key: string;
  type: GoType;
}

function goTypeString(t: GoType): string {
  switch (t.kind) {
    case 'struct':
      return t.name;
    case 'ptr':
      return `*${goTypeString(t.elem)}`;
    case 'slice':
      return `[]${goTypeString(t.elem)}`;
    case 'interface':
      return 'interface {}';
    case 'duration':
      return 'time.Duration';
    case 'customDuration':
      return 'config.CustomDuration';
    default:
      return t.kind;
  }
}

/** A decoded struct: each field set, with the key and value nodes that set it. */
export interface StructValue {
  type: string;
  fields: Map<string, FieldValue>;
  /** The inline map (configFileSettings.Settings): unknown keys with their interface{} values. */
  inline?: Map<string, FieldValue>;
  node: YNode;
}

export interface FieldValue {
  value: Decoded;
  key: YNode;
  node: YNode;
}

export type Decoded = StructValue | Decoded[] | GoValue | string | number | boolean | bigint | null | undefined;

export interface TypeError {
  message: string;
  /** The node the message is about (its line is the message's). */
  node: YNode;
  kind: 'type' | 'duplicate' | 'unknown-field';
  /** For duplicates: the first of the two keys. */
  first?: YNode;
  /** For unknown fields: the struct type and the key. */
  structType?: string;
  field?: string;
}

export interface DecodeResult {
  value: Decoded;
  /** TypeError.Errors, in yaml.v3's order. */
  errors: TypeError[];
  /** What a KnownFields(true) decoder would add: the unused-keys warning of `ingress validate`. */
  unknownFields: TypeError[];
  /** A failf: the decode stopped with this message (the type errors before it are dropped). */
  fatal?: { message: string; node?: YNode };
}

const ALIAS_RATIO_RANGE_LOW = 400000;
const ALIAS_RATIO_RANGE_HIGH = 4000000;

function allowedAliasRatio(decodeCount: number): number {
  if (decodeCount <= ALIAS_RATIO_RANGE_LOW) return 0.99;
  if (decodeCount >= ALIAS_RATIO_RANGE_HIGH) return 0.1;
  return 0.99 - (0.89 * (decodeCount - ALIAS_RATIO_RANGE_LOW)) / (ALIAS_RATIO_RANGE_HIGH - ALIAS_RATIO_RANGE_LOW);
}

class Fail extends Error {
  constructor(
    message: string,
    readonly node?: YNode,
  ) {
    super(message);
  }
}

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);
const UINT64_MAX = (1n << 64n) - 1n;

/** A Go float64 converted to int64 as amd64 does it (out-of-range values become the minimum). */
function floatToInt64(f: number): bigint {
  if (Number.isNaN(f) || f >= 9223372036854775808 || f < -9223372036854775808) return INT64_MIN;
  return BigInt(Math.trunc(f));
}

class Decoder {
  readonly errors: TypeError[] = [];
  readonly unknownFields: TypeError[] = [];
  private decodeCount = 0;
  private aliasCount = 0;
  private aliasDepth = 0;
  private readonly aliases = new Set<YNode>();
  private mergedFields: Set<string> | undefined;

  private terror(n: YNode, tag: string, out: GoType): void {
    if (n.tag !== '') tag = n.tag;
    let value = '';
    if (tag !== SEQ_TAG && tag !== MAP_TAG) {
      const bytes = Buffer.from(n.value, 'utf8');
      value = bytes.length > 10 ? ` \`${bytes.subarray(0, 7).toString('utf8')}...\`` : ` \`${n.value}\``;
    }
    this.errors.push({ message: `line ${n.line}: cannot unmarshal ${shortTag(tag)}${value} into ${goTypeString(out)}`, node: n, kind: 'type' });
  }

  /** d.unmarshal: the decoded value and whether it is good (false leaves Go's target as it was). */
  unmarshal(n: YNode, out: GoType, current?: Decoded): [boolean, Decoded] {
    this.decodeCount++;
    if (this.aliasDepth > 0) this.aliasCount++;
    if (this.aliasCount > 100 && this.decodeCount > 1000 && this.aliasCount / this.decodeCount > allowedAliasRatio(this.decodeCount)) {
      throw new Fail('document contains excessive aliasing', n);
    }
    if (n.kind === 'alias') return this.alias(n, out, current);
    // prepare: a null leaves the target alone; pointers are allocated; CustomDuration unmarshals itself.
    if (nodeShortTag(n) !== NULL_TAG) {
      while (out.kind === 'ptr') out = out.elem;
      if (out.kind === 'customDuration') {
        const before = this.errors.length;
        const [, value] = this.unmarshal(n, { kind: 'duration' });
        return [this.errors.length === before, value];
      }
    }
    switch (n.kind) {
      case 'scalar':
        return this.scalar(n, out, current);
      case 'mapping':
        return this.mapping(n, out, current);
      case 'sequence':
        return this.sequence(n, out);
      default:
        return this.unmarshal(n.content[0]!, out, current);
    }
  }

  private alias(n: YNode, out: GoType, current?: Decoded): [boolean, Decoded] {
    if (this.aliases.has(n)) throw new Fail(`anchor '${n.value}' value contains itself`, n);
    this.aliases.add(n);
    this.aliasDepth++;
    try {
      return this.unmarshal(n.alias!, out, current);
    } finally {
      this.aliasDepth--;
      this.aliases.delete(n);
    }
  }

  /** d.null: an interface, pointer or slice becomes nil; any other target is left as it was. */
  private null(out: GoType, current?: Decoded): [boolean, Decoded] {
    if (out.kind === 'interface') return [true, { t: 'nil' }];
    if (out.kind === 'ptr' || out.kind === 'slice') return [true, undefined];
    return [false, current];
  }

  private scalar(n: YNode, out: GoType, current?: Decoded): [boolean, Decoded] {
    let tag: string;
    let resolved: GoValue;
    if (indicatedString(n)) {
      tag = STR_TAG;
      resolved = { t: 'string', v: n.value };
    } else {
      [tag, resolved] = this.resolveOrFail(n);
      if (tag === BINARY_TAG) {
        const data = base64Decode((resolved as { v: string }).v);
        if (data === undefined) throw new Fail('!!binary value contains invalid base64 data', n);
        resolved = { t: 'string', v: data };
      }
    }
    if (resolved.t === 'nil') return this.null(out, current);
    while (out.kind === 'ptr') out = out.elem;
    switch (out.kind) {
      case 'string':
        return [true, tag === BINARY_TAG && resolved.t === 'string' ? resolved.v : n.value];
      case 'interface':
        return [true, resolved];
      case 'int':
      case 'duration': {
        const isDuration = out.kind === 'duration';
        if (!isDuration) {
          if (resolved.t === 'int') return [true, resolved.v];
          if (resolved.t === 'uint64' && resolved.v <= INT64_MAX) return [true, resolved.v];
          if (resolved.t === 'float64' && resolved.v <= 9223372036854775807) return [true, floatToInt64(resolved.v)];
        } else if (resolved.t === 'string') {
          const d = parseDuration(resolved.v);
          if (d.ok) return [true, d.nanoseconds];
        }
        break;
      }
      case 'uint':
      case 'uint64':
        if ((resolved.t === 'int' || resolved.t === 'uint64') && resolved.v >= 0n && resolved.v <= UINT64_MAX) return [true, resolved.v];
        if (resolved.t === 'float64' && resolved.v <= 18446744073709551615) return [true, resolved.v < 0 ? floatToInt64(resolved.v) & UINT64_MAX : BigInt(Math.trunc(resolved.v))];
        break;
      case 'bool':
        if (resolved.t === 'bool') return [true, resolved.v];
        if (resolved.t === 'string') {
          if (['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON'].includes(resolved.v)) return [true, true];
          if (['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF'].includes(resolved.v)) return [true, false];
        }
        break;
      default:
        break;
    }
    this.terror(n, tag, out);
    return [false, current];
  }

  private resolveOrFail(n: YNode): [string, GoValue] {
    try {
      return resolve(n.tag, n.value);
    } catch (error) {
      if (error instanceof YamlStop) throw new Fail(error.problem, n);
      throw error;
    }
  }

  private sequence(n: YNode, out: GoType): [boolean, Decoded] {
    while (out.kind === 'ptr') out = out.elem;
    if (out.kind === 'interface') {
      const items: GoValue[] = [];
      for (const item of n.content) {
        const [ok, v] = this.unmarshal(item, out);
        if (ok) items.push(v as GoValue);
      }
      return [true, { t: 'slice', items }];
    }
    if (out.kind !== 'slice') {
      this.terror(n, SEQ_TAG, out);
      return [false, undefined];
    }
    const items: Decoded[] = [];
    for (const item of n.content) {
      const [ok, v] = this.unmarshal(item, out.elem);
      if (ok) items.push(v);
    }
    return [true, items];
  }

  /** The duplicate keys of a mapping, reported in yaml.v3's nested-loop order; true if any. */
  private duplicates(n: YNode): boolean {
    const groups = new Map<string, YNode[]>();
    for (let i = 0; i < n.content.length; i += 2) {
      const k = n.content[i]!;
      const id = `${k.kind}\0${k.value}`;
      const group = groups.get(id);
      if (group) group.push(k);
      else groups.set(id, [k]);
    }
    const found: Array<[YNode, YNode]> = [];
    for (const group of groups.values()) for (let i = 0; i < group.length; i++) for (let j = i + 1; j < group.length; j++) found.push([group[i]!, group[j]!]);
    if (found.length === 0) return false;
    const index = new Map<YNode, number>();
    n.content.forEach((k, i) => index.set(k, i));
    found.sort((a, b) => index.get(a[0])! - index.get(b[0])! || index.get(a[1])! - index.get(b[1])!);
    for (const [first, second] of found) {
      this.errors.push({ message: `line ${second.line}: mapping key ${goQuote(second.value)} already defined at line ${first.line}`, node: second, kind: 'duplicate', first });
    }
    return true;
  }

  private mapping(n: YNode, out: GoType, current?: Decoded): [boolean, Decoded] {
    if (this.duplicates(n)) return [false, current];
    while (out.kind === 'ptr') out = out.elem;
    if (out.kind === 'struct') return this.mappingStruct(n, out, current as StructValue | undefined);
    if (out.kind !== 'interface') {
      this.terror(n, MAP_TAG, out);
      return [false, current];
    }
    const stringKeys = n.content.every((k, i) => i % 2 === 1 || [STR_TAG, MERGE_TAG].includes(nodeShortTag(k)));
    const map: GoValue = current && typeof current === 'object' && 't' in current && current.t === 'map' ? current : { t: 'map', stringKeys, entries: [] };
    const merged = this.mergedFields;
    this.mergedFields = undefined;
    let mergeNode: YNode | undefined;
    for (let i = 0; i < n.content.length; i += 2) {
      const key = n.content[i]!;
      if (isMerge(key)) {
        mergeNode = n.content[i + 1];
        continue;
      }
      const [ok, k] = this.unmarshal(key, { kind: 'interface' });
      if (!ok) continue;
      const kv = k as GoValue;
      if (merged) {
        if (merged.has(goKey(kv))) continue;
        merged.add(goKey(kv));
      }
      if (kv.t === 'map' || kv.t === 'slice') throw new Fail(`invalid map key: ${goSyntax(kv)}`, key);
      const valueNode = n.content[i + 1]!;
      const [vok, v] = this.unmarshal(valueNode, { kind: 'interface' });
      const existing = map.entries.findIndex(([ek]) => goKey(ek) === goKey(kv));
      if (vok || (nodeShortTag(valueNode) === NULL_TAG && existing < 0)) {
        if (existing >= 0) map.entries[existing] = [kv, v as GoValue];
        else map.entries.push([kv, (v as GoValue) ?? { t: 'nil' }]);
      }
    }
    this.mergedFields = merged;
    if (mergeNode) this.merge(n, mergeNode, out, map);
    return [true, map];
  }

  private mappingStruct(n: YNode, out: Extract<GoType, { kind: 'struct' }>, current?: StructValue): [boolean, Decoded] {
    const value: StructValue = current ?? { type: out.name, fields: new Map(), node: n, ...(out.inlineMap ? { inline: new Map() } : {}) };
    const merged = this.mergedFields;
    this.mergedFields = undefined;
    let mergeNode: YNode | undefined;
    const done = new Set<string>();
    for (let i = 0; i < n.content.length; i += 2) {
      const key = n.content[i]!;
      if (isMerge(key)) {
        mergeNode = n.content[i + 1];
        continue;
      }
      const [ok, name] = this.unmarshal(key, { kind: 'string' });
      if (!ok) continue;
      const sname = name as string;
      if (merged) {
        if (merged.has(goKey({ t: 'string', v: sname }))) continue;
        merged.add(goKey({ t: 'string', v: sname }));
      }
      const valueNode = n.content[i + 1]!;
      const field = out.fields.find((f) => f.key === sname);
      if (field) {
        if (done.has(sname)) {
          this.errors.push({ message: `line ${key.line}: field ${sname} already set in type ${out.name}`, node: key, kind: 'duplicate' });
          continue;
        }
        done.add(sname);
        const previous = value.fields.get(sname)?.value;
        const [, decoded] = this.unmarshal(valueNode, field.type, previous);
        value.fields.set(sname, { value: decoded, key, node: derefAlias(valueNode) });
      } else if (out.inlineMap) {
        const [, decoded] = this.unmarshal(valueNode, { kind: 'interface' });
        value.inline!.set(sname, { value: decoded ?? { t: 'nil' }, key, node: derefAlias(valueNode) });
      } else {
        this.unknownFields.push({ message: `line ${key.line}: field ${sname} not found in type ${out.name}`, node: key, kind: 'unknown-field', structType: out.name, field: sname });
      }
    }
    this.mergedFields = merged;
    if (mergeNode) this.merge(n, mergeNode, out, value);
    return [true, value];
  }

  private merge(parent: YNode, merge: YNode, out: GoType, target: Decoded): void {
    const merged = this.mergedFields;
    if (!merged) {
      this.mergedFields = new Set();
      for (let i = 0; i < parent.content.length; i += 2) {
        const [ok, k] = this.unmarshal(parent.content[i]!, { kind: 'interface' });
        if (ok) this.mergedFields.add(goKey(k as GoValue));
      }
    }
    const wantMap = () => {
      throw new Fail('map merge requires map or sequence of maps as the value', merge);
    };
    if (merge.kind === 'mapping') {
      this.unmarshal(merge, out, target);
    } else if (merge.kind === 'alias') {
      if (merge.alias && merge.alias.kind !== 'mapping') wantMap();
      this.unmarshal(merge, out, target);
    } else if (merge.kind === 'sequence') {
      for (const item of merge.content) {
        if (item.kind === 'alias') {
          if (item.alias && item.alias.kind !== 'mapping') wantMap();
        } else if (item.kind !== 'mapping') {
          wantMap();
        }
        this.unmarshal(item, out, target);
      }
    } else {
      wantMap();
    }
    this.mergedFields = merged;
  }
}

function isMerge(n: YNode): boolean {
  return n.kind === 'scalar' && n.value === '<<' && (n.tag === '' || n.tag === '!' || shortTag(n.tag) === MERGE_TAG);
}

function derefAlias(n: YNode): YNode {
  let node = n;
  for (let i = 0; i < 100 && node.kind === 'alias' && node.alias; i++) node = node.alias;
  return node;
}

/** Decoder.Decode of a document's root into a Go type. */
export function decode(root: YNode | undefined, type: GoType): DecodeResult {
  const d = new Decoder();
  if (!root) return { value: undefined, errors: [], unknownFields: [] };
  try {
    const [, value] = d.unmarshal(root, type);
    return { value, errors: d.errors, unknownFields: d.unknownFields };
  } catch (error) {
    if (error instanceof Fail) return { value: undefined, errors: [], unknownFields: [], fatal: { message: `yaml: ${error.message}`, node: error.node } };
    throw error;
  }
}
