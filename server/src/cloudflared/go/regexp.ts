// Go's regexp syntax (regexp/syntax/parse.go, with regexp.Compile's Perl flags): whether a pattern
// compiles, and the first error Go reports for it, in Go's words: "error parsing regexp: invalid
// escape sequence: `\Z`". It follows Go's parser left to right (groups, flags, named captures in the
// (?P<n>) and (?<n>) forms, classes, escapes, repetition and its limits); it builds only what the
// checks need (which repetitions nest in which), never a matcher.

/** A node of the parse tree as far as the repetition limit is concerned. */
type Tree = { op: 'repeat'; min: number; max: number; sub: Tree } | { op: 'node'; subs: Tree[] };

const LEAF: Tree = { op: 'node', subs: [] };
const MAX_REPEAT = 1000;
const MAX_HEIGHT = 1000;

class RegexpError extends Error {
  constructor(
    readonly code: string,
    readonly expr: string,
  ) {
    super(`error parsing regexp: ${code}: \`${expr}\``);
  }
}

interface Frame {
  alternatives: Tree[];
  items: Tree[];
  capture: boolean;
  /** After '(' or '|', or at the start: a repetition here has nothing to repeat. */
}

const isAlnum = (c: string) => /^[0-9A-Za-z]$/.test(c);
const unhex = (c: string) => (/^[0-9a-fA-F]$/.test(c) ? parseInt(c, 16) : -1);

const POSIX_GROUPS = new Set(['alnum', 'alpha', 'ascii', 'blank', 'cntrl', 'digit', 'graph', 'lower', 'print', 'punct', 'space', 'upper', 'word', 'xdigit'].flatMap((n) => [`[:${n}:]`, `[:^${n}:]`]));
const PERL_GROUPS = new Set(['\\d', '\\D', '\\s', '\\S', '\\w', '\\W']);

const CATEGORIES = 'C Cc Cf Cn Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs'.split(' ');
const SCRIPTS = (
  'Adlam Ahom Anatolian_Hieroglyphs Arabic Armenian Avestan Balinese Bamum Bassa_Vah Batak Bengali Bhaiksuki Bopomofo Brahmi Braille Buginese Buhid ' +
  'Canadian_Aboriginal Carian Caucasian_Albanian Chakma Cham Cherokee Chorasmian Common Coptic Cuneiform Cypriot Cypro_Minoan Cyrillic Deseret ' +
  'Devanagari Dives_Akuru Dogra Duployan Egyptian_Hieroglyphs Elbasan Elymaic Ethiopic Georgian Glagolitic Gothic Grantha Greek Gujarati Gunjala_Gondi ' +
  'Gurmukhi Han Hangul Hanifi_Rohingya Hanunoo Hatran Hebrew Hiragana Imperial_Aramaic Inherited Inscriptional_Pahlavi Inscriptional_Parthian Javanese ' +
  'Kaithi Kannada Katakana Kawi Kayah_Li Kharoshthi Khitan_Small_Script Khmer Khojki Khudawadi Lao Latin Lepcha Limbu Linear_A Linear_B Lisu Lycian ' +
  'Lydian Mahajani Makasar Malayalam Mandaic Manichaean Marchen Masaram_Gondi Medefaidrin Meetei_Mayek Mende_Kikakui Meroitic_Cursive ' +
  'Meroitic_Hieroglyphs Miao Modi Mongolian Mro Multani Myanmar Nabataean Nag_Mundari Nandinagari New_Tai_Lue Newa Nko Nushu Nyiakeng_Puachue_Hmong ' +
  'Ogham Ol_Chiki Old_Hungarian Old_Italic Old_North_Arabian Old_Permic Old_Persian Old_Sogdian Old_South_Arabian Old_Turkic Old_Uyghur Oriya Osage ' +
  'Osmanya Pahawh_Hmong Palmyrene Pau_Cin_Hau Phags_Pa Phoenician Psalter_Pahlavi Rejang Runic Samaritan Saurashtra Sharada Shavian Siddham SignWriting ' +
  'Sinhala Sogdian Sora_Sompeng Soyombo Sundanese Syloti_Nagri Syriac Tagalog Tagbanwa Tai_Le Tai_Tham Tai_Viet Takri Tamil Tangsa Tangut Telugu ' +
  'Thaana Thai Tibetan Tifinagh Tirhuta Toto Ugaritic Vai Vithkuqi Wancho Warang_Citi Yezidi Yi Zanabazar_Square'
).split(' ');
const CATEGORY_ALIASES = (
  'Cased_Letter Close_Punctuation Combining_Mark Connector_Punctuation Control Currency_Symbol Dash_Punctuation Decimal_Number Enclosing_Mark ' +
  'Final_Punctuation Format Initial_Punctuation Letter Letter_Number Line_Separator Lowercase_Letter Mark Math_Symbol Modifier_Letter Modifier_Symbol ' +
  'Nonspacing_Mark Number Open_Punctuation Other Other_Letter Other_Number Other_Punctuation Other_Symbol Paragraph_Separator Private_Use Punctuation ' +
  'Separator Space_Separator Spacing_Mark Surrogate Symbol Titlecase_Letter Unassigned Uppercase_Letter cntrl digit punct'
).split(' ');

