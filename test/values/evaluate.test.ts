// The value analysis: where the bytes of each variable of a directive come from, followed through
// set, auth_request_set, map and captures, with the bytes each origin can hold.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConfigDirective, ConfigModel } from '../../server/src/model/config';
import { CR, LF } from '../../server/src/values/charset';
import { evaluate, references, type Part } from '../../server/src/values/evaluate';
import { attackerInput } from '../../server/src/values/examples';
import { location, site } from '../support/configs';
import { lintTree } from '../support/engine';
import { KASM_FIXTURE } from '../support/kasm';
import { lint } from '../support/engine';

function model(files: Record<string, string>): ConfigModel {
  return lintTree(files).run.analyses[0]!.model;
}

/** The directive named `name` whose first argument is `first` (or the first one). */
function find(m: ConfigModel, name: string, first?: string): ConfigDirective {
  const d = m.directives().find((x) => x.node.name === name && (first === undefined || x.node.args[0]?.value === first));
  assert.ok(d, `no ${name} ${first ?? ''}`);
  return d!;
}

const kinds = (parts: Part[]) => parts.filter((p) => !p.literal).map((p) => `${p.text}:${[...new Set(p.alternatives.map((a) => a.kind))].join('|')}`);

test('references as ngx_http_script_compile reads them: $name, ${name}, one-digit captures', () => {
  assert.deepEqual(
    references('a$host${Connect_Auth}b$12$x_y-').map((r) => [r.name, r.capture]),
    [['host', undefined], ['connect_auth', undefined], ['1', 1], ['x_y', undefined]],
  );
});

test('built-in variables: client, decoded, checked, upstream, server', () => {
  const m = model({ 'nginx.conf': site(location('/', ['add_header X "$http_x_a $uri $host $upstream_http_x $remote_addr $arg_q $request_uri $nope";', 'return 204;'])) });
  const d = find(m, 'add_header', 'X');
  const parts = evaluate(m, d, d.node.args[1]!.value);
  assert.deepEqual(kinds(parts), ['$http_x_a:client', '$uri:decoded', '$host:checked', '$upstream_http_x:upstream', '$remote_addr:server', '$arg_q:client', '$request_uri:client', '$nope:unknown']);
  const bytes = Object.fromEntries(parts.filter((p) => !p.literal).map((p) => [p.text, p.alternatives[0]!.bytes]));
  assert.ok(bytes.$uri!.has(LF) && bytes.$uri!.has(CR), '$uri is decoded: %0A is a line feed');
  for (const raw of ['$http_x_a', '$arg_q', '$request_uri', '$host']) assert.ok(!bytes[raw]!.has(LF) && !bytes[raw]!.has(CR), raw);
  assert.ok(!bytes.$arg_q!.hasChar('&') && !bytes.$host!.hasChar('/'));
});

test('set, map and captures are followed; a set in another location does not count where one runs', () => {
  const m = model({
    'nginx.conf': site(
      [
        ...location('~ ^/p/([^/]+)/(\\d+)$', ['set $name $1;', 'set $id $2;', 'set $fixed "v1";', 'add_header X "$name $id $fixed $mapped";', 'return 204;']),
        ...location('/other/', ['set $name $http_x_other;', 'return 204;']),
      ],
      ['map $http_x_mode $mapped {', '    default off;', '    ~^(?<tenant>[a-z]+)$ $tenant;', '}'],
    ),
  });
  const d = find(m, 'add_header', 'X');
  const parts = evaluate(m, d, d.node.args[1]!.value).filter((p) => !p.literal);
  assert.deepEqual(kinds(parts), ['$name:decoded', '$id:decoded', '$fixed:literal', '$mapped:client']);
  const [name, id, fixed, mapped] = parts;
  assert.ok(name!.alternatives[0]!.bytes.has(LF), '[^/]+ of the decoded path holds a line feed');
  assert.deepEqual(id!.alternatives[0]!.bytes.bytes(), [...'0123456789'].map((c) => c.charCodeAt(0)), '\\d+ holds digits only');
  assert.equal(fixed!.alternatives[0]!.value, 'v1');
  assert.deepEqual(mapped!.alternatives[0]!.bytes.bytes().sort((a, b) => a - b), [...'abcdefghijklmnopqrstuvwxyz'].map((c) => c.charCodeAt(0)), 'a named capture of a map key, [a-z]+ of a header');
  assert.match(name!.alternatives[0]!.trail().join('; '), /^\$name, set at nginx\.conf:\d+ from \$1, a capture of the location regex "\^\/p\/\(\[\^\/\]\+\)\/\(\\d\+\)\$" at nginx\.conf:\d+, which nginx matches against \$uri/);
});

