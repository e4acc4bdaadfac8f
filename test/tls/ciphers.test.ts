// kasmlint's cipher-string evaluation against the real `openssl ciphers -v` (OpenSSL 3.0, installed by
// scripts/ensure-tools.sh), on thousands of generated strings: every alias with every operator, pairs,
// and random combinations. The same suites, in the same order, and the same errors.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { test } from 'node:test';
import table from '../../server/src/tls/data/openssl-3.0.json';
import { CIPHERS, describe, expandCipherString } from '../../server/src/tls/openssl';
import { inParallel } from '../support/nginx';

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
