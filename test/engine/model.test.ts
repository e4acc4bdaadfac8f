import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, test } from 'node:test';
import { modelMemoKey, walk, type ConfigBlock, type ConfigDirective } from '../../server/src/model/config';
import { droppedInheritance, effective, effectiveConfig } from '../../server/src/model/effective';
import { expandGlob, compile } from '../../server/src/workspace/glob';
import { host, lint, lintTree } from '../support/engine';
import { writeTree } from '../support/nginx';
import type { Finding } from '../../server/src/engine/findings';

/** What would stop nginx from loading the configuration (the hardening rules are tested elsewhere). */
function loadErrors(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.rule.startsWith('nginx/'));
}

function find(block: ConfigBlock, predicate: (d: ConfigDirective) => boolean): ConfigDirective {
  for (const d of walk(block)) if (predicate(d)) return d;
  throw new Error('not found');
}

function locationBlock(root: ConfigBlock, uri: string): ConfigBlock {
  return find(root, (d) => d.node.name === 'location' && d.node.args.at(-1)!.value === uri).block!;
}

describe('include masks as glob(3) expands them', () => {
  test('byte order, hidden files only with a leading dot, brackets, ranges and escapes', () => {
    const dir = writeTree({ 'b.conf': '', 'a.conf': '', 'B.conf': '', '_z.conf': '', '.hidden.conf': '', 'a1.conf': '', 'a2.conf': '', 'x.txt': '' });
    const names = (pattern: string) => expandGlob(host, join(dir, pattern)).map((p) => basename(p));
    assert.deepEqual(names('*.conf'), ['B.conf', '_z.conf', 'a.conf', 'a1.conf', 'a2.conf', 'b.conf']);
    assert.deepEqual(names('.*.conf'), ['.hidden.conf']);
    assert.deepEqual(names('a[0-9].conf'), ['a1.conf', 'a2.conf']);
    assert.deepEqual(names('[!ab]*.conf'), ['B.conf', '_z.conf']);
    assert.deepEqual(names('?.conf'), ['B.conf', 'a.conf', 'b.conf']);
    assert.deepEqual(names('nothing-*.conf'), []);
    assert.ok(compile('a\\*')('a*'));
    assert.ok(!compile('a\\*')('ab'));
  });

  test('masks in folder names, and matches across folders sorted as whole paths', () => {
    const dir = writeTree({ 'x/1.conf': '', 'y/0.conf': '', 'x/sub/2.conf': '' });
    assert.deepEqual(expandGlob(host, join(dir, '*/*.conf')).map((p) => p.slice(dir.length + 1)), ['x/1.conf', 'y/0.conf']);
  });

  test('a glob over a folder holding a symbolic link loop terminates', () => {
    const dir = writeTree({ 'conf.d/a.conf': 'server { listen 8080; }\n' });
    symlinkSync(join(dir, 'conf.d'), join(dir, 'conf.d/loop'));
    assert.deepEqual(expandGlob(host, join(dir, 'conf.d/*/*/*/*.conf')).length, 1);
  });
});

