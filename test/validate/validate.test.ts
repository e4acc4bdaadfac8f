// Validation with the real nginx: Debian's nginx here on copies of the Kasm tree, good and broken, with
// nginx's messages at the user's files and lines (the line nginx itself names on the same tree, prepared
// by the tests' own means). Docker cannot run here: the container path runs against a `docker` stand-in
// on PATH, a script that answers `inspect` as Docker does and runs the real nginx for `exec kasm_proxy
// nginx -t` on a copy of the tree laid out as the container sees it, printing the container's paths.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { validate, restartProxy } from '../../server/src/validate/validate';
import { dhParameters, selfSignedPair } from '../../server/src/validate/standins';
import { parseNginxOutput } from '../../server/src/validate/output';
import { makeCertificate } from '../support/certs';
import { host } from '../support/engine';
import { copyKasmFixture, kasmInstall, prepareKasmTreeForNginx, throwAwayCertificate } from '../support/kasm';
import { NGINX, nginxTest, writeTree } from '../support/nginx';

const CLI = join(__dirname, '../../../dist/kasmlint.js');

function stockTree(options: { oneGateway?: boolean } = {}): string {
  const dir = copyKasmFixture(join(mkdtempSync(join(tmpdir(), 'kasmlint-validate-test-')), 'kasm'));
  if (options.oneGateway) rmSync(join(dir, 'services.d/rdp_https_gateway_guac.conf'));
  return dir;
}

/** What the real nginx says about a tree, prepared by the tests' own helper, its file mapped back to the tree. */
function oracle(tree: string): { ok: boolean; file?: string; line?: number; message?: string } {
  const prepared = prepareKasmTreeForNginx(tree);
  const verdict = nginxTest(prepared.mainConf);
  return { ok: verdict.ok, message: verdict.message, line: verdict.line, file: verdict.file?.replace(join(prepared.dir, 'conf.d'), tree) };
}

const local = (path: string) => validate(path, { host, nginx: NGINX, useDocker: false });

test('the stand-ins: a self-signed certificate and key, and DH parameters, that node and the real nginx accept', () => {
  const pair = selfSignedPair('kasm.example.com');
  const certificate = new X509Certificate(pair.certificate);
  assert.equal(certificate.subject, 'CN=kasm.example.com');
  assert.ok(certificate.checkPrivateKey(createPrivateKey(pair.key)));
  assert.ok(certificate.verify(certificate.publicKey), 'self-signed');
  const dir = writeTree({ 'crt.pem': pair.certificate, 'key.pem': pair.key, 'dh.pem': dhParameters() });
  writeFileSync(join(dir, 'nginx.conf'), `events {}\nhttp { server { listen 8443 ssl; ssl_certificate ${dir}/crt.pem; ssl_certificate_key ${dir}/key.pem; ssl_dhparam ${dir}/dh.pem; } }\n`);
  const verdict = nginxTest(join(dir, 'nginx.conf'));
  assert.ok(verdict.ok, verdict.output);
  const openssl = spawnSync('openssl', ['dhparam', '-in', join(dir, 'dh.pem'), '-check', '-noout'], { encoding: 'utf8' });
  assert.match(`${openssl.stdout}${openssl.stderr}`, /DH parameters appear to be ok/);
});

test("nginx's output read as messages: levels, locations, multi-line quotes", () => {
  const output =
    '2026/01/02 10:00:00 [warn] 7#7: "ssl_stapling" ignored, issuer certificate not found for certificate "/x.crt"\n' +
    'nginx: [emerg] unexpected "}" in /etc/nginx/conf.d/a.conf:12\n' +
    '2026/01/02 10:00:00 [emerg] 7#7: invalid parameter "a\nb" in /etc/nginx/conf.d/b.conf:3\n' +
    'nginx: configuration file /etc/nginx/nginx.conf test failed\n';
  assert.deepEqual(parseNginxOutput(output), [
    { level: 'warn', text: '"ssl_stapling" ignored, issuer certificate not found for certificate "/x.crt"' },
    { level: 'emerg', text: 'unexpected "}"', file: '/etc/nginx/conf.d/a.conf', line: 12 },
    { level: 'emerg', text: 'invalid parameter "a\nb"', file: '/etc/nginx/conf.d/b.conf', line: 3 },
  ]);
});

