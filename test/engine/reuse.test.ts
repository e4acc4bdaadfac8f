// The rules whose `reads` do not name an edited directive keep their findings from the analysis before
// (engine/reuse.ts). Held to an analysis from scratch after edits of the arguments of directives of
// every name in real configurations (Kasm's tree as shipped and as the hardening fixes leave it, our
// example, a configuration with a problem for each rule family), each edit undone after, and after
// renames of directives and names typed on a new line before one: every finding,
// its fixes' edits and nginx's verdict must be the same. A `reads` that leaves out a name the rule
// depends on fails here, naming the rule and the edit. REUSE_SWEEP=all edits every directive (and makes
// 1,000 random edits of each tree rather than 150); REUSE_SEED=n picks other random edits.

import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { lintPaths } from '../../server/src/engine/lint';
import { fixPaths } from '../../server/src/engine/fix';
import type { Directive } from '../../server/src/nginx/ast';
import { changeBetween } from '../../server/src/nginx/reparse';
import { NodeFileHost } from '../../server/src/workspace/host';
import { copyKasmFixture } from '../support/kasm';
import { randomEdit, statementEdit } from '../support/edits';
import { seededRandom } from '../support/random';
import { RULES } from '../../server/src/rules/registry';
import { type EditOutcome, otherArguments, ReuseHarness } from '../support/reuse';

const EVERY = process.env.REUSE_SWEEP === 'all';

function sweep(dir: string, seed: number, perName: number): { edits: number; taken: number } {
  const harness = new ReuseHarness(dir);
  const random = seededRandom(seed);
  const byName = new Map<string, Array<{ path: string; index: number }>>();
  harness.simpleDirectives().forEach(({ path, directive }, index) => {
    const list = byName.get(directive.name) ?? [];
    list.push({ path, index });
    byName.set(directive.name, list);
  });
  let edits = 0;
  let taken = 0;
  const failures: string[] = [];
  for (const [, places] of byName) {
    const chosen = EVERY ? places : [...places].sort(() => random(3) - 1).slice(0, perName);
    for (const { path, index } of chosen) {
      for (let round = 0; round < (EVERY ? 3 : 2); round++) {
        const directives = harness.simpleDirectives();
        const { directive } = directives[index]!;
        const sameName = directives.map((d) => d.directive).filter((d: Directive) => d.name === directive.name);
        const original = harness.texts.get(path)!;
        const outcome = harness.edit(path, directive, otherArguments(directive, sameName, random));
        edits++;
        taken += outcome.taken;
        if (outcome.differences.length > 0) failures.push(`${outcome.label}\n  ${outcome.differences.join('\n  ')}`);
        const back = harness.restore(path, original);
        if (back && back.differences.length > 0) failures.push(`${outcome.label}, undone\n  ${back.differences.join('\n  ')}`);
      }
    }
  }
  assert.deepStrictEqual(failures, [], `${failures.length} of ${edits} edits differ from an analysis from scratch`);
  return { edits, taken };
}

/** The directive names the rules declare they read (pseudo-names left out): what renames and typed statements use. */
const READ_NAMES = [...new Set(RULES.flatMap((rule) => [...(rule.meta.reads ?? []), ...(rule.meta.perDirective?.reads ?? [])]))].filter((name) => /^[a-z]/.test(name));

/**
 * Renames directives of every name (to a name some rule reads, to its own name cut short as while it
 * is typed, to the name of another directive of the configuration), types statements a character at
 * a time before directives and after a block's last one, and writes, deletes, splits and joins
 * statements, each edit undone after: every step must equal an analysis from scratch.
 */
