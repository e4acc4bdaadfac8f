// The language server as editors use it: dist/server.js in its own process, LSP over stdio.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type CodeAction, type CompletionItem, type CompletionList, type DocumentSymbol, type Hover, InsertTextFormat, type Location, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver-protocol';
import { applyTextEdits } from '../../server/src/engine/fix';
import { copyKasmFixture } from '../support/kasm';
import { LspClient, uri } from '../support/lsp-client';

/** The one load error of the Kasm fixture: two `location /rpc` blocks once services.d is included. */
function duplicates(d: { diagnostics: Array<{ code?: number | string }> }): number {
  return d.diagnostics.filter((x) => x.code === 'nginx/duplicate-location').length;
}

function kasmCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kasmlint-lsp-'));
  copyKasmFixture(dir);
  return dir;
}

function applyEdit(text: string, edit: WorkspaceEdit, fileUri: string): string {
  const changes = edit.documentChanges
    ? (edit.documentChanges as Array<{ textDocument: { uri: string }; edits: TextEdit[] }>).filter((c) => c.textDocument.uri === fileUri).flatMap((c) => c.edits)
    : (edit.changes?.[fileUri] ?? []);
  return applyTextEdits(text, changes.map((e) => ({ file: '', range: e.range, newText: e.newText })));
}

