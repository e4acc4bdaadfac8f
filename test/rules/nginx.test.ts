import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { describe, ourVerdict } from '../support/engine';
import { loadModules, nginxTest, nginxVersion, writeTree } from '../support/nginx';
import { ruleTests } from '../support/rule-tester';

const main = (http: string) => `events {}\nhttp {\n${http}}\n`;
const stream = (server: string) => `events {}\nstream {\n    server {\n        listen 9000;\n${server}        proxy_pass 127.0.0.1:9001;\n    }\n}\n`;

ruleTests('nginx/syntax', {
  valid: [
    { name: 'a well-formed file', files: { 'nginx.conf': main('    server {\n        listen 8080;\n    }\n') } },
    { name: 'a Kasm fragment with ${var} in quotes', files: { 'site/a.conf': 'location / {\n  proxy_set_header Authorization "Bearer ${connect_auth}";\n}\n' } },
  ],
  invalid: [
    {
      name: 'an extra closing brace, at the line nginx names',
      files: { 'nginx.conf': main('    server {\n        listen 8080;\n    }\n    }\n') },
      findings: [{ path: 'nginx.conf', line: 7, message: /^unexpected "\}" \(nginx -t stops at line 7\)/, detail: /nginx -t rejects the configuration/ }],
    },
    {
      name: 'a block directive ended by ";"',
      files: { 'nginx.conf': main('    server;\n') },
      findings: [{ path: 'nginx.conf', line: 3, column: 11, message: /directive "server" has no opening "\{"/ }],
    },
    {
      name: 'a block inside a map',
      files: { 'nginx.conf': main('    map $a $b {\n        x {\n        }\n    }\n') },
      findings: [{ path: 'nginx.conf', line: 4, message: /unexpected "\{": the body of "map" holds entries/ }],
    },
  ],
});

ruleTests('nginx/unknown-directive', {
  valid: [
    { name: 'directives of the official modules', files: { 'nginx.conf': main('    server {\n        listen 8080;\n        ssl_stapling on;\n    }\n') } },
    {
      name: 'third-party directives on the allow-list',
      files: {
        'nginx.conf': main('    server {\n        listen 8080;\n        more_set_headers "Server: x";\n    }\n'),
        '.kasmlintrc.json': '{ "rules": { "nginx/unknown-directive": ["error", { "allow": ["more_*"] }] } }',
      },
    },
    { name: 'entries of a map are not directives', files: { 'nginx.conf': main('    map $a $b {\n        default 0;\n        whatever 1;\n    }\n') } },
  ],
  invalid: [
    {
      name: 'a typo, with the nearest directive valid there as an (unsafe) fix',
      files: { 'nginx.conf': main('    server {\n        listen 8080;\n        proxy_set_heder Host $host;\n    }\n') },
      findings: [{ path: 'nginx.conf', line: 5, column: 9, message: /^unknown directive "proxy_set_heder" \(did you mean "proxy_set_header"\?\)\.$/ }],
      output: { 'nginx.conf': main('    server {\n        listen 8080;\n        proxy_set_header Host $host;\n    }\n') },
      nginxAcceptsOutput: true,
    },
    {
      name: 'a directive newer than the configured nginx version',
      files: { 'nginx.conf': main('    server {\n        listen 8080;\n        http2 on;\n    }\n'), '.kasmlintrc.json': '{ "nginxVersion": "1.22.1" }' },
      findings: [{ path: 'nginx.conf', line: 5, message: /it appeared in nginx 1\.25\.1, after 1\.22\.1/, detail: /set "nginxVersion"/ }],
    },
    {
      name: 'a byte order mark, removed by a safe fix',
      files: { 'nginx.conf': `\uFEFF${main('')}` },
      findings: [{ path: 'nginx.conf', line: 1, message: /byte order mark/ }],
      output: { 'nginx.conf': main('') },
      nginxAcceptsOutput: true,
    },
  ],
});

