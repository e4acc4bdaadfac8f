// Checks other nginx analysers make, read from nginx's semantics: a second Content-Type header, a root
// that publishes the system's files, and proxy buffering turned off where nothing streams.

import { location, site } from '../support/configs';
import { everyMessageProduced, ruleTests } from '../support/rule-tester';

ruleTests('headers/content-type', {
  valid: [
    {
      name: 'default_type; the type of a 204 (nginx sends none of its own); a header that only names Content-Type',
      files: {
        'nginx.conf': site([
          ...location('/robots.txt', ['default_type text/plain;', 'return 200 "User-agent: *\\n";']),
          ...location('/_options', ['add_header Access-Control-Allow-Headers "Content-Type, Range" always;', 'add_header Content-Type text/plain;', 'return 204;']),
          ...location('/empty', ['add_header Content-Type "";', 'return 200 "";']),
        ]),
      },
    },
    {
      name: "the upstream's type hidden first, at server level (inherited by the location)",
      files: { 'nginx.conf': site(['proxy_hide_header Content-Type;', ...location('/feed', ['add_header Content-Type application/rss+xml;', 'proxy_pass http://app;'])]) },
    },
  ],
  invalid: [
    {
      name: 'a return with a body: replaced by default_type, unsafely',
      files: { 'nginx.conf': site(location('/health', ['add_header Content-Type application/json;', 'return 200 \'{"ok":true}\';'])) },
      findings: [
        {
          path: 'nginx.conf',
          line: 13,
          severity: 'warning',
          message: /^add_header Content-Type sends a second Content-Type beside the one nginx sets\.$/,
          detail: /`default_type application\/json;`/,
        },
      ],
      output: { 'nginx.conf': site(location('/health', ['default_type application/json;', 'return 200 \'{"ok":true}\';'])) },
      nginxAcceptsOutput: true,
    },
    {
      name: 'a quoted value beside other headers, in a proxied location: the quotes are kept',
      files: { 'nginx.conf': site(location('/', ['add_header X-Frame-Options DENY;', "add_header 'Content-Type' 'text/html; charset=utf-8';", 'proxy_pass http://app;'])) },
      findings: [{ path: 'nginx.conf', line: 14 }],
      output: { 'nginx.conf': site(location('/', ['add_header X-Frame-Options DENY;', "default_type 'text/html; charset=utf-8';", 'proxy_pass http://app;'])) },
      nginxAcceptsOutput: true,
    },
    {
      name: 'no fix where removing the line would let the server\'s add_header lines in, or default_type is already set, or inside an if',
      files: {
        'nginx.conf': site([
          'add_header X-Frame-Options DENY;',
          ...location('/a', ['add_header content-type text/plain;', 'return 200 "a";']),
          ...location('/b', ['default_type text/html;', 'add_header X-A 1;', 'add_header Content-Type text/plain;', 'return 200 "b";']),
          ...location('/c', ['if ($arg_raw) {', '    add_header Content-Type text/plain;', '}', 'return 200 "c";']),
        ]),
      },
      findings: [
        { path: 'nginx.conf', line: 14 },
        { path: 'nginx.conf', line: 20 },
        { path: 'nginx.conf', line: 25 },
      ],
    },
  ],
});

