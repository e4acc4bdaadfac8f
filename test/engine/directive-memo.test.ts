// What the engine remembers about a directive's words (Directive.memo) is handed to the directive's copy
// when a reparse in place moves it: held to a fresh parse of the same texts over random edits, by the
// variables every directive uses and where (the memo keeps offsets within words, the uses offsets in
// the file: a memo that kept the old offsets would put every use after the edit in the wrong place).

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeProject, ParseCache, type ProjectAnalysis } from '../../server/src/engine/analyze';
import { forEachDirective, type Directive, type DirectiveMemo } from '../../server/src/nginx/ast';
import { allVariableUses } from '../../server/src/semantics/variable-uses';
import { type FileHost, NodeFileHost } from '../../server/src/workspace/host';
import { projectOf } from '../support/engine';
import { copyKasmFixture } from '../support/kasm';
import { seededRandom } from '../support/random';

/** Map entries, if conditions and quoted values: the shapes whose variables are found differently. */
const EXTRA = `
map $http_upgrade $connection_upgrade {
    default upgrade;
    ''      close;
    ~^(?<proto>ws)  "$proto-$host";
}
server {
    listen 8443;
    location /x/ {
        if ($request_method = "$http_x_method") { return 405; }
        if ($arg_token) { set $token "$arg_token:$cookie_session"; }
        add_header X-Trace "$request_id $upstream_addr" always;
        proxy_set_header Connection $connection_upgrade;
        proxy_pass http://127.0.0.1:9000/$uri$is_args$args;
    }
}
`;

const INSERTS = ['x', '1', '$', '$host', ' ', '_', '"', '{', '}'];

function usesOf(analysis: ProjectAnalysis): string[] {
  return allVariableUses(analysis.model, analysis.catalog).map((u) => `${u.directive.file.path}:${u.start}-${u.end} $${u.name}${u.atMerge ? ' (merge)' : ''} #${u.directive.seq}`);
}

function memosOf(analysis: ProjectAnalysis, path: string): Set<DirectiveMemo> {
  const memos = new Set<DirectiveMemo>();
  const parsed = analysis.model.files.get(path);
  if (parsed) forEachDirective(parsed.root, (d: Directive) => void (d.memo && memos.add(d.memo)));
  return memos;
}

test('variables found from memos carried through reparses in place equal those of a fresh parse, on random edits', () => {
  const dir = copyKasmFixture(mkdtempSync(join(tmpdir(), 'kasmlint-memo-')));
  writeFileSync(join(dir, 'extra.conf'), EXTRA); // beside the upstreams: read in the http block
  const { project, files, settings } = projectOf(dir);
  const edited = files.filter((f) => readFileSync(f, 'utf8').includes('$'));
  assert.ok(edited.length >= 4 && edited.includes(join(dir, 'extra.conf')), `${edited.length} files with variables`);

  const texts = new Map(edited.map((f) => [f, readFileSync(f, 'utf8')]));
  const disk = new NodeFileHost();
  const host: FileHost = Object.create(disk, {
    read: { value: (path: string) => (texts.has(path) ? { ok: true, text: texts.get(path)!, latin1: false } : disk.read(path)) },
  });
  const cache = new ParseCache();
  let previous = analyzeProject(project, { host, settings, files, cache });
  usesOf(previous); // fills the memos

  const random = seededRandom(20261203);
  let carried = 0;
  for (let i = 0; i < 150; i++) {
    const path = edited[random(edited.length)]!;
    const text = texts.get(path)!;
    // inside a directive that uses a variable, where typing happens
    const dollars = [...text.matchAll(/\$/g)].map((m) => m.index!);
    const at = dollars[random(dollars.length)]! + random(6) - 2;
    const before = memosOf(previous, path);
    texts.set(path, text.slice(0, at) + INSERTS[random(INSERTS.length)]! + text.slice(at));

    const warm = analyzeProject(project, { host, settings, files, cache });
    const fresh = analyzeProject(project, { host, settings, files, cache: new ParseCache() });
    assert.deepStrictEqual(usesOf(warm), usesOf(fresh), `edit ${i} of ${path} at ${at}`);
    for (const memo of memosOf(warm, path)) if (before.has(memo)) carried++;
    previous = warm;
  }
  // most edits stay inside one directive: the memos of the directives around them were carried (only
  // a directive with a "$" in its arguments has one)
  assert.ok(carried > 300, `${carried} memos carried through reparses in place`);
});