describe('includes, mappings and contexts', () => {
  test('a Kasm tree anywhere is recognised: /etc/nginx/conf.d and /opt/kasm/current/conf/nginx map to it', () => {
    const { run, findings } = lintTree({
      'kasm/orchestrator.conf':
        'server {\n  listen 443 ssl;\n  ssl_certificate /etc/ssl/certs/kasm_nginx.crt;\n  ssl_certificate_key /etc/ssl/private/kasm_nginx.key;\n' +
        '  include /etc/nginx/conf.d/services.d/*.conf;\n  include /opt/kasm/current/conf/nginx/extra/*.conf;\n}\n',
      'kasm/services.d/a.conf': 'location /a/ { return 204; }\n',
      'kasm/extra/b.conf': 'location /b/ { return 204; }\n',
      'kasm/upstream_x.conf': 'upstream x { server 127.0.0.1:1; }\n',
    });
    assert.deepEqual(findings.filter((f) => f.rule.startsWith('nginx/')), []);
    const { model } = run.analyses[0]!;
    const server = model.roots[0]!.block.items.find((d) => d.node.name === 'server')!.block!;
    assert.deepEqual(
      server.items.filter((d) => d.node.name === 'location').map((d) => d.node.args[0]!.value),
      ['/a/', '/b/'],
    );
  });

  test('relative includes resolve against the folder of nginx.conf, not the including file', () => {
    const { findings } = lintTree({
      'nginx.conf': 'events {}\nhttp {\n  include sites/*.conf;\n}\n',
      'sites/site.conf': 'server {\n  listen 8080;\n  include snippets/headers.conf;\n}\n',
      'snippets/headers.conf': 'add_header X-Content-Type-Options nosniff always;\n',
    });
    assert.deepEqual(loadErrors(findings), []);
  });

  test('path mappings from settings, and a prefix', () => {
    const { findings } = lintTree({
      '.kasmlintrc.json': JSON.stringify({ pathMappings: { '/srv/shared': 'shared' }, prefix: 'root' }),
      'root/nginx.conf': 'worker_processes 1;\nevents {}\nhttp {\n  include /srv/shared/x.conf;\n  include local.conf;\n}\n',
      'root/local.conf': 'server_tokens off;\n',
      'shared/x.conf': 'gzip on;\n',
    });
    assert.deepEqual(findings, []);
  });

  test('a fragment opened alone: context from its top-level directives, or from a comment', () => {
    const location = lintTree({ 'site/a.conf': 'location / {\n  proxy_pass http://127.0.0.1;\n}\n' });
    assert.deepEqual(loadErrors(location.findings), []);
    assert.equal(location.run.analyses[0]!.model.roots[0]!.context, 'http.server');

    const declared = lintTree({ 'site/b.conf': '# kasmlint: context=location\nproxy_pass http://127.0.0.1;\n' });
    assert.deepEqual(loadErrors(declared.findings), []);
    assert.equal(declared.run.analyses[0]!.model.roots[0]!.context, 'http.location');

    const wrong = lintTree({ 'site/c.conf': '# kasmlint: context=http\nproxy_pass http://127.0.0.1;\n' });
    assert.deepEqual(loadErrors(wrong.findings).map((f) => f.rule), ['nginx/invalid-context']);
  });

  test('a services.d file linted alone is still read inside the server of its Kasm tree', () => {
    const dir = writeTree({
      'orchestrator.conf': 'server {\n  listen 443 ssl;\n  include /etc/nginx/conf.d/services.d/*.conf;\n}\n',
      'services.d/a.conf': 'map $a $b { default 1; }\n',
    });
    const run = lint([join(dir, 'services.d/a.conf')]);
    assert.deepEqual(run.findings.map((f) => `${f.rule} ${basename(f.file)}`), ['nginx/invalid-context a.conf']);
    assert.match(run.findings[0]!.detail!, /Files in services\.d are read inside the server block/);
  });

  test('include cycles are reported with their chain, never followed forever', () => {
    const { findings } = lintTree({
      'nginx.conf': 'events {}\nhttp {\n  include a.conf;\n}\n',
      'a.conf': 'include b.conf;\n',
      'b.conf': 'include a.conf;\n',
    });
    const cycle = findings.filter((f) => f.rule === 'nginx/include-cycle');
    assert.equal(cycle.length, 1);
    assert.match(cycle[0]!.message, /a\.conf → b\.conf → a\.conf/);
  });

  test('a file included in several places reports a problem of its text once', () => {
    const { findings } = lintTree({
      'nginx.conf': 'events {}\nhttp {\n  server { listen 8080; include h.conf; }\n  server { listen 8081; include h.conf; }\n  server { listen 8082; include h.conf; }\n}\n',
      'h.conf': 'gzip on;\nfooo on;\nlocation / { proxy_pass http://127.0.0.1:9000; }\nlocation / { return 204; }\n',
    });
    const at = (rule: string) => findings.filter((f) => f.rule === rule).map((f) => `${f.path}:${f.range.start.line + 1}:${f.range.start.character + 1}`);
    assert.deepEqual(at('nginx/unknown-directive'), ['h.conf:2:1']);
    assert.deepEqual(at('nginx/duplicate-location'), ['h.conf:4:1']);
  });

  test('an include of a FIFO, a device or a directory is reported, not read', () => {
    const dir = writeTree({ 'nginx.conf': 'events {}\nhttp {\n  include /dev/zero;\n  include /dev/null;\n  include conf.d;\n}\n' });
    mkdirSync(join(dir, 'conf.d'));
    const findings = lint([dir]).findings.filter((f) => f.rule.startsWith('nginx/'));
    assert.deepEqual(
      findings.map((f) => `${f.rule} ${f.range.start.line + 1} ${/regular|directory/.exec(f.message)?.[0]}`),
      ['nginx/include-not-found 3 regular', 'nginx/include-not-found 4 regular', 'nginx/include-not-found 5 directory'],
    );
  });
});

describe('what readers keep with a model (ConfigModel.memo)', () => {
  test('computed once per model and key, an undefined result included; another model or key computes its own', () => {
    const tree = { 'nginx.conf': 'events {}\nhttp { server { listen 8080; location / { return 204; } } }\n' };
    const first = lintTree(tree).run.analyses[0]!.model;
    const second = lintTree(tree).run.analyses[0]!.model;
    const count = modelMemoKey<number>('a count');
    const nothing = modelMemoKey<undefined>('nothing');
    let made = 0;
    assert.equal(first.memo(count, () => ++made), 1);
    assert.equal(first.memo(count, () => ++made), 1);
    assert.equal(second.memo(count, () => ++made), 2);
    assert.equal(first.memo(modelMemoKey<number>('a count'), () => ++made), 3, 'keys are told apart by identity, not by name');
    let asked = 0;
    first.memo(nothing, () => void asked++);
    first.memo(nothing, () => void asked++);
    assert.equal(asked, 1);
  });
});

