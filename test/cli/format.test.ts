// `kasmlint format` as users run it: the built dist/kasmlint.js in a separate process, on files written
// to a scratch folder.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { formatNginx } from '../../server/src/format/format';
import { copyKasmFixture } from '../support/kasm';
import { writeTree } from '../support/nginx';

const CLI = join(__dirname, '../../../dist/kasmlint.js');

function kasmlint(args: string[], cwd: string): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

describe('kasmlint format', () => {
  test('--check lists what would change and exits 1; format writes it; --check then exits 0', () => {
    const dir = copyKasmFixture(mkdtempSync(join(tmpdir(), 'kasmlint-format-cli-')));
    const website = join(dir, 'services.d/website.conf');
    const before = readFileSync(website, 'utf8');

    const check = kasmlint(['format', '--check', '.'], dir);
    assert.equal(check.code, 1, check.stderr);
    assert.match(check.stdout, /^would format services\.d\/website\.conf$/m);
    assert.match(check.stderr, /22 files would be formatted, 1 file already formatted/);
    assert.equal(readFileSync(website, 'utf8'), before, '--check writes nothing');

    const run = kasmlint(['format', '.'], dir);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /^formatted services\.d\/website\.conf$/m);
    const want = formatNginx(website, before);
    assert.ok(want.ok);
    assert.equal(readFileSync(website, 'utf8'), want.text);

    const again = kasmlint(['format', '--check', dir], dir);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, '');
  });

  test('a file with a syntax error is left alone: exit 2 with the error and its line', () => {
    const dir = writeTree({ 'nginx.conf': 'http {\n  server {\n listen 80;\n}\n', 'ok.conf': 'gzip   on;\n' });
    const result = kasmlint(['format', '--check', 'nginx.conf', 'ok.conf'], dir);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /nginx\.conf: not formatted: line 5: unexpected end of file, expecting "}"/);
    assert.match(result.stdout, /^would format ok\.conf$/m);
    assert.equal(kasmlint(['format', 'nginx.conf'], dir).code, 2);
    assert.equal(readFileSync(join(dir, 'nginx.conf'), 'utf8'), 'http {\n  server {\n listen 80;\n}\n');
  });

  test('the .editorconfig of each file sets its indentation and line breaks', () => {
    const dir = writeTree({
      '.editorconfig': 'root = true\n[*]\nindent_style = space\nindent_size = 2\n[services.d/*.conf]\nindent_style = tab\nend_of_line = crlf\n',
      'nginx.conf': 'http {\nserver {\nlisten 80;\n}\n}\n',
      'services.d/a.conf': 'location / {\nreturn 204;\n}\n',
    });
    assert.equal(kasmlint(['format', '.'], dir).code, 0);
    assert.equal(readFileSync(join(dir, 'nginx.conf'), 'utf8'), 'http {\n  server {\n    listen 80;\n  }\n}\n');
    assert.equal(readFileSync(join(dir, 'services.d/a.conf'), 'utf8'), 'location / {\r\n\treturn 204;\r\n}\r\n');
  });

  test('a file that is not UTF-8 keeps its bytes; a read-only file is not written (exit 2)', () => {
    const dir = writeTree({ 'latin1.conf': Buffer.from([...Buffer.from('server_name   caf'), 0xe9, ...Buffer.from(';\n')]), 'ro.conf': 'gzip   on;\n' });
    chmodSync(join(dir, 'ro.conf'), 0o444);
    const result = kasmlint(['format', '.'], dir);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /ro\.conf: the file is read-only; not written/);
    assert.deepEqual(readFileSync(join(dir, 'latin1.conf')), Buffer.from([...Buffer.from('server_name caf'), 0xe9, ...Buffer.from(';\n')]));
    assert.equal(readFileSync(join(dir, 'ro.conf'), 'utf8'), 'gzip   on;\n');
  });

  test('--check without format is a usage error', () => {
    const dir = writeTree({ 'nginx.conf': 'events {}\n' });
    const result = kasmlint(['--check', '.'], dir);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--check only makes sense with format/);
  });
});
