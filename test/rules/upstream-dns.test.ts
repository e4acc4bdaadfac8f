// How nginx reaches upstreams: the path it sends, when it resolves their names, which resolver it
// trusts, and whether TLS to them is verified when the scheme comes through variables.

import { location, site } from '../support/configs';
import { everyMessageProduced, ruleTests } from '../support/rule-tester';

ruleTests('proxy/pass-normalized', {
  valid: [
    {
      name: 'no URI part; variables; exact, internal and named locations',
      files: {
        'nginx.conf': site([
          ...location('/api/', ['proxy_pass http://kasm_api;']),
          ...location('/v/', ['proxy_pass http://kasm_api$request_uri;']),
          ...location('= /login', ['proxy_pass http://kasm_api/auth/login;']),
          ...location('/check', ['internal;', 'proxy_pass http://kasm_api/api/check/;']),
        ]),
      },
    },
  ],
  invalid: [
    {
      name: 'a prefix replaced by "/"',
      files: { 'nginx.conf': site(location('/agent/', ['proxy_pass http://kasm_api/;'])) },
      findings: [{ path: 'nginx.conf', line: 13, severity: 'information', message: /^proxy_pass with a URI part \("\/"\) sends nginx's decoded path, not the client's\.$/ }],
    },
    {
      name: 'a prefix replaced by another path',
      files: { 'nginx.conf': site(location('/guac_login', ['proxy_pass http://127.0.0.1:3000/guac_login;'])) },
      findings: [{ path: 'nginx.conf', line: 13, message: /\("\/guac_login"\)/ }],
    },
  ],
});

ruleTests('proxy/stale-dns', {
  valid: [
    {
      name: 'addresses, localhost, a unix socket, variables',
      files: {
        'nginx.conf': site([
          ...location('/a/', ['proxy_pass http://127.0.0.1:9000;']),
          ...location('/b/', ['proxy_pass http://localhost:9000;']),
          ...location('/c/', ['proxy_pass http://unix:/run/app.sock;']),
          ...location('/d/', ['resolver 127.0.0.11;', 'set $backend app.internal.example;', 'proxy_pass http://$backend;']),
        ]),
      },
    },
    {
      name: 'an upstream server with resolve (nginx 1.27.3)',
      files: {
        'nginx.conf': 'events {}\nhttp {\n    resolver 127.0.0.11;\n    upstream api {\n        zone api 64k;\n        server api.internal.example:8080 resolve;\n    }\n}\n',
        '.kasmlintrc.json': '{ "nginxVersion": "1.27.3" }',
      },
    },
  ],
  invalid: [
    {
      name: 'a Docker name in an upstream and in proxy_pass (reported once per name)',
      files: {
        'nginx.conf': [
          'events {}',
          'http {',
          '    upstream kasm_guac_backend {',
          '        server kasm_guac:3001;',
          '        server kasm_guac:3002;',
          '    }',
          '    server {',
          '        listen 8080;',
          '        location /a/ { proxy_pass http://kasm_guac:3000/; }',
          '        location /b/ { proxy_pass http://kasm_guac:3000/b; }',
          '    }',
          '}',
          '',
        ].join('\n'),
      },
      findings: [
        { path: 'nginx.conf', line: 4, severity: 'information', message: /^upstream kasm_guac_backend resolves kasm_guac once, when nginx starts\.$/ },
        { path: 'nginx.conf', line: 9, message: /^proxy_pass resolves kasm_guac once, when nginx starts\.$/ },
      ],
    },
    {
      name: 'resolve before 1.27.3 does not count',
      files: { 'nginx.conf': 'events {}\nhttp {\n    upstream api {\n        server api.internal.example:8080 resolve;\n    }\n}\n', '.kasmlintrc.json': '{ "nginxVersion": "1.25.1" }' },
      findings: [{ path: 'nginx.conf', line: 4, message: /resolves api\.internal\.example once/ }],
    },
  ],
});

ruleTests('proxy/public-resolver', {
  valid: [{ name: 'local resolvers', files: { 'nginx.conf': site(['resolver 127.0.0.11 10.0.0.2 [::1] valid=30s;', ...location('/', ['return 204;'])]) } }],
  invalid: [
    {
      name: 'public resolvers',
      files: { 'nginx.conf': site(['resolver 8.8.8.8 1.1.1.1:53 10.0.0.2 [2001:4860:4860::8888] ipv6=off;', ...location('/', ['return 204;'])]) },
      findings: [{ path: 'nginx.conf', line: 12, severity: 'information', message: /^resolver asks public DNS servers \(8\.8\.8\.8, 1\.1\.1\.1 and 2001:4860:4860::8888\)$/ }],
    },
    {
      name: 'before nginx 1.21.0: a warning (CVE-2021-23017)',
      files: { 'nginx.conf': site(['resolver 9.9.9.9;', ...location('/', ['return 204;'])]), '.kasmlintrc.json': '{ "nginxVersion": "1.18.0" }' },
      findings: [{ path: 'nginx.conf', line: 12, severity: 'warning' }],
    },
  ],
});

ruleTests('proxy/upstream-tls-unverified', {
  valid: [
    {
      name: 'a scheme from Kasm\'s API (auth_request_set) is decided per request',
      files: {
        'nginx.conf': site(
          location('/desktop/', ['auth_request /connect;', 'auth_request_set $connect_schema $upstream_http_connect_schema;', 'proxy_pass $connect_schema://127.0.0.1:8443;']),
        ),
      },
    },
    { name: 'set to http', files: { 'nginx.conf': site(location('/', ['set $upstream_proto http;', 'proxy_pass $upstream_proto://127.0.0.1:8443;'])) } },
  ],
  invalid: [
    {
      name: "a reverse-proxy collection's Kasm sample: the scheme set to https in a variable",
      files: {
        'nginx.conf': site(location('/', ['resolver 127.0.0.11;', 'set $upstream_app kasm;', 'set $upstream_port 8443;', 'set $upstream_proto https;', 'proxy_pass $upstream_proto://$upstream_app:$upstream_port;'])),
      },
      findings: [{ path: 'nginx.conf', line: 17, message: /proxy_pass \$upstream_proto:\/\/\$upstream_app:\$upstream_port speaks TLS without verifying the upstream's certificate/ }],
      output: {
        'nginx.conf': site(
          location('/', [
            'resolver 127.0.0.11;',
            'set $upstream_app kasm;',
            'set $upstream_port 8443;',
            'set $upstream_proto https;',
            'proxy_pass $upstream_proto://$upstream_app:$upstream_port;',
            'proxy_ssl_verify on;',
            'proxy_ssl_verify_depth 2;',
            'proxy_ssl_trusted_certificate /etc/ssl/certs/ca-certificates.crt;',
            'proxy_ssl_name kasm;',
          ]),
        ),
      },
      nginxAcceptsOutput: true,
    },
  ],
});

everyMessageProduced(['proxy/pass-normalized', 'proxy/stale-dns', 'proxy/public-resolver']);
