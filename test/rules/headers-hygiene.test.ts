// Configuration that reads one way and runs another: headers over several lines, maps without a
// default, servers sharing a socket with no default, dropped headers that matter, and Origin or
// Referer checks an attacker's page passes.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeOriginRegex } from '../../server/src/proxy/origin-regex';
import { location, site } from '../support/configs';
import { everyMessageProduced, ruleTests } from '../support/rule-tester';

ruleTests('headers/multiline', {
  valid: [{ name: 'one line', files: { 'nginx.conf': site(location('/', [`add_header Content-Security-Policy "default-src 'self'; img-src 'self' data:" always;`, 'return 204;'])) } }],
  invalid: [
    {
      name: 'a folded policy: joined, safely',
      files: { 'nginx.conf': site(location('/', [`add_header Content-Security-Policy "default-src 'self';`, `        img-src 'self' data:;" always;`, 'return 204;'])) },
      findings: [{ path: 'nginx.conf', line: 13, severity: 'warning', message: /^The value of Content-Security-Policy spans several lines\.$/ }],
      output: { 'nginx.conf': site(location('/', [`add_header Content-Security-Policy "default-src 'self'; img-src 'self' data:;" always;`, 'return 204;'])) },
      nginxAcceptsOutput: true,
    },
    {
      name: 'a line that starts a new header: joined, unsafely',
      files: { 'nginx.conf': site(location('/', ['add_header Permissions-Policy "camera=()', 'microphone=()";', 'return 204;'])) },
      findings: [{ path: 'nginx.conf', line: 13 }],
      output: { 'nginx.conf': site(location('/', ['add_header Permissions-Policy "camera=() microphone=()";', 'return 204;'])) },
      nginxAcceptsOutput: true,
    },
  ],
});

ruleTests('variables/map-without-default', {
  valid: [
    {
      name: 'a default; a single entry (a flag); a geo with 0.0.0.0/0; a map used only in add_header (h5bp\'s CORS map)',
      files: {
        'nginx.conf': site(location('/', ['add_header Access-Control-Allow-Origin $cors;', 'if ($trusted) {', '    return 204;', '}', 'return 204;']), [
          'map $http_upgrade $connection_upgrade {',
          '    default upgrade;',
          "    '' close;",
          '}',
          'map $request_method $is_options {',
          '    OPTIONS 1;',
          '}',
          'geo $trusted {',
          '    0.0.0.0/0 0;',
          '    10.0.0.0/8 1;',
          '}',
          'map $sent_http_content_type $cors {',
          '    ~*image/ "*";',
          '    ~*font/ "*";',
          '}',
        ]),
      },
    },
  ],
  invalid: [
    {
      name: 'a map of tenants and a geo allow-list without default: default "" written down',
      files: {
        'nginx.conf': site(location('/', ['if ($office) {', '    proxy_pass http://$tenant_backend;', '}', 'return 204;']), ['map $http_x_tenant $tenant_backend {', '    alpha app;', '    beta kasm_api;', '}', 'geo $office {', '    10.0.0.0/8 1;', '}']),
      },
      findings: [
        { path: 'nginx.conf', line: 3, severity: 'information', message: /^map \$tenant_backend has no default: what it does not list gets ""\.$/ },
        { path: 'nginx.conf', line: 7, message: /^geo \$office has no default/ },
      ],
      output: {
        'nginx.conf': site(location('/', ['if ($office) {', '    proxy_pass http://$tenant_backend;', '}', 'return 204;']), [
          'map $http_x_tenant $tenant_backend {',
          '    default "";',
          '    alpha app;',
          '    beta kasm_api;',
          '}',
          'geo $office {',
          '    default "";',
          '    10.0.0.0/8 1;',
          '}',
        ]),
      },
      nginxAcceptsOutput: true,
    },
  ],
});

const twoServers = (first: string, second: string) =>
  [
    'events {}',
    'http {',
    '    server {',
    `        ${first}`,
    '        server_name app.example.com;',
    '        return 204;',
    '    }',
    '    server {',
    `        ${second}`,
    '        server_name admin.example.com;',
    '        return 204;',
    '    }',
    '}',
    '',
  ].join('\n');

