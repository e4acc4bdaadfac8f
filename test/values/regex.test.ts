// The regex library: PCRE2's syntax as nginx compiles it, the linear-time automaton, what a capture
// can hold, and catastrophic backtracking found without running a pattern.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { automatonOf, captureCanContain, captureShape, matches } from '../../server/src/values/automaton';
import { atMostOneSimpleLoop, catastrophicBacktracking, searchBacktracking } from '../../server/src/values/backtracking';
import { ByteSet, LF } from '../../server/src/values/charset';
import { parseRegex, type Regex } from '../../server/src/values/regex';
import { samples } from '../../server/src/values/samples';

function regex(pattern: string, caseless = false): Regex {
  const parsed = parseRegex(pattern, caseless);
  assert.ok(parsed.ok, `${pattern}: ${parsed.ok ? '' : parsed.error}`);
  return parsed.regex;
}

function accepts(pattern: string, subject: string, caseless = false): boolean {
  return matches(automatonOf(regex(pattern, caseless))!, subject);
}

test('PCRE syntax: groups are numbered and named as PCRE numbers them', () => {
  const r = regex('^/(?<app>[a-z]+)/(?:v1|v2)/(\\d+)(?|(a)|(b))$');
  assert.equal(r.groups, 3);
  assert.deepEqual([...r.names], [['app', [1]]]);
  assert.equal(regex('(?n)(a)(?<x>b)').groups, 1, '(?n): only named groups capture');
  assert.equal(regex('a(?#comment)b').groups, 0);
});

test('PCRE syntax: what PCRE2 refuses is an error, with its offset', () => {
  for (const bad of ['a(', 'a)', '*a', 'a{3,2}', '[z-a]', '[a', 'a\\', '\\y', '(?<n', 'x{1}{', '\\u0041']) {
    const parsed = parseRegex(bad);
    if (bad === 'x{1}{') {
      assert.ok(parsed.ok, 'a brace that starts no quantifier is a literal');
      continue;
    }
    assert.equal(parsed.ok, false, bad);
  }
  assert.ok(parseRegex('a{,3}').ok, '{,3} is a literal before PCRE2 10.43 (nginx 1.22 on Debian links 10.42)');
  assert.ok(parseRegex('(((((((((a)))))))))').ok);
  assert.equal(parseRegex('('.repeat(300) + ')'.repeat(300)).ok, false, "PCRE2's nesting limit");
});

test('the automaton decides matches as PCRE does: search semantics, anchors, classes, caseless', () => {
  const cases: Array<[string, string, boolean, boolean?]> = [
    ['^https://kasm\\.example\\.com$', 'https://kasm.example.com', true],
    ['^https://kasm\\.example\\.com$', 'https://kasmxexample.com', false],
    ['^https://kasm.example.com$', 'https://kasmxexample.com', true],
    ['kasm\\.example\\.com', 'https://kasm.example.com.evil.example', true],
    ['^/api/', '/x/api/', false],
    ['/api/', '/x/api/', true],
    ['^a$', 'a\n', true], // $ matches before a final newline
    ['^a$', 'a\nb', false],
    ['^a\\z', 'a\n', false],
    ['(?m)^b$', 'a\nb\nc', true],
    ['^.+$', 'a\nb', false], // the dot does not match a line feed
    ['(?s)^.+$', 'a\nb', true],
    ['^[^/]+$', 'a\nb', true], // a negated class does
    ['^\\d{2,3}$', '1234', false],
    ['^\\d{2,3}$', '123', true],
    ['^(ab)+$', 'ababab', true],
    ['^(ab)+$', 'ababa', false],
    ['^ORIGIN$', 'origin', true, true],
    ['^ORIGIN$', 'origin', false, false],
    ['\\bcat\\b', 'a cat!', true],
    ['\\bcat\\b', 'concat', false],
    ['^[[:alpha:]]+$', 'abcXYZ', true],
    ['^\\Qa.b\\E$', 'axb', false],
    ['^\\x41\\101\\cA$', 'AA\x01', true],
    ['^(?i)ab(?-i)C$', 'ABC', true],
    ['^(?i)ab(?-i)C$', 'ABc', false],
  ];
  for (const [pattern, subject, expected, caseless] of cases) assert.equal(accepts(pattern, subject, caseless ?? false), expected, `${pattern} on ${JSON.stringify(subject)}`);
});

