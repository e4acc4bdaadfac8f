// npm run bench: kasmlint's speed next to a reference measured in the same run on the same files.
// 1. parse + analyse (and format) a generated Kasm-like configuration of 100,000+ lines, against the real `nginx -t`.

import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { lintPaths } from '../../server/src/engine/lint';
import { formatNginx } from '../../server/src/format/format';
import { parseNginx } from '../../server/src/nginx/parser';
import { NodeFileHost } from '../../server/src/workspace/host';
import { LspClient, uri } from '../support/lsp-client';
import { checklistOf, fixStepInMemory } from '../../server/src/kasm/checklist';
import { validate } from '../../server/src/validate/validate';
import { prepareKasmTreeForNginx } from '../support/kasm';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time(run: () => void, runs = RUNS): number[] {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    run();
    samples.push(performance.now() - start);
  }
  return samples;
}

/** A configuration in the shape of Kasm's: an http-level tree, servers including a services folder. */
const SERVERS = 4;

function generate(lines: number): { dir: string; diskLines: number; readLines: number; files: number } {
  const dir = mkdtempSync(join(tmpdir(), 'kasmlint-bench-'));
  mkdirSync(join(dir, 'conf.d/services.d'), { recursive: true });
  let diskLines = 0;
  let readLines = 0;
  let files = 0;
  const write = (path: string, text: string, timesRead = 1) => {
    writeFileSync(join(dir, path), text);
    const n = text.split('\n').length - 1;
    diskLines += n;
    readLines += n * timesRead;
    files++;
  };
  write('nginx.conf', 'events {}\nhttp {\n    include conf.d/*.conf;\n}\n');
  const upstreams: string[] = [];
  for (let u = 0; u < 50; u++) upstreams.push(`upstream svc_${u} {\n    server 127.0.0.1:${9000 + u};\n    keepalive 8;\n}\n`);
  write('conf.d/upstreams.conf', upstreams.join('\n'));
  write(
    'conf.d/maps.conf',
    'map $http_upgrade $connection_upgrade {\n    default upgrade;\n    "" close;\n}\nlimit_req_zone $binary_remote_addr zone=kasm:10m rate=50r/s;\n',
  );
  for (let s = 0; s < SERVERS; s++) {
    write(
      `conf.d/server_${s}.conf`,
      `server {\n    listen ${8080 + s};\n    server_name kasm${s}.example.com;\n    server_tokens off;\n    client_max_body_size 1G;\n    include conf.d/services.d/*.conf;\n}\n`,
    );
  }
  let file = 0;
  while (diskLines < lines) {
    const locations: string[] = [];
    for (let l = 0; l < 40; l++) {
      const id = `${file}_${l}`;
      locations.push(
        [
          `location /svc/${id}/ {`,
          '    limit_req zone=kasm burst=20 nodelay;',
          '    proxy_http_version 1.1;',
          '    proxy_set_header Host $host;',
          '    proxy_set_header Upgrade $http_upgrade;',
          '    proxy_set_header Connection $connection_upgrade;',
          '    proxy_set_header X-Real-IP $remote_addr;',
          '    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
          '    proxy_set_header X-Forwarded-Proto $scheme;',
          '    proxy_read_timeout 1800s;',
          `    add_header X-Service "svc ${id}" always;`,
          '    # a comment, as Kasm files have',
          `    proxy_pass http://svc_${(file + l) % 50};`,
          '}',
          '',
        ].join('\n'),
      );
    }
    // each service file is read inside each of the servers, as Kasm reads services.d in two
    write(`conf.d/services.d/svc_${String(file).padStart(4, '0')}.conf`, locations.join('\n'), SERVERS);
    file++;
  }
  return { dir, diskLines, readLines, files };
}