ruleTests('server/no-default', {
  valid: [
    { name: 'one marked default_server', files: { 'nginx.conf': twoServers('listen 8080;', 'listen 8080 default_server;') } },
    { name: 'different ports, different addresses', files: { 'nginx.conf': twoServers('listen 8080;', 'listen 127.0.0.1:8081;') } },
  ],
  invalid: [
    {
      name: 'two servers on one port: the first is marked, as nginx already uses it',
      files: { 'nginx.conf': twoServers('listen 8080;', 'listen 0.0.0.0:8080;') },
      findings: [{ path: 'nginx.conf', line: 4, severity: 'information', message: /^2 servers listen on \*:8080 and none is default_server\.$/ }],
      output: { 'nginx.conf': twoServers('listen 8080 default_server;', 'listen 0.0.0.0:8080;') },
      nginxAcceptsOutput: true,
    },
    {
      // (nginx refuses the second listen as a duplicate: the server still counts once)
      name: 'a server naming its socket twice counts once',
      files: { 'nginx.conf': twoServers('listen 8080;', 'listen 8080; listen *:8080;') },
      findings: [{ path: 'nginx.conf', line: 4, severity: 'information', message: /^2 servers listen on \*:8080 and none is default_server\.$/ }],
      output: { 'nginx.conf': twoServers('listen 8080 default_server;', 'listen 8080; listen *:8080;') },
    },
  ],
});

ruleTests('headers/inheritance', {
  valid: [
    {
      name: 'only headers that do not protect are dropped (CORS, robots)',
      files: { 'nginx.conf': site(['add_header X-Robots-Tag noindex;', 'add_header Access-Control-Allow-Origin https://kasm.example.com;', ...location('/', ['add_header Cache-Control public;', 'return 204;'])]) },
    },
    {
      name: 'add_header_inherit off drops them on purpose (nginx 1.29.3)',
      files: { 'nginx.conf': site(['add_header X-Frame-Options SAMEORIGIN always;', ...location('/embed/', ['add_header_inherit off;', 'add_header Cache-Control public;', 'return 204;'])]), '.kasmlintrc.json': '{ "nginxVersion": "1.29.3" }' },
    },
    {
      name: 'add_trailer_inherit merge (nginx 1.29.3)',
      files: { 'nginx.conf': site(['add_trailer X-Trace $request_id;', ...location('/', ['add_trailer_inherit merge;', 'add_trailer X-Time $request_time;', 'return 204;'])]), '.kasmlintrc.json': '{ "nginxVersion": "1.29.3" }' },
    },
  ],
  invalid: [
    {
      name: 'a private Cache-Control and a robots header dropped: reported for the first, both re-declared',
      files: { 'nginx.conf': site(['add_header Cache-Control "private, no-store";', 'add_header X-Robots-Tag noindex;', ...location('/', ['add_header X-Api 1;', 'return 204;'])]) },
      findings: [{ path: 'nginx.conf', line: 15, message: /\("Cache-Control" and "X-Robots-Tag"\)/ }],
      output: {
        'nginx.conf': site(['add_header Cache-Control "private, no-store";', 'add_header X-Robots-Tag noindex;', ...location('/', ['add_header X-Api 1;', 'add_header Cache-Control "private, no-store";', 'add_header X-Robots-Tag noindex;', 'return 204;'])]),
      },
      nginxAcceptsOutput: true,
    },
    {
      name: 'add_header_inherit off before 1.29.3 means nothing: the drop is reported',
      files: { 'nginx.conf': site(['add_header Strict-Transport-Security "max-age=63072000" always;', ...location('/', ['add_header X-Api 1;', 'return 204;'])]) },
      findings: [{ path: 'nginx.conf', line: 14, message: /"Strict-Transport-Security"/ }],
      output: { 'nginx.conf': site(['add_header Strict-Transport-Security "max-age=63072000" always;', ...location('/', ['add_header X-Api 1;', 'add_header Strict-Transport-Security "max-age=63072000" always;', 'return 204;'])]) },
      nginxAcceptsOutput: true,
    },
    {
      name: 'add_trailer: a level with its own trailers drops the others',
      files: { 'nginx.conf': site(['add_trailer X-Trace $request_id;', ...location('/', ['add_trailer X-Time $request_time;', 'return 204;'])]) },
      findings: [{ path: 'nginx.conf', line: 14, message: /^This add_trailer makes nginx drop the trailers set in the server block at nginx\.conf:9 \("X-Trace"\)\.$/ }],
      output: { 'nginx.conf': site(['add_trailer X-Trace $request_id;', ...location('/', ['add_trailer X-Time $request_time;', 'add_trailer X-Trace $request_id;', 'return 204;'])]) },
      nginxAcceptsOutput: true,
    },
  ],
});

