// The editing requests through the protocol (dist/server.js in its own process, LSP over stdio):
// formatting (whole document and range, with the editor's options and .editorconfig), references,
// prepareRename and rename across the files of a Kasm tree, document links, variable completion.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CompletionItem, DocumentLink, Location, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { applyTextEdits } from '../../server/src/engine/fix';
import { formatNginx } from '../../server/src/format/format';
import { copyKasmFixture, prepareKasmTreeForNginx } from '../support/kasm';
import { LspClient, uri } from '../support/lsp-client';
import { nginxTest } from '../support/nginx';
import { expandSnippet } from '../support/snippets';

const apply = (text: string, edits: TextEdit[]) => applyTextEdits(text, edits.map((e) => ({ file: '', range: e.range, newText: e.newText })));

/** Where `needle` stands in `text` (its first character, plus `shift`), as an LSP position. */
function positionOf(text: string, needle: string, shift = 0): { line: number; character: number } {
  const offset = text.indexOf(needle);
  assert.ok(offset >= 0, `${needle} not found`);
  const before = text.slice(0, offset + shift).split('\n');
  return { line: before.length - 1, character: before[before.length - 1]!.length };
}

const CAPABILITIES = {
  rename: { prepareSupport: true },
  formatting: { dynamicRegistration: true },
  rangeFormatting: { dynamicRegistration: true },
};