/** canonicalName (parse.go): no underscores, spaces or hyphens; a capital first letter, the rest lower case. */
function canonicalName(name: string): string {
  const letters = name.replace(/[_\- ]/g, '');
  return letters === '' ? '' : letters[0]!.toUpperCase() + letters.slice(1).toLowerCase();
}

const UNICODE_NAMES = new Set(['Any', 'Assigned', 'Ascii', 'Lc', ...CATEGORIES, ...SCRIPTS, ...SCRIPTS.map(canonicalName), ...CATEGORY_ALIASES.map(canonicalName)]);

/** unicodeTable finds a table for the name. */
function unicodeNameKnown(name: string): boolean {
  const canonical = canonicalName(name);
  return UNICODE_NAMES.has(canonical) || CATEGORIES.includes(canonical);
}

class Parser {
  private readonly frames: Frame[] = [{ alternatives: [], items: [], capture: false }];
  private allocated = 0;

  constructor(private readonly whole: string) {}

  private get frame(): Frame {
    return this.frames[this.frames.length - 1]!;
  }

  private push(tree: Tree): void {
    this.allocated++;
    this.frame.items.push(tree);
    this.checkHeight(tree);
  }

  private checkHeight(tree: Tree): void {
    if (this.allocated < MAX_HEIGHT) return;
    if (height(tree) > MAX_HEIGHT) throw new RegexpError('expression nests too deeply', this.whole);
  }

  parse(): void {
    let t = this.whole;
    let lastRepeat = '';
    while (t !== '') {
      let repeat = '';
      const c = t[0]!;
      if (c === '(') {
        if (t.length >= 2 && t[1] === '?') {
          t = this.perlFlags(t);
        } else {
          this.frames.push({ alternatives: [], items: [], capture: true });
          t = t.slice(1);
        }
      } else if (c === '|') {
        this.frame.alternatives.push(concat(this.frame.items));
        this.frame.items = [];
        t = t.slice(1);
      } else if (c === ')') {
        if (this.frames.length < 2) throw new RegexpError('unexpected )', this.whole);
        const closed = this.frames.pop()!;
        const content = alternate([...closed.alternatives, concat(closed.items)]);
        this.push(closed.capture ? { op: 'node', subs: [content] } : content);
        t = t.slice(1);
      } else if (c === '^' || c === '$' || c === '.') {
        this.push(LEAF);
        t = t.slice(1);
      } else if (c === '[') {
        t = this.parseClass(t);
        this.push(LEAF);
      } else if (c === '*' || c === '+' || c === '?') {
        const before = t;
        const after = this.repeat(0, 0, false, before, t.slice(1), lastRepeat);
        repeat = before;
        t = after;
      } else if (c === '{') {
        const before = t;
        const parsed = parseRepeat(t);
        if (!parsed) {
          this.push(LEAF);
          t = t.slice(1);
        } else {
          const { min, max, rest } = parsed;
          if (min < 0 || min > MAX_REPEAT || max > MAX_REPEAT || (max >= 0 && min > max)) throw new RegexpError('invalid repeat count', before.slice(0, before.length - rest.length));
          const after = this.repeat(min, max, true, before, rest, lastRepeat);
          repeat = before;
          t = after;
        }
      } else if (c === '\\') {
        t = this.backslash(t);
      } else {
        t = t.slice(String.fromCodePoint(t.codePointAt(0)!).length);
        this.push(LEAF);
      }
      lastRepeat = repeat;
    }
    if (this.frames.length !== 1) throw new RegexpError('missing closing )', this.whole);
  }