ruleTests('location/root-exposure', {
  valid: [
    {
      name: 'web content below system directories; root / in a prefix location serves only that prefix; variables; relative paths',
      files: {
        'nginx.conf': site([
          'root /usr/share/nginx/html;',
          ...location('/www/', ['root /var;']),
          ...location('/static/', ['root /;']),
          ...location('/site/', ['alias /srv/www/;']),
          ...location('/tenant/', ['root /srv/$host;']),
          ...location('/rel/', ['root html;']),
          ...location('= /passwd', ['alias /etc/passwd;']),
          ...location('~ ^/one$', ['alias /etc/;']),
        ]),
      },
    },
    {
      name: 'a location ending with "/" and an alias that does not: /files/x maps to /etcx, not into /etc',
      files: { 'nginx.conf': site(location('/files/', ['alias /etc;'])) },
    },
  ],
  invalid: [
    {
      name: 'alias / and root / where every path reaches it (server level, location /, a regex location)',
      files: {
        'nginx.conf': site([
          ...location('/files/', ['alias /;', 'autoindex on;']),
          ...location('/', ['root /;']),
          ...location('~ \\.txt$', ['root //;']),
          ...location('/dl', ['alias /;']),
        ]),
      },
      findings: [
        { path: 'nginx.conf', line: 13, severity: 'error', message: /^alias \/ serves the whole file system: \/etc\/passwd and any file nginx can read\.$/ },
        { path: 'nginx.conf', line: 17, severity: 'error', message: /^root \/ serves/ },
        { path: 'nginx.conf', line: 20, message: /^root \/\/ serves the whole file system/ },
        { path: 'nginx.conf', line: 23, message: /^alias \/ serves/ },
      ],
    },
    {
      name: 'system directories: /etc, /home via a root and a prefix, /var/log, a subdirectory of /proc, /etc/nginx by "..", in an if',
      files: {
        'nginx.conf': site([
          'root /etc/;',
          ...location('/logs/', ['alias /var/log/;']),
          ...location('/home/', ['root /;', 'index index.html;']),
          ...location('/env/', ['alias /proc/self/;']),
          ...location('/conf/', ['alias /srv/../etc/nginx/;']),
          ...location('~ ^/t/', ['if ($arg_x) {', '    root /tmp;', '}']),
        ]),
      },
      findings: [
        { path: 'nginx.conf', line: 12, severity: 'warning', message: /^root \/etc\/ serves \/etc, a system directory, to clients\.$/, detail: /holds the system's files/ },
        { path: 'nginx.conf', line: 14, message: /^alias \/var\/log\/ serves \/var\/log,/ },
        { path: 'nginx.conf', line: 17, message: /^root \/ serves \/home, a system directory/ },
        { path: 'nginx.conf', line: 21, message: /serves \/proc\/self,/ },
        { path: 'nginx.conf', line: 24, message: /serves \/etc\/nginx,/ },
        { path: 'nginx.conf', line: 28, message: /^root \/tmp serves \/tmp,/ },
      ],
    },
  ],
});

const stream = ['proxy_http_version 1.1;', 'proxy_set_header Upgrade $http_upgrade;', 'proxy_set_header Connection "upgrade";', 'proxy_buffering off;', 'proxy_pass http://kasm_api;'];

ruleTests('proxy/buffering-off', {
  valid: [
    {
      name: 'a WebSocket location, a server-sent events location, proxy_cache off beside it; buffering on',
      files: {
        'nginx.conf': site([
          ...location('/desktop/', stream),
          ...location('/events', ['proxy_http_version 1.1;', "proxy_set_header Connection '';", 'proxy_buffering off;', 'proxy_pass http://app;']),
          ...location('/progress', ['proxy_cache off;', 'proxy_buffering off;', 'proxy_pass http://app;']),
          ...location('/', ['proxy_buffering on;', 'proxy_pass http://app;']),
        ]),
      },
    },
    {
      name: 'a WebSocket whose Upgrade header is set at server level',
      files: { 'nginx.conf': site(['proxy_set_header Upgrade $http_upgrade;', 'proxy_set_header Connection "upgrade";', ...location('/ws/', ['proxy_buffering off;', 'proxy_pass http://app;'])]) },
    },
  ],
  invalid: [
    {
      name: 'an API location: removed, unsafely',
      files: { 'nginx.conf': site(location('/api/', ['proxy_buffering off;', 'proxy_pass http://app;'])) },
      findings: [{ path: 'nginx.conf', line: 13, severity: 'information', message: /^proxy_buffering off lets a slow client hold the upstream connection\.$/, detail: /X-Accel-Buffering: no/ }],
      output: { 'nginx.conf': site(location('/api/', ['proxy_pass http://app;'])) },
      nginxAcceptsOutput: true,
    },
    {
      name: 'at server level (even with a WebSocket below), and in a download location; a hint under kasm-default',
      preset: 'kasm-default',
      files: {
        'nginx.conf': site(['proxy_buffering off;', ...location('/ws/', stream), ...location('/dl/', ['proxy_buffering off;', 'proxy_pass http://app;'])]),
      },
      findings: [
        { path: 'nginx.conf', line: 12, severity: 'hint', message: /^proxy_buffering off at server level turns buffering off for every location below it\.$/ },
        { path: 'nginx.conf', line: 21, severity: 'hint', message: /^proxy_buffering off lets a slow client/ },
      ],
      output: { 'nginx.conf': site([...location('/ws/', stream), ...location('/dl/', ['proxy_pass http://app;'])]) },
      nginxAcceptsOutput: true,
    },
  ],
});

ruleTests('variables/mixed-case', {
  valid: [
    {
      name: 'one spelling each (a set, a map, a named capture, a header variable written in capitals once), and $1',
      files: {
        'nginx.conf': site(
          location('~ ^/u/(?<user>[a-z]+)$', ['set $backend app;', 'proxy_set_header X-User $user;', 'proxy_set_header X-Real-IP $http_X_Real_IP;', 'proxy_pass http://$backend$1;']),
          ['map $http_upgrade $connection_upgrade {', '    default upgrade;', "    '' close;", '}'],
        ),
      },
    },
  ],
  invalid: [
    {
      name: 'a set and a use spelled differently, a braced use, a header variable: renamed to the first spelling',
      files: {
        'nginx.conf': site(
          location('/', ['set $Backend app;', 'proxy_set_header X-Real-IP $http_x_real_ip;', 'add_header X-Ip $http_X_Real_IP;', 'proxy_pass http://${BACKEND};']),
          ['map $http_upgrade $connection_upgrade {', '    default upgrade;', "    '' close;", '}'],
        ),
      },
      findings: [
        { path: 'nginx.conf', line: 19, severity: 'hint', message: /^\$http_X_Real_IP is the variable \$http_x_real_ip: nginx ignores case in variable names\.$/ },
        { path: 'nginx.conf', line: 20, message: /^\$BACKEND is the variable \$Backend:/, detail: /first written so at nginx\.conf:17/ },
      ],
      output: {
        'nginx.conf': site(
          location('/', ['set $Backend app;', 'proxy_set_header X-Real-IP $http_x_real_ip;', 'add_header X-Ip $http_x_real_ip;', 'proxy_pass http://${Backend};']),
          ['map $http_upgrade $connection_upgrade {', '    default upgrade;', "    '' close;", '}'],
        ),
      },
      nginxAcceptsOutput: true,
    },
  ],
});

everyMessageProduced(['headers/content-type', 'location/root-exposure', 'proxy/buffering-off', 'variables/mixed-case']);
