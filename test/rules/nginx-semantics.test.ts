// The checks nginx's handlers make (nginx/invalid-value), unknown variables, forgotten semicolons, and
// directives of other versions and editions. What nginx -t says about each broken case is also held
// to the real nginx by the corpus (test/corpus/nginx/handler-*.conf, test/nginx/agreement.test.ts).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lintTree } from '../support/engine';
import { loadModules } from '../support/nginx';
import { everyMessageProduced, ruleTests } from '../support/rule-tester';

const main = (http: string) => `events {}\nhttp {\n${http}}\n`;
const server = (body: string) => main(`    server {\n        listen 127.0.0.1:8080;\n${body}    }\n`);
const mailConf = (body: string) => `${loadModules('mail')}events {}\nmail {\n    auth_http 127.0.0.1:9000/auth;\n${body}}\n`;
const streamConf = (servers: string) => `${loadModules('stream')}events {}\nstream {\n${servers}}\n`;
const stream = (server: string) => `events {}\nstream {\n    server {\n        listen 9000;\n${server}        proxy_pass 127.0.0.1:9001;\n    }\n}\n`;

ruleTests('nginx/invalid-value', {
  valid: [
    {
      name: 'module values nginx takes: syslog parameters, gzip sizes, open_log_file_cache, a store after "proxy_cache off"',
      files: {
        'nginx.conf': server(
          '        access_log syslog:server=127.0.0.1:514,facility=local7,severity=info,tag=nginx_1,nohostname;\n        error_log syslog:server=127.0.0.1 warn;\n' +
            "        gzip_window 16k;\n        gzip_hash 64k;\n        sub_filter a b;\n        open_log_file_cache max=10 inactive=20s min_uses=2 valid=1m;\n        proxy_cache off;\n        proxy_store on;\n",
        ),
      },
    },
    { name: 'stream\'s return sends a text with variables, not a status', files: { 'nginx.conf': streamConf('    server {\n        listen 9000;\n        return "$time_iso8601 $remote_addr";\n    }\n') } },
    {
      name: 'values written every way nginx takes them',
      files: {
        'nginx.conf': server(
          '        client_max_body_size 1g;\n        proxy_read_timeout "1h 30m";\n        keepalive_timeout 75s 60s;\n' +
            '        return 301 https://$host$request_uri;\n        location ~* \\.php$ { return 404; }\n' +
            '        location / {\n            if ($request_method !~ ^(GET|HEAD)$) { return 405; }\n            if (-f $request_filename) { break; }\n' +
            '            set $args "";\n            error_page 404 =200 /empty.gif;\n            add_header X-Frame-Options SAMEORIGIN always;\n        }\n',
        ),
      },
    },
    {
      name: 'a listen whose address is a host name: its parameters are not judged (nginx resolves it first)',
      files: { 'nginx.conf': main('    server {\n        listen proxy.internal:8080 whatever;\n    }\n') },
    },
    {
      name: 'values of later versions, with "nginxVersion" set to them',
      files: {
        'nginx.conf': server('        listen 127.0.0.1:8443 quic;\n        location / {\n            proxy_http_version 2;\n        }\n'),
        '.kasmlintrc.json': '{ "nginxVersion": "1.29.4" }',
      },
    },
    { name: 'an NGINX Plus upstream parameter on NGINX Plus', files: { 'nginx.conf': main('    upstream u {\n        server 127.0.0.1:8081 slow_start=30s;\n    }\n'), '.kasmlintrc.json': '{ "nginxEdition": "plus" }' } },
    { name: 'limit_req_zone and limit_req as Kasm\'s guide writes them', files: { 'nginx.conf': main('    limit_req_zone $binary_remote_addr zone=kasm_limit:10m rate=10r/s;\n    server {\n        listen 8080;\n        location / {\n            limit_req zone=kasm_limit burst=20 nodelay;\n        }\n    }\n') } },
  ],
  invalid: [
    {
      name: "stream proxy_pass of a name without port: an upstream of that name in the stream block (any case) serves, one of http's does not",
      files: {
        'nginx.conf':
          'events {}\nhttp {\n    upstream missing { server 127.0.0.1:1; }\n}\nstream {\n    upstream Backend {\n        server 127.0.0.1:9001;\n    }\n' +
          '    server {\n        listen 9000;\n        proxy_pass backend;\n    }\n    server {\n        listen 9002;\n        proxy_pass missing;\n    }\n}\n',
      },
      findings: [{ path: 'nginx.conf', line: 15, message: /^no port in upstream "missing"/ }],
    },
    {
      name: 'proxy_protocol of stream from nginx 1.31.4 takes on, off or v2',
      files: { 'nginx.conf': stream('        proxy_protocol 1;\n'), '.kasmlintrc.json': '{ "nginxVersion": "1.31.4" }' },
      findings: [{ path: 'nginx.conf', line: 5, message: /^invalid value "1"/, detail: /"off", "on", "v2"|"on", "off", "v2"/ }],
    },
    {
      name: 'a size with a unit nginx does not take',
      files: { 'nginx.conf': server('        client_body_buffer_size 1g;\n') },
      findings: [{ path: 'nginx.conf', line: 5, column: 33, message: /^"client_body_buffer_size" directive invalid value\.$/ }],
    },
    {
      name: 'an unknown listen parameter',
      files: { 'nginx.conf': main('    server {\n        listen 443 ssl htt2;\n    }\n') },
      findings: [{ path: 'nginx.conf', line: 4, column: 24, message: /^invalid parameter "htt2"\.$/ }],
    },
    {
      name: 'a return code above 999',
      files: { 'nginx.conf': server('        return 3010 https://example.org;\n') },
      findings: [{ path: 'nginx.conf', line: 5, message: /^invalid return code "3010"\.$/ }],
    },
    {
      name: 'set of a variable nginx owns',
      files: { 'nginx.conf': server('        set $remote_addr 10.0.0.1;\n') },
      findings: [{ path: 'nginx.conf', line: 5, message: /^the duplicate "remote_addr" variable\.$/ }],
    },
    {
      name: 'proxy_pass with a URI in a regex location',
      files: { 'nginx.conf': server('        location ~ ^/api/ {\n            proxy_pass http://127.0.0.1:8081/;\n        }\n') },
      findings: [{ path: 'nginx.conf', line: 6, message: /^"proxy_pass" cannot have URI part in location given by regular expression/ }],
    },
    {
      name: 'a listen parameter of a later version',
      files: { 'nginx.conf': main('    server {\n        listen 8443 quic;\n    }\n'), '.kasmlintrc.json': '{ "nginxVersion": "1.22.1" }' },
      findings: [{ path: 'nginx.conf', line: 4, message: /^invalid parameter "quic"\.$/ }],
    },
    {
      name: 'an NGINX Plus upstream parameter on open-source nginx',
      files: { 'nginx.conf': main('    upstream u {\n        server 127.0.0.1:8081 slow_start=30s;\n    }\n') },
      findings: [{ path: 'nginx.conf', line: 4, message: /^invalid parameter "slow_start=30s"\.$/ }],
    },
    {
      name: 'a value the configured version does not accept yet',
      files: { 'nginx.conf': server('        location / {\n            proxy_http_version 2;\n        }\n') },
      findings: [{ path: 'nginx.conf', line: 6, message: /^invalid value "2"\.$/ }],
    },
    {
      name: 'mail: "ssl on" and "starttls on" at one level, the second read names the first (before 1.25.1)',
      files: { 'nginx.conf': mailConf('    server {\n        listen 9143;\n        protocol imap;\n        starttls on;\n        ssl on;\n    }\n'), '.kasmlintrc.json': '{ "nginxVersion": "1.22.1" }' },
      findings: [{ path: 'nginx.conf', line: 9, message: /^"starttls" directive conflicts with "ssl on"\.$/ }],
    },
    {
      name: 'a mail protocol nginx has no module for',
      files: { 'nginx.conf': mailConf('    server {\n        listen 9143;\n        protocol http;\n    }\n') },
      findings: [{ path: 'nginx.conf', line: 7, message: /^unknown protocol "http"\.$/ }],
    },
    {
      name: 'load_module after the events block',
      files: { 'nginx.conf': 'events {}\nload_module /usr/lib/nginx/modules/ngx_stream_module.so;\nhttp {\n}\n' },
      findings: [{ path: 'nginx.conf', line: 2, message: /^"load_module" directive is specified too late\.$/ }],
    },
    {
      name: 'stream proxy_pass with a port to an upstream block read later',
      files: { 'nginx.conf': streamConf('    server {\n        listen 9000;\n        proxy_pass backend:5432;\n    }\n    upstream backend {\n        server 127.0.0.1:5433;\n    }\n') },
      findings: [{ path: 'nginx.conf', line: 6, message: /^upstream "backend" may not have port 5432\.$/ }],
    },
    {
      name: 'module checks: gzip_window not a power of two in range, an empty sub_filter, open_log_file_cache without max, proxy_store after proxy_cache',
      files: { 'nginx.conf': server("        gzip_window 64k;\n        sub_filter '' x;\n        open_log_file_cache inactive=20s;\n        proxy_cache $host;\n        proxy_store on;\n") },
      findings: [
        { path: 'nginx.conf', line: 5, message: /^"gzip_window" directive must be 512, 1k, 2k, 4k, 8k, 16k, or 32k\.$/ },
        { path: 'nginx.conf', line: 6, message: /^empty search pattern\.$/ },
        { path: 'nginx.conf', line: 7, message: /^"open_log_file_cache" must have "max" parameter\.$/ },
        { path: 'nginx.conf', line: 9, message: /^"proxy_store" directive is incompatible with "proxy_cache"\.$/ },
      ],
    },
    {
      name: 'syslog parameters as ngx_syslog_parse_args reads them',
      files: { 'nginx.conf': server('        access_log syslog:server=127.0.0.1,severity=err;\n        error_log syslog:server=127.0.0.1,tag=web-1;\n        access_log syslog:facility=local7;\n') },
      findings: [
        { path: 'nginx.conf', line: 5, message: /^unknown syslog severity "err"\.$/ },
        { path: 'nginx.conf', line: 6, message: /^syslog "tag" only allows alphanumeric characters and underscore\.$/ },
        { path: 'nginx.conf', line: 7, message: /^no syslog server specified\.$/ },
      ],
    },
  ],
});