test('the stock tree (one RDP gateway file, as a server role has): the local nginx accepts it, and the notes say what stood in for what', async () => {
  const tree = stockTree({ oneGateway: true });
  assert.ok(oracle(tree).ok);
  const result = await local(tree);
  assert.equal(result.mode, 'local');
  assert.ok(result.ok, result.output);
  assert.deepEqual(result.messages.filter((m) => m.severity === 'error'), []);
  const notes = result.notes.join('\n');
  assert.match(notes, /stood in for by 127\.0\.0\.1: kasm_agent, kasm_api, kasm_guac, kasm_manager, kasm_rdp_https_gateway, kasm_share, rdp_gateway/);
  assert.match(notes, /\/etc\/ssl\/certs\/kasm_nginx\.crt, \/etc\/ssl\/private\/kasm_nginx\.key/);
  assert.match(notes, /http \{ include \/etc\/nginx\/conf\.d\/\*\.conf; \}/);
  // Nothing was written beside the user's files.
  assert.deepEqual(readFileSync(join(tree, 'orchestrator.conf'), 'utf8'), readFileSync(join(copyKasmFixture(mkdtempSync(join(tmpdir(), 'kasmlint-'))), 'orchestrator.conf'), 'utf8'));
});

test('broken trees: each error where nginx itself puts it, in the user\'s file', async () => {
  const cases: Array<{ name: string; edit: (tree: string) => void; message: RegExp }> = [
    { name: 'both RDP gateway files (stock)', edit: () => undefined, message: /^duplicate location "\/rpc"$/ },
    {
      name: 'an unknown directive in a services.d file',
      edit: (tree) => {
        const file = join(tree, 'services.d/website.conf');
        writeFileSync(file, readFileSync(file, 'utf8').replace('expires         4h;', 'expires         4h;\n        proxy_set_heder X-Test 1;'));
      },
      message: /^unknown directive "proxy_set_heder"$/,
    },
    {
      name: 'a missing brace in orchestrator.conf',
      edit: (tree) => {
        const file = join(tree, 'orchestrator.conf');
        writeFileSync(file, readFileSync(file, 'utf8').replace('location @internal_error {', 'location @internal_error'));
      },
      message: /^directive "location" has no opening "\{"$|unexpected/,
    },
    {
      name: 'limit_req_zone inside the server (a services.d file)',
      edit: (tree) => writeFileSync(join(tree, 'services.d/limits.conf'), '# limits\n\nlimit_req_zone $binary_remote_addr zone=z:10m rate=10r/s;\n'),
      message: /^"limit_req_zone" directive is not allowed here$/,
    },
  ];
  for (const c of cases) {
    const tree = stockTree({ oneGateway: c.name !== 'both RDP gateway files (stock)' });
    c.edit(tree);
    const expected = oracle(tree);
    assert.equal(expected.ok, false, c.name);
    const result = await local(tree);
    assert.equal(result.ok, false, c.name);
    const errors = result.messages.filter((m) => m.severity === 'error');
    assert.equal(errors.length, 1, `${c.name}: ${result.output}`);
    assert.match(errors[0]!.message, c.message, c.name);
    assert.deepEqual({ file: errors[0]!.file, line: errors[0]!.line }, { file: expected.file, line: expected.line }, c.name);
  }
});

test('a real certificate beside the tree is used as it is: a key that does not match it is an error at the key', async () => {
  const install = kasmInstall({ certificate: { crt: makeCertificate({ cn: 'kasm.example.com' }).crt, key: makeCertificate({ cn: 'kasm.example.com' }).key } });
  const result = await local(install.tree);
  assert.equal(result.ok, false);
  assert.doesNotMatch(result.notes.join('\n'), /kasm_nginx\.crt/, 'no stand-in: the files are there');
  const error = result.messages.find((m) => m.severity === 'error')!;
  assert.match(error.message, /key values mismatch/);
  assert.deepEqual({ file: error.file, line: error.line }, { file: join(install.tree, 'orchestrator.conf'), line: 9 });

  const good = kasmInstall({ certificate: makeCertificate({ cn: 'kasm.example.com' }) });
  const accepted = await local(good.tree);
  assert.ok(accepted.ok, accepted.output);
});

