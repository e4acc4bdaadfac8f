// A configuration made ready for a local `nginx -t`, outside the container it is written for: a copy of
// its files in a temporary folder, each path it names moved to where the file is here (the path
// mappings: for a Kasm tree, /etc/nginx/conf.d is the copy itself, /etc/ssl/certs/kasm_nginx.crt is
// Kasm's certs folder beside the tree), with stand-ins for what is not here (names only Docker
// resolves, certificate files) and the events/http wrapper Kasm's image puts around the tree. Every
// rewrite stays on its line, so nginx's line numbers are those of the user's files; what nginx prints
// is mapped back (paths in the copy to the user's files, stand-ins to what they stand for).

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { dnsPromises, net } from '../core/lazy-builtins';
import { addTo } from '../core/maps';
import type { ProjectAnalysis } from '../engine/analyze';
import type { ConfigDirective } from '../model/config';
import type { ParsedFile } from '../nginx/ast';
import { quoteArgument } from '../proxy/locations';
import { upstreams } from '../proxy/upstreams';
import type { FileHost } from '../workspace/host';
import { dhParameters, selfSignedPair } from './standins';

type FileKind = 'certificate' | 'key' | 'dhparam' | 'ca' | 'file' | 'log';

/** Directives whose first argument is a file nginx opens when it loads the configuration. */
const FILE_ARGUMENTS: Record<string, FileKind> = {
  ssl_certificate: 'certificate',
  ssl_certificate_key: 'key',
  proxy_ssl_certificate: 'certificate',
  proxy_ssl_certificate_key: 'key',
  grpc_ssl_certificate: 'certificate',
  grpc_ssl_certificate_key: 'key',
  uwsgi_ssl_certificate: 'certificate',
  uwsgi_ssl_certificate_key: 'key',
  ssl_dhparam: 'dhparam',
  ssl_trusted_certificate: 'ca',
  ssl_client_certificate: 'ca',
  proxy_ssl_trusted_certificate: 'ca',
  grpc_ssl_trusted_certificate: 'ca',
  uwsgi_ssl_trusted_certificate: 'ca',
  ssl_crl: 'file',
  ssl_password_file: 'file',
  ssl_session_ticket_key: 'file',
  ssl_stapling_file: 'file',
  auth_basic_user_file: 'file',
  access_log: 'log',
  error_log: 'log',
};

/** Directives that name a host nginx resolves when it loads the configuration. */
const HOST_PASSES = new Set(['proxy_pass', 'grpc_pass', 'uwsgi_pass', 'scgi_pass', 'fastcgi_pass', 'memcached_pass']);

/** An argument of the user's files, and what the copy says instead. */
export interface Rewrite {
  original: string;
  replacement: string;
}

export interface PreparedTree {
  dir: string;
  mainConf: string;
  prefix: string;
  /** Extra nginx arguments (-g "pid ...;" when the configuration sets no pid of its own). */
  args: string[];
  notes: string[];
  rewrites: Rewrite[];
  /** The user's file for a path nginx printed. */
  back(path: string): string;
  /** A message's text with the copy's paths and the stand-ins named as the user knows them. */
  describe(text: string): string;
}

interface Edit {
  start: number;
  end: number;
  newText: string;
}

function within(path: string, dir: string): boolean {
  return path === dir || path.startsWith(`${dir}/`);
}

/** How long to wait for a name to resolve before taking it for one only Docker knows. */
const LOOKUP_MS = 2000;

async function resolves(name: string): Promise<boolean> {
  if (net().isIP(name.replace(/^\[|\]$/g, '')) || name === 'localhost') return true;
  const timeout = new Promise<boolean>((r) => setTimeout(() => r(false), LOOKUP_MS).unref());
  return Promise.race([dnsPromises().lookup(name).then(() => true, () => false), timeout]);
}

