// References, rename, document links and variable names in the engine (../../server/src/editing), on
// configurations written for each case: what each name kind is, where nginx looks it up (http or
// stream; named locations per server), and what a rename must not touch.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { ProjectAnalysis } from '../../server/src/engine/analyze';
import { documentLinks } from '../../server/src/editing/links';
import { canRename, referencesAt, renameAt } from '../../server/src/editing/references';
import { familyVariableNames } from '../../server/src/editing/variable-names';
import { host, lint, lintTree } from '../support/engine';
import { writeTree } from '../support/nginx';

function analyse(files: Record<string, string>): { dir: string; analysis: ProjectAnalysis } {
  const { dir, run } = lintTree(files);
  return { dir, analysis: run.analyses.find((a) => a.project.kind !== 'loose')! };
}

/** The offset of the `nth` occurrence of `needle` in a file of the analysis, plus `shift`. */
function at(analysis: ProjectAnalysis, path: string, needle: string, shift = 1, nth = 0): number {
  const text = analysis.model.files.get(path)!.text;
  let offset = -1;
  for (let i = 0; i <= nth; i++) offset = text.indexOf(needle, offset + 1);
  assert.ok(offset >= 0, `${needle} in ${path}`);
  return offset + shift;
}

/** Occurrences as `file:line: text of the line` for readable assertions. */
function described(analysis: ProjectAnalysis, dir: string, occurrences: Array<{ file: string; start: number }>): string[] {
  return occurrences.map((o) => {
    const file = analysis.model.files.get(o.file)!;
    const line = file.lines.positionAt(o.start).line;
    return `${o.file.slice(dir.length + 1)}:${line + 1}: ${file.lines.lineText(line).trim()}`;
  });
}

/** A rename's edits applied to the files on disk. */
function applyRename(analysis: ProjectAnalysis, edits: Array<{ file: string; start: number; end: number; newText: string }>): Map<string, string> {
  const texts = new Map<string, string>();
  for (const e of [...edits].sort((a, b) => b.start - a.start)) {
    const text = texts.get(e.file) ?? analysis.model.files.get(e.file)!.text;
    texts.set(e.file, text.slice(0, e.start) + e.newText + text.slice(e.end));
  }
  return texts;
}

const CONFIG = {
  'nginx.conf': [
    'events {}',
    'http {',
    '    map $http_origin $cors_origin {',
    '        default "";',
    '        "~^https://(?<tenant>[a-z]+)\\.example\\.com$" $http_origin;',
    '    }',
    '    limit_req_zone $binary_remote_addr zone=api:10m rate=10r/s;',
    '    limit_conn_zone $binary_remote_addr zone=perip:10m;',
    '    upstream backend {',
    '        server backend:9000;',
    '    }',
    '    include conf.d/*.conf;',
    '}',
    'stream {',
    '    upstream backend {',
    '        server 127.0.0.1:9001;',
    '    }',
    '    server {',
    '        listen 9443;',
    '        proxy_pass backend;',
    '    }',
    '}',
    '',
  ].join('\n'),
  'conf.d/site.conf': [
    'server {',
    '    listen 8080;',
    '    error_page 500 = @fallback;',
    '    location / {',
    '        limit_req zone=api burst=5;',
    '        limit_conn perip 10;',
    '        add_header Access-Control-Allow-Origin $cors_origin always;',
    '        add_header X-Tenant "${tenant}-x" always;',
    '        try_files $uri @fallback;',
    '        proxy_pass http://backend/api/;',
    '    }',
    '    location @fallback {',
    '        proxy_pass http://backend;',
    '    }',
    '}',
    'server {',
    '    listen 8081;',
    '    location @fallback {',
    '        return 204;',
    '    }',
    '    location / {',
    '        error_page 404 = @fallback;',
    '        proxy_pass http://127.0.0.1:9000;',
    '    }',
    '}',
    '',
  ].join('\n'),
};

