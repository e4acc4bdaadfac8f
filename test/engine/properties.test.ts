// Property tests of the parser and the engine (fast-check): whatever the text, parsing and linting
// return, within a time bound per input, with every range inside its document, no rule failing
// internally, and fixes that converge and keep an accepted configuration accepted. The inputs are
// random text, configurations generated from the directives the rules look at, and mutations of the
// real Kasm tree and of cloudflared configs. Each property runs in a worker thread watched by the
// test (see ../support/properties.ts); KASMLINT_PROPERTY_SEED tries another seed.

import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { stringify } from 'yaml';
import { LineIndex, type Range } from '../../server/src/core/text';
import { applyTextEdits, chooseFixes, replacementEdit } from '../../server/src/engine/fix';
import type { Finding, TextEdit } from '../../server/src/engine/findings';
import { lintPaths, type LintRun } from '../../server/src/engine/lint';
import { forEachDirective, type Block, type ParsedFile } from '../../server/src/nginx/ast';
import { parseNginx } from '../../server/src/nginx/parser';
import { INGRESS_RULE_KEYS, ORIGIN_REQUEST_KEYS, TOP_LEVEL_KEYS } from '../../server/src/cloudflared/keys';
import { expandCipherString } from '../../server/src/tls/openssl';
import { KASM_FIXTURE, throwAwayCertificate } from '../support/kasm';
import { MemoryHost } from '../support/memory-host';
import { nginxTest, writeTree } from '../support/nginx';
import { fc, property, propertyTests } from '../support/properties';

// ---- what every run must satisfy ---------------------------------------------------------------

function assertRangeInside(range: Range, text: string | undefined, what: string): void {
  if (text === undefined) assert.fail(`${what} points into a file the engine did not read`);
  const lines = new LineIndex(text);
  for (const p of [range.start, range.end]) {
    assert.ok(p.line >= 0 && p.line < lines.lineCount, `${what}: line ${p.line} outside the ${lines.lineCount} lines`);
    const length = lines.lineText(p.line).length;
    assert.ok(p.character >= 0 && p.character <= length, `${what}: character ${p.character} outside line ${p.line} (${length} characters)`);
  }
  assert.ok(range.start.line < range.end.line || (range.start.line === range.end.line && range.start.character <= range.end.character), `${what}: range ends before it starts`);
}

function assertFindingsInside(findings: readonly Finding[], texts: ReadonlyMap<string, string>): void {
  for (const f of findings) {
    assertRangeInside(f.range, texts.get(f.file), `${f.rule} finding`);
    for (const r of f.related) assertRangeInside(r.range, texts.get(r.file), `${f.rule} related information`);
    for (const fix of f.fixes) for (const e of fix.edits) assertRangeInside(e.range, texts.get(e.file), `${f.rule} fix "${fix.title}"`);
  }
}

/** No rule threw, every range lies inside the file it names, and every text the engine read is known. */
function assertSoundRun(run: LintRun, files: ReadonlyMap<string, string>): void {
  for (const a of run.analyses) assert.deepEqual(a.internalErrors, []);
  for (const t of run.tunnels) assert.deepEqual(t.internalErrors, []);
  assertFindingsInside(run.findings, files);
}

function assertParsedInside(file: ParsedFile): void {
  const n = file.text.length;
  const inside = (start: number, end: number, what: string) => assert.ok(start >= 0 && start <= end && end <= n, `${what} [${start}, ${end}) outside [0, ${n}]`);
  for (const issue of file.issues) inside(issue.start, issue.end, `issue "${issue.message}"`);
  for (const c of file.comments) inside(c.start, c.end, 'comment');
  const blocks: Block[] = [file.root];
  forEachDirective(file.root, (d) => {
    inside(d.start, d.end, `directive ${d.name}`);
    inside(d.nameToken.start, d.nameToken.end, `name of ${d.name}`);
    for (const a of d.args) inside(a.start, a.end, `argument of ${d.name}`);
    assert.ok(d.terminatorOffset >= 0 && d.terminatorOffset <= n, `terminator of ${d.name}`);
    if (d.block) blocks.push(d.block);
  });
  for (const b of blocks) {
    if (b.owner) inside(b.open, b.close ?? n, `block of ${b.owner.name}`);
    if (b.lua) inside(b.lua.start, b.lua.end, 'Lua body');
  }
}

function lintMemory(files: ReadonlyMap<string, string>, root: string): LintRun {
  return lintPaths([root], { host: new MemoryHost(files) });
}

