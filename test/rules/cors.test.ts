import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { LineIndex } from '../../server/src/core/text';
import { analyzeOriginRegex } from '../../server/src/proxy/origin-regex';
import { lint } from '../support/engine';
import { location, site } from '../support/configs';
import { copyKasmFixture, KASM_FIXTURE } from '../support/kasm';
import { ruleTests } from '../support/rule-tester';

const ALLOW_LIST = [
  '    map $http_origin $cors_allowed_origin {',
  '        default "";',
  '        "~^https://kasm\\.example\\.com(:[0-9]+)?$" $http_origin;',
  '    }',
  '',
].join('\n');

/** The site with the allow-list map inserted at http level, above the server. */
function withAllowList(text: string): string {
  return text.replace('    server {\n', `${ALLOW_LIST}\n    server {\n`);
}

const REFLECTING = ["add_header 'Access-Control-Allow-Origin' $http_origin always;", "add_header 'Access-Control-Allow-Credentials' 'true' always;", 'proxy_pass http://kasm_api;'];

ruleTests('cors/reflected-origin', {
  valid: [
    { name: 'a fixed origin', files: { 'nginx.conf': site(location('/api/', ["add_header 'Access-Control-Allow-Origin' 'https://kasm.example.com' always;", 'proxy_pass http://kasm_api;'])) } },
    {
      name: 'an allow-list map that defaults to ""',
      files: { 'nginx.conf': withAllowList(site(location('/api/', ["add_header 'Access-Control-Allow-Origin' $cors_allowed_origin always;", 'proxy_pass http://kasm_api;']))) },
    },
    {
      name: 'echoed only inside if ($http_origin ~ ...): an allow-list',
      files: {
        'nginx.conf': site(location('/api/', ['if ($http_origin ~ "^https://kasm\\.example\\.com$") {', "    add_header 'Access-Control-Allow-Origin' $http_origin always;", '}', 'proxy_pass http://kasm_api;'])),
      },
    },
    {
      // the variable holds the Origin only when the regex accepted it, and is empty otherwise (no header)
      name: 'a variable set from the Origin inside if ($http_origin ~* ...), echoed in the location',
      files: {
        'nginx.conf': site([
          'if ($http_origin ~* "^https://(www\\.)?kasm\\.example\\.com$") {',
          '    set $cors $http_origin;',
          '}',
          ...location('/api/', ["add_header 'Access-Control-Allow-Origin' $cors always;", 'proxy_pass http://kasm_api;']),
        ]),
      },
    },
  ],
  invalid: [
    {
      name: 'with credentials, as Kasm ships it: an error; the preferred fix is the server_name origin',
      files: { 'nginx.conf': site(location('/api/', REFLECTING)) },
      findings: [{ path: 'nginx.conf', line: 13, column: 54, severity: 'error', message: /^Access-Control-Allow-Origin echoes the request's Origin \(\$http_origin\), with credentials allowed\.$/, detail: /call this server with the user's cookies/ }],
      output: { 'nginx.conf': site(location('/api/', [REFLECTING[0]!.replace('$http_origin', "'https://kasm.example.com'"), ...REFLECTING.slice(1)])) },
      nginxAcceptsOutput: true,
      alternatives: [
        {
          title: /^Allow only the origins of an allow-list \(https:\/\/kasm\.example\.com; map \$http_origin \$cors_allowed_origin, 1 header switched\) — narrows who may call this server$/,
          output: { 'nginx.conf': withAllowList(site(location('/api/', [REFLECTING[0]!.replace('$http_origin', '$cors_allowed_origin'), ...REFLECTING.slice(1)]))) },
        },
      ],
    },
    {
      name: 'through a copy (set $origin $http_origin), without credentials: a warning',
      files: { 'nginx.conf': site(location('/', ['set $origin $http_origin;', 'add_header Access-Control-Allow-Origin $origin;', 'return 204;'])) },
      findings: [{ path: 'nginx.conf', line: 14, severity: 'warning', message: /echoes the request's Origin/, detail: /Every website may then read these responses/ }],
      output: { 'nginx.conf': site(location('/', ['set $origin $http_origin;', 'add_header Access-Control-Allow-Origin https://kasm.example.com;', 'return 204;'])) },
      nginxAcceptsOutput: true,
    },
    {
      name: 'through a map whose default is the origin',
      files: {
        'nginx.conf': site(location('/', ['add_header Access-Control-Allow-Origin $cors always;', 'return 204;']), ['map $http_origin $cors {', '    default $http_origin;', '    "" "https://kasm.example.com";', '}']),
      },
      findings: [{ path: 'nginx.conf', line: 17, severity: 'warning' }],
      output: {
        'nginx.conf': site(location('/', ['add_header Access-Control-Allow-Origin https://kasm.example.com always;', 'return 204;']), ['map $http_origin $cors {', '    default $http_origin;', '    "" "https://kasm.example.com";', '}']),
      },
      nginxAcceptsOutput: true,
    },
  ],
});

test("on the Kasm tree: the three echoing headers are errors, and the allow-list fix puts the map in orchestrator.conf and switches all three", () => {
  const found = lint([KASM_FIXTURE]).findings.filter((f) => f.rule === 'cors/reflected-origin');
  assert.deepEqual(
    found.map((f) => `${basename(f.file)}:${f.range.start.line + 1} ${f.severity}`),
    ['upstream_proxy.conf:53 error', 'upstream_proxy.conf:68 error', 'website.conf:11 error'],
  );
  const allowList = found[0]!.fixes.find((x) => x.title.includes('allow-list'))!;
  // Kasm ships server_name ubuntu-base, no host to make an origin of: the map starts empty, and no fixed origin is offered.
  assert.equal(allowList.title, 'Allow only the origins of an allow-list (none yet: add your hosts; map $http_origin $cors_allowed_origin, 3 headers switched) — narrows who may call Kasm');
  assert.deepEqual(found[0]!.fixes.map((x) => x.preferred), [true]);
  const files = allowList.edits.map((e) => `${basename(e.file)}:${e.range.start.line + 1}`);
  assert.deepEqual(files, ['orchestrator.conf:3', 'upstream_proxy.conf:53', 'upstream_proxy.conf:68', 'website.conf:11']);
  assert.ok(allowList.edits.every((e) => !e.file.includes('services.d') || e.newText === '$cors_allowed_origin'), 'the map is never put in services.d');
});

test('an allow-list map already inserted without hosts (a fix applied in another file, or an interrupted --fix) is the one the next fix uses', () => {
  const dir = copyKasmFixture(mkdtempSync(join(tmpdir(), 'kasmlint-cors-')));
  const allowListOf = () => lint([dir]).findings.find((f) => f.rule === 'cors/reflected-origin')!.fixes.find((x) => x.title.includes('allow-list'))!;
  const first = allowListOf();
  const mapEdit = first.edits.find((e) => basename(e.file) === 'orchestrator.conf')!;
  const text = readFileSync(mapEdit.file, 'utf8');
  const lines = new LineIndex(text);
  writeFileSync(mapEdit.file, text.slice(0, lines.offsetAt(mapEdit.range.start)) + mapEdit.newText + text.slice(lines.offsetAt(mapEdit.range.end)));

  const next = allowListOf();
  assert.deepEqual(next.edits.map((e) => `${basename(e.file)} ${e.newText}`), ['upstream_proxy.conf $cors_allowed_origin', 'upstream_proxy.conf $cors_allowed_origin', 'website.conf $cors_allowed_origin']);
});

ruleTests('cors/origin-regex', {
  valid: [
    { name: 'anchored, dots escaped', files: { 'nginx.conf': withAllowList(site(location('/', ['add_header Access-Control-Allow-Origin $cors_allowed_origin;', 'return 204;']))) } },
    {
      name: 'a regex that maps to "" is a deny-list entry, not an allow-list',
      files: { 'nginx.conf': site(location('/', ['return 204;']), ['map $http_origin $x {', '    default "https://kasm.example.com";', '    ~evil.example "";', '}']) },
    },
  ],
  invalid: [
    {
      name: "the seed's own example: (.*\\.)?example.com accepts https://examplexcom",
      files: {
        'nginx.conf': site(location('/', ['add_header Access-Control-Allow-Origin $allow_origin;', 'return 204;']), [
          'map $http_origin $allow_origin {',
          '    ~^https?://(.*\\.)?example.com(:\\d+)?$ $http_origin;',
          '    default "";',
          '}',
        ]),
      },
      findings: [{ path: 'nginx.conf', line: 4, column: 9, message: /accepts hosts an attacker can register \(it accepts https:\/\/examplexcom\)/, detail: /^It has an unescaped dot \(a dot matches any character\)/ }],
      output: {
        'nginx.conf': site(location('/', ['add_header Access-Control-Allow-Origin $allow_origin;', 'return 204;']), [
          'map $http_origin $allow_origin {',
          '    "~^https?://(.*\\.)?example\\.com(:\\d+)?$" $http_origin;',
          '    default "";',
          '}',
        ]),
      },
      nginxAcceptsOutput: true,
    },
    {
      name: 'an if condition written from inside the host name: scheme, escapes and both anchors added',
      files: {
        'nginx.conf': site(location('/', ['if ($http_origin ~* "kasm.example.com") {', '    add_header Access-Control-Allow-Origin $http_origin;', '}', 'return 204;'])),
      },
      findings: [{ path: 'nginx.conf', line: 13, message: /\(it accepts https:\/\/kasmxexample\.com\)/ }],
      output: {
        'nginx.conf': site(location('/', ['if ($http_origin ~* "^https?://kasm\\.example\\.com(:[0-9]+)?$") {', '    add_header Access-Control-Allow-Origin $http_origin;', '}', 'return 204;'])),
      },
      nginxAcceptsOutput: true,
    },
  ],
});

test('origin regexes: what gets through, and that the fixed regex still accepts the intended origins', () => {
  const cases: Array<[string, string | undefined, string[]]> = [
    ['^https://kasm.example.com$', 'https://kasmxexample.com', ['https://kasm.example.com']],
    ['^https://kasm\\.example\\.com', 'https://kasm.example.com.evil.example', ['https://kasm.example.com']],
    ['https://.*example\\.com$', 'https://evilexample.com', ['https://www.example.com', 'https://example.com']],
    ['kasm\\.example\\.com', 'https://kasm.example.com.evil.example', ['https://kasm.example.com', 'http://kasm.example.com:8443']],
  ];
  for (const [pattern, example, accepted] of cases) {
    const analysis = analyzeOriginRegex(pattern, false);
    assert.equal(analysis.example, example, pattern);
    const fixed = new RegExp(analysis.fixed!);
    for (const origin of accepted) assert.ok(fixed.test(origin), `${analysis.fixed} rejects ${origin}`);
    assert.ok(!fixed.test(example!), `${analysis.fixed} still accepts ${example}`);
    assert.deepEqual(analyzeOriginRegex(analysis.fixed!, false).problems, [], `${analysis.fixed} is itself reported`);
  }
  // A regex that would backtrack for ever is never run.
  assert.equal(analyzeOriginRegex('^(a+)+$', false).example, undefined);
});

ruleTests('cors/wildcard-with-credentials', {
  valid: [{ name: '* without credentials', files: { 'nginx.conf': site(location('/', ['add_header Access-Control-Allow-Origin * always;', 'return 204;'])) } }],
  invalid: [
    {
      name: '* with credentials: the origin becomes the server_name, or credentials go',
      files: { 'nginx.conf': site(location('/', ['add_header Access-Control-Allow-Origin * always;', 'add_header Access-Control-Allow-Credentials true always;', 'return 204;'])) },
      findings: [{ path: 'nginx.conf', line: 13, severity: 'warning', message: /is "\*" while credentials are allowed/, detail: /Browsers refuse this combination/ }],
      output: { 'nginx.conf': site(location('/', ['add_header Access-Control-Allow-Origin https://kasm.example.com always;', 'add_header Access-Control-Allow-Credentials true always;', 'return 204;'])) },
      nginxAcceptsOutput: true,
      alternatives: [
        { title: /^Remove Access-Control-Allow-Credentials — /, output: { 'nginx.conf': site(location('/', ['add_header Access-Control-Allow-Origin * always;', 'return 204;'])) } },
      ],
    },
  ],
});