test('deciding a match takes linear time even on a pattern that makes PCRE backtrack for ever', () => {
  const a = automatonOf(regex('^(a+)+$'))!;
  const start = performance.now();
  assert.equal(matches(a, `${'a'.repeat(50_000)}!`), false);
  assert.ok(performance.now() - start < 2_000);
});

test('a repeated part of the subject is skipped by whole cycles: the same answer as walking every byte', () => {
  // patterns where the assertions (anchors, word boundaries, multiline) look at the bytes around a copy
  const atoms = ['a', 'b', '/', '.', '\\w', '\\n', '[^/]', '(a|/)', '(?:ab)'];
  const assertions = ['\\b', '\\B', '^', '$', '\\z', '\\A'];
  const quantifiers = ['', '', '*', '+', '?', '{2}', '{1,3}'];
  let seed = 7;
  const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const word = (alphabet: string, max: number) => Array.from({ length: Math.floor(rnd() * (max + 1)) }, () => pick([...alphabet])).join('');
  let compared = 0;
  let matched = 0;
  for (let i = 0; i < 1500; i++) {
    let pattern = Array.from({ length: 1 + Math.floor(rnd() * 5) }, () => (rnd() < 0.3 ? pick(assertions) : pick(atoms) + pick(quantifiers))).join('');
    if (rnd() < 0.2) pattern = `(?m)${pattern}`;
    const parsed = parseRegex(pattern);
    if (!parsed.ok) continue;
    const a = automatonOf(parsed.regex);
    if (!a) continue;
    const prefix = word('ab/.\n', 3);
    const pump = word('ab/.\n', 3) || 'a';
    const count = Math.floor(rnd() * 40);
    const suffix = word('ab/.\n!', 3);
    const subject = prefix + pump.repeat(count) + suffix;
    const walked = matches(a, subject);
    assert.equal(matches(a, subject, { start: prefix.length, length: pump.length, count }), walked, `${pattern} on ${JSON.stringify([prefix, pump, count, suffix])}`);
    compared++;
    if (walked) matched++;
  }
  assert.ok(compared > 1000 && matched > 100 && compared - matched > 100, `${compared} compared, ${matched} matched`);
  // a pump of 4,000 copies: answered without walking them all
  const a = automatonOf(regex('^/workspace/(.+)/(.*)$'))!;
  const subject = `/workspace/${'a/'.repeat(4000)}\nx`;
  assert.equal(matches(a, subject, { start: 11, length: 2, count: 4000 }), false);
  assert.equal(matches(a, `/workspace/${'a/'.repeat(4000)}x`, { start: 11, length: 2, count: 4000 }), true);
});

test('captures: the bytes they hold, what precedes them, whether they can hold a substring', () => {
  const a = automatonOf(regex('^/files(.*)$'))!;
  const shape = captureShape(a, 1)!;
  assert.ok(shape.first.hasChar('.'));
  assert.ok(!shape.before.hasChar('/') || shape.before.hasChar('s'));
  assert.ok(shape.bytes.has(0x0d) && !shape.bytes.has(LF), '(.*) can hold CR but not LF');
  assert.ok(captureCanContain(a, 1, '..'));
  const slashed = automatonOf(regex('^/files/([^/]+)$'))!;
  assert.ok(captureShape(slashed, 1)!.before.equals(ByteSet.chars('/')));
  assert.ok(captureShape(slashed, 1)!.bytes.has(LF), '[^/] holds a line feed');
  assert.equal(captureCanContain(automatonOf(regex('^/img/([a-z0-9]+)\\.png$'))!, 1, '..'), false);
  assert.equal(captureCanContain(automatonOf(regex('^/(a\\.b)$'))!, 1, '..'), false);
  assert.equal(captureCanContain(automatonOf(regex('^/(a\\.\\.?b)$'))!, 1, '..'), true);
});