describe('a Kasm tree in the editor', () => {
  let client: LspClient;
  let dir: string;
  let website: string;
  let websiteText: string;

  before(async () => {
    dir = kasmCopy();
    website = join(dir, 'services.d/website.conf');
    websiteText = readFileSync(website, 'utf8');
    client = new LspClient();
    await client.initialize(dir);
    await client.open(website, websiteText);
  });
  after(() => client.shutdown());

  test('opening one file publishes the findings of the files its analysis covers, open or not', async () => {
    const webapp = uri(join(dir, 'services.d/rdp_https_gateway_webapp.conf'));
    await client.waitForDiagnostics(webapp, (d) => duplicates(d) > 0);
    const d = client.diagnostics.get(webapp)!.diagnostics.find((x) => x.code === 'nginx/duplicate-location')!;
    assert.equal(d.code, 'nginx/duplicate-location');
    assert.equal(d.range.start.line, 27);
    assert.equal(d.source, 'kasmlint');
    assert.match(d.codeDescription!.href, /docs\/rules\/nginx\/duplicate-location\.md$/);
    assert.ok(d.relatedInformation?.some((r) => r.location.uri.endsWith('rdp_https_gateway_guac.conf')));
    await client.waitForDiagnostics(uri(website), (x) => x.version === 1);
  });

  test('an edit is checked in the context the file is included in; the quick fix removes the finding', async () => {
    const edited = websiteText.replace('expires         4h;', 'expires         4h;\n        proxy_set_heder Host $host;');
    await client.change(website, 2, edited);
    await client.waitForDiagnostics(uri(website), (d) => d.version === 2 && d.diagnostics.some((x) => x.code === 'nginx/unknown-directive'));
    const diagnostic = client.diagnostics.get(uri(website))!.diagnostics.find((x) => x.code === 'nginx/unknown-directive')!;
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: uri(website) },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic] },
    });
    // The rename changes which directive runs: unsafe, so offered first but never preferred (no auto-fix).
    const rename = actions[0]!;
    assert.equal(rename.title, 'Change to "proxy_set_header" — another directive runs');
    assert.equal(rename.kind, 'quickfix');
    assert.ok(!actions.some((a) => a.isPreferred));
    assert.ok(actions.some((a) => a.title === 'Disable nginx/unknown-directive for this line'));
    const fixed = applyEdit(edited, rename.edit!, uri(website));
    assert.match(fixed, /proxy_set_header Host \$host;/);
    await client.change(website, 3, fixed);
    await client.waitForDiagnostics(uri(website), (d) => d.version === 3 && !d.diagnostics.some((x) => x.code === 'nginx/unknown-directive'));
    await client.change(website, 4, websiteText);
  });

  test('editing orchestrator.conf re-checks the services.d files it includes', async () => {
    const orchestrator = join(dir, 'orchestrator.conf');
    const text = readFileSync(orchestrator, 'utf8');
    await client.open(orchestrator, text);
    const webapp = uri(join(dir, 'services.d/rdp_https_gateway_webapp.conf'));
    const httpPath = join(dir, 'orchestrator_http.conf');
    const httpText = readFileSync(httpPath, 'utf8');
    await client.open(httpPath, httpText);
    // without the services.d includes, the two /rpc locations are no longer in one server
    const noServices = (t: string) => t.replace('include /etc/nginx/conf.d/services.d/*.conf;', '# no services');
    await client.change(orchestrator, 2, noServices(text));
    await client.change(httpPath, 2, noServices(httpText));
    await client.waitForDiagnostics(webapp, (d) => duplicates(d) === 0);
    await client.change(orchestrator, 3, text);
    await client.change(httpPath, 3, httpText);
    await client.waitForDiagnostics(webapp, (d) => duplicates(d) === 1);
  });

  test('hover shows the directive reference', async () => {
    const line = websiteText.split('\n').findIndex((l) => l.includes('add_header      Cache-Control'));
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: uri(website) }, position: { line, character: 10 } });
    const value = (hover.contents as { value: string }).value;
    assert.match(value, /\*\*add_header\*\* · ngx_http_headers_module/);
    assert.match(value, /add_header name value \[always\];/);
    assert.match(value, /Context: http, server, location, if \(in location\)/);
  });

  test('completion: directives valid in a location, values of the directive, variables', async () => {
    const line = websiteText.split('\n').findIndex((l) => l.includes('root /srv/www;'));
    const names = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: uri(website) }, position: { line, character: 0 } });
    const labels = new Set(names.map((c) => c.label));
    assert.ok(labels.has('proxy_set_header') && labels.has('add_header') && labels.has('limit_req'));
    assert.ok(!labels.has('server_name') && !labels.has('limit_req_zone'), 'server- and http-only directives are not offered in a location');
    // a client that does not resolve documentation gets it with the list, nginx.org's text included (the
    // bundles parse those texts when one is first read)
    const addHeaderDocs = (names.find((c) => c.label === 'add_header')!.documentation as { value: string }).value;
    assert.match(addHeaderDocs, /add_header name value \[always\];/);
    assert.match(addHeaderDocs, /Adds the specified field to a response header/);

    const expiresLine = websiteText.split('\n').findIndex((l) => l.includes('expires'));
    const values = await client.request<CompletionItem[]>('textDocument/completion', {
      textDocument: { uri: uri(website) },
      position: { line: expiresLine, character: websiteText.split('\n')[expiresLine]!.indexOf('4h') },
    });
    assert.ok(values.some((c) => c.label === 'epoch') && values.some((c) => c.label === 'max'));

    const proxy = join(dir, 'services.d/upstream_proxy.conf');
    const proxyText = readFileSync(proxy, 'utf8');
    await client.open(proxy, proxyText);
    const varLine = proxyText.split('\n').findIndex((l) => l.includes('X-Kasm-ID'));
    const character = proxyText.split('\n')[varLine]!.indexOf('${') + 2;
    const variables = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: uri(proxy) }, position: { line: varLine, character } });
    assert.ok(variables.some((c) => c.label === 'connect_kasm_id' && c.detail === 'set by auth_request_set'));
    assert.ok(variables.some((c) => c.label === 'http_upgrade'));
    assert.match(JSON.stringify(variables.find((c) => c.label === 'host')?.documentation), /host name from the request line/);
  });

  test('a client that resolves documentation (as VS Code does) gets each reference page when it shows the entry', async () => {
    const lazy = new LspClient();
    try {
      await lazy.initialize(dir, { completion: { completionItem: { resolveSupport: { properties: ['documentation', 'detail'] } } } });
      await lazy.open(website, websiteText);
      const line = websiteText.split('\n').findIndex((l) => l.includes('root /srv/www;'));
      const names = await lazy.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: uri(website) }, position: { line, character: 0 } });
      const addHeader = names.find((c) => c.label === 'add_header')!;
      assert.equal(addHeader.documentation, undefined);
      assert.ok(JSON.stringify(names).length < 200_000, `the list is ${JSON.stringify(names).length} characters`);
      const resolved = await lazy.request<CompletionItem>('completionItem/resolve', addHeader);
      assert.match((resolved.documentation as { value: string }).value, /add_header name value \[always\];/);
      assert.match((resolved.documentation as { value: string }).value, /Adds the specified field to a response header/);
    } finally {
      await lazy.shutdown();
    }
  });

  test('a client that takes item defaults (as VS Code does) is told the replaced range once, and gets the same edits', async () => {
    const withDefaults = new LspClient();
    try {
      await withDefaults.initialize(dir, {
        completion: {
          completionItem: { resolveSupport: { properties: ['documentation', 'detail'] } },
          completionList: { itemDefaults: ['commitCharacters', 'editRange', 'insertTextFormat', 'insertTextMode', 'data'] },
        },
      });
      await withDefaults.open(website, websiteText);
      const lines = websiteText.split('\n');
      const line = lines.findIndex((l) => l.includes('root /srv/www;'));
      // in the middle of a word: the whole word is replaced
      const position = { line, character: lines[line]!.indexOf('root') + 2 };
      const list = await withDefaults.request<CompletionList>('textDocument/completion', { textDocument: { uri: uri(website) }, position });
      const plain = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: uri(website) }, position });
      assert.ok(list.itemDefaults?.editRange, 'the list says the range once');
      assert.equal(list.itemDefaults.insertTextFormat, InsertTextFormat.PlainText);
      assert.ok(list.items.every((item) => item.textEdit === undefined), 'no item repeats it');
      // each item, read with the defaults, makes the edit the same item makes for a client without them
      const editOf = (item: CompletionItem, defaults?: CompletionList['itemDefaults']) => ({
        range: item.textEdit && 'range' in item.textEdit ? item.textEdit.range : defaults?.editRange,
        newText: item.textEdit?.newText ?? item.textEditText ?? item.label,
        format: item.insertTextFormat ?? defaults?.insertTextFormat,
      });
      assert.equal(list.items.length, plain.length);
      assert.deepEqual(list.items.map((item) => editOf(item, list.itemDefaults)), plain.map((item) => editOf(item)));
      // the syntax line and the reference page come when the entry is shown, for the item sent back
      // with the list's default data (as VS Code's client sends it)
      const addHeader = list.items.find((item) => item.label === 'add_header')!;
      assert.equal(addHeader.detail, undefined);
      const resolved = await withDefaults.request<CompletionItem>('completionItem/resolve', { ...addHeader, data: addHeader.data ?? list.itemDefaults.data });
      assert.equal(resolved.detail, plain.find((item) => item.label === 'add_header')!.detail);
      assert.match((resolved.documentation as { value: string }).value, /add_header name value \[always\];/);
      // at a server's level: Kasm's location snippets too, their bodies given as the text of the edit
      const top = { line: lines.findIndex((l) => l.startsWith('location')), character: 0 };
      const topList = await withDefaults.request<CompletionList>('textDocument/completion', { textDocument: { uri: uri(website) }, position: top });
      const topPlain = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: uri(website) }, position: top });
      assert.ok(topList.items.some((item) => item.insertTextFormat === InsertTextFormat.Snippet && item.textEditText?.startsWith('location ${1:')));
      assert.deepEqual(topList.items.map((item) => editOf(item, topList.itemDefaults)), topPlain.map((item) => editOf(item)));
      assert.ok(JSON.stringify(list).length < 0.7 * JSON.stringify(plain.map((item) => ({ ...item, documentation: undefined }))).length);
    } finally {
      await withDefaults.shutdown();
    }
  });

  test('outline, folding, and go to definition of includes and upstreams', async () => {
    const proxy = join(dir, 'services.d/upstream_proxy.conf');
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: uri(proxy) } });
    assert.deepEqual(symbols.map((s) => s.name), ['location /kasm_connect', 'location /desktop/', 'location /_options_response']);
    assert.deepEqual(symbols[1]!.children!.map((s) => s.name), ['if ($request_method = OPTIONS)']);

    const folds = await client.request<Array<{ startLine: number; kind?: string }>>('textDocument/foldingRange', { textDocument: { uri: uri(proxy) } });
    assert.ok(folds.length >= 4);

    const orchestrator = join(dir, 'orchestrator.conf');
    const text = readFileSync(orchestrator, 'utf8').split('\n');
    const includeLine = text.findIndex((l) => l.includes('services.d/*.conf'));
    const includes = await client.request<Location[]>('textDocument/definition', {
      textDocument: { uri: uri(orchestrator) },
      position: { line: includeLine, character: text[includeLine]!.indexOf('/etc') + 3 },
    });
    assert.equal(includes.length, 12);
    assert.ok(includes.every((l) => l.uri.includes('/services.d/')));

    const api = join(dir, 'services.d/client_api.conf');
    const apiText = readFileSync(api, 'utf8').split('\n');
    await client.open(api, apiText.join('\n'));
    const passLine = apiText.findIndex((l) => l.includes('proxy_pass'));
    const upstream = await client.request<Location[]>('textDocument/definition', {
      textDocument: { uri: uri(api) },
      position: { line: passLine, character: apiText[passLine]!.indexOf('kasm_api') + 2 },
    });
    assert.deepEqual(upstream.map((l) => l.uri.split('/').pop()), ['upstream_api.conf']);
  });

  test('the effective configuration of a block', async () => {
    const line = websiteText.split('\n').findIndex((l) => l.includes('root /srv/www'));
    const { text } = await client.request<{ text: string }>('kasmlint/effectiveConfiguration', { textDocument: { uri: uri(website) }, position: { line, character: 4 } });
    assert.match(text, /# Effective configuration of location \/ \(website\.conf:3\) — inclusion 1 of 2/);
    assert.match(text, /client_max_body_size 1G;\s+# inherited from server \(orchestrator\.conf:3\)/);
    assert.match(text, /add_header Cache-Control "private";\s+# here, website\.conf:9/);
  });

  test('a new file on disk is picked up through watched-file events', async () => {
    const extra = join(dir, 'services.d/extra.conf');
    writeFileSync(extra, 'location /api/ {\n    return 204;\n}\n');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(extra), type: 1 }] });
    await client.waitForDiagnostics(uri(extra), (d) => d.diagnostics.some((x) => x.code === 'nginx/duplicate-location'));
  });

  test('settings from the editor reach the server and are re-read on change', async () => {
    client.settings = { rules: { 'nginx/duplicate-location': 'off' } };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    const webapp = uri(join(dir, 'services.d/rdp_https_gateway_webapp.conf'));
    await client.waitForDiagnostics(webapp, (d) => duplicates(d) === 0 && d.diagnostics.length > 0);
    client.settings = {};
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    await client.waitForDiagnostics(webapp, (d) => duplicates(d) === 1);
  });
});

