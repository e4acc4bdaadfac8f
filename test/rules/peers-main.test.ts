// Checks of the main context and of connection reuse that other NGINX analysers make: the open-file
// limit against worker_connections, the default single worker, a low keepalive_requests, and OCSP
// stapling with a certificate that names no responder (Let's Encrypt's since 2025).

import { makeCertificate } from '../support/certs';
import { location, site } from '../support/configs';
import { everyMessageProduced, ruleTests } from '../support/rule-tester';

/** A whole nginx.conf: `main` lines at the top, then events (with `events` lines) and one http server. */
function conf(main: readonly string[], events: readonly string[] = []): string {
  return [
    ...main,
    'events {',
    ...events.map((l) => `    ${l}`),
    '}',
    'http {',
    '    server {',
    '        listen 8080;',
    '        return 204;',
    '    }',
    '}',
    '',
  ].join('\n');
}

const KASM_TREE = { 'orchestrator.conf': 'server {\n    listen 8443;\n}\n', 'services.d/a.conf': 'location / { return 204; }\n' };

ruleTests('workers/rlimit-nofile', {
  valid: [
    { name: 'twice worker_connections', files: { 'nginx.conf': conf(['worker_processes 2;', 'worker_rlimit_nofile 8192;'], ['worker_connections 4096;']) } },
    { name: 'more than twice the default 512', files: { 'nginx.conf': conf(['worker_processes 2;', 'worker_rlimit_nofile 1024;']) } },
    { name: 'no worker_rlimit_nofile: the limit comes from outside the configuration', files: { 'nginx.conf': conf(['worker_processes 2;'], ['worker_connections 65535;']) } },
    { name: 'a fragment without the events block (worker_connections is elsewhere)', files: { 'main.conf': 'worker_rlimit_nofile 100;\n' } },
    { name: 'a value nginx refuses is another rule\'s', files: { 'nginx.conf': conf(['worker_processes 2;', 'worker_rlimit_nofile 10k;'], ['worker_connections 4096;']) } },
    { name: 'a Kasm tree', files: KASM_TREE },
  ],
  invalid: [
    {
      name: 'fewer files than connections: the fix raises the limit to twice worker_connections',
      files: { 'nginx.conf': conf(['worker_processes 2;', 'worker_rlimit_nofile 1024;'], ['worker_connections 4096;']) },
      findings: [{ path: 'nginx.conf', line: 2, severity: 'warning', message: /^4096 worker_connections exceed the open file limit worker_rlimit_nofile 1024\.$/, detail: /Too many open files/ }],
      output: { 'nginx.conf': conf(['worker_processes 2;', 'worker_rlimit_nofile 8192;'], ['worker_connections 4096;']) },
      nginxAcceptsOutput: true,
    },
    {
      name: 'fewer files than the default 512 connections',
      files: { 'nginx.conf': conf(['worker_processes 2;', 'worker_rlimit_nofile 256;']) },
      findings: [{ path: 'nginx.conf', line: 2, severity: 'warning', message: /^512 worker_connections exceed the open file limit worker_rlimit_nofile 256\.$/ }],
      output: { 'nginx.conf': conf(['worker_processes 2;', 'worker_rlimit_nofile 1024;']) },
      nginxAcceptsOutput: true,
    },
    {
      name: 'as many files as connections: no room for the files served',
      files: { 'nginx.conf': conf(['worker_processes 2;', 'worker_rlimit_nofile 4096;'], ['worker_connections 4096;']) },
      findings: [{ path: 'nginx.conf', line: 2, severity: 'information', message: /^worker_rlimit_nofile 4096 is less than twice the 4096 worker_connections\.$/ }],
      output: { 'nginx.conf': conf(['worker_processes 2;', 'worker_rlimit_nofile 8192;'], ['worker_connections 4096;']) },
      nginxAcceptsOutput: true,
    },
  ],
});

