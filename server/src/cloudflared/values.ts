// Scalars as cloudflared's YAML library (gopkg.in/yaml.v3 v3.0.1) decodes them into Go types: the
// original text and its quoting decide, not what a YAML 1.2 parser makes of it.

import { isScalar, type Node } from 'yaml';

export type Decoded<T> = { ok: true; value: T | undefined } | { ok: false; message: string };

/** The tag yaml.v3 resolves a scalar to, for its error messages (`!!str`, `!!int`, ...). */
function goTag(node: Node): string {
  if (!isScalar(node)) return node.constructor.name === 'YAMLSeq' ? '!!seq' : '!!map';
  const source = String(node.source ?? node.value ?? '');
  if (node.type !== 'PLAIN') return '!!str';
  if (/^(true|True|TRUE|false|False|FALSE)$/.test(source)) return '!!bool';
  if (/^[-+]?(0|[1-9][0-9_]*|0x[0-9a-fA-F_]+|0o[0-7_]+)$/.test(source)) return '!!int';
  if (/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(source)) return '!!float';
  if (/^(~|null|Null|NULL)?$/.test(source)) return '!!null';
  return '!!str';
}

function sourceOf(node: Node): string {
  return isScalar(node) ? String(node.source ?? node.value ?? '') : '';
}

function isNull(node: Node | null | undefined): boolean {
  return !node || (isScalar(node) && node.type === 'PLAIN' && /^(~|null|Null|NULL)?$/.test(sourceOf(node)));
}

function cannot(node: Node, into: string): { ok: false; message: string } {
  return { ok: false, message: `cannot unmarshal ${goTag(node)} \`${sourceOf(node)}\` into ${into}` };
}

const TRUE_1_1 = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON']);
const FALSE_1_1 = new Set(['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF']);

/** A bool of originRequest: YAML 1.2 booleans, plus yaml.v3's YAML 1.1 words, quoted or not. */
export function decodeBool(node: Node | null | undefined): Decoded<boolean> {
  if (isNull(node)) return { ok: true, value: undefined };
  if (!isScalar(node)) return cannot(node!, 'bool');
  const source = sourceOf(node);
  if (node.type === 'PLAIN' && /^(true|True|TRUE)$/.test(source)) return { ok: true, value: true };
  if (node.type === 'PLAIN' && /^(false|False|FALSE)$/.test(source)) return { ok: true, value: false };
  if (TRUE_1_1.has(source)) return { ok: true, value: true };
  if (FALSE_1_1.has(source)) return { ok: true, value: false };
  return cannot(node, 'bool');
}

/** A bool command-line flag used as a top-level key: only a real YAML boolean. */
export function decodeFlagBool(node: Node | null | undefined, key: string): Decoded<boolean> {
  if (isNull(node)) return { ok: true, value: undefined };
  if (isScalar(node) && node.type === 'PLAIN') {
    const source = sourceOf(node);
    if (/^(true|True|TRUE)$/.test(source)) return { ok: true, value: true };
    if (/^(false|False|FALSE)$/.test(source)) return { ok: true, value: false };
  }
  const found = goTag(node!).slice(2);
  return { ok: false, message: `expected boolean found ${found === 'str' ? 'string' : found} for ${key}` };
}

const UNIT = /^(ns|us|µs|μs|ms|s|m|h)/;

/** Go's time.ParseDuration: "30s", "1m30s", "-1.5h", "0"; undefined when invalid. */
export function parseGoDuration(text: string): number | undefined {
  let s = text;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') return undefined;
  const scale: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  while (s.length > 0) {
    const number = /^([0-9]*(\.[0-9]*)?)/.exec(s)![1]!;
    if (number === '' || number === '.') return undefined;
    s = s.slice(number.length);
    const unit = UNIT.exec(s)?.[1];
    if (!unit) return undefined;
    s = s.slice(unit.length);
    total += Number(number) * scale[unit]!;
  }
  return sign * total;
}

/** A duration key: a Go duration string; a bare number is a decoding error. */
export function decodeDuration(node: Node | null | undefined): Decoded<number> {
  if (isNull(node)) return { ok: true, value: undefined };
  if (!isScalar(node)) return cannot(node!, 'time.Duration');
  const tag = goTag(node);
  if (tag === '!!int' || tag === '!!float' || tag === '!!bool') return cannot(node, 'time.Duration');
  const source = sourceOf(node);
  const value = parseGoDuration(String(node.value));
  if (value === undefined) {
    const missingUnit = /^[-+]?[0-9.]+$/.test(String(node.value));
    return { ok: false, message: `time: ${missingUnit ? 'missing unit in' : 'invalid'} duration "${source.replace(/^["']|["']$/g, '')}"` };
  }
  return { ok: true, value };
}

/** An int (or a uint) key. */
export function decodeInt(node: Node | null | undefined, unsigned: boolean): Decoded<number> {
  if (isNull(node)) return { ok: true, value: undefined };
  if (!isScalar(node) || goTag(node) !== '!!int') return cannot(node!, unsigned ? 'uint' : 'int');
  const value = Number(sourceOf(node).replaceAll('_', ''));
  if (unsigned && value < 0) return cannot(node, 'uint');
  return { ok: true, value };
}

/** A string key: any scalar but a mapping or a list. */
export function decodeString(node: Node | null | undefined): Decoded<string> {
  if (isNull(node)) return { ok: true, value: undefined };
  if (!isScalar(node)) return cannot(node!, 'string');
  return { ok: true, value: String(node.value) };
}