// ---- random text -------------------------------------------------------------------------------

const NGINX_PIECES = [
  '{', '}', ';', '"', "'", '\\', '#', '$', '${', '}', '\n', '\r', '\r\n', ' ', '\t', '(', ')', '~', '^', '=', '*', '/', ':', '\0',
  'é', '\u2028', '\uFEFF', '\ud800', '😀', 'server', 'location', 'http', 'events', 'include', 'if', 'map', 'upstream', 'listen', 'add_header',
  'proxy_pass', 'content_by_lua_block', 'ssl_protocols', 'TLSv1', '$http_origin', 'a', '0', ' # kasmlint-disable-line', '"${x}"', '\\"',
];
const nginxText = fc.oneof(
  fc.array(fc.constantFrom(...NGINX_PIECES), { maxLength: 400 }).map((p) => p.join('')),
  fc.string({ unit: 'binary', maxLength: 400 }),
  fc.string({ unit: 'grapheme', maxLength: 400 }),
);

// ---- generated configurations ------------------------------------------------------------------

interface Node {
  name: string;
  args: string[];
  children?: Node[];
}

const CERT = '/mem/certs/kasm_nginx.crt';
const KEY = '/mem/certs/kasm_nginx.key';
const ZONES = ['api', 'desktop'];
const UPSTREAMS = ['kasm_api', 'kasm_guac'];
const HEADERS = ['X-Frame-Options', 'X-Content-Type-Options', 'Strict-Transport-Security', 'Content-Security-Policy', 'Referrer-Policy', 'Access-Control-Allow-Origin', 'Access-Control-Allow-Credentials', 'Cache-Control'];
const HEADER_VALUES = ['SAMEORIGIN', 'nosniff', '"max-age=63072000; includeSubDomains"', "\"default-src 'self'\"", '$http_origin', '*', 'https://kasm.example.com', 'true', 'no-store'];
const PROTOCOLS = ['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];
const CIPHER_STRINGS = ['HIGH:!aNULL:!MD5', 'ALL', 'ECDHE+AESGCM:!SHA1', 'DEFAULT:@SECLEVEL=0', 'RC4-SHA:DES-CBC3-SHA', 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384', '"EECDH+AESGCM:EDH+AESGCM"'];
const REALIP = ['X-Forwarded-For', 'X-Real-IP', 'CF-Connecting-IP', 'proxy_protocol'];
const KEYS = ['$binary_remote_addr', '$http_x_forwarded_for', '$http_cf_connecting_ip', '$remote_addr'];

const leaf = (name: string, ...args: fc.Arbitrary<string>[]): fc.Arbitrary<Node> => fc.tuple(...args).map((a) => ({ name, args: a.filter((x) => x !== '') }));
const pick = (values: readonly string[]) => fc.constantFrom(...values);
const maybe = (value: string) => fc.constantFrom(value, '');

const addHeader = leaf('add_header', pick(HEADERS), pick(HEADER_VALUES), maybe('always'));
const tlsDirectives = fc.oneof(
  fc.uniqueArray(pick(PROTOCOLS), { minLength: 1, maxLength: 3 }).map((p): Node => ({ name: 'ssl_protocols', args: p })),
  leaf('ssl_ciphers', pick(CIPHER_STRINGS)),
  leaf('ssl_prefer_server_ciphers', pick(['on', 'off'])),
);
const realIp = fc.oneof(leaf('real_ip_header', pick(REALIP)), leaf('set_real_ip_from', pick(['10.0.0.0/8', '0.0.0.0/0', '173.245.48.0/20'])));
const webSocket = fc.oneof(
  fc.constant<Node>({ name: 'proxy_http_version', args: ['1.1'] }),
  leaf('proxy_set_header', pick(['Upgrade', 'Connection', 'Host', 'X-Forwarded-For']), pick(['$http_upgrade', '"upgrade"', '$connection_upgrade', '$host', '$proxy_add_x_forwarded_for'])),
);
const upstreamTls = fc.oneof(leaf('proxy_ssl_verify', pick(['on', 'off'])), leaf('proxy_ssl_trusted_certificate', fc.constant(CERT)), leaf('proxy_ssl_name', pick(['kasm.example.com', '$host'])));
const limitReq = leaf('limit_req', pick(ZONES.map((z) => `zone=${z}`)), maybe('burst=10'), maybe('nodelay'));

/** Directives nginx takes more than once in a block; any other is "directive is duplicate" the second time. */
const REPEATABLE = new Set(['add_header', 'proxy_set_header', 'proxy_hide_header', 'set_real_ip_from', 'if', 'location', 'server', 'map', 'upstream', 'limit_req_zone']);

function withoutDuplicates(nodes: readonly Node[]): Node[] {
  const seen = new Set<string>();
  return nodes.filter((n) => {
    const key = REPEATABLE.has(n.name) ? `${n.name} ${n.args.join(' ')}` : n.name;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const locationBody = fc.array(
  fc.oneof(
    { weight: 3, arbitrary: leaf('proxy_pass', pick([...UPSTREAMS.map((u) => `https://${u}`), 'http://127.0.0.1:8080', 'https://$host'])) },
    { weight: 3, arbitrary: webSocket },
    { weight: 3, arbitrary: addHeader },
    { weight: 1, arbitrary: upstreamTls },
    { weight: 1, arbitrary: limitReq },
    { weight: 1, arbitrary: leaf('proxy_hide_header', pick(HEADERS)) },
    { weight: 1, arbitrary: leaf('expires', pick(['4h', 'off'])) },
    { weight: 1, arbitrary: leaf('return', pick(['204', '301 https://$host$request_uri'])) },
    {
      weight: 1,
      arbitrary: fc.constant<Node>({ name: 'if', args: ['($http_origin', '~', '"^https://kasm\\.example\\.com$")'], children: [{ name: 'add_header', args: ['Access-Control-Allow-Origin', '$http_origin'] }] }),
    },
  ),
  { maxLength: 7 },
).map(withoutDuplicates);

const serverBody = fc
  .tuple(
    fc.array(fc.oneof(tlsDirectives, realIp, addHeader, limitReq, leaf('server_tokens', pick(['on', 'off']))), { maxLength: 5 }),
    fc.array(locationBody, { minLength: 1, maxLength: 4 }),
  )
  .map(([directives, bodies]): Node[] => [
    { name: 'listen', args: ['443', 'ssl'] },
    { name: 'server_name', args: ['kasm.example.com'] },
    { name: 'ssl_certificate', args: [CERT] },
    { name: 'ssl_certificate_key', args: [KEY] },
    ...withoutDuplicates(directives),
    ...bodies.map((children, i): Node => ({ name: 'location', args: [i === 0 ? '/' : `/p${i}/`], children })),
  ]);

const httpBody = fc
  .tuple(
    fc.array(
      fc.oneof(
        tlsDirectives,
        realIp,
        addHeader,
        fc.constant<Node>({ name: 'map', args: ['$http_upgrade', '$connection_upgrade'], children: [{ name: 'default', args: ['upgrade'] }, { name: "''", args: ['close'] }] }),
      ),
      { maxLength: 4 },
    ),
    fc.constantFrom(...KEYS),
    fc.array(serverBody, { minLength: 1, maxLength: 2 }),
  )
  .map(([directives, key, servers]): Node[] => [
    ...ZONES.map((z): Node => ({ name: 'limit_req_zone', args: [key, `zone=${z}:10m`, 'rate=10r/s'] })),
    ...UPSTREAMS.map((u, i): Node => ({ name: 'upstream', args: [u], children: [{ name: 'server', args: [`127.0.0.1:${8080 + i}`] }] })),
    ...withoutDuplicates(directives),
    ...servers.map((children, i): Node => ({ name: 'server', args: [], children: i === 0 ? children : children.map((c) => (c.name === 'listen' ? { ...c, args: [`${8443 + i}`, 'ssl'] } : c)) })),
  ]);

function render(nodes: readonly Node[], indent = ''): string {
  return nodes
    .map((n) => {
      const head = `${indent}${[n.name, ...n.args].join(' ')}`;
      return n.children ? `${head} {\n${render(n.children, `${indent}    `)}${indent}}\n` : `${head};\n`;
    })
    .join('');
}

function certificateFiles(): Array<[string, string]> {
  const { crt, key } = throwAwayCertificate();
  return [
    [CERT, readFileSync(crt, 'utf8')],
    [KEY, readFileSync(key, 'utf8')],
  ];
}

const generatedConfig = httpBody.map((body) => `events {}\nhttp {\n${render(body, '    ')}}\n`);

// ---- mutations ---------------------------------------------------------------------------------

const PIECES = ['{', '}', ';', '"', "'", '\\', '#', '$', '\n', ' ', 'a', '(', ')', 'include services.d/*.conf;', 'location / {', 'server {'];

interface Mutation {
  at: number; // a fraction of the text's length
  op: 'delete' | 'insert' | 'duplicate';
  piece: string;
  length: number;
}

const mutation = fc.record<Mutation>({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  op: fc.constantFrom('delete', 'insert', 'duplicate'),
  piece: fc.constantFrom(...PIECES),
  length: fc.integer({ min: 1, max: 40 }),
});

function mutate(text: string, mutations: readonly Mutation[]): string {
  let out = text;
  for (const m of mutations) {
    const at = Math.floor(m.at * out.length);
    if (m.op === 'delete') out = out.slice(0, at) + out.slice(at + m.length);
    else if (m.op === 'insert') out = out.slice(0, at) + m.piece + out.slice(at);
    else out = out.slice(0, at) + out.slice(at, at + m.length) + out.slice(at);
  }
  return out;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? filesUnder(join(dir, name)) : [join(dir, name)]));
}

const KASM_ROOT = '/mem/kasm';
let kasmFiles: Array<[string, string]> | undefined;
function kasmTree(): Array<[string, string]> {
  kasmFiles ??= filesUnder(KASM_FIXTURE).map((f) => [join(KASM_ROOT, relative(KASM_FIXTURE, f)), readFileSync(f, 'utf8')]);
  return kasmFiles;
}

// ---- cloudflared -------------------------------------------------------------------------------

const GUIDE_TUNNEL = 'tunnel: <TUNNEL_ID>\ncredentials-file: /root/.cloudflared/<TUNNEL_ID>.json\n\ningress:\n  - hostname: kasm.yourdomain.com\n    service: https://localhost:443\n    originRequest:\n      noTLSVerify: true\n  - service: http_status:404\n';
const EXAMPLE_TUNNEL = readFileSync(join(__dirname, '../../../examples/cloudflared/config.yml'), 'utf8');
const YAML_PIECES = [':', ': ', '-', '- ', '  ', '\n', '#', '"', "'", '&a ', '*a', '<<: ', '!!str ', '|', '>', '{', '}', '[', ']', ',', '---\n', '...\n', '%YAML 1.2\n', '\t', 'noTLSVerify', 'service', 'ingress', 'true'];

const scalar = fc.oneof(fc.boolean(), fc.integer(), fc.constantFrom('yes', 'off', '30s', '1m30s', '-5s', 'https://localhost:443', 'http_status:404', 'tcp://a:1', 'unix:/x', '*.example.com', '^/api'), fc.string({ maxLength: 12 }));
const keyOf = (table: ReadonlyMap<string, unknown>) => fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...table.keys()) }, { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 10 }) });
const originRequest = fc.dictionary(keyOf(ORIGIN_REQUEST_KEYS), fc.oneof(scalar, fc.array(scalar, { maxLength: 2 })), { maxKeys: 4 });
const ingressRule = fc.dictionary(keyOf(INGRESS_RULE_KEYS), fc.oneof({ weight: 4, arbitrary: scalar }, { weight: 1, arbitrary: originRequest }), { maxKeys: 4 });
const generatedTunnel = fc
  .tuple(fc.dictionary(keyOf(TOP_LEVEL_KEYS), scalar, { maxKeys: 4 }), fc.array(ingressRule, { maxLength: 5 }), fc.option(originRequest))
  .map(([top, ingress, origin]) => stringify({ ...top, ...(origin ? { originRequest: origin } : {}), ingress }));