describe('editing a Kasm tree through the protocol', () => {
  let client: LspClient;
  let root: string;
  let kasm: string;
  const file = (name: string) => join(kasm, name);
  const read = (name: string) => readFileSync(file(name), 'utf8');

  before(async () => {
    // laid out as on a Kasm host, so that the certificates are found where Kasm's compose file mounts them from
    root = mkdtempSync(join(tmpdir(), 'kasmlint-lsp-editing-'));
    kasm = join(root, 'opt/kasm/current/conf/nginx');
    mkdirSync(kasm, { recursive: true });
    copyKasmFixture(kasm);
    mkdirSync(join(root, 'opt/kasm/current/certs'), { recursive: true });
    writeFileSync(join(root, 'opt/kasm/current/certs/kasm_nginx.crt'), '');
    client = new LspClient();
    const init = await client.initialize(kasm, CAPABILITIES);
    assert.equal(init.capabilities.documentFormattingProvider, false, 'formatting is registered for nginx documents only');
    assert.deepEqual(init.capabilities.renameProvider, { prepareProvider: true });
  });
  after(() => client.shutdown());

  test('formatting is registered for the nginx language only (never for the YAML files the server reads)', async () => {
    await client.waitFor(() => client.registrations.some((r) => r.method === 'textDocument/rangeFormatting'), 10_000, 'the registrations');
    for (const method of ['textDocument/formatting', 'textDocument/rangeFormatting']) {
      const registration = client.registrations.find((r) => r.method === method);
      assert.deepEqual(registration?.registerOptions, { documentSelector: [{ language: 'nginx' }] });
    }
  });

  test('Format Document gives the formatter output with the editor options; .editorconfig wins where it speaks', async () => {
    const text = read('services.d/website.conf');
    await client.open(file('services.d/website.conf'), text);
    const edits = await client.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri: uri(file('services.d/website.conf')) }, options: { tabSize: 2, insertSpaces: true } });
    const want = formatNginx(file('services.d/website.conf'), text, { indent: '  ' });
    assert.ok(want.ok);
    assert.equal(apply(text, edits), want.text);

    writeFileSync(join(kasm, '.editorconfig'), '[services.d/*.conf]\nindent_style = tab\n');
    const tabs = await client.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri: uri(file('services.d/website.conf')) }, options: { tabSize: 2, insertSpaces: true } });
    assert.match(apply(text, tabs), /^\trewrite /m);
    rmSync(join(kasm, '.editorconfig'));
  });

  test('Format Selection formats the whole lines of the selection only', async () => {
    const text = read('services.d/admin_api.conf');
    await client.open(file('services.d/admin_api.conf'), text);
    const line = positionOf(text, 'proxy_pass').line;
    const range: Range = { start: { line, character: 3 }, end: { line, character: 5 } };
    const edits = await client.request<TextEdit[]>('textDocument/rangeFormatting', { textDocument: { uri: uri(file('services.d/admin_api.conf')) }, range, options: { tabSize: 4, insertSpaces: true } });
    assert.equal(edits.length, 1);
    assert.deepEqual([edits[0]!.range.start.line, edits[0]!.range.end.line], [line, line]);
    const after = apply(text, edits).split('\n');
    assert.equal(after[line], '    proxy_pass http://kasm_api;');
    assert.deepEqual(after.filter((_, i) => i !== line), text.split('\n').filter((_, i) => i !== line));
  });

  test('a document with a syntax error is not formatted, and the user is told why', async () => {
    const path = file('services.d/broken.conf');
    await client.open(path, 'location / {\n  return 204;\n');
    const edits = await client.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri: uri(path) }, options: { tabSize: 4, insertSpaces: true } });
    assert.deepEqual(edits, []);
    await client.waitFor(() => client.shownMessages.length > 0, 5_000, 'a message');
    assert.match(client.shownMessages[0]!.message, /^kasmlint: not formatted: line 3: unexpected end of file, expecting "}"/);
    await client.close(path);
  });

  test('Find All References of an upstream: its block and every proxy_pass in services.d', async () => {
    const text = read('upstream_api.conf');
    const refs = await client.request<Location[]>('textDocument/references', {
      textDocument: { uri: uri(file('upstream_api.conf')) },
      position: positionOf(text, 'kasm_api {', 3),
      context: { includeDeclaration: true },
    });
    const where = refs.map((r) => `${r.uri.split('/').slice(-2).join('/')}:${r.range.start.line + 1}`);
    assert.equal(where.length, 6, where.join(' '));
    assert.ok(where.includes('nginx/upstream_api.conf:3') && where.includes('services.d/admin_api.conf:14'), where.join(' '));
    const uses = await client.request<Location[]>('textDocument/references', {
      textDocument: { uri: uri(file('upstream_api.conf')) },
      position: positionOf(text, 'kasm_api {', 3),
      context: { includeDeclaration: false },
    });
    assert.equal(uses.length, 5);
  });

  test('Find All References of a variable, a named location', async () => {
    const proxy = read('services.d/upstream_proxy.conf');
    await client.open(file('services.d/upstream_proxy.conf'), proxy);
    const variable = await client.request<Location[]>('textDocument/references', {
      textDocument: { uri: uri(file('services.d/upstream_proxy.conf')) },
      position: positionOf(proxy, '$connect_hostname', 0),
      context: { includeDeclaration: true },
    });
    assert.ok(variable.length >= 4 && variable.every((l) => l.range.end.character - l.range.start.character === 'connect_hostname'.length));
    const orchestrator = read('orchestrator.conf');
    const named = await client.request<Location[]>('textDocument/references', {
      textDocument: { uri: uri(file('orchestrator.conf')) },
      position: positionOf(orchestrator, '@internal_error', 4),
      context: { includeDeclaration: true },
    });
    assert.deepEqual(named.map((l) => l.range.start.line), [positionOf(orchestrator, '@internal_error').line, positionOf(orchestrator, 'location @internal_error').line]);
  });

  test("prepareRename refuses nginx's own variables with a message, and offers the name of an upstream", async () => {
    const proxy = read('services.d/upstream_proxy.conf');
    await assert.rejects(
      client.request('textDocument/prepareRename', { textDocument: { uri: uri(file('services.d/upstream_proxy.conf')) }, position: positionOf(proxy, '$http_origin', 3) }),
      /\$http_origin is one of nginx's own variables \(ngx_http_core_module\): it cannot be renamed\./,
    );
    const text = read('upstream_api.conf');
    const prepared = await client.request<{ range: Range; placeholder: string }>('textDocument/prepareRename', { textDocument: { uri: uri(file('upstream_api.conf')) }, position: positionOf(text, 'kasm_api {', 2) });
    assert.equal(prepared.placeholder, 'kasm_api');
    assert.deepEqual(prepared.range, { start: positionOf(text, 'kasm_api {'), end: positionOf(text, 'kasm_api {', 8) });
  });

  test('rename refuses an invalid name or one already defined', async () => {
    const text = read('upstream_api.conf');
    const params = (newName: string) => ({ textDocument: { uri: uri(file('upstream_api.conf')) }, position: positionOf(text, 'kasm_api {', 2), newName });
    await assert.rejects(client.request('textDocument/rename', params('kasm api')), /"kasm api" is not a valid upstream name/);
    await assert.rejects(client.request('textDocument/rename', params('kasm_share')), /kasm_share is already defined \(upstream_share\.conf:3\)/);
  });

  test('Rename of an upstream edits its block and the services.d files that use it; nginx -t still accepts the tree', async () => {
    const text = read('upstream_api.conf');
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri: uri(file('upstream_api.conf')) }, position: positionOf(text, 'kasm_api {', 2), newName: 'kasm_api_servers' });
    const changes = edit.documentChanges as Array<{ textDocument: { uri: string }; edits: TextEdit[] }>;
    assert.equal(changes.length, 6);
    for (const change of changes) {
      const path = new URL(change.textDocument.uri).pathname;
      writeFileSync(path, apply(readFileSync(path, 'utf8'), change.edits));
    }
    assert.match(read('upstream_api.conf'), /upstream kasm_api_servers \{\n\s+server kasm_api:8080;/, 'the docker host name is not the upstream');
    assert.match(read('services.d/admin_api.conf'), /proxy_pass\thttp:\/\/kasm_api_servers;/);
    const verdict = nginxTest(prepareKasmTreeForNginx(kasm, ['services.d/rdp_https_gateway_webapp.conf', 'services.d/broken.conf']).mainConf);
    assert.ok(verdict.ok, verdict.output);
  });

  test('document links: an include mask opens its first match; the certificate opens through the Kasm mapping', async () => {
    const text = read('orchestrator.conf');
    await client.open(file('orchestrator.conf'), text);
    const links = await client.request<DocumentLink[]>('textDocument/documentLink', { textDocument: { uri: uri(file('orchestrator.conf')) } });
    const services = links.find((l) => l.range.start.line === positionOf(text, 'services.d/*.conf').line)!;
    assert.equal(services.target, uri(file('services.d/admin_api.conf')));
    assert.match(services.tooltip!, /^Open admin_api\.conf \(\/etc\/nginx\/conf\.d\/services\.d\/\*\.conf in nginx's file system\): the first of 1[23] files it matches/);
    const certificate = links.find((l) => l.range.start.line === positionOf(text, 'kasm_nginx.crt').line)!;
    assert.equal(certificate.target, uri(join(root, 'opt/kasm/current/certs/kasm_nginx.crt')));
    assert.equal(links.filter((l) => l.range.start.line === positionOf(text, 'kasm_nginx.key').line).length, 0, 'the key is not there: no link');
  });

  test('completion of $http_ offers real header variables, not a placeholder', async () => {
    const path = file('services.d/website.conf');
    const text = read('services.d/website.conf').replace('root /srv/www;', 'set $x $http_;');
    await client.change(path, 2, text);
    const items = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: uri(path) }, position: positionOf(text, '$http_;', 6) });
    const labels = new Set(items.map((i) => i.label));
    for (const name of ['http_upgrade', 'http_origin', 'http_x_forwarded_for', 'http_cf_connecting_ip', 'connect_hostname', 'host']) assert.ok(labels.has(name), name);
    assert.ok(![...labels].some((l) => l.includes('…') || l.endsWith('_')), 'no placeholders');
    const origin = items.find((i) => i.label === 'http_origin')!;
    assert.match(origin.detail!, /ngx_http_core_module · the Origin header/);
  });
});