/** The source.fixAll.kasmlint actions the server offers for a file, as fix-on-save asks for them. */
function fixAllActions(client: LspClient, path: string): Promise<CodeAction[]> {
  return client.request<CodeAction[]>('textDocument/codeAction', {
    textDocument: { uri: uri(path) },
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    context: { diagnostics: [], only: ['source.fixAll.kasmlint'] },
  });
}

describe('fixes through the protocol', () => {
  test('source.fixAll.kasmlint applies the safe fixes of the file, and the workspace command applies them everywhere', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kasmlint-lsp-fix-'));
    const conf = join(dir, 'nginx.conf');
    const text = 'worker_processes 1;\nevents {}\nhttp {\n    gzip on;\n    gzip on;\n    server_tokens off;\n    server_tokens off;\n}\n';
    writeFileSync(conf, text);
    const client = new LspClient();
    try {
      await client.initialize(dir);
      await client.open(conf, text);
      await client.waitForDiagnostics(uri(conf), (d) => d.diagnostics.length === 2);
      const actions = await fixAllActions(client, conf);
      assert.equal(actions.length, 1);
      assert.equal(applyEdit(text, actions[0]!.edit!, uri(conf)), 'worker_processes 1;\nevents {}\nhttp {\n    gzip on;\n    server_tokens off;\n}\n');

      const result = await client.request<{ applied: number; files: number }>('kasmlint/fixAllWorkspace', {});
      assert.deepEqual(result, { applied: 2, files: 1 });
      assert.equal(client.appliedEdits.length, 1);
    } finally {
      await client.shutdown();
    }
  });
});

