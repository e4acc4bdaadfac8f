import assert from 'node:assert/strict';
import { basename } from 'node:path';
import { test } from 'node:test';
import { lint } from '../support/engine';
import { location, site } from '../support/configs';
import { KASM_FIXTURE } from '../support/kasm';
import { ruleTests } from '../support/rule-tester';

const CSP = `add_header 'Content-Security-Policy' "default-src 'self'" always;`;

ruleTests('headers/inheritance', {
  valid: [
    { name: 'the location re-declares what it needs', files: { 'nginx.conf': site(['add_header X-Frame-Options SAMEORIGIN always;', ...location('/', ['add_header Cache-Control private;', 'add_header X-Frame-Options SAMEORIGIN always;', 'return 204;'])]) } },
    { name: 'add_header_inherit merge (nginx 1.29.3)', files: { 'nginx.conf': site(['add_header X-Frame-Options SAMEORIGIN always;', ...location('/', ['add_header_inherit merge;', 'add_header Cache-Control private;', 'return 204;'])]), '.kasmlintrc.json': '{ "nginxVersion": "1.29.3" }' } },
  ],
  invalid: [
    {
      name: 'a location that adds Cache-Control drops the server-level X-Frame-Options and HSTS',
      files: {
        'nginx.conf': site([
          'add_header X-Frame-Options SAMEORIGIN always;',
          'add_header Strict-Transport-Security "max-age=63072000" always;',
          ...location('/', ['add_header Cache-Control private;', 'return 204;']),
        ]),
      },
      findings: [{ path: 'nginx.conf', line: 15, message: /^This add_header drops the 2 headers set in the server block at nginx\.conf:9 \("X-Frame-Options" and "Strict-Transport-Security"\)\.$/, detail: /responses from the location block at nginx\.conf:14 go out without them/ }],
      output: {
        'nginx.conf': site([
          'add_header X-Frame-Options SAMEORIGIN always;',
          'add_header Strict-Transport-Security "max-age=63072000" always;',
          ...location('/', ['add_header Cache-Control private;', 'add_header X-Frame-Options SAMEORIGIN always;', 'add_header Strict-Transport-Security "max-age=63072000" always;', 'return 204;']),
        ]),
      },
      nginxAcceptsOutput: true,
    },
    {
      name: 'through an include: the cause is in an included file, inside an if',
      files: {
        'nginx.conf': site(['add_header X-Frame-Options SAMEORIGIN always;', ...location('/', ['include cors.conf;', 'return 204;'])]),
        'cors.conf': "if ($request_method = OPTIONS) {\n    add_header Access-Control-Max-Age 600;\n}\n",
      },
      findings: [{ path: 'cors.conf', line: 2, message: /"X-Frame-Options"/ }],
      output: { 'cors.conf': "if ($request_method = OPTIONS) {\n    add_header Access-Control-Max-Age 600;\n    add_header X-Frame-Options SAMEORIGIN always;\n}\n" },
      nginxAcceptsOutput: true,
    },
  ],
});

ruleTests('proxy/header-inheritance', {
  valid: [{ name: 'no proxy_set_header at the location', files: { 'nginx.conf': site(['proxy_set_header Host $host;', ...location('/', ['proxy_pass http://app;'])]) } }],
  invalid: [
    {
      name: 'X-Real-IP at the location drops Host and X-Forwarded-For from the server',
      files: {
        'nginx.conf': site([
          'proxy_set_header Host $host;',
          'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
          ...location('/api/', ['proxy_set_header X-Real-IP $remote_addr;', 'proxy_pass http://kasm_api;']),
        ]),
      },
      findings: [{ path: 'nginx.conf', line: 15, message: /drops the 2 request headers .*\("Host" and "X-Forwarded-For"\)/ }],
      output: {
        'nginx.conf': site([
          'proxy_set_header Host $host;',
          'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
          ...location('/api/', ['proxy_set_header X-Real-IP $remote_addr;', 'proxy_set_header Host $host;', 'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;', 'proxy_pass http://kasm_api;']),
        ]),
      },
      nginxAcceptsOutput: true,
    },
  ],
});

const commentedKasm = (proxied: boolean) =>
  location('/desktop/', [
    ...(proxied ? ['proxy_pass http://kasm_api;', "proxy_hide_header 'Access-Control-Allow-Origin';", "#proxy_hide_header   'Content-Security-Policy';"] : ['return 204;']),
    "add_header 'X-Content-Type-Options' 'nosniff' always;",
    `#add_header      'Content-Security-Policy' "default-src 'unsafe-inline' 'unsafe-eval' 'self' blob: data:;";`,
  ]);