  /** p.repeat: returns the text after the operator (and its non-greedy '?'). */
  private repeat(min: number, max: number, counted: boolean, before: string, after: string, lastRepeat: string): string {
    if (after[0] === '?') after = after.slice(1);
    if (lastRepeat !== '') throw new RegexpError('invalid nested repetition operator', lastRepeat.slice(0, lastRepeat.length - after.length));
    const items = this.frame.items;
    if (items.length === 0) throw new RegexpError('missing argument to repetition operator', before.slice(0, before.length - after.length));
    const sub = items.pop()!;
    const tree: Tree = counted ? { op: 'repeat', min, max, sub } : { op: 'node', subs: [sub] };
    this.push(tree);
    if (counted && (min >= 2 || max >= 2) && !repeatIsValid(tree, MAX_REPEAT)) {
      throw new RegexpError('invalid repeat count', before.slice(0, before.length - after.length));
    }
    return after;
  }

  private perlFlags(s: string): string {
    let t = s;
    const startsWithP = t.length > 4 && t[2] === 'P' && t[3] === '<';
    const startsWithName = t.length > 3 && t[2] === '<';
    if (startsWithP || startsWithName) {
      const exprStart = startsWithName ? 3 : 4;
      const end = t.indexOf('>');
      if (end < 0) throw new RegexpError('invalid named capture', s);
      const capture = t.slice(0, end + 1);
      const name = t.slice(exprStart, end);
      if (name === '' || !/^[0-9A-Za-z_]+$/.test(name)) throw new RegexpError('invalid named capture', capture);
      this.frames.push({ alternatives: [], items: [], capture: true });
      return t.slice(end + 1);
    }
    t = t.slice(2);
    let sign = 1;
    let sawFlag = false;
    while (t !== '') {
      const c = String.fromCodePoint(t.codePointAt(0)!);
      t = t.slice(c.length);
      if ('imsU'.includes(c)) {
        sawFlag = true;
      } else if (c === '-') {
        if (sign < 0) break;
        sign = -1;
        sawFlag = false;
      } else if (c === ':' || c === ')') {
        if (sign < 0 && !sawFlag) break;
        if (c === ':') this.frames.push({ alternatives: [], items: [], capture: false });
        return t;
      } else {
        break;
      }
    }
    throw new RegexpError('invalid or unsupported Perl syntax', s.slice(0, s.length - t.length));
  }

  private backslash(t: string): string {
    if (t.length >= 2) {
      const e = t[1]!;
      if ('AbBz'.includes(e)) {
        this.push(LEAF);
        return t.slice(2);
      }
      if (e === 'C') throw new RegexpError('invalid escape sequence', t.slice(0, 2));
      if (e === 'Q') {
        const end = t.indexOf('\\E', 2);
        const lit = end < 0 ? t.slice(2) : t.slice(2, end);
        for (const _ of lit) this.push(LEAF);
        return end < 0 ? '' : t.slice(end + 2);
      }
      if (e === 'p' || e === 'P') {
        const rest = unicodeClass(t);
        if (rest !== undefined) {
          this.push(LEAF);
          return rest;
        }
      }
      if (PERL_GROUPS.has(t.slice(0, 2))) {
        this.push(LEAF);
        return t.slice(2);
      }
    }
    const rest = escape(t);
    this.push(LEAF);
    return rest;
  }

