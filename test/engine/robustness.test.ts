// Whatever the input, the engine returns: no exception, no hang (each test has a time limit as a
// guard, not as a speed measure: speed is in `npm run bench`), findings inside the document.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Finding } from '../../server/src/engine/findings';
import { parseNginx } from '../../server/src/nginx/parser';
import { lint } from '../support/engine';
import { writeTree } from '../support/nginx';

function assertInside(findings: readonly Finding[], texts: Map<string, string>): void {
  for (const f of findings) {
    const text = texts.get(f.file);
    if (text === undefined) continue;
    const lines = text.split(/\r\n|\r|\n/);
    for (const p of [f.range.start, f.range.end]) {
      assert.ok(p.line >= 0 && p.line < lines.length, `line ${p.line} outside ${f.file}`);
      assert.ok(p.character >= 0 && p.character <= lines[p.line]!.length, `character ${p.character} outside line ${p.line}`);
    }
  }
}

test('binary data', { timeout: 60_000 }, () => {
  const dir = writeTree({});
  writeFileSync(join(dir, 'random.conf'), randomBytes(1024 * 1024));
  const run = lint([dir]);
  assert.ok(run.findings.some((f) => f.rule === 'nginx/syntax' && /binary data/.test(f.message)));
});

test('10,000 nested blocks', { timeout: 60_000 }, () => {
  const text = `server {\n${'location /a {\n'.repeat(10_000)}${'}\n'.repeat(10_000)}}\n`;
  const dir = writeTree({ 'deep.conf': text });
  const run = lint([dir]);
  assertInside(run.findings, new Map([[join(dir, 'deep.conf'), text]]));
  const unclosed = `http {\n${'server {\n'.repeat(10_000)}`;
  assert.equal(parseNginx('/u.conf', unclosed).issues[0]!.message, 'unexpected end of file, expecting "}"');
});

test('a line of 1 MB', { timeout: 60_000 }, () => {
  const text = `add_header X "${'a'.repeat(1024 * 1024)}";\nadd_header Y ${'b'.repeat(1024 * 1024)};\n`;
  const file = parseNginx('/l.conf', text);
  assert.deepEqual(
    file.issues.map((i) => i.message),
    ['too long parameter, probably missing terminating """ character', 'too long parameter "bbbbbbbbbb..." started'],
  );
});

test('a 50 MB configuration', { timeout: 240_000 }, () => {
  const block = (i: number) =>
    `    server {\n        listen ${9000 + (i % 400)};\n        location /p${i}/ {\n            proxy_set_header Host $host;\n            proxy_pass http://127.0.0.1:9000;\n        }\n    }\n`;
  const parts = ['events {}\nhttp {\n'];
  let size = 0;
  for (let i = 0; size < 50 * 1024 * 1024; i++) {
    const b = block(i);
    parts.push(b);
    size += b.length;
  }
  parts.push('}\n');
  const dir = writeTree({ 'nginx.conf': parts.join('') });
  const run = lint([dir]);
  assert.deepEqual(run.findings.filter((f) => f.rule.startsWith('nginx/')), []);
  assert.ok(run.analyses[0]!.model.directives().length > 1_000_000);
  // 260,000 servers without headers or rate limits: each rule stops at the limit and says where.
  const stopped = run.findings.filter((f) => f.rule === 'kasmlint/finding-limit');
  assert.ok(stopped.some((f) => f.message.startsWith('headers/x-frame-options stopped here after 1000 findings')));
  assert.equal(run.findings.filter((f) => f.rule === 'headers/x-frame-options').length, 1000);
});

test('invalid UTF-8 is read byte for byte', () => {
  const dir = writeTree({});
  writeFileSync(join(dir, 'nginx.conf'), Buffer.concat([Buffer.from('worker_processes 1;\nevents {}\nhttp {\n    # \xff\xfe '), Buffer.from([0xc3, 0x28]), Buffer.from('\n}\n')]));
  const run = lint([dir]);
  assert.deepEqual(run.findings, []);
  assert.equal([...run.analyses[0]!.model.files.values()][0]!.latin1, true);
});

test('random mutations of a real configuration never throw and keep ranges inside the text', { timeout: 120_000 }, () => {
  const base = 'events {}\nhttp {\n    map $http_upgrade $c { default upgrade; "" close; }\n    server {\n        listen 8080;\n        location / {\n            proxy_set_header Upgrade $http_upgrade;\n            add_header A "b c" always;\n            if ($a = "b") { return 204; }\n        }\n    }\n}\n';
  const alphabet = ['{', '}', ';', '"', "'", '\\', '#', '$', '\n', ' ', 'a', '(', ')', '\r', '\0'];
  let seed = 42;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  for (let i = 0; i < 2000; i++) {
    let text = base;
    for (let k = 0; k < 1 + random(4); k++) {
      const at = random(text.length + 1);
      const op = random(3);
      if (op === 0) text = text.slice(0, at) + text.slice(at + 1);
      else if (op === 1) text = text.slice(0, at) + alphabet[random(alphabet.length)] + text.slice(at);
      else text = text.slice(0, at) + text.slice(at, at + 1 + random(20)) + text.slice(at);
    }
    const file = parseNginx('/m.conf', text);
    for (const issue of file.issues) assert.ok(issue.start >= 0 && issue.end <= text.length && issue.start <= issue.end);
  }
});