function renameSweep(dir: string, seed: number, perName: number, typings: number): { edits: number; taken: number } {
  const harness = new ReuseHarness(dir);
  const random = seededRandom(seed);
  const byName = new Map<string, number[]>();
  harness.simpleDirectives().forEach(({ directive }, index) => byName.set(directive.name, [...(byName.get(directive.name) ?? []), index]));
  const names = [...byName.keys()];
  let edits = 0;
  let taken = 0;
  const failures: string[] = [];
  const check = (outcome: EditOutcome) => {
    edits++;
    taken += outcome.taken;
    if (outcome.differences.length > 0) failures.push(`${outcome.label}\n  ${outcome.differences.join('\n  ')}`);
  };
  for (const [name, places] of byName) {
    for (const index of EVERY ? places : [...places].sort(() => random(3) - 1).slice(0, perName)) {
      const targets = [READ_NAMES[random(READ_NAMES.length)]!, name.slice(0, 1 + random(name.length - 1)) || `${name}x`, names[random(names.length)]!];
      for (const target of targets) {
        const { path, directive } = harness.simpleDirectives()[index]!;
        if (target === directive.name) continue;
        const original = harness.texts.get(path)!;
        check(harness.rename(path, directive, target));
        const back = harness.restore(path, original);
        if (back) check(back);
      }
    }
  }
  const all = harness.simpleDirectives();
  for (let i = 0; i < typings; i++) {
    const { path, directive } = all[random(all.length)]!;
    const original = harness.texts.get(path)!;
    for (const outcome of harness.typeBefore(path, directive, `${READ_NAMES[random(READ_NAMES.length)]!};`, i % 2 === 1)) check(outcome);
    const back = harness.restore(path, original);
    if (back) check(back);
  }
  // typed after the last statement of a block: left open before its `}` until the `;`
  const lasts = all.filter(({ directive }) => directive.parent.directives.at(-1) === directive);
  for (let i = 0; i < typings && lasts.length > 0; i++) {
    const { path, directive } = lasts[random(lasts.length)]!;
    const original = harness.texts.get(path)!;
    for (const outcome of harness.typeAfter(path, directive, `${READ_NAMES[random(READ_NAMES.length)]!} on;`)) check(outcome);
    const back = harness.restore(path, original);
    if (back) check(back);
  }
  // statements added, deleted, split and joined, on their lines and on lines of their own
  for (const [, places] of byName) {
    for (const index of EVERY ? places : [...places].sort(() => random(3) - 1).slice(0, perName)) {
      const { path, directive } = harness.simpleDirectives()[index]!;
      const original = harness.texts.get(path)!;
      const statement = () => `${READ_NAMES[random(READ_NAMES.length)]!} ${['on', 'off', '$http_origin', '10s', 'X-Test "a b"'][random(5)]!};`;
      const edits = [
        () => harness.insertAfter(path, directive, statement()),
        () => harness.insertLineAfter(path, directive, random(2) === 0 ? '' : statement()),
        () => harness.removeLines(path, directive),
        () => harness.remove(path, directive),
        () => (directive.args.length > 1 ? harness.split(path, directive) : undefined),
        () => harness.join(path, directive),
      ];
      const outcome = edits[random(edits.length)]!();
      if (!outcome) continue;
      check(outcome);
      const back = harness.restore(path, original);
      if (back) check(back);
    }
  }
  assert.deepStrictEqual(failures, [], `${failures.length} of ${edits} edits differ from an analysis from scratch`);
  return { edits, taken };
}

/** A harness on an nginx.conf of these lines, in a fresh folder. */
function harnessOn(prefix: string, lines: readonly string[]): { harness: ReuseHarness; path: string } {
  const path = join(mkdtempSync(join(tmpdir(), `kasmlint-reuse-${prefix}-`)), 'nginx.conf');
  writeFileSync(path, [...lines, ''].join('\n'));
  return { harness: new ReuseHarness(dirname(path)), path };
}

/**
 * Gives the first simple directive named `name` the arguments `args`, runs `expect` on the analysis
 * (told the edit's label), then undoes the edit: both analyses must equal one from scratch.
 */
function editThenUndo(harness: ReuseHarness, path: string, name: string, args: readonly string[], expect: (label: string) => void): void {
  const original = harness.texts.get(path)!;
  const target = harness.simpleDirectives().find((d) => d.directive.name === name)!;
  const outcome = harness.edit(path, target.directive, [...args]);
  assert.deepStrictEqual(outcome.differences, [], outcome.label);
  expect(outcome.label);
  assert.deepStrictEqual(harness.restore(path, original)?.differences ?? [], [], `${outcome.label}, undone`);
}