describe('fix all in the editor, pass after pass', () => {
  test('source.fixAll.kasmlint gives what kasmlint --fix writes, although its fixes insert at one point', async () => {
    const text = 'events {}\nhttp {\n    server {\n        listen 8080;\n        location / {\n            proxy_pass http://127.0.0.1:9000;\n        }\n    }\n}\n';
    // kasm-default reports the header rules whose safe fixes all insert at the top of the location
    const settings = '{ "preset": "kasm-default" }';
    const dir = mkdtempSync(join(tmpdir(), 'kasmlint-lsp-fixall-'));
    const conf = join(dir, 'nginx.conf');
    writeFileSync(conf, text);
    writeFileSync(join(dir, '.kasmlintrc.json'), settings);
    const cli = mkdtempSync(join(tmpdir(), 'kasmlint-cli-fixall-'));
    writeFileSync(join(cli, 'nginx.conf'), text);
    writeFileSync(join(cli, '.kasmlintrc.json'), settings);
    spawnSync(process.execPath, [join(__dirname, '../../../dist/kasmlint.js'), '--fix', cli], { encoding: 'utf8' });
    const expected = readFileSync(join(cli, 'nginx.conf'), 'utf8');
    const client = new LspClient();
    try {
      await client.initialize(dir);
      await client.open(conf, text);
      await client.waitForDiagnostics(uri(conf), (d) => d.version === 1);
      const actions = await fixAllActions(client, conf);
      assert.equal(actions.length, 1);
      const fixed = applyEdit(text, actions[0]!.edit!, uri(conf));
      // several safe fixes insert at the top of the location: one pass could apply only one of them
      assert.ok((fixed.match(/add_header /g)?.length ?? 0) >= 2, fixed);
      assert.equal(fixed, expected);
      await client.change(conf, 2, fixed);
      await client.waitForDiagnostics(uri(conf), (d) => d.version === 2);
      assert.deepEqual(await fixAllActions(client, conf), []);
    } finally {
      await client.shutdown();
    }
  });
});

