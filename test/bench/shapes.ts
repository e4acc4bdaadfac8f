// The configurations `npm run bench` measures, each written to a fresh scratch folder: the shapes that
// real configurations take and that once made kasmlint slow (issue 17). Each comes with the folder the
// real `nginx -t` is timed on in the same run: the same files, or, where nginx would stop at the first
// line it refuses, the same files with those lines commented out (what nginx reads once it accepts them).

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface Shape {
  name: string;
  /** What the configuration is, for the bench's output. */
  label: string;
  /** The path kasmlint lints (a folder with nginx.conf). */
  lint: string;
  /** The folder whose nginx.conf the real nginx -t reads. */
  nginx: string;
  /** How the reference differs from what kasmlint reads, if it does. */
  referenceNote?: string;
  diskLines: number;
  /** Lines as nginx reads them (files included several times counted each time). */
  readLines: number;
  files: number;
  /** Whether kasmlint must find errors (the lines nginx refuses); otherwise any error is a broken benchmark. */
  expectErrors: boolean;
}

class Tree {
  readonly dir = mkdtempSync(join(tmpdir(), 'kasmlint-bench-'));
  diskLines = 0;
  readLines = 0;
  files = 0;

  write(path: string, text: string, timesRead = 1): void {
    const full = join(this.dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
    const n = text.split('\n').length - 1;
    this.diskLines += n;
    this.readLines += n * timesRead;
    this.files++;
  }
}

function proxiedLocation(path: string, upstream: string, indent: string, extra: string[] = []): string[] {
  return [
    `location ${path} {`,
    '    proxy_http_version 1.1;',
    '    proxy_set_header Host $host;',
    '    proxy_set_header X-Real-IP $remote_addr;',
    '    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
    '    proxy_set_header X-Forwarded-Proto $scheme;',
    '    proxy_read_timeout 60s;',
    ...extra.map((l) => `    ${l}`),
    `    proxy_pass http://${upstream};`,
    '}',
  ].map((l) => indent + l);
}

/** The http-level lines a large configuration needs for nginx to build its hashes without a warning. */
const HASH_SIZES = ['    server_names_hash_max_size 16384;', '    server_names_hash_bucket_size 128;', '    map_hash_max_size 65536;', '    map_hash_bucket_size 128;'];

function upstreams(count: number, indent: string): string[] {
  const lines: string[] = [];
  for (let u = 0; u < count; u++) lines.push(`${indent}upstream backend_${u} {`, `${indent}    server 127.0.0.1:${9000 + u};`, `${indent}    keepalive 8;`, `${indent}}`);
  return lines;
}

/** A configuration in the shape of Kasm's: an http-level tree, 4 servers each including a services folder of 100,000 lines. */
export function kasmLike(lines = 100_000): Shape {
  const SERVERS = 4;
  const tree = new Tree();
  tree.write('nginx.conf', 'events {}\nhttp {\n    include conf.d/*.conf;\n}\n');
  const ups: string[] = [];
  for (let u = 0; u < 50; u++) ups.push(`upstream svc_${u} {\n    server 127.0.0.1:${9000 + u};\n    keepalive 8;\n}\n`);
  tree.write('conf.d/upstreams.conf', ups.join('\n'));
  tree.write(
    'conf.d/maps.conf',
    'map $http_upgrade $connection_upgrade {\n    default upgrade;\n    "" close;\n}\nlimit_req_zone $binary_remote_addr zone=kasm:10m rate=50r/s;\n',
  );
  for (let s = 0; s < SERVERS; s++) {
    tree.write(
      `conf.d/server_${s}.conf`,
      `server {\n    listen ${8080 + s};\n    server_name kasm${s}.example.com;\n    server_tokens off;\n    client_max_body_size 1G;\n    include conf.d/services.d/*.conf;\n}\n`,
    );
  }
  let file = 0;
  while (tree.diskLines < lines) {
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
    tree.write(`conf.d/services.d/svc_${String(file).padStart(4, '0')}.conf`, locations.join('\n'), SERVERS);
    file++;
  }
  return { name: 'kasm-100k', label: `Kasm-like tree, services.d read in ${SERVERS} servers`, lint: tree.dir, nginx: tree.dir, ...counts(tree), expectErrors: false };
}

function counts(tree: Tree) {
  return { diskLines: tree.diskLines, readLines: tree.readLines, files: tree.files };
}

/** One nginx.conf of 2,000 servers with 5 proxied locations each (about 100,000 lines). */
export function manyServers(servers = 2_000): Shape {
  const tree = new Tree();
  const lines = ['events {}', 'http {', ...HASH_SIZES, ...upstreams(50, '    ')];
  for (let s = 0; s < servers; s++) {
    lines.push('    server {', `        listen ${8000 + (s % 20)};`, `        server_name site${s}.example.com www.site${s}.example.com;`, '        add_header X-Frame-Options SAMEORIGIN always;', '        client_max_body_size 10m;');
    for (let l = 0; l < 5; l++) lines.push(...proxiedLocation(`/app${l}/`, `backend_${(s + l) % 50}`, '        '));
    lines.push('    }');
  }
  lines.push('}', '');
  tree.write('nginx.conf', lines.join('\n'));
  return { name: 'servers-2000', label: `${servers.toLocaleString('en')} servers x 5 proxied locations in one file`, lint: tree.dir, nginx: tree.dir, ...counts(tree), expectErrors: false };
}

const METRICS = ['requests', 'responses', 'latency', 'bytes_in', 'bytes_out', 'errors', 'upstream_time', 'connections', 'status', 'cache'];

/**
 * A generated configuration (as NGINX Controller writes them) of 35,000 lines where 7,500 lines are
 * directives of a module kasmlint does not know, every name a different one: each is refused, and
 * nginx would stop at the first. The reference has those lines commented out.
 */
export function manyUnknownDirectives(unknown = 7_500): Shape {
  const tree = new Tree();
  const reference = new Tree();
  const lines = ['events {}', 'http {', ...HASH_SIZES, ...upstreams(50, '    ')];
  const refused = new Set<number>();
  let made = 0;
  for (let s = 0; made < unknown; s++) {
    lines.push('    server {', `        listen ${8000 + (s % 20)};`, `        server_name app${s}.example.com;`);
    for (let l = 0; l < 5 && made < unknown; l++) {
      const extra: string[] = [];
      for (let m = 0; m < 3 && made < unknown; m++, made++) extra.push(`acme_metrics_${METRICS[made % METRICS.length]}_${made} "app${s}" on;`);
      const location = proxiedLocation(`/api${l}/`, `backend_${(s + l) % 50}`, '        ', extra);
      location.forEach((line, i) => {
        if (line.includes('acme_metrics_')) refused.add(lines.length + i);
      });
      lines.push(...location);
    }
    lines.push('    }');
  }
  lines.push('}', '');
  tree.write('nginx.conf', lines.join('\n'));
  reference.write('nginx.conf', lines.map((line, i) => (refused.has(i) ? line.replace(/^(\s*)/, '$1# ') : line)).join('\n'));
  return {
    name: 'unknown-7500',
    label: `${unknown.toLocaleString('en')} unknown directives, each a different name`,
    lint: tree.dir,
    nginx: reference.dir,
    referenceNote: 'nginx -t with the unknown lines commented out',
    ...counts(tree),
    expectErrors: true,
  };
}

/** Includes nested 60 deep (nginx.conf includes level 1, which includes level 2, ...), each level a file of servers. */
export function deepIncludes(depth = 60, serversPerLevel = 8): Shape {
  const tree = new Tree();
  tree.write('nginx.conf', ['events {}', 'http {', ...HASH_SIZES, ...upstreams(50, '    '), '    include levels/level_1.conf;', '}', ''].join('\n'));
  for (let level = 1; level <= depth; level++) {
    const lines: string[] = [];
    for (let s = 0; s < serversPerLevel; s++) {
      lines.push('server {', `    listen ${8000 + level};`, `    server_name l${level}s${s}.example.com;`);
      for (let l = 0; l < 6; l++) lines.push(...proxiedLocation(`/p${l}/`, `backend_${(level + s + l) % 50}`, '    ', ['add_header X-Level "' + level + '";']));
      lines.push('}');
    }
    if (level < depth) lines.push(`include levels/level_${level + 1}.conf;`);
    tree.write(`levels/level_${level}.conf`, `${lines.join('\n')}\n`);
  }
  return { name: 'deep-includes', label: `includes nested ${depth} deep, ${serversPerLevel} servers per level`, lint: tree.dir, nginx: tree.dir, ...counts(tree), expectErrors: false };
}

/** Thousands of map entries and if blocks: 10 maps of 3,000 entries, and 3,000 locations each with an if block. */
export function mapsAndIfs(mapEntries = 3_000, maps = 10, ifs = 3_000): Shape {
  const tree = new Tree();
  const lines = ['events {}', 'http {', ...HASH_SIZES, ...upstreams(50, '    ')];
  for (let m = 0; m < maps; m++) {
    lines.push(`    map $http_x_key_${m} $mapped_${m} {`, '        default "";');
    for (let e = 0; e < mapEntries; e++) lines.push(`        key${m}-${e} value_${e};`);
    lines.push('        ~^re(\\d+)$ matched_$1;', '    }');
  }
  const perServer = 100;
  for (let s = 0; s * perServer < ifs; s++) {
    lines.push('    server {', `        listen ${8000 + s};`, `        server_name maps${s}.example.com;`);
    for (let l = 0; l < perServer && s * perServer + l < ifs; l++) {
      const i = s * perServer + l;
      lines.push(
        `        location /m${l}/ {`,
        `            if ($mapped_${i % maps} = "value_${i}") {`,
        `                return 302 /elsewhere/${i}/;`,
        '            }',
        `            if ($request_method = POST) {`,
        `                set $posted "${i}";`,
        '            }',
        `            proxy_pass http://backend_${i % 50};`,
        '        }',
      );
    }
    lines.push('    }');
  }
  lines.push('}', '');
  tree.write('nginx.conf', lines.join('\n'));
  return { name: 'maps-ifs', label: `${maps} maps of ${mapEntries.toLocaleString('en')} entries, ${ifs.toLocaleString('en')} locations with if blocks`, lint: tree.dir, nginx: tree.dir, ...counts(tree), expectErrors: false };
}

/**
 * Thousands of regexes whose captures are used, as sites that moved their pages write them: a map of
 * 3,000 regex keys whose values use their own named capture, 3,000 rewrites and 3,000 regex locations
 * that use theirs (each capture followed to its own regex, not to every regex that names it).
 */
export function regexes(count = 3_000): Shape {
  const tree = new Tree();
  const lines = ['events {}', 'http {', ...HASH_SIZES, '    map $uri $moved {', '        default "";'];
  for (let i = 0; i < count; i++) lines.push(`        ~^/old/section${i}/(?<rest>.*)$ /new/${i}/$rest;`);
  lines.push('    }', '    server {', '        listen 8080;', '        server_name regexes.example.com;', '        if ($moved) {', '            return 301 $moved;', '        }');
  for (let i = 0; i < count; i++) lines.push(`        rewrite ^/archive/${i}/([a-z0-9-]+)$ /posts/${i}/$1 permanent;`);
  for (let i = 0; i < count; i++) lines.push(`        location ~ ^/api/v${i}/(?<item>[0-9]+)$ {`, `            return 302 /items/${i}/$item;`, '        }');
  lines.push('    }', '}', '');
  tree.write('nginx.conf', lines.join('\n'));
  return { name: 'regexes', label: `${count.toLocaleString('en')} map regexes, rewrites and regex locations using their captures`, lint: tree.dir, nginx: tree.dir, ...counts(tree), expectErrors: false };
}

export const SHAPES: Record<string, () => Shape> = {
  'kasm-100k': () => kasmLike(),
  'servers-2000': () => manyServers(),
  'unknown-7500': () => manyUnknownDirectives(),
  'deep-includes': () => deepIncludes(),
  'maps-ifs': () => mapsAndIfs(),
  regexes: () => regexes(),
};