/** A configuration with something for every family of rules to find (and to stop finding when edited). */
const PROBLEMS = `
events {}
http {
    limit_req_zone $http_x_forwarded_for zone=api:10m rate=5r/s;
    limit_conn_zone $binary_remote_addr zone=conn:10m;
    map $http_origin $cors_origin {
        default "";
        ~^https://(www\\.)?example\\.com$ $http_origin;
        https://a-very-long-origin-that-no-sixty-four-byte-bucket-holds.example.com $http_origin;
    }
    map $http_upgrade $connection_upgrade {
        default upgrade;
        ''      close;
    }
    geo $trusted { default 0; 10.0.0.0/8 1; }
    resolver 8.8.8.8 valid=30s;
    log_format main '$remote_addr $status';
    log_format upstream_times '$upstream_response_time';
    access_log /var/log/nginx/access.log main;
    server_tokens on;
    real_ip_header X-Forwarded-For;
    set_real_ip_from 0.0.0.0/0;
    upstream backend { server 127.0.0.1:8443; keepalive 8; }
    server {
        listen 80;
        server_name example.com;
        return 301 https://$host$request_uri;
    }
    server {
        listen 80;
        server_name workspaces-streaming-gateway.eu-west.internal.example.com;
        return 444;
    }
    server {
        listen 443 ssl;
        server_name example.com www.example.com;
        ssl_certificate /etc/ssl/example.pem;
        ssl_certificate_key /etc/ssl/example.key;
        ssl_protocols TLSv1 TLSv1.2;
        ssl_ciphers HIGH:!aNULL:RC4;
        ssl_prefer_server_ciphers off;
        ssl_session_tickets on;
        ssl_stapling on;
        ssl_ecdh_curve prime256v1;
        add_header Strict-Transport-Security "max-age=300";
        add_header X-Frame-Options DENY;
        add_header X-Content-Type-Options nosniff;
        keepalive_requests 100000;
        client_max_body_size 1G;
        location / {
            add_header Access-Control-Allow-Origin $http_origin;
            add_header Access-Control-Allow-Credentials true;
            add_header X-Debug "$http_x_debug";
            proxy_pass https://backend;
            proxy_ssl_verify off;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Client-Certificate-Subject-Distinguished-Name $ssl_client_s_dn;
            proxy_buffering off;
            limit_req zone=api burst=10;
        }
        location /ws/ {
            proxy_pass http://127.0.0.1:6901;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            add_header Access-Control-Allow-Origin $cors_origin always;
            limit_req zone=missing burst=5;
        }
        location ~ ^/files/(?<name>.*)$ {
            alias /srv/files/;
            if ($trusted) { set $fwd $name; }
            proxy_pass http://$arg_host/$name;
        }
        location /static {
            alias /srv/static/;
            valid_referers none blocked example.com;
            allow 10.0.0.0/8;
            autoindex on;
        }
        location = /nginx_status {
            stub_status;
        }
        location ~* "^/(a+)+$" {
            return 200 "$Host $uri";
        }
        location /admin {
            allow 10.0.0.0/8;
            deny all;
            return 200 ok;
        }
    }
}
`;

/** A fresh folder holding PROBLEMS as its nginx.conf, with these settings if given. */
function problemsTree(prefix: string, settings?: object): string {
  const dir = mkdtempSync(join(tmpdir(), `kasmlint-reuse-${prefix}-`));
  writeFileSync(join(dir, 'nginx.conf'), PROBLEMS);
  if (settings) writeFileSync(join(dir, '.kasmlintrc.json'), JSON.stringify(settings));
  return dir;
}