describe('snippets made from the Kasm tree', () => {
  test("in a services.d file, kasm-service-location proxies to one of the tree's own upstreams", async () => {
    const dir = copyKasmFixture(mkdtempSync(join(tmpdir(), 'kasmlint-lsp-snippet-')));
    const path = join(dir, 'services.d/new.conf');
    writeFileSync(path, '');
    const client = new LspClient();
    try {
      await client.initialize(dir);
      await client.open(path, '\n');
      const items = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: uri(path) }, position: { line: 0, character: 0 } });
      const snippet = items.find((i) => i.label === 'kasm-service-location')!;
      assert.equal(snippet.insertTextFormat, 2, 'snippet syntax');
      const body = (snippet.textEdit as TextEdit).newText;
      assert.match(body, /proxy_pass \$\{2\|http:\/\/kasm_agent,http:\/\/kasm_api,[^|]*https:\/\/kasm_rdp_https_gateway,[^|]*\|\};/);
      assert.match(body, /^location \$\{1:\/your-service-path\/\} \{/);
      assert.ok(items.some((i) => i.label === 'location'), 'the directives are still offered');
      // inserted with its defaults, the tree is still accepted by the real nginx -t
      writeFileSync(path, expandSnippet(body));
      const verdict = nginxTest(prepareKasmTreeForNginx(dir, ['services.d/rdp_https_gateway_webapp.conf']).mainConf);
      assert.ok(verdict.ok, `${verdict.output}\n${expandSnippet(body)}`);
    } finally {
      await client.shutdown();
    }
  });
});

