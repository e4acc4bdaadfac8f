// The rewrite module's own vulnerabilities: scripts whose shape the configured nginx mishandles.

import { everyMessageProduced, ruleTests } from '../support/rule-tester';

const main = (http: string) => `events {}\nhttp {\n    server {\n        listen 127.0.0.1:8080;\n${http}    }\n}\n`;
const affected = (files: Record<string, string>) => ({ ...files, '.kasmlintrc.json': '{ "nginxVersion": "1.30.0" }' });

ruleTests('rewrite/args-capture-overflow', {
  valid: [
    {
      name: 'the rewrite with "?" ends the script (a flag), or redirects',
      files: affected({ 'nginx.conf': main('        location /a/ {\n            rewrite ^/a/(.+)$ /a.php?n=$1 last;\n            set $x $1;\n        }\n        location /b/ {\n            rewrite ^/b/(.+)$ https://example.org/b?n=$1;\n            set $x $1;\n        }\n') }),
    },
    {
      name: 'named captures later, a "?" only at the end, a return that always follows',
      files: affected({
        'nginx.conf': main(
          '        location /a/ {\n            rewrite ^/a/(?<n>.+)$ /a.php?n=$n;\n            set $x $n;\n        }\n        location /b/ {\n            rewrite ^/b/(.+)$ /b/$1?;\n            set $x $1;\n        }\n' +
            '        location /c/ {\n            rewrite ^/c/(.+)$ /c.php?n=$1;\n            return 302 /d;\n            set $x $1;\n        }\n',
        ),
      }),
    },
    {
      name: 'a later set in another location: each location runs its own script',
      files: affected({ 'nginx.conf': main('        rewrite ^/(.+)$ /x?n=$1;\n        location /a/ {\n            set $x $1;\n        }\n') }),
    },
    {
      name: 'a later rewrite sized without its length codes (captures only, each once) has an allowance for one escaping',
      files: affected({ 'nginx.conf': main('        location /a/ {\n            rewrite ^/a/(.+)$ /a.php?n=1;\n            rewrite ^/b/(.+)$ /b/$1;\n        }\n') }),
    },
    {
      name: 'nginx 1.30.1 and 1.31.0 fixed it',
      files: { 'nginx.conf': main('        location /a/ {\n            rewrite ^/a/(.+)$ /a.php?n=$1;\n            set $x $1;\n        }\n'), '.kasmlintrc.json': '{ "nginxVersion": "1.30.1" }' },
    },
  ],
  invalid: [
    {
      name: 'set, an if operand and a later rewrite copying captures after a rewrite with "?"',
      files: affected({ 'nginx.conf': main('        location /p/ {\n            rewrite ^/p/(.+)$ /page.php?name=$1;\n            set $page $1;\n            if ($page = $1) { return 204; }\n            rewrite ^/q/(.*)$ /x/$1/$host?a=b;\n        }\n') }),
      findings: [
        { path: 'nginx.conf', line: 7, severity: 'warning', message: /^This set copies a capture into a buffer nginx 1\.30\.0 overflows \(CVE-2026-42945\)\.$/ },
        { path: 'nginx.conf', line: 8, message: /^This if copies a capture/ },
        { path: 'nginx.conf', line: 9, message: /^This rewrite copies a capture/ },
      ],
    },
    {
      name: 'the rewrite inside an if block arms the rest of the script; a return in another if does not end it',
      files: affected({ 'nginx.conf': main('        location /c/ {\n            if ($arg_a) {\n                rewrite ^/c/(.+)$ /c.php?x=1;\n            }\n            if ($arg_b) {\n                return 403;\n            }\n            if (-f /srv/$1) {\n                return 204;\n            }\n        }\n') }),
      findings: [{ path: 'nginx.conf', line: 12, message: /^This if copies a capture/ }],
    },
  ],
});

ruleTests('rewrite/overlapping-captures', {
  valid: [
    {
      name: 'nested captures copied before the arguments, side-by-side captures, a capture copied twice, a named variable',
      files: affected({
        'nginx.conf': main(
          '        rewrite ^/a/((\\w+)/.*)$ /view/$1/$2;\n        rewrite ^/b/(\\w+)/(.*)$ /view?a=$1&b=$2;\n        rewrite ^/c/((\\w+)/.*)$ /view?a=$1&b=$2&c=$2;\n        rewrite ^/d/((\\w+)/.*)$ /view?a=$1&b=$2&h=$host;\n        return 204;\n',
        ),
      }),
    },
    { name: 'nginx 1.30.2 fixed it', files: { 'nginx.conf': main('        rewrite ^/((.*))$ /view?a=$1&b=$2;\n        return 204;\n'), '.kasmlintrc.json': '{ "nginxVersion": "1.30.2" }' } },
  ],
  invalid: [
    {
      name: 'nested captures copied in the arguments',
      files: affected({ 'nginx.conf': main('        rewrite ^/docs/((\\w+)/.*)$ /view?path=$1&section=$2;\n        return 204;\n') }),
      findings: [{ path: 'nginx.conf', line: 5, severity: 'warning', message: /^This rewrite escapes \$2 inside \$1 twice: nginx 1\.30\.0 overflows \(CVE-2026-9256\)\.$/ }],
    },
    {
      name: 'nested captures in a redirect (every capture is escaped there), and on 1.31.0',
      files: { 'nginx.conf': main('        rewrite ^/a/((\\w+)/.*)$ https://example.org/$2/$1;\n        return 204;\n'), '.kasmlintrc.json': '{ "nginxVersion": "1.31.0" }' },
      findings: [{ path: 'nginx.conf', line: 5, message: /^This rewrite escapes \$2 inside \$1 twice/ }],
    },
  ],
});

everyMessageProduced(['rewrite/args-capture-overflow', 'rewrite/overlapping-captures']);