ruleTests('nginx/unknown-variable', {
  valid: [
    {
      name: 'variables defined anywhere in the http block, before or after their use, and nginx\'s own',
      files: {
        'nginx.conf': main(
          '    server {\n        listen 8080;\n        location ~ ^/u/(?<user>[a-z]+)$ {\n            return 200 "$user $http_x_anything $arg_q $cookie_s $upstream_http_x $later";\n        }\n' +
            '        location /a { set $later 1; }\n    }\n    map $http_upgrade $connection_upgrade {\n        default upgrade;\n        "" close;\n    }\n' +
            '    log_format main "$connection_upgrade $request_id";\n',
        ),
      },
    },
    {
      name: 'a fragment read on its own: what it uses may be defined by the file that includes it',
      files: { 'sites/a.conf': 'location / {\n    proxy_set_header Connection $connection_upgrade;\n}\n' },
    },
    {
      name: 'certificate keys nginx keeps as text: no certificate in effect, a key beyond the last certificate',
      files: {
        'nginx.conf': main(
          '    ssl_certificate_key /keys/$no_certificate.key;\n    server {\n        listen 127.0.0.1:8080;\n    }\n' +
            '    server {\n        listen 127.0.0.1:8081;\n        ssl_certificate $ssl_server_name.crt;\n        ssl_certificate_key $ssl_server_name.key;\n        ssl_certificate_key /keys/$beyond.key;\n    }\n',
        ),
      },
    },
    {
      name: 'a stream server without listen ... ssl before 1.25.5 does not set up TLS',
      files: {
        'nginx.conf': stream('        ssl_certificate $a.crt;\n        ssl_certificate_key $b.key;\n'),
        '.kasmlintrc.json': '{ "nginxVersion": "1.22.1" }',
      },
    },
    {
      name: 'memcached_pass with $memcached_key set',
      files: { 'nginx.conf': server('        location / {\n            set $memcached_key $uri;\n            memcached_pass 127.0.0.1:11211;\n        }\n') },
    },
  ],
  invalid: [
    {
      name: 'a mistyped variable, with the variable the configuration defines as the (unsafe) fix',
      files: {
        'nginx.conf': main(
          '    map $http_upgrade $connection_upgrade {\n        default upgrade;\n        "" close;\n    }\n    server {\n        listen 127.0.0.1:8080;\n' +
            '        location / {\n            proxy_set_header Connection $conection_upgrade;\n            proxy_pass http://127.0.0.1:8081;\n        }\n    }\n',
        ),
      },
      findings: [{ path: 'nginx.conf', line: 10, column: 41, message: /^unknown "conection_upgrade" variable\.$/ }],
      output: {
        'nginx.conf': main(
          '    map $http_upgrade $connection_upgrade {\n        default upgrade;\n        "" close;\n    }\n    server {\n        listen 127.0.0.1:8080;\n' +
            '        location / {\n            proxy_set_header Connection $connection_upgrade;\n            proxy_pass http://127.0.0.1:8081;\n        }\n    }\n',
        ),
      },
      nginxAcceptsOutput: true,
    },
    {
      name: 'a key beside a certificate with variables: nginx compiles both when it merges the server',
      files: {
        'nginx.conf': main('    ssl_certificate_key /keys/$ssl_server_nam.key;\n    server {\n        listen 127.0.0.1:8443 ssl;\n        ssl_certificate /certs/$ssl_server_name.crt;\n    }\n'),
      },
      findings: [{ path: 'nginx.conf', line: 3, column: 31, message: /^unknown "ssl_server_nam" variable\.$/ }],
      // (certificates named by variables are read when a client connects: nginx -t reads no file)
      output: {
        'nginx.conf': main('    ssl_certificate_key /keys/$ssl_server_name.key;\n    server {\n        listen 127.0.0.1:8443 ssl;\n        ssl_certificate /certs/$ssl_server_name.crt;\n    }\n'),
      },
      nginxAcceptsOutput: true,
    },
    {
      name: 'a certificate and its key without variables compile every other pair of the server',
      files: {
        'nginx.conf': server('        ssl_certificate /certs/rsa.crt;\n        ssl_certificate_key /keys/rsa.key;\n        ssl_certificate /certs/$ecdsa_name.crt;\n        ssl_certificate_key /keys/ecdsa.key;\n'),
      },
      findings: [{ path: 'nginx.conf', line: 7, column: 32, message: /^unknown "ecdsa_name" variable\.$/ }],
    },
    {
      name: 'memcached_pass reads $memcached_key, which nothing sets',
      files: { 'nginx.conf': server('        location / {\n            memcached_pass 127.0.0.1:11211;\n        }\n') },
      findings: [{ path: 'nginx.conf', line: 6, message: /^unknown "memcached_key" variable\.$/ }],
    },
  ],
});

ruleTests('nginx/missing-semicolon', {
  valid: [{ name: 'directives one per line, and a value spread over lines', files: { 'nginx.conf': server('        server_name a.example.org\n                    b.example.org;\n') } }],
  invalid: [
    {
      name: 'listen without its ";": nginx\'s message, and the fix',
      files: { 'nginx.conf': main('    server {\n        listen 127.0.0.1:8083\n        server_name a.example.org;\n    }\n') },
      findings: [{ path: 'nginx.conf', line: 5, column: 9, severity: 'error', message: /^invalid parameter "server_name"\.$/ }],
      output: { 'nginx.conf': main('    server {\n        listen 127.0.0.1:8083;\n        server_name a.example.org;\n    }\n') },
      nginxAcceptsOutput: true,
    },
    {
      name: 'a run-together directive nginx accepts: a warning',
      files: { 'nginx.conf': main('    server {\n        server_name a.example.org\n        listen 127.0.0.1:8083;\n    }\n') },
      findings: [{ path: 'nginx.conf', line: 5, severity: 'warning', message: /^missing ";" at the end of line 4: nginx reads "listen" as a parameter of "server_name"\.$/ }],
      output: { 'nginx.conf': main('    server {\n        server_name a.example.org;\n        listen 127.0.0.1:8083;\n    }\n') },
      nginxAcceptsOutput: true,
    },
    {
      name: 'three directives run together: every missing ";" inserted at once',
      files: { 'nginx.conf': main('    server {\n        listen 127.0.0.1:8083\n        server_name a.example.org\n\n        root /srv\n        index index.html;\n    }\n') },
      findings: [{ path: 'nginx.conf', line: 8, message: /^invalid parameter "server_name"\.$/ }],
      output: { 'nginx.conf': main('    server {\n        listen 127.0.0.1:8083;\n        server_name a.example.org;\n\n        root /srv;\n        index index.html;\n    }\n') },
      nginxAcceptsOutput: true,
    },
    {
      name: 'before a block',
      files: { 'nginx.conf': main('    server {\n        listen 127.0.0.1:8083;\n        root /srv\n        location / { }\n    }\n') },
      findings: [{ path: 'nginx.conf', line: 6, message: /^directive "root" is not terminated by ";"\.$/ }],
      output: { 'nginx.conf': main('    server {\n        listen 127.0.0.1:8083;\n        root /srv;\n        location / { }\n    }\n') },
      nginxAcceptsOutput: true,
    },
    {
      name: 'before the closing brace',
      files: { 'nginx.conf': main('    server {\n        listen 127.0.0.1:8083;\n        location / { return 204 }\n    }\n') },
      findings: [{ path: 'nginx.conf', line: 5, message: /^unexpected "\}"\.$/ }],
      output: { 'nginx.conf': main('    server {\n        listen 127.0.0.1:8083;\n        location / { return 204; }\n    }\n') },
      nginxAcceptsOutput: true,
    },
  ],
});

ruleTests('kasmlint/outside-configuration', {
  valid: [{ name: 'every file reached from nginx.conf', files: { 'nginx.conf': main('    include sites/*.conf;\n'), 'sites/a.conf': 'server {\n    listen 8080;\n}\n' } }],
  invalid: [
    {
      name: 'a file nginx.conf does not include: said so, its nginx errors are warnings, top-level fixes left out',
      files: { 'nginx.conf': main('    include sites-enabled/*.conf;\n'), 'sites-available/old.conf': 'server {\n    listen 8080 bogus;\n}\n' },
      findings: [{ path: 'sites-available/old.conf', line: 1, severity: 'information', message: /^This file is outside the configuration: no include of nginx\.conf reaches it\.$/ }],
    },
  ],
});

test('a file outside the configuration never claims that nginx -t fails', () => {
  const { findings } = lintTree({ 'nginx.conf': main('    include sites-enabled/*.conf;\n'), 'sites-available/old.conf': 'server {\n    listen 8080 bogus;\n}\n' });
  const error = findings.find((f) => f.rule === 'nginx/invalid-value');
  assert.equal(error?.severity, 'warning');
  assert.match(error?.detail ?? '', /nginx does not read this file today/);
  assert.ok(findings.every((f) => f.path !== 'sites-available/old.conf' || f.fixes.every((x) => x.edits.every((e) => e.range.start.line > 0 || e.range.start.character > 0))));
});

ruleTests('nginx/missing-brace', {
  valid: [{ name: 'closed blocks', files: { 'nginx.conf': server('        location / {\n            return 204;\n        }\n') } }],
  invalid: [
    {
      name: 'a location never closed: the "}" goes where the indentation comes back',
      files: { 'nginx.conf': main('    server {\n        listen 127.0.0.1:8080;\n        location / {\n            return 204;\n\n        location /b/ {\n            return 204;\n        }\n    }\n') },
      findings: [{ path: 'nginx.conf', line: 5, message: /^unexpected end of file, expecting "\}"\.$/ }],
      output: { 'nginx.conf': main('    server {\n        listen 127.0.0.1:8080;\n        location / {\n            return 204;\n\n        }\n        location /b/ {\n            return 204;\n        }\n    }\n') },
      nginxAcceptsOutput: true,
    },
    {
      name: 'the last block of the file',
      files: { 'nginx.conf': 'events {}\nhttp {\n    server {\n        listen 127.0.0.1:8080;\n    }\n' },
      findings: [{ path: 'nginx.conf', line: 2, message: /^unexpected end of file, expecting "\}"\.$/ }],
      output: { 'nginx.conf': 'events {}\nhttp {\n    server {\n        listen 127.0.0.1:8080;\n    }\n}\n' },
      nginxAcceptsOutput: true,
    },
  ],
});

