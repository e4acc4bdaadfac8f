// Sets of bytes. nginx runs PCRE on bytes (no UTF mode unless a pattern asks for it), and the
// questions the rules ask are about bytes: can this value hold a line feed, a "/", a "."?

/**
 * Eight 32-bit words, bit b of word w for byte 32w + b, held as signed integers: V8 keeps them in a
 * plain array of small integers. (A Uint32Array and its ArrayBuffer per set made each set four times
 * the size, and nine thousand regexes' automata made the collector copy 36 MB of sets.)
 */
type Words = readonly number[];

export class ByteSet {
  private constructor(private readonly words: Words) {}

  static readonly EMPTY = new ByteSet([0, 0, 0, 0, 0, 0, 0, 0]);
  static readonly ALL = new ByteSet([-1, -1, -1, -1, -1, -1, -1, -1]);

  /** The set of these words: the shared EMPTY and ALL when it is one of them. */
  private static from(words: number[]): ByteSet {
    let or = 0;
    let and = -1;
    for (let i = 0; i < 8; i++) {
      or |= words[i]!;
      and &= words[i]!;
    }
    if (or === 0) return ByteSet.EMPTY;
    if (and === -1) return ByteSet.ALL;
    return new ByteSet(words);
  }

  static of(...bytes: number[]): ByteSet {
    if (bytes.length === 1) return ByteSet.single(bytes[0]!);
    const words = [0, 0, 0, 0, 0, 0, 0, 0];
    for (const b of bytes) words[b >> 5]! |= 1 << (b & 31);
    return ByteSet.from(words);
  }

  /** One byte's set, made once: a regex's literal characters are most of its sets. */
  private static single(byte: number): ByteSet {
    let set = SINGLES[byte];
    if (!set) {
      const words = [0, 0, 0, 0, 0, 0, 0, 0];
      words[byte >> 5] = 1 << (byte & 31);
      SINGLES[byte] = set = new ByteSet(words);
    }
    return set;
  }

  static chars(text: string): ByteSet {
    return ByteSet.of(...[...text].map((c) => c.charCodeAt(0) & 0xff));
  }

  static range(from: number, to: number): ByteSet {
    const words = [0, 0, 0, 0, 0, 0, 0, 0];
    for (let b = from; b <= to; b++) words[b >> 5]! |= 1 << (b & 31);
    return ByteSet.from(words);
  }

  has(byte: number): boolean {
    return (this.words[byte >> 5]! & (1 << (byte & 31))) !== 0;
  }

  hasChar(char: string): boolean {
    return this.has(char.charCodeAt(0));
  }

  union(other: ByteSet): ByteSet {
    if (other === ByteSet.EMPTY || this === other) return this;
    if (this === ByteSet.EMPTY) return other;
    const a = this.words;
    const b = other.words;
    return ByteSet.from([a[0]! | b[0]!, a[1]! | b[1]!, a[2]! | b[2]!, a[3]! | b[3]!, a[4]! | b[4]!, a[5]! | b[5]!, a[6]! | b[6]!, a[7]! | b[7]!]);
  }

  intersect(other: ByteSet): ByteSet {
    if (other === ByteSet.ALL || this === other) return this;
    if (this === ByteSet.ALL) return other;
    const a = this.words;
    const b = other.words;
    return ByteSet.from([a[0]! & b[0]!, a[1]! & b[1]!, a[2]! & b[2]!, a[3]! & b[3]!, a[4]! & b[4]!, a[5]! & b[5]!, a[6]! & b[6]!, a[7]! & b[7]!]);
  }

  minus(other: ByteSet): ByteSet {
    if (other === ByteSet.EMPTY) return this;
    const a = this.words;
    const b = other.words;
    return ByteSet.from([a[0]! & ~b[0]!, a[1]! & ~b[1]!, a[2]! & ~b[2]!, a[3]! & ~b[3]!, a[4]! & ~b[4]!, a[5]! & ~b[5]!, a[6]! & ~b[6]!, a[7]! & ~b[7]!]);
  }

  complement(): ByteSet {
    const a = this.words;
    return ByteSet.from([~a[0]!, ~a[1]!, ~a[2]!, ~a[3]!, ~a[4]!, ~a[5]!, ~a[6]!, ~a[7]!]);
  }

  isEmpty(): boolean {
    return this === ByteSet.EMPTY;
  }

  isFull(): boolean {
    return this === ByteSet.ALL;
  }

  overlaps(other: ByteSet): boolean {
    const a = this.words;
    const b = other.words;
    for (let i = 0; i < 8; i++) if ((a[i]! & b[i]!) !== 0) return true;
    return false;
  }

  subsetOf(other: ByteSet): boolean {
    const a = this.words;
    const b = other.words;
    for (let i = 0; i < 8; i++) if ((a[i]! & ~b[i]!) !== 0) return false;
    return true;
  }

  equals(other: ByteSet): boolean {
    if (this === other) return true;
    const a = this.words;
    const b = other.words;
    for (let i = 0; i < 8; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  /** A number that equal sets share (for tables of sets: compare with equals). */
  hash(): number {
    const w = this.words;
    let h = 0;
    for (let i = 0; i < 8; i++) h = (Math.imul(h, 31) + w[i]!) | 0;
    return h;
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
    const words = [...this.words];
    for (let b = 0x41; b <= 0x5a; b++) {
      if (this.has(b) || this.has(b + 32)) {
        words[b >> 5]! |= 1 << (b & 31);
        words[(b + 32) >> 5]! |= 1 << ((b + 32) & 31);
      }
    }
    const folded = ByteSet.from(words);
    return folded.equals(this) ? this : folded;
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

const SINGLES: Array<ByteSet | undefined> = [];

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