describe('cloudflared configs through the protocol', () => {
  test('a tunnel config gets its diagnostics and quick fixes; other YAML gets none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kasmlint-lsp-cf-'));
    const conf = join(dir, 'config.yml');
    const text = 'tunnel: 6ff42ae2\ncredentials-file: /root/.cloudflared/6ff42ae2.json\ningress:\n  - hostname: kasm.example.com\n    service: https://localhost:443\n    originRequest:\n      noTlsVerify: true\n';
    writeFileSync(conf, text);
    const other = join(dir, 'pipeline.yml');
    writeFileSync(other, 'steps:\n  - run: npm test\n');
    const client = new LspClient();
    try {
      await client.initialize(dir);
      await client.open(conf, text, 1, 'yaml');
      await client.waitForDiagnostics(uri(conf), (d) => d.version === 1 && d.diagnostics.length === 2);
      const codes = client.diagnostics.get(uri(conf))!.diagnostics.map((d) => d.code).sort();
      assert.deepEqual(codes, ['cloudflared/catch-all', 'cloudflared/unknown-key']);
      const typo = client.diagnostics.get(uri(conf))!.diagnostics.find((d) => d.code === 'cloudflared/unknown-key')!;
      const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: uri(conf) }, range: typo.range, context: { diagnostics: [typo] } });
      const fixed = applyEdit(text, actions.find((a) => a.edit && /noTLSVerify/.test(a.title))!.edit!, uri(conf));
      assert.match(fixed, /      noTLSVerify: true/);
      await client.change(conf, 2, fixed);
      await client.waitForDiagnostics(uri(conf), (d) => d.version === 2 && d.diagnostics.some((x) => x.code === 'cloudflared/no-tls-verify'));
      const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: uri(conf) }, position: { line: 6, character: 9 } });
      const shown = (hover.contents as { value: string }).value;
      assert.match(shown, /\*\*noTLSVerify\*\* · cloudflared · originRequest/);
      assert.match(shown, /Default: `false`/);
      assert.match(shown, /cloudflared\/no-tls-verify/, 'the finding there is explained too');

      const lenses = await client.request<Array<{ range: { start: { line: number } }; command: { title: string } }>>('textDocument/codeLens', { textDocument: { uri: uri(conf) } });
      assert.deepEqual(
        lenses.map((l) => `${l.range.start.line}: ${l.command.title}`),
        ['3: Kasm zone: Upstream Auth Address = kasm.example.com, Proxy Port = 0 (Admin › Infrastructure › Zones; new sessions only)'],
      );

      const withNewLine = `${fixed}      `;
      await client.change(conf, 3, withNewLine);
      const items = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: uri(conf) }, position: { line: 7, character: 6 } });
      const labels = items.map((i) => i.label);
      assert.ok(labels.includes('caPool') && labels.includes('originServerName'), labels.join(' '));
      assert.ok(!labels.includes('noTLSVerify') && !labels.includes('hostname'), 'keys present, or of another mapping, are not offered');

      // The values of a key with a fixed set: protocol's, and edge-ip-version's quoted (a string flag).
      const withValues = `protocol: q\nedge-ip-version: \n${fixed}`;
      await client.change(conf, 4, withValues);
      const protocols = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: uri(conf) }, position: { line: 0, character: 11 } });
      assert.deepEqual(protocols.map((i) => i.label), ['auto', 'quic', 'http2']);
      const quic = protocols.find((i) => i.label === 'quic')!;
      assert.deepEqual(quic.textEdit, { range: { start: { line: 0, character: 10 }, end: { line: 0, character: 11 } }, newText: 'quic' });
      const versions = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: uri(conf) }, position: { line: 1, character: 17 } });
      assert.deepEqual(versions.map((i) => (i.textEdit as { newText: string }).newText), ['auto', '"4"', '"6"']);

      await client.open(other, 'steps:\n  - run: npm test\n', 1, 'yaml');
      await client.request('textDocument/hover', { textDocument: { uri: uri(other) }, position: { line: 0, character: 1 } });
      assert.equal(client.diagnostics.get(uri(other))?.diagnostics.length ?? 0, 0);
    } finally {
      await client.shutdown();
    }
  });
});

