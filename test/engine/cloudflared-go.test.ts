// The parts of Go and of gopkg.in/yaml.v3 that cloudflared's verdicts and messages come from, ported
// in server/src/cloudflared/go/ and yamlv3/: each case is Go's (or yaml.v3's) answer, from its source.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDuration, parseDuration } from '../../server/src/cloudflared/go/duration';
import { goRegexpError } from '../../server/src/cloudflared/go/regexp';
import { atoi, atoiError, goQuote } from '../../server/src/cloudflared/go/strconv';
import { parseUrl } from '../../server/src/cloudflared/go/url';
import { parseCIDROk, parseIPOk, splitHostPortOk } from '../../server/src/cloudflared/go/net';
import { CONFIG_FILE_SETTINGS } from '../../server/src/cloudflared/config-types';
import { parseFirstDocument } from '../../server/src/cloudflared/yamlv3/compose';
import { decode } from '../../server/src/cloudflared/yamlv3/decode';

test('regexp/syntax (parse.go): what Go accepts, and its error for what it refuses', () => {
  for (const ok of ['', '(?i-s:x)', 'x*?', '(?U)x', '[]a]', '[^]a]', '\\pN', '\\p{Greek}', '[[:^alpha:]]', '\\x41', '\\101', '\\0', '^*', '(?:)+', 'a{1000}', 'a{,5}', '(?P<n>a)(?P<n>b)', '(?<n>a)', '\\Q*\\E', '\\z']) {
    assert.equal(goRegexpError(ok), undefined, ok);
  }
  const refused: Array<[string, string]> = [
    ['a{2,1}', 'invalid repeat count: `{2,1}`'],
    ['a{1,1001}', 'invalid repeat count: `{1,1001}`'],
    ['(a{1000}){1000}', 'invalid repeat count: `{1000}`'],
    ['x++', 'invalid nested repetition operator: `++`'],
    ['x*??', 'invalid nested repetition operator: `*??`'],
    ['(?-)', 'invalid or unsupported Perl syntax: `(?-)`'],
    ['(?P=n)', 'invalid or unsupported Perl syntax: `(?P`'],
    ['(?P<>x)', 'invalid named capture: `(?P<>`'],
    ['(?<n', 'invalid named capture: `(?<n`'],
    ['[[:foo:]]', 'invalid character class range: `[:foo:]`'],
    ['\\p{Foo}', 'invalid character class range: `\\p{Foo}`'],
    ['\\x{110000}', 'invalid escape sequence: `\\x{110000`'],
    ['[a-\\d]', 'invalid escape sequence: `\\d`'],
    ['[\\Q]\\E]', 'invalid escape sequence: `\\Q`'],
    ['\\C', 'invalid escape sequence: `\\C`'],
    ['a|*', 'missing argument to repetition operator: `*`'],
    ['a\\', 'trailing backslash at end of expression: ``'],
    [')', 'unexpected ): `)`'],
    ['('.repeat(1001), 'missing closing ): `' + '('.repeat(1001) + '`'],
    [`${'('.repeat(1001)}a${')'.repeat(1001)}`, `expression nests too deeply: \`${'('.repeat(1001)}a${')'.repeat(1001)}\``],
  ];
  for (const [pattern, error] of refused) assert.equal(goRegexpError(pattern), `error parsing regexp: ${error}`, pattern);
});

test('net/url Parse: its errors as url.Error prints them', () => {
  assert.deepEqual(parseUrl('https://[::1'), { ok: false, error: `parse "https://[::1": missing ']' in host` });
  assert.deepEqual(parseUrl('http://exa mple.com'), { ok: false, error: 'parse "http://exa mple.com": invalid character " " in host name' });
  assert.deepEqual(parseUrl('http://%zz'), { ok: false, error: 'parse "http://%zz": invalid URL escape "%zz"' });
  assert.deepEqual(parseUrl('http://x:80a'), { ok: false, error: 'parse "http://x:80a": invalid port ":80a" after host' });
  assert.deepEqual(parseUrl(':foo'), { ok: false, error: 'parse ":foo": missing protocol scheme' });
  assert.deepEqual(parseUrl('1http://x'), { ok: false, error: 'parse "1http://x": first path segment in URL cannot contain colon' });
  const ok = parseUrl('HTTPS://user@localhost:8443?q=1');
  assert.ok(ok.ok && ok.url.scheme === 'https' && ok.url.host === 'localhost:8443' && ok.url.path === '' && ok.url.rawQuery === 'q=1');
});

