// kasmlint's cipher-string evaluation against the real `openssl ciphers -v` (OpenSSL 3.0, installed by
// scripts/ensure-tools.sh), on thousands of generated strings: every alias with every operator, pairs,
// and random combinations. The same suites, in the same order, and the same errors.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { test } from 'node:test';
import table from '../../server/src/tls/data/openssl-3.0.json';
import { CIPHERS, describe, expandCipherString } from '../../server/src/tls/openssl';
import { join } from 'node:path';
import { describe as describeVerdict, ourVerdict } from '../support/engine';
import { throwAwayCertificate } from '../support/kasm';
import { inParallel, nginxTestAsync, nginxVersion, writeTree } from '../support/nginx';

interface Real {
  ok: boolean;
  lines: string[];
  error?: string;
}

function opensslCiphers(text: string): Promise<Real> {
  return new Promise((resolve) => {
    const child = spawn('openssl', ['ciphers', '-v', '--', text], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => {
      const reason = /:(no cipher match|invalid command):/.exec(err)?.[1];
      resolve({ ok: code === 0, lines: out.split('\n').filter((l) => l !== ''), error: reason ?? (code === 0 ? undefined : err.trim()) });
    });
  });
}

function ours(text: string): Real {
  const e = expandCipherString(text);
  return e.ok ? { ok: true, lines: e.ciphers.map((c) => describe(c)) } : { ok: false, lines: [], error: e.error };
}

function corpus(): string[] {
  const aliases = table.aliases.map((a) => a.name);
  const names = CIPHERS.map((c) => c.name);
  const unknown = ['FOO', 'aes', 'HIGHER', 'TLSv1.3', 'EXPORT', 'EXP', 'ECDHE-RSA-AES128-GCM-SHA', 'kEECDH2'];
  const words = [...aliases, ...unknown];
  const strings = new Set<string>();
  for (const a of words) {
    for (const s of [a, `!${a}`, `-${a}`, `+${a}`, `ALL:-${a}`, `ALL:!${a}`, `ALL:+${a}`, `HIGH:-${a}:${a}`, `${a}:@STRENGTH`, `DEFAULT:!${a}`, `${a}+HIGH`, `${a}+AES256:${a}+SHA1`]) strings.add(s);
  }
  let seed = 7;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const pick = <T>(list: readonly T[]) => list[random(list.length)]!;
  for (let i = 0; i < 600; i++) {
    const a = pick(words);
    const b = pick(words);
    for (const s of [`${a}+${b}`, `${a}:${b}`, `${a}:!${b}`, `${b}+${a}:-${a}`]) strings.add(s);
  }
  for (const n of names) strings.add(n);
  const separators = [':', ':', ':', ',', ' ', ';', '::'];
  const prefixes = ['', '', '', '!', '-', '+'];
  for (let i = 0; i < 2500; i++) {
    const items: string[] = [];
    const count = 1 + random(6);
    for (let k = 0; k < count; k++) {
      const r = random(20);
      if (r === 0) items.push('@STRENGTH');
      else if (r === 1) items.push(`@SECLEVEL=${random(7)}`);
      else {
        const parts = Array.from({ length: 1 + random(3) }, () => (random(5) === 0 ? pick(names) : pick(words)));
        items.push(pick(prefixes) + parts.join('+'));
      }
    }
    let s = items.reduce((acc, item, idx) => (idx === 0 ? item : acc + pick(separators) + item), '');
    if (random(8) === 0) s = `DEFAULT${random(2) ? ':' : ''}${s}`;
    strings.add(s);
  }
  for (const s of ['SUITEB128', 'SUITEB128ONLY', 'SUITEB128C2', 'SUITEB192', 'SUITEB128:HIGH', 'DEFAULT', 'DEFAULTX', 'HIGH:@FOO', 'HIGH:@SECLEVEL=9', 'AES_128', 'HIGH!', 'HIGH:', ':HIGH', '', 'EECDH+AESGCM:EECDH+AES256', 'HIGH:!aNULL:!MD5']) strings.add(s);
  return [...strings];
}

test('the OpenSSL on this machine is 3.0, the version the table comes from', () => {
  const version = spawnSync('openssl', ['version'], { encoding: 'utf8' }).stdout;
  assert.match(version, /^OpenSSL 3\.0\./);
});

test('every generated cipher string: the same suites in the same order, or the same error, as openssl ciphers -v', { timeout: 600_000 }, async (t) => {
  const strings = corpus().filter((s) => s !== '');
  const mismatches: string[] = [];
  let errors = 0;
  await inParallel(
    strings.map((s) => async () => {
      const real = await opensslCiphers(s);
      const mine = ours(s);
      if (!real.ok) errors++;
      const same = real.ok === mine.ok && (real.ok ? real.lines.join('\n') === mine.lines.join('\n') : real.error === mine.error);
      if (!same) {
        const diff = real.ok && mine.ok ? `first difference at line ${real.lines.findIndex((l, i) => l !== mine.lines[i])}` : `openssl: ${real.error ?? 'ok'}, kasmlint: ${mine.error ?? 'ok'}`;
        mismatches.push(`'${s}': ${diff} (${real.lines.length} vs ${mine.lines.length} lines)`);
      }
    }),
    4,
  );
  t.diagnostic(`${strings.length} cipher strings compared with the real openssl (${errors} rejected by it)`);
  assert.ok(strings.length > 3000);
  assert.deepEqual(mismatches.slice(0, 40), []);
});

test('a cipher string OpenSSL takes none of stops nginx -t with its message, as kasmlint says', { timeout: 300_000 }, async () => {
  const { crt, key } = throwAwayCertificate();
  const version = nginxVersion();
  const server = (ciphers: string, certificate = true) =>
    `    server {\n        listen 127.0.0.1:18443 ssl;\n${certificate ? `        ssl_certificate ${crt};\n        ssl_certificate_key ${key};\n` : ''}        ssl_ciphers "${ciphers}";\n    }\n`;
  const configurations = [
    ...['foo', '@FOO', 'HIGH:@SECLEVEL=9', '!ALL', 'TLSv1.3', 'NULL', 'HIGH:!aNULL', 'kRSA+NULL', 'ECDHE+AESGCM:-ALL', 'DEFAULT:@STRENGTH'].map((c) => `events {}\nhttp {\n${server(c)}}\n`),
    // set at http level and inherited; the server without a certificate gets no SSL context (and no ciphers)
    `events {}\nhttp {\n    ssl_ciphers foo;\n    server {\n        listen 127.0.0.1:18444;\n    }\n${server('HIGH', true).replace(/        ssl_ciphers "HIGH";\n/, '')}}\n`,
  ];
  const wrong: string[] = [];
  await inParallel(
    configurations.map((text) => async () => {
      const dir = writeTree({ 'nginx.conf': text });
      const real = await nginxTestAsync(join(dir, 'nginx.conf'));
      const ours = ourVerdict(dir, version);
      const same = real.ok ? ours.ok : !ours.ok && real.message === ours.message && real.line === ours.line;
      if (!same) wrong.push(`${text.match(/ssl_ciphers "?([^";]*)/)![1]}: nginx -t: ${describeVerdict(real)}; kasmlint: ${describeVerdict(ours)}`);
    }),
  );
  assert.deepEqual(wrong, []);
});