test('an nginx.conf tree is validated from its nginx.conf, errors at their lines', async () => {
  const dir = writeTree({
    'nginx.conf': 'events {}\nhttp {\n    include conf.d/*.conf;\n}\n',
    'conf.d/site.conf': 'server {\n    listen 8080;\n    location / {\n        proxy_pass http://backend_only_docker_knows:8080;\n        add_header X-A 1 2 3;\n    }\n}\n',
  });
  const result = await local(dir);
  assert.equal(result.kasm, false);
  const error = result.messages.find((m) => m.severity === 'error')!;
  assert.match(error.message, /invalid number of arguments in "add_header" directive/);
  assert.deepEqual({ file: error.file, line: error.line }, { file: join(dir, 'conf.d/site.conf'), line: 5 });
  assert.match(result.notes.join('\n'), /stood in for by 127\.0\.0\.1: backend_only_docker_knows/);
});

test('no nginx to run: the result says so, and the CLI exits 2', async () => {
  const result = await validate(stockTree(), { host, nginx: '/nonexistent/nginx', useDocker: false });
  assert.equal(result.mode, 'unavailable');
  assert.match(result.notes.join('\n'), /no nginx to run here \(tried \/nonexistent\/nginx\)/);
  const cli = spawnSync(process.execPath, [CLI, 'validate', '--no-docker', '--nginx', '/nonexistent/nginx', stockTree()], { encoding: 'utf8' });
  assert.equal(cli.status, 2);
});

test('not a configuration nginx could load: a clear error', () => {
  const cli = spawnSync(process.execPath, [CLI, 'validate', '--no-docker', writeTree({ 'notes.txt': 'hello' })], { encoding: 'utf8' });
  assert.equal(cli.status, 2);
  assert.match(cli.stderr, /not a Kasm tree \(orchestrator\.conf with services\.d\/\) or a folder with nginx\.conf/);
});

/** A `docker` stand-in on PATH: inspect, exec kasm_proxy nginx -t (the real nginx, container paths printed), restart. */
function dockerStandIn(options: { mounted: string; running?: boolean }): { bin: string; log: string; prepare(tree: string): void } {
  const bin = mkdtempSync(join(tmpdir(), 'kasmlint-docker-'));
  const certificate = throwAwayCertificate(); // what prepareKasmTreeForNginx puts where the container has Kasm's
  const log = join(bin, 'calls.log');
  const state = join(bin, 'container');
  writeFileSync(
    join(bin, 'docker'),
    `#!/bin/bash
# A stand-in for docker with a kasm_proxy container that mounts ${options.mounted} at /etc/nginx/conf.d.
echo "$*" >> '${log}'
case "$1 $2" in
  "inspect kasm_proxy")
    printf '[{"Name":"/kasm_proxy","State":{"Running":${options.running !== false}},"Mounts":[{"Type":"bind","Source":"%s","Destination":"/etc/nginx/conf.d","RW":false}]}]\\n' '${options.mounted}' ;;
  "exec kasm_proxy")
    prepared=$(cat '${state}')
    output=$('${NGINX}' -t -p "$prepared" -c "$prepared/nginx.conf" -e stderr 2>&1); status=$?
    printf '%s\\n' "$output" | sed -e "s#$prepared/conf.d#/etc/nginx/conf.d#g" -e "s#$prepared/nginx.conf#/etc/nginx/nginx.conf#g" \\
      -e "s#${certificate.crt}#/etc/ssl/certs/kasm_nginx.crt#g" -e "s#${certificate.key}#/etc/ssl/private/kasm_nginx.key#g" >&2
    exit $status ;;
  "restart kasm_proxy") echo kasm_proxy ;;
  *) echo "Error: No such object: $2" >&2; exit 1 ;;
esac
`,
  );
  chmodSync(join(bin, 'docker'), 0o755);
  return { bin, log, prepare: (tree) => writeFileSync(state, prepareKasmTreeForNginx(tree).dir) };
}