describe('references', () => {
  const { dir, analysis } = analyse(CONFIG);
  const nginx = join(dir, 'nginx.conf');
  const site = join(dir, 'conf.d/site.conf');

  test('an http upstream: its block and the proxy_pass lines naming it, not the stream one nor a host:port', () => {
    assert.deepEqual(described(analysis, dir, referencesAt(analysis, site, at(analysis, site, 'backend/api'), true)), [
      'conf.d/site.conf:10: proxy_pass http://backend/api/;',
      'conf.d/site.conf:13: proxy_pass http://backend;',
      'nginx.conf:9: upstream backend {',
    ]);
    assert.deepEqual(described(analysis, dir, referencesAt(analysis, nginx, at(analysis, nginx, 'proxy_pass backend', 12), true)), ['nginx.conf:15: upstream backend {', 'nginx.conf:20: proxy_pass backend;']);
  });

  test('a variable defined by map, and one defined by a named capture', () => {
    assert.deepEqual(described(analysis, dir, referencesAt(analysis, site, at(analysis, site, '$cors_origin'), true)), [
      'conf.d/site.conf:7: add_header Access-Control-Allow-Origin $cors_origin always;',
      'nginx.conf:3: map $http_origin $cors_origin {',
    ]);
    assert.deepEqual(described(analysis, dir, referencesAt(analysis, site, at(analysis, site, '${tenant}', 2), false)), ['conf.d/site.conf:8: add_header X-Tenant "${tenant}-x" always;']);
    assert.equal(referencesAt(analysis, site, at(analysis, site, '${tenant}', 2), true).length, 2);
  });

  test('zones of limit_req and limit_conn', () => {
    assert.deepEqual(described(analysis, dir, referencesAt(analysis, site, at(analysis, site, 'zone=api', 6), true)), ['conf.d/site.conf:5: limit_req zone=api burst=5;', 'nginx.conf:7: limit_req_zone $binary_remote_addr zone=api:10m rate=10r/s;']);
    assert.deepEqual(described(analysis, dir, referencesAt(analysis, nginx, at(analysis, nginx, 'zone=perip', 6), true)), ['conf.d/site.conf:6: limit_conn perip 10;', 'nginx.conf:8: limit_conn_zone $binary_remote_addr zone=perip:10m;']);
  });

  test('a named location, within its server only', () => {
    assert.deepEqual(described(analysis, dir, referencesAt(analysis, site, at(analysis, site, '@fallback', 2), true)), [
      'conf.d/site.conf:3: error_page 500 = @fallback;',
      'conf.d/site.conf:9: try_files $uri @fallback;',
      'conf.d/site.conf:12: location @fallback {',
    ]);
    assert.deepEqual(described(analysis, dir, referencesAt(analysis, site, at(analysis, site, '@fallback', 2, 3), true)), ['conf.d/site.conf:18: location @fallback {', 'conf.d/site.conf:22: error_page 404 = @fallback;']);
  });

  test('nothing on a plain word', () => {
    assert.deepEqual(referencesAt(analysis, site, at(analysis, site, 'listen'), true), []);
  });
});

