import assert from 'node:assert/strict';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { lint } from '../support/engine';
import { location, site } from '../support/configs';
import { KASM_FIXTURE } from '../support/kasm';
import { makeCertificate } from '../support/certs';
import { nginxTest, writeTree } from '../support/nginx';
import { ruleTests } from '../support/rule-tester';

const BACKEND = ['upstream kasm_backend {', '    server 127.0.0.1:8443;', '}'];
/** Kasm's own certificate, as a front proxy would pin it. */
const KASM_CRT = makeCertificate({ cn: 'kasm.example.com' }).crt;

ruleTests('proxy/upstream-tls-unverified', {
  valid: [
    { name: 'plain HTTP to the upstream', files: { 'nginx.conf': site(location('/', ['proxy_pass http://app;'])) } },
    { name: 'verification on, inherited from the server', files: { 'nginx.conf': site(['proxy_ssl_verify on;', ...location('/', ['proxy_pass https://kasm_backend;'])], BACKEND) } },
  ],
  invalid: [
    {
      name: 'a front proxy to Kasm over HTTPS without verification (what noTLSVerify is to cloudflared)',
      files: { 'nginx.conf': site(location('/', ['proxy_pass https://kasm_backend;']), BACKEND) },
      findings: [{ path: 'nginx.conf', line: 16, severity: 'information', message: /^proxy_pass https:\/\/kasm_backend speaks TLS without verifying the upstream's certificate\.$/, detail: /anyone who can intercept the traffic between nginx and kasm_backend can pose as it/ }],
      output: {
        'nginx.conf': site(
          location('/', [
            'proxy_pass https://kasm_backend;',
            'proxy_ssl_verify on;',
            'proxy_ssl_verify_depth 2;',
            'proxy_ssl_trusted_certificate /etc/ssl/certs/ca-certificates.crt;',
            'proxy_ssl_name kasm_backend;',
          ]),
          BACKEND,
        ),
      },
      nginxAcceptsOutput: true,
    },
    {
      name: 'proxy_ssl_verify off at the location is switched on, and the trusted certificate is the configured one',
      files: {
        'nginx.conf': site(location('/', ['proxy_pass https://127.0.0.1:9443/;', 'proxy_ssl_verify off;'])),
        '.kasmlintrc.json': JSON.stringify({ rules: { 'proxy/upstream-tls-unverified': { trustedCertificate: KASM_CRT } } }),
      },
      findings: [{ path: 'nginx.conf', line: 13 }],
      output: {
        'nginx.conf': site(
          location('/', [
            'proxy_pass https://127.0.0.1:9443/;',
            'proxy_ssl_verify on;',
            'proxy_ssl_verify_depth 2;',
            `proxy_ssl_trusted_certificate ${KASM_CRT};`,
            'proxy_ssl_name 127.0.0.1;',
          ]),
        ),
      },
      nginxAcceptsOutput: true,
    },
  ],
});

test("on the Kasm tree: each hop to Kasm's HTTPS services is reported, with the advice to pin the service's certificate", () => {
  const found = lint([KASM_FIXTURE]).findings.filter((f) => f.rule === 'proxy/upstream-tls-unverified');
  assert.ok(found.length >= 5, `${found.length}`);
  assert.ok(found.every((f) => /Inside Kasm this hop runs between Kasm's own containers/.test(f.detail ?? '')));
  assert.deepEqual([...new Set(found.map((f) => basename(f.file)))].sort(), ['kasmguac.conf', 'rdp_https_gateway_guac.conf', 'rdp_https_gateway_webapp.conf']);
});

test('a hardened configuration: nginx -t accepts it and no rule reports anything, not even a hint', () => {
  const { crt, key } = makeCertificate({ cn: 'kasm.example.com' });
  const config = site(
    [
      'listen 8443 ssl;',
      `ssl_certificate ${crt};`,
      `ssl_certificate_key ${key};`,
      'ssl_protocols TLSv1.2 TLSv1.3;',
      'ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305;',
      'ssl_session_tickets off;',
      'server_tokens off;',
      'set_real_ip_from 10.0.0.5;',
      'real_ip_header X-Forwarded-For;',
      'proxy_hide_header X-Frame-Options;',
      'proxy_hide_header Content-Security-Policy;',
      'proxy_hide_header Cross-Origin-Embedder-Policy;',
      'add_header Strict-Transport-Security "max-age=63072000" always;',
      'add_header X-Frame-Options SAMEORIGIN always;',
      'add_header X-Content-Type-Options nosniff always;',
      'add_header Referrer-Policy same-origin always;',
      `add_header Content-Security-Policy "default-src 'self' 'unsafe-inline' 'unsafe-eval' blob: data:;" always;`,
      'add_header Cross-Origin-Embedder-Policy require-corp always;',
      'limit_req zone=kasm_limit burst=20 nodelay;',
      'proxy_http_version 1.1;',
      'proxy_set_header Host $host;',
      'proxy_set_header Upgrade $http_upgrade;',
      'proxy_set_header Connection $connection_upgrade;',
      'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
      'proxy_ssl_verify on;',
      `proxy_ssl_trusted_certificate ${crt};`,
      'proxy_ssl_name kasm.example.com;',
      ...location('/', ['proxy_pass https://kasm_backend;']),
      ...location('/api/', ['proxy_pass http://kasm_api;']),
      ...location('= /healthz', ['access_log off;', 'return 204;']),
    ],
    [
      ...BACKEND,
      'map $http_upgrade $connection_upgrade {',
      '    default upgrade;',
      "    ''      close;",
      '}',
      'map $http_origin $cors_allowed_origin {',
      '    default "";',
      '    "~^https://kasm\\.example\\.com(:[0-9]+)?$" $http_origin;',
      '}',
      'limit_req_zone $binary_remote_addr zone=kasm_limit:10m rate=100r/s;',
    ],
  ).replace('        listen 8080;\n', '');
  const dir = writeTree({ 'nginx.conf': `worker_processes auto;\n${config}`, '.kasmlintrc.json': '{ "deployment": "behind-proxy" }' });
  const verdict = nginxTest(join(dir, 'nginx.conf'), dir);
  assert.ok(verdict.ok, verdict.output);
  assert.deepEqual(lint([dir]).findings.map((f) => `${f.rule} ${f.severity} ${f.message}`), []);
});
