// Generators of NGINX inputs for property tests (fast-check), shared by the engine's and the
// formatter's properties: random text built from the pieces that matter to nginx's tokenizer, whole
// configurations generated from the directives the rules look at (accepted by the real nginx -t
// most of the time), mutations of a text, and the real Kasm tree held in memory.

import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { KASM_FIXTURE, throwAwayCertificate } from './kasm';
import { nginxTest, writeTree } from './nginx';
import { fc } from './properties';

// ---- random text -------------------------------------------------------------------------------

const NGINX_PIECES = [
  '{', '}', ';', '"', "'", '\\', '#', '$', '${', '}', '\n', '\r', '\r\n', ' ', '\t', '(', ')', '~', '^', '=', '*', '/', ':', '\0',
  'é', '\u2028', '\uFEFF', '\ud800', '😀', 'server', 'location', 'http', 'events', 'include', 'if', 'map', 'upstream', 'listen', 'add_header',
  'proxy_pass', 'content_by_lua_block', 'ssl_protocols', 'TLSv1', '$http_origin', 'a', '0', ' # kasmlint-disable-line', '"${x}"', '\\"',
];
export const nginxText = fc.oneof(
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

export function certificateFiles(): Array<[string, string]> {
  const { crt, key } = throwAwayCertificate();
  return [
    [CERT, readFileSync(crt, 'utf8')],
    [KEY, readFileSync(key, 'utf8')],
  ];
}

export const generatedConfig = httpBody.map((body) => `events {}\nhttp {\n${render(body, '    ')}}\n`);

// ---- mutations ---------------------------------------------------------------------------------

const PIECES = ['{', '}', ';', '"', "'", '\\', '#', '$', '\n', ' ', 'a', '(', ')', 'include services.d/*.conf;', 'location / {', 'server {'];

export interface Mutation {
  at: number; // a fraction of the text's length
  op: 'delete' | 'insert' | 'duplicate';
  piece: string;
  length: number;
}

export const mutation = fc.record<Mutation>({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  op: fc.constantFrom('delete', 'insert', 'duplicate'),
  piece: fc.constantFrom(...PIECES),
  length: fc.integer({ min: 1, max: 40 }),
});

export function mutate(text: string, mutations: readonly Mutation[]): string {
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

export const KASM_ROOT = '/mem/kasm';
let kasmFiles: Array<[string, string]> | undefined;
export function kasmTree(): Array<[string, string]> {
  kasmFiles ??= filesUnder(KASM_FIXTURE).map((f) => [join(KASM_ROOT, relative(KASM_FIXTURE, f)), readFileSync(f, 'utf8')]);
  return kasmFiles;
}

/** The real `nginx -t` on a generated nginx.conf, its /mem/ paths moved to a scratch folder. */
export function realNginx(config: string): { ok: boolean; message?: string } {
  const dir = mkdtempSync(join(tmpdir(), 'kasmlint-property-'));
  try {
    for (const [path, text] of certificateFiles()) writeTree({ [path.slice(1)]: text }, dir);
    writeTree({ 'nginx.conf': config.replaceAll('/mem/', `${dir}/mem/`) }, dir);
    return nginxTest(join(dir, 'nginx.conf'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