ruleTests('nginx/unknown-directive', {
  valid: [
    {
      name: 'an NGINX Plus directive with "nginxEdition": "plus"',
      files: { 'nginx.conf': main('    upstream u {\n        zone u 64k;\n        server 127.0.0.1:8081;\n    }\n    server {\n        listen 8080;\n        location / {\n            proxy_pass http://u;\n            health_check;\n        }\n    }\n'), '.kasmlintrc.json': '{ "nginxEdition": "plus" }' },
    },
  ],
  invalid: [
    {
      name: 'an NGINX Plus directive on open-source nginx',
      files: { 'nginx.conf': main('    upstream u {\n        zone u 64k;\n        server 127.0.0.1:8081;\n    }\n    server {\n        listen 8080;\n        location / {\n            proxy_pass http://u;\n            health_check;\n        }\n    }\n') },
      findings: [{ path: 'nginx.conf', line: 11, message: /^unknown directive "health_check"/ }],
    },
    {
      name: 'a directive removed before the configured version',
      files: { 'nginx.conf': server('        ssl on;\n') },
      findings: [{ path: 'nginx.conf', line: 5, message: /^unknown directive "ssl"/ }],
    },
  ],
});

ruleTests('nginx/unknown-directive', {
  valid: [
    {
      name: 'the directives of the modules the configuration loads',
      files: {
        'nginx.conf':
          'load_module modules/ndk_http_module.so;\nload_module modules/ngx_http_lua_module.so;\nload_module modules/ngx_http_headers_more_filter_module.so;\n' +
          'load_module modules/ngx_http_image_filter_module.so;\nload_module modules/ngx_http_js_module.so;\n' +
          main('    js_import main.js;\n    server {\n        listen 8080;\n        more_set_headers "Server: kasm";\n        location /img/ { image_filter test; }\n        location / {\n            content_by_lua_block { ngx.say("ok") }\n        }\n    }\n'),
      },
    },
    {
      name: "Debian's modules-enabled, read through the include",
      files: {
        'nginx.conf': 'include /etc/nginx/modules-enabled/*.conf;\n' + main('    server {\n        listen 8080;\n        location / { content_by_lua_block { ngx.say("ok") } }\n    }\n'),
        'modules-enabled/50-mod-http-lua.conf': 'load_module modules/ngx_http_lua_module.so;\n',
      },
    },
  ],
  invalid: [
    {
      name: 'a third-party directive whose module nginx.conf does not load',
      files: { 'nginx.conf': main('    server {\n        listen 8080;\n        more_set_headers "Server: kasm";\n    }\n') },
      findings: [{ path: 'nginx.conf', line: 5, severity: 'error', message: /^unknown directive "more_set_headers": its module is not loaded\.$/ }],
    },
    {
      name: "one of nginx's dynamic modules, not loaded",
      files: { 'nginx.conf': main('    server {\n        listen 8080;\n        location /img/ { image_filter test; }\n    }\n') },
      findings: [{ path: 'nginx.conf', line: 5, severity: 'error', message: /^unknown directive "image_filter": its module is not loaded\.$/ }],
    },
    {
      name: 'njs and otel, nginx projects documented with nginx, are dynamic modules too',
      files: { 'nginx.conf': main('    js_import main.js;\n    otel_trace on;\n    server {\n        listen 8080;\n    }\n') },
      findings: [
        { path: 'nginx.conf', line: 3, severity: 'error', message: /^unknown directive "js_import": its module is not loaded\.$/ },
        { path: 'nginx.conf', line: 4, severity: 'error', message: /^unknown directive "otel_trace": its module is not loaded\.$/ },
      ],
    },
    {
      name: 'a fragment cannot tell what is loaded: a warning that names the module',
      files: { 'sites/a.conf': 'location / {\n    content_by_lua_block { ngx.say("ok") }\n}\n' },
      findings: [{ path: 'sites/a.conf', line: 2, severity: 'warning', message: /^"content_by_lua_block" needs ngx_http_lua_module, which nginx must load\.$/ }],
    },
    {
      name: 'a module kasmlint does not know is loaded: unknown directives are warnings naming it',
      files: { 'nginx.conf': 'load_module modules/ngx_http_acme_thing.so;\n' + main('    server {\n        listen 8080;\n        acme_thing on;\n    }\n') },
      findings: [{ path: 'nginx.conf', line: 6, severity: 'warning', message: /^unknown directive "acme_thing", unless a module kasmlint does not know provides it\.$/ }],
    },
  ],
});

ruleTests('nginx/invalid-regex', {
  valid: [{ name: 'regexes PCRE2 compiles', files: { 'nginx.conf': server('        location ~* \\.(jpg|png)$ { return 404; }\n        location ~ ^/(?<app>[a-z]+)/ { return 200 $app; }\n') } }],
  invalid: [
    {
      name: 'a glob written as a regex',
      files: { 'nginx.conf': server('        location ~ *.php$ { return 404; }\n') },
      findings: [{ path: 'nginx.conf', line: 5, column: 20, message: /^pcre2_compile\(\) failed: quantifier does not follow a repeatable item in "\*\.php\$" at "\*\.php\$"\.$/ }],
    },
    {
      name: 'an unclosed group in a rewrite',
      files: { 'nginx.conf': server('        rewrite "^/old/(.*" /new/$1 permanent;\n') },
      findings: [{ path: 'nginx.conf', line: 5, message: /^pcre2_compile\(\) failed: missing closing parenthesis in "\^\/old\/\(\.\*"\.$/ }],
    },
  ],
});

ruleTests('nginx/duplicate-listen', {
  valid: [{ name: 'one default server per address, the same port on other addresses', files: { 'nginx.conf': main('    server { listen 127.0.0.1:8080 default_server; listen [::1]:8080; }\n    server { listen 127.0.0.1:8080; listen 127.0.0.2:8080 default_server; }\n') } }],
  invalid: [
    {
      name: 'two default servers for one address, written two ways',
      files: { 'nginx.conf': main('    server { listen 8080 default_server; }\n    server { listen *:8080 default_server; }\n') },
      findings: [{ path: 'nginx.conf', line: 4, message: /^a duplicate default server for 0\.0\.0\.0:8080\.$/ }],
    },
    {
      name: 'socket options on two listens of one address',
      files: { 'nginx.conf': main('    server { listen 8080 backlog=10; }\n    server { listen 8080 reuseport; }\n') },
      findings: [{ path: 'nginx.conf', line: 4, message: /^duplicate listen options for 0\.0\.0\.0:8080\.$/ }],
    },
    {
      name: 'the same address twice in one server',
      files: { 'nginx.conf': main('    server { listen 8080; listen 0.0.0.0:8080; }\n') },
      findings: [{ path: 'nginx.conf', line: 3, message: /^a duplicate listen 0\.0\.0\.0:8080\.$/ }],
    },
    {
      name: 'mail servers are not virtual servers: a second listen of an address is refused',
      files: { 'nginx.conf': mailConf('    server {\n        listen 9110;\n        protocol pop3;\n    }\n    server {\n        listen 9110;\n        protocol pop3;\n    }\n') },
      findings: [{ path: 'nginx.conf', line: 10, message: /^duplicate "0\.0\.0\.0:9110" address and port pair\.$/ }],
    },
  ],
});

ruleTests('nginx/ssl-without-certificate', {
  valid: [
    { name: 'a catch-all that rejects handshakes', files: { 'nginx.conf': main('    server { listen 8443 ssl default_server; ssl_reject_handshake on; }\n') } },
    { name: 'a certificate from the http level', files: { 'nginx.conf': main('    ssl_certificate a.crt;\n    ssl_certificate_key a.key;\n    server { listen 8443 ssl; }\n') } },
    { name: 'a stream server listening with ssl, with the stream level\'s certificate', files: { 'nginx.conf': streamConf('    ssl_certificate a.crt;\n    ssl_certificate_key a.key;\n    server { listen 9443 ssl; proxy_pass 127.0.0.1:9100; }\n'), '.kasmlintrc.json': '{ "nginxVersion": "1.22.1" }' } },
  ],
  invalid: [
    {
      name: 'the default server of an ssl address has no certificate',
      files: { 'nginx.conf': main('    server {\n        listen 8443 ssl;\n        return 444;\n    }\n') },
      findings: [{ path: 'nginx.conf', line: 3, message: /^no "ssl_certificate" is defined for the "listen \.\.\. ssl" directive\.$/ }],
    },
    {
      // (nginx -t names line 5: the first server of the address without a certificate)
      name: 'the default server rejects handshakes: the first other server without a certificate',
      files: {
        'nginx.conf': main(
          '    server { listen 8443 ssl default_server; ssl_reject_handshake on; }\n    server { listen 8443 ssl; server_name a; ssl_certificate a.crt; ssl_certificate_key a.key; }\n    server {\n        listen 8443 ssl;\n        server_name b;\n    }\n    server { listen 8443 ssl; server_name c; }\n',
        ),
      },
      findings: [{ path: 'nginx.conf', line: 5, message: /^no "ssl_certificate" is defined for the "listen \.\.\. ssl" directive\.$/ }],
    },
    {
      // (nginx -t names line 7, the server's last listen ... ssl)
      name: 'before 1.25.5, each stream server listening with ssl needs a certificate',
      files: { 'nginx.conf': streamConf('    server { listen 9000; proxy_pass 127.0.0.1:9100; }\n    server {\n        listen 9443 ssl;\n        listen 9444 ssl;\n        proxy_pass 127.0.0.1:9100;\n    }\n'), '.kasmlintrc.json': '{ "nginxVersion": "1.22.1" }' },
      findings: [{ path: 'nginx.conf', line: 5, message: /^no "ssl_certificate" is defined for the "listen \.\.\. ssl" directive\.$/ }],
    },
    {
      name: 'a mail server with starttls in effect (from the mail level) and no certificate: nginx names the starttls line',
      files: { 'nginx.conf': mailConf('    starttls on;\n    server {\n        listen 9143;\n        protocol imap;\n    }\n') },
      findings: [{ path: 'nginx.conf', line: 6, message: /^no "ssl_certificate" is defined for the "starttls" directive\.$/ }],
    },
    {
      name: 'since 1.25.5, the default server of a stream address, as in http',
      files: { 'nginx.conf': streamConf('    server {\n        listen 9443 ssl;\n        proxy_pass 127.0.0.1:9100;\n    }\n'), '.kasmlintrc.json': '{ "nginxVersion": "1.27.0" }' },
      findings: [{ path: 'nginx.conf', line: 4, message: /^no "ssl_certificate" is defined for the "listen \.\.\. ssl" directive\.$/ }],
    },
    {
      name: 'before 1.25.1, "ssl on" at the http level sets up TLS for every server: nginx names the ssl line',
      files: { 'nginx.conf': main('    ssl on;\n    server {\n        listen 8080;\n    }\n'), '.kasmlintrc.json': '{ "nginxVersion": "1.22.1" }' },
      findings: [{ path: 'nginx.conf', line: 4, message: /^no "ssl_certificate" is defined for the "ssl" directive\.$/ }],
    },
  ],
});