test('a rewrite\'s replacement sees its own captures; an if block sees its regex', () => {
  const m = model({
    'nginx.conf': site(location('/', ['rewrite ^/a/([a-z]+)$ /b/$1 last;', 'if ($http_x_token ~ "^Bearer (.+)$") {', '    add_header X-Token $1;', '}', 'return 204;'])),
  });
  const rewrite = find(m, 'rewrite');
  const [capture] = evaluate(m, rewrite, rewrite.node.args[1]!.value).filter((p) => !p.literal);
  assert.equal(capture!.alternatives.length, 1);
  assert.ok(!capture!.alternatives[0]!.bytes.hasChar('/'));
  const header = find(m, 'add_header', 'X-Token');
  const [token] = evaluate(m, header, header.node.args[1]!.value).filter((p) => !p.literal);
  assert.deepEqual(kinds([token!]), ['$1:client'], 'a capture of a header is the client\'s, and holds no line feed');
  assert.ok(!token!.alternatives[0]!.bytes.has(LF));
});

test('a map of maps of many entries: alike alternatives are kept once, not multiplied', () => {
  const inner = Array.from({ length: 100 }, (_, i) => `    ~^a${i}-(?<p>.*)$ /in/${i}/$p;`);
  const outer = Array.from({ length: 100 }, (_, i) => `    ~^/o${i}/ $inner;`);
  const m = model({
    'nginx.conf': site(location('/', ['add_header X-O $outer;', 'return 204;']), ['map $http_x_a $inner {', '    default "";', ...inner, '}', 'map $uri $outer {', '    default "";', ...outer, '}']),
  });
  const alternatives = evaluate(m, find(m, 'add_header', 'X-O'), '$outer')[0]!.alternatives;
  assert.ok(alternatives.length < 10, `${alternatives.length} alternatives (each of the 100 entries of $outer reads the 100 of $inner)`);
  assert.deepEqual([...new Set(alternatives.map((a) => a.kind))], ['client'], "$p is a capture of the client's X-A header");
  assert.match(alternatives[0]!.trail().join('; '), /^\$outer, mapped by the entry "~\^\/o0\/" .* \$inner, mapped by the entry "~\^a0-\(\?<p>\.\*\)\$"/);
});

test("a regex location's match sets the captures anew: the server's rewrites count only in a prefix location", () => {
  const m = model({
    'nginx.conf': site([
      'rewrite ^/old/([^/]+)$ /new/$1;',
      ...location('~ ^/new/(\\d+)$', ['add_header X-R $1;', 'return 204;']),
      ...location('~ \\.txt$', ['add_header X-T $1;', 'return 204;']),
      ...location('/plain/', ['add_header X-P $1;', 'return 204;']),
    ]),
  });
  const first = (header: string) => evaluate(m, find(m, 'add_header', header), '$1')[0]!.alternatives;
  assert.deepEqual(first('X-R').map((a) => a.bytes.bytes().length), [10], "the location's own \\d+");
  assert.deepEqual(first('X-T').map((a) => a.kind), ['literal'], 'a regex without groups leaves no capture');
  assert.equal(first('X-P').length, 1);
  assert.ok(first('X-P')[0]!.bytes.hasChar('a') && !first('X-P')[0]!.bytes.hasChar('/'), "the server rewrite's [^/]+");
});

