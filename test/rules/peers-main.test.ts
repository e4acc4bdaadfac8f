// Checks of the main context and of connection reuse that other NGINX analysers make: the open-file
// limit against worker_connections, the default single worker, a low keepalive_requests, and OCSP
// stapling with a certificate that names no responder (Let's Encrypt's since 2025).

import { makeCertificate } from '../support/certs';
import { everyMessageProduced, ruleTests } from '../support/rule-tester';

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

everyMessageProduced(['tls/stapling']);