ruleTests('workers/processes', {
  valid: [
    { name: 'worker_processes auto', files: { 'nginx.conf': conf(['worker_processes auto;']) } },
    { name: 'an explicit single worker', files: { 'nginx.conf': conf(['worker_processes 1;']) } },
    { name: 'set in an included file', files: { 'nginx.conf': conf(['include workers.conf;']), 'workers.conf': 'worker_processes 4;\n' } },
    { name: 'no master process: nginx never reads it', files: { 'nginx.conf': conf(['master_process off;']) } },
    { name: 'a fragment read as main', files: { 'main.conf': 'error_log stderr;\n' } },
    { name: 'a Kasm tree (the container\'s nginx.conf sets worker_processes auto)', files: KASM_TREE },
  ],
  invalid: [
    {
      name: 'an nginx.conf without worker_processes: the fix adds "auto" first',
      files: { 'nginx.conf': '# comment\nerror_log stderr;\nevents {}\nhttp {\n    server { listen 8080; return 204; }\n}\n' },
      findings: [{ path: 'nginx.conf', line: 2, column: 1, severity: 'hint', message: /^No worker_processes: nginx runs a single worker process\.$/ }],
      output: { 'nginx.conf': '# comment\nworker_processes auto;\nerror_log stderr;\nevents {}\nhttp {\n    server { listen 8080; return 204; }\n}\n' },
      nginxAcceptsOutput: true,
    },
    {
      name: 'a file named otherwise that holds the http block',
      files: { 'site.conf': 'events {}\nhttp {\n    server { listen 8080; }\n}\n' },
      findings: [{ path: 'site.conf', line: 1 }],
      output: { 'site.conf': 'worker_processes auto;\nevents {}\nhttp {\n    server { listen 8080; }\n}\n' },
    },
    {
      name: 'nginx before 1.2.5 has no "auto": no fix',
      files: { 'nginx.conf': conf([]), '.kasmlintrc.json': '{ "nginxVersion": "1.2.0" }' },
      findings: [{ path: 'nginx.conf', line: 1 }],
    },
  ],
});

ruleTests('server/keepalive-requests', {
  valid: [
    { name: "nginx's default", files: { 'nginx.conf': site(['return 204;']) } },
    { name: '1000 and more', files: { 'nginx.conf': site(['keepalive_requests 10000;', 'return 204;'], ['keepalive_requests 1000;']) } },
    { name: 'the requests on a cached upstream connection (another directive)', files: { 'nginx.conf': site(['return 204;'], ['upstream pool {', '    server 127.0.0.1:8083;', '    keepalive 8;', '    keepalive_requests 50;', '}']) } },
    { name: 'a value nginx refuses is another rule\'s', files: { 'nginx.conf': site(['keepalive_requests lots;', 'return 204;']) } },
  ],
  invalid: [
    {
      name: 'the old default of 100 in a server: the fix sets 1000',
      files: { 'nginx.conf': site(['keepalive_requests 100;', 'return 204;']) },
      findings: [{ path: 'nginx.conf', line: 12, severity: 'information', message: /^keepalive_requests 100 closes client connections after 100 requests\.$/, detail: /GOAWAY/ }],
      output: { 'nginx.conf': site(['keepalive_requests 1000;', 'return 204;']) },
      nginxAcceptsOutput: true,
    },
    {
      name: 'one request per connection, in a location and at http level',
      files: { 'nginx.conf': site(location('/api/', ['keepalive_requests 0;', 'return 204;']), ['keepalive_requests 1;']) },
      findings: [
        { path: 'nginx.conf', line: 3, message: /^keepalive_requests 1 closes every client connection after its first request\.$/ },
        { path: 'nginx.conf', line: 14, message: /^keepalive_requests 0 closes every client connection after its first request\.$/ },
      ],
      output: { 'nginx.conf': site(location('/api/', ['keepalive_requests 1000;', 'return 204;']), ['keepalive_requests 1000;']) },
      nginxAcceptsOutput: true,
    },
  ],
});

