import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { forEachDirective, type Directive, type ParsedFile } from '../../server/src/nginx/ast';
import { parseNginx } from '../../server/src/nginx/parser';

function parse(text: string): ParsedFile {
  return parseNginx('/t.conf', text);
}

function directives(file: ParsedFile): Directive[] {
  const all: Directive[] = [];
  forEachDirective(file.root, (d) => all.push(d));
  return all;
}

function only(text: string): Directive {
  const file = parse(text);
  assert.deepEqual(file.issues, [], `unexpected issues: ${JSON.stringify(file.issues)}`);
  const [d] = directives(file);
  return d!;
}

describe('tokens as nginx reads them', () => {
  test('a quote opens a string only at the start of a word', () => {
    const d = only(`add_header a"b c"d;`);
    assert.deepEqual(d.args.map((a) => a.value), ['a"b', 'c"d']);
    assert.deepEqual(d.args.map((a) => a.quote), ['', '']);
  });

  test('quoted strings keep spaces, semicolons and braces, and record the quote', () => {
    const d = only(`add_header "Content-Security-Policy" 'default-src {x}; y' always;`);
    assert.deepEqual(d.args.map((a) => a.value), ['Content-Security-Policy', 'default-src {x}; y', 'always']);
    assert.deepEqual(d.args.map((a) => a.quote), ['"', "'", '']);
  });

  test('escapes: \\" \\\' \\\\ lose the backslash, \\t \\n \\r become control characters, others stay', () => {
    const d = only(String.raw`set $a "x\"y\'z\\w\tq\d";`);
    assert.equal(d.args[1]!.value, 'x"y\'z\\w\tq\\d');
  });

  test('an escaped semicolon does not end the directive', () => {
    const d = only(String.raw`rewrite ^/a\;b /c last;`);
    assert.deepEqual(d.args.map((a) => a.value), ['^/a\\;b', '/c', 'last']);
  });

  test('# starts a comment only at a word boundary', () => {
    const file = parse('add_header a#b c; # real comment\n');
    assert.deepEqual(directives(file)[0]!.args.map((a) => a.value), ['a#b', 'c']);
    assert.deepEqual(file.comments.map((c) => c.text), [' real comment']);
  });

  test('${var} is part of the word: its brace does not open a block', () => {
    const d = only('proxy_set_header Authorization "Bearer ${connect_auth}";');
    assert.equal(d.args[1]!.value, 'Bearer ${connect_auth}');
    const bare = only('set $x ${a}b;');
    assert.equal(bare.args[1]!.value, '${a}b');
  });

  test('a closing brace glued to a word is part of it (nginx does the same)', () => {
    const file = parse('http { add_header a b} ; }');
    assert.deepEqual(file.issues, []);
    assert.deepEqual(directives(file)[1]!.args.map((a) => a.value), ['a', 'b}']);
  });

  test('`)` right after a closing quote starts a word of its own (if conditions)', () => {
    const d = only('if ($request_method = "OPTIONS") { return 204; }');
    assert.deepEqual(d.args.map((a) => a.value), ['($request_method', '=', 'OPTIONS', ')']);
  });

  test('CRLF line ends, tabs and a trailing comment without a newline', () => {
    const file = parse('server {\r\n\tlisten\t443 ssl;\r\n}\r\n# end');
    assert.deepEqual(file.issues, []);
    const [server, listen] = directives(file);
    assert.equal(server!.name, 'server');
    assert.deepEqual(listen!.args.map((a) => a.value), ['443', 'ssl']);
    assert.deepEqual(file.lines.positionAt(listen!.start), { line: 1, character: 1 });
    assert.equal(file.comments[0]!.text, ' end');
  });

  test('comments ending in CRLF do not keep the CR', () => {
    const file = parse('#add_header X-Frame-Options SAMEORIGIN;\r\nserver {}\r\n');
    assert.equal(file.comments[0]!.text, 'add_header X-Frame-Options SAMEORIGIN;');
  });

  test('a byte order mark stays part of the first word, as nginx reads it', () => {
    const d = parse('\uFEFFevents {}');
    assert.equal(directives(d)[0]!.name, '\uFEFFevents');
  });

  test('Lua block bodies are Lua: braces in strings, long brackets and comments do not count', () => {
    const text = [
      'location / {',
      '  content_by_lua_block {',
      '    local s = "}" -- a brace }',
      '    --[[ long comment } ]]',
      "    local t = [==[ } ]==] .. '}'",
      '    if x then ngx.say({a = 1}) end',
      '  }',
      '  return 200;',
      '}',
    ].join('\n');
    const file = parse(text);
    assert.deepEqual(file.issues, []);
    const names = directives(file).map((d) => d.name);
    assert.deepEqual(names, ['location', 'content_by_lua_block', 'return']);
    const lua = directives(file)[1]!.block!.lua!;
    assert.match(text.slice(lua.start, lua.end), /ngx\.say/);
  });
});

