// What an Origin allow-list regex really accepts. nginx matches it with PCRE against the whole Origin
// header (`https://host[:port]`); the mistakes that let an attacker's site through are structural:
// an unescaped dot (`kasm.example.com` also matches `kasmxexample.com`), no `$` (`...example.com.evil.net`),
// no `^`, or a wildcard glued to the name (`.*example\.com` matches `evilexample.com`). Each problem
// is demonstrated with an origin that gets through, checked by running the regex on it, but only
// after making sure the regex cannot backtrack catastrophically.

export type RegexProblem = 'unescaped-dot' | 'unanchored-end' | 'unanchored-start' | 'glued-wildcard';

export const PROBLEM_TEXT: Record<RegexProblem, string> = {
  'unescaped-dot': 'has an unescaped dot (a dot matches any character)',
  'unanchored-end': 'has no "$" at its end (anything may follow the name)',
  'unanchored-start': 'has no "^" at its start (anything may precede the name)',
  'glued-wildcard': 'lets a wildcard run into the name without a dot (any name ending in it matches)',
};

export interface RegexAnalysis {
  problems: RegexProblem[];
  /** An origin an attacker can obtain that the regex accepts, when one could be shown. */
  example?: string;
  /** The regex with its problems fixed. */
  fixed: string;
}

interface Token {
  text: string;
  kind: 'literal' | 'escape' | 'dot' | 'class' | 'group-open' | 'group-close' | 'quantifier' | 'anchor' | 'alternation';
}

/** Splits a PCRE pattern into the pieces this analysis needs. */
function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i]!;
    if (c === '\\') {
      tokens.push({ text: pattern.slice(i, i + 2), kind: 'escape' });
      i += 2;
    } else if (c === '[') {
      let j = i + 1;
      if (pattern[j] === '^') j++;
      if (pattern[j] === ']') j++;
      while (j < pattern.length && pattern[j] !== ']') j += pattern[j] === '\\' ? 2 : 1;
      tokens.push({ text: pattern.slice(i, j + 1), kind: 'class' });
      i = j + 1;
    } else if (c === '(') {
      const m = /^\((\?(?:[:=!>]|<[=!]|P?<\w+>|'\w+'))?/.exec(pattern.slice(i))!;
      tokens.push({ text: m[0], kind: 'group-open' });
      i += m[0].length;
    } else if (c === ')') {
      tokens.push({ text: c, kind: 'group-close' });
      i++;
    } else if ('*+?'.includes(c) || (c === '{' && /^\{\d+(,\d*)?\}/.test(pattern.slice(i)))) {
      const m = /^(?:[*+?]|\{\d+(?:,\d*)?\})[?+]?/.exec(pattern.slice(i))!;
      tokens.push({ text: m[0], kind: 'quantifier' });
      i += m[0].length;
    } else if (c === '^' || c === '$') {
      tokens.push({ text: c, kind: 'anchor' });
      i++;
    } else if (c === '|') {
      tokens.push({ text: c, kind: 'alternation' });
      i++;
    } else if (c === '.') {
      tokens.push({ text: c, kind: 'dot' });
      i++;
    } else {
      tokens.push({ text: c, kind: 'literal' });
      i++;
    }
  }
  return tokens;
}

const isNameChar = (t: Token | undefined) => t !== undefined && t.kind === 'literal' && /[a-z0-9-]/i.test(t.text);

/**
 * True when running the regex on a short string is cheap: no repeated group that holds a quantifier
 * (`(a+)+`) or an alternation (`(a|a)*`), the two shapes of catastrophic backtracking, no
 * backreferences, and a bounded length.
 */
export function safeToRun(pattern: string): boolean {
  if (pattern.length > 300) return false;
  const tokens = tokenize(pattern);
  const stack: Array<{ quantifier: boolean; alternation: boolean }> = [];
  let lastGroup = { quantifier: false, alternation: false };
  for (const [i, t] of tokens.entries()) {
    if (t.kind === 'escape' && /^\\[1-9k]/.test(t.text)) return false;
    if (t.kind === 'group-open') stack.push({ quantifier: false, alternation: false });
    else if (t.kind === 'group-close') {
      lastGroup = stack.pop() ?? { quantifier: false, alternation: false };
      const parent = stack.at(-1); // what a group holds, its enclosing group holds too
      if (parent) {
        parent.quantifier ||= lastGroup.quantifier;
        parent.alternation ||= lastGroup.alternation;
      }
    }
    else if (t.kind === 'alternation' && stack.length > 0) stack[stack.length - 1]!.alternation = true;
    else if (t.kind === 'quantifier') {
      const repeats = !/^\?|^\{0,1\}|^\{1\}/.test(t.text);
      if (tokens[i - 1]?.kind === 'group-close' && repeats && (lastGroup.quantifier || lastGroup.alternation)) return false;
      if (stack.length > 0) stack[stack.length - 1]!.quantifier = true;
    }
  }
  return true;
}

