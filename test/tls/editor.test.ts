// TLS in the editor and on the command line: the cipher table of the hover, the certificate hover,
// and `kasmlint ciphers`.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { hoverAt } from '../../server/src/editing/hover';
import { makeCertificate } from '../support/certs';
import { lintTree } from '../support/engine';

const ROOT = join(__dirname, '../../..');

test('hover on ssl_ciphers: the expansion as a table, each suite with its weaknesses', () => {
  const text = 'events {}\nhttp {\n    server {\n        listen 8443 ssl;\n        ssl_ciphers EECDH+AESGCM:EECDH+AES256;\n    }\n}\n';
  const { run } = lintTree({ 'nginx.conf': text });
  const analysis = run.analyses[0]!;
  const file = [...analysis.model.files.values()][0]!;
  const hover = hoverAt(analysis, analysis.catalog, file, text.indexOf('EECDH+AES256'))!;
  assert.match(hover.markdown, /\*\*10 suites\*\* as OpenSSL 3\.0 expands the string/);
  assert.match(hover.markdown, /\| ECDHE-RSA-AES256-SHA \| TLSv1 \| ECDH \| RSA \| AES\(256\) \| SHA1 \| ⚠ SHA-1 integrity with CBC/);
  assert.match(hover.markdown, /\| TLS_AES_256_GCM_SHA384 \| TLSv1\.3 .*TLS 1\.3 \(not set by ssl_ciphers\)/);
});

test('hover on ssl_certificate: subject, issuer, validity, names, key', () => {
  const cert = makeCertificate({ names: ['kasm.example.com', 'www.example.com'] });
  const text = `events {}\nhttp {\n    server {\n        listen 8443 ssl;\n        ssl_certificate ${cert.crt};\n    }\n}\n`;
  const { run } = lintTree({ 'nginx.conf': text });
  const analysis = run.analyses[0]!;
  const file = [...analysis.model.files.values()][0]!;
  const hover = hoverAt(analysis, analysis.catalog, file, text.indexOf(cert.crt) + 3)!;
  assert.match(hover.markdown, /Subject: CN=kasm\.example\.com/);
  assert.match(hover.markdown, /Issuer: CN=kasmlint test CA/);
  assert.match(hover.markdown, /Names: kasm\.example\.com, www\.example\.com/);
  assert.match(hover.markdown, /Key: RSA 2048 bits/);
});

test('kasmlint ciphers prints what openssl ciphers -v prints, or JSON', () => {
  const text = spawnSync(process.execPath, [join(ROOT, 'dist/kasmlint.js'), 'ciphers', 'ECDHE+AESGCM'], { encoding: 'utf8' });
  const real = spawnSync('openssl', ['ciphers', '-v', 'ECDHE+AESGCM'], { encoding: 'utf8' });
  assert.equal(text.status, 0);
  assert.equal(text.stdout, real.stdout);
  const json = spawnSync(process.execPath, [join(ROOT, 'dist/kasmlint.js'), 'ciphers', '--format', 'json', 'ECDHE+AESGCM'], { encoding: 'utf8' });
  const list = JSON.parse(json.stdout) as Array<Record<string, string>>;
  assert.deepEqual(list[3], { name: 'ECDHE-ECDSA-AES256-GCM-SHA384', protocol: 'TLSv1.2', kx: 'ECDH', au: 'ECDSA', enc: 'AESGCM(256)', mac: 'AEAD' });
  const bad = spawnSync(process.execPath, [join(ROOT, 'dist/kasmlint.js'), 'ciphers', 'FOO'], { encoding: 'utf8' });
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /no cipher match/);
});
