// Grouping values by key without copying lists (a copy per addition is quadratic on large configs).

export function addTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The value `map` keeps for `key`, made and kept on first use (a question asked of a server by each of its locations). */
export function keptIn<K, V>(map: Map<K, V>, key: K, make: (key: K) => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = make(key)));
  return value;
}

/**
 * Results kept by text across analyses, for texts a configuration repeats (values, addresses, cipher
 * strings, regexes, message templates), texts longer than `maxTextLength` (junk being typed or
 * pasted) computed each time. It holds `maxEntries` texts at first. When it is full it lets them all
 * go, unless most lookups since it last did so missed: then the texts in use outnumber it (a
 * configuration with 8,000 regexes, read by several rules in turn), and clearing would make every
 * lookup miss, so it doubles instead, up to `maxGrowth` times its first size.
 */
export class TextMemo<T> {
  private readonly kept = new Map<string, T>();
  private limit: number;
  private hits = 0;
  private misses = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxTextLength = Number.POSITIVE_INFINITY,
    private readonly maxGrowth = 16,
  ) {
    this.limit = maxEntries;
  }

  get(text: string, compute: () => T): T {
    if (text.length > this.maxTextLength) return compute();
    let value = this.kept.get(text);
    if (value !== undefined) {
      this.hits++;
      return value;
    }
    this.misses++;
    if (this.kept.size >= this.limit) {
      if (this.misses > this.hits && this.limit < this.maxEntries * this.maxGrowth) this.limit *= 2;
      else this.kept.clear();
      this.hits = 0;
      this.misses = 0;
    }
    this.kept.set(text, (value = compute()));
    return value;
  }

  /** How many texts it holds before it next lets them go or grows. */
  get capacity(): number {
    return this.limit;
  }
}
