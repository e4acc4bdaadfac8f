// How many arguments a directive takes, derived from the syntax lines of nginx.org's reference
// (the Markdown of @nginx/reference-lib), e.g. "*`name`* *`value`* [`always`]" takes 2 or 3.
//
// Words are separated by white space; brackets, bars and `...` glued to a word belong to that word
// ("*`address`*[:*`port`*]" is one argument). A bracket group standing alone is optional, a bar standing
// alone separates alternatives, and a standalone `...` repeats what precedes it. The reference writes
// "[*`parameters`*]" for any number of parameters.

/** Counts 0..CAP-1 are exact; CAP means "CAP or more". */
const CAP = 16;

export class ArgCounts {
  private derived: readonly boolean[] | undefined;

  private constructor(
    allowed: readonly boolean[] | undefined,
    private derive?: () => ArgCounts,
  ) {
    this.derived = allowed;
  }

  /** Which counts are allowed, derived on first use for counts made by `deferred`. */
  private get allowed(): readonly boolean[] {
    if (!this.derived) {
      this.derived = this.derive!().allowed;
      this.derive = undefined;
    }
    return this.derived;
  }

  /**
   * Counts worked out only when first asked: the catalog holds ~1,000 directives and reading their
   * syntax lines took 15-25 ms of every process's start, for the few dozen names a configuration uses.
   */
  static deferred(derive: () => ArgCounts): ArgCounts {
    return new ArgCounts(undefined, derive);
  }

  static of(...counts: number[]): ArgCounts {
    const allowed = new Array<boolean>(CAP + 1).fill(false);
    for (const c of counts) allowed[Math.min(c, CAP)] = true;
    return new ArgCounts(allowed);
  }

  /** `min` or more. */
  static atLeast(min: number): ArgCounts {
    const allowed = new Array<boolean>(CAP + 1).fill(false);
    for (let c = Math.min(min, CAP); c <= CAP; c++) allowed[c] = true;
    return new ArgCounts(allowed);
  }

  accepts(count: number): boolean {
    return this.allowed[Math.min(count, CAP)] === true;
  }

  union(other: ArgCounts): ArgCounts {
    return new ArgCounts(this.allowed.map((a, i) => a || other.allowed[i] === true));
  }

  /** Every sum of one count of each. */
  plus(other: ArgCounts): ArgCounts {
    const allowed = new Array<boolean>(CAP + 1).fill(false);
    this.allowed.forEach((a, i) => {
      if (!a) return;
      other.allowed.forEach((b, j) => {
        if (b) allowed[Math.min(i + j, CAP)] = true;
      });
    });
    // "CAP or more" plus anything stays "CAP or more"
    return new ArgCounts(allowed);
  }

  /** One or more repetitions. */
  repeated(): ArgCounts {
    let result: ArgCounts = this;
    for (;;) {
      const next = result.union(result.plus(this));
      if (next.equals(result)) return result;
      result = next;
    }
  }

  equals(other: ArgCounts): boolean {
    return this.allowed.every((a, i) => a === other.allowed[i]);
  }

  /** The counts as nginx's documentation would phrase them: "2 or 3", "1 or more". */
  describe(): string {
    const exact: number[] = [];
    for (let i = 0; i < CAP; i++) if (this.allowed[i]) exact.push(i);
    if (this.allowed[CAP]) {
      // fold a tail of consecutive counts into "n or more"
      let from = CAP;
      while (from > 0 && this.allowed[from - 1]) from--;
      const listed = exact.filter((c) => c < from);
      const tail = `${from} or more`;
      return listed.length ? `${listed.join(', ')} or ${tail}` : tail;
    }
    if (exact.length === 0) return 'none';
    if (exact.length === 1) return String(exact[0]);
    return `${exact.slice(0, -1).join(', ')} or ${exact[exact.length - 1]}`;
  }