ruleTests('nginx/invalid-context', {
  valid: [
    { name: 'http-level directives at http level', files: { 'nginx.conf': main('    limit_req_zone $binary_remote_addr zone=z:10m rate=1r/s;\n') } },
  ],
  invalid: [
    {
      name: 'a map in a server',
      files: { 'nginx.conf': main('    server {\n        listen 8080;\n        map $a $b { default 1; }\n    }\n') },
      findings: [{ path: 'nginx.conf', line: 5, message: /^"map" directive is not allowed here, in a server block\.$/, detail: /only allowed in http/ }],
    },
    {
      name: 'limit_req_zone in a Kasm services.d file, with where to put it instead',
      files: {
        'orchestrator.conf': 'server {\n    listen 443 ssl;\n    include /etc/nginx/conf.d/services.d/*.conf;\n}\n',
        'services.d/a.conf': 'limit_req_zone $binary_remote_addr zone=z:10m rate=1r/s;\nlocation / { return 204; }\n',
      },
      findings: [{ path: 'services.d/a.conf', line: 1, detail: /put it in a top-level file of the Kasm folder/ }],
    },
    {
      name: 'proxy_set_header inside if',
      files: { 'nginx.conf': main('    server {\n        listen 8080;\n        location / {\n            if ($a) {\n                proxy_set_header A b;\n            }\n        }\n    }\n') },
      findings: [{ path: 'nginx.conf', line: 7, detail: /only allowed in http, server or location/ }],
    },
  ],
});

ruleTests('nginx/invalid-arguments', {
  valid: [
    { name: 'add_header with and without always', files: { 'nginx.conf': main('    add_header A b;\n    add_header C "d e" always;\n') } },
    { name: 'on/off in any case', files: { 'nginx.conf': main('    gzip ON;\n    proxy_buffering Off;\n') } },
    {
      name: 'proxy_protocol v2 of stream from nginx 1.31.4 (an enumeration since)',
      files: { 'nginx.conf': stream('        proxy_protocol v2;\n'), '.kasmlintrc.json': '{ "nginxVersion": "1.31.4" }' },
    },
  ],
  invalid: [
    {
      name: 'an unquoted value with spaces becomes extra arguments',
      files: { 'nginx.conf': main("    add_header Content-Security-Policy default-src 'self' always;\n") },
      findings: [{ path: 'nginx.conf', line: 3, message: /it takes 2 or 3, not 4/, detail: /add_header name value \[always\]/ }],
    },
    {
      name: 'yes for on: an unsafe fix',
      files: { 'nginx.conf': main('    proxy_buffering yes;\n') },
      findings: [{ path: 'nginx.conf', line: 3, column: 21, message: /it must be "on" or "off"/ }],
      output: { 'nginx.conf': main('    proxy_buffering on;\n') },
      nginxAcceptsOutput: true,
    },
    {
      name: 'proxy_protocol of stream before nginx 1.31.4 is on or off',
      files: { 'nginx.conf': stream('        proxy_protocol v2;\n') },
      findings: [{ path: 'nginx.conf', line: 5, message: /^invalid value "v2" in "proxy_protocol" directive, it must be "on" or "off"/ }],
    },
  ],
});

