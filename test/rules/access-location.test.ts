// Access rules that do not do what they appear to, and locations that expose more than they read.

import { location, site } from '../support/configs';
import { everyMessageProduced, ruleTests } from '../support/rule-tester';

ruleTests('access/allow-without-deny', {
  valid: [
    { name: 'allow then deny all', files: { 'nginx.conf': site(location('/admin/', ['allow 10.0.0.0/8;', 'deny all;', 'return 204;'])) } },
    { name: 'allow all in a location opening what the server closed', files: { 'nginx.conf': site(['deny all;', ...location('/public/', ['allow all;', 'return 204;'])]) } },
    {
      name: 'satisfy any with a login: the allow list lets the office in without a password',
      files: { 'nginx.conf': site(location('/admin/', ['satisfy any;', 'allow 10.0.0.0/8;', 'auth_basic "admin";', 'auth_basic_user_file /etc/nginx/htpasswd;', 'return 204;'])) },
    },
  ],
  invalid: [
    {
      name: 'allow lines alone restrict nobody',
      files: { 'nginx.conf': site(location('/admin/', ['allow 10.0.0.0/8;', 'allow 192.168.1.0/24;', 'return 204;'])) },
      findings: [{ path: 'nginx.conf', line: 13, severity: 'warning', message: /^allow lines without a deny: every other client is allowed too\.$/ }],
      output: { 'nginx.conf': site(location('/admin/', ['allow 10.0.0.0/8;', 'allow 192.168.1.0/24;', 'deny all;', 'return 204;'])) },
      nginxAcceptsOutput: true,
    },
    {
      name: "a location's own allow replaces the server's deny all",
      files: { 'nginx.conf': site(['allow 10.0.0.0/8;', 'deny all;', ...location('/status/', ['allow 127.0.0.1;', 'return 204;'])]) },
      findings: [{ path: 'nginx.conf', line: 15, message: /allow lines without a deny/ }],
      output: { 'nginx.conf': site(['allow 10.0.0.0/8;', 'deny all;', ...location('/status/', ['allow 127.0.0.1;', 'deny all;', 'return 204;'])]) },
      nginxAcceptsOutput: true,
    },
  ],
});

ruleTests('access/return-bypasses-deny', {
  valid: [
    { name: 'the response comes from a named location, after the access phase', files: { 'nginx.conf': site([...location('/health', ['allow 10.0.0.0/8;', 'deny all;', 'try_files /nonexistent @health;']), ...location('@health', ['return 200 "ok";'])]) } },
    { name: 'an error return, and a return without access rules', files: { 'nginx.conf': site([...location('/a/', ['deny all;', 'return 404;']), ...location('/b/', ['return 200 "ok";'])]) } },
    { name: 'allow all first refuses no one', files: { 'nginx.conf': site(location('/c/', ['allow all;', 'deny 10.0.0.1;', 'return 200 "ok";'])) } },
  ],
  invalid: [
    {
      name: 'return in the location the deny protects',
      files: { 'nginx.conf': site(location('/internal/health', ['allow 10.0.0.0/8;', 'deny all;', 'return 200 "ok $hostname";'])) },
      findings: [{ path: 'nginx.conf', line: 15, severity: 'error', message: /^return answers before allow\/deny are checked: denied clients get this response too\.$/ }],
    },
    {
      name: "a server-level deny and a location's redirect inside an if",
      files: { 'nginx.conf': site(['deny all;', ...location('/old/', ['if ($arg_v) {', '    rewrite ^ https://kasm.example.com/new/ permanent;', '}', 'return 301 https://kasm.example.com/new/;'])]) },
      findings: [
        { path: 'nginx.conf', line: 15, message: /^rewrite \.\.\. redirect answers before allow\/deny/ },
        { path: 'nginx.conf', line: 17, message: /^return answers before/ },
      ],
    },
  ],
});

ruleTests('access/valid-referers-none', {
  valid: [{ name: 'server names and a domain only', files: { 'nginx.conf': site(location('/img/', ['valid_referers server_names *.example.com;', 'if ($invalid_referer) {', '    return 403;', '}', 'return 204;'])) } }],
  invalid: [
    {
      name: '"none" among others: removed',
      files: { 'nginx.conf': site(location('/img/', ['valid_referers none blocked server_names;', 'if ($invalid_referer) {', '    return 403;', '}', 'return 204;'])) },
      findings: [{ path: 'nginx.conf', line: 13, column: 28, severity: 'warning', message: /^valid_referers accepts requests without a Referer \("none"\)\.$/ }],
      output: { 'nginx.conf': site(location('/img/', ['valid_referers blocked server_names;', 'if ($invalid_referer) {', '    return 403;', '}', 'return 204;'])) },
      nginxAcceptsOutput: true,
    },
    {
      name: '"none" last; no fix when only "blocked" would remain (nginx refuses that)',
      files: { 'nginx.conf': site([...location('/a/', ['valid_referers server_names none;', 'return 204;']), ...location('/b/', ['valid_referers none blocked;', 'return 204;'])]) },
      findings: [
        { path: 'nginx.conf', line: 13, message: /"none"/ },
        { path: 'nginx.conf', line: 17, message: /"none"/ },
      ],
      output: { 'nginx.conf': site([...location('/a/', ['valid_referers server_names;', 'return 204;']), ...location('/b/', ['valid_referers none blocked;', 'return 204;'])]) },
    },
  ],
});