test('findings kept across edits of every directive of the Kasm tree equal an analysis from scratch', () => {
  const dir = copyKasmFixture(mkdtempSync(join(tmpdir(), 'kasmlint-reuse-')));
  const { edits, taken } = sweep(dir, 20261203, 2);
  assert.ok(edits > 100, `${edits} edits`);
  // the test would pass without any reuse: most edits must have taken findings over
  assert.ok(taken > edits * 20, `${taken} findings taken over in ${edits} edits`);
});

test('... and of the Kasm tree once the hardening fixes are applied', () => {
  const dir = copyKasmFixture(mkdtempSync(join(tmpdir(), 'kasmlint-reuse-fixed-')));
  const fixed = fixPaths([dir], { host: new NodeFileHost(), unsafe: true });
  assert.ok(fixed.applied > 10, `${fixed.applied} fixes applied`);
  assert.ok(lintPaths([dir], { host: new NodeFileHost() }).findings.length > 0);
  const { edits } = sweep(dir, 7, 2);
  assert.ok(edits > 100, `${edits} edits`);
});

test('... and of a configuration with a problem for each family of rules', () => {
  const dir = problemsTree('problems');
  const { edits, taken } = sweep(dir, 11, EVERY ? Infinity : 3);
  assert.ok(edits > 100, `${edits} edits`);
  assert.ok(taken > 0, `${taken} findings taken over`);
});

test('... and of that configuration with a finding limit of 1, which stops rules after their first finding', () => {
  const dir = problemsTree('limit', { maxFindingsPerRule: 1 });
  const limited = new ReuseHarness(dir).analysis.findings.filter((f) => f.rule === 'kasmlint/finding-limit').length;
  assert.ok(limited > 5, `${limited} rules stopped by the limit`);
  const { edits, taken } = sweep(dir, 5, EVERY ? Infinity : 3);
  assert.ok(edits > 100, `${edits} edits`);
  assert.ok(taken > 0, `${taken} findings taken over`);
});

test('findings kept across renames of directives and names typed before them equal an analysis from scratch (Kasm tree)', () => {
  const dir = copyKasmFixture(mkdtempSync(join(tmpdir(), 'kasmlint-reuse-rename-')));
  const { edits, taken } = renameSweep(dir, 20261204, 1, 6);
  assert.ok(edits > 150, `${edits} edits`);
  assert.ok(taken > edits * 10, `${taken} findings taken over in ${edits} edits`);
});

test('... and in the configuration with a problem for each family of rules', () => {
  const dir = problemsTree('rename-problems');
  const { edits, taken } = renameSweep(dir, 13, EVERY ? Infinity : 2, 10);
  assert.ok(edits > 150, `${edits} edits`);
  assert.ok(taken > 0, `${taken} findings taken over`);
});

test('... and in that configuration with a finding limit of 1', () => {
  const dir = problemsTree('rename-limit', { maxFindingsPerRule: 1 });
  const { edits, taken } = renameSweep(dir, 17, EVERY ? Infinity : 2, 6);
  assert.ok(edits > 150, `${edits} edits`);
  assert.ok(taken > 0, `${taken} findings taken over`);
});