ruleTests('headers/content-security-policy', {
  valid: [
    { name: 'a policy in effect (inherited from the server)', files: { 'nginx.conf': site([CSP, ...location('/', ['root /srv/www;'])]) } },
    { name: 'an API answers data, not pages', files: { 'nginx.conf': site(location('/api/', ['proxy_pass http://app;'])) } },
  ],
  invalid: [
    {
      name: 'commented out as Kasm ships it: one fix uncomments the add_header lines and the proxy_hide_header line everywhere, also in the 204 answer it does not report',
      files: { 'nginx.conf': site([...commentedKasm(true), ...location('/options', ['return 204;', `#add_header 'Content-Security-Policy' "default-src 'self'";`, 'add_header Allow GET;'])]) },
      findings: [
        { path: 'nginx.conf', line: 12, severity: 'hint', message: /^Content-Security-Policy is commented out in this location\.$/, detail: /^Kasm ships it commented out/ },
      ],
      output: {
        'nginx.conf': site([
          ...location('/desktop/', [
            'proxy_pass http://kasm_api;',
            "proxy_hide_header 'Access-Control-Allow-Origin';",
            "proxy_hide_header   'Content-Security-Policy';",
            "add_header 'X-Content-Type-Options' 'nosniff' always;",
            `add_header      'Content-Security-Policy' "default-src 'unsafe-inline' 'unsafe-eval' 'self' blob: data:;";`,
          ]),
          ...location('/options', ['return 204;', `add_header 'Content-Security-Policy' "default-src 'self'";`, 'add_header Allow GET;']),
        ]),
      },
      nginxAcceptsOutput: true,
      alternatives: [
        {
          title: /^Add a Content-Security-Policy to this location — resources the policy does not allow stop loading$/,
          output: {
            'nginx.conf': site([
              ...location('/desktop/', [
                'proxy_pass http://kasm_api;',
                "proxy_hide_header 'Access-Control-Allow-Origin';",
                'proxy_hide_header Content-Security-Policy;',
                "#proxy_hide_header   'Content-Security-Policy';",
                "add_header 'X-Content-Type-Options' 'nosniff' always;",
                `add_header Content-Security-Policy "default-src 'unsafe-inline' 'unsafe-eval' 'self' blob: data:;" always;`,
                `#add_header      'Content-Security-Policy' "default-src 'unsafe-inline' 'unsafe-eval' 'self' blob: data:;";`,
              ]),
              ...location('/options', ['return 204;', `#add_header 'Content-Security-Policy' "default-src 'self'";`, 'add_header Allow GET;']),
            ]),
          },
        },
      ],
    },
  ],
}, { preset: 'kasm-default' });

ruleTests('headers/x-frame-options', {
  valid: [
    { name: 'CSP frame-ancestors does the same job', files: { 'nginx.conf': site([`add_header Content-Security-Policy "frame-ancestors 'self'" always;`, ...location('/', ['return 204;'])]) } },
    { name: 'internal, named and redirect-only locations and health checks serve no pages', files: { 'nginx.conf': site([...location('/auth', ['internal;', 'proxy_pass http://kasm_api;']), ...location('@fallback', ['return 502;']), ...location('/old', ['return 301 /new;']), ...location('/healthcheck', ['return 200;'])]) } },
    {
      name: 'locations that answer only a status: a 204, a 403, deny all for everyone (before proxy_pass runs)',
      files: { 'nginx.conf': site([...location('/ping', ['return 204;']), ...location('/gone', ['return 410;']), ...location('/admin', ['deny all;', 'proxy_pass http://app;'])]) },
    },
    { name: 'API locations answer data, not pages', files: { 'nginx.conf': site([...location('/api/', ['proxy_pass http://app;']), ...location('~ (/vault)?/api', ['proxy_pass http://app;']), ...location('/manager_api/', ['proxy_pass http://app;']), ...location('/data', ['default_type application/json;', 'return 200 "{}";'])]) } },
  ],
  invalid: [
    {
      name: 'a proxied location: the header is added and the upstream copy hidden; inherited headers re-declared',
      files: { 'nginx.conf': site(['add_header Strict-Transport-Security "max-age=63072000" always;', ...location('/', ['proxy_pass http://app;'])]) },
      findings: [{ path: 'nginx.conf', line: 13, severity: 'hint', message: /^No X-Frame-Options \(nor CSP frame-ancestors\) on the responses of this location\.$/, detail: /clickjacking/ }],
      output: {
        'nginx.conf': site([
          'add_header Strict-Transport-Security "max-age=63072000" always;',
          ...location('/', ['add_header Strict-Transport-Security "max-age=63072000" always;', 'add_header X-Frame-Options SAMEORIGIN always;', 'proxy_hide_header X-Frame-Options;', 'proxy_pass http://app;']),
        ]),
      },
      nginxAcceptsOutput: true,
    },
    {
      name: 'an allow-list before deny all lets some clients in: their pages are reported',
      files: { 'nginx.conf': site(location('/admin', ['allow 10.0.0.0/8;', 'deny all;', 'root /srv/www;'])) },
      findings: [{ path: 'nginx.conf', line: 12 }],
      output: { 'nginx.conf': site(location('/admin', ['allow 10.0.0.0/8;', 'deny all;', 'add_header X-Frame-Options SAMEORIGIN always;', 'root /srv/www;'])) },
      nginxAcceptsOutput: true,
    },
  ],
});