ruleTests('nginx/missing-events', {
  valid: [{ name: 'a Kasm tree (the image\'s nginx.conf has the events block)', files: { 'orchestrator.conf': 'server {\n    listen 8443;\n}\n', 'services.d/a.conf': 'location / { return 204; }\n' } }],
  invalid: [
    {
      name: 'an nginx.conf without events',
      files: { 'nginx.conf': 'http {\n    server {\n        listen 127.0.0.1:8080;\n    }\n}\n' },
      findings: [{ path: 'nginx.conf', line: 1, message: /^no "events" section in configuration\.$/ }],
      output: { 'nginx.conf': 'events {}\nhttp {\n    server {\n        listen 127.0.0.1:8080;\n    }\n}\n' },
      nginxAcceptsOutput: true,
    },
  ],
});

/** A whole configuration: an events block holding `events` lines, then `http` (each line indented once). */
const withEvents = (events: readonly string[], http: readonly string[]) =>
  ['events {', ...events.map((l) => `    ${l}`), '}', 'http {', ...http.map((l) => `    ${l}`), '}', ''].join('\n');
/** `count` servers, each listening on an address of its own on port 8080 (127.0.0.1 onwards). */
const addressServers = (count: number) => Array.from({ length: count }, (_, i) => `server { listen 127.0.${(i + 1) >> 8}.${(i + 1) & 255}:8080; return 204; }`);

ruleTests('nginx/too-few-worker-connections', {
  valid: [
    { name: "a few servers within the default 512", files: { 'nginx.conf': withEvents([], addressServers(3)) } },
    {
      name: 'addresses of a port listened on with the wildcard share its socket, unless they bind',
      files: { 'nginx.conf': withEvents(['worker_connections 3;'], ['server { listen 8080; return 204; }', 'server { listen 127.0.0.1:8080; return 204; }', 'server { listen 127.0.0.2:8080 backlog=64; return 204; }']) },
    },
    { name: 'a listen on a host name is not counted (nginx resolves it)', files: { 'nginx.conf': withEvents(['worker_connections 2;'], ['server { listen localhost:8080; return 204; }']) } },
    { name: 'a number nginx refuses is nginx/invalid-value\'s', files: { 'nginx.conf': withEvents(['worker_connections 2k;'], addressServers(3)) } },
    { name: 'a Kasm tree (worker_connections is in the image\'s nginx.conf)', files: { 'orchestrator.conf': 'server {\n    listen 8443;\n}\n', 'services.d/a.conf': 'location / { return 204; }\n' } },
  ],
  invalid: [
    {
      name: 'an address each: the fix adds one connection per socket and one for the channel',
      files: { 'nginx.conf': withEvents(['worker_connections 3;'], addressServers(3)) },
      findings: [{ path: 'nginx.conf', line: 2, message: /^3 worker_connections are not enough for 3 listening sockets\.$/, detail: /channel to the master process/ }],
      output: { 'nginx.conf': withEvents(['worker_connections 7;'], addressServers(3)) },
      nginxAcceptsOutput: true,
    },
    {
      name: "nginx's default 512 for 512 addresses: the fix sets worker_connections in the empty events block",
      files: { 'nginx.conf': `events {}\nhttp {\n${addressServers(512).map((l) => `    ${l}\n`).join('')}}\n` },
      findings: [{ path: 'nginx.conf', line: 1, message: /^512 worker_connections are not enough for 512 listening sockets\.$/ }],
      output: { 'nginx.conf': `events {\n    worker_connections 1025;\n}\nhttp {\n${addressServers(512).map((l) => `    ${l}\n`).join('')}}\n` },
      nginxAcceptsOutput: true,
    },
    {
      name: 'a server without listen takes a wildcard port of its own (80, or 8000 when nginx is not root)',
      files: { 'nginx.conf': withEvents(['worker_connections 2;'], ['server { listen 127.0.0.1:8080; return 204; }', 'server { return 204; }']) },
      findings: [{ path: 'nginx.conf', line: 2, message: /^2 worker_connections are not enough for 2 listening sockets\.$/ }],
      output: { 'nginx.conf': withEvents(['worker_connections 5;'], ['server { listen 127.0.0.1:8080; return 204; }', 'server { return 204; }']) },
      nginxAcceptsOutput: true,
    },
    {
      name: 'stream and quic sockets count too; a listen on a host name makes the count a lower bound',
      files: {
        'nginx.conf': `${loadModules('stream')}${withEvents(['worker_connections 3;'], ['server { listen 127.0.0.1:8443 quic reuseport; listen 127.0.0.1:8443 ssl; listen localhost:8081; return 204; }'])}stream {\n    server {\n        listen 127.0.0.1:9000;\n        proxy_pass 127.0.0.1:9001;\n    }\n}\n`,
      },
      findings: [{ path: 'nginx.conf', line: 3, message: /^3 worker_connections are not enough for at least 3 listening sockets\.$/ }],
      output: {
        'nginx.conf': `${loadModules('stream')}${withEvents(['worker_connections 7;'], ['server { listen 127.0.0.1:8443 quic reuseport; listen 127.0.0.1:8443 ssl; listen localhost:8081; return 204; }'])}stream {\n    server {\n        listen 127.0.0.1:9000;\n        proxy_pass 127.0.0.1:9001;\n    }\n}\n`,
      },
    },
  ],
});

const proxied = (lines: string) => server(`        location / {\n${lines}            proxy_pass https://127.0.0.1:9443;\n        }\n`);

ruleTests('nginx/unknown-cache-zone', {
  valid: [
    { name: 'a zone its cache path defines', files: { 'nginx.conf': main('    proxy_cache_path cache keys_zone=pages:1m;\n    server {\n        listen 127.0.0.1:8080;\n        location / {\n            proxy_cache pages;\n            proxy_pass http://127.0.0.1:9000;\n        }\n    }\n') } },
    { name: 'off, and a zone from a variable', files: { 'nginx.conf': server('        location /a/ { proxy_cache off; proxy_pass http://127.0.0.1:9000; }\n        location /b/ { proxy_cache $zone; proxy_pass http://127.0.0.1:9000; }\n') } },
    { name: 'an http-level line no server inherits', files: { 'nginx.conf': main('    proxy_cache nowhere;\n') } },
  ],
  invalid: [
    {
      name: 'a mistyped zone: the fix uses the close one',
      files: { 'nginx.conf': main('    proxy_cache_path cache keys_zone=pages:1m;\n    server {\n        listen 127.0.0.1:8080;\n        location / {\n            proxy_cache page;\n            proxy_pass http://127.0.0.1:9000;\n        }\n    }\n') },
      findings: [{ path: 'nginx.conf', line: 7, message: /^"proxy_cache" zone "page" is unknown \(did you mean "pages"\?\)\.$/, detail: /line 11 of nginx\.conf/ }],
      output: { 'nginx.conf': main('    proxy_cache_path cache keys_zone=pages:1m;\n    server {\n        listen 127.0.0.1:8080;\n        location / {\n            proxy_cache pages;\n            proxy_pass http://127.0.0.1:9000;\n        }\n    }\n') },
      nginxAcceptsOutput: true,
    },
    {
      name: 'fastcgi_cache at http level, inherited by the server',
      files: { 'nginx.conf': main('    fastcgi_cache php;\n    server {\n        listen 127.0.0.1:8080;\n    }\n') },
      findings: [{ path: 'nginx.conf', line: 3, message: /^"fastcgi_cache" zone "php" is unknown\.$/ }],
    },
  ],
});

ruleTests('nginx/unknown-thread-pool', {
  valid: [
    { name: 'a pool thread_pool defines, after the http block that uses it', files: { 'nginx.conf': `${server('        location / { aio threads=files; }\n')}thread_pool files threads=4;\n` } },
    { name: 'the default pool, by name or not', files: { 'nginx.conf': server('        location /a/ { aio threads; }\n        location /b/ { aio threads=default; }\n') } },
    { name: 'a pool named by a variable (chosen per request)', files: { 'nginx.conf': server('        location / { aio threads=$pool; }\n') } },
    { name: 'conf.d files read without their nginx.conf: the pool may be defined there', files: { 'conf.d/site.conf': 'server {\n    listen 8080;\n    location / { aio threads=files; }\n}\n' } },
  ],
  invalid: [
    {
      name: 'a mistyped pool: the first use is the one nginx names, the fix uses the close name',
      files: { 'nginx.conf': `thread_pool files threads=4;\n${server('        location /a/ { aio threads=file; }\n        location /b/ { aio threads=file; }\n')}` },
      findings: [
        { path: 'nginx.conf', line: 6, message: /^unknown thread pool "file" \(did you mean "files"\?\)\.$/ },
        { path: 'nginx.conf', line: 7 },
      ],
      output: { 'nginx.conf': `thread_pool files threads=4;\n${server('        location /a/ { aio threads=files; }\n        location /b/ { aio threads=files; }\n')}` },
      nginxAcceptsOutput: true,
    },
    {
      name: 'no pool defined: the fix defines it at the top of nginx.conf',
      files: { 'nginx.conf': `worker_processes 1;\n${main('    aio threads=Default;\n    server {\n        listen 127.0.0.1:8080;\n    }\n')}` },
      findings: [{ path: 'nginx.conf', line: 4, message: /^unknown thread pool "Default"\.$/ }],
      output: { 'nginx.conf': `worker_processes 1;\nthread_pool Default threads=32;\n${main('    aio threads=Default;\n    server {\n        listen 127.0.0.1:8080;\n    }\n')}` },
      nginxAcceptsOutput: true,
    },
  ],
});

ruleTests('nginx/unknown-thread-pool', {
  valid: [],
  invalid: [
    {
      name: 'a pool used twice: defined once by fixing both',
      files: { 'nginx.conf': server('        location /a/ { aio threads=media; }\n        location /b/ { aio threads=media; }\n') },
      findings: [{ path: 'nginx.conf', line: 5 }, { path: 'nginx.conf', line: 6 }],
      output: { 'nginx.conf': `thread_pool media threads=32;\n${server('        location /a/ { aio threads=media; }\n        location /b/ { aio threads=media; }\n')}` },
      nginxAcceptsOutput: true,
    },
  ],
});