test('random edits of any kind, typed one after another in the Kasm tree, the examples and the configuration with a problem for each family, equal an analysis from scratch at every step', () => {
  const kasm = copyKasmFixture(mkdtempSync(join(tmpdir(), 'kasmlint-reuse-random-')));
  const examples = mkdtempSync(join(tmpdir(), 'kasmlint-reuse-random-examples-'));
  cpSync(join(__dirname, '../../../examples'), examples, { recursive: true });
  const problems = problemsTree('random-problems');
  let steps = 0;
  let taken = 0;
  // (REUSE_SEED=n: other random edits)
  const shift = Number(process.env.REUSE_SEED ?? 0);
  for (const [dir, seed] of [[kasm, 41], [examples, 43], [problems, 47]] as const) {
    const harness = new ReuseHarness(dir);
    const random = seededRandom(seed + shift);
    const paths = [...harness.texts.keys()].filter((path) => harness.analysis.model.files.has(path));
    const failures: string[] = [];
    for (let i = 0; i < (EVERY ? 1000 : 150); i++) {
      const path = paths[random(paths.length)]!;
      const text = harness.texts.get(path)!;
      // (now and then a file goes back to its text on disk, as an undo does)
      const next = random(12) === 0 ? readFileSync(path, 'utf8') : (random(2) === 0 ? randomEdit : statementEdit)(text, harness.tree(path), random);
      if (next === text) continue;
      const change = changeBetween(text, next);
      const around = (t: string, end: number) => JSON.stringify(t.slice(Math.max(0, change.start - 60), end + 20));
      const outcome = harness.write(path, next, `${path}, edit ${i}: ${around(text, change.oldEnd)} -> ${around(next, change.newEnd)}`);
      steps++;
      taken += outcome.taken;
      if (outcome.differences.length > 0) failures.push(`${outcome.label}\n  ${outcome.differences.slice(0, 6).join('\n  ')}`);
    }
    assert.deepStrictEqual(failures, [], `${failures.length} of the edits of ${dir} differ from an analysis from scratch`);
  }
  assert.ok(steps > 300, `${steps} edits`);
  assert.ok(taken > steps * 5, `${taken} findings taken over in ${steps} edits`);
});

test("an edit of a map's entry in a file included inside the map runs the rules that read maps", () => {
  const dir = mkdtempSync(join(tmpdir(), 'kasmlint-reuse-map-'));
  writeFileSync(
    join(dir, 'nginx.conf'),
    'events {}\nhttp {\n    map $http_x_page $page {\n        include page-map.conf;\n    }\n    server {\n        listen 8080;\n        location / {\n            add_header X-Page $page;\n            return 200;\n        }\n    }\n}\n',
  );
  writeFileSync(join(dir, 'page-map.conf'), 'default "home";\n');
  const harness = new ReuseHarness(dir);
  const path = join(dir, 'page-map.conf');
  const entry = harness.simpleDirectives().find((d) => d.path === path)!;
  assert.equal(entry.directive.name, 'default');
  const outcome = harness.edit(path, entry.directive, ['$uri']);
  assert.deepStrictEqual(outcome.differences, []);
  assert.ok(
    harness.analysis.findings.some((f) => f.rule === 'headers/crlf-injection'),
    'the entry now copies the decoded path into the header: the rule must have run again',
  );
});

test("an edit of a log_format's name checks the access_log that names it again (a rule checking each directive on its own)", () => {
  const { harness, path } = harnessOn('log', [
    'events {}',
    'http {',
    "    log_format main '$remote_addr $status';",
    '    server {',
    '        listen 8080;',
    '        access_log /var/log/nginx/a.log main;',
    '        return 200;',
    '    }',
    '}',
  ]);
  const format = harness.simpleDirectives().find((d) => d.directive.name === 'log_format')!;
  const outcome = harness.edit(path, format.directive, ['other', "'$remote_addr'"]);
  assert.deepStrictEqual(outcome.differences, []);
  assert.ok(
    harness.analysis.findings.some((f) => f.rule === 'nginx/invalid-value' && /unknown log format "main"/.test(f.message)),
    harness.analysis.findings.map((f) => `${f.rule} ${f.message}`).join('\n'),
  );
});

test('an edit that stops defining a variable checks its uses again (set, a named capture of server_name or rewrite)', () => {
  const { harness, path } = harnessOn('variables', [
    'events {}',
    'http {',
    '    server {',
    '        listen 8080;',
    '        server_name ~^(?<sub>[a-z]+)\\.example\\.com$;',
    '        set $backend "b";',
    '        rewrite ^/old/(?<page>.*)$ /new/$page break;',
    '        location / {',
    '            add_header X-Values "$sub $backend $page";',
    '            return 200;',
    '        }',
    '    }',
    '}',
  ]);
  const cases: Array<[string, string[], string]> = [
    ['server_name', ['example.com'], 'sub'],
    ['set', ['$other', '"b"'], 'backend'],
    ['rewrite', ['^/old/(.*)$', '/new/$1', 'break'], 'page'],
  ];
  assert.deepStrictEqual(harness.analysis.findings.filter((f) => f.rule === 'nginx/unknown-variable').map((f) => f.message), []);
  for (const [name, args, variable] of cases) {
    editThenUndo(harness, path, name, args, (label) => {
      const unknown = harness.analysis.findings.filter((f) => f.rule === 'nginx/unknown-variable').map((f) => f.message);
      assert.ok(unknown.some((m) => m.includes(`"${variable}"`)), `${label}: ${unknown.join('; ')}`);
    });
  }
});

