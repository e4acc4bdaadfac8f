// The formatter: its layout, its options, what it refuses, and the proof that it changes nothing nginx
// reads, on every configuration the project has and under the real `nginx -t`.

import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { formatNginx, formatNginxRange, type FormatOptions } from '../../server/src/format/format';
import { findNginxFiles } from '../../server/src/workspace/project';
import { host } from '../support/engine';
import { messUp, projectConfigurations, readAs, ROOT } from '../support/format';
import { copyKasmFixture, prepareKasmTreeForNginx } from '../support/kasm';
import { nginxTest } from '../support/nginx';
import { seededRandom } from '../support/random';

function format(text: string, options?: Partial<FormatOptions>): string {
  const result = formatNginx('/t.conf', text, { indent: '    ', ...options });
  if (!result.ok) assert.fail(result.reason);
  return result.text;
}

const lines = (...l: string[]) => `${l.join('\n')}\n`;

describe('layout', () => {
  test('one directive per line, indented per block; an empty block stays {}', () => {
    assert.equal(
      format('http { server { listen 80; location = /x { return 204; }   location /y {} } }'),
      lines('http {', '    server {', '        listen 80;', '        location = /x {', '            return 204;', '        }', '        location /y {}', '    }', '}'),
    );
  });

  test('white space between words becomes one space; words are kept as written (quotes, escapes, regexes)', () => {
    const text = lines(
      'location   ~*   "^/(a|b){2}\\.png$"   {',
      "\tadd_header\t'X-A'   \"a\\\"b; {c}\"    always ;",
      '  rewrite ^/x/(.*)$ /$1 break;',
      '  if ($http_origin ~ "^https://kasm\\.example\\.com$"){ return 403 ;}',
      '}',
    );
    assert.equal(
      format(text),
      lines(
        'location ~* "^/(a|b){2}\\.png$" {',
        "    add_header 'X-A' \"a\\\"b; {c}\" always;",
        '    rewrite ^/x/(.*)$ /$1 break;',
        '    if ($http_origin ~ "^https://kasm\\.example\\.com$") {',
        '        return 403;',
        '    }',
        '}',
      ),
    );
  });

  test('comments stay where they are: after code on its line, or on their own line at the block level', () => {
    assert.equal(
      format(lines('server {   # main', '      # the port', 'listen 80; # plain', '  if ($host = a) {', 'return 301 https://$host$request_uri;', '    } # managed by Certbot', '#last', '}')),
      lines('server { # main', '    # the port', '    listen 80; # plain', '    if ($host = a) {', '        return 301 https://$host$request_uri;', '    } # managed by Certbot', '    #last', '}'),
    );
  });

  test('blank lines are kept, one at most, none at the start or end of a block or the file', () => {
    assert.equal(
      format('\n\n\nhttp {\n\n\n    gzip on;\n\n\n\n    # two\n\n    gzip_types text/css;\n\n}\n\n\n'),
      lines('http {', '    gzip on;', '', '    # two', '', '    gzip_types text/css;', '}'),
    );
  });

  test('arguments written over several lines stay on them, aligned under the last argument of the first line', () => {
    assert.equal(
      format(lines('http {', "log_format main '$remote_addr - [$time_local] '", "        '\"$request\" $status'  # the request", "   '$body_bytes_sent';", '  server_name', 'a.example.com', '  b.example.com', '  ;', '}')),
      lines(
        'http {',
        "    log_format main '$remote_addr - [$time_local] '",
        "                    '\"$request\" $status' # the request",
        "                    '$body_bytes_sent';",
        '    server_name',
        '        a.example.com',
        '        b.example.com;',
        '}',
      ),
    );
  });

  test('a quoted string over several lines and a Lua body are not touched', () => {
    const text = lines(
      'location / {',
      '      add_header Content-Security-Policy "default-src \'self\';',
      '   img-src data:" always;',
      '  content_by_lua_block {',
      '        local s = "}" -- {',
      '   ngx.say(s)',
      '    }',
      '}',
    );
    assert.equal(
      format(text),
      lines(
        'location / {',
        '    add_header Content-Security-Policy "default-src \'self\';',
        '   img-src data:" always;',
        '    content_by_lua_block {',
        '        local s = "}" -- {',
        '   ngx.say(s)',
        '    }',
        '}',
      ),
    );
  });

  test('the keys of map-like blocks are padded to one column', () => {
    assert.equal(
      format(lines('map $http_upgrade $connection_upgrade {', '  default upgrade;', "  '' close;", '}', 'map $http_origin $cors {', 'hostnames;', 'default "";', '"~^https://kasm\\.example\\.com$" $http_origin;', '}')),
      lines(
        'map $http_upgrade $connection_upgrade {',
        '    default upgrade;',
        "    ''      close;",
        '}',
        'map $http_origin $cors {',
        '    hostnames;',
        '    default                         "";',
        '    "~^https://kasm\\.example\\.com$" $http_origin;',
        '}',
      ),
    );
  });

  // What the formatters people use broke (reference/peers.md): each input written here from the nginx
  // construct the report names, and each must come out read alike.
  test("what other NGINX formatters break comes out as nginx reads it", () => {
    const cases = [
      "log_format json escape=json '{' '\"time\":\"$time_local\",' '\"nested\": { \"a\": \"$status\" }' '}';", // braces in quoted strings
      'access_log /var/log/nginx/${server_name}_${server_port}_access.log main;', // ${var} inside a word
      'add_header X-XSS-Protection "1; mode=block" always;', // a semicolon in a string
      "error_log /var/log/nginx-err.log; # [comment1|comment2];", // a comment holding a semicolon
      "add_header Content-Disposition 'attachment;filename*=\"utf-8\\'\\'$filename\"';", // escaped quotes
      'location = /robots.txt { return 200 "User-agent: *\\nDisallow: /\\n"; }', // escapes in a one-line block
      "sub_filter '{TEST}' \"rewrite\";",
      'location ~ "^/\\d{3}/" { try_files $uri /index.html; }', // a quoted regex with braces
      "map $http_upgrade $c { default upgrade; '' close; }", // a quoted empty map key
      '#log_format  main  \'$remote_addr - $remote_user [$time_local] "$request" \'', // commented-out code
    ];
    for (const text of cases) {
      const wrapped = `http {\nserver {\n${text}\n}\n}\n`;
      const formatted = format(wrapped);
      assert.deepEqual(readAs(formatted), readAs(wrapped), `${text}\n→\n${formatted}`);
      assert.equal(format(formatted), formatted, 'idempotent');
    }
  });
});