function nginxT(dir: string): number | undefined {
  const probe = spawnSync('/usr/sbin/nginx', ['-v']);
  if (probe.error) return undefined;
  const samples = time(() => {
    const r = spawnSync('/usr/sbin/nginx', ['-t', '-q', '-p', dir, '-c', join(dir, 'nginx.conf'), '-e', 'stderr'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`nginx -t failed on the benchmark configuration: ${r.stderr}`);
  });
  return median(samples);
}

function main(): void {
  const { dir, diskLines, readLines, files } = generate(100_000);
  const host = new NodeFileHost();
  const texts = new Map<string, string>();
  const run0 = lintPaths([dir], { host });
  for (const analysis of run0.analyses) for (const f of analysis.model.files.values()) texts.set(f.path, f.text);
  const expanded = run0.analyses.reduce((n, a) => n + a.model.directives().length, 0);
  if (run0.findings.some((f) => f.severity === 'error')) throw new Error(`the benchmark configuration has errors: ${run0.findings[0]!.message}`);

  const parse = median(time(() => {
    for (const [path, text] of texts) parseNginx(path, text);
  }));
  const analyse = median(time(() => lintPaths([dir], { host })));
  // formatting each file, its check that the result reads alike (a second parse) included
  const format = median(time(() => {
    for (const [path, text] of texts) if (!formatNginx(path, text).ok) throw new Error(`${path} was not formatted`);
  }));
  const nginx = nginxT(dir);

  const row = (label: string, ms: number | undefined, note = '') =>
    console.log(`${label.padEnd(46)} ${ms === undefined ? 'n/a'.padStart(9) : `${ms.toFixed(1).padStart(8)} ms`}  ${note}`);
  console.log(`\nkasmlint benchmark (median of ${RUNS} runs)`);
  console.log(
    `configuration: ${files} files, ${diskLines} lines on disk, ${readLines} lines as nginx reads them ` +
      `(services.d read in ${SERVERS} servers), ${expanded} directives after includes\n`,
  );
  row('kasmlint: parse every file', parse, `${((diskLines / parse) * 1000 / 1e6).toFixed(2)} M lines/s`);
  row('kasmlint: format every file (and check it reads alike)', format, `${((diskLines / format) * 1000 / 1e6).toFixed(2)} M lines/s`);
  row('kasmlint: read, parse, expand, all rules (lint)', analyse, `${((readLines / analyse) * 1000 / 1e6).toFixed(2)} M lines read/s`);
  row('reference: nginx -t on the same files', nginx, nginx === undefined ? '(nginx not installed: run npm test once)' : `kasmlint takes ${(analyse / nginx).toFixed(2)}x the time of nginx -t`);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

/** didChange → publishDiagnostics for `file`, through the real protocol, over `edits` edits. */
async function lspLatency(folder: string, file: string, edit: (text: string, i: number) => string, edits: number, debounce: number) {
  const client = new LspClient(['--stdio'], join(__dirname, 'server.js'));
  await client.initialize(folder, {}, debounce);
  const text = readFileSync(file, 'utf8');
  const target = uri(file);
  await client.open(file, text, 1);
  await client.waitForDiagnostics(target, (d) => d.version === 1);
  const memoryBefore = rssMiB(client.process.pid!);
  const samples: number[] = [];
  for (let i = 0; i < edits; i++) {
    const version = i + 2;
    const start = performance.now();
    await client.change(file, version, edit(text, i));
    await client.waitForDiagnostics(target, (d) => d.version === version);
    samples.push(performance.now() - start);
  }
  const memoryAfter = rssMiB(client.process.pid!);
  await client.shutdown();
  return { median: median(samples), p99: percentile(samples, 99), memoryBefore, memoryAfter };
}

async function lspSection(): Promise<void> {
  const EDITS = Number(process.env.BENCH_EDITS ?? 200);
  // a 10,000-line file of locations, read inside a server
  const big = mkdtempSync(join(tmpdir(), 'kasmlint-bench-lsp-'));
  const lines: string[] = ['events {}', 'http {', '    server {', '        listen 8080;'];
  for (let i = 0; lines.length < 9_990; i++) {
    lines.push(`        location /p${i}/ {`, '            proxy_set_header Host $host;', `            proxy_read_timeout ${i % 90 + 10}s;`, '            proxy_pass http://127.0.0.1:9000;', '        }');
  }
  lines.push('    }', '}', '');
  writeFileSync(join(big, 'nginx.conf'), lines.join('\n'));
  const bigFile = join(big, 'nginx.conf');
  const bigEdit = (text: string, i: number) => text.replace('proxy_read_timeout 10s;', `proxy_read_timeout ${10 + (i % 50)}s;`);

  const kasm = mkdtempSync(join(tmpdir(), 'kasmlint-bench-kasm-'));
  cpSync(join(__dirname, '../../shared/fixtures/kasm-1.16.1'), kasm, { recursive: true });
  const website = join(kasm, 'services.d/website.conf');
  const kasmEdit = (text: string, i: number) => text.replace('expires         4h;', `expires         ${(i % 23) + 1}h;`);

  console.log(`\nlanguage server, through the protocol (dist/server.js over stdio): didChange → publishDiagnostics, ${EDITS} edits each`);
  const header = `${'file'.padEnd(46)} ${'debounce'.padStart(8)} ${'median'.padStart(9)} ${'p99'.padStart(9)}   server memory (RSS) before → after`;
  console.log(header);
  for (const debounce of [0, 100]) {
    for (const [label, folder, file, edit] of [
      [`10,000-line nginx.conf (${lines.length} lines)`, big, bigFile, bigEdit],
      ['Kasm 1.16.1 tree (website.conf, 23 files)', kasm, website, kasmEdit],
    ] as const) {
      const r = await lspLatency(folder, file, edit, EDITS, debounce);
      console.log(
        `${label.padEnd(46)} ${`${debounce} ms`.padStart(8)} ${`${r.median.toFixed(1)} ms`.padStart(9)} ${`${r.p99.toFixed(1)} ms`.padStart(9)}   ${r.memoryBefore.toFixed(0)} MiB → ${r.memoryAfter.toFixed(0)} MiB`,
      );
    }
  }
  console.log('(debounce 100 ms is the editor default: the server waits that long after the last keystroke)');
}

/** The hardening workflow on the Kasm 1.16.1 tree: the checklist and a step's fix next to a plain lint, validation next to nginx -t alone. */
async function workflowSection(): Promise<void> {
  const host = new NodeFileHost();
  const kasm = mkdtempSync(join(tmpdir(), 'kasmlint-bench-workflow-'));
  cpSync(join(__dirname, '../../shared/fixtures/kasm-1.16.1'), kasm, { recursive: true });
  const row = (label: string, ms: number, note = '') => console.log(`${label.padEnd(46)} ${`${ms.toFixed(1)} ms`.padStart(11)}  ${note}`);
  console.log(`
hardening workflow on the Kasm 1.16.1 tree (median of ${RUNS} runs)`);
  const lint = median(time(() => lintPaths([kasm], { host })));
  row('lint (all rules)', lint);
  row('checklist (kasmlint checklist)', median(time(() => checklistOf([kasm], { host }))), 'lint + the steps');
  row('fix of the rate-limiting step, in memory', median(time(() => fixStepInMemory('rate-limiting', [kasm], { host }))), '21 locations, passes until none is left');
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await validate(kasm, { host, nginx: '/usr/sbin/nginx', useDocker: false });
    samples.push(performance.now() - start);
  }
  const prepared = prepareKasmTreeForNginx(kasm);
  const bare = median(time(() => spawnSync('/usr/sbin/nginx', ['-t', '-p', prepared.dir, '-c', prepared.mainConf, '-e', 'stderr'])));
  row('validate, local nginx (kasmlint validate)', median(samples), `nginx -t alone on a prepared copy: ${bare.toFixed(1)} ms (the rest: copy, stand-ins, name lookups)`);
}

main();
void workflowSection().then(lspSection);