ruleTests('headers/cross-origin-embedder-policy', {
  valid: [{ name: 'present', files: { 'nginx.conf': site(["add_header Cross-Origin-Embedder-Policy require-corp always;", ...location('/', ['root /srv/www;'])]) } }],
  invalid: [
    {
      name: 'commented out in a static location',
      files: { 'nginx.conf': site(location('/', ["add_header Cache-Control private;", "#add_header      'Cross-Origin-Embedder-Policy' 'require-corp';", 'root /srv/www;'])) },
      findings: [{ path: 'nginx.conf', line: 12, message: /is commented out in this location/, detail: /^Kasm ships it commented out/ }],
      output: { 'nginx.conf': site(location('/', ["add_header Cache-Control private;", "add_header      'Cross-Origin-Embedder-Policy' 'require-corp';", 'root /srv/www;'])) },
      nginxAcceptsOutput: true,
    },
  ],
}, { preset: 'kasm-default' });

ruleTests('headers/referrer-policy', {
  valid: [{ name: 'present', files: { 'nginx.conf': site(['add_header Referrer-Policy same-origin always;', ...location('/', ['root /srv/www;'])]) } }],
  invalid: [
    {
      name: 'missing',
      files: { 'nginx.conf': site(location('/', ['add_header Cache-Control private;', 'root /srv/www;'])) },
      findings: [{ path: 'nginx.conf', line: 12, severity: 'information' }],
      output: { 'nginx.conf': site(location('/', ['add_header Cache-Control private;', 'add_header Referrer-Policy same-origin always;', 'root /srv/www;'])) },
      nginxAcceptsOutput: true,
    },
  ],
}, { preset: 'kasm-default' });

ruleTests('headers/x-content-type-options', {
  valid: [{ name: 'present', files: { 'nginx.conf': site(['add_header X-Content-Type-Options nosniff always;', ...location('/', ['root /srv/www;'])]) } }],
  invalid: [
    {
      name: 'missing at an API location without headers of its own (an API answer can be sniffed too): a hint under nginx-recommended',
      files: { 'nginx.conf': site(location('/api/', ['proxy_pass http://kasm_api;'])) },
      findings: [{ path: 'nginx.conf', line: 12, severity: 'hint' }],
      output: { 'nginx.conf': site(location('/api/', ['add_header X-Content-Type-Options nosniff always;', 'proxy_pass http://kasm_api;'])) },
      nginxAcceptsOutput: true,
    },
  ],
});

ruleTests('headers/hide-upstream', {
  valid: [
    { name: 'the upstream copy is hidden', files: { 'nginx.conf': site(location('/api/', ["proxy_hide_header 'Access-Control-Allow-Origin';", "add_header 'Access-Control-Allow-Origin' 'https://kasm.example.com' always;", 'proxy_pass http://kasm_api;'])) } },
    { name: 'not proxied', files: { 'nginx.conf': site(location('/', ["add_header 'Access-Control-Allow-Origin' 'https://kasm.example.com' always;", 'return 204;'])) } },
  ],
  invalid: [
    {
      name: "Kasm's subscription_api.conf shape: CORS headers on a proxied location; inherited proxy_hide_header re-declared",
      files: {
        'nginx.conf': site([
          'proxy_hide_header X-Powered-By;',
          ...location('/api/subscriptions/', [
            "add_header 'Access-Control-Allow-Origin' 'https://www.kasmweb.com' always;",
            "add_header 'Access-Control-Allow-Methods' 'GET, POST, OPTIONS';",
            "add_header 'Access-Control-Allow-Credentials' 'true';",
            'proxy_pass http://kasm_api;',
          ]),
        ]),
      },
      findings: [{ path: 'nginx.conf', line: 14, severity: 'information', message: /adds Access-Control-Allow-Origin and Access-Control-Allow-Credentials without proxy_hide_header/ }],
      output: {
        'nginx.conf': site([
          'proxy_hide_header X-Powered-By;',
          ...location('/api/subscriptions/', [
            "add_header 'Access-Control-Allow-Origin' 'https://www.kasmweb.com' always;",
            "add_header 'Access-Control-Allow-Methods' 'GET, POST, OPTIONS';",
            "add_header 'Access-Control-Allow-Credentials' 'true';",
            'proxy_hide_header X-Powered-By;',
            "proxy_hide_header 'Access-Control-Allow-Origin';",
            "proxy_hide_header 'Access-Control-Allow-Credentials';",
            'proxy_pass http://kasm_api;',
          ]),
        ]),
      },
      nginxAcceptsOutput: true,
    },
  ],
});