describe('options', () => {
  const text = 'http {\r\n  server {\r\n    listen 80;  # port  \r\n  }\r\n}';
  test('tabs or N spaces; the file keeps its line breaks unless told; a final line break', () => {
    assert.equal(format(text, { indent: '\t' }), 'http {\r\n\tserver {\r\n\t\tlisten 80; # port\r\n\t}\r\n}\r\n');
    assert.equal(format(text, { indent: '  ', eol: '\n' }), 'http {\n  server {\n    listen 80; # port\n  }\n}\n');
  });
  test('without a final line break, and comments keeping their trailing blanks', () => {
    assert.equal(format(text, { eol: '\n', insertFinalNewline: false, trimTrailingWhitespace: false }), 'http {\n    server {\n        listen 80; # port  \n    }\n}');
  });
  test('with tabs, continuation lines are aligned with spaces after the block indentation', () => {
    assert.equal(format('http {\nserver_name a\nb;\n}\n', { indent: '\t' }), 'http {\n\tserver_name a\n\t            b;\n}\n');
  });
});

describe('what is not formatted', () => {
  test('a file with a syntax error, with the first error and its line', () => {
    const result = formatNginx('/t.conf', 'server {\n  listen 80;\n}\n}\n');
    assert.deepEqual(result, { ok: false, reason: 'not formatted: line 4: unexpected "}" (fix the syntax error first)' });
    assert.equal(formatNginx('/t.conf', 'server {\n listen 80;\n').ok, false);
  });
  test('an empty file stays empty', () => {
    assert.equal(format(''), '');
    assert.equal(format('\n\n  \n'), '');
  });
});