ruleTests('nginx/duplicate-directive', {
  valid: [
    { name: 'the same directive at different levels', files: { 'nginx.conf': main('    server_tokens off;\n    server {\n        listen 8080;\n        server_tokens on;\n    }\n') } },
    { name: 'directives that may repeat', files: { 'nginx.conf': main('    add_header A b;\n    add_header A c;\n    proxy_set_header A b;\n    proxy_set_header C d;\n') } },
    {
      name: 'limit_req of two zones, mirror twice',
      files: { 'nginx.conf': main('    limit_req_zone $binary_remote_addr zone=a:1m rate=1r/s;\n    limit_req_zone $binary_remote_addr zone=b:1m rate=1r/s;\n    server {\n        limit_req zone=a;\n        limit_req zone=b;\n        mirror /m;\n        mirror /n;\n    }\n') },
    },
    { name: 'map hash sizes set before the first map, in http and in stream', files: { 'nginx.conf': main('    map_hash_max_size 4096;\n    map $uri $x {\n        default 0;\n    }\n    map $uri $y {\n        default 1;\n    }\n') + 'stream {\n    map_hash_bucket_size 128;\n    map $remote_addr $z {\n        default 0;\n    }\n}\n' } },
  ],
  invalid: [
    {
      name: 'the same value twice: removed by a safe fix',
      files: { 'nginx.conf': main('    server {\n        listen 8080;\n        server_tokens off;\n        server_tokens off;\n    }\n') },
      findings: [{ path: 'nginx.conf', line: 6, message: /nginx\.conf:5 already sets it in this server block/ }],
      output: { 'nginx.conf': main('    server {\n        listen 8080;\n        server_tokens off;\n    }\n') },
      nginxAcceptsOutput: true,
    },
    {
      name: 'a duplicate that comes from an included file',
      files: {
        'nginx.conf': main('    server {\n        listen 8080;\n        client_max_body_size 1G;\n        include parts/*.conf;\n    }\n'),
        'parts/a.conf': 'client_max_body_size 10m;\n',
      },
      findings: [{ path: 'parts/a.conf', line: 1 }],
      output: { 'parts/a.conf': '' },
      nginxAcceptsOutput: true,
    },
    {
      name: 'map_hash_bucket_size after the first map, which settled the sizes: moved above it',
      files: { 'nginx.conf': main('    map $uri $x {\n        default 0;\n    }\n    map_hash_bucket_size 128;\n    server {\n        listen 8080;\n        return 200 $x;\n    }\n') },
      findings: [{ path: 'nginx.conf', line: 6, message: /^"map_hash_bucket_size" directive is duplicate: the map at nginx\.conf:3 already fixed the map hash sizes\.$/ }],
      output: { 'nginx.conf': main('    map_hash_bucket_size 128;\n\n    map $uri $x {\n        default 0;\n    }\n    server {\n        listen 8080;\n        return 200 $x;\n    }\n') },
      nginxAcceptsOutput: true,
    },
    {
      name: 'a second http block: reported where nginx meets its "{", before what it holds',
      files: { 'nginx.conf': 'events {}\nhttp {\n}\nhttp\n{\n    unknown_here;\n}\n' },
      findings: [{ path: 'nginx.conf', line: 5, message: /^"http" directive is duplicate: nginx\.conf:2 already opens the http block/ }],
    },
    {
      name: 'limit_req of one zone twice, and mirror off beside a mirror',
      files: { 'nginx.conf': main('    limit_req_zone $binary_remote_addr zone=a:1m rate=1r/s;\n    server {\n        limit_req zone=a;\n        limit_req zone=a burst=5;\n        mirror /m;\n        mirror off;\n    }\n') },
      findings: [
        { path: 'nginx.conf', line: 6, message: /^"limit_req" directive is duplicate: nginx\.conf:5 already sets it/ },
        { path: 'nginx.conf', line: 8, message: /^"mirror" directive is duplicate: nginx\.conf:7 already sets it/ },
      ],
      output: { 'nginx.conf': main('    limit_req_zone $binary_remote_addr zone=a:1m rate=1r/s;\n    server {\n        limit_req zone=a;\n        mirror /m;\n    }\n') },
    },
  ],
});

test('nginx/duplicate-directive: a second events, http, stream or mail block, as nginx -t reports it', () => {
  for (const name of ['events', 'http', 'stream', 'mail']) {
    const text = `events {}\n${name === 'events' ? '' : `${name} {\n}\n`}${name}\n{\n    unknown_here;\n}\n`;
    const dir = writeTree({ 'modules.conf': `${loadModules('stream', 'mail')}include nginx.conf;\n`, 'nginx.conf': text });
    const real = nginxTest(join(dir, 'modules.conf'), dir);
    rmSync(join(dir, 'modules.conf')); // Debian's nginx loads stream and mail; kasmlint knows them without it
    const ours = ourVerdict(dir, nginxVersion());
    assert.equal(describe(ours), describe(real), text);
  }
});

ruleTests('nginx/duplicate-location', {
  valid: [
    {
      name: 'exact and prefix with the same path, regex and named locations repeated',
      files: {
        'nginx.conf': main('    server {\n        listen 8080;\n        location = /a { }\n        location /a { }\n        location ~ /b { }\n        location ~ /b { }\n        location @c { }\n        location @c { }\n    }\n'),
      },
    },
    { name: 'the same path in two servers', files: { 'nginx.conf': main('    server { listen 8080; location /a { } }\n    server { listen 8081; location /a { } }\n') } },
  ],
  invalid: [
    {
      name: '/rpc in two services.d files, as Kasm 1.16.1 ships them',
      files: {
        'orchestrator.conf': 'server {\n    listen 443 ssl;\n    include /etc/nginx/conf.d/services.d/*.conf;\n}\n',
        'services.d/guac.conf': 'location /rpc {\n    return 204;\n}\n',
        'services.d/webapp.conf': '# the other gateway\nlocation ^~ /rpc {\n    return 204;\n}\n',
      },
      findings: [{ path: 'services.d/webapp.conf', line: 2, message: /duplicate location "\/rpc": guac\.conf:1 defines it too/, detail: /keep only one of guac\.conf and webapp\.conf/ }],
    },
  ],
});

