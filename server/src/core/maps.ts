// Grouping values by key without copying lists (a copy per addition is quadratic on large configs).

export function addTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Results kept by text across analyses, for texts a configuration repeats (values, addresses, cipher
 * strings, message templates): at most `maxEntries` (all let go when full), texts longer than
 * `maxTextLength` (junk being typed or pasted) computed each time.
 */
export class TextMemo<T> {
  private readonly kept = new Map<string, T>();

  constructor(
    private readonly maxEntries: number,
    private readonly maxTextLength = Number.POSITIVE_INFINITY,
  ) {}

  get(text: string, compute: () => T): T {
    if (text.length > this.maxTextLength) return compute();
    let value = this.kept.get(text);
    if (value === undefined) {
      if (this.kept.size >= this.maxEntries) this.kept.clear();
      this.kept.set(text, (value = compute()));
    }
    return value;
  }
}
