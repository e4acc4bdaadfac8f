// Which files an analysis publishes diagnostics for: every shown file once, then only those whose
// diagnostics or version changed (files without findings included: a keystroke in one of thousands of
// conf.d files must not send an empty list for each of the others).

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ProjectAnalysis } from '../../server/src/engine/analyze';
import type { ProjectState } from '../../server/src/lsp/projects';
import { DiagnosticsPublisher } from '../../server/src/lsp/publish';
import { lint } from '../support/engine';
import { writeTree } from '../support/nginx';

/** A file of conf.d with nothing to report. */
const CLEAN = '# reserved for a site\n';

function stateOf(analysis: ProjectAnalysis): ProjectState {
  return { key: 'test', project: analysis.project, analysis, versions: new Map(), dirty: false, changes: 0, published: new Set() };
}

/** The analysis of the configuration in `dir`, as it is on disk now. */
function analysisOf(dir: string): ProjectAnalysis {
  return lint([dir]).analyses.find((a) => a.project.kind !== 'loose')!;
}

test('files without findings are published once, then only when their diagnostics or version change', () => {
  const dir = writeTree({
    'nginx.conf': 'events {}\nhttp {\n    include conf.d/*.conf;\n}\n',
    'conf.d/a.conf': CLEAN,
    'conf.d/b.conf': CLEAN,
    'conf.d/typo.conf': 'server {\n    listen 8081;\n    proxy_set_heder Host $host;\n}\n',
  });
  const publisher = new DiagnosticsPublisher();
  const context = { shown: (path: string) => path.startsWith(`${dir}/`), openVersion: () => undefined, supportsRelated: false };
  const sent = (state: ProjectState) =>
    publisher
      .notifications(state, context)
      .map((p) => `${p.uri.slice(p.uri.indexOf('/conf.d/') + 1)}:${p.diagnostics.length}`)
      .filter((s) => s.startsWith('conf.d/'))
      .sort();

  const first = sent(stateOf(analysisOf(dir)));
  assert.deepEqual(first.filter((s) => s.endsWith(':0')), ['conf.d/a.conf:0', 'conf.d/b.conf:0']);
  assert.ok(first.some((s) => s.startsWith('conf.d/typo.conf:') && !s.endsWith(':0')), first.join(', '));

  // analysed again, the same findings (an edit elsewhere that changed none of them): nothing is sent
  assert.deepEqual(sent(stateOf(analysisOf(dir))), []);

  // the typo fixed: its empty list is sent once
  writeFileSync(join(dir, 'conf.d/typo.conf'), CLEAN);
  const fixed = stateOf(analysisOf(dir));
  assert.deepEqual(sent(fixed), ['conf.d/typo.conf:0']);
  assert.deepEqual(sent(stateOf(analysisOf(dir))), []);

  // an editor that closed and opened a file again gets its list again
  publisher.reopened(join(dir, 'conf.d/a.conf'));
  assert.deepEqual(sent(fixed), ['conf.d/a.conf:0']);
});