ruleTests('access/status-page-exposed', {
  valid: [
    { name: 'restricted to the local host', files: { 'nginx.conf': site(location('= /nginx_status', ['stub_status;', 'allow 127.0.0.1;', 'deny all;'])) } },
    { name: 'behind a password', files: { 'nginx.conf': site(location('= /nginx_status', ['stub_status;', 'auth_basic "status";', 'auth_basic_user_file /etc/nginx/htpasswd;'])) } },
    {
      name: 'on a listener only the host reaches',
      files: { 'nginx.conf': 'events {}\nhttp {\n    server {\n        listen 127.0.0.1:8081;\n        location = /nginx_status {\n            stub_status;\n        }\n    }\n}\n' },
    },
  ],
  invalid: [
    {
      name: 'stub_status open to all: allow the local host only',
      files: { 'nginx.conf': site(location('= /nginx_status', ['stub_status;'])) },
      findings: [{ path: 'nginx.conf', line: 13, severity: 'warning', message: /^The stub_status page at location = \/nginx_status \(nginx\.conf:12\) answers anyone\.$/ }],
      output: { 'nginx.conf': site(location('= /nginx_status', ['stub_status;', 'allow 127.0.0.1;', 'allow ::1;', 'deny all;'])) },
      nginxAcceptsOutput: true,
    },
  ],
});

ruleTests('location/alias-traversal', {
  valid: [
    { name: 'both end with "/"', files: { 'nginx.conf': site(location('/static/', ['alias /srv/app/static/;'])) } },
    { name: 'an exact location for one file', files: { 'nginx.conf': site(location('= /robots.txt', ['alias /srv/app/robots.txt;'])) } },
    { name: 'a regex whose capture starts after a "/"', files: { 'nginx.conf': site(location('~ ^/site/(.*)$', ['alias /srv/site/$1;'])) } },
  ],
  invalid: [
    {
      name: 'location /files with alias /data/: /files../ climbs out',
      files: { 'nginx.conf': site(location('/files', ['alias /srv/data/;'])) },
      findings: [{ path: 'nginx.conf', line: 13, severity: 'error', message: /^location \/files has no trailing "\/": \/files\.\.\/secret climbs out of its alias\.$/ }],
      output: { 'nginx.conf': site(location('/files/', ['alias /srv/data/;'])) },
      nginxAcceptsOutput: true,
    },
    {
      name: 'neither ends with "/": sibling directories; ^~ and a quoted path',
      files: { 'nginx.conf': site(location('^~ "/media"', ['alias /srv/media;'])) },
      findings: [{ path: 'nginx.conf', line: 13, severity: 'warning', message: /^location \/media and its alias lack a trailing "\/": \/media_old\/secret reads \/srv\/media_old\/secret\.$/ }],
      output: { 'nginx.conf': site(location('^~ "/media/"', ['alias /srv/media/;'])) },
      nginxAcceptsOutput: true,
    },
    {
      name: 'no fix when the slashed location exists already',
      files: { 'nginx.conf': site([...location('/files', ['alias /srv/data/;']), ...location('/files/', ['alias /srv/data/;'])]) },
      findings: [{ path: 'nginx.conf', line: 13, message: /climbs out/ }],
    },
    {
      name: 'regex locations: a capture glued to the name, after a "/" of the alias or glued to its name',
      files: { 'nginx.conf': site([...location('~ ^/site(.*)$', ['alias /srv/site/$1;']), ...location('~ ^/docs(.*)$', ['alias /srv/docs$1;'])]) },
      findings: [
        { path: 'nginx.conf', line: 13, severity: 'error', message: /^In alias \/srv\/site\/\$1, \$1 can start with "\.\.": a request for \/site\.\.\/secret climbs out of it\.$/ },
        { path: 'nginx.conf', line: 16, severity: 'warning', message: /^alias \/srv\/docs\$1 glues \$1 to a name: a request for \/docs_old\/secret reads \/srv\/docs_old\/secret\.$/ },
      ],
    },
  ],
});

ruleTests('location/if-misuse', {
  valid: [
    {
      name: 'return, rewrite ... last, set and limit_rate (documented for if) inside if; a server-level if',
      files: {
        'nginx.conf': site([
          'if ($host = old.example.com) {',
          '    return 301 https://kasm.example.com$request_uri;',
          '}',
          ...location('/', ['if ($request_method = OPTIONS) {', '    set $cors 1;', '    rewrite .* /_options last;', '    return 204;', '}', 'if ($arg_slow) {', '    limit_rate 10k;', '}', 'return 204;']),
        ]),
      },
    },
  ],
  invalid: [
    {
      name: 'add_header and proxy_pass inside if in a location',
      files: { 'nginx.conf': site(location('/', ['add_header X-Frame-Options DENY always;', 'if ($arg_debug) {', '    add_header X-Debug 1;', '    proxy_pass http://app;', '}', 'proxy_pass http://app;'])) },
      findings: [
        { path: 'nginx.conf', line: 15, severity: 'warning', message: /^add_header inside "if" in a location does not do what it reads\.$/ },
        { path: 'nginx.conf', line: 16, message: /^proxy_pass inside "if"/ },
      ],
    },
    {
      name: 'rewrite ... break inside if',
      files: { 'nginx.conf': site(location('/', ['if ($arg_v) {', '    rewrite ^ /v2 break;', '}', 'return 204;'])) },
      findings: [{ path: 'nginx.conf', line: 14, message: /^rewrite inside "if"/ }],
    },
  ],
});

everyMessageProduced(['access/allow-without-deny', 'access/return-bypasses-deny', 'access/valid-referers-none', 'access/status-page-exposed', 'location/alias-traversal', 'location/if-misuse']);