/** The host a pass directive or an upstream server names, when nginx resolves it at load time. */
function hostOf(d: ConfigDirective, upstreamNames: ReadonlySet<string>): string | undefined {
  const value = d.node.args[0]?.value ?? '';
  if (value.includes('$') || value.startsWith('unix:')) return undefined;
  if (d.node.name === 'server' && d.parent.context.endsWith('upstream')) return /^(\[[^\]]*\]|[^:]+)/.exec(value)?.[1];
  if (!HOST_PASSES.has(d.node.name)) return undefined;
  const host = /^(?:[a-z]+:\/\/)?(\[[^\]]*\]|[^/:?]+)/i.exec(value)?.[1];
  return host && !upstreamNames.has(host) ? host : undefined; // an upstream's name is not looked up
}

export async function prepareTree(analysis: ProjectAnalysis, host: FileHost): Promise<PreparedTree> {
  const { project, model } = analysis;
  const kasm = project.kind === 'kasm';
  const dir = mkdtempSync(join(tmpdir(), 'kasmlint-validate-'));
  const copyRoot = join(dir, kasm ? 'conf.d' : 'root');
  const logs = join(dir, 'logs');
  const standins = join(dir, 'stand-ins');
  mkdirSync(logs, { recursive: true });
  mkdirSync(standins, { recursive: true });
  const notes: string[] = [];
  const rewrites: Rewrite[] = [];
  const edits = new Map<ParsedFile, Edit[]>();
  const toCopy = (local: string) => (within(local, project.dir) ? join(copyRoot, relative(project.dir, local)) : local);

  let pair: { certificate: string; key: string } | undefined;
  const standIn = (kind: FileKind): string => {
    if (kind === 'dhparam') {
      const path = join(standins, 'dhparam.pem');
      writeFileSync(path, dhParameters());
      return path;
    }
    if (!pair) {
      const made = selfSignedPair('kasmlint.invalid');
      pair = { certificate: join(standins, 'certificate.pem'), key: join(standins, 'key.pem') };
      writeFileSync(pair.certificate, made.certificate);
      writeFileSync(pair.key, made.key, { mode: 0o600 });
    }
    return kind === 'key' ? pair.key : pair.certificate;
  };

  const seen = new Set<string>();
  const rewrite = (d: ConfigDirective, replacement: string) => {
    const arg = d.node.args[0]!;
    const key = `${d.file.path}:${arg.start}`;
    if (seen.has(key) || !within(d.file.path, project.dir)) return;
    seen.add(key);
    const list = edits.get(d.file) ?? [];
    list.push({ start: arg.start, end: arg.end, newText: quoteArgument(replacement, arg.quote) });
    edits.set(d.file, list);
    rewrites.push({ original: arg.value, replacement });
  };

  // Certificates and their keys go together: a real certificate with a stand-in key (or the reverse) would not load.
  const readable = (d: ConfigDirective) => {
    const value = d.node.args[0]?.value;
    return value !== undefined && host.kind(model.resolvePath(value).localPath) === 'file';
  };
  const pairedMissing = new Set<ConfigDirective>();
  for (const d of model.directives()) {
    if (FILE_ARGUMENTS[d.node.name] !== 'certificate') continue;
    const keyName = `${d.node.name}_key`;
    const index = d.parent.items.filter((i) => i.node.name === d.node.name).indexOf(d);
    const key = d.parent.items.filter((i) => i.node.name === keyName)[index];
    if (!readable(d) || (key && !readable(key))) {
      pairedMissing.add(d);
      if (key) pairedMissing.add(key);
    }
  }

  const upstreamNames = new Set(upstreams(model).keys());
  const hosts = new Map<string, ConfigDirective[]>();
  const standInFiles = new Set<string>();
  for (const d of model.directives()) {
    const value = d.node.args[0]?.value;
    if (value === undefined || d.node.terminator !== ';') continue;
    if (d.node.name === 'include') {
      rewrite(d, toCopy(model.resolvePath(value).localPath));
      continue;
    }
    if (d.node.name === 'pid') {
      rewrite(d, join(dir, 'nginx.pid'));
      continue;
    }
    const name = hostOf(d, upstreamNames);
    if (name) {
      addTo(hosts, name, d);
      continue;
    }
    const kind = FILE_ARGUMENTS[d.node.name];
    if (!kind || value.includes('$') || value.startsWith('data:')) continue;
    if (kind === 'log') {
      if (value === 'off' || value === 'stderr' || /^(syslog|memory):/.test(value)) continue;
      rewrite(d, join(logs, basename(value)));
      continue;
    }
    const local = model.resolvePath(value).localPath;
    if ((kind === 'certificate' || kind === 'key') && pairedMissing.has(d)) {
      rewrite(d, standIn(kind));
      standInFiles.add(value);
    } else if (host.kind(local) === 'file') {
      rewrite(d, local);
    } else if (kind !== 'file') {
      rewrite(d, standIn(kind));
      standInFiles.add(value);
    }
  }
  if (standInFiles.size > 0) {
    notes.push(`not here, stood in for by a temporary self-signed certificate and key or DH parameters: ${[...standInFiles].join(', ')}`);
  }

  const unresolved: string[] = [];
  await Promise.all(
    [...hosts].map(async ([name, directives]) => {
      if (await resolves(name)) return;
      unresolved.push(name);
      for (const d of directives) rewrite(d, d.node.args[0]!.value.replace(name, '127.0.0.1'));
    }),
  );
  if (unresolved.length > 0) {
    notes.push(`names that do not resolve here (${kasm ? 'Docker resolves them inside Kasm\'s network' : 'they may resolve where nginx runs'}), stood in for by 127.0.0.1: ${unresolved.sort().join(', ')}`);
  }

  for (const file of model.files.values()) {
    if (!within(file.path, project.dir)) continue;
    const target = toCopy(file.path);
    mkdirSync(dirname(target), { recursive: true });
    let text = file.text;
    for (const e of (edits.get(file) ?? []).sort((a, b) => b.start - a.start)) text = text.slice(0, e.start) + e.newText + text.slice(e.end);
    writeFileSync(target, text, file.latin1 ? 'latin1' : 'utf8');
  }

  const sets = (name: string) => model.directives().some((d) => d.node.name === name && d.parent === model.roots[0]?.block);
  const pidArgs = sets('pid') ? [] : ['-g', `pid ${join(dir, 'nginx.pid')};`];
  let mainConf: string;
  let prefix: string;
  if (kasm) {
    // The wrapper of Kasm's proxy image (/etc/nginx/nginx.conf): the tree's files read inside http.
    // The default access log would be /var/log/nginx/access.log, which a user cannot open.
    const accessLog = sets('access_log') ? '' : `    access_log ${join(logs, 'access.log')};\n`;
    mainConf = join(dir, 'nginx.conf');
    prefix = dir;
    writeFileSync(mainConf, `events {}\nhttp {\n${accessLog}    include ${join(copyRoot, '*.conf')};\n}\n`);
    notes.push(`read as Kasm's proxy container reads it: http { include /etc/nginx/conf.d/*.conf; }, /etc/nginx/conf.d being a temporary copy of ${project.dir} (log files written there too)`);
  } else {
    mainConf = join(copyRoot, 'nginx.conf');
    prefix = copyRoot;
  }

  const back = (path: string) => (within(path, copyRoot) ? join(project.dir, relative(copyRoot, path)) : path);
  const describe = (text: string) => {
    let out = text.split(copyRoot).join(project.dir);
    for (const r of rewrites) if (r.replacement.startsWith(standins)) out = out.split(r.replacement).join(`${r.original} (stand-in)`);
    return out;
  };
  return { dir, mainConf, prefix, args: pidArgs, notes, rewrites, back, describe };
}