test("an edit that stops using a variable runs the rules that compare its uses (mixed-case, a map's missing default)", () => {
  const { harness, path } = harnessOn('uses', [
    'events {}',
    'http {',
    '    map $http_x_tenant $tenant {',
    '        alpha 127.0.0.1:9001;',
    '        beta  127.0.0.1:9002;',
    '    }',
    '    server {',
    '        listen 8080;',
    '        set $Backend "b";',
    '        location / {',
    '            proxy_pass http://$tenant;',
    '            add_header X-Backend $backend;',
    '        }',
    '    }',
    '}',
  ]);
  const rules = () => new Set(harness.analysis.findings.map((f) => f.rule));
  assert.ok(rules().has('variables/mixed-case') && rules().has('variables/map-without-default'), [...rules()].join(', '));
  for (const [name, args, rule] of [
    ['proxy_pass', ['http://127.0.0.1:9000'], 'variables/map-without-default'],
    ['add_header', ['X-Backend', 'fixed'], 'variables/mixed-case'],
  ] as const) {
    editThenUndo(harness, path, name, args, (label) => assert.ok(!rules().has(rule), `${label}: ${rule} still reported`));
  }
});

test('an analysis of texts that did not change takes over every rule that declares what it reads', () => {
  const dir = copyKasmFixture(mkdtempSync(join(tmpdir(), 'kasmlint-reuse-same-')));
  const harness = new ReuseHarness(dir);
  const before = harness.analysis.findings;
  const outcome = harness.again();
  assert.deepStrictEqual(outcome.differences, []);
  // (findings whose fixes are computed on demand are made again, for the new analysis: not counted)
  assert.ok(outcome.taken > before.length / 4, `${outcome.taken} of ${before.length} findings taken over`);
});

test('analyses with reuse keep no earlier trees nor analyses alive (each edit parsed in place)', async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const dir = mkdtempSync(join(tmpdir(), 'kasmlint-reuse-memory-'));
  const lines = ['events {}', 'http {', '    server {', '        listen 8080;'];
  for (let i = 0; i < 300; i++) lines.push(`        location /p${i}/ {`, '            proxy_read_timeout 10s;', '            proxy_pass http://127.0.0.1:9000;', '        }');
  writeFileSync(join(dir, 'nginx.conf'), [...lines, '    }', '}', ''].join('\n'));
  const harness = new ReuseHarness(dir);
  const path = join(dir, 'nginx.conf');
  const trees: Array<WeakRef<object>> = [];
  const analyses: Array<WeakRef<object>> = [];
  for (let i = 0; i < 30; i++) {
    const target = harness.simpleDirectives().find((d) => d.directive.name === 'proxy_read_timeout')!;
    const outcome = harness.edit(path, target.directive, [`${11 + i}s`]);
    assert.deepStrictEqual(outcome.differences, []);
    trees.push(new WeakRef(harness.analysis.model.files.get(path)!));
    analyses.push(new WeakRef(harness.analysis));
  }
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  // the harness holds the last analysis; the parse cache its tree and, for the next edit, the one before
  const alive = (refs: Array<WeakRef<object>>) => refs.filter((r) => r.deref() !== undefined).length;
  assert.ok(alive(trees) <= 2, `${alive(trees)} of 30 trees alive`);
  assert.ok(alive(analyses) <= 2, `${alive(analyses)} of 30 analyses alive`);
});

