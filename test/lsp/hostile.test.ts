// Hostile inputs through the language server, as an editor sends them: one server process gets each
// in turn (opened documents, or files its open documents include from disk). Each must give its
// finding within a bound and leave the server alive: it answers a hover on an ordinary file after
// every one. The time of each is reported (the bound is a guard; speed is measured by `npm run bench`).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic, Hover } from 'vscode-languageserver-protocol';
import { LspClient, uri } from '../support/lsp-client';

const NORMAL = 'events {}\nhttp {\n    server {\n        listen 8080;\n        expires 4h;\n    }\n}\n';

describe('hostile inputs through the language server', () => {
  let client: LspClient;
  let workspace: string;
  let normal: string;
  let version = 0;

  before(async () => {
    workspace = mkdtempSync(join(tmpdir(), 'kasmlint-lsp-hostile-'));
    mkdirSync(join(workspace, 'normal'));
    normal = join(workspace, 'normal/nginx.conf');
    writeFileSync(normal, NORMAL);
    client = new LspClient(['--stdio'], undefined, ['--expose-gc']);
    await client.initialize(workspace, { hover: {} }, 0);
    await client.open(normal, NORMAL);
    await client.waitForDiagnostics(uri(normal));
  });
  after(() => client.shutdown());

  /** Opens `path` with `text`, waits for its diagnostics to satisfy `expected`; then the server must answer a hover. */
  async function hostile(t: { diagnostic: (m: string) => void }, path: string, text: string, expected: (d: Diagnostic[]) => boolean, boundMs = 60_000): Promise<Diagnostic[]> {
    const started = performance.now();
    const v = ++version;
    await client.open(path, text, v);
    await client.waitFor(() => {
      const d = client.diagnostics.get(uri(path));
      return d !== undefined && d.version === v && expected(d.diagnostics);
    }, boundMs, `the expected diagnostics of ${path}`);
    const took = performance.now() - started;
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: uri(normal) }, position: { line: 4, character: 10 } });
    assert.match((hover.contents as { value: string }).value, /expires/);
    const status = await client.request<{ heapUsedBytes: number; rssBytes: number }>('kasmlint/status', {});
    t.diagnostic(`${(text.length / 1024 / 1024).toFixed(1)} MB of text: diagnostics in ${took.toFixed(0)} ms; the server answers; heap ${(status.heapUsedBytes / 2 ** 20).toFixed(0)} MiB`);
    const published = client.diagnostics.get(uri(path))!.diagnostics;
    await client.close(path);
    assert.equal(client.exitCode, null);
    return published;
  }

  const has = (pattern: RegExp) => (d: Diagnostic[]) => d.some((x) => pattern.test(`${x.code} ${x.message}`));

  test('binary data', async (t) => {
    const text = randomBytes(1024 * 1024).toString('latin1');
    await hostile(t, join(workspace, 'binary/random.conf'), text, has(/^nginx\/syntax This file holds binary data/));
  });

  test('10,000 nested blocks', async (t) => {
    const text = `server {\n${'location /a {\n'.repeat(10_000)}${'}\n'.repeat(10_000)}}\n`;
    // any diagnostics for this version: the analysis of 10,000 levels returned
    await hostile(t, join(workspace, 'deep/deep.conf'), text, () => true);
  });

  test('a line of 1 MB', async (t) => {
    const text = `add_header X "${'a'.repeat(1024 * 1024)}";\n`;
    await hostile(t, join(workspace, 'line/long.conf'), text, has(/too long parameter, probably missing terminating """ character/));
  });

  test('a 50 MB configuration', { timeout: 300_000 }, async (t) => {
    const block = (i: number) => `    server {\n        listen ${9000 + (i % 400)};\n        location /p${i}/ {\n            proxy_pass http://127.0.0.1:9000;\n        }\n    }\n`;
    const parts = ['events {}\nhttp {\n'];
    for (let i = 0, size = 0; size < 50 * 1024 * 1024; i++) {
      const b = block(i);
      parts.push(b);
      size += b.length;
    }
    parts.push('}\n');
    mkdirSync(join(workspace, 'huge'));
    const path = join(workspace, 'huge/nginx.conf');
    await hostile(t, path, parts.join(''), has(/^kasmlint\/finding-limit /), 240_000);
    // closed and never saved: its diagnostics go, and so does the memory its analysis held
    await client.waitForDiagnostics(uri(path), (d) => d.diagnostics.length === 0);
    // Asked again for up to 10 s: right after the analysis that drops it, one collection has been seen
    // to find the 2 GB of the one before still held (for one more message of the thread's); what must
    // not happen is that it stays.
    let heap = Number.POSITIVE_INFINITY;
    for (const started = performance.now(); heap >= 512 * 2 ** 20 && performance.now() - started < 10_000; ) {
      heap = (await client.request<{ heapUsedBytes: number }>('kasmlint/status', {})).heapUsedBytes;
      if (heap >= 512 * 2 ** 20) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    t.diagnostic(`heap once it is closed: ${(heap / 2 ** 20).toFixed(0)} MiB`);
    assert.ok(heap < 512 * 2 ** 20, `${(heap / 2 ** 20).toFixed(0)} MiB kept 10 s after the 50 MB document closed`);
  });

  test('includes of /dev/zero and of a FIFO, a glob of 10,000 files, symlink loops, an include cycle, invalid UTF-8', { timeout: 180_000 }, async (t) => {
    const dir = join(workspace, 'includes');
    mkdirSync(join(dir, 'many'), { recursive: true });
    for (let i = 0; i < 10_000; i++) writeFileSync(join(dir, 'many', `s${i}.conf`), `server { listen ${10_000 + i}; server_name s${i}.example.com; }\n`);
    execFileSync('mkfifo', [join(dir, 'fifo.conf')]);
    symlinkSync('self.conf', join(dir, 'self.conf'));
    writeFileSync(join(dir, 'a.conf'), 'include b.conf;\n');
    writeFileSync(join(dir, 'b.conf'), 'include a.conf;\n');
    writeFileSync(join(dir, 'latin1.conf'), Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\nserver_tokens off;\n')]));
    const text = 'events {}\nhttp {\n    include /dev/zero;\n    include fifo.conf;\n    include many/*.conf;\n    include self.conf;\n    include a.conf;\n    include latin1.conf;\n}\n';
    const found = await hostile(t, join(dir, 'nginx.conf'), text, (d) => d.filter((x) => String(x.code).startsWith('nginx/')).length >= 3, 120_000);
    const messages = found.map((x) => `${x.code} ${x.message}`);
    assert.equal(messages.filter((m) => /not a regular file \(a device, FIFO or socket\)/.test(m)).length, 2, messages.join('\n'));
    assert.ok(messages.some((m) => /self\.conf.*(Too many levels of symbolic links|ELOOP)/i.test(m)), messages.join('\n'));
    const cycle = [...client.diagnostics.values()].flatMap((p) => p.diagnostics.filter((x) => x.code === 'nginx/include-cycle').map(() => p.uri));
    assert.deepEqual(cycle, [uri(join(dir, 'b.conf'))]);
  });

  test('origin regexes built to backtrack exponentially', async (t) => {
    const evil = '^(a|a)*$';
    const text =
      'events {}\nhttp {\n    server {\n        listen 8443;\n        location / {\n' +
      `            if ($http_origin ~* "${evil}") { add_header Access-Control-Allow-Origin $http_origin; }\n` +
      '            add_header Access-Control-Allow-Credentials true always;\n        }\n    }\n}\n';
    mkdirSync(join(workspace, 'regex'));
    // analysed to the end (the if-misuse finding, add_header inside the if, comes after the regex) without running it
    await hostile(t, join(workspace, 'regex/nginx.conf'), text, has(/^location\/if-misuse /), 10_000);
  });

  test('a cloudflared config built to expand (a billion laughs)', async (t) => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 12; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const text = `tunnel: x\ncredentials-file: /root/x.json\n${levels.join('\n')}\ningress:\n  - hostname: kasm.example.com\n    service: https://localhost:443\n    originRequest: *l\n  - service: http_status:404\n`;
    mkdirSync(join(workspace, 'cloudflared'));
    const v = ++version;
    const path = join(workspace, 'cloudflared/config.yml');
    const started = performance.now();
    await client.open(path, text, v, 'yaml');
    await client.waitForDiagnostics(uri(path), (d) => d.version === v && d.diagnostics.some((x) => x.code === 'cloudflared/syntax' && x.message === 'yaml: document contains excessive aliasing'));
    t.diagnostic(`diagnostics in ${(performance.now() - started).toFixed(0)} ms`);
    assert.equal(client.exitCode, null);
  });

  test('after all of them the server is alive', async (t) => {
    const status = await client.request<{ documents: number; analyses: number; heapUsedBytes: number }>('kasmlint/status', {});
    t.diagnostic(`${status.documents} documents open, ${status.analyses} analyses kept, heap ${(status.heapUsedBytes / 2 ** 20).toFixed(0)} MiB`);
    assert.equal(client.stderr.join(''), '');
    assert.deepEqual(client.logs.filter((l) => /internal error/.test(l)), []);
  });
});