ruleTests('cors/origin-regex', {
  valid: [
    {
      name: 'negated check with an anchored, escaped regex; a deny-list if',
      files: {
        'nginx.conf': site(
          location('/', [
            'if ($http_origin !~ "^https://kasm\\.example\\.com$") {',
            '    return 403;',
            '}',
            'if ($http_origin ~ "evil") {',
            '    return 403;',
            '}',
            'return 204;',
          ]),
        ),
      },
    },
    {
      name: 'a Referer check ending at the host',
      files: { 'nginx.conf': site(location('/img/', ['if ($http_referer !~ "^https://kasm\\.example\\.com/") {', '    return 403;', '}', 'return 204;'])) },
    },
  ],
  invalid: [
    {
      name: 'a negated Origin check with a glued optional part: (www)?example.com accepts wwwexample.com',
      files: { 'nginx.conf': site(location('/', ['if ($http_origin !~ "^https://(www)?example\\.com$") {', '    return 403;', '}', 'return 204;'])) },
      findings: [{ path: 'nginx.conf', line: 13, message: /\(it accepts https:\/\/wwwexample\.com\)\.$/, detail: /lets an optional part run into the name without a dot/ }],
      output: { 'nginx.conf': site(location('/', ['if ($http_origin !~ "^https://(www\\.)?example\\.com$") {', '    return 403;', '}', 'return 204;'])) },
      nginxAcceptsOutput: true,
    },
    {
      name: 'a Referer check without "/" after the host accepts the attacker\'s subdomain',
      files: { 'nginx.conf': site(location('/img/', ['if ($http_referer !~ "^https://kasm\\.example\\.com") {', '    return 403;', '}', 'return 204;'])) },
      findings: [{ path: 'nginx.conf', line: 13, message: /^This Referer check also accepts https:\/\/kasm\.example\.com\.evil\.example\/, a page an attacker can host\.$/ }],
      output: { 'nginx.conf': site(location('/img/', ['if ($http_referer !~ "^https://kasm\\.example\\.com(:[0-9]+)?$") {', '    return 403;', '}', 'return 204;'])) },
    },
    {
      name: 'https? on a server that listens with TLS only',
      files: {
        'nginx.conf': [
          'events {}',
          'http {',
          '    server {',
          '        listen 8443 ssl;',
          '        ssl_certificate /etc/nginx/cert.pem;',
          '        ssl_certificate_key /etc/nginx/key.pem;',
          '        location / {',
          '            if ($http_origin ~ "^https?://kasm\\.example\\.com$") {',
          '                add_header Access-Control-Allow-Origin $http_origin;',
          '            }',
          '            return 204;',
          '        }',
          '    }',
          '}',
          '',
        ].join('\n'),
      },
      findings: [{ path: 'nginx.conf', line: 8, message: /\(it accepts http:\/\/kasm\.example\.com\)\.$/, detail: /accepts http:\/\/ while the site is served over https only/ }],
      output: {
        'nginx.conf': [
          'events {}',
          'http {',
          '    server {',
          '        listen 8443 ssl;',
          '        ssl_certificate /etc/nginx/cert.pem;',
          '        ssl_certificate_key /etc/nginx/key.pem;',
          '        location / {',
          '            if ($http_origin ~ "^https://kasm\\.example\\.com$") {',
          '                add_header Access-Control-Allow-Origin $http_origin;',
          '            }',
          '            return 204;',
          '        }',
          '    }',
          '}',
          '',
        ].join('\n'),
      },
    },
  ],
});

test('origin regexes: every problem comes with an origin the regex accepts, and a regex nobody can abuse has none', () => {
  const bad: Array<[string, string]> = [
    ['^https://(.+\\.)?example\\.com', 'https://example.com.evil.example'],
    ['example\\.com$', 'https://evilexample.com'],
    ['^https://[a-z]*example\\.com$', 'https://evilexample.com'],
    ['.*', 'https://evil.example'],
    ['^https://kasm.example.co.uk$', 'https://kasmxexample.co.uk'],
  ];
  for (const [pattern, example] of bad) assert.equal(analyzeOriginRegex(pattern, true).example, example, pattern);
  for (const good of ['^https://(.+\\.)?example\\.com$', '^https://(kasm|desk)\\.example\\.com(:[0-9]+)?$', 'kasm\\.example\\.com$', '^https://example\\.com$|^https://example\\.net$']) {
    assert.deepEqual(analyzeOriginRegex(good, true).problems, [], good);
  }
});

everyMessageProduced(['headers/multiline', 'variables/map-without-default', 'server/no-default', 'headers/inheritance', 'cors/origin-regex']);
