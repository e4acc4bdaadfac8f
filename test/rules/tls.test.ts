import { throwAwayCertificate } from '../support/kasm';
import { makeCertificate } from '../support/certs';
import { ruleTests } from '../support/rule-tester';

const cert = throwAwayCertificate();
const INTERMEDIATE =
  'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305';

/** A whole nginx.conf with one TLS server holding `lines` (4-space indented), certificates included. */
function tls(lines: string[], http: string[] = [], certificate = cert): string {
  return [
    'events {}',
    'http {',
    ...http.map((l) => `    ${l}`),
    '    server {',
    '        listen 8443 ssl;',
    '        server_name kasm.example.com;',
    `        ssl_certificate ${certificate.crt};`,
    `        ssl_certificate_key ${certificate.key};`,
    ...lines.map((l) => `        ${l}`),
    '    }',
    '}',
    '',
  ].join('\n');
}

const hardened = ['ssl_protocols TLSv1.2 TLSv1.3;', `ssl_ciphers ${INTERMEDIATE};`, 'ssl_session_tickets off;', 'add_header Strict-Transport-Security "max-age=63072000" always;'];

ruleTests('tls/weak-protocol', {
  valid: [
    { name: 'TLS 1.2 and 1.3', files: { 'nginx.conf': tls(hardened) } },
    { name: 'the default of nginx 1.27.3 and later', files: { 'nginx.conf': tls([]), '.kasmlintrc.json': '{ "nginxVersion": "1.27.3" }' } },
  ],
  invalid: [
    {
      name: 'TLS 1.0 and 1.1 configured',
      files: { 'nginx.conf': tls(['ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;']) },
      findings: [{ path: 'nginx.conf', line: 8, column: 23, message: /^ssl_protocols enables TLSv1 and TLSv1\.1\.$/, detail: /^TLS 1\.0 and 1\.1 are deprecated/ }],
      output: { 'nginx.conf': tls(['ssl_protocols TLSv1.2 TLSv1.3;']) },
      nginxAcceptsOutput: true,
    },
    {
      name: "nginx 1.25.1's default (Kasm's image) still enables TLS 1.0 and 1.1",
      files: { 'nginx.conf': tls([]) },
      findings: [{ path: 'nginx.conf', line: 4, message: /nginx 1\.25\.1's default enables TLSv1 and TLSv1\.1/, detail: /nginx 1\.25\.1 defaults to "TLSv1 TLSv1\.1 TLSv1\.2 TLSv1\.3"/ }],
      output: { 'nginx.conf': tls([]).replace(`ssl_certificate_key ${cert.key};`, `ssl_certificate_key ${cert.key};\n        ssl_protocols TLSv1.2 TLSv1.3;`) },
      nginxAcceptsOutput: true,
    },
    {
      name: 'SSLv3 is an error; inherited from http',
      files: { 'nginx.conf': tls([], ['ssl_protocols SSLv3 TLSv1.2;']) },
      findings: [{ path: 'nginx.conf', line: 3, severity: 'error' }],
      output: { 'nginx.conf': tls([], ['ssl_protocols TLSv1.2 TLSv1.3;']) },
      nginxAcceptsOutput: true,
    },
    {
      name: 'the modern profile allows TLS 1.3 only',
      files: { 'nginx.conf': tls(['ssl_protocols TLSv1.2 TLSv1.3;']), '.kasmlintrc.json': '{ "tlsProfile": "mozilla-modern" }' },
      findings: [{ path: 'nginx.conf', line: 8, message: /enables TLSv1\.2/, detail: /the chosen profile requires TLS 1\.3 only/ }],
      output: { 'nginx.conf': tls(['ssl_protocols TLSv1.3;']) },
      nginxAcceptsOutput: true,
    },
  ],
});

ruleTests('tls/weak-cipher', {
  valid: [
    { name: "Mozilla's intermediate suites", files: { 'nginx.conf': tls(hardened) } },
    { name: "Kasm's shipped list (its DHE suites are inert, tls/dhparam's business)", files: { 'nginx.conf': tls(['ssl_ciphers "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES128-GCM-SHA256";']) } },
  ],
  invalid: [
    {
      name: 'the guide\'s "more secure" EECDH+AESGCM:EECDH+AES256 lets in CBC and SHA-1 suites',
      files: { 'nginx.conf': tls(['ssl_ciphers EECDH+AESGCM:EECDH+AES256;']) },
      findings: [{ path: 'nginx.conf', line: 8, severity: 'warning', message: /lets nginx negotiate 4 weak suites/, detail: /SHA-1 integrity with CBC \(TLS 1\.0 era\): ECDHE-ECDSA-AES256-SHA, ECDHE-RSA-AES256-SHA/ }],
      output: { 'nginx.conf': tls([`ssl_ciphers ${INTERMEDIATE};`]) },
      nginxAcceptsOutput: true,
    },
    {
      name: "nginx's default HIGH:!aNULL:!MD5 on a server without ssl_ciphers",
      files: { 'nginx.conf': tls(['ssl_protocols TLSv1.2 TLSv1.3;']) },
      findings: [{ path: 'nginx.conf', line: 4, message: /nginx's default lets in \d+ weak suites/, detail: /default "HIGH:!aNULL:!MD5" \(\d+ suites\).*no forward secrecy/ }],
      output: { 'nginx.conf': tls(['ssl_protocols TLSv1.2 TLSv1.3;', `ssl_ciphers ${INTERMEDIATE};`]) },
      nginxAcceptsOutput: true,
    },
    {
      name: 'a string that matches nothing stops nginx',
      files: { 'nginx.conf': tls(['ssl_ciphers FOO:BAR;']) },
      findings: [{ path: 'nginx.conf', line: 8, severity: 'error', message: /matches no cipher suite/, detail: /OpenSSL: no cipher match/ }],
    },
  ],
});

ruleTests('tls/dhparam', {
  valid: [{ name: 'no DHE suites', files: { 'nginx.conf': tls(hardened) } }],
  invalid: [
    {
      name: "Kasm's shipped DHE suites without ssl_dhparam are inert; the fix removes them",
      files: { 'nginx.conf': tls(['ssl_ciphers "ECDHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384";']) },
      findings: [{ path: 'nginx.conf', line: 8, message: /lists DHE suites, but without ssl_dhparam/, detail: /DHE-RSA-AES128-GCM-SHA256 and DHE-RSA-AES256-GCM-SHA384 are dead weight/ }],
      output: { 'nginx.conf': tls(['ssl_ciphers ECDHE-RSA-AES128-GCM-SHA256;']) },
      nginxAcceptsOutput: true,
    },
  ],
});

ruleTests('tls/ecdh-curve', {
  valid: [{ name: 'the intermediate groups', files: { 'nginx.conf': tls(['ssl_ecdh_curve X25519:prime256v1:secp384r1;']) } }],
  invalid: [
    {
      name: "X25519MLKEM768 (Mozilla 2026) on OpenSSL 3.0 stops nginx",
      files: { 'nginx.conf': tls(['ssl_ecdh_curve X25519MLKEM768:X25519:prime256v1:secp384r1;']) },
      findings: [{ path: 'nginx.conf', line: 8, severity: 'error', message: /"X25519MLKEM768", which OpenSSL 3\.0 does not know \(it appeared in OpenSSL 3\.5\)/ }],
      output: { 'nginx.conf': tls(['ssl_ecdh_curve X25519:prime256v1:secp384r1;']) },
      nginxAcceptsOutput: true,
    },
    {
      name: 'names are case-sensitive, and a group named twice is refused',
      files: { 'nginx.conf': tls(['ssl_ecdh_curve prime256v1:secp256r1:PRIME256V1;']) },
      findings: [{ path: 'nginx.conf', line: 8, severity: 'error', message: /"PRIME256V1"/ }],
      output: { 'nginx.conf': tls(['ssl_ecdh_curve prime256v1;']) },
      nginxAcceptsOutput: true,
    },
  ],
});

const signed = makeCertificate({ ocsp: 'http://127.0.0.1:9/ocsp' });
const selfSigned = makeCertificate({ selfSigned: true });

ruleTests('tls/stapling', {
  valid: [{ name: 'stapling with a resolver and a CA-signed certificate naming a responder', files: { 'nginx.conf': tls(['ssl_stapling on;', 'resolver 127.0.0.1;'], [], signed) } }],
  invalid: [
    {
      name: 'no resolver (Kasm ships this): the fix adds one',
      files: { 'nginx.conf': tls(['ssl_stapling on;'], [], signed) },
      findings: [{ path: 'nginx.conf', line: 8, message: /no resolver applies here/ }],
      output: { 'nginx.conf': tls(['ssl_stapling on;', 'resolver 1.1.1.1 8.8.8.8 valid=300s;'], [], signed) },
      nginxAcceptsOutput: true,
    },
    {
      name: 'a self-signed certificate makes stapling inert: the fix removes the stapling lines',
      files: { 'nginx.conf': tls(['ssl_session_tickets off;', 'ssl_stapling on;', 'ssl_stapling_verify on;'], [], selfSigned) },
      findings: [{ path: 'nginx.conf', line: 9, message: /no effect with the self-signed certificate/ }],
      output: { 'nginx.conf': tls(['ssl_session_tickets off;'], [], selfSigned) },
      nginxAcceptsOutput: true,
    },
  ],
});

ruleTests('tls/session', {
  valid: [{ name: 'tickets off', files: { 'nginx.conf': tls(['ssl_session_tickets off;']) } }],
  invalid: [
    {
      name: 'tickets on by default: the fix turns them off',
      files: { 'nginx.conf': tls(['ssl_protocols TLSv1.2 TLSv1.3;']) },
      findings: [{ path: 'nginx.conf', line: 4, message: /session tickets are on \(nginx's default\)/ }],
      output: { 'nginx.conf': tls(['ssl_protocols TLSv1.2 TLSv1.3;', 'ssl_session_tickets off;']) },
      nginxAcceptsOutput: true,
    },
    {
      name: 'a session timeout over 15 minutes with the STIG profile',
      files: { 'nginx.conf': tls(['ssl_session_tickets off;', 'ssl_session_timeout 1d;']), '.kasmlintrc.json': '{ "tlsProfile": "stig" }' },
      findings: [{ path: 'nginx.conf', line: 9, severity: 'warning', message: /ssl_session_timeout is 1d, longer than the 15 minutes the stig profile allows/ }],
      output: { 'nginx.conf': tls(['ssl_session_tickets off;', 'ssl_session_timeout 10m;']) },
      nginxAcceptsOutput: true,
    },
  ],
});

ruleTests('tls/hsts', {
  valid: [
    { name: 'HSTS at server level', files: { 'nginx.conf': tls(hardened) } },
    { name: 'HSTS in a location only, as Kasm sets it', files: { 'nginx.conf': tls(['location / {', '    add_header Strict-Transport-Security "max-age=63072000" always;', '}']) } },
  ],
  invalid: [
    {
      name: 'no HSTS: the fix adds it and keeps the headers inherited from http',
      files: { 'nginx.conf': tls(['ssl_protocols TLSv1.2 TLSv1.3;'], ['add_header X-Content-Type-Options nosniff always;']) },
      findings: [{ path: 'nginx.conf', line: 5, message: /never sends Strict-Transport-Security/ }],
      output: {
        'nginx.conf': tls(['ssl_protocols TLSv1.2 TLSv1.3;', 'add_header X-Content-Type-Options nosniff always;', 'add_header Strict-Transport-Security "max-age=63072000" always;'], ['add_header X-Content-Type-Options nosniff always;']),
      },
      nginxAcceptsOutput: true,
    },
    {
      name: 'a max-age under six months',
      files: { 'nginx.conf': tls(['add_header Strict-Transport-Security "max-age=3600; includeSubDomains" always;']) },
      findings: [{ path: 'nginx.conf', line: 8, message: /max-age is 3600 seconds \(0 days\)/ }],
      output: { 'nginx.conf': tls(['add_header Strict-Transport-Security "max-age=63072000; includeSubDomains" always;']) },
      nginxAcceptsOutput: true,
    },
  ],
});

ruleTests('tls/certificate', {
  valid: [{ name: 'a CA-signed certificate for the server name', files: { 'nginx.conf': tls([], [], makeCertificate()) } }],
  invalid: [
    { name: 'expired', files: { 'nginx.conf': tls([], [], makeCertificate({ days: -1 })) }, findings: [{ path: 'nginx.conf', line: 6, severity: 'error', message: /expired on/ }] },
    { name: 'expiring within 30 days', files: { 'nginx.conf': tls([], [], makeCertificate({ days: 10 })) }, findings: [{ path: 'nginx.conf', line: 6, message: /expires on .* in (9|10) days/ }] },
    { name: 'self-signed, as Kasm installs it', files: { 'nginx.conf': tls([], [], makeCertificate({ selfSigned: true })) }, findings: [{ path: 'nginx.conf', line: 6, severity: 'information', message: /self-signed/ }] },
    { name: 'an RSA key of 1024 bits', files: { 'nginx.conf': tls([], [], makeCertificate({ key: 'rsa:1024' })) }, findings: [{ path: 'nginx.conf', line: 6, message: /1024-bit RSA key/ }] },
    {
      name: 'a key that belongs to another certificate',
      files: { 'nginx.conf': tls([], [], { crt: makeCertificate().crt, key: makeCertificate().key }) },
      findings: [{ path: 'nginx.conf', line: 7, severity: 'error', message: /does not belong to the certificate/ }],
    },
    {
      name: 'a server name the certificate does not cover',
      files: { 'nginx.conf': tls([], [], makeCertificate({ cn: 'other.example.com' })) },
      findings: [{ path: 'nginx.conf', line: 5, message: /server_name kasm\.example\.com is not among the names of the certificate/ }],
    },
  ],
});

ruleTests('tls/plaintext-listener', {
  valid: [{ name: 'listen 443 ssl', files: { 'nginx.conf': 'events {}\nhttp {\n    server {\n        listen 8080;\n    }\n}\n' } }],
  invalid: [
    {
      name: 'listen 443 without ssl, no certificate: no fix',
      files: { 'nginx.conf': 'events {}\nhttp {\n    server {\n        listen 443;\n    }\n}\n' },
      findings: [{ path: 'nginx.conf', line: 4, message: /serves plain HTTP on port 443/, detail: /Add ssl with a certificate/ }],
    },
    {
      name: 'listen [::]:8443 with a certificate: the (unsafe) fix adds ssl',
      files: { 'nginx.conf': `events {}\nhttp {\n    server {\n        listen [::]:8443;\n        ssl_certificate ${cert.crt};\n        ssl_certificate_key ${cert.key};\n    }\n}\n` },
      findings: [{ path: 'nginx.conf', line: 4 }],
      output: { 'nginx.conf': `events {}\nhttp {\n    server {\n        listen [::]:8443 ssl;\n        ssl_certificate ${cert.crt};\n        ssl_certificate_key ${cert.key};\n    }\n}\n` },
    },
  ],
});

