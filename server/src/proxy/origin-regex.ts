// What an Origin (or Referer) allow-list regex really accepts. nginx matches it with PCRE against the
// whole header (`https://host[:port]` for Origin, a full URL for Referer). The analysis starts from the
// origins the regex was written for (samples of the pattern), mutates them the ways an attacker can
// (a letter for a dot, a domain of their own after the name, their name glued before it, http:// for
// https://) and keeps the mutations the pattern accepts, decided by the linear-time automaton: no
// configuration regex is ever run. Each problem comes with an origin that gets through.

import { automatonOf, matches } from '../values/automaton';
import { parseRegex, type Regex, type RegexNode } from '../values/regex';
import { samples } from '../values/samples';

export type RegexProblem = 'unescaped-dot' | 'unanchored-end' | 'unanchored-start' | 'glued-wildcard' | 'glued-affix' | 'http-scheme' | 'any-origin';

export const PROBLEM_TEXT: Record<RegexProblem, string> = {
  'unescaped-dot': 'has an unescaped dot (a dot matches any character)',
  'unanchored-end': 'has no "$" at its end (anything may follow the name)',
  'unanchored-start': 'has no "^" at its start (anything may precede the name)',
  'glued-wildcard': 'lets a wildcard run into the name without a dot (any name ending in it matches)',
  'glued-affix': 'lets an optional part run into the name without a dot',
  'http-scheme': 'accepts http:// while the site is served over https only',
  'any-origin': 'accepts any origin',
};

export type HeaderKind = 'origin' | 'referer';

export interface RegexAnalysis {
  problems: RegexProblem[];
  /** An origin (or referer) an attacker can send that the regex accepts. */
  example?: string;
  /** The regex with its problems fixed, when a fix could be built and verified. */
  fixed?: string;
}

export interface AnalysisOptions {
  kind?: HeaderKind;
  /** The site is only served over https: an http:// origin is a network attacker's. */
  httpsOnly?: boolean;
}

interface Url {
  scheme: string;
  host: string;
  port: string;
  rest: string;
}

function parseUrl(text: string): Url | undefined {
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/:?#]+)(:\d*)?(.*)$/i.exec(text);
  if (!m) return undefined;
  return { scheme: m[1]!.toLowerCase(), host: m[2]!.toLowerCase(), port: m[3] ?? '', rest: m[4] ?? '' };
}

const format = (u: Url) => `${u.scheme}://${u.host}${u.port}${u.rest}`;

/** Second-level labels under which a country code's names are registered (example.co.uk). */
const SECOND_LEVEL = new Set(['co', 'com', 'net', 'org', 'gov', 'ac', 'edu', 'or', 'ne', 'go', 'gv', 'nic', 'mil']);

/** The name an owner registers: the last two labels (three under co.uk-style suffixes); an address as is. */
export function registrableDomain(host: string): string {
  if (/^[\d.]+$/.test(host) || host.startsWith('[')) return host;
  const labels = host.split('.').filter(Boolean);
  if (labels.length <= 2) return labels.join('.');
  const [second, top] = labels.slice(-2);
  const keep = top!.length === 2 && SECOND_LEVEL.has(second!) ? 3 : 2;
  return labels.slice(-keep).join('.');
}

function attackerOwned(host: string, trusted: string): boolean {
  return host !== trusted && !host.endsWith(`.${trusted}`);
}

/** The samples of the regex turned into whole origins (or URLs), scheme added where the pattern leaves it open. */
function intendedValues(regex: Regex, accepts: (s: string) => boolean, kind: HeaderKind): Url[] {
  const out: Url[] = [];
  for (const raw of samples(regex.root, 32)) {
    const candidates = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? [raw] : raw.startsWith('//') ? [`https:${raw}`] : [`https://${raw.replace(/^[:/]+/, '')}`, `http://${raw.replace(/^[:/]+/, '')}`];
    for (const candidate of candidates) {
      const url = parseUrl(candidate);
      if (!url || !/^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(url.host)) continue;
      if (kind === 'origin' && url.rest !== '') continue;
      if (!accepts(format(url))) continue;
      if (!out.some((u) => format(u) === format(url))) out.push(url);
      break;
    }
  }
  return out;
}

/** Whether the pattern has an unbounded repeat (a wildcard) at its top level, for naming a glued problem. */
function hasTopLevelWildcard(regex: Regex): boolean {
  const items = regex.root.kind === 'seq' ? regex.root.items : [regex.root];
  return items.some((i) => i.kind === 'repeat' && i.max === Infinity);
}