  /** parseClass: the text after the class, or Go's error. */
  private parseClass(s: string): string {
    let t = s.slice(1);
    if (t[0] === '^') t = t.slice(1);
    let first = true;
    while (t === '' || t[0] !== ']' || first) {
      first = false;
      if (t.length > 2 && t[0] === '[' && t[1] === ':') {
        const i = t.indexOf(':]', 2);
        if (i >= 0) {
          const name = t.slice(0, i + 2);
          if (!POSIX_GROUPS.has(name)) throw new RegexpError('invalid character class range', name);
          t = t.slice(i + 2);
          continue;
        }
      }
      if (t.length >= 2 && t[0] === '\\' && (t[1] === 'p' || t[1] === 'P')) {
        t = unicodeClass(t)!;
        continue;
      }
      if (PERL_GROUPS.has(t.slice(0, 2))) {
        t = t.slice(2);
        continue;
      }
      const range = t;
      let lo: number;
      [lo, t] = classChar(t, s);
      if (t.length >= 2 && t[0] === '-' && t[1] !== ']') {
        t = t.slice(1);
        let hi: number;
        [hi, t] = classChar(t, s);
        if (hi < lo) throw new RegexpError('invalid character class range', range.slice(0, range.length - t.length));
      }
    }
    return t.slice(1);
  }
}

function classChar(t: string, wholeClass: string): [number, string] {
  if (t === '') throw new RegexpError('missing closing ]', wholeClass);
  if (t[0] === '\\') {
    const rest = escape(t);
    return [escapedRune(t, rest), rest];
  }
  const cp = t.codePointAt(0)!;
  return [cp, t.slice(String.fromCodePoint(cp).length)];
}

/** The rune an escape stands for (for class ranges). */
function escapedRune(t: string, rest: string): number {
  const body = t.slice(1, t.length - rest.length);
  const c = body[0]!;
  if (/^[0-7]/.test(c)) return parseInt(body, 8);
  if (c === 'x') return parseInt(body.replace(/^x\{?|\}$/g, ''), 16);
  const simple: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };
  return simple[c] ?? body.codePointAt(0)!;
}

/** parseEscape: the text after the escape, or Go's error (the expression is the escape so far). */
function escape(s: string): string {
  let t = s.slice(1);
  if (t === '') throw new RegexpError('trailing backslash at end of expression', '');
  const c = String.fromCodePoint(t.codePointAt(0)!);
  t = t.slice(c.length);
  const invalid = () => new RegexpError('invalid escape sequence', s.slice(0, s.length - t.length));
  if (c.codePointAt(0)! < 0x80 && !isAlnum(c)) return t;
  if (c >= '1' && c <= '7') {
    if (t === '' || t[0]! < '0' || t[0]! > '7') throw invalid();
  }
  if (c >= '0' && c <= '7') {
    for (let i = 1; i < 3; i++) {
      if (t === '' || t[0]! < '0' || t[0]! > '7') break;
      t = t.slice(1);
    }
    return t;
  }
  if (c === 'x') {
    if (t === '') throw invalid();
    let d = String.fromCodePoint(t.codePointAt(0)!);
    t = t.slice(d.length);
    if (d === '{') {
      let nhex = 0;
      let r = 0;
      for (;;) {
        if (t === '') throw invalid();
        d = String.fromCodePoint(t.codePointAt(0)!);
        t = t.slice(d.length);
        if (d === '}') break;
        const v = unhex(d);
        if (v < 0) throw invalid();
        r = r * 16 + v;
        if (r > 0x10ffff) throw invalid();
        nhex++;
      }
      if (nhex === 0) throw invalid();
      return t;
    }
    const x = unhex(d);
    const e = t === '' ? '' : String.fromCodePoint(t.codePointAt(0)!);
    t = t.slice(e.length);
    if (x < 0 || unhex(e) < 0) throw invalid();
    return t;
  }
  if ('afnrtv'.includes(c)) return t;
  throw invalid();
}

