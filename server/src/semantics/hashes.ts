// The hashes nginx builds from the configuration (server names per address, map keys, variable
// names), checked as src/core/ngx_hash.c builds them on 64-bit Linux: ngx_hash_init refuses a bucket
// too small for one element, a max_size of 0 and a bucket over 64k, and warns when no table of at most
// max_size buckets holds every key ("could not build optimal"); ngx_hash_wildcard_init builds one
// table per level of a wildcard name, each keyed by one label (so a long wildcard name of short labels
// fits where the same exact name does not).

/** ngx_cacheline_size on x86-64 (Intel family 6 and AMD: ngx_cpuinfo.c; NGX_CPU_CACHE_LINE 64 in auto/os/conf). */
export const CACHE_LINE = 64;
const POINTER = 8;
/** ngx_hash_init's limit on a bucket (and on what one bucket holds once built): 64k less a cache line. */
const BUCKET_LIMIT = 65536 - CACHE_LINE;
/** Past this many key placements the search for the table size is not repeated here (nginx would take seconds too). */
const SEARCH_BUDGET = 20_000_000;

export interface HashSettings {
  /** The hash's name as nginx prints it: `server_names_hash`, `map_hash`, `variables_hash`. */
  name: string;
  maxSize: number;
  /** Already aligned to the cache line, as nginx aligns it before building. */
  bucketSize: number;
}

/** A key as nginx stores it: its bytes, one character per byte (lowercased where nginx lowercases them). */
export type HashKey = string;

export type HashOutcome =
  | { kind: 'ok' }
  /**
   * nginx refuses the configuration; `key` is the element that does not fit, for a bucket too small;
   * `warning`, what nginx -t warned before (a table of the same hash that did not fit).
   */
  | { kind: 'error'; message: string; setting: 'max_size' | 'bucket_size'; key?: HashKey; warning?: string }
  /** nginx -t warns and builds a table of max_size buckets, ignoring the bucket size. */
  | { kind: 'warning'; message: string };

export function alignToCacheLine(size: number): number {
  return Math.ceil(size / CACHE_LINE) * CACHE_LINE;
}

/** NGX_HASH_ELT_SIZE: a pointer, the length, the bytes, aligned to a pointer. */
export function elementSize(length: number): number {
  return POINTER + Math.ceil((length + 2) / POINTER) * POINTER;
}

/** The smallest bucket size (a power of two from a cache line up) that holds a key of `length` bytes. */
export function bucketSizeFor(length: number): number {
  let size = CACHE_LINE;
  while (size < elementSize(length) + POINTER) size *= 2;
  return size;
}

/** A word of the configuration as the bytes nginx reads, one character per byte (a file read as latin1 is one already). */
export function keyBytes(text: string, latin1 = false): HashKey {
  return latin1 || /^[\x00-\x7f]*$/.test(text) ? text : Buffer.from(text, 'utf8').toString('latin1');
}

/** ngx_strlow: ASCII letters only. */
export function lowercased(key: HashKey): HashKey {
  return /[A-Z]/.test(key) ? key.replace(/[A-Z]+/g, (letters) => letters.toLowerCase()) : key;
}

/** ngx_hash_key over 64-bit ngx_uint_t (key * 31 + c), as two 32-bit halves. */
function hash64(key: HashKey): { hi: number; lo: number } {
  let hi = 0;
  let lo = 0;
  for (let i = 0; i < key.length; i++) {
    const low = lo * 31 + key.charCodeAt(i); // exact: under 2^37
    lo = low >>> 0;
    hi = (Math.imul(hi, 31) + (low - lo) / 0x1_0000_0000) >>> 0;
  }
  return { hi, lo };
}

function modulo({ hi, lo }: { hi: number; lo: number }, size: number): number {
  // (hi % size) * (2^32 % size) stays exact below 2^53 while size is under 2^26
  if (size > 0x400_0000) return Number(((BigInt(hi) << 32n) + BigInt(lo)) % BigInt(size));
  return ((hi % size) * (0x1_0000_0000 % size) + (lo % size)) % size;
}

/**
 * ngx_hash_init's first checks. They depend on the settings and the longest key only, so they also
 * hold for a hash whose other keys (nginx's own variables or headers) are not known, being short.
 */