test('time.ParseDuration and Duration.String', () => {
  assert.deepEqual(parseDuration('1m30s'), { ok: true, nanoseconds: 90_000_000_000n });
  assert.deepEqual(parseDuration('-1.5h'), { ok: true, nanoseconds: -5_400_000_000_000n });
  assert.deepEqual(parseDuration('.5s'), { ok: true, nanoseconds: 500_000_000n });
  assert.deepEqual(parseDuration('1'), { ok: false, error: 'time: missing unit in duration "1"' });
  assert.deepEqual(parseDuration('30x'), { ok: false, error: 'time: unknown unit "x" in duration "30x"' });
  assert.deepEqual(parseDuration(''), { ok: false, error: 'time: invalid duration ""' });
  assert.deepEqual(parseDuration('9999999999h'), { ok: false, error: 'time: invalid duration "9999999999h"' });
  assert.deepEqual([180_000_000_000n, 90_000_000_000n, 1_500_000_000n, 500_000_000n, 0n].map(formatDuration), ['3m0s', '1m30s', '1.5s', '500ms', '0s']);
});

test('strconv: Atoi errors and Quote', () => {
  const bad = atoi('abc');
  assert.ok(!bad.ok && atoiError('abc', bad.error) === 'strconv.Atoi: parsing "abc": invalid syntax');
  const big = atoi('99999999999999999999');
  assert.ok(!big.ok && atoiError('99999999999999999999', big.error) === 'strconv.Atoi: parsing "99999999999999999999": value out of range');
  assert.deepEqual(atoi('+42'), { ok: true, value: 42n });
  assert.deepEqual(['a"b', '\x01', 'é', '\\'].map(goQuote), ['"a\\"b"', '"\\x01"', '"é"', '"\\\\"']);
});

test('net: SplitHostPort, ParseIP, ParseCIDR as far as accept or refuse', () => {
  assert.deepEqual(['kasm.example.com:443', '[::1]:80', ':80', 'a:b:c', 'kasm.example.com', '[::1]'].map(splitHostPortOk), [true, true, true, false, false, false]);
  assert.deepEqual(['10.0.0.1', '::1', '::ffff:1.2.3.4', '010.0.0.1', '1.2.3', 'x'].map(parseIPOk), [true, true, true, false, false, false]);
  assert.deepEqual(['10.0.0.0/8', '::/0', '10.0.0.1', '10.0.0.0/33'].map(parseCIDROk), [true, true, false, false]);
});

/** What yaml.v3 says of a text decoded into cloudflared's configFileSettings: its stop, its type errors, or ok. */
function yamlV3(text: string): string {
  const document = parseFirstDocument(text);
  if (document.error) return document.error.message;
  if (!document.root) return 'ok (no document)';
  const decoded = decode(document.root, CONFIG_FILE_SETTINGS);
  return decoded.fatal?.message ?? (decoded.errors.map((e) => e.message).join(' | ') || 'ok');
}

test('yaml.v3: where the reader, scanner, parser and decoder stop, and the line fail() prints', () => {
  const cases: Array<[string, string]> = [
    // decode.go fail(): no "line N:" for line 1; scanner errors print the 1-based line, parser errors the 0-based one.
    ['a: b: c', 'yaml: mapping values are not allowed in this context'],
    ['key: value\n  bad: indent', 'yaml: line 2: mapping values are not allowed in this context'],
    ['- a\nb: c', "yaml: line 1: did not find expected '-' indicator"],
    ['a: >\n  b\n c', 'yaml: line 2: did not find expected key'],
    ['a: b\n\t', 'yaml: line 2: found a tab character that violates indentation'],
    ['\ta: b', 'yaml: found character that cannot start any token'],
    ['a: [1, 2', "yaml: line 1: did not find expected ',' or ']'"],
    ['a: "x', 'yaml: found unexpected end of stream'],
    ['"\\q"', 'yaml: found unknown escape character'],
    ['%YAML 1.1\n%YAML 1.1\n---\na', 'yaml: line 1: found duplicate %YAML directive'],
    ['%YAML 1.2\n---\na', 'yaml: found incompatible YAML document'],
    ['a: &x 1\nb: *y', "yaml: unknown anchor 'y' referenced"],
    ['a: !!int x', 'yaml: cannot decode !!str `x` as a !!int'],
    ['a: !!binary "%%"', 'yaml: !!binary value contains invalid base64 data'],
    ['a: x\x7f', 'yaml: control characters are not allowed'],
    // Only the first document is read, but the scanner keeps two tokens ahead (scannerc.go
    // yaml_parser_fetch_more_tokens): the first token after the next "---" can still stop it.
    ['a: 1\n---\nx: [', 'ok'],
    ['a: 1\n---\n@x', 'yaml: line 3: found character that cannot start any token'],
    ['a: 1\n--- x: [', 'yaml: line 2: mapping values are not allowed in this context'],
    ['', 'ok (no document)'],
    ['# only a comment\n', 'ok (no document)'],
    // The values of unknown top-level keys are decoded (configFileSettings.Settings), keys compared by kind and text.
    ['x: {a: 1, "a": 2}', 'line 1: mapping key "a" already defined at line 1'],
    ['a: 1\n? [a]\n: 1', 'line 2: cannot unmarshal !!seq into string'],
  ];
  for (const [text, expected] of cases) assert.equal(yamlV3(text), expected, JSON.stringify(text));
});