ruleTests('headers/missing-always', {
  valid: [
    { name: 'with always; a non-security header without it', files: { 'nginx.conf': site(["add_header 'X-Content-Type-Options' 'nosniff' 'always';", 'add_header Cache-Control private;', ...location('/', ['root /srv/www;'])]) } },
    {
      name: 'a block that answers 204 or a redirect gets its headers anyway',
      files: {
        'nginx.conf': site([
          ...location('/preflight', ["add_header 'X-Content-Type-Options' 'nosniff';", 'return 204;']),
          ...location('/old', ["add_header X-Frame-Options SAMEORIGIN;", 'return 301 /new;']),
          ...location('/', ['if ($request_method = OPTIONS) {', "    add_header Referrer-Policy same-origin;", '    return 204;', '}', 'root /srv/www;']),
        ]),
      },
    },
  ],
  invalid: [
    {
      name: "Kasm's nosniff line (a hint under nginx-recommended)",
      files: { 'nginx.conf': site(location('/', ["add_header      'X-Content-Type-Options' 'nosniff';", 'root /srv/www;'])) },
      findings: [{ path: 'nginx.conf', line: 13, column: 13, severity: 'hint', message: /X-Content-Type-Options is added without "always"/ }],
      output: { 'nginx.conf': site(location('/', ["add_header      'X-Content-Type-Options' 'nosniff' always;", 'root /srv/www;'])) },
      nginxAcceptsOutput: true,
    },
  ],
});

ruleTests('headers/server-tokens', {
  valid: [{ name: 'off, as Kasm sets it', files: { 'nginx.conf': site(['server_tokens off;']) } }],
  invalid: [
    {
      name: "nginx's default: the fix goes to the http block, covering every server",
      files: { 'nginx.conf': site([]) },
      findings: [{ path: 'nginx.conf', line: 9, severity: 'information', message: /server_tokens is on by default/ }],
      output: { 'nginx.conf': site([]).replace('http {\n', 'http {\n    server_tokens off;\n') },
      nginxAcceptsOutput: true,
    },
    {
      name: 'explicitly on; a warning under kasm-hardened',
      files: { 'nginx.conf': site(['server_tokens build;']).replace('build', 'on'), '.kasmlintrc.json': '{ "preset": "kasm-hardened" }' },
      findings: [{ path: 'nginx.conf', line: 12, severity: 'warning' }],
      output: { 'nginx.conf': site(['server_tokens off;']) },
      nginxAcceptsOutput: true,
    },
  ],
});

test('on the Kasm tree: commented CSP and COEP found where the guide says, one fix of 4 lines in 2 files for each', () => {
  const findings = lint([KASM_FIXTURE]).findings;
  for (const rule of ['headers/content-security-policy', 'headers/cross-origin-embedder-policy']) {
    const commented = findings.filter((f) => f.rule === rule && /is commented out in this location/.test(f.message));
    // upstream_proxy.conf:67 answers 204 (the CORS preflight): not reported, but its lines are uncommented with the others, as the guide says.
    assert.deepEqual(commented.map((f) => `${basename(f.file)}:${f.range.start.line + 1}`), ['upstream_proxy.conf:12', 'website.conf:3']);
    const fix = commented[0]!.fixes[0]!;
    assert.match(fix.title, /4 lines in 2 files/);
    assert.deepEqual(commented.map((f) => JSON.stringify(f.fixes[0]!.edits)), Array(2).fill(JSON.stringify(fix.edits)));
  }
  // Kasm sets server_tokens off in both servers; no location drops inherited headers.
  assert.deepEqual(findings.filter((f) => ['headers/server-tokens', 'headers/inheritance', 'proxy/header-inheritance'].includes(f.rule)), []);
});
