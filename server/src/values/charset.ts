// Sets of bytes. nginx runs PCRE on bytes (no UTF mode unless a pattern asks for it), and the
// questions the rules ask are about bytes: can this value hold a line feed, a "/", a "."?

export class ByteSet {
  private constructor(private readonly words: Uint32Array) {}

  static readonly EMPTY = new ByteSet(new Uint32Array(8));
  static readonly ALL = new ByteSet(new Uint32Array(8).fill(0xffffffff));

  static of(...bytes: number[]): ByteSet {
    const words = new Uint32Array(8);
    for (const b of bytes) words[b >> 5]! |= 1 << (b & 31);
    return new ByteSet(words);
  }

  static chars(text: string): ByteSet {
    return ByteSet.of(...[...text].map((c) => c.charCodeAt(0) & 0xff));
  }

  static range(from: number, to: number): ByteSet {
    const words = new Uint32Array(8);
    for (let b = from; b <= to; b++) words[b >> 5]! |= 1 << (b & 31);
    return new ByteSet(words);
  }

  has(byte: number): boolean {
    return (this.words[byte >> 5]! & (1 << (byte & 31))) !== 0;
  }

  hasChar(char: string): boolean {
    return this.has(char.charCodeAt(0));
  }

  union(other: ByteSet): ByteSet {
    return new ByteSet(this.words.map((w, i) => w | other.words[i]!));
  }

  intersect(other: ByteSet): ByteSet {
    return new ByteSet(this.words.map((w, i) => w & other.words[i]!));
  }

  minus(other: ByteSet): ByteSet {
    return new ByteSet(this.words.map((w, i) => w & ~other.words[i]!));
  }

  complement(): ByteSet {
    return new ByteSet(this.words.map((w) => ~w >>> 0));
  }

  isEmpty(): boolean {
    return this.words.every((w) => w === 0);
  }

  isFull(): boolean {
    return this.words.every((w) => w === 0xffffffff);
  }

  overlaps(other: ByteSet): boolean {
    return this.words.some((w, i) => (w & other.words[i]!) !== 0);
  }

  subsetOf(other: ByteSet): boolean {
    return this.words.every((w, i) => (w & ~other.words[i]!) === 0);
  }

  equals(other: ByteSet): boolean {
    return this.words.every((w, i) => w === other.words[i]);
  }

  /** A string that identifies the set (for caches). */
  key(): string {
    return this.words.join(',');
  }

  size(): number {
    let n = 0;
    for (let b = 0; b < 256; b++) if (this.has(b)) n++;
    return n;
  }

  /** The bytes in order. */
  bytes(): number[] {
    const out: number[] = [];
    for (let b = 0; b < 256; b++) if (this.has(b)) out.push(b);
    return out;
  }

  /** Letters in both cases (PCRE's caseless matching on bytes folds ASCII letters only). */
  caseless(): ByteSet {
    const words = new Uint32Array(this.words);
    for (let b = 0x41; b <= 0x5a; b++) {
      if (this.has(b) || this.has(b + 32)) {
        words[b >> 5]! |= 1 << (b & 31);
        words[(b + 32) >> 5]! |= 1 << ((b + 32) & 31);
      }
    }
    return new ByteSet(words);
  }

  /**
   * The byte a person would write for this set in an example: the byte itself for a single one,
   * otherwise a lower-case letter, a digit, a name character, anything printable, in that order.
   */
  representative(): number | undefined {
    const bytes = this.bytes();
    if (bytes.length <= 1) return bytes[0];
    for (const preferred of ['abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', '0123456789', '-_', '.~!*\'()+,;=:@/']) {
      for (const c of preferred) if (this.hasChar(c)) return c.charCodeAt(0);
    }
    return bytes.find((b) => b > 0x20 && b < 0x7f) ?? bytes.find((b) => b !== 0) ?? bytes[0];
  }
}

export const DIGITS = ByteSet.range(0x30, 0x39);
export const WORD = ByteSet.range(0x61, 0x7a).union(ByteSet.range(0x41, 0x5a)).union(DIGITS).union(ByteSet.chars('_'));
/** PCRE2's \s: space, \t, \n, \v, \f, \r. */
export const SPACE = ByteSet.of(0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d);
/** PCRE2's \h in 8-bit mode: tab, space, no-break space. */
export const HORIZONTAL = ByteSet.of(0x09, 0x20, 0xa0);
/** PCRE2's \v in 8-bit mode: \n \v \f \r and NEL. */
export const VERTICAL = ByteSet.of(0x0a, 0x0b, 0x0c, 0x0d, 0x85);
export const CR = 0x0d;
export const LF = 0x0a;