// A whole nginx.conf with one TLS server using `certificate` and holding `lines`.
function tls(certificate: { crt: string; key: string }, lines: readonly string[]): string {
  return [
    'events {}',
    'http {',
    '    server {',
    '        listen 8443 ssl;',
    `        ssl_certificate ${certificate.crt};`,
    `        ssl_certificate_key ${certificate.key};`,
    ...lines.map((l) => `        ${l}`),
    '    }',
    '}',
    '',
  ].join('\n');
}

const noOcsp = makeCertificate();
const withOcsp = makeCertificate({ ocsp: 'http://127.0.0.1:9/ocsp' });
const selfSigned = makeCertificate({ selfSigned: true, ocsp: 'http://127.0.0.1:9/ocsp' });
const LETS_ENCRYPT = { crt: '/etc/letsencrypt/live/example.com/fullchain.pem', key: '/etc/letsencrypt/live/example.com/privkey.pem' };

ruleTests('tls/stapling', {
  valid: [
    { name: 'a certificate naming a responder, and a resolver', files: { 'nginx.conf': tls(withOcsp, ['ssl_stapling on;', 'resolver 127.0.0.1;']) } },
    { name: 'no responder in the certificate, one named here', files: { 'nginx.conf': tls(noOcsp, ['ssl_stapling on;', 'ssl_stapling_responder http://127.0.0.1:9/ocsp;', 'resolver 127.0.0.1;']) } },
    { name: 'the response from a file needs neither responder nor resolver', files: { 'nginx.conf': tls(noOcsp, ['ssl_stapling on;', 'ssl_stapling_file /etc/nginx/ocsp.der;']) } },
    { name: "a Let's Encrypt certificate without stapling", files: { 'nginx.conf': tls(LETS_ENCRYPT, []) } },
  ],
  invalid: [
    {
      name: 'a certificate that names no OCSP responder: the fix removes the inert lines',
      files: { 'nginx.conf': tls(noOcsp, ['ssl_stapling on;', 'ssl_stapling_verify on;', 'resolver 127.0.0.1;']) },
      findings: [{ path: 'nginx.conf', line: 7, message: /^ssl_stapling has no effect: the certificate .+\.crt names no OCSP responder\.$/, detail: /no OCSP responder URL in the certificate/ }],
      output: { 'nginx.conf': tls(noOcsp, ['resolver 127.0.0.1;']) },
      nginxAcceptsOutput: true,
    },
    {
      name: "an unreadable certificate under /etc/letsencrypt: removed only on request",
      files: { 'nginx.conf': tls(LETS_ENCRYPT, ['ssl_stapling on;', 'ssl_stapling_verify on;', 'resolver 127.0.0.1;']) },
      findings: [{ path: 'nginx.conf', line: 7, message: /^ssl_stapling has no effect with the Let's Encrypt certificate \/etc\/letsencrypt\/live\/example\.com\/fullchain\.pem\.$/, detail: /August 2025/ }],
      output: { 'nginx.conf': tls(LETS_ENCRYPT, ['resolver 127.0.0.1;']) },
    },
    {
      name: 'a responder named here still needs a resolver',
      files: { 'nginx.conf': tls(noOcsp, ['ssl_stapling on;', 'ssl_stapling_responder http://ocsp.example.com/;']) },
      findings: [{ path: 'nginx.conf', line: 7, message: /no resolver applies here/ }],
      output: { 'nginx.conf': tls(noOcsp, ['ssl_stapling on;', 'ssl_stapling_responder http://ocsp.example.com/;', 'resolver 1.1.1.1 8.8.8.8 valid=300s;']) },
    },
    {
      name: 'a self-signed certificate, as before',
      files: { 'nginx.conf': tls(selfSigned, ['ssl_stapling on;']) },
      findings: [{ path: 'nginx.conf', line: 7, message: /no effect with the self-signed certificate/ }],
      output: { 'nginx.conf': tls(selfSigned, []) },
    },
  ],
});

everyMessageProduced(['workers/rlimit-nofile', 'workers/processes', 'server/keepalive-requests', 'tls/stapling']);