ruleTests('nginx/invalid-value', {
  valid: [{ name: 'thread pools and aio as nginx takes them', files: { 'nginx.conf': `thread_pool a threads=2;\nthread_pool b threads=2 max_queue=0;\nthread_pool c threads=2 other=1;\n${server('        aio threads=a;\n        location / { aio off; }\n')}` } }],
  invalid: [
    { name: 'aio in capitals', files: { 'nginx.conf': server('        aio THREADS;\n') }, findings: [{ path: 'nginx.conf', line: 5, message: /^"aio" directive invalid value/ }] },
    { name: 'a thread pool defined twice', files: { 'nginx.conf': `thread_pool a threads=2;\nthread_pool a threads=4;\n${main('')}` }, findings: [{ path: 'nginx.conf', line: 2, message: /^duplicate thread pool "a"/ }] },
    { name: 'a thread pool of no threads', files: { 'nginx.conf': `thread_pool a threads=0;\n${main('')}` }, findings: [{ path: 'nginx.conf', line: 1, message: /^invalid threads value "threads=0"/ }] },
    { name: 'a thread pool whose queue is not a number', files: { 'nginx.conf': `thread_pool a threads=2 max_queue=1k;\n${main('')}` }, findings: [{ path: 'nginx.conf', line: 1, message: /^invalid max_queue value "max_queue=1k"/ }] },
    { name: 'a thread pool without threads=', files: { 'nginx.conf': `thread_pool a max_queue=10;\n${main('')}` }, findings: [{ path: 'nginx.conf', line: 1, message: /^"thread_pool" must have "threads" parameter/ }] },
  ],
});

ruleTests('nginx/invalid-value', {
  valid: [
    {
      name: 'caches, temp paths and buffered logs as their handlers take them',
      files: {
        'nginx.conf': main(
          '    proxy_cache_path cache levels=1:2 keys_zone=pages:10m inactive=1h max_size=1g use_temp_path=off;\n    proxy_temp_path temp 1 2;\n' +
            '    open_file_cache max=1000 inactive=20s;\n    ssl_session_cache builtin:1000 shared:tls:1m;\n    ssl_protocols tlsv1.2;\n' +
            '    access_log /var/log/nginx/access.log combined buffer=32k flush=5s;\n    proxy_cache_valid 200 302 10m;\n    proxy_cookie_path /one/ /two/;\n',
        ),
      },
    },
  ],
  invalid: [
    { name: 'cache levels of 3 characters', files: { 'nginx.conf': main('    proxy_cache_path cache keys_zone=pages:10m levels=1:3;\n') }, findings: [{ path: 'nginx.conf', line: 3, message: /^invalid "levels" "levels=1:3"/ }] },
    { name: 'a cache path without keys_zone', files: { 'nginx.conf': main('    fastcgi_cache_path cache levels=1:2;\n') }, findings: [{ path: 'nginx.conf', line: 3, message: /^"fastcgi_cache_path" must have "keys_zone" parameter/ }] },
    { name: 'a keys zone below two pages', files: { 'nginx.conf': main('    proxy_cache_path cache keys_zone=pages:4k;\n') }, findings: [{ path: 'nginx.conf', line: 3, message: /^keys zone "keys_zone=pages:4k" is too small/ }] },
    { name: 'a status code out of range in proxy_cache_valid', files: { 'nginx.conf': main('    proxy_cache_valid 200 99 10m;\n') }, findings: [{ path: 'nginx.conf', line: 3, message: /^invalid status "99"/ }] },
    { name: 'open_file_cache without max=', files: { 'nginx.conf': main('    open_file_cache inactive=20s;\n') }, findings: [{ path: 'nginx.conf', line: 3, message: /^"open_file_cache" must have the "max" parameter/ }] },
    { name: 'a shared SSL session cache below 32k', files: { 'nginx.conf': main('    ssl_session_cache shared:tls:16k;\n') }, findings: [{ path: 'nginx.conf', line: 3, message: /^session cache "shared:tls:16k" is too small/ }] },
    { name: 'proxy_cookie_path with one word other than off', files: { 'nginx.conf': main('    proxy_cookie_path /app/;\n') }, findings: [{ path: 'nginx.conf', line: 3, message: /^invalid parameter "\/app\/"/ }] },
    { name: 'temp path levels too long', files: { 'nginx.conf': main('    proxy_temp_path temp 4 4 4;\n') }, findings: [{ path: 'nginx.conf', line: 3, message: /^"proxy_temp_path" directive invalid value/ }] },
    { name: 'a buffered log named with variables', files: { 'nginx.conf': main('    access_log /var/log/nginx/$host.log combined gzip;\n') }, findings: [{ path: 'nginx.conf', line: 3, message: /^buffered logs cannot have variables in name/ }] },
    { name: 'flush= without a buffer', files: { 'nginx.conf': main('    access_log /var/log/nginx/access.log combined flush=5s;\n') }, findings: [{ path: 'nginx.conf', line: 3, message: /^no buffer is defined for access_log "\/var\/log\/nginx\/access\.log"/ }] },
    { name: 'one protocol nginx does not know', files: { 'nginx.conf': main('    ssl_protocols TLSv1.4;\n') }, findings: [{ path: 'nginx.conf', line: 3, message: /^invalid value "TLSv1\.4"/ }] },
    {
      name: 'fastcgi_pass naming no upstream block, without port',
      files: { 'nginx.conf': main('    upstream php-fpm {\n        server 127.0.0.1:9000;\n    }\n    server {\n        listen 127.0.0.1:8080;\n        location / {\n            fastcgi_pass php_fpm;\n        }\n    }\n') },
      findings: [{ path: 'nginx.conf', line: 9, message: /^no port in upstream "php_fpm"/ }],
    },
    {
      name: 'two upstream blocks of one name, case aside',
      files: { 'nginx.conf': main('    upstream Backend {\n        server 127.0.0.1:9000;\n    }\n    upstream backend {\n        server 127.0.0.1:9001;\n    }\n') },
      findings: [{ path: 'nginx.conf', line: 6, message: /^duplicate upstream "backend"/ }],
    },
    { name: 'a CPU mask with a letter', files: { 'nginx.conf': `worker_cpu_affinity 0101 01x1;\n${main('')}` }, findings: [{ path: 'nginx.conf', line: 1, message: /^invalid character "x" in "worker_cpu_affinity"/ }] },
    { name: 'root after alias', files: { 'nginx.conf': server('        location /s/ {\n            alias /srv/s/;\n            root /srv;\n        }\n') }, findings: [{ path: 'nginx.conf', line: 7, message: /^"root" directive is duplicate, "alias" directive was specified earlier/ }] },
    { name: 'proxy_redirect default before proxy_pass', files: { 'nginx.conf': server('        location / {\n            proxy_redirect default;\n            proxy_pass http://127.0.0.1:9000;\n        }\n') }, findings: [{ path: 'nginx.conf', line: 6, message: /^"proxy_redirect default" should be placed after the "proxy_pass" directive/ }] },
    { name: 'a header proxy_ignore_headers does not know', files: { 'nginx.conf': main('    proxy_ignore_headers Expires X-Powered-By;\n') }, findings: [{ path: 'nginx.conf', line: 3, message: /^invalid value "X-Powered-By"/ }] },
    { name: 'two limit_except blocks', files: { 'nginx.conf': server('        location / {\n            limit_except GET { deny all; }\n            limit_except POST { deny all; }\n        }\n') }, findings: [{ path: 'nginx.conf', line: 7, message: /^"limit_except" directive is duplicate/ }] },
    { name: 'proxy_bind with a host name', files: { 'nginx.conf': main('    proxy_bind localhost;\n') }, findings: [{ path: 'nginx.conf', line: 3, message: /^invalid address "localhost"/ }] },
    { name: 'disable_symlinks from= with off', files: { 'nginx.conf': main('    disable_symlinks off from=$document_root;\n') }, findings: [{ path: 'nginx.conf', line: 3, message: /^"from=" cannot be used with "off" parameter/ }] },
  ],
});

const mail = (body: string) => `load_module /usr/lib/nginx/modules/ngx_mail_module.so;\nevents {}\nmail {\n${body}}\n`;

ruleTests('nginx/incomplete-mail-server', {
  valid: [
    { name: 'auth_http of the mail block, protocols from a line or a port', files: { 'nginx.conf': mail('    auth_http 127.0.0.1:9000/auth;\n    server {\n        listen 127.0.0.1:1025;\n        protocol smtp;\n    }\n    server {\n        listen 127.0.0.1:993 ssl;\n    }\n') } },
  ],
  invalid: [
    {
      name: 'a server without listen',
      files: { 'nginx.conf': mail('    auth_http 127.0.0.1:9000/auth;\n    server {\n        protocol imap;\n    }\n') },
      findings: [{ path: 'nginx.conf', line: 5, message: /^no "listen" is defined for this mail server\.$/ }],
    },
    {
      name: 'no protocol and no auth_http',
      files: { 'nginx.conf': mail('    server {\n        listen 127.0.0.1:1143;\n    }\n') },
      findings: [
        { path: 'nginx.conf', line: 4, message: /^unknown mail protocol for this server/ },
        { path: 'nginx.conf', line: 4, message: /^no "auth_http" is defined for this mail server\.$/ },
      ],
    },
  ],
});