/** parseUnicodeClass on a text starting with \p or \P: the text after it, or Go's error. */
function unicodeClass(s: string): string | undefined {
  let t = s.slice(2);
  const c = t === '' ? '' : String.fromCodePoint(t.codePointAt(0)!);
  t = t.slice(c.length);
  let seq: string;
  let name: string;
  if (c !== '{') {
    seq = s.slice(0, s.length - t.length);
    name = seq.slice(2);
  } else {
    const end = s.indexOf('}');
    if (end < 0) throw new RegexpError('invalid character class range', s);
    seq = s.slice(0, end + 1);
    t = s.slice(end + 1);
    name = s.slice(3, end);
  }
  if (name.startsWith('^')) name = name.slice(1);
  if (!unicodeNameKnown(name)) throw new RegexpError('invalid character class range', seq);
  return t;
}

function parseRepeat(s: string): { min: number; max: number; rest: string } | undefined {
  if (s[0] !== '{') return undefined;
  let t = s.slice(1);
  const first = parseInt10(t);
  if (!first) return undefined;
  let min = first.n;
  let max: number;
  t = first.rest;
  if (t === '') return undefined;
  if (t[0] !== ',') {
    max = min;
  } else {
    t = t.slice(1);
    if (t === '') return undefined;
    if (t[0] === '}') {
      max = -1;
    } else {
      const second = parseInt10(t);
      if (!second) return undefined;
      max = second.n;
      t = second.rest;
      if (max < 0) min = -1;
    }
  }
  if (t === '' || t[0] !== '}') return undefined;
  return { min, max, rest: t.slice(1) };
}

/** parser.parseInt: decimal without leading zeros; -1 when 1e8 or more. */
function parseInt10(s: string): { n: number; rest: string } | undefined {
  if (s === '' || s[0]! < '0' || s[0]! > '9') return undefined;
  if (s.length >= 2 && s[0] === '0' && s[1]! >= '0' && s[1]! <= '9') return undefined;
  const digits = /^[0-9]+/.exec(s)![0];
  let n = 0;
  for (const d of digits) {
    if (n >= 1e8) {
      n = -1;
      break;
    }
    n = n * 10 + Number(d);
  }
  return { n, rest: s.slice(digits.length) };
}

function concat(items: Tree[]): Tree {
  return items.length === 1 ? items[0]! : { op: 'node', subs: items };
}

function alternate(alternatives: Tree[]): Tree {
  return alternatives.length === 1 ? alternatives[0]! : { op: 'node', subs: alternatives };
}

/** repeatIsValid (parse.go): nested counted repetitions stay within n copies. */
function repeatIsValid(re: Tree, n: number): boolean {
  if (re.op === 'repeat') {
    let m = re.max;
    if (m === 0) return true;
    if (m < 0) m = re.min;
    if (m > n) return false;
    if (m > 0) n = Math.floor(n / m);
    return repeatIsValid(re.sub, n);
  }
  return re.subs.every((sub) => repeatIsValid(sub, n));
}

function height(re: Tree): number {
  let h = 1;
  const stack: Array<[Tree, number]> = [[re, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    h = Math.max(h, depth);
    for (const sub of node.op === 'repeat' ? [node.sub] : node.subs) stack.push([sub, depth + 1]);
  }
  return h;
}

/** Go's error for a pattern regexp.Compile refuses, or undefined when it compiles. */
export function goRegexpError(pattern: string): string | undefined {
  try {
    new Parser(pattern).parse();
    return undefined;
  } catch (error) {
    if (error instanceof RegexpError) return error.message;
    throw error;
  }
}