function compile(pattern: string, caseless: boolean): RegExp | undefined {
  if (!safeToRun(pattern)) return undefined;
  try {
    return new RegExp(pattern, caseless ? 'i' : '');
  } catch {
    return undefined; // PCRE syntax JavaScript lacks (possessive quantifiers, \A, ...)
  }
}

/**
 * A plain origin the regex was written for: optional groups dropped, `https?` read as https, escapes
 * resolved. Undefined when the pattern is not that simple.
 */
function sampleOrigin(pattern: string): string | undefined {
  let s = pattern.replace(/^\^/, '').replace(/(?<!\\)\$$/, '').replace(/\(\?:/g, '(');
  for (let previous = ''; previous !== s; ) {
    previous = s;
    s = s.replace(/\((?:[^()\\]|\\.)*\)\?/g, '');
  }
  s = s.replace(/s\?/g, 's').replace(/\.\*/g, '').replace(/\.\+/g, 'www');
  s = s.replace(/\\([.\-/:])/g, '$1');
  if (/[\\[\](){}*+?|^$]/.test(s)) return undefined;
  if (s.startsWith('//')) s = `https:${s}`;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) s = `https://${s.replace(/^:?\/*/, '')}`;
  return s;
}

export function analyzeOriginRegex(pattern: string, caseless: boolean): RegexAnalysis {
  const tokens = tokenize(pattern);
  const problems: RegexProblem[] = [];

  const literalDots = tokens
    .map((t, i) => (t.kind === 'dot' && isNameChar(tokens[i - 1]) && isNameChar(tokens[i + 1]) ? i : -1))
    .filter((i) => i >= 0);
  if (literalDots.length > 0) problems.push('unescaped-dot');

  const glued = tokens
    .map((t, i) => (t.kind === 'dot' && tokens[i + 1]?.kind === 'quantifier' && /^[*+]/.test(tokens[i + 1]!.text) && isNameChar(tokens[i + 2]) ? i : -1))
    .filter((i) => i >= 0);
  if (glued.length > 0) problems.push('glued-wildcard');

  const hasAlternation = tokens.some((t) => t.kind === 'alternation');
  const anchoredStart = tokens[0]?.kind === 'anchor' && tokens[0].text === '^';
  const last = tokens[tokens.length - 1];
  const anchoredEnd = (last?.kind === 'anchor' && last.text === '$') || last?.text === '\\z';
  if (!anchoredEnd) problems.push('unanchored-end');
  // Without ^, only a pattern that starts inside the host name can be preceded by an attacker's text.
  const startsWithScheme = /^(\^)?(https?\??|\(https?\|https?\)):\/\//.test(pattern);
  if (!anchoredStart && !startsWithScheme) problems.push('unanchored-start');

  // The fix: escape literal dots, keep wildcards to whole labels, anchor both ends.
  let fixed = tokens
    .map((t, i) => {
      if (literalDots.includes(i)) return '\\.';
      if (glued.includes(i)) return '(.*\\.)?';
      if (glued.includes(i - 1)) return '';
      return t.text;
    })
    .join('');
  // A pattern written from inside the host name gets the scheme it was leaving open; one without a
  // port keeps accepting the ports its open end accepted.
  if (!anchoredStart && !hasAlternation) fixed = startsWithScheme ? `^${fixed}` : `^https?://${fixed.replace(/^(\\\/|\/)*/, '')}`;
  if (!anchoredEnd && !hasAlternation) fixed = /:(\\d|\[0-9\]|[0-9])|\(:/.test(fixed) ? `${fixed}$` : `${fixed}(:[0-9]+)?$`;

  const original = compile(pattern, caseless);
  const repaired = compile(fixed, caseless);
  const sample = sampleOrigin(pattern);
  let example: string | undefined;
  if (original && repaired && sample && original.test(sample)) {
    const candidates: string[] = [];
    if (literalDots.length > 0) {
      const withX = sampleOrigin(tokens.map((t, i) => (i === literalDots[0] ? 'x' : t.text)).join(''));
      if (withX) candidates.push(withX);
    }
    if (glued.length > 0) {
      const withEvil = sampleOrigin(tokens.map((t, i) => (i === glued[0] ? 'evil' : i === glued[0]! + 1 ? '' : t.text)).join(''));
      if (withEvil) candidates.push(withEvil);
    }
    if (!anchoredEnd) candidates.push(`${sample}.evil.example`);
    if (!anchoredStart) candidates.push(sample.replace('://', '://evil'));
    example = candidates.find((c) => original.test(c) && !repaired.test(c));
  }
  return { problems, example, fixed };
}