ruleTests('nginx/certificate-without-key', {
  valid: [
    { name: 'the key from the http level', files: { 'nginx.conf': main('    ssl_certificate_key site.key;\n    server {\n        listen 127.0.0.1:8443 ssl;\n        ssl_certificate site.crt;\n    }\n') } },
    { name: 'a client certificate for an upstream reached over plain HTTP is not loaded', files: { 'nginx.conf': server('        location / {\n            proxy_ssl_certificate client.crt;\n            proxy_pass http://127.0.0.1:9000;\n        }\n') } },
    { name: 'proxy_ssl_certificate "" (none)', files: { 'nginx.conf': proxied('            proxy_ssl_certificate "";\n') } },
    { name: 'a mail server with starttls off sets up no TLS', files: { 'nginx.conf': mailConf('    starttls on;\n    ssl_certificate a.crt;\n    server {\n        listen 9143;\n        protocol imap;\n        starttls off;\n    }\n') } },
    { name: 'before 1.25.5, a stream server without listen ... ssl does not load its certificate', files: { 'nginx.conf': streamConf('    server {\n        listen 9000;\n        ssl_certificate a.crt;\n        proxy_pass 127.0.0.1:9100;\n    }\n'), '.kasmlintrc.json': '{ "nginxVersion": "1.22.1" }' } },
  ],
  invalid: [
    {
      name: 'two certificates, one key: the last certificate is named',
      files: { 'nginx.conf': main('    ssl_certificate_key site.key;\n    server {\n        listen 127.0.0.1:8443 ssl;\n        ssl_certificate site-rsa.crt;\n        ssl_certificate site-ecdsa.crt;\n    }\n') },
      findings: [{ path: 'nginx.conf', line: 7, message: /^no "ssl_certificate_key" is defined for certificate "site-ecdsa\.crt"\.$/ }],
    },
    {
      name: 'an http-level certificate without key, in effect in two servers: reported once',
      files: { 'nginx.conf': main('    ssl_certificate site.crt;\n    server { listen 127.0.0.1:8443 ssl; }\n    server { listen 127.0.0.2:8443 ssl; }\n') },
      findings: [{ path: 'nginx.conf', line: 3 }],
    },
    {
      name: 'a client certificate for a suwsgi:// upstream without its key',
      files: { 'nginx.conf': server('        location / {\n            uwsgi_ssl_certificate client.crt;\n            uwsgi_pass suwsgi://127.0.0.1:9443;\n        }\n') },
      findings: [{ path: 'nginx.conf', line: 6, message: /^no "uwsgi_ssl_certificate_key" is defined for certificate "client\.crt"\.$/ }],
    },
    {
      name: 'a client certificate for an https upstream without its key',
      files: { 'nginx.conf': proxied('            proxy_ssl_certificate client.crt;\n') },
      findings: [{ path: 'nginx.conf', line: 6, message: /^no "proxy_ssl_certificate_key" is defined for certificate "client\.crt"\.$/ }],
    },
    {
      name: 'before 1.25.5, a stream server listening with ssl with a certificate and no key',
      files: { 'nginx.conf': streamConf('    server {\n        listen 9443 ssl;\n        ssl_certificate a.crt;\n        proxy_pass 127.0.0.1:9100;\n    }\n'), '.kasmlintrc.json': '{ "nginxVersion": "1.22.1" }' },
      findings: [{ path: 'nginx.conf', line: 6, message: /^no "ssl_certificate_key" is defined for the "listen \.\.\. ssl" directive\.$/ }],
    },
    {
      name: 'before 1.25.5, two certificates and one key in a stream server listening with ssl',
      files: { 'nginx.conf': streamConf('    ssl_certificate_key a.key;\n    server {\n        listen 9443 ssl;\n        ssl_certificate a.crt;\n        ssl_certificate b.crt;\n        proxy_pass 127.0.0.1:9100;\n    }\n'), '.kasmlintrc.json': '{ "nginxVersion": "1.22.1" }' },
      findings: [{ path: 'nginx.conf', line: 8, message: /^no "ssl_certificate_key" is defined for certificate "b\.crt" \(a "listen \.\.\. ssl" server\)\.$/ }],
    },
    {
      name: 'a mail server listening with ssl, with the mail level\'s certificate and no key',
      files: { 'nginx.conf': mailConf('    ssl_certificate a.crt;\n    server {\n        listen 9993 ssl;\n        protocol imap;\n    }\n') },
      findings: [{ path: 'nginx.conf', line: 5, message: /^no "ssl_certificate_key" is defined for the "listen \.\.\. ssl" directive\.$/ }],
    },
    {
      name: 'since 1.25.5, every stream server with a certificate, as in http',
      files: { 'nginx.conf': streamConf('    server {\n        listen 9000;\n        ssl_certificate a.crt;\n        proxy_pass 127.0.0.1:9100;\n    }\n'), '.kasmlintrc.json': '{ "nginxVersion": "1.27.0" }' },
      findings: [{ path: 'nginx.conf', line: 6, message: /^no "ssl_certificate_key" is defined for certificate "a\.crt"\.$/ }],
    },
    {
      name: 'a stream server proxying over TLS with a client certificate and no key ("" counts in stream)',
      files: { 'nginx.conf': streamConf('    server {\n        listen 9000;\n        proxy_ssl on;\n        proxy_ssl_certificate "";\n        proxy_pass 127.0.0.1:9100;\n    }\n') },
      findings: [{ path: 'nginx.conf', line: 7, message: /^no "proxy_ssl_certificate_key" is defined for certificate ""\.$/ }],
    },
  ],
});

ruleTests('nginx/stream-server-without-listen', {
  valid: [{ name: 'a stream server with its listen', files: { 'nginx.conf': streamConf('    server {\n        listen 9000;\n        proxy_pass 127.0.0.1:9100;\n    }\n') } }],
  invalid: [
    {
      name: 'a stream server without listen: nginx names its line',
      files: { 'nginx.conf': streamConf('    server {\n        listen 9000;\n        proxy_pass 127.0.0.1:9100;\n    }\n    server {\n        proxy_pass 127.0.0.1:9200;\n    }\n') },
      findings: [{ path: 'nginx.conf', line: 8, message: /^no "listen" is defined for this stream server\.$/ }],
    },
  ],
});

ruleTests('nginx/verify-without-ca', {
  valid: [
    { name: 'verification with the CA certificates', files: { 'nginx.conf': proxied('            proxy_ssl_verify on;\n            proxy_ssl_trusted_certificate /etc/ssl/certs/ca-certificates.crt;\n') } },
    { name: 'proxy_ssl_verify on for a plain-HTTP upstream sets up no TLS', files: { 'nginx.conf': server('        location / {\n            proxy_ssl_verify on;\n            proxy_pass http://127.0.0.1:9000;\n        }\n') } },
    { name: 'optional_no_ca needs no CA certificates', files: { 'nginx.conf': main('    server {\n        listen 127.0.0.1:8443 ssl;\n        ssl_certificate a.crt;\n        ssl_certificate_key a.key;\n        ssl_verify_client optional_no_ca;\n    }\n') } },
    { name: 'ssl_verify_client in a server without a certificate (nothing set up)', files: { 'nginx.conf': server('        ssl_verify_client on;\n') } },
    { name: 'a stream server verifying its upstream without proxy_ssl on sets up no TLS to it', files: { 'nginx.conf': streamConf('    server {\n        listen 9000;\n        proxy_ssl_verify on;\n        proxy_pass 127.0.0.1:9100;\n    }\n') } },
    { name: 'since 1.27.2, ssl_trusted_certificate alone for client verification', files: { 'nginx.conf': server('        ssl_certificate a.crt;\n        ssl_certificate_key a.key;\n        ssl_trusted_certificate ca.crt;\n        ssl_verify_client on;\n'), '.kasmlintrc.json': '{ "nginxVersion": "1.27.2" }' } },
  ],
  invalid: [
    {
      name: 'proxy_ssl_verify on alone: the fix adds the system CA bundle',
      files: { 'nginx.conf': proxied('            proxy_ssl_verify on;\n') },
      findings: [{ path: 'nginx.conf', line: 6, message: /^no proxy_ssl_trusted_certificate for proxy_ssl_verify\.$/, detail: /CA certificates/ }],
      output: { 'nginx.conf': proxied('            proxy_ssl_verify on;\n            proxy_ssl_trusted_certificate /etc/ssl/certs/ca-certificates.crt;\n') },
      nginxAcceptsOutput: true,
    },
    {
      name: 'grpc_ssl_verify on for a grpcs:// upstream: the fix adds the CA bundle as a grpc line',
      files: { 'nginx.conf': server('        location / {\n            grpc_ssl_verify on;\n            grpc_pass grpcs://127.0.0.1:9443;\n        }\n') },
      findings: [{ path: 'nginx.conf', line: 6, message: /^no grpc_ssl_trusted_certificate for grpc_ssl_verify\.$/ }],
      output: { 'nginx.conf': server('        location / {\n            grpc_ssl_verify on;\n            grpc_ssl_trusted_certificate /etc/ssl/certs/ca-certificates.crt;\n            grpc_pass grpcs://127.0.0.1:9443;\n        }\n') },
      nginxAcceptsOutput: true,
    },
    {
      name: 'ssl_verify_client on in a server with a certificate',
      files: { 'nginx.conf': main('    server {\n        listen 127.0.0.1:8443 ssl;\n        ssl_certificate a.crt;\n        ssl_certificate_key a.key;\n        ssl_verify_client on;\n    }\n') },
      findings: [{ path: 'nginx.conf', line: 7, message: /^no ssl_client_certificate for ssl_verify_client\.$/ }],
    },
    {
      name: 'a stream server proxying over TLS (proxy_ssl on from the stream level) verifies without trusted certificates',
      files: { 'nginx.conf': streamConf('    proxy_ssl on;\n    server {\n        listen 9000;\n        proxy_ssl_verify on;\n        proxy_pass 127.0.0.1:9100;\n    }\n') },
      findings: [{ path: 'nginx.conf', line: 7, message: /^no proxy_ssl_trusted_certificate for proxy_ssl_verify\.$/ }],
      output: { 'nginx.conf': streamConf('    proxy_ssl on;\n    server {\n        listen 9000;\n        proxy_ssl_verify on;\n        proxy_ssl_trusted_certificate /etc/ssl/certs/ca-certificates.crt;\n        proxy_pass 127.0.0.1:9100;\n    }\n') },
      nginxAcceptsOutput: true,
    },
    {
      name: 'a stream server listening with ssl verifies clients without their CA',
      files: { 'nginx.conf': streamConf('    server {\n        listen 9443 ssl;\n        ssl_certificate $ssl_server_name.crt;\n        ssl_certificate_key $ssl_server_name.key;\n        ssl_verify_client on;\n        proxy_pass 127.0.0.1:9100;\n    }\n') },
      findings: [{ path: 'nginx.conf', line: 8, message: /^no ssl_client_certificate for ssl_verify_client\.$/ }],
    },
    {
      name: 'since 1.27.2, trusted certificates do for client verification, and nginx says so',
      files: {
        'nginx.conf': server('        ssl_certificate $ssl_server_name.crt;\n        ssl_certificate_key $ssl_server_name.key;\n        ssl_verify_client optional;\n'),
        '.kasmlintrc.json': '{ "nginxVersion": "1.27.2" }',
      },
      findings: [{ path: 'nginx.conf', line: 7, message: /^no ssl_client_certificate or ssl_trusted_certificate for ssl_verify_client\.$/ }],
    },
  ],
});


ruleTests('nginx/stream-without-handler', {
  valid: [
    { name: 'proxy_pass and return', files: { 'nginx.conf': streamConf('    server {\n        listen 127.0.0.1:9000;\n        proxy_pass 127.0.0.1:9001;\n    }\n    server {\n        listen 127.0.0.1:9002;\n        return "bye";\n    }\n') } },
    { name: 'a directive of a module kasmlint does not know may be the handler', files: { 'nginx.conf': streamConf('    server {\n        listen 127.0.0.1:9000;\n        some_module_handler on;\n    }\n') } },
  ],
  invalid: [
    {
      name: 'a server with its listen only',
      files: { 'nginx.conf': streamConf('    server {\n        listen 127.0.0.1:9000;\n    }\n') },
      findings: [{ path: 'nginx.conf', line: 4, message: /^no handler for server: this stream server has no proxy_pass or return\.$/ }],
    },
  ],
});