function anchoredStart(regex: Regex): boolean {
  const first = regex.root.kind === 'seq' ? regex.root.items[0] : regex.root;
  return first?.kind === 'assert' && (first.what === 'start' || first.what === 'subject-start');
}

function anchoredEnd(regex: Regex): boolean {
  const last = regex.root.kind === 'seq' ? regex.root.items[regex.root.items.length - 1] : regex.root;
  return last?.kind === 'assert' && (last.what === 'end' || last.what === 'subject-end' || last.what === 'subject-end-newline');
}

interface Finding {
  problem: RegexProblem;
  example: string;
}

function findProblems(regex: Regex, accepts: (s: string) => boolean, kind: HeaderKind, httpsOnly: boolean): Finding[] {
  const intended = intendedValues(regex, accepts, kind);
  // the name the others are built on: `(www)?example\.com` is meant for example.com, not wwwexample.com
  const base = [...intended].sort((a, b) => intended.filter((u) => u.host.endsWith(b.host)).length - intended.filter((u) => u.host.endsWith(a.host)).length)[0];
  if (!base) return [];
  const trusted = registrableDomain(base.host);
  const found: Finding[] = [];
  const tryCandidate = (problem: RegexProblem, url: Url, owned = true) => {
    if (found.some((f) => f.problem === problem)) return;
    if (owned && !attackerOwned(url.host, trusted)) return;
    const text = format(url);
    if (accepts(text)) found.push({ problem, example: text });
  };
  // a letter where the pattern has a dot: the dots before the top-level domain first (a name one can register)
  const dots = [...base.host].flatMap((c, i) => (c === '.' ? [i] : []));
  for (const i of [...dots.slice(0, -1), ...dots.slice(-1)]) tryCandidate('unescaped-dot', { ...base, host: `${base.host.slice(0, i)}x${base.host.slice(i + 1)}` });
  // the attacker's domain after the name
  tryCandidate('unanchored-end', { ...base, host: `${base.host}.evil.example`, rest: kind === 'referer' ? base.rest || '/' : '' });
  // the attacker's name glued before the trusted domain
  const glued = { ...base, host: base.host.slice(0, base.host.length - trusted.length) + `evil${trusted}` };
  if (accepts(format(glued))) {
    // without "^" an attacker's text may precede the pattern; anchored, does the name still take a glued prefix?
    const anchored = anchoredStart(regex) ? undefined : parseRegex(`^(?:${regex.source})`, regex.caseless);
    const anchoredAutomaton = anchored?.ok ? automatonOf(anchored.regex) : undefined;
    if (anchoredAutomaton && !matches(anchoredAutomaton, format(glued))) tryCandidate('unanchored-start', glued);
    else tryCandidate(hasTopLevelWildcard(regex) ? 'glued-wildcard' : 'glued-affix', glued);
  }
  if (kind === 'referer' && !anchoredStart(regex)) tryCandidate('unanchored-start', { scheme: 'https', host: 'evil.example', port: '', rest: `/?${format(base)}` });
  // optional parts of the pattern that produce another name with the trusted one glued in
  for (const other of intended.filter((u) => u !== base)) {
    if (attackerOwned(other.host, trusted) && (other.host.endsWith(trusted) || other.host.startsWith(base.host))) tryCandidate('glued-affix', other);
  }
  tryCandidate('any-origin', { scheme: 'https', host: 'evil.example', port: '', rest: kind === 'referer' ? '/' : '' });
  if (found.some((f) => f.problem === 'any-origin')) return found.filter((f) => f.problem === 'any-origin');
  if (httpsOnly && base.scheme === 'https') tryCandidate('http-scheme', { ...base, scheme: 'http' }, false);
  return found;
}

