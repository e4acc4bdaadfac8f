// The facts the value analysis stands on, measured on the real nginx: each rule's finding (or
// silence) on a configuration, then the request its message describes, sent to nginx serving that
// configuration. If nginx stopped splitting headers on a decoded %0A, or started to, these fail.

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { catastrophicBacktracking } from '../../server/src/values/backtracking';
import { percentEncode } from '../../server/src/values/examples';
import { parseRegex } from '../../server/src/values/regex';
import { lintTree } from '../support/engine';
import { withNginx } from '../support/nginx-server';

function server(port: number, lines: string[]): string {
  return [`    server {`, `        listen 127.0.0.1:${port};`, '        server_name kasm.example.com;', ...lines.map((l) => `        ${l}`), '    }'].join('\n');
}

/** The findings of `rule` on an http block (the port does not matter to the analysis). */
function findings(rule: string, http: string) {
  return lintTree({ 'nginx.conf': `events {}\nhttp {\n${http}\n}\n` }).findings.filter((f) => f.rule === rule);
}

/** "a request for /x%0D%0A..." in a finding's detail. */
function requestIn(detail: string | undefined): string {
  const m = /a request for (\S+?)(?:[,.]? |$)/.exec(detail ?? '');
  assert.ok(m, `no request in: ${detail}`);
  return m[1]!;
}

const headerLines = (response: string) => response.split('\r\n\r\n')[0]!.split('\r\n');

test('headers/crlf-injection: the requests its messages show split nginx\'s responses; what it leaves alone does not', { timeout: 60_000 }, async () => {
  const lines = [
    'location /a/ { add_header X-Path $uri; return 204; }',
    'location ~ ^/go/([^/]+)$ { return 302 https://kasm.example.com/$1; }',
    'location ~ ^/dot/(.*)$ { return 302 https://kasm.example.com/$1; }',
    'location /r/ { rewrite ^/r/([^/]+)$ https://kasm.example.com/$1 redirect; }',
    'location /q/ { add_header X-Arg $arg_q; return 204; }',
  ];
  const found = findings('headers/crlf-injection', server(8080, lines));
  assert.deepEqual(found.map((f) => `${f.range.start.line + 1} ${f.severity}`), ['6 error', '7 error', '8 warning']);
  await withNginx((port) => server(port, lines), async (nginx) => {
    for (const f of found.filter((x) => x.severity === 'error')) {
      const { response } = await nginx.get(requestIn(f.detail));
      assert.ok(headerLines(response).includes('Set-Cookie: a=b'), `${f.message}: ${JSON.stringify(response.slice(0, 300))}`);
    }
    const crOnly = await nginx.get(requestIn(found[2]!.detail));
    assert.ok(/Location: [^\r\n]*\r[^\n]/.test(crOnly.response), 'a lone CR in Location');
    assert.ok(!headerLines(crOnly.response).some((l) => l.startsWith('Set-Cookie')), '(.*) stops at the line feed');
    const escaped = await nginx.get('/r/x%0D%0ASet-Cookie:%20a=b');
    assert.match(escaped.response, /Location: https:\/\/kasm\.example\.com\/x%0D%0ASet-Cookie:%20a=b\r\n/, 'rewrite ... redirect escapes its captures');
    const arg = await nginx.get('/q/?q=x%0D%0ASet-Cookie:%20a=b');
    assert.ok(!headerLines(arg.response).includes('Set-Cookie: a=b'), '$arg_q is not decoded');
  });
});

test('proxy/host-spoofing: with an absolute request line, nginx serves by one name and $http_host holds another', { timeout: 30_000 }, async () => {
  const lines = ['location / { return 200 "host=$host http_host=$http_host"; }'];
  await withNginx((port) => server(port, lines), async (nginx) => {
    const { response } = await nginx.get('', { Host: 'evil.example:99' }, 'GET http://kasm.example.com/ HTTP/1.1');
    assert.match(response, /host=kasm\.example\.com http_host=evil\.example:99$/);
  });
});

test('location/alias-traversal: the request in its message reads the directory above the alias', { timeout: 30_000 }, async () => {
  let served = '';
  await withNginx(
    (port, dir) => {
      mkdirSync(join(dir, 'data/pub'), { recursive: true, mode: 0o755 });
      writeFileSync(join(dir, 'data/secret'), 'the secret\n', { mode: 0o644 });
      served = dir;
      return server(port, [`location /files { alias ${dir}/data/pub/; }`]);
    },
    async (nginx) => {
      const [finding] = findings('location/alias-traversal', server(8080, [`location /files { alias ${served}/data/pub/; }`]));
      assert.ok(finding, 'reported');
      const path = /: (\S+) climbs out/.exec(finding!.message)![1]!;
      const { response } = await nginx.get(path);
      assert.match(response, /^HTTP\/1\.1 200 OK[\s\S]*\r\n\r\nthe secret\n$/);
    },
  );
});

test("regex/redos: the subject built for Kasm's website.conf rewrites makes nginx give up with PCRE's match limit", { timeout: 60_000 }, async () => {
  const rewrites = ['^/workspace/(.+)/(.+)/(.+)/(.+)/(.+)/(.+)$', '^/workspace/(.+)/(.+)/(.+)/(.+)$', '^/workspace/(.+)/(.+)/(.+)$'];
  await withNginx(
    (port) => server(port, ['location / {', ...rewrites.map((r) => `    rewrite ${r} /x last;`), '    return 200 "ok";', '}']),
    async (nginx) => {
      assert.match((await nginx.get('/workspace/a/b')).response, /^HTTP\/1\.1 200/);
      for (const pattern of rewrites) {
        const parsed = parseRegex(pattern);
        assert.ok(parsed.ok);
        const found = catastrophicBacktracking(parsed.regex)!;
        const { response } = await nginx.get(percentEncode(found.prefix + found.pump.repeat(found.repeat) + found.suffix));
        assert.match(response, /^HTTP\/1\.1 500/, pattern);
      }
      assert.match(nginx.errorLog(), /pcre2?_(match|exec)\(\) failed: -(47|8)/);
    },
  );
});