const tunnelText = fc.oneof(
  generatedTunnel,
  fc.tuple(fc.constantFrom(GUIDE_TUNNEL, EXAMPLE_TUNNEL), fc.array(mutation.map((m) => ({ ...m, piece: YAML_PIECES[m.length % YAML_PIECES.length]! })), { minLength: 1, maxLength: 4 })).map(([t, ms]) => mutate(t, ms)),
  fc.array(fc.constantFrom(...YAML_PIECES), { maxLength: 80 }).map((p) => p.join('')),
);

// ---- the properties ----------------------------------------------------------------------------

const CIPHER_PIECES = ['ALL', 'HIGH', 'aNULL', 'eNULL', 'RC4', 'AESGCM', 'ECDHE', 'kRSA', 'SHA1', 'DEFAULT', 'COMPLEMENTOFDEFAULT', 'ECDHE-RSA-AES128-GCM-SHA256', 'SUITEB128', '@STRENGTH', '@SECLEVEL=', '0', '5', 'x'];
const cipherString = fc.array(fc.tuple(fc.constantFrom('', '!', '-', '+'), fc.constantFrom(...CIPHER_PIECES), fc.constantFrom(':', '+', ',', ' ', '')), { maxLength: 12 }).map((parts) => parts.map((p) => p.join('')).join(''));