export function refusedSizes(keys: readonly HashKey[], settings: HashSettings): Extract<HashOutcome, { kind: 'error' }> | undefined {
  const { name, maxSize, bucketSize } = settings;
  if (maxSize === 0) return { kind: 'error', setting: 'max_size', message: `could not build ${name}, you should increase ${name}_max_size: ${maxSize}` };
  if (bucketSize > BUCKET_LIMIT) return { kind: 'error', setting: 'bucket_size', message: `could not build ${name}, too large ${name}_bucket_size: ${bucketSize}` };
  for (const key of keys) {
    if (bucketSize < elementSize(key.length) + POINTER) return { kind: 'error', setting: 'bucket_size', key, message: `could not build ${name}, you should increase ${name}_bucket_size: ${bucketSize}` };
  }
  return undefined;
}

/** ngx_hash_init on `keys` (non-empty): its refusal, its warning, or nothing to say. */
export function buildHash(keys: readonly HashKey[], settings: HashSettings): HashOutcome {
  const { name, maxSize, bucketSize } = settings;
  const refused = refusedSizes(keys, settings);
  if (refused) return refused;
  const hashes = keys.map(hash64);
  const sizes = keys.map((k) => elementSize(k.length));
  const usable = bucketSize - POINTER;
  let start = Math.floor(keys.length / Math.floor(usable / (2 * POINTER))) || 1;
  if (maxSize > 10000 && Math.floor(maxSize / keys.length) < 100) start = maxSize - 1000;
  if ((maxSize - start + 1) * keys.length > SEARCH_BUDGET) return { kind: 'ok' };

  let size = fittingSize(hashes, sizes, start, maxSize, usable);
  let warning: HashOutcome | undefined;
  if (size === undefined) {
    size = maxSize;
    warning = {
      kind: 'warning',
      message: `could not build optimal ${name}, you should increase either ${name}_max_size: ${maxSize} or ${name}_bucket_size: ${bucketSize}; ignoring ${name}_bucket_size`,
    };
  }
  // what one bucket of the table built holds must stay under 64k all the same
  if (sizes.reduce((sum, size) => sum + size, POINTER) <= BUCKET_LIMIT) return warning ?? { kind: 'ok' };
  const held = new Map<number, number>();
  for (let n = 0; n < keys.length; n++) {
    const slot = modulo(hashes[n]!, size);
    const total = (held.get(slot) ?? POINTER) + sizes[n]!;
    if (total > BUCKET_LIMIT) return { kind: 'error', setting: 'max_size', message: `could not build ${name}, you should increase ${name}_max_size: ${maxSize}`, warning: warning?.kind === 'warning' ? warning.message : undefined };
    held.set(slot, total);
  }
  return warning ?? { kind: 'ok' };
}

/** Tables up to this many buckets are tried in arrays; larger ones (a max_size of millions) in a map of the buckets used. */
const ARRAY_TABLE = 1 << 20;

/** The first table size from `start` to `maxSize` whose buckets each hold what falls in them. */
function fittingSize(hashes: ReadonlyArray<{ hi: number; lo: number }>, sizes: readonly number[], start: number, maxSize: number, usable: number): number | undefined {
  const count = hashes.length;
  const his = Float64Array.from(hashes, (h) => h.hi);
  const los = Float64Array.from(hashes, (h) => h.lo);
  const lengths = Float64Array.from(sizes);
  if (maxSize > ARRAY_TABLE) {
    const held = new Map<number, number>();
    for (let size = start; size <= maxSize; size++) {
      held.clear();
      let fits = true;
      for (let n = 0; n < count && fits; n++) {
        const slot = modulo(hashes[n]!, size);
        const total = (held.get(slot) ?? 0) + lengths[n]!;
        held.set(slot, total);
        fits = total <= usable;
      }
      if (fits) return size;
    }
    return undefined;
  }
  // a bucket's total counts only when stamped by the size being tried: nothing to clear between sizes
  const held = new Float64Array(maxSize + 1);
  const stamp = new Int32Array(maxSize + 1);
  for (let size = start; size <= maxSize; size++) {
    const high = 0x1_0000_0000 % size;
    let fits = true;
    for (let n = 0; n < count; n++) {
      const slot = ((his[n]! % size) * high + (los[n]! % size)) % size;
      const total = (stamp[slot] === size ? held[slot]! : 0) + lengths[n]!;
      if (total > usable) {
        fits = false;
        break;
      }
      held[slot] = total;
      stamp[slot] = size;
    }
    if (fits) return size;
  }
  return undefined;
}

