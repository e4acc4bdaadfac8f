// Hostile inputs: files that are not files, includes that never end, regexes built to backtrack, YAML
// built to expand. Each gets a clear finding and a bounded time (the test's timeout is the guard; speed
// itself is measured in `npm run bench`).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeOriginRegex } from '../../server/src/proxy/origin-regex';
import { lint } from '../support/engine';
import { writeTree } from '../support/nginx';

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

function nginxFindings(dir: string) {
  return lint([dir]).findings.filter((f) => f.rule.startsWith('nginx/')).map((f) => `${f.rule} ${f.message}`);
}

test('an include of /dev/zero or of a FIFO: reported, never read forever', { timeout: 30_000 }, () => {
  const dir = writeTree({ 'nginx.conf': 'events {}\nhttp {\n    include /dev/zero;\n    include fifo.conf;\n}\n' });
  execFileSync('mkfifo', [join(dir, 'fifo.conf')]);
  const found = nginxFindings(dir);
  assert.equal(found.length, 2, found.join('\n'));
  assert.ok(found.every((f) => /not a regular file \(a device, FIFO or socket\)/.test(f)), found.join('\n'));
});

test('an include glob that matches 10,000 files', { timeout: 120_000 }, () => {
  // (a connection of each worker for every listening socket: nginx refuses fewer)
  const dir = writeTree({ 'nginx.conf': 'events {\n    worker_connections 16384;\n}\nhttp {\n    include many/*.conf;\n}\n' });
  mkdirSync(join(dir, 'many'));
  for (let i = 0; i < 10_000; i++) writeFileSync(join(dir, 'many', `s${i}.conf`), `server { listen ${10_000 + i}; server_name s${i}.example.com; }\n`);
  const run = lint([dir]);
  assert.equal(run.analyses[0]!.model.files.size, 10_001);
  assert.deepEqual(run.findings.filter((f) => f.rule.startsWith('nginx/')), []);
});

test('symbolic link loops and include cycles across files', { timeout: 30_000 }, () => {
  const dir = writeTree({
    'nginx.conf': 'events {}\nhttp {\n    include self.conf;\n    include loop/*.conf;\n    include a.conf;\n}\n',
    'a.conf': 'include b.conf;\n',
    'b.conf': 'include a.conf;\n',
  });
  symlinkSync('self.conf', join(dir, 'self.conf'));
  mkdirSync(join(dir, 'loop'));
  symlinkSync('.', join(dir, 'loop/again'));
  symlinkSync('../loop/again/again/again/x.conf', join(dir, 'loop/x.conf'));
  const found = nginxFindings(dir);
  assert.ok(found.some((f) => /self\.conf.*(Too many levels of symbolic links|ELOOP)/i.test(f)), found.join('\n'));
  assert.ok(found.some((f) => f.startsWith('nginx/include-cycle')), found.join('\n'));
});

test('regexes that backtrack exponentially are analysed without being run', { timeout: 30_000 }, () => {
  for (const evil of ['^(a+)+$', '^(a|a)*$', '^(a|aa)+$', '^((a+))+$', '^(https?://(kasm|kasm)+)*\\.example\\.com$', '(.*a){20}', '^(\\w+\\s?)*$', '(a)\\1']) {
    const start = process.hrtime.bigint();
    analyzeOriginRegex(evil, false);
    assert.ok(Number(process.hrtime.bigint() - start) / 1e6 < 2_000, evil);
  }
  // The same regexes in a Kasm origin allow-list: the CORS rules analyse them without running them.
  const origins = ['^(https?://(kasm|kasm)+)*\\.example\\.com$', '^(a|a)*$', '^((a+))+$'];
  const dir = writeTree({
    'nginx.conf':
      'events {}\nhttp {\n    map $http_origin $cors {\n        default "";\n' +
      origins.map((o) => `        "~${o}" $http_origin;\n`).join('') +
      '    }\n    server {\n        listen 8443;\n        location / {\n' +
      `            if ($http_origin ~* "${origins[1]}") { add_header Access-Control-Allow-Origin $http_origin; }\n` +
      '            add_header Access-Control-Allow-Origin $cors always;\n            add_header Access-Control-Allow-Credentials true always;\n        }\n    }\n}\n',
  });
  const start = process.hrtime.bigint();
  lint([dir]);
  assert.ok(ms(start) < 5_000, `${ms(start)} ms`);
});

test('a cloudflared config built to expand (a billion laughs of aliases) is read in bounded time', { timeout: 30_000 }, () => {
  const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 12; i++) {
    const name = String.fromCharCode(97 + i);
    const previous = String.fromCharCode(96 + i);
    levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
  }
  const dir = writeTree({
    'cloudflared/config.yml': `tunnel: x\ncredentials-file: /root/x.json\n${levels.join('\n')}\ningress:\n  - hostname: kasm.example.com\n    service: https://localhost:443\n    originRequest: *l\n  - service: http_status:404\n`,
  });
  const start = process.hrtime.bigint();
  const run = lint([dir]);
  assert.ok(ms(start) < 5_000, `${ms(start)} ms`);
  // yaml.v3 decodes the values of unknown top-level keys (configFileSettings.Settings) and stops on its alias limit (decode.go allowedAliasRatio).
  assert.ok(run.findings.some((f) => f.rule === 'cloudflared/syntax' && f.message === 'yaml: document contains excessive aliasing'));
});
