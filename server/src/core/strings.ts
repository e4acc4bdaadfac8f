// Small string helpers shared by messages and fixes.

/**
 * The edit distance (Levenshtein) between `a` and `b` when it is at most `limit`, otherwise `limit + 1`:
 * rows stop as soon as every cell is past the limit, so a far candidate costs a few cells, not |a| x |b|.
 */
export function editDistanceWithin(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = rowA.length > b.length ? rowA : (rowA = new Int32Array(b.length * 2 + 1));
  let current = rowB.length > b.length ? rowB : (rowB = new Int32Array(b.length * 2 + 1));
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const cell = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (ca === b.charCodeAt(j - 1) ? 0 : 1));
      current[j] = cell;
      if (cell < rowMin) rowMin = cell;
    }
    if (rowMin > limit) return limit + 1;
    const done = previous;
    previous = current;
    current = done;
  }
  return Math.min(previous[b.length]!, limit + 1);
}

let rowA = new Int32Array(64);
let rowB = new Int32Array(64);

/**
 * The candidate nearest to `word` when it is a plausible typo of it (at most max(2, a quarter of its
 * length) edits away, case ignored); among equally near ones, the first in code-unit order.
 */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  return new Suggester(candidates).closest(word);
}

/**
 * closestMatch over a list of candidates prepared once, for many words (the directives valid in a
 * context): candidates are grouped by length and measured first by their letters, bounds no edit can
 * beat (one edit changes at most two letter counts, and makes at most one letter appear and one
 * disappear), so most are set aside without an edit distance.
 */
export class Suggester {
  private readonly byLength = new Map<number, Array<{ candidate: string; lower: string; letters: Uint8Array; total: number; present: LetterSet }>>();
  private readonly maxLength: number;

  constructor(candidates: Iterable<string>) {
    let maxLength = 0;
    for (const candidate of candidates) {
      const lower = candidate.toLowerCase();
      const list = this.byLength.get(lower.length) ?? [];
      const letters = letterCounts(lower);
      list.push({ candidate, lower, letters, total: countTotal(letters), present: lettersPresent(letters) });
      this.byLength.set(lower.length, list);
      maxLength = Math.max(maxLength, lower.length);
    }
    this.maxLength = maxLength;
  }

  closest(word: string): string | undefined {
    const lower = word.toLowerCase();
    const letters = letterCounts(lower);
    const total = countTotal(letters);
    // the buckets the word uses: the letters two words share are counted over these alone
    const used: number[] = [];
    for (let i = 0; i < 64; i++) if (letters[i]! > 0) used.push(i);
    const present = lettersPresent(letters);
    let best: string | undefined;
    let bestDistance = Math.max(2, Math.floor(word.length / 4));
    // nearer lengths first: they bring the bound down soonest
    for (let delta = 0; delta <= bestDistance; delta++) {
      for (const length of delta === 0 ? [lower.length] : [lower.length - delta, lower.length + delta]) {
        if (length < 0 || length > this.maxLength) continue;
        for (const c of this.byLength.get(length) ?? []) {
          // first the cheaper and weaker bound of which letters each has, then the counts
          if (presenceBound(present, c.present) > bestDistance) continue;
          if (letterBound(letters, total, used, c.letters, c.total) > bestDistance) continue;
          const d = editDistanceWithin(lower, c.lower, bestDistance);
          if (d < bestDistance || (d === bestDistance && (best === undefined || c.candidate < best))) {
            bestDistance = d;
            best = c.candidate;
          }
        }
      }
    }
    return best;
  }
}

/** How often each character occurs, by its code modulo 64 (shared buckets only lower the bound). */
function letterCounts(text: string): Uint8Array {
  const counts = new Uint8Array(64);
  for (let i = 0; i < text.length; i++) {
    const bucket = text.charCodeAt(i) & 63;
    if (counts[bucket]! < 255) counts[bucket]!++;
  }
  return counts;
}

function countTotal(counts: Uint8Array): number {
  let total = 0;
  for (let i = 0; i < 64; i++) total += counts[i]!;
  return total;
}

/** Which of the 64 buckets a text uses, as two 32-bit masks. */
interface LetterSet {
  low: number;
  high: number;
}

function lettersPresent(counts: Uint8Array): LetterSet {
  let low = 0;
  let high = 0;
  for (let i = 0; i < 32; i++) if (counts[i]! > 0) low |= 1 << i;
  for (let i = 32; i < 64; i++) if (counts[i]! > 0) high |= 1 << (i - 32);
  return { low, high };
}

function bitCount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

/**
 * A lower bound of the edit distance from which letters each text has: an edit makes at most one
 * letter appear and one disappear, so half the letters only one of them has, rounded up.
 */
function presenceBound(a: LetterSet, b: LetterSet): number {
  return Math.ceil((bitCount(a.low ^ b.low) + bitCount(a.high ^ b.high)) / 2);
}

/**
 * A lower bound of the edit distance from the letter counts: half the letters one has and the other
 * lacks, rounded up. Those are sum |a - b| = total a + total b - 2 sum min(a, b), and min(a, b) is 0
 * wherever a is 0: only the buckets the word uses (`usedByA`) are read, not all 64.
 */
function letterBound(a: Uint8Array, totalA: number, usedByA: readonly number[], b: Uint8Array, totalB: number): number {
  let shared = 0;
  for (const i of usedByA) shared += Math.min(a[i]!, b[i]!);
  return Math.ceil((totalA + totalB - 2 * shared) / 2);
}

/** Lines joined as an English list: "a, b and c". */
export function listWords(words: readonly string[], conjunction = 'and'): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} ${conjunction} ${words[words.length - 1]}`;
}