describe('exact ranges', () => {
  test('name, arguments (raw and value), braces and directive span', () => {
    const text = 'location = "/a b" {\n    return 204;\n}\n';
    const file = parse(text);
    const [location, ret] = directives(file);
    assert.equal(text.slice(location!.nameToken.start, location!.nameToken.end), 'location');
    assert.deepEqual(location!.args.map((a) => text.slice(a.start, a.end)), ['=', '"/a b"']);
    assert.equal(location!.args[1]!.value, '/a b');
    assert.equal(text[location!.block!.open], '{');
    assert.equal(text[location!.block!.close!], '}');
    assert.equal(text.slice(location!.start, location!.end), text.trimEnd());
    assert.equal(text.slice(ret!.start, ret!.end), 'return 204;');
    assert.equal(ret!.parent, location!.block);
  });

  test('positions count UTF-16 code units, as LSP does', () => {
    const text = 'add_header X-Émoji "😀" always;';
    const d = only(text);
    assert.equal(text.slice(d.args[2]!.start, d.args[2]!.end), 'always');
    assert.deepEqual(parse(text).lines.positionAt(d.args[2]!.start), { line: 0, character: 24 });
  });

  test('comments are kept in the block they appear in', () => {
    const file = parse('location / {\n  #add_header Content-Security-Policy "default-src \'self\'";\n}\n# top\n');
    const location = directives(file)[0]!;
    assert.deepEqual(location.block!.comments.map((c) => c.text), ['add_header Content-Security-Policy "default-src \'self\'";']);
    assert.deepEqual(file.root.comments.map((c) => c.text), [' top']);
  });
});

describe('errors, with the message and line nginx prints, and recovery', () => {
  const cases: Array<[string, string, string, number]> = [
    ['extra closing brace', 'events {}\n}\n', 'unexpected "}"', 2],
    ['unclosed block', 'http {\n  server {\n', 'unexpected end of file, expecting "}"', 3],
    ['missing semicolon at end of file', 'http {\n  foo bar', 'unexpected end of file, expecting ";" or "}"', 2],
    ['character glued to a closing quote', 'add_header a "b"c;\n', 'unexpected "c"', 1],
    ['a lone semicolon', 'events {}\n;\n', 'unexpected ";"', 2],
    ['a lone opening brace', '{\n}\n', 'unexpected "{"', 1],
    ['words then a closing brace', 'http {\n  foo a\n}\n', 'unexpected "}"', 3],
    ['unterminated string', 'set $a "x;\n\n', 'unexpected end of file, expecting ";" or "}"', 3],
    ['unclosed Lua block', 'content_by_lua_block {\n  local a = "}"\n', 'unexpected end of file, expecting "}"', 3],
  ];
  for (const [name, text, message, line] of cases) {
    test(name, () => {
      const file = parse(text);
      assert.ok(file.issues.length > 0, 'no issue reported');
      assert.equal(file.issues[0]!.message, message);
      assert.equal(file.issues[0]!.nginxLine, line);
    });
  }

  test('words over 4096 bytes: "too long parameter" at the line the word starts on', () => {
    const ok = parse(`add_header x ${'a'.repeat(4095)};\n`);
    assert.deepEqual(ok.issues, []);
    const long = parse(`\nadd_header x ${'a'.repeat(4096)};\n`);
    assert.equal(long.issues[0]!.message, 'too long parameter "aaaaaaaaaa..." started');
    assert.equal(long.issues[0]!.nginxLine, 2);
    const quoted = parse(`add_header x "${'a'.repeat(5000)}";\n`);
    assert.equal(quoted.issues[0]!.message, 'too long parameter, probably missing terminating """ character');
    const comment = parse(`# ${'a'.repeat(4094)}\nevents {}\n`);
    assert.equal(comment.issues[0]!.message, 'too long parameter "# aaaaaaaa..." started');
    // multi-byte characters count as their UTF-8 bytes
    const wide = parse(`add_header x ${'é'.repeat(2048)};\n`);
    assert.equal(wide.issues[0]?.message, 'too long parameter "éééééééééé..." started');
    // blanks between words start no word: any number of them is fine
    const indented = parse(`${' \t'.repeat(3000)}add_header x ${'a'.repeat(4095)};\n${' '.repeat(9000)}\n\n events {}\n`);
    assert.deepEqual(indented.issues, []);
    assert.equal(directives(indented)[1]!.nginxLine, 4);
    // a long word right after a long comment is measured from its own start
    const afterComment = parse(`# ${'c'.repeat(4000)}\nadd_header x ${'b'.repeat(4095)};\n`);
    assert.deepEqual(afterComment.issues, []);
    // (as the real nginx -t: a quoted word of 4,095 bytes is refused too, its closing quote counted)
    const singleQuoted = parse(`add_header x '${'a'.repeat(4094)}';\nadd_header y '${'a'.repeat(4096)}';\n`);
    assert.equal(singleQuoted.issues[0]?.message, `too long parameter, probably missing terminating "'" character`);
    assert.equal(singleQuoted.issues[0]?.nginxLine, 2);
  });

  test('after an error the rest of the file is still parsed', () => {
    const file = parse('server {\n  listen 80\n}\nserver {\n  listen 81;\n}\n');
    assert.equal(file.issues[0]!.message, 'unexpected "}"');
    const names = directives(file).map((d) => `${d.name} ${d.args.map((a) => a.value).join(' ')}`);
    assert.deepEqual(names, ['server ', 'listen 80', 'server ', 'listen 81']);
  });

  test('a string that runs across lines is pointed out when a later error follows it', () => {
    const file = parse('add_header X "foo;\nadd_header Y "bar";\n');
    assert.equal(file.issues[0]!.message, 'unexpected "b"');
    assert.equal(file.issues[0]!.nginxLine, 2);
    assert.match(file.issues[0]!.related![0]!.message, /closing quote missing/);
    assert.equal(file.issues[0]!.related![0]!.start, 13);
  });

  test('a half-typed directive at the end of the file is kept in the tree', () => {
    const file = parse('location / {\n  proxy_pa');
    const names = directives(file).map((d) => d.name);
    assert.deepEqual(names, ['location', 'proxy_pa']);
    assert.equal(directives(file)[1]!.terminator, null);
  });
});