/** The pattern with its problems fixed, written on its own source text. */
function repaired(regex: Regex, problems: readonly RegexProblem[], httpsOnly: boolean): string | undefined {
  const src = regex.source;
  const edits: Array<{ start: number; end: number; text: string }> = [];
  const items = regex.root.kind === 'seq' ? regex.root.items : [regex.root];
  const nameChar = (n: RegexNode | undefined) => n?.kind === 'chars' && (n.syntax === 'literal' || n.syntax === 'escape') && /^\\?[a-z0-9-]$/i.test(src.slice(n.start, n.end));
  items.forEach((item, i) => {
    const prev = items[i - 1];
    const next = items[i + 1];
    if (problems.includes('unescaped-dot') && item.kind === 'chars' && item.syntax === 'dot' && nameChar(prev) && nameChar(next)) edits.push({ start: item.start, end: item.end, text: '\\.' });
    if (problems.includes('glued-wildcard') && item.kind === 'repeat' && item.max === Infinity && item.body.kind === 'chars' && item.body.syntax === 'dot' && nameChar(next)) {
      edits.push({ start: item.start, end: item.end, text: '(.*\\.)?' });
    }
    if (problems.includes('glued-affix') && item.kind === 'repeat' && item.max === 1 && item.body.kind === 'group' && nameChar(next)) {
      const group = item.body;
      edits.push({ start: group.end - 1, end: group.end - 1, text: '\\.' });
    }
  });
  // groups hold the dots too: `(.*\.)?example.com` has its unescaped dot at the top level, `(kasm.example.com)` inside
  if (problems.includes('unescaped-dot')) {
    const walk = (node: RegexNode) => {
      if (node.kind === 'seq') {
        node.items.forEach((item, i) => {
          if (item.kind === 'chars' && item.syntax === 'dot' && nameChar(node.items[i - 1]) && nameChar(node.items[i + 1]) && !edits.some((e) => e.start === item.start)) edits.push({ start: item.start, end: item.end, text: '\\.' });
          walk(item);
        });
      } else if (node.kind === 'alt') node.options.forEach(walk);
      else if (node.kind === 'group' || node.kind === 'repeat') walk(node.body);
    };
    if (regex.root.kind !== 'seq') walk(regex.root);
    else regex.root.items.forEach(walk);
  }
  if (problems.includes('http-scheme')) {
    const at = src.indexOf('https?');
    if (at >= 0) edits.push({ start: at, end: at + 'https?'.length, text: 'https' });
  }
  let text = src;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) text = text.slice(0, e.start) + e.text + text.slice(e.end);
  const hasAlternation = regex.root.kind === 'alt';
  const startsWithScheme = /^(\^)?(https?\??|\(https?\|https?\)):\/\//.test(text);
  if (!anchoredStart(regex) && !hasAlternation) text = startsWithScheme ? `^${text}` : `^${httpsOnly ? 'https' : 'https?'}://${text.replace(/^(\\\/|\/)*/, '')}`;
  if (!anchoredEnd(regex) && !hasAlternation && problems.includes('unanchored-end')) text = /:(\\d|\[0-9\]|[0-9])|\(:/.test(text) ? `${text}$` : `${text}(:[0-9]+)?$`;
  return text === src ? undefined : text;
}

export function analyzeOriginRegex(pattern: string, caseless: boolean, options: AnalysisOptions = {}): RegexAnalysis {
  const kind = options.kind ?? 'origin';
  const parsed = parseRegex(pattern, caseless);
  if (!parsed.ok || !parsed.regex.exact) return { problems: [] };
  const automaton = automatonOf(parsed.regex);
  if (!automaton) return { problems: [] };
  const accepts = (s: string) => matches(automaton, s);
  const found = findProblems(parsed.regex, accepts, kind, options.httpsOnly ?? false);
  if (found.length === 0) return { problems: [] };
  const problems = found.map((f) => f.problem);
  const example = found[0]!.example;
  const analysis: RegexAnalysis = { problems, example };
  const fixed = repaired(parsed.regex, problems, options.httpsOnly ?? false);
  if (fixed) {
    const again = parseRegex(fixed, caseless);
    const fixedAutomaton = again.ok ? automatonOf(again.regex) : undefined;
    const intended = intendedValues(parsed.regex, accepts, kind).filter((u) => !found.some((f) => f.example === format(u)));
    // the fix must turn the example away, keep the intended origins, and leave nothing to report
    if (
      fixedAutomaton &&
      !matches(fixedAutomaton, example) &&
      intended.slice(0, 1).every((u) => matches(fixedAutomaton, format(u)) || (u.scheme === 'http' && problems.includes('http-scheme'))) &&
      findProblems(again.ok ? again.regex : parsed.regex, (s) => matches(fixedAutomaton, s), kind, options.httpsOnly ?? false).length === 0
    ) {
      analysis.fixed = fixed;
    }
  }
  return analysis;
}