describe('effective configuration', () => {
  const tree = {
    'nginx.conf': [
      'events {}',
      'http {',
      '  proxy_set_header Host $host;',
      '  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
      '  add_header X-Frame-Options SAMEORIGIN always;',
      '  proxy_read_timeout 60s;',
      '  server {',
      '    listen 8080;',
      '    proxy_read_timeout 1800s;',
      '    location /inherits/ { proxy_pass http://127.0.0.1; }',
      '    location /own-headers/ {',
      '      add_header Cache-Control private;',
      '      proxy_set_header Upgrade $http_upgrade;',
      '      proxy_pass http://127.0.0.1;',
      '      location /own-headers/nested/ { return 204; }',
      '    }',
      '    location /via-include/ {',
      '      include snippets/headers.conf;',
      '    }',
      '  }',
      '}',
      '',
    ].join('\n'),
    'snippets/headers.conf': 'add_header Referrer-Policy same-origin always;\n',
  };

  test('plain inheritance: the nearest level wins', () => {
    const { run } = lintTree(tree);
    const root = run.analyses[0]!.model.roots[0]!.block;
    const inherits = locationBlock(root, '/inherits/');
    const timeout = effective(inherits, 'proxy_read_timeout', '1.25.1');
    assert.deepEqual(timeout.directives.map((d) => d.node.args[0]!.value), ['1800s']);
    assert.equal(timeout.level!.context, 'http.server');
    assert.equal(timeout.inherited, true);
    assert.deepEqual(effective(inherits, 'proxy_set_header', '1.25.1').directives.map((d) => d.node.args[0]!.value), ['Host', 'X-Forwarded-For']);
  });

  test('"only if none at this level": one add_header drops the inherited ones; includes count at the level they are included', () => {
    const { run } = lintTree(tree);
    const root = run.analyses[0]!.model.roots[0]!.block;
    const own = locationBlock(root, '/own-headers/');
    assert.deepEqual(effective(own, 'add_header', '1.25.1').directives.map((d) => d.node.args[0]!.value), ['Cache-Control']);
    const dropped = droppedInheritance(own, 'proxy_set_header', '1.25.1')!;
    assert.deepEqual(dropped.dropped.map((d) => d.node.args[0]!.value), ['Host', 'X-Forwarded-For']);
    assert.equal(dropped.from.context, 'http');
    // the nested location inherits the headers of its enclosing location, not of http
    const nested = locationBlock(root, '/own-headers/nested/');
    assert.deepEqual(effective(nested, 'add_header', '1.25.1').directives.map((d) => d.node.args[0]!.value), ['Cache-Control']);
    const viaInclude = locationBlock(root, '/via-include/');
    assert.deepEqual(effective(viaInclude, 'add_header', '1.25.1').directives.map((d) => d.node.args[0]!.value), ['Referrer-Policy']);
    assert.deepEqual(droppedInheritance(viaInclude, 'add_header', '1.25.1')!.dropped.map((d) => d.node.args[0]!.value), ['X-Frame-Options']);
  });

  test('handlers such as proxy_pass apply only where they are written', () => {
    const { run } = lintTree(tree);
    const root = run.analyses[0]!.model.roots[0]!.block;
    const nested = locationBlock(root, '/own-headers/nested/');
    assert.deepEqual(effective(nested, 'proxy_pass', '1.25.1').directives, []);
    const config = effectiveConfig(locationBlock(root, '/own-headers/'), '1.25.1');
    assert.deepEqual([...config.keys()], ['add_header', 'proxy_pass', 'proxy_read_timeout', 'proxy_set_header']);
  });

  test('add_header_inherit merge and off, from nginx 1.29.3', () => {
    const { run } = lintTree({
      'nginx.conf':
        'events {}\nhttp {\n  add_header A 1;\n  add_header_inherit merge;\n  server {\n    listen 8080;\n    add_header B 2;\n    location / { add_header_inherit off; }\n  }\n}\n',
    });
    const root = run.analyses[0]!.model.roots[0]!.block;
    const server = find(root, (d) => d.node.name === 'server').block!;
    const names = (b: ConfigBlock, v: string) => effective(b, 'add_header', v).directives.map((d) => d.node.args[0]!.value);
    assert.deepEqual(names(server, '1.29.3'), ['B', 'A']);
    assert.deepEqual(names(server, '1.25.1'), ['B']);
    assert.deepEqual(names(locationBlock(root, '/'), '1.29.3'), []);
    assert.deepEqual(names(locationBlock(root, '/'), '1.25.1'), ['B']);
  });
});