  /** The smallest and largest count (Infinity when unbounded). */
  bounds(): { min: number; max: number } {
    const min = this.allowed.indexOf(true);
    const max = this.allowed[CAP] ? Number.POSITIVE_INFINITY : this.allowed.lastIndexOf(true);
    return { min, max };
  }
}

/** The argument counts a set of syntax lines allows (their union). */
export function countsFromSyntax(lines: readonly string[]): ArgCounts {
  let counts: ArgCounts | undefined;
  for (const line of lines) {
    const c = new SyntaxReader(line).readAlternatives();
    counts = counts ? counts.union(c) : c;
  }
  return counts ?? ArgCounts.of(0);
}

class SyntaxReader {
  private pos = 0;

  constructor(private readonly text: string) {}

  /** alternatives := sequence ('|' sequence)*, up to a closing `]` or the end. */
  readAlternatives(): ArgCounts {
    let result = this.readSequence();
    while (this.peekStandalone('|')) {
      this.pos++;
      result = result.union(this.readSequence());
    }
    return result;
  }

  private readSequence(): ArgCounts {
    const elements: ArgCounts[] = [];
    for (;;) {
      this.skipSpaces();
      if (this.atEnd() || this.text[this.pos] === ']' || this.peekStandalone('|')) break;
      if (this.peekStandalone('...')) {
        this.pos += 3;
        const last = elements.pop();
        if (last) elements.push(last.repeated());
        continue;
      }
      elements.push(this.readElement());
    }
    return elements.reduce((total, element) => total.plus(element), ArgCounts.of(0));
  }

  /** A standalone optional group, or a word (which may hold glued groups and bars). */
  private readElement(): ArgCounts {
    if (this.text[this.pos] === '[') {
      const groupStart = this.pos;
      this.pos++;
      const inner = this.readAlternatives();
      if (this.text[this.pos] === ']') this.pos++;
      if (this.atEnd() || this.isSpace(this.text[this.pos]!) || this.text[this.pos] === ']') {
        // "[*`parameters`*]" stands for any number of parameters (upstream `server address [parameters]`)
        if (this.text.slice(groupStart, this.pos) === '[*`parameters`*]') return ArgCounts.atLeast(0);
        return inner.union(ArgCounts.of(0));
      }
      // the group is glued to what follows: the whole run is a single word
      this.pos = groupStart;
    }
    return this.readWord();
  }

  private readWord(): ArgCounts {
    const start = this.pos;
    let depth = 0;
    while (!this.atEnd()) {
      const ch = this.text[this.pos]!;
      if (ch === '`') {
        const close = this.text.indexOf('`', this.pos + 1);
        const literal = this.text.slice(this.pos + 1, close < 0 ? undefined : close);
        this.pos = close < 0 ? this.text.length : close + 1;
        if (literal === '{...}' && this.pos - start === literal.length + 2) return ArgCounts.of(0); // the block
        continue;
      }
      if (ch === "'") {
        const close = this.text.indexOf("'", this.pos + 1);
        this.pos = close < 0 ? this.text.length : close + 1;
        continue;
      }
      if (ch === '[') depth++;
      else if (ch === ']') {
        if (depth === 0) break;
        depth--;
      } else if (this.isSpace(ch) && depth === 0) break;
      this.pos++;
    }
    return this.pos > start ? ArgCounts.of(1) : ArgCounts.of(0);
  }

  private peekStandalone(token: string): boolean {
    if (!this.text.startsWith(token, this.pos)) return false;
    const before = this.pos === 0 ? ' ' : this.text[this.pos - 1]!;
    const after = this.text[this.pos + token.length];
    const boundary = (ch: string | undefined) => ch === undefined || this.isSpace(ch) || ch === '[' || ch === ']';
    return boundary(before) && boundary(after);
  }

  private skipSpaces(): void {
    while (!this.atEnd() && this.isSpace(this.text[this.pos]!)) this.pos++;
  }

  private isSpace(ch: string): boolean {
    return ch === ' ' || ch === '\t' || ch === '\n';
  }

  private atEnd(): boolean {
    return this.pos >= this.text.length;
  }
}
