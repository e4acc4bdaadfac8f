import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { lint } from '../support/engine';
import { location, site } from '../support/configs';
import { KASM_FIXTURE } from '../support/kasm';
import { ruleTests } from '../support/rule-tester';

const STREAMING = ['proxy_http_version 1.1;', 'proxy_set_header Host $host;', 'proxy_set_header Upgrade $http_upgrade;', 'proxy_set_header Connection "upgrade";'];
const FRONT = ['upstream kasm_backend {', '    server 127.0.0.1:443;', '}'];

ruleTests('websocket/missing-upgrade', {
  valid: [
    { name: 'a front proxy with the three lines (the networking guide)', files: { 'nginx.conf': site(location('/', ['proxy_pass https://kasm_backend;', ...STREAMING]), FRONT) } },
    { name: 'a plain API proxy that never upgrades', files: { 'nginx.conf': site(location('/api/', ['proxy_pass http://app;', 'proxy_set_header Host $host;'])) } },
    {
      name: 'the map $http_upgrade form, headers inherited from the server',
      files: {
        'nginx.conf': site(
          ['proxy_http_version 1.1;', 'proxy_set_header Upgrade $http_upgrade;', 'proxy_set_header Connection $connection_upgrade;', ...location('/', ['proxy_pass https://kasm_backend;'])],
          [...FRONT, 'map $http_upgrade $connection_upgrade {', "    default upgrade;", "    ''      close;", '}'],
        ),
      },
    },
    {
      name: 'nginx 1.29.7 speaks HTTP/1.1 to upstreams by default',
      files: {
        'nginx.conf': site(location('/', ['proxy_pass https://kasm_backend;', 'proxy_set_header Upgrade $http_upgrade;', 'proxy_set_header Connection "upgrade";']), FRONT),
        '.kasmlintrc.json': '{ "nginxVersion": "1.29.7" }',
      },
    },
  ],
  invalid: [
    {
      name: 'a front proxy to Kasm without any of the lines: warning, streaming will not work',
      files: { 'nginx.conf': site(location('/', ['proxy_pass https://kasm_backend;', 'proxy_set_header Host $host;']), FRONT) },
      findings: [{ path: 'nginx.conf', line: 16, severity: 'warning', message: /^This location proxies to a WebSocket service without passing the upgrade\.$/, detail: /^It lacks "proxy_http_version 1\.1" .*"proxy_set_header Upgrade \$http_upgrade" and a Connection header carrying "upgrade"\. .*WebSocket connections through it fail/ }],
      output: {
        'nginx.conf': site(
          location('/', ['proxy_pass https://kasm_backend;', 'proxy_set_header Host $host;', 'proxy_http_version 1.1;', 'proxy_set_header Upgrade $http_upgrade;', 'proxy_set_header Connection "upgrade";']),
          FRONT,
        ),
      },
      nginxAcceptsOutput: true,
      alternatives: [
        {
          title: /map \$http_upgrade \$connection_upgrade/,
          output: {
            'nginx.conf': site(
              location('/', ['proxy_pass https://kasm_backend;', 'proxy_set_header Host $host;', 'proxy_http_version 1.1;', 'proxy_set_header Upgrade $http_upgrade;', 'proxy_set_header Connection $connection_upgrade;']),
              FRONT,
            ).replace('    server {', "    map $http_upgrade $connection_upgrade {\n        default upgrade;\n        ''      close;\n    }\n\n    server {"),
          },
        },
      ],
    },
    {
      name: 'a location that passes Upgrade but sends Connection "": a warning under nginx-recommended, the wrong value replaced',
      files: { 'nginx.conf': site(location('/ws/', ['proxy_pass http://app;', 'proxy_http_version 1.1;', 'proxy_set_header Upgrade $http_upgrade;', 'proxy_set_header Connection "";'])) },
      findings: [{ path: 'nginx.conf', line: 13, severity: 'warning', message: /passes part of a WebSocket upgrade only/, detail: /^It lacks a Connection header carrying "upgrade"/ }],
      output: { 'nginx.conf': site(location('/ws/', ['proxy_pass http://app;', 'proxy_http_version 1.1;', 'proxy_set_header Upgrade $http_upgrade;', 'proxy_set_header Connection "upgrade";'])) },
      nginxAcceptsOutput: true,
    },
    {
      name: 'headers inherited from the server are re-declared when the location gets its first proxy_set_header',
      files: {
        'nginx.conf': site(['proxy_set_header Host $host;', 'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;', ...location('/', ['proxy_pass https://kasm_backend;', 'proxy_http_version 1.1;'])], FRONT),
      },
      findings: [{ path: 'nginx.conf', line: 18, severity: 'warning' }],
      output: {
        'nginx.conf': site(
          [
            'proxy_set_header Host $host;',
            'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
            ...location('/', [
              'proxy_pass https://kasm_backend;',
              'proxy_http_version 1.1;',
              'proxy_set_header Host $host;',
              'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
              'proxy_set_header Upgrade $http_upgrade;',
              'proxy_set_header Connection "upgrade";',
            ]),
          ],
          FRONT,
        ),
      },
      nginxAcceptsOutput: true,
    },
    {
      name: 'proxy_http_version 1.0 set at the location is corrected',
      files: { 'nginx.conf': site(location('/', ['proxy_pass https://kasm_backend;', 'proxy_http_version 1.0;', 'proxy_set_header Upgrade $http_upgrade;', 'proxy_set_header Connection "upgrade";']), FRONT) },
      findings: [{ path: 'nginx.conf', line: 16, detail: /lacks "proxy_http_version 1\.1" \(nginx 1\.25\.1 speaks HTTP\/1\.0/ }],
      output: { 'nginx.conf': site(location('/', ['proxy_pass https://kasm_backend;', 'proxy_http_version 1.1;', 'proxy_set_header Upgrade $http_upgrade;', 'proxy_set_header Connection "upgrade";']), FRONT) },
      nginxAcceptsOutput: true,
    },
  ],
});

test('silent on the Kasm tree, where every streaming location carries its lines', () => {
  assert.deepEqual(lint([KASM_FIXTURE]).findings.filter((f) => f.rule === 'websocket/missing-upgrade'), []);
});

test('fires in the Kasm tree when a streaming location loses any one of its three lines', () => {
  const lines = ['proxy_http_version      1.1;', 'proxy_set_header        Upgrade $http_upgrade;', 'proxy_set_header        Connection "upgrade";'];
  for (const line of lines) {
    const dir = mkdtempSync(join(tmpdir(), 'kasmlint-ws-'));
    cpSync(KASM_FIXTURE, dir, { recursive: true });
    const file = join(dir, 'services.d/upstream_proxy.conf');
    const text = readFileSync(file, 'utf8');
    assert.ok(text.includes(line), line);
    writeFileSync(file, text.replace(line, `# ${line}`));
    const found = lint([dir]).findings.filter((f) => f.rule === 'websocket/missing-upgrade');
    assert.deepEqual(found.map((f) => `${f.file.slice(dir.length + 1)}:${f.range.start.line + 1} ${f.severity}`), ['services.d/upstream_proxy.conf:37 warning'], line);
    assert.match(found[0]!.detail!, /Kasm streams desktops over WebSockets, so sessions through it hang on "connecting"/);
  }
});