test('a named capture comes from the nearest regex that names it; from any regex that does only when none is near', () => {
  const m = model({
    'nginx.conf': site(
      [
        ...location('~ ^/a/(?<id>\\d+)$', ['add_header X-A $id;', 'return 204;']),
        ...location('~ ^/b/(?<id>.+)$', ['add_header X-B $id;', 'return 204;']),
        ...location('/c/', ['add_header X-C $id;', 'add_header X-T $target;', 'return 204;']),
      ],
      ['map $http_x_path $target {', '    default "";', '    ~^/one/(?<rest>[0-9]+)$ /1/$rest;', '    ~^/two/(?<rest>[a-z]+)$ /2/$rest;', '    ~^/three/(?<rest>.*)$ /3/$rest;', '}'],
    ),
  });
  const id = (header: string) => evaluate(m, find(m, 'add_header', header), '$id')[0]!.alternatives;
  assert.deepEqual(id('X-A').map((a) => a.bytes.bytes().length), [10], "location a's own regex: digits only");
  assert.equal(id('X-B').length, 1);
  assert.ok(id('X-B')[0]!.bytes.hasChar('/'), "location b's own regex: .+ of the path");
  assert.equal(id('X-C').length, 2, 'no regex names it where it is used: either location can have set it before an internal redirect');
  // each map entry's value reads its own key's capture: three alternatives, not three for each entry
  const target = evaluate(m, find(m, 'add_header', 'X-T'), '$target')[0]!.alternatives;
  assert.equal(target.length, 3);
  for (const alternative of target) {
    const [, entry, capture] = /mapped by the entry "~(.*?)" at .* a named capture of "(.*?)" at /.exec(alternative.trail()[0]!) ?? [];
    assert.ok(entry && entry === capture, alternative.trail()[0]);
  }
});

test("Kasm's upstream URL: auth_request_set variables filled from its API's response headers are the upstream's, not the client's", () => {
  const m = lint([KASM_FIXTURE]).analyses[0]!.model;
  const pass = m.directives().find((d) => d.node.name === 'proxy_pass' && d.node.args[0]?.value.startsWith('$connect_schema'))!;
  const parts = evaluate(m, pass, pass.node.args[0]!.value);
  assert.deepEqual(kinds(parts), ['$connect_schema:upstream', '$connect_hostname:upstream', '$connect_port:upstream', '$connect_path:upstream']);
  assert.match(parts[0]!.alternatives[0]!.trail().join('; '), /set by auth_request_set at upstream_proxy\.conf:\d+ from \$upstream_http_connect_schema, the Connect-Schema header of the upstream's response/);
});

test('cycles and unknown variables end as unknown, and attacker input is shown for each source', () => {
  const m = model({ 'nginx.conf': site(location('~ ^/go/([^/]+)$', ['set $a $b;', 'set $b $a;', 'add_header X "$a";', 'return 302 https://kasm.example.com/$1;'])) });
  const d = find(m, 'add_header', 'X');
  assert.deepEqual(kinds(evaluate(m, d, '$a')), ['$a:unknown']);
  const ret = find(m, 'return');
  const [capture] = evaluate(m, ret, ret.node.args[1]!.value).filter((p) => !p.literal);
  assert.equal(attackerInput(capture!.alternatives[0]!, 'x\r\nSet-Cookie: a=b', ret), 'a request for /go/x%0D%0ASet-Cookie:%20a=b');
  const header = evaluate(m, d, '$http_x_forwarded_host')[0]!.alternatives[0]!;
  assert.equal(attackerInput(header, 'evil.example'), 'the header "X-Forwarded-Host: evil.example"');
});
