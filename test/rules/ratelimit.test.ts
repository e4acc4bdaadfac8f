import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fixPaths } from '../../server/src/engine/fix';
import { host, lint } from '../support/engine';
import { location, site } from '../support/configs';
import { nginxTest, writeTree } from '../support/nginx';
import { ruleTests } from '../support/rule-tester';

const ZONE = '    limit_req_zone $binary_remote_addr zone=kasm_limit:10m rate=100r/s;\n\n';
const LIMIT = 'limit_req zone=kasm_limit burst=20 nodelay;';
const BEHIND_PROXY_REALIP = [
  'set_real_ip_from 10.0.0.0/8;',
  'set_real_ip_from 172.16.0.0/12;',
  'set_real_ip_from 192.168.0.0/16;',
  'real_ip_header X-Forwarded-For;',
  'real_ip_recursive on;',
];

/** The site with `text` inserted at http level just above the server. */
function aboveServer(config: string, text: string): string {
  return config.replace('    server {\n', `${text}    server {\n`);
}

ruleTests('ratelimit/missing', {
  valid: [
    { name: 'a limit in effect, inherited from the server', files: { 'nginx.conf': site([LIMIT, ...location('/api/', ['proxy_pass http://kasm_api;'])], ['limit_req_zone $binary_remote_addr zone=kasm_limit:10m rate=100r/s;']) } },
    { name: 'a location that does not proxy', files: { 'nginx.conf': site(location('/', ['return 204;'])) } },
    { name: 'an internal location', files: { 'nginx.conf': site(location('/auth', ['internal;', 'proxy_pass http://kasm_api;'])) } },
  ],
  invalid: [
    {
      name: 'clients connect directly: a zone keyed on the client address, and limit_req in every proxied location of the server',
      files: { 'nginx.conf': site([...location('/api/', ['proxy_pass http://kasm_api;']), ...location('/app/', ['proxy_pass http://app;'])]) },
      findings: [
        { path: 'nginx.conf', line: 12, severity: 'hint', message: /^Requests to this proxying location are not rate-limited\.$/, detail: /deployment: direct, so the limit counts per client address/ },
        { path: 'nginx.conf', line: 15, severity: 'hint' },
      ],
      output: { 'nginx.conf': aboveServer(site([...location('/api/', [LIMIT, 'proxy_pass http://kasm_api;']), ...location('/app/', [LIMIT, 'proxy_pass http://app;'])]), ZONE) },
      nginxAcceptsOutput: true,
    },
    {
      name: 'behind a proxy: the realip module is set up at the top of the server, trusting private networks',
      files: { 'nginx.conf': site(location('/api/', ['proxy_pass http://kasm_api;'])), '.kasmlintrc.json': '{ "deployment": "behind-proxy" }' },
      findings: [{ path: 'nginx.conf', line: 12, detail: /taken from the front proxy's X-Forwarded-For by the realip module/ }],
      output: { 'nginx.conf': aboveServer(site([...BEHIND_PROXY_REALIP, ...location('/api/', [LIMIT, 'proxy_pass http://kasm_api;'])]), ZONE) },
      nginxAcceptsOutput: true,
    },
    {
      name: 'behind a Cloudflare Tunnel, with the trusted proxies from the settings',
      files: { 'nginx.conf': site(location('/api/', ['proxy_pass http://kasm_api;'])), '.kasmlintrc.json': '{ "deployment": "cloudflare-tunnel", "trustedProxies": ["172.17.0.1"] }' },
      findings: [{ path: 'nginx.conf', line: 12 }],
      output: { 'nginx.conf': aboveServer(site(['set_real_ip_from 172.17.0.1;', 'real_ip_header CF-Connecting-IP;', ...location('/api/', [LIMIT, 'proxy_pass http://kasm_api;'])]), ZONE) },
      nginxAcceptsOutput: true,
    },
    {
      name: 'a warning under kasm-hardened (a step of Kasm\'s hardening guide)',
      preset: 'kasm-hardened',
      files: { 'nginx.conf': site(location('/api/', ['proxy_pass http://kasm_api;'])) },
      findings: [{ path: 'nginx.conf', line: 12, severity: 'warning', detail: /Kasm's hardening guide adds limit_req to every location/ }],
      output: { 'nginx.conf': aboveServer(site(location('/api/', [LIMIT, 'proxy_pass http://kasm_api;'])), ZONE) },
      nginxAcceptsOutput: true,
    },
  ],
}, { preset: 'kasm-default' });

test('ratelimit/missing is off under nginx-recommended: a limit per location is a policy, not a defect', () => {
  const dir = writeTree({ 'nginx.conf': site(location('/api/', ['proxy_pass http://app;'])) });
  assert.deepEqual(lint([dir]).findings.filter((f) => f.rule === 'ratelimit/missing'), []);
  assert.equal(lint([dir], (s) => ({ ...s, preset: 'kasm-default' })).findings.filter((f) => f.rule === 'ratelimit/missing').length, 1);
});

ruleTests('ratelimit/unknown-zone', {
  valid: [{ name: 'a defined zone', files: { 'nginx.conf': site([...location('/api/', [LIMIT, 'proxy_pass http://kasm_api;'])], ['limit_req_zone $binary_remote_addr zone=kasm_limit:10m rate=100r/s;']) } }],
  invalid: [
    {
      name: 'a typo in the zone name: nginx refuses to start; rename to the close one, or define it',
      files: { 'nginx.conf': site(location('/api/', ['limit_req zone=kasm_limt burst=20;', 'proxy_pass http://kasm_api;']), ['limit_req_zone $binary_remote_addr zone=kasm_limit:10m rate=100r/s;']) },
      findings: [{ path: 'nginx.conf', line: 14, severity: 'error', message: /^limit_req uses zone "kasm_limt", which no limit_req_zone defines \(did you mean "kasm_limit"\?\)\.$/, detail: /zero size shared memory zone "kasm_limt"/ }],
      output: { 'nginx.conf': site(location('/api/', ['limit_req zone=kasm_limit burst=20;', 'proxy_pass http://kasm_api;']), ['limit_req_zone $binary_remote_addr zone=kasm_limit:10m rate=100r/s;']) },
      nginxAcceptsOutput: true,
      alternatives: [
        {
          title: /^Define zone "kasm_limt"/,
          output: {
            'nginx.conf': aboveServer(
              site(location('/api/', ['limit_req zone=kasm_limt burst=20;', 'proxy_pass http://kasm_api;']), ['limit_req_zone $binary_remote_addr zone=kasm_limit:10m rate=100r/s;']),
              '    limit_req_zone $binary_remote_addr zone=kasm_limt:10m rate=100r/s;\n\n',
            ),
          },
        },
      ],
    },
    {
      name: 'a limit_req on a limit_conn zone',
      files: { 'nginx.conf': site(location('/api/', ['limit_req zone=perip;', 'proxy_pass http://kasm_api;']), ['limit_conn_zone $binary_remote_addr zone=perip:10m;']) },
      findings: [{ path: 'nginx.conf', line: 14, severity: 'error' }],
    },
  ],
});

test('ratelimit/unknown-zone: each message carries what nginx -t prints', () => {
  const cases: Array<[string[], string[]]> = [
    [['limit_req_zone $binary_remote_addr zone=z:10m rate=1r/s;'], ['limit_req zone=y;']],
    [['limit_conn_zone $binary_remote_addr zone=z:10m;'], ['limit_req zone=z;']],
    [['limit_req_zone $binary_remote_addr zone=z:10m rate=1r/s;', 'limit_req_zone $remote_addr zone=z:10m rate=1r/s;'], []],
  ];
  for (const [http, server] of cases) {
    const dir = writeTree({ 'nginx.conf': site([...server, ...location('/', ['return 204;'])], http) });
    const verdict = nginxTest(join(dir, 'nginx.conf'), dir);
    assert.ok(!verdict.ok);
    const said = /\[emerg\] \d+#\d+: (.*?)(?: in \/\S+:\d+)?$/m.exec(verdict.output)?.[1];
    assert.ok(said, verdict.output);
    const found = lint([dir]).findings.filter((f) => f.rule === 'ratelimit/unknown-zone');
    assert.equal(found.length, 1, verdict.output);
    const shown = `${found[0]!.message} ${found[0]!.detail}`;
    assert.ok(shown.includes(said), `${shown}\n  does not say: ${said}`);
  }
});

const XFF_ZONE = 'limit_req_zone $http_x_forwarded_for zone=kasm_limit:10m rate=100r/s;';

ruleTests('ratelimit/spoofable-key', {
  valid: [{ name: 'keyed on the client address', files: { 'nginx.conf': site([LIMIT], ['limit_req_zone $binary_remote_addr zone=kasm_limit:10m rate=100r/s;']) } }],
  invalid: [
    {
      name: "the guide's $http_x_forwarded_for, clients connecting directly: keyed on the address",
      files: { 'nginx.conf': site([LIMIT, ...location('/', ['return 204;'])], [XFF_ZONE]) },
      findings: [{ path: 'nginx.conf', line: 3, column: 20, severity: 'warning', message: /^This limit_req_zone is keyed on \$http_x_forwarded_for, which the client controls\.$/, detail: /^clients connect directly/ }],
      output: { 'nginx.conf': site([LIMIT, ...location('/', ['return 204;'])], ['limit_req_zone $binary_remote_addr zone=kasm_limit:10m rate=100r/s;']) },
      nginxAcceptsOutput: true,
    },
    {
      name: 'behind a proxy: keyed on the address the realip module takes from the trusted proxy, in the server that uses the zone',
      files: { 'nginx.conf': site([LIMIT, ...location('/', ['return 204;'])], [XFF_ZONE]), '.kasmlintrc.json': '{ "deployment": "behind-proxy", "trustedProxies": ["10.1.2.3"] }' },
      findings: [{ path: 'nginx.conf', line: 3, detail: /appends the client address to whatever X-Forwarded-For the client sent/ }],
      output: {
        'nginx.conf': site(['set_real_ip_from 10.1.2.3;', 'real_ip_header X-Forwarded-For;', 'real_ip_recursive on;', LIMIT, ...location('/', ['return 204;'])], [
          'limit_req_zone $binary_remote_addr zone=kasm_limit:10m rate=100r/s;',
        ]),
      },
      nginxAcceptsOutput: true,
    },
  ],
});

test('behind a proxy, fixing everything sets up realip once although two rules ask for it, and nginx -t accepts the result', () => {
  const dir = writeTree({
    'nginx.conf': site([...location('/api/', ['proxy_pass http://kasm_api;']), ...location('/app/', ['limit_req zone=kasm_limit;', 'proxy_pass http://app;'])], [XFF_ZONE]),
    '.kasmlintrc.json': '{ "deployment": "behind-proxy", "preset": "kasm-default" }',
  });
  const first = fixPaths([dir], { host, unsafe: true });
  assert.deepEqual(first.errors, []);
  const text = readFileSync(join(dir, 'nginx.conf'), 'utf8');
  assert.equal(text.match(/real_ip_header X-Forwarded-For;/g)?.length, 1, text);
  assert.match(text, /limit_req_zone \$binary_remote_addr zone=kasm_limit/);
  const verdict = nginxTest(join(dir, 'nginx.conf'), dir);
  assert.ok(verdict.ok, `${verdict.output}\n${text}`);
  assert.deepEqual(lint([dir]).findings.filter((f) => f.rule.startsWith('ratelimit/')), []);
});

test('two servers without limits: fixing both defines the zone once (nginx refuses a second limit_req_zone of the same name)', () => {
  const server = (port: number) => `    server {\n        listen ${port};\n        location / {\n            proxy_pass http://127.0.0.1:8080;\n        }\n    }\n`;
  const dir = writeTree({ 'nginx.conf': `events {}\nhttp {\n${server(8080)}${server(8081)}}\n`, '.kasmlintrc.json': '{ "preset": "kasm-default" }' });
  const fixes = lint([dir]).findings.filter((f) => f.rule === 'ratelimit/missing').map((f) => f.fixes[0]!.edits[0]!);
  assert.equal(fixes.length, 2);
  assert.deepEqual(fixes[1], fixes[0], 'both locations carry the same zone edit');
  const outcome = fixPaths([dir], { host, unsafe: true });
  assert.deepEqual(outcome.errors, []);
  const text = readFileSync(join(dir, 'nginx.conf'), 'utf8');
  assert.equal(text.match(/limit_req_zone /g)?.length, 1, text);
  assert.equal(text.match(/limit_req zone=kasm_limit burst=20 nodelay;/g)?.length, 2, text);
  const verdict = nginxTest(join(dir, 'nginx.conf'), dir);
  assert.ok(verdict.ok, `${verdict.output}\n${text}`);
});