ruleTests('nginx/include-not-found', {
  valid: [
    { name: 'a mask that matches nothing, as nginx accepts it', files: { 'nginx.conf': main('    include conf.d/*.conf;\n') } },
  ],
  invalid: [
    {
      name: 'a missing file, with the path nginx opens',
      files: { 'nginx.conf': main('    include conf.d/missing.conf;\n') },
      findings: [{ path: 'nginx.conf', line: 3, column: 13, detail: /open\(\) "\/.*\/conf\.d\/missing\.conf" failed \(2: No such file or directory\)/ }],
    },
    {
      name: 'files nginx\'s packages install, missing from the workspace: noted as unchecked, not as errors',
      files: { 'nginx.conf': main('    include /etc/nginx/mime.types;\n    include fastcgi_params;\n    include /etc/nginx/snippets/fastcgi-php.conf;\n') },
      findings: [
        { path: 'nginx.conf', line: 3, severity: 'information', message: /^include "\/etc\/nginx\/mime\.types": mime\.types is not in the workspace, so what it sets is not checked\.$/ },
        { path: 'nginx.conf', line: 4, severity: 'information', message: /fastcgi_params is not in the workspace/ },
        { path: 'nginx.conf', line: 5, severity: 'information', message: /snippets\/fastcgi-php\.conf is not in the workspace/ },
      ],
    },
  ],
});

ruleTests('nginx/include-cycle', {
  valid: [{ name: 'a file included twice, not recursively', files: { 'nginx.conf': main('    server { listen 8080; include h.conf; }\n    server { listen 8081; include h.conf; }\n'), 'h.conf': 'gzip on;\n' } }],
  invalid: [
    {
      name: 'a mask that matches the file holding it',
      files: { 'nginx.conf': main('    include conf.d/*.conf;\n'), 'conf.d/a.conf': 'include conf.d/*.conf;\n' },
      findings: [{ path: 'conf.d/a.conf', line: 1, message: /a\.conf → a\.conf/ }],
    },
  ],
});

const server = (body: string) => main(`    server {\n        listen 8080;\n${body}    }\n`);

ruleTests('nginx/nested-location', {
  valid: [
    {
      name: 'nested locations under their parent path, and a regex location anywhere',
      files: { 'nginx.conf': server('        location /a/ {\n            location /a/b/ { return 204; }\n            location = /a/c { return 204; }\n            location ~ \\.png$ { return 204; }\n        }\n') },
    },
  ],
  invalid: [
    {
      name: 'a missing "}": the next location is read inside the previous one, where nginx reports it',
      files: { 'nginx.conf': server('        location /api/ {\n            proxy_pass http://127.0.0.1:8080;\n\n        location /desktop/ {\n            return 204;\n        }\n') },
      findings: [{ path: 'nginx.conf', line: 8, column: 9, message: /^location "\/desktop\/" is outside location "\/api\/"\.$/, detail: /often a "\}" is missing above/ }],
    },
    {
      name: 'inside an exact location',
      files: { 'nginx.conf': server('        location = /x {\n            location /x/y { return 204; }\n        }\n') },
      findings: [{ path: 'nginx.conf', line: 6, message: /^location "\/x\/y" cannot be inside the exact location "\/x"/ }],
    },
    {
      name: 'inside a named location',
      files: { 'nginx.conf': server('        location @f {\n            location /x { return 204; }\n        }\n') },
      findings: [{ path: 'nginx.conf', line: 6, message: /^location "\/x" cannot be inside the named location "@f"/ }],
    },
    {
      name: 'a named location nested in another',
      files: { 'nginx.conf': server('        location / {\n            location @f { return 204; }\n        }\n') },
      findings: [{ path: 'nginx.conf', line: 6, message: /^named location "@f" can be on the server level only/ }],
    },
  ],
});