ruleTests('nginx/referers-without-host', {
  valid: [
    { name: 'none with hosts, and server_names', files: { 'nginx.conf': server('        location /a/ { valid_referers none blocked example.com *.example.com; return 204; }\n        location /b/ { valid_referers blocked server_names; return 204; }\n') } },
  ],
  invalid: [
    {
      name: 'none and a regex: regexes are not hosts',
      files: { 'nginx.conf': server('        location / {\n            valid_referers none ~\\.example\\.com;\n            return 204;\n        }\n') },
      findings: [{ path: 'nginx.conf', line: 6, message: /^the "none" or "blocked" referers are specified in the "valid_referers" directive without any valid referer\.$/ }],
    },
  ],
});

ruleTests('nginx/upstream-only-backup', {
  valid: [{ name: 'an active server besides the backup', files: { 'nginx.conf': main('    upstream app {\n        server 127.0.0.1:9000 down;\n        server 127.0.0.1:9001 backup;\n    }\n') } }],
  invalid: [
    {
      name: 'every server a backup',
      files: { 'nginx.conf': main('    upstream app {\n        server 127.0.0.1:9001 backup;\n        server 127.0.0.1:9002 backup;\n    }\n') },
      findings: [{ path: 'nginx.conf', line: 3, message: /^no servers in upstream "app": every server of it is a backup\.$/ }],
    },
    {
      name: 'a stream upstream of backups',
      files: { 'nginx.conf': stream('').replace('    server {', '    upstream pool {\n        server 127.0.0.1:9002 backup;\n    }\n    server {') },
      findings: [{ path: 'nginx.conf', line: 3, message: /^no servers in upstream "pool": every server of it is a backup\.$/ }],
    },
    {
      name: 'named by a proxy_pass before its block (nginx names that line)',
      files: { 'nginx.conf': main('    server {\n        listen 127.0.0.1:8080;\n        location / { proxy_pass http://App; }\n    }\n    upstream app {\n        server 127.0.0.1:9001 backup;\n    }\n') },
      findings: [{ path: 'nginx.conf', line: 7 }],
    },
  ],
});

ruleTests('nginx/duplicate-cache-path', {
  valid: [
    { name: 'a folder each', files: { 'nginx.conf': main('    proxy_cache_path /var/cache/nginx/pages keys_zone=pages:1m;\n    proxy_cache_path /var/cache/nginx/api keys_zone=api:1m;\n') } },
    { name: 'an absolute folder with a last "/" is another name to nginx', files: { 'nginx.conf': main('    proxy_cache_path /var/cache/nginx/a keys_zone=pages:1m;\n    proxy_cache_path /var/cache/nginx/a/ keys_zone=api:1m;\n') } },
  ],
  invalid: [
    {
      name: 'a relative folder loses its last "/"',
      files: { 'nginx.conf': main('    proxy_cache_path cache/ keys_zone=pages:1m;\n    uwsgi_cache_path cache keys_zone=app:1m;\n') },
      findings: [{ path: 'nginx.conf', line: 4, message: /^uwsgi_cache_path uses the folder "cache", which the proxy_cache_path at nginx\.conf:3 already uses\.$/ }],
    },
    {
      name: 'a relative folder written twice',
      files: { 'nginx.conf': main('    proxy_cache_path cache keys_zone=pages:1m;\n    fastcgi_cache_path cache keys_zone=php:1m;\n') },
      findings: [{ path: 'nginx.conf', line: 4, message: /^fastcgi_cache_path uses the folder "cache", which the proxy_cache_path at nginx\.conf:3 already uses\.$/ }],
    },
  ],
});

ruleTests('nginx/temp-path-conflict', {
  valid: [
    { name: 'temp paths sharing a folder with the same levels', files: { 'nginx.conf': main('    proxy_temp_path temp 1 2;\n    fastcgi_temp_path temp 1 2;\n    proxy_cache_path cache keys_zone=pages:1m;\n') } },
    { name: 'an absolute folder with a last "/" is another name to nginx', files: { 'nginx.conf': main('    proxy_cache_path /var/cache/nginx/a keys_zone=pages:1m;\n    proxy_temp_path /var/cache/nginx/a/;\n') } },
    { name: 'two cache paths are the other rule\'s', files: { 'nginx.conf': main('    proxy_cache_path cache keys_zone=pages:1m;\n    fastcgi_cache_path cache keys_zone=php:1m;\n') } },
  ],
  invalid: [
    {
      name: 'the temp files of a location in the cache folder',
      files: { 'nginx.conf': main('    proxy_cache_path cache keys_zone=pages:1m;\n    server {\n        listen 127.0.0.1:8080;\n        location / {\n            proxy_temp_path cache;\n        }\n    }\n') },
      findings: [{ path: 'nginx.conf', line: 7, message: /^proxy_temp_path uses the folder "cache", which the proxy_cache_path at nginx\.conf:3 already uses\.$/ }],
    },
    {
      name: 'a cache path on the folder of an earlier temp path',
      files: { 'nginx.conf': main('    client_body_temp_path body;\n    proxy_cache_path body keys_zone=pages:1m;\n') },
      findings: [{ path: 'nginx.conf', line: 4, message: /^proxy_cache_path uses the folder "body", which the client_body_temp_path at nginx\.conf:3 already uses\.$/ }],
    },
    {
      name: 'one temp path at two levels of the configuration, with other levels',
      files: { 'nginx.conf': main('    client_body_temp_path body;\n    server {\n        listen 127.0.0.1:8080;\n        client_body_temp_path body 2;\n    }\n') },
      findings: [{ path: 'nginx.conf', line: 6, message: /^client_body_temp_path gives "body" levels 2; the client_body_temp_path at nginx\.conf:3 gives it none\.$/ }],
    },
  ],
});