describe('every configuration the project has', () => {
  const all = projectConfigurations();

  test('is read alike after formatting, and formatting again changes nothing', (t) => {
    let formatted = 0;
    let refused = 0;
    for (const { path, text } of all) {
      const result = formatNginx(path, text);
      if (!result.ok) {
        assert.match(result.reason, /^not formatted: line \d+: /, `${path}: ${result.reason}`);
        assert.equal(readAs(text), undefined, `${path} parses, yet was refused`);
        refused++;
        continue;
      }
      formatted++;
      assert.deepEqual(readAs(result.text), readAs(text), path);
      assert.equal(formatNginx(path, result.text).ok && (formatNginx(path, result.text) as { text: string }).text, result.text, `${path}: not idempotent`);
    }
    t.diagnostic(`${formatted} files formatted, ${refused} refused for their syntax errors (of ${all.length})`);
    assert.ok(formatted >= 40 && refused >= 5, 'both kinds are exercised');
  });

  test('a messy copy (white space redrawn at random, 20 per file) formats to what the original formats to', () => {
    const random = seededRandom(15);
    let copies = 0;
    for (const { path, text } of all) {
      if (readAs(text) === undefined) continue;
      const want = format(text, { eol: '\n' });
      for (let i = 0; i < 20; i++) {
        const messy = messUp(text, random);
        assert.deepEqual(readAs(messy), readAs(text), `${path}: the messy copy is read alike`);
        assert.equal(format(messy, { eol: '\n' }), want, `${path}, messy copy ${i}:\n${messy}`);
        copies++;
      }
    }
    assert.ok(copies >= 800);
  });

  test('range formatting of any lines gives a file read alike, which whole-file formatting then finishes', () => {
    const random = seededRandom(1515);
    let ranges = 0;
    for (const { path, text } of all) {
      if (readAs(text) === undefined) continue;
      const messy = messUp(text, random);
      const lineCount = messy.split('\n').length;
      const whole = format(messy, { eol: '\n' });
      for (let i = 0; i < 10; i++) {
        const a = random(lineCount);
        const b = a + random(lineCount - a);
        const result = formatNginxRange(path, messy, { start: { line: a, character: random(5) }, end: { line: b, character: random(40) } }, { indent: '    ', eol: '\n' });
        if (!result.ok) assert.fail(result.reason);
        const after = messy.slice(0, result.start) + result.newText + messy.slice(result.end);
        assert.deepEqual(readAs(after), readAs(messy), `${path}: lines ${a}-${b}`);
        assert.equal(format(after, { eol: '\n' }), whole, `${path}: lines ${a}-${b}`);
        ranges++;
      }
    }
    assert.ok(ranges >= 400);
  });

  test('a range inside one directive formats its whole lines and nothing else', () => {
    const text = 'http {\n  server {\n      listen    80;\n   server_name a;\n  }\n}\n';
    const result = formatNginxRange('/t.conf', text, { start: { line: 2, character: 8 }, end: { line: 2, character: 9 } });
    assert.deepEqual(result, { ok: true, start: text.indexOf('      listen'), end: text.indexOf(';\n   server_name') + 1, newText: '        listen 80;' });
  });
});

describe('the real nginx -t on formatted copies', () => {
  /** Formats every NGINX file under `dir` in place; returns how many changed. */
  function formatTree(dir: string): number {
    let changed = 0;
    for (const path of findNginxFiles(host, dir)) {
      const text = readFileSync(path, 'utf8');
      const result = formatNginx(path, text);
      if (result.ok && result.text !== text) {
        writeFileSync(path, result.text);
        changed++;
      }
    }
    return changed;
  }

  test('the Kasm 1.16.1 tree, made messy then formatted, is still accepted', () => {
    const copy = mkdtempSync(join(tmpdir(), 'kasmlint-format-kasm-'));
    copyKasmFixture(copy);
    const random = seededRandom(7);
    for (const path of findNginxFiles(host, copy)) writeFileSync(path, messUp(readFileSync(path, 'utf8'), random));
    assert.equal(formatTree(copy), 23);
    // the two rdp_https_gateway files define one location twice: a real install has one of them
    const verdict = nginxTest(prepareKasmTreeForNginx(copy, ['services.d/rdp_https_gateway_webapp.conf']).mainConf);
    assert.ok(verdict.ok, verdict.output);
  });

  test('every case of the corpus gets the same verdict before and after formatting', (t) => {
    const corpus = join(ROOT, 'test/corpus/nginx');
    let accepted = 0;
    let cases = 0;
    for (const name of readdirSync(corpus).sort()) {
      const source = join(corpus, name);
      const [before, after] = [0, 1].map(() => {
        const dir = mkdtempSync(join(tmpdir(), 'kasmlint-format-case-'));
        if (statSync(source).isDirectory()) cpSync(source, dir, { recursive: true });
        else cpSync(source, join(dir, 'nginx.conf'));
        return dir;
      }) as [string, string];
      formatTree(after);
      const want = nginxTest(join(before, 'nginx.conf'), before);
      const got = nginxTest(join(after, 'nginx.conf'), after);
      assert.equal(got.ok, want.ok, `${name}: ${got.output}`);
      assert.equal(got.message?.replaceAll(after, 'DIR'), want.message?.replaceAll(before, 'DIR'), name);
      if (want.ok) accepted++;
      cases++;
    }
    t.diagnostic(`${cases} cases, ${accepted} accepted by nginx -t before and after`);
  });
});