test('an edit inside a location checks that location and those nested in it again, and keeps what the rules checking each location found about the others', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kasmlint-reuse-locations-'));
  const path = join(dir, 'nginx.conf');
  const config = [
    'events {}',
    'http {',
    '    upstream kasm_api {',
    '        server 127.0.0.1:8443;',
    '    }',
    '    server {',
    '        listen 8080;',
    '        location / {',
    '            proxy_pass http://127.0.0.1:9000;',
    '            add_header X-Frame-Options DENY;',
    '            location /nested/ {',
    '                proxy_pass https://kasm_api;',
    '            }',
    '        }',
    '        location /other/ {',
    '            proxy_pass https://kasm_api;',
    '        }',
    '        include shared.conf;',
    '    }',
    '    server {',
    '        listen 8081;',
    '        include shared.conf;',
    '    }',
    '}',
    '',
  ];
  writeFileSync(path, config.join('\n'));
  const shared = join(dir, 'shared.conf');
  writeFileSync(shared, 'location /shared/ {\n    proxy_pass https://kasm_api;\n    proxy_set_header Upgrade $http_upgrade;\n    add_header X-Frame-Options DENY;\n}\n');
  const harness = new ReuseHarness(dir);
  const lineOf = (file: string, text: string) => readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(text));
  const about = (rule: string, file: string, line: number) => harness.analysis.findings.filter((f) => f.rule === rule && f.file === file && f.range.start.line === line);
  const root = lineOf(path, 'location / {');
  const nested = lineOf(path, 'location /nested/');
  const other = lineOf(path, 'location /other/');
  const otherFrame = about('headers/x-frame-options', path, other);
  const otherUpgrade = harness.analysis.findings.filter((f) => f.rule === 'websocket/missing-upgrade' && f.file === path && f.range.start.line === other + 1);
  assert.equal(otherFrame.length, 1);
  assert.equal(otherUpgrade.length, 1);
  assert.deepStrictEqual(about('headers/x-frame-options', path, root), []);
  assert.deepStrictEqual(about('headers/x-frame-options', path, nested), [], 'the nested location inherits the header');

  // the header's name edited: the location and the one nested in it lack it now, /other/ is as it was
  const header = harness.simpleDirectives().find((d) => d.path === path && d.directive.name === 'add_header')!;
  const renamed = harness.edit(path, header.directive, ['X-Other', '1']);
  assert.deepStrictEqual(renamed.differences, [], renamed.label);
  assert.equal(about('headers/x-frame-options', path, root).length, 1);
  assert.equal(about('headers/x-frame-options', path, nested).length, 1);
  assert.ok(harness.analysis.findings.includes(otherFrame[0]!), 'the finding about /other/ is the one found before');
  assert.ok(harness.analysis.findings.includes(otherUpgrade[0]!), 'the finding about /other/ is the one found before');

  // a file read inside two servers: the location's both instances are checked again
  const upgrade = harness.simpleDirectives().find((d) => d.path === shared && d.directive.name === 'proxy_set_header')!;
  const dropped = harness.edit(shared, upgrade.directive, ['X-Upgrade', '$http_upgrade']);
  assert.deepStrictEqual(dropped.differences, [], dropped.label);
  assert.equal(harness.analysis.findings.filter((f) => f.rule === 'websocket/missing-upgrade' && f.file === shared).length, 1, 'one finding for the two instances of the location, at one place');
  for (const outcome of harness.typeBefore(shared, harness.simpleDirectives().find((d) => d.path === shared && d.directive.name === 'add_header')!.directive, 'add_header X-Frame-Options SAMEORIGIN;', true)) {
    assert.deepStrictEqual(outcome.differences, [], outcome.label);
  }
  const nestedPass = harness.simpleDirectives().find((d) => d.path === path && d.directive.name === 'proxy_pass' && d.directive.args[0]?.value === 'https://kasm_api')!;
  for (const outcome of [harness.remove(path, nestedPass.directive), harness.again()]) assert.deepStrictEqual(outcome.differences, [], outcome.label);
});