ruleTests('nginx/buffer-sizes', {
  valid: [
    {
      name: 'buffers tuned up together, and proxying unbuffered',
      files: { 'nginx.conf': main('    proxy_buffer_size 128k;\n    proxy_buffers 4 256k;\n    proxy_busy_buffers_size 256k;\n    server {\n        listen 127.0.0.1:8080;\n        location / {\n            proxy_buffering off;\n            proxy_pass http://127.0.0.1:9000;\n        }\n    }\n') },
    },
    { name: 'nginx\'s defaults, and a fragment (its http block is elsewhere)', files: { 'nginx.conf': server('        location / { proxy_pass http://127.0.0.1:9000; }\n'), 'site/a.conf': 'location / {\n    proxy_buffers 2 1k;\n}\n' } },
  ],
  invalid: [
    {
      name: 'smaller proxy_buffers under the default proxy_busy_buffers_size, shown on them, named by nginx at the end of http',
      files: { 'nginx.conf': server('        location / {\n            proxy_buffers 4 2k;\n            proxy_pass http://127.0.0.1:9000;\n        }\n') },
      findings: [{ path: 'nginx.conf', line: 6, message: /^"proxy_busy_buffers_size" must be less than the size of all "proxy_buffers" minus one buffer\.$/, detail: /line 10 of nginx\.conf/ }],
    },
    {
      name: 'a larger proxy_buffer_size at http level, inherited by an included server',
      files: { 'nginx.conf': main('    proxy_buffer_size 64k;\n    include site.conf;\n'), 'site.conf': 'server {\n    listen 127.0.0.1:8080;\n    location / {\n        proxy_buffers 8 4k;\n        proxy_pass http://127.0.0.1:9000;\n    }\n}\n' },
      // the server's own level fails with nginx's default buffers, the location with its own
      findings: [
        { path: 'nginx.conf', line: 3, message: /^"proxy_busy_buffers_size" must be less than the size of all "proxy_buffers" minus one buffer\.$/ },
        { path: 'site.conf', line: 4, message: /^"proxy_busy_buffers_size" must be less than the size of all "proxy_buffers" minus one buffer\.$/ },
      ],
    },
    {
      name: 'in a Kasm tree, named where the image\'s nginx.conf ends its http block',
      files: { 'orchestrator.conf': 'server {\n    listen 8443;\n    include /etc/nginx/conf.d/services.d/*.conf;\n}\n', 'services.d/a.conf': 'location /a {\n    proxy_buffer_size 128k;\n    proxy_buffers 4 64k;\n    proxy_pass http://127.0.0.1:9000;\n}\n' },
      findings: [{ path: 'services.d/a.conf', line: 3, message: /^"proxy_busy_buffers_size" must be less than the size of all "proxy_buffers" minus one buffer\.$/, detail: /the image's nginx\.conf.*kasm_proxy does not start/s }],
    },
    {
      name: 'connection_pool_size over the large header buffers',
      files: { 'nginx.conf': main('    connection_pool_size 16k;\n    server {\n        listen 127.0.0.1:8080;\n    }\n') },
      findings: [{ path: 'nginx.conf', line: 3, message: /^the "large_client_header_buffers" size must be equal to or greater than "connection_pool_size"\.$/ }],
    },
    {
      name: 'one fastcgi buffer',
      files: { 'nginx.conf': server('        location ~ \\.php$ {\n            fastcgi_buffers 1 16k;\n            fastcgi_pass 127.0.0.1:9000;\n        }\n') },
      findings: [{ path: 'nginx.conf', line: 6, message: /^there must be at least 2 "fastcgi_buffers"\.$/ }],
    },
  ],
});

const longName = 'workspaces-streaming-gateway.eu-west.internal.example.com'; // 57 bytes: an entry of 72, over a 64-byte bucket's 56
/** Names that spread as real host names do (ngx_hash_key of names differing only in a counter falls in distinct buckets). */
const hostName = (i: number) => {
  let label = `h${i}-`;
  while (label.length < 8) label += String.fromCharCode(97 + ((i * 7 + label.length) % 26));
  return `${label}.example.com`;
};
const longHeader = 'X-Forwarded-Client-Certificate-Subject-Distinguished-Name'; // 57 bytes
const twoServers = (first: string, second = 'admin.example.com', listen = '127.0.0.1:8080') =>
  `    server {\n        listen ${listen};\n        server_name ${first};\n    }\n    server {\n        listen ${listen};\n        server_name ${second};\n    }\n`;

ruleTests('nginx/hash-size', {
  valid: [
    { name: 'a long name alone on its address: nginx builds no hash there', files: { 'nginx.conf': main(`    server {\n        listen 127.0.0.1:8080;\n        server_name ${longName};\n    }\n    server {\n        listen 127.0.0.1:8081;\n        server_name b.example.com;\n    }\n`) } },
    { name: 'a long name with a bucket size that holds it, set after the servers', files: { 'nginx.conf': main(`${twoServers(longName)}    server_names_hash_bucket_size 128;\n`) } },
    { name: 'a long wildcard name of short labels (stored label by label)', files: { 'nginx.conf': main(twoServers('*.aaaaaaaaaa.bbbbbbbbbb.cccccccccc.dddddddddd.eeeeeeeeee.example.com')) } },
    { name: 'a long regex name (not in the hash)', files: { 'nginx.conf': main(twoServers(`~^${longName.replaceAll('.', '\\.')}$`)) } },
    { name: 'a long map key with hostnames: its labels are short', files: { 'nginx.conf': main(`    map $host $x {\n        hostnames;\n        default 0;\n        .${longName} 1;\n    }\n    server {\n        listen 8080;\n        return 200 $x;\n    }\n`) } },
    { name: 'a variable name of 46 bytes, and named captures (PCRE2 keeps them short)', files: { 'nginx.conf': server(`        set $${'v'.repeat(46)} 1;\n        location ~ ^/(?<section>[a-z]+)/ {\n            return 200 $section$${'v'.repeat(46)};\n        }\n`) } },
    {
      name: 'long header names nginx never hashes: proxy_pass_header, a param not named HTTP_, and http-level lines with no server',
      files: { 'nginx.conf': main(`    proxy_set_header ${longHeader} 1;\n`), 'site/a.conf': `location / {\n    proxy_pass_header ${longHeader};\n    fastcgi_param X_${'A'.repeat(60)} 1;\n}\n` },
    },
    { name: 'a location setting proxy_headers_hash_max_size 0 and no header of its own shares its server\'s hash', files: { 'nginx.conf': server('        location / {\n            proxy_headers_hash_max_size 0;\n        }\n') } },
    { name: 'a map of only a default under map_hash_max_size 0: nginx builds no hash', files: { 'nginx.conf': main(`    map_hash_max_size 0;\n    map $uri $x {\n        default 0;\n    }\n    server {\n        listen 8080;\n        return 200 $x;\n    }\n`) } },
  ],
  invalid: [
    {
      name: 'two servers on one address, one name too long for the default bucket: the fix sets the bucket size above the first server',
      files: { 'nginx.conf': main(twoServers(longName)) },
      findings: [{ path: 'nginx.conf', line: 5, message: /^could not build server_names_hash, you should increase server_names_hash_bucket_size: 64\.$/, detail: /buckets hold 56 bytes.*\(57 bytes\) makes an entry of 72/s }],
      output: { 'nginx.conf': main(`    server_names_hash_bucket_size 128;\n\n${twoServers(longName)}`) },
      nginxAcceptsOutput: true,
    },
    {
      name: 'servers without listen share *:80; the bucket size line already written is raised',
      files: { 'nginx.conf': main(`    server_names_hash_bucket_size 32;\n    server {\n        server_name ${'a'.repeat(50)}.example.com;\n    }\n    server {\n        server_name b;\n    }\n`) },
      findings: [{ path: 'nginx.conf', line: 5, message: /^could not build server_names_hash, you should increase server_names_hash_bucket_size: 64\.$/ }],
      output: { 'nginx.conf': main(`    server_names_hash_bucket_size 128;\n    server {\n        server_name ${'a'.repeat(50)}.example.com;\n    }\n    server {\n        server_name b;\n    }\n`) },
      nginxAcceptsOutput: true,
    },
    {
      name: 'a long map key',
      files: { 'nginx.conf': main(`    map $uri $x {\n        default 0;\n        /${'a'.repeat(60)} 1;\n    }\n    server {\n        listen 8080;\n        return 200 $x;\n    }\n`) },
      findings: [{ path: 'nginx.conf', line: 5, message: /^could not build map_hash, you should increase map_hash_bucket_size: 64\.$/ }],
      output: { 'nginx.conf': main(`    map_hash_bucket_size 128;\n\n    map $uri $x {\n        default 0;\n        /${'a'.repeat(60)} 1;\n    }\n    server {\n        listen 8080;\n        return 200 $x;\n    }\n`) },
      nginxAcceptsOutput: true,
    },
    {
      name: 'a zero max_size and a bucket over 64k',
      files: { 'nginx.conf': main(`    server_names_hash_max_size 0;\n    map_hash_bucket_size 70000;\n    map $uri $x {\n        default 0;\n        /a 1;\n    }\n${twoServers('a.example.com')}`) },
      findings: [
        { path: 'nginx.conf', line: 3, message: /^could not build server_names_hash, you should increase server_names_hash_max_size: 0\.$/ },
        { path: 'nginx.conf', line: 4, message: /^could not build map_hash, too large map_hash_bucket_size: 70016\.$/ },
      ],
    },
    {
      name: 'a wildcard nginx files only when servers share the address',
      files: { 'nginx.conf': main(twoServers('a.*.example.com')) },
      findings: [{ path: 'nginx.conf', line: 5, message: /^invalid server name or wildcard "a\.\*\.example\.com" on 127\.0\.0\.1:8080\.$/ }],
    },
    {
      name: 'more names than 512 buckets of 64 bytes hold: nginx -t warns; the fix doubles the bucket size',
      files: { 'nginx.conf': main(`    server {\n        listen 8080;\n        server_name ${Array.from({ length: 150 }, (_, i) => hostName(i)).join(' ')};\n    }\n    server {\n        listen 8080;\n        server_name other;\n    }\n    server_names_hash_bucket_size 64;\n`) },
      findings: [{ path: 'nginx.conf', line: 11, severity: 'warning', message: /^nginx -t warns: could not build optimal server_names_hash, you should increase either server_names_hash_max_size: 512 or server_names_hash_bucket_size: 64; ignoring server_names_hash_bucket_size\.$/ }],
      output: { 'nginx.conf': main(`    server {\n        listen 8080;\n        server_name ${Array.from({ length: 150 }, (_, i) => hostName(i)).join(' ')};\n    }\n    server {\n        listen 8080;\n        server_name other;\n    }\n    server_names_hash_bucket_size 128;\n`) },
      nginxAcceptsOutput: true,
    },
    {
      name: 'a variable name too long for the variables hash, set in a location: the setting goes above its server',
      files: { 'nginx.conf': server(`        location / {\n            set $${'v'.repeat(47)} 1;\n            return 200 $${'v'.repeat(47)};\n        }\n`) },
      findings: [{ path: 'nginx.conf', line: 6, message: /^could not build variables_hash, you should increase variables_hash_bucket_size: 64\.$/ }],
      output: { 'nginx.conf': main(`    variables_hash_bucket_size 128;\n\n    server {\n        listen 127.0.0.1:8080;\n        location / {\n            set $${'v'.repeat(47)} 1;\n            return 200 $${'v'.repeat(47)};\n        }\n    }\n`) },
      nginxAcceptsOutput: true,
    },
    {
      name: 'a proxy_set_header name too long for the headers hash, in a location: the bucket size is set there',
      files: { 'nginx.conf': server(`        location / {\n            proxy_set_header ${longHeader} 1;\n            proxy_pass http://127.0.0.1:9000;\n        }\n`) },
      findings: [{ path: 'nginx.conf', line: 6, message: /^could not build proxy_headers_hash, you should increase proxy_headers_hash_bucket_size: 64\.$/ }],
      output: { 'nginx.conf': server(`        location / {\n            proxy_set_header ${longHeader} 1;\n            proxy_headers_hash_bucket_size 128;\n            proxy_pass http://127.0.0.1:9000;\n        }\n`) },
      nginxAcceptsOutput: true,
    },
    {
      name: 'a long header name at http level is built with the first server\'s sizes; grpc\'s hashes have no size to set',
      files: { 'nginx.conf': main(`    proxy_set_header ${longHeader} 1;\n    server {\n        listen 127.0.0.1:8080;\n        proxy_headers_hash_bucket_size 32;\n        location / {\n            grpc_hide_header ${longHeader};\n        }\n    }\n`) },
      findings: [
        { path: 'nginx.conf', line: 3, message: /^could not build proxy_headers_hash, you should increase proxy_headers_hash_bucket_size: 64\.$/ },
        { path: 'nginx.conf', line: 8, message: /^could not build grpc_headers_hash, you should increase grpc_headers_hash_bucket_size: 64\.$/ },
      ],
      output: { 'nginx.conf': main(`    proxy_set_header ${longHeader} 1;\n    server {\n        listen 127.0.0.1:8080;\n        proxy_headers_hash_bucket_size 128;\n        location / {\n            grpc_hide_header ${longHeader};\n        }\n    }\n`) },
    },
    {
      name: 'in a Kasm tree, a second server with a long name in orchestrator.conf',
      files: { 'orchestrator.conf': `server {\n    listen 8443;\n    server_name ${longName};\n    include /etc/nginx/conf.d/services.d/*.conf;\n}\nserver {\n    listen 8443;\n    server_name kasm.example.com;\n}\n`, 'services.d/a.conf': 'location /a {\n    return 204;\n}\n' },
      findings: [{ path: 'orchestrator.conf', line: 3, detail: /kasm_proxy does not start/ }],
      output: { 'orchestrator.conf': `server_names_hash_bucket_size 128;\n\nserver {\n    listen 8443;\n    server_name ${longName};\n    include /etc/nginx/conf.d/services.d/*.conf;\n}\nserver {\n    listen 8443;\n    server_name kasm.example.com;\n}\n` },
    },
    {
      name: 'an extension of a types block too long for its bucket',
      files: { 'nginx.conf': main('    types {\n        text/html html;\n        application/x-generated xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx;\n    }\n    server {\n        listen 127.0.0.1:8080;\n    }\n') },
      findings: [{ path: 'nginx.conf', line: 5, message: /^could not build types_hash, you should increase types_hash_bucket_size: 64\.$/ }],
      output: { 'nginx.conf': main('    types_hash_bucket_size 128;\n\n    types {\n        text/html html;\n        application/x-generated xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx;\n    }\n    server {\n        listen 127.0.0.1:8080;\n    }\n') },
      nginxAcceptsOutput: true,
    },
  ],
});

everyMessageProduced(['nginx/buffer-sizes', 'nginx/hash-size', 'nginx/missing-brace', 'nginx/missing-semicolon', 'nginx/unknown-variable', 'nginx/invalid-value', 'nginx/invalid-regex', 'nginx/duplicate-listen', 'nginx/ssl-without-certificate', 'nginx/missing-events', 'nginx/too-few-worker-connections', 'nginx/unknown-cache-zone', 'nginx/certificate-without-key', 'nginx/verify-without-ca', 'nginx/stream-without-handler', 'nginx/stream-server-without-listen', 'nginx/referers-without-host', 'nginx/upstream-only-backup', 'nginx/duplicate-cache-path', 'nginx/unknown-thread-pool', 'nginx/temp-path-conflict', 'nginx/incomplete-mail-server']);
