// The generic value parsers nginx's modules hand most arguments to (ngx_conf_set_*_slot in
// src/core/ngx_conf_file.c), applied where the real nginx was measured to use them (value-table.ts).

import { isFlag, valueInVersion, type DirectiveSpec } from '../../nginx/directives';
import type { HandlerError } from '../handler';
import type { ConfigDirective } from '../../model/config';
import { valueKinds, type ValueKind } from '../value-table';
import { hasVariables, parseDecimal, parseOffset, parseSize, parseTime } from '../values';

const EXPLAIN: Record<string, string> = {
  number: 'It takes a whole number (digits only).',
  size: 'It takes a size in bytes, optionally with k or m (nginx has no g for this one).',
  offset: 'It takes a size in bytes, optionally with k, m or g.',
  msec: 'It takes a time: a number of seconds, or with units (ms, s, m, h, d, w, M, y from the largest down, such as "1m 30s" or "500ms").',
  sec: 'It takes a time in seconds, optionally with units (s, m, h, d, w, M, y from the largest down, such as "1h 30m"); "ms" is not accepted here.',
};

const literalsOf = new WeakMap<DirectiveSpec, ReadonlySet<string>>();

/** The words a directive's syntax lines write literally (`off`, `epoch`, `TLSv1.2`...), read once per spec. */
function literals(spec: DirectiveSpec): ReadonlySet<string> {
  let words = literalsOf.get(spec);
  if (!words) {
    const found = new Set<string>();
    for (const line of spec.syntax) for (const m of line.matchAll(/`([^`]+)`/g)) found.add(m[1]!.toLowerCase());
    literalsOf.set(spec, (words = found));
  }
  return words;
}

const enumeratedOf = new WeakMap<DirectiveSpec, Map<string, readonly string[] | undefined>>();

/**
 * For an enumeration (one word of a list) or a bitmask (several words of a list): the words, when the
 * syntax is nothing but literals (a placeholder such as *`method`* means the module reads them itself).
 */
export function enumeratedValues(spec: DirectiveSpec, version: string): readonly string[] | undefined {
  let byVersion = enumeratedOf.get(spec);
  if (!byVersion) enumeratedOf.set(spec, (byVersion = new Map()));
  if (!byVersion.has(version)) byVersion.set(version, listEnumeratedValues(spec, version));
  return byVersion.get(version);
}

/**
 * Words nginx's own tables accept that the documented syntax leaves out: `updating` in the
 * next_upstream masks of proxy, fastcgi, uwsgi and scgi (nginx 1.22.1 ngx_http_proxy_module.c:261,
 * ngx_http_fastcgi_module.c:218, ngx_http_uwsgi_module.c:119, ngx_http_scgi_module.c:87; not grpc's nor
 * memcached's).
 */
const UNDOCUMENTED_VALUES: Readonly<Record<string, readonly string[]>> = {
  proxy_next_upstream: ['updating'],
  fastcgi_next_upstream: ['updating'],
  uwsgi_next_upstream: ['updating'],
  scgi_next_upstream: ['updating'],
};

function listEnumeratedValues(spec: DirectiveSpec, version: string): readonly string[] | undefined {
  const text = spec.syntax.join(' | ');
  const stripped = text.replace(/`[^`]+`/g, '').replace(/[\s|[\].]/g, '');
  if (stripped !== '') return undefined;
  const documented = [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1]!).filter((v) => valueInVersion(spec, v, version));
  return [...documented, ...(UNDOCUMENTED_VALUES[spec.name] ?? [])];
}

function checkValue(kind: ValueKind, value: string, spec: DirectiveSpec, version: string): string | undefined {
  switch (kind.kind) {
    case 'number': {
      const n = parseDecimal(value);
      if (n === undefined) return `"${spec.name}" directive invalid number`;
      if (kind.min !== undefined && kind.max !== undefined && (n < BigInt(kind.min) || n > BigInt(kind.max))) return `value must be between ${kind.min} and ${kind.max}`;
      if (kind.min !== undefined && kind.max === undefined && n < BigInt(kind.min)) return `value must be equal to or greater than ${kind.min}`;
      return undefined;
    }
    case 'size':
      return parseSize(value) === undefined ? `"${spec.name}" directive invalid value` : undefined;
    case 'offset':
      return parseOffset(value) === undefined ? `"${spec.name}" directive invalid value` : undefined;
    case 'msec':
    case 'sec':
      return parseTime(value, kind.kind === 'sec') === undefined ? `"${spec.name}" directive invalid value` : undefined;
    case 'enum': {
      const values = enumeratedValues(spec, version);
      if (!values || values.some((v) => v.toLowerCase() === value.toLowerCase())) return undefined;
      return `invalid value "${value}"`;
    }
    default:
      return undefined;
  }
}

/** The first argument nginx's slot parser refuses, as nginx reports it. */
export function checkSlots(directive: ConfigDirective, spec: DirectiveSpec, version: string): HandlerError | undefined {
  const { node } = directive;
  const kinds = valueKinds(node.name, node.args.length);
  if (!kinds) return undefined;
  const words = literals(spec);
  for (let i = 0; i < node.args.length; i++) {
    const arg = node.args[i]!;
    const measured = kinds[i];
    if (!measured || measured.kind === 'string') continue;
    if (measured.kind === 'flag' && isFlag(spec, version)) continue; // nginx/invalid-arguments
    // a flag that gained a word after the measured nginx is an enumeration (proxy_protocol v2, 1.31.4)
    const kind: ValueKind = measured.kind === 'flag' ? { kind: 'enum' } : measured;
    if ('variables' in kind && kind.variables && hasVariables(arg.value)) continue;
    if (kind.kind !== 'enum' && words.has(arg.value.toLowerCase())) continue; // `off`, `epoch`, `max`...
    const message = checkValue(kind, arg.value, spec, version);
    if (message === undefined) continue;
    const values = kind.kind === 'enum' ? enumeratedValues(spec, version) : undefined;
    const newer = spec.valueHistory.find((v) => v.value.toLowerCase() === arg.value.toLowerCase() && v.since);
    const explain = newer
      ? `"${arg.value}" is accepted since nginx ${newer.since}; the nginx configured here is ${version}, which takes ${values!.map((v) => `"${v}"`).join(', ')}.`
      : values
        ? `It takes ${values.map((v) => `"${v}"`).join(', ')}.`
        : (EXPLAIN[kind.kind] ?? '');
    return { message, at: arg, explain };
  }
  return undefined;
}