describe('diagnostics for the workspace at start-up', () => {
  test('a Kasm tree in the workspace gets its diagnostics before any file is opened', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'kasmlint-lsp-startup-'));
    const dir = join(workspace, 'deploy/kasm-proxy');
    mkdirSync(dir, { recursive: true });
    copyKasmFixture(dir);
    const client = new LspClient();
    try {
      await client.initialize(workspace);
      await client.waitForDiagnostics(uri(join(dir, 'services.d/website.conf')), (d) => d.diagnostics.some((x) => x.code === 'cors/reflected-origin'));
      await client.waitForDiagnostics(uri(join(dir, 'services.d/rdp_https_gateway_webapp.conf')), (d) => d.diagnostics.some((x) => x.code === 'nginx/duplicate-location'));
    } finally {
      await client.shutdown();
    }
  });

  /** The start-up line the server logs for a workspace folder. */
  /** The start-up log line and how many files got diagnostics; `expected` files at least, when given, are waited for. */
  async function startupLog(files: Record<string, string>, settings: Record<string, unknown>, expected = 0): Promise<{ log: string; published: number }> {
    const dir = mkdtempSync(join(tmpdir(), 'kasmlint-lsp-startup-'));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const client = new LspClient();
    client.settings = settings;
    try {
      await client.initialize(dir);
      await client.waitFor(() => client.logs.some((l) => l.startsWith('workspace diagnostics')), 10_000, 'the start-up log');
      // a document outside the folder, opened and analysed after the start-up work was scheduled (with the
      // same delay): a small start-up analysis is in by then; a large one is waited for
      const probe = join(mkdtempSync(join(tmpdir(), 'kasmlint-lsp-probe-')), 'probe.conf');
      await client.open(probe, 'events {}\n');
      await client.waitForDiagnostics(uri(probe));
      if (expected > 0) await client.waitFor(() => client.diagnostics.size - 1 >= expected, 30_000, `diagnostics for ${expected} files`);
      return { log: client.logs.find((l) => l.startsWith('workspace diagnostics'))!, published: client.diagnostics.size - 1 };
    } finally {
      await client.shutdown();
    }
  }

  test('off: nothing at start-up', async () => {
    const { log, published } = await startupLog({ 'kasm/orchestrator.conf': 'server { listen 443; include /etc/nginx/conf.d/services.d/*.conf; }\n', 'kasm/services.d/a.conf': 'location / { gzip on; gzip on; }\n' }, { workspaceDiagnostics: 'off' });
    assert.match(log, /not at start-up: kasmlint.workspaceDiagnostics is off/);
    assert.equal(published, 0);
  });

  test('auto: a workspace of more than 1,000 NGINX files waits for files to be opened; on checks it anyway', async () => {
    const files: Record<string, string> = { 'nginx.conf': 'events {}\nhttp {\n    include conf.d/*.conf;\n}\n' };
    for (let i = 0; i <= 1000; i++) files[`conf.d/f${i}.conf`] = `# file ${i}\n`;
    files['conf.d/dup.conf'] = 'gzip on;\ngzip on;\n';
    const auto = await startupLog(files, {});
    assert.match(auto.log, /not at start-up: its trees hold more than 1000 NGINX files/);
    assert.equal(auto.published, 0);
    const on = await startupLog(files, { workspaceDiagnostics: 'on' }, 1001);
    assert.match(on.log, /: 1 configuration\(s\)$/);
    assert.ok(on.published > 1000, `${on.published} files published`);
  });
});