interface FixCheck {
  accepted: boolean;
  /** Why nginx would refuse the generated configuration. */
  refusal?: string;
  passes: number;
  realAccepted?: boolean;
}

/** The real `nginx -t` on a generated nginx.conf, its /mem/ paths moved to a scratch folder. */
function realNginx(config: string): { ok: boolean; message?: string } {
  const dir = mkdtempSync(join(tmpdir(), 'kasmlint-property-'));
  try {
    for (const [path, text] of certificateFiles()) writeTree({ [path.slice(1)]: text }, dir);
    writeTree({ 'nginx.conf': config.replaceAll('/mem/', `${dir}/mem/`) }, dir);
    return nginxTest(join(dir, 'nginx.conf'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Applies every preferred fix (unsafe ones too) until none is left, as `--fix --unsafe-fixes` does. */
function fixUntilStable(files: Map<string, string>, root: string, maxPasses = 10): { files: Map<string, string>; passes: number; run: LintRun } {
  let run = lintMemory(files, root);
  for (let pass = 0; pass < maxPasses; pass++) {
    const chosen = chooseFixes(run.findings, true);
    if (chosen.length === 0) return { files, passes: pass, run };
    const byFile = new Map<string, TextEdit[]>();
    for (const { fix } of chosen) {
      for (const e of fix.edits) {
        const list = byFile.get(e.file) ?? [];
        if (!list.some((o) => JSON.stringify(o) === JSON.stringify(e))) list.push(e);
        byFile.set(e.file, list);
      }
    }
    const next = new Map(files);
    for (const [path, edits] of byFile) next.set(path, applyTextEdits(files.get(path)!, edits));
    files = next;
    run = lintMemory(files, root);
    assertSoundRun(run, files);
  }
  assert.fail(`fixes still pending after ${maxPasses} passes: ${chooseFixes(run.findings, true).map((c) => `${c.finding.rule}: ${c.fix.title}`).join('; ')}`);
}

const fixChecks: FixCheck[] = [];

/** The fix property would hold vacuously if few generated configurations were accepted or had fixes. */
function fixSummary(): string {
  const accepted = fixChecks.filter((c) => c.accepted);
  const fixed = accepted.filter((c) => c.passes > 0);
  const reasons = new Map<string, number>();
  for (const c of fixChecks) if (c.refusal) reasons.set(c.refusal, (reasons.get(c.refusal) ?? 0) + 1);
  const top = [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([r, n]) => `${n} x ${r}`).join('; ');
  assert.ok(accepted.length >= fixChecks.length / 3, `only ${accepted.length} of ${fixChecks.length} generated configurations were accepted; refused for: ${top}`);
  assert.ok(fixed.length >= accepted.length / 2, `only ${fixed.length} of ${accepted.length} accepted configurations had a fix`);
  const real = accepted.filter((c) => c.realAccepted);
  assert.ok(real.length >= accepted.length / 2, `the real nginx accepted only ${real.length} of the ${accepted.length} configurations kasmlint accepted`);
  return (
    `${accepted.length} of ${fixChecks.length} configurations accepted, ${fixed.length} of them fixed (up to ${Math.max(...fixChecks.map((c) => c.passes))} passes), ` +
    `all still accepted; real nginx -t accepted ${real.length} before the fixes and all of them after`
  );
}

propertyTests({
  'the parser returns on any text, with every range inside it': property({
    arbitrary: nginxText,
    numRuns: 3000,
    perInputMs: 5_000,
    check: (text) => {
      const file = parseNginx('/p.conf', text);
      assertParsedInside(file);
      const lua = parseNginx('/p.conf', `content_by_lua_block {${text}`);
      assertParsedInside(lua);
    },
  }),

  'the engine returns on any text in a Kasm tree, every finding inside its file': property({
    arbitrary: nginxText,
    numRuns: 400,
    perInputMs: 10_000,
    check: (text) => {
      const files = new Map(kasmTree());
      files.set(join(KASM_ROOT, 'services.d/website.conf'), text);
      assertSoundRun(lintMemory(files, KASM_ROOT), files);
    },
  }),

  'the engine returns on mutations of the real Kasm tree, every finding inside its file': property({
    arbitrary: fc.tuple(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 5 })),
    numRuns: 300,
    perInputMs: 10_000,
    check: ([which, mutations]) => {
      const tree = kasmTree();
      const files = new Map(tree);
      const [path, text] = tree[which % tree.length]!;
      files.set(path, mutate(text, mutations));
      assertSoundRun(lintMemory(files, KASM_ROOT), files);
    },
  }),

  'fixes on generated configurations converge, and an accepted configuration stays accepted': property({
    arbitrary: generatedConfig,
    numRuns: 300,
    perInputMs: 10_000,
    summary: fixSummary,
    check: (config) => {
      const root = '/mem/gen';
      const files = new Map([...certificateFiles(), [join(root, 'nginx.conf'), config]]);
      const before = lintMemory(files, root);
      assertSoundRun(before, files);
      const verdict = before.analyses[0]!.nginx;
      const accepted = verdict.ok;
      const fixed = fixUntilStable(files, root);
      fixChecks.push({ accepted, refusal: verdict.ok ? undefined : verdict.message.replace(/"[^"]*"/g, '"..."'), passes: fixed.passes });
      if (!accepted) return;
      const fixedText = fixed.files.get(join(root, 'nginx.conf'))!;
      const after = fixed.run.analyses[0]!.nginx;
      assert.ok(after.ok, `the fixes made kasmlint predict that nginx refuses the configuration: ${!after.ok ? after.message : ''}\n${fixedText}`);
      // and the real nginx: what it accepted before the fixes, it accepts after them
      const real = realNginx(config);
      fixChecks[fixChecks.length - 1]!.realAccepted = real.ok;
      if (real.ok) {
        const realAfter = realNginx(fixedText);
        assert.ok(realAfter.ok, `the fixes made the real nginx -t refuse the configuration: ${realAfter.message}\n${fixedText}`);
      }
    },
  }),

  'fixes on mutations of generated configurations never leave a range outside the text': property({
    arbitrary: fc.tuple(generatedConfig, fc.array(mutation, { minLength: 1, maxLength: 4 })),
    numRuns: 200,
    perInputMs: 10_000,
    check: ([config, mutations]) => {
      const root = '/mem/gen';
      const files = new Map([...certificateFiles(), [join(root, 'nginx.conf'), mutate(config, mutations)]]);
      assertSoundRun(lintMemory(files, root), files);
      fixUntilStable(files, root);
    },
  }),

  'cloudflared configs: the engine returns on any YAML, every finding inside the file': property({
    arbitrary: tunnelText,
    numRuns: 1500,
    perInputMs: 5_000,
    check: (text) => {
      const path = '/mem/tunnel/config.yml';
      const files = new Map([[path, text]]);
      const run = lintMemory(files, path);
      assertSoundRun(run, files);
      if (run.tunnels[0]!.tunnel.syntax.length === 0) fixUntilStable(files, path);
    },
  }),

  'the editor fix-all\'s one edit per file turns any text into any other, never splitting a CRLF or a surrogate pair': property({
    arbitrary: fc.tuple(...[0, 1].map(() => fc.array(fc.constantFrom('a', 'b', '\r\n', '\n', '\r', '😀', 'é', ' '), { maxLength: 30 }).map((p) => p.join('')))),
    numRuns: 3000,
    perInputMs: 2_000,
    check: ([before, after]) => {
      const edit = replacementEdit('/f.conf', before, after);
      assert.equal(applyTextEdits(before, [edit]), after);
      const lines = new LineIndex(before);
      for (const p of [edit.range.start, edit.range.end]) {
        const offset = lines.offsetAt(p);
        assert.deepEqual(lines.positionAt(offset), p, 'a position inside the text');
        assert.ok(!(before[offset - 1] === '\r' && before[offset] === '\n'), 'not inside a CRLF');
        assert.ok(!/[\ud800-\udbff]/.test(before[offset - 1] ?? '') || !/[\udc00-\udfff]/.test(before[offset] ?? ''), 'not inside a surrogate pair');
      }
    },
  }),

  'cipher strings: the OpenSSL expansion returns on any string': property({
    arbitrary: cipherString,
    numRuns: 3000,
    perInputMs: 2_000,
    check: (text) => {
      const expansion = expandCipherString(text);
      if (expansion.ok) assert.ok(expansion.tls12.length > 0);
    },
  }),
});