/**
 * ngx_hash_wildcard_init on wildcard keys as ngx_hash_add_key stores them (`com.example.` for
 * `*.example.com`, `com.example` for `.example.com`, `www.example` for `www.example.*`): a table per
 * level, keyed by the first label of the names left; deeper levels are built first. The first refusal,
 * or the first warning when nothing is refused.
 */
export function buildWildcardHash(keys: readonly HashKey[], settings: HashSettings): HashOutcome {
  const sorted = [...keys].sort(compareDns);
  let warning: HashOutcome | undefined;
  // levels to build, each after the levels below it (nginx recurses into each group before the level's own table)
  const pending: Array<{ names: HashKey[]; labels: HashKey[]; next: number }> = [{ names: sorted, labels: [], next: 0 }];
  while (pending.length > 0) {
    const level = pending[pending.length - 1]!;
    if (level.next >= level.names.length) {
      pending.pop();
      const outcome = buildHash(level.labels, settings);
      if (outcome.kind === 'error') return { ...outcome, warning: warning?.kind === 'warning' ? warning.message : outcome.warning };
      if (outcome.kind === 'warning') warning ??= outcome;
      continue;
    }
    const { names } = level;
    const first = names[level.next]!;
    const dotAt = first.indexOf('.');
    const dot = dotAt >= 0;
    const labelLength = dot ? dotAt : first.length;
    level.labels.push(first.slice(0, labelLength));
    const prefix = dot ? first.slice(0, labelLength + 1) : first.slice(0, labelLength);
    const rest: HashKey[] = [];
    if (first.length !== prefix.length) rest.push(first.slice(prefix.length));
    let i = level.next + 1;
    for (; i < names.length; i++) {
      const other = names[i]!;
      if (!other.startsWith(prefix)) break;
      if (!dot && other.length > prefix.length && other[prefix.length] !== '.') break;
      rest.push(other.slice(labelLength + 1));
    }
    level.next = i;
    if (rest.length > 0) pending.push({ names: rest, labels: [], next: 0 });
  }
  return warning ?? { kind: 'ok' };
}

/** ngx_dns_strcmp: ASCII case folded, and "." before every other byte. */
function compareDns(a: HashKey, b: HashKey): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    x = x >= 0x41 && x <= 0x5a ? x + 0x20 : x;
    y = y >= 0x41 && y <= 0x5a ? y + 0x20 : y;
    if (x === y) continue;
    if (x === 0x2e) return -1;
    if (y === 0x2e) return 1;
    return x - y;
  }
  return a.length - b.length;
}

/**
 * A name as ngx_hash_add_key files it with NGX_HASH_WILDCARD_KEY: an exact key, a head or tail
 * wildcard key, or invalid (more than one `*`, `..`, a `*` elsewhere, a NUL byte).
 */
export type FiledName = { kind: 'exact'; key: HashKey } | { kind: 'head' | 'tail'; key: HashKey } | { kind: 'invalid' };

export function fileName(name: HashKey): FiledName {
  const stars = name.split('*').length - 1;
  if (stars > 1 || name.includes('..') || name.includes('\0')) return { kind: 'invalid' };
  const key = lowercased(name);
  // "*.example.com" becomes "com.example." and ".example.com" "com.example"; "www.example.*" becomes "www.example"
  if (key.length > 1 && key.startsWith('.')) return { kind: 'head', key: key.slice(1).split('.').reverse().join('.') };
  if (key.length > 2 && key.startsWith('*.')) return { kind: 'head', key: `${key.slice(2).split('.').reverse().join('.')}.` };
  if (key.length > 2 && key.endsWith('.*')) return { kind: 'tail', key: key.slice(0, -2) };
  if (stars > 0) return { kind: 'invalid' };
  return { kind: 'exact', key };
}