describe('rename', () => {
  test('an upstream, through the files of the tree: not the server host of the same name, nor the stream upstream', () => {
    const { dir, analysis } = analyse(CONFIG);
    const site = join(dir, 'conf.d/site.conf');
    const result = renameAt(analysis, site, at(analysis, site, 'backend/api'), 'api_servers');
    assert.ok(result.ok);
    const texts = applyRename(analysis, result.edits);
    assert.match(texts.get(join(dir, 'nginx.conf'))!, /http \{[\s\S]*upstream api_servers \{\n {8}server backend:9000;[\s\S]*stream \{\n {4}upstream backend \{/);
    assert.match(texts.get(site)!, /proxy_pass http:\/\/api_servers\/api\/;[\s\S]*proxy_pass http:\/\/api_servers;/);
    assert.equal(result.edits.length, 3);
  });

  test('a variable keeps `$` and `${...}` as written; a leading $ in the new name is accepted', () => {
    const { dir, analysis } = analyse(CONFIG);
    const site = join(dir, 'conf.d/site.conf');
    const result = renameAt(analysis, site, at(analysis, site, '${tenant}', 3), '$customer');
    assert.ok(result.ok);
    const texts = applyRename(analysis, result.edits);
    assert.match(texts.get(join(dir, 'nginx.conf'))!, /\(\?<customer>\[a-z\]\+\)/);
    assert.match(texts.get(site)!, /"\$\{customer\}-x"/);
  });

  test("refused: nginx's own variables, names defined nowhere, invalid or taken names, names Lua code reads", () => {
    const { dir, analysis } = analyse({
      ...CONFIG,
      'conf.d/lua.conf': 'server {\n    listen 8082;\n    set $mode "a";\n    location / {\n        content_by_lua_block {\n            ngx.say(ngx.var.mode)\n        }\n        return 200 $mode$undefined_here;\n    }\n    location /x {\n        proxy_pass http://nowhere;\n    }\n}\n',
    });
    const lua = join(dir, 'conf.d/lua.conf');
    const site = join(dir, 'conf.d/site.conf');
    const message = (check: ReturnType<typeof canRename>) => (check && !check.ok ? check.message : `allowed: ${JSON.stringify(check)}`);
    assert.equal(message(canRename(analysis, site, at(analysis, site, '$uri'))), "$uri is one of nginx's own variables (ngx_http_core_module): it cannot be renamed.");
    assert.match(message(canRename(analysis, lua, at(analysis, lua, '$undefined_here'))), /^\$undefined_here is defined nowhere in this configuration/);
    assert.equal(message(canRename(analysis, lua, at(analysis, lua, '$mode', 1, 1))), '$mode is also used in the Lua code of lua.conf:6: rename it there by hand.');
    assert.equal(message(canRename(analysis, lua, at(analysis, lua, 'nowhere'))), 'no upstream block is named nowhere: it is a host name; nothing to rename.');
    const rename = (name: string) => {
      const r = renameAt(analysis, site, at(analysis, site, '$cors_origin'), name);
      return r.ok ? 'ok' : r.message;
    };
    assert.equal(rename('cors origin'), '"cors origin" is not a valid variable name (letters, digits and _, not starting with a digit).');
    assert.equal(rename('http_origin'), "$http_origin is one of nginx's own variables (ngx_http_core_module): choose another name.");
    assert.equal(rename('tenant'), '$tenant is already defined (nginx.conf:5): choose another name.');
    assert.equal(rename('allowed_origin'), 'ok');
    const zone = renameAt(analysis, site, at(analysis, site, 'zone=api', 6), 'perip');
    assert.ok(!zone.ok && /perip is already defined \(nginx\.conf:8\)/.test(zone.message), 'zones of both kinds share one namespace');
  });
});

describe('document links', () => {
  test('includes, certificates and password files through the mappings; a root opens its index file; variables are no link', () => {
    const dir = writeTree({
      'etc/nginx/nginx.conf': [
        'events {}',
        'http {',
        '    include /etc/nginx/conf.d/*.conf;',
        '    include /etc/nginx/mime.types;',
        '    server {',
        '        listen 443 ssl;',
        '        ssl_certificate certs/site.crt;',
        '        ssl_certificate_key certs/missing.key;',
        '        ssl_certificate data:$cert;',
        '        auth_basic_user_file "/etc/nginx/htpasswd";',
        '        root /etc/nginx/www;',
        '        location /files/ { alias /etc/nginx/www/files/; index start.html; }',
        '        location /v { root /srv/$host; }',
        '    }',
        '}',
      ].join('\n'),
      'etc/nginx/conf.d/a.conf': '',
      'etc/nginx/conf.d/b.conf': '',
      'etc/nginx/mime.types': 'types {}\n',
      'etc/nginx/certs/site.crt': '',
      'etc/nginx/htpasswd': '',
      'etc/nginx/www/index.html': '',
      'etc/nginx/www/files/start.html': '',
    });
    const root = join(dir, 'etc/nginx');
    const analysis = lint([root]).analyses.find((a) => a.project.kind === 'nginx')!;
    const file = analysis.model.files.get(join(root, 'nginx.conf'))!;
    const links = documentLinks(analysis, file, host).map((l) => `${file.text.slice(l.start, l.end)} → ${l.target.slice(root.length + 1)} | ${l.tooltip}`);
    assert.deepEqual(links, [
      `/etc/nginx/conf.d/*.conf → conf.d/a.conf | Open a.conf (/etc/nginx/conf.d/*.conf in nginx's file system): the first of 2 files it matches (a.conf, b.conf); Go to Definition lists them all`,
      `/etc/nginx/mime.types → mime.types | Open mime.types (/etc/nginx/mime.types in nginx's file system)`,
      `certs/site.crt → certs/site.crt | Open ${root}/certs/site.crt`,
      `/etc/nginx/htpasswd → htpasswd | Open ${root}/htpasswd (/etc/nginx/htpasswd in nginx's file system)`,
      `/etc/nginx/www → www/index.html | Open ${root}/www/index.html (/etc/nginx/www in nginx's file system)`,
      `/etc/nginx/www/files/ → www/files/start.html | Open ${root}/www/files/start.html (/etc/nginx/www/files/ in nginx's file system)`,
    ]);
  });
});

describe('variable names for completion', () => {
  test('the families by real names: request headers, the response headers the configuration adds, names it uses', () => {
    const { analysis } = analyse({ 'nginx.conf': 'events {}\nhttp {\n    server {\n        listen 80;\n        add_header X-Kasm-Build 1;\n        return 200 $arg_token$cookie_session$upstream_http_x_kasm_id;\n    }\n}\n' });
    const names = new Set(familyVariableNames(analysis).map((v) => v.name));
    for (const name of ['http_upgrade', 'http_origin', 'http_x_forwarded_for', 'sent_http_x_kasm_build', 'sent_http_content_type', 'arg_token', 'cookie_session', 'upstream_http_x_kasm_id']) {
      assert.ok(names.has(name), name);
    }
    assert.ok(![...names].some((n) => n.endsWith('_')), 'no bare prefix');
  });
});