function cliWith(bin: string, args: string[]): { status: number; out: string; err: string; json?: Record<string, unknown> } {
  const result = spawnSync(process.execPath, [CLI, 'validate', ...args], { encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
  return { status: result.status ?? -1, out: result.stdout, err: result.stderr };
}

test('in the container (docker stand-in): nginx -t runs inside kasm_proxy, its container paths come back as the tree\'s, and --restart follows a clean run', () => {
  const tree = stockTree({ oneGateway: true });
  const docker = dockerStandIn({ mounted: tree });
  docker.prepare(tree);
  const clean = cliWith(docker.bin, ['--restart', tree]);
  assert.equal(clean.status, 0, clean.err);
  assert.match(clean.err, /ran: docker exec kasm_proxy nginx -t/);
  assert.match(clean.err, /validated inside the running kasm_proxy container/);
  assert.match(clean.err, /docker restart kasm_proxy: kasm_proxy/);
  assert.deepEqual(readFileSync(docker.log, 'utf8').trim().split('\n'), ['inspect kasm_proxy', 'exec kasm_proxy nginx -t', 'restart kasm_proxy']);

  const broken = stockTree();
  const brokenDocker = dockerStandIn({ mounted: broken });
  brokenDocker.prepare(broken);
  const failed = cliWith(brokenDocker.bin, ['--restart', broken]);
  assert.equal(failed.status, 1);
  assert.equal(
    failed.out,
    `${join(broken, 'orchestrator.conf')}:8:1: warning nginx -t: "ssl_stapling" ignored, issuer certificate not found for certificate "/etc/ssl/certs/kasm_nginx.crt"\n` +
      `${join(broken, 'services.d/rdp_https_gateway_webapp.conf')}:28:1: error nginx -t: duplicate location "/rpc"\n`,
    'the unlocated warning is put at the directive that names the file it quotes',
  );
  assert.match(failed.err, /not restarting kasm_proxy/);
  assert.doesNotMatch(readFileSync(brokenDocker.log, 'utf8'), /restart/);
});

test('a kasm_proxy that mounts another tree, or does not run, is not asked: the local nginx validates, and the notes say why', async () => {
  const tree = stockTree({ oneGateway: true });
  const elsewhere = dockerStandIn({ mounted: '/opt/kasm/1.16.1/conf/nginx' });
  const other = cliWith(elsewhere.bin, ['--nginx', NGINX, tree]);
  assert.equal(other.status, 0, other.err);
  assert.match(other.err, /not in the container: kasm_proxy mounts \/opt\/kasm\/1\.16\.1\/conf\/nginx at \/etc\/nginx\/conf\.d, not /);
  assert.deepEqual(readFileSync(elsewhere.log, 'utf8').trim().split('\n'), ['inspect kasm_proxy']);

  const stopped = dockerStandIn({ mounted: tree, running: false });
  assert.match(cliWith(stopped.bin, ['--nginx', NGINX, tree]).err, /not in the container: kasm_proxy is not running/);

  // A restart is refused after a local validation, even a clean one.
  const local = await validate(tree, { host, nginx: NGINX, docker: join(stopped.bin, 'docker') });
  assert.equal(local.mode, 'local');
  assert.ok(local.ok);
  const restart = await restartProxy(local, { docker: join(stopped.bin, 'docker') });
  assert.equal(restart.ok, false);
  assert.doesNotMatch(readFileSync(stopped.log, 'utf8'), /restart/);
  assert.ok(!existsSync(join(tree, 'nginx.pid')));
});

test("the task's problem matcher (package.json) reads every located line kasmlint validate prints", () => {
  const manifest = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as {
    contributes: { problemMatchers: Array<{ name: string; source: string; pattern: { regexp: string; file: number; line: number; severity: number; message: number } }> };
  };
  const matcher = manifest.contributes.problemMatchers.find((m) => m.name === 'kasmlint-nginx')!;
  assert.equal(matcher.source, 'nginx -t');
  const tree = stockTree();
  const run = spawnSync(process.execPath, [CLI, 'validate', '--no-docker', '--nginx', NGINX, '.'], { cwd: tree, encoding: 'utf8' });
  assert.equal(run.status, 1);
  const lines = run.stdout.trim().split('\n');
  assert.ok(lines.length >= 1);
  const parsed = lines.map((l) => new RegExp(matcher.pattern.regexp).exec(l));
  assert.ok(parsed.every((m) => m !== null), run.stdout);
  const error = parsed.find((m) => m![matcher.pattern.severity] === 'error')!;
  assert.deepEqual([error[matcher.pattern.file], error[matcher.pattern.line], error[matcher.pattern.message]], ['services.d/rdp_https_gateway_webapp.conf', '28', 'duplicate location "/rpc"']);
});
