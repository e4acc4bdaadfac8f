// The language server's disk host keeps a file's text while the file's status is unchanged: it must never
// answer with an old text once the file changed, however small or fast the change. One analysis asks the
// disk about each path once.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, renameSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeProject } from '../../server/src/engine/analyze';
import { expandGlob } from '../../server/src/workspace/glob';
import { AnalysisSnapshotHost, type FileHost, NodeFileHost, type ReadResult, StatCachedFileHost } from '../../server/src/workspace/host';
import { projectOf } from '../support/engine';

function textOf(result: ReadResult): string | undefined {
  return result.ok ? result.text : undefined;
}

/** The disk host, counting the reads that reach the disk. */
function countingDisk(): { disk: FileHost; reads: () => number } {
  const node = new NodeFileHost();
  let reads = 0;
  const disk: FileHost = {
    read: (path) => {
      reads++;
      return node.read(path);
    },
    list: (dir) => node.list(dir),
    kind: (path) => node.kind(path),
    realpath: (path) => node.realpath(path),
  };
  return { disk, reads: () => reads };
}

test('an unchanged file is read from the disk once, and keeps the same string', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kasmlint-host-'));
  const path = join(dir, 'a.conf');
  writeFileSync(path, 'events {}\n');
  const { disk, reads } = countingDisk();
  const host = new StatCachedFileHost(disk);
  const first = host.read(path);
  const second = host.read(path);
  assert.equal(textOf(first), 'events {}\n');
  assert.ok(first.ok && second.ok && first.text === second.text);
  assert.equal(reads(), 1);
  rmSync(dir, { recursive: true });
});

test('a change of the same size within the same instant, a replaced file and a deleted file are seen', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kasmlint-host-'));
  const path = join(dir, 'a.conf');
  const host = new StatCachedFileHost();
  writeFileSync(path, 'listen 8080;\n');
  const when = new Date('2026-01-01T00:00:00Z');
  utimesSync(path, when, when);
  assert.equal(textOf(host.read(path)), 'listen 8080;\n');
  // same size, same modification time: the change time (and the inode, below) still tell
  writeFileSync(path, 'listen 8443;\n');
  utimesSync(path, when, when);
  assert.equal(textOf(host.read(path)), 'listen 8443;\n');
  const other = join(dir, 'b.conf');
  writeFileSync(other, 'listen 9443;\n');
  utimesSync(other, when, when);
  renameSync(other, path);
  assert.equal(textOf(host.read(path)), 'listen 9443;\n');
  rmSync(path);
  const gone = host.read(path);
  assert.equal(gone.ok, false);
  assert.equal(!gone.ok && gone.reason, 'not-found');
  writeFileSync(path, 'listen 80;\n');
  assert.equal(textOf(host.read(path)), 'listen 80;\n');
  rmSync(dir, { recursive: true });
});

test('a directory is refused as the disk refuses it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kasmlint-host-'));
  const result = new StatCachedFileHost().read(dir);
  assert.equal(!result.ok && result.reason, 'directory');
  rmSync(dir, { recursive: true });
});

test('a missing file costs a stat: not found without a read, and found once it appears', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kasmlint-host-'));
  const path = join(dir, 'cert.pem');
  const { disk, reads } = countingDisk();
  const host = new StatCachedFileHost(disk);
  const missing = host.read(path);
  assert.equal(!missing.ok && missing.reason, 'not-found');
  assert.equal(!missing.ok && missing.message, 'No such file or directory');
  assert.equal(reads(), 0);
  writeFileSync(path, 'pem\n');
  assert.equal(textOf(host.read(path)), 'pem\n');
  assert.equal(reads(), 1);
  rmSync(dir, { recursive: true });
});

test('realpath follows symbolic links to the file, and leaves a missing path as it is', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kasmlint-host-'));
  mkdirSync(join(dir, 'real'));
  writeFileSync(join(dir, 'real', 'a.conf'), 'events {}\n');
  symlinkSync(join(dir, 'real'), join(dir, 'linked'));
  const host = new NodeFileHost();
  assert.equal(host.realpath(join(dir, 'linked', 'a.conf')), join(realpathSync(dir), 'real', 'a.conf'));
  assert.equal(host.realpath(join(dir, 'nowhere.conf')), join(dir, 'nowhere.conf'));
  assert.equal(host.kind(join(dir, 'nowhere.conf')), undefined);
  assert.equal(host.kind(join(dir, 'linked')), 'dir');
  rmSync(dir, { recursive: true });
});

test("a glob's plain files get their real path from their folder's, links and the rest from the disk: the same paths", () => {
  const dir = mkdtempSync(join(tmpdir(), 'kasmlint-realpath-'));
  mkdirSync(join(dir, 'real'));
  mkdirSync(join(dir, 'elsewhere'));
  writeFileSync(join(dir, 'real', 'a.conf'), 'gzip on;\n');
  writeFileSync(join(dir, 'elsewhere', 'target.conf'), 'gzip on;\n');
  symlinkSync(join(dir, 'elsewhere', 'target.conf'), join(dir, 'real', 'b.conf'));
  symlinkSync('a.conf', join(dir, 'real', 'c.conf'));
  symlinkSync(join(dir, 'real'), join(dir, 'linked'));
  const node = new NodeFileHost();
  let realpathCalls = 0;
  const disk: FileHost = { read: (p) => node.read(p), list: (p) => node.list(p), kind: (p) => node.kind(p), realpath: (p) => (realpathCalls++, node.realpath(p)) };
  for (const folder of ['real', 'linked']) {
    const snapshot = new AnalysisSnapshotHost(disk);
    realpathCalls = 0;
    const paths = expandGlob(snapshot, join(dir, folder, '*.conf'));
    assert.equal(paths.length, 3);
    for (const path of paths) assert.equal(snapshot.realpath(path), realpathSync(path), path);
    assert.equal(realpathCalls, 3, `${folder}: the folder's, and one for each of the two links`);
  }
  rmSync(dir, { recursive: true });
});

test('one analysis asks the disk about each path once, however often the configuration includes it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kasmlint-snapshot-'));
  mkdirSync(join(dir, 'conf.d'));
  writeFileSync(join(dir, 'nginx.conf'), 'events {}\nhttp {\n  include conf.d/*.conf;\n  server { listen 8080; include h.conf; }\n  server { listen 8081; include h.conf; }\n  server { listen 8082; include h.conf; }\n}\n');
  writeFileSync(join(dir, 'h.conf'), 'gzip on;\nlocation / { return 204; }\n');
  writeFileSync(join(dir, 'conf.d/a.conf'), 'gzip_types text/plain;\n');
  const node = new NodeFileHost();
  const asked = new Map<string, number>();
  const count = (what: string) => asked.set(what, (asked.get(what) ?? 0) + 1);
  const disk: FileHost = {
    read: (path) => (count(`read ${path}`), node.read(path)),
    list: (path) => (count(`list ${path}`), node.list(path)),
    kind: (path) => (count(`kind ${path}`), node.kind(path)),
    realpath: (path) => (count(`realpath ${path}`), node.realpath(path)),
  };
  const { project, files, settings } = projectOf(dir);
  const analysis = analyzeProject(project, { host: disk, settings, files });
  assert.equal(analysis.model.instances(join(dir, 'h.conf')).length, 3, 'h.conf is read in three servers');
  const repeated = [...asked].filter(([, n]) => n > 1);
  assert.deepEqual(repeated, [], 'asked more than once');
  assert.ok(asked.get(`read ${join(dir, 'h.conf')}`) === 1 && asked.has(`list ${join(dir, 'conf.d')}`));
});
