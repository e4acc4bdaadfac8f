// Preparing a Kasm tree for the real nginx outside Kasm's container: the container paths
// (/etc/nginx/conf.d, the certificates, the log folder) are rewritten to a scratch copy, docker
// service names in upstreams become 127.0.0.1, and a throw-away certificate and DH parameters are
// made. Every rewrite keeps the lines where they are, so nginx's line numbers are those of the
// original files.

import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

export const KASM_FIXTURE = join(__dirname, '../../../../shared/fixtures/kasm-1.16.1');

/**
 * A writable copy of the Kasm fixture, as a user's own tree is (the fixture's files are read-only,
 * which --fix respects).
 */
export function copyKasmFixture(dir: string, source = KASM_FIXTURE): string {
  cpSync(source, dir, { recursive: true });
  const makeWritable = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      chmodSync(path, entry.isDirectory() ? 0o755 : 0o644);
      if (entry.isDirectory()) makeWritable(path);
    }
  };
  makeWritable(dir);
  return dir;
}

let certificate: { crt: string; key: string } | undefined;

/** A self-signed certificate for tests (made once per process with the real openssl). */
export function throwAwayCertificate(): { crt: string; key: string } {
  if (certificate) return certificate;
  const dir = mkdtempSync(join(tmpdir(), 'kasmlint-cert-'));
  const crt = join(dir, 'kasm_nginx.crt');
  const key = join(dir, 'kasm_nginx.key');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=kasm.example.com', '-days', '2', '-keyout', key, '-out', crt], { stdio: 'ignore' });
  certificate = { crt, key };
  return certificate;
}

let dhParams: string | undefined;

/** DH parameters for tests (2048 bits; -dsaparam makes them in milliseconds rather than minutes). */
export function throwAwayDhParams(): string {
  if (dhParams) return dhParams;
  const path = join(mkdtempSync(join(tmpdir(), 'kasmlint-dh-')), 'dhparam.pem');
  execFileSync('openssl', ['dhparam', '-dsaparam', '-out', path, '2048'], { stdio: 'ignore' });
  dhParams = path;
  return path;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

export interface NginxReadyTree {
  dir: string;
  mainConf: string;
  /** An nginx message about the copy with the paths it names as the configuration writes them. */
  asWritten: (message: string) => string;
}

/** A copy of a Kasm tree that the real nginx can test, plus the nginx.conf of Kasm's container. */
export function prepareKasmTreeForNginx(source: string, exclude: string[] = []): NginxReadyTree {
  const dir = mkdtempSync(join(tmpdir(), 'kasmlint-kasm-'));
  const tree = join(dir, 'conf.d');
  cpSync(source, tree, { recursive: true });
  for (const path of exclude) rmSync(join(tree, path), { force: true });
  const { crt, key } = throwAwayCertificate();
  mkdirSync(join(dir, 'logs'), { recursive: true });
  for (const file of filesUnder(tree)) {
    const text = readFileSync(file, 'utf8')
      .replaceAll('/etc/nginx/conf.d', tree)
      .replaceAll('/etc/ssl/certs/kasm_nginx.crt', crt)
      .replaceAll('/etc/ssl/private/kasm_nginx.key', key)
      // the guide maps /opt/kasm/current/certs/dhparam.pem into the container at this path
      .replaceAll('/etc/ssl/certs/dhparam.pem', throwAwayDhParams())
      .replaceAll('/var/log/external/nginx', join(dir, 'logs'))
      .replace(/^(\s*server\s+)[a-z_]+:(\d+)/gm, '$1127.0.0.1:$2')
      .replace(/(https?:\/\/)(kasm_[a-z_]+|rdp_gateway):(\d+)/g, '$1127.0.0.1:$3');
    writeFileSync(file, text);
  }
  const mainConf = join(dir, 'nginx.conf');
  writeFileSync(mainConf, `events {}\nhttp {\n    include ${tree}/*.conf;\n}\n`);
  const asWritten = (message: string) =>
    message
      .replaceAll(tree, '/etc/nginx/conf.d')
      .replaceAll(crt, '/etc/ssl/certs/kasm_nginx.crt')
      .replaceAll(key, '/etc/ssl/private/kasm_nginx.key')
      .replaceAll(throwAwayDhParams(), '/etc/ssl/certs/dhparam.pem')
      .replaceAll(join(dir, 'logs'), '/var/log/external/nginx');
  return { dir, mainConf, asWritten };
}

export function relativeTo(base: string, path: string): string {
  return relative(base, path);
}

/**
 * The proxy service of Kasm's docker-compose.yaml as the installer writes it (host paths under
 * /opt/kasm/<version>), written from what Kasm's guide and its compose file describe; `extraVolumes` are
 * appended to the proxy's volumes.
 */
export function kasmCompose(extraVolumes: readonly string[] = []): string {
  return `version: '3'
services:
  kasm_api:
    container_name: kasm_api
    image: "kasmweb/api:1.16.1"
    volumes:
      - /opt/kasm/1.16.1:/opt/kasm/current
  proxy:
    container_name: kasm_proxy
    image: "kasmweb/proxy:1.16.1"
    ports:
      - "443:443"
    volumes:
      - /opt/kasm/1.16.1/conf/nginx:/etc/nginx/conf.d:ro
      - /opt/kasm/1.16.1/certs/kasm_nginx.key:/etc/ssl/private/kasm_nginx.key
      - /opt/kasm/1.16.1/certs/kasm_nginx.crt:/etc/ssl/certs/kasm_nginx.crt
      - /opt/kasm/1.16.1/log/nginx:/var/log/external/nginx/${extraVolumes.map((v) => `\n      - ${v}`).join('')}
    restart: always
`;
}

export interface KasmInstall {
  /** Kasm's root, as /opt/kasm/1.16.1 is on a host. */
  root: string;
  /** The nginx tree: <root>/conf/nginx. */
  tree: string;
  compose: string;
  certs: string;
}

/**
 * A Kasm install laid out as the installer does, in a scratch folder: the 1.16.1 tree (one RDP HTTPS
 * gateway file, as one server role has), docker/docker-compose.yaml, and certs/ holding `certificate`
 * (default: a CA-signed one for kasm.example.com) and, when asked, DH parameters. server_name is set to
 * kasm.example.com, as an admin does before publishing Kasm.
 */
export function kasmInstall(options: { certificate?: { crt: string; key: string }; dhparam?: boolean } = {}): KasmInstall {
  const root = mkdtempSync(join(tmpdir(), 'kasmlint-install-'));
  const tree = join(root, 'conf/nginx');
  copyKasmFixture(tree);
  rmSync(join(tree, 'services.d/rdp_https_gateway_guac.conf'));
  const orchestrator = join(tree, 'orchestrator.conf');
  writeFileSync(orchestrator, readFileSync(orchestrator, 'utf8').replace('server_name ubuntu-base;', 'server_name kasm.example.com;'));
  const compose = join(root, 'docker/docker-compose.yaml');
  mkdirSync(join(root, 'docker'), { recursive: true });
  writeFileSync(compose, kasmCompose());
  const certs = join(root, 'certs');
  mkdirSync(certs, { recursive: true });
  if (options.certificate) {
    cpSync(options.certificate.crt, join(certs, 'kasm_nginx.crt'));
    cpSync(options.certificate.key, join(certs, 'kasm_nginx.key'));
  }
  if (options.dhparam) cpSync(throwAwayDhParams(), join(certs, 'dhparam.pem'));
  return { root, tree, compose, certs };
}