describe('findings in the editor: the quick-fix menu, fix-all and unsafe fixes, the hover', () => {
  // Two security headers without "always" (safe fixes), an echoed Origin (unsafe fixes only), on one server.
  const text = [
    'events {}',
    'http {',
    '    server {',
    '        listen 8080;',
    '        server_name app.example.org;',
    '        location / {',
    "            add_header X-Content-Type-Options nosniff; add_header Referrer-Policy same-origin;",
    '            add_header Access-Control-Allow-Origin $http_origin;',
    '            root /srv/www;',
    '        }',
    '        location /api/ {',
    '            add_header Access-Control-Allow-Origin $http_origin;',
    '            proxy_pass http://127.0.0.1:9000;',
    '        }',
    '    }',
    '}',
    '',
  ].join('\n');
  let client: LspClient;
  let conf: string;

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kasmlint-lsp-menu-'));
    conf = join(dir, 'nginx.conf');
    writeFileSync(conf, text);
    client = new LspClient();
    await client.initialize(dir, {}, 20, { showDocument: { support: true } });
    await client.open(conf, text);
    await client.waitForDiagnostics(uri(conf), (d) => d.diagnostics.some((x) => x.code === 'cors/reflected-origin'));
  });
  after(() => client.shutdown());

  const actionsAt = (line: number) => {
    const diagnostics = client.diagnostics.get(uri(conf))!.diagnostics.filter((d) => d.range.start.line === line);
    return client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: uri(conf) },
      range: { start: { line, character: 0 }, end: { line, character: 200 } },
      context: { diagnostics },
    });
  };

  test("the menu in ESLint's order, rule by rule: fixes, fix all of the rule, disable for the line, for the file, documentation", async () => {
    const titles = (await actionsAt(6)).map((a) => a.title);
    assert.deepEqual(titles, [
      'Add "always"',
      'Add "always"',
      'Fix all headers/missing-always problems in this file',
      'Disable headers/missing-always for this line',
      'Disable headers/missing-always for the whole file',
      'Show documentation for headers/missing-always',
    ]);
    const cors = await actionsAt(7);
    assert.deepEqual(
      cors.map((a) => a.title),
      [
        'Allow only https://app.example.org — narrows who may call this server',
        'Allow only the origins of an allow-list (https://app.example.org; map $http_origin $cors_allowed_origin, 2 headers switched) — narrows who may call this server',
        'Disable cors/reflected-origin for this line',
        'Disable cors/reflected-origin for the whole file',
        'Show documentation for cors/reflected-origin',
      ],
      'unsafe fixes are not fixed in bulk: no "Fix all" for them',
    );
    assert.ok(!cors.some((a) => a.isPreferred), 'an unsafe fix is never the preferred one');
    assert.ok((await actionsAt(6)).filter((a) => a.isPreferred).length === 2, 'safe preferred fixes stay preferred');
    const diagnostic = client.diagnostics.get(uri(conf))!.diagnostics.find((d) => d.code === 'cors/reflected-origin')!;
    assert.ok(cors.every((a) => a.diagnostics?.some((d) => d.message === diagnostic.message)), 'every action carries its diagnostic (VS Code keeps them together)');
  });

  test('disable comments leave the cursor after "-- " for the reason; documentation opens through window/showDocument', async () => {
    const actions = await actionsAt(7);
    const line = actions.find((a) => a.title === 'Disable cors/reflected-origin for this line')!;
    assert.equal(applyEdit(text, line.edit!, uri(conf)).split('\n')[7], '            # kasmlint-disable-next-line cors/reflected-origin -- ');
    await client.request('workspace/executeCommand', line.command);
    assert.deepEqual(client.shownDocuments.at(-1), { uri: uri(conf), takeFocus: true, selection: { start: { line: 7, character: 66 }, end: { line: 7, character: 66 } } });
    const file = actions.find((a) => a.title === 'Disable cors/reflected-origin for the whole file')!;
    assert.equal(applyEdit(text, file.edit!, uri(conf)).split('\n')[0], '# kasmlint-disable cors/reflected-origin -- ');
    assert.deepEqual(file.command!.arguments![1], { line: 0, character: '# kasmlint-disable cors/reflected-origin -- '.length });
    const docs = actions.find((a) => a.title === 'Show documentation for cors/reflected-origin')!;
    await client.request('workspace/executeCommand', docs.command);
    assert.match(client.shownDocuments.at(-1)!.uri, /docs\/rules\/cors\/reflected-origin\.md$/);
  });

  test('"Fix all <rule> problems" applies that rule\'s fixes in the file through workspace/applyEdit', async () => {
    const fixAll = (await actionsAt(6)).find((a) => a.title.startsWith('Fix all'))!;
    const before = client.appliedEdits.length;
    await client.request('workspace/executeCommand', fixAll.command);
    assert.equal(client.appliedEdits.length, before + 1);
    const fixed = applyEdit(text, client.appliedEdits.at(-1) as WorkspaceEdit, uri(conf));
    assert.match(fixed, /add_header X-Content-Type-Options nosniff always; add_header Referrer-Policy same-origin always;/);
    assert.match(fixed, /Access-Control-Allow-Origin \$http_origin;/, 'other rules untouched');
  });

  test('fix-all (fix on save) leaves unsafe fixes out, unless kasmlint.fixAll.unsafe is on', async () => {
    const fixAll = async () => applyEdit(text, (await fixAllActions(client, conf))[0]!.edit!, uri(conf));
    const safe = await fixAll();
    assert.match(safe, /nosniff always;/);
    assert.match(safe, /Access-Control-Allow-Origin \$http_origin;/);
    client.settings = { fixAll: { unsafe: true } };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    await client.waitForDiagnostics(uri(conf), (d) => d.diagnostics.length > 0);
    const unsafe = await fixAll();
    assert.match(unsafe, /Access-Control-Allow-Origin https:\/\/app\.example\.org;/);
    assert.match((await fixAllActions(client, conf))[0]!.title, /^Fix all kasmlint problems$/);
    client.settings = {};
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
  });

  test('the hover where two findings meet shows each: rule, severity and preset, message, why, documentation link', async () => {
    const line = text.split('\n').findIndex((l, i) => i > 8 && l.includes('$http_origin'));
    const character = text.split('\n')[line]!.indexOf('$http_origin') + 3;
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: uri(conf) }, position: { line, character } });
    const value = (hover.contents as { value: string }).value;
    const blocks = value.split('\n\n---\n\n');
    assert.deepEqual(
      blocks.slice(0, 2).map((b) => b.split('\n')[0]),
      ['**cors/reflected-origin** · warning (preset nginx-recommended)', '**headers/hide-upstream** · information (preset nginx-recommended)'],
    );
    assert.match(blocks[0]!, /\n\nAccess-Control-Allow-Origin echoes the request's Origin \(\$http_origin\)\.\n\nEvery website may then read these responses/);
    assert.match(blocks[0]!, /\[Documentation of cors\/reflected-origin\]\(file:.*docs\/rules\/cors\/reflected-origin\.md\)$/);
    assert.match(blocks.at(-1)!, /\$http_origin/, 'what the word under the cursor is comes after the findings');
    assert.doesNotMatch(value, /kasm(?!lint)/i, "a configuration that is not Kasm's is not told about Kasm");
  });
});