test('samples: natural strings the regex accepts', () => {
  const origins = samples(regex('^https?://(www\\.)?example\\.com(:\\d+)?$').root, 16);
  assert.equal(origins[0], 'https://www.example.com', 'optional literal parts present first, optional wildcard parts absent');
  for (const expected of ['https://example.com', 'http://www.example.com', 'http://example.com', 'https://example.com:0']) assert.ok(origins.includes(expected), expected);
  assert.equal(samples(regex('^https://(.*\\.)?example\\.com$').root)[0], 'https://example.com');
});

test('catastrophic backtracking: exponential and polynomial shapes, with a subject PCRE rejects', () => {
  const exp = catastrophicBacktracking(regex('^(a+)+$'))!;
  assert.equal(exp.kind, 'exponential');
  assert.equal(matches(automatonOf(regex('^(a+)+$'))!, exp.prefix + exp.pump.repeat(exp.repeat) + exp.suffix), false);
  assert.equal(catastrophicBacktracking(regex('^(\\w+\\s?)+$'))?.kind, 'exponential');
  // Kasm's website.conf rewrite: six wildcards that can trade the slashes between them
  const kasm = catastrophicBacktracking(regex('^/workspace/(.+)/(.+)/(.+)/(.+)/(.+)/(.+)$'))!;
  assert.equal(kasm.kind, 'polynomial');
  assert.equal(kasm.degree, 6);
  assert.equal(kasm.prefix, '/workspace/');
  assert.equal(kasm.pump, 'a/');
  assert.equal(kasm.suffix, '\nx');
  // safe shapes
  for (const safe of ['^/api/([^/]+)/([^/]+)$', '^([a-z]+\\.)+example\\.com$', '\\.php$', '^/(.*)/(.*)', '^(a|b)+$', '^(.+)-(\\d+)$', '^/static/.*\\.(css|js)$']) {
    assert.equal(catastrophicBacktracking(regex(safe)), undefined, safe);
  }
  // degree 2 is found, and the subject's bytes matter: a header value holds no line feed
  assert.equal(catastrophicBacktracking(regex('^/(.*)/(.*)$'))?.degree, 2);
  assert.equal(catastrophicBacktracking(regex('^(.*),(.*),(.*)$'), ByteSet.ALL.minus(ByteSet.of(LF, 0x0d))), undefined);
});

test('the shortcut of catastrophic backtracking (at most one loop, over one character) never hides what the search finds', () => {
  // random patterns from a grammar of the pieces configuration regexes are made of, the search run on
  // each the shortcut answers for, and on every one where it is the only loop
  let seed = 17;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const atoms = ['a', '/', '.', '\\d', '[^/]', '[a-z]', '\\w', '\\s', '-', '\\.'];
  const quantifiers = ['', '', '*', '+', '?', '{2}', '{1,3}', '{1,40}', '{2,}', '*?', '+?'];
  const piece = (depth: number): string => {
    const roll = random(10);
    let body: string;
    if (depth < 3 && roll === 0) body = `(${piece(depth + 1)}${piece(depth + 1)})`;
    else if (depth < 3 && roll === 1) body = `(?:${piece(depth + 1)}|${piece(depth + 1)})`;
    else body = atoms[random(atoms.length)]!;
    return body + quantifiers[random(quantifiers.length)]!;
  };
  let shortcut = 0;
  const headerBytes = ByteSet.ALL.minus(ByteSet.of(LF, 0x0d));
  for (let i = 0; i < 3000; i++) {
    const pattern = `${random(2) ? '^' : ''}${Array.from({ length: 1 + random(4) }, () => piece(0)).join('')}${random(2) ? '$' : ''}`;
    const parsed = parseRegex(pattern);
    if (!parsed.ok || !atMostOneSimpleLoop(parsed.regex.root)) continue;
    shortcut++;
    for (const subject of [ByteSet.ALL, headerBytes]) assert.equal(searchBacktracking(parsed.regex, subject), undefined, pattern);
  }
  assert.ok(shortcut > 500, `${shortcut} patterns took the shortcut`);
  // and what it does not take
  for (const looped of ['^(a+)+$', '^(a|a)*$', '^(.*)/(.*)$', '^(\\w+\\s?)+$', '^a{1,40}a{1,40}$', '^(?:a*){2}$', '^(a)\\1*$']) {
    assert.equal(atMostOneSimpleLoop(regex(looped).root), false, looped);
  }
});
