// Every directive's documented default (nginx.org's reference), written out where nginx allows the
// directive: nginx -t and kasmlint must give the same verdict. A default is what nginx does without the
// line, so nearly all are accepted; the ones refused show what the version and the loaded modules decide
// (a directive of a later version, of NGINX Plus, of a module not loaded).
//
// Left out by design: what only the machine decides (files, users, host names), and three defaults that
// only mean something beside other directives (proxy_redirect default needs a proxy_pass before it,
// resolver off is a host name on its own, the *_param HTTP_HOST values are never compiled without a server).

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { Format, getDirectives } from '@nginx/reference-lib';
import { DIRECTIVE_CONTEXTS, DirectiveCatalog } from '../../server/src/nginx/directives';
import { describe, ourVerdict } from '../support/engine';
import { inParallel, nginxTestAsync, nginxVersion, writeTree } from '../support/nginx';
import { PROBED_CONTEXTS, probeFolder, wrapInContext } from '../support/probe-directives';

const MACHINE_DEPENDENT = /^(host not found|open\(\) ".*" failed|getpwnam|getgrnam)/;
const BESIDE_OTHERS = new Set(['proxy_redirect default;', 'resolver off;', 'fastcgi_param', 'scgi_param', 'uwsgi_param']);

test("every directive's documented default, written out, gets nginx -t's verdict", { timeout: 300_000 }, async (t) => {
  const version = nginxVersion();
  const catalog = DirectiveCatalog.forVersion(version);
  const seen = new Set<string>();
  const cases: Array<{ context: (typeof PROBED_CONTEXTS)[number]; line: string }> = [];
  for (const d of getDirectives(Format.Markdown)) {
    if (!d.default || seen.has(d.name) || BESIDE_OTHERS.has(d.name)) continue;
    const context = PROBED_CONTEXTS.find((c) => DIRECTIVE_CONTEXTS.includes(c) && catalog.specIn(d.name, c) && !catalog.specIn(d.name, c)!.isBlock);
    if (!context) continue;
    seen.add(d.name);
    for (const value of d.default.split(/\s*\|\s*/)) {
      const line = `${d.name} ${value};`;
      if (!BESIDE_OTHERS.has(line)) cases.push({ context, line });
    }
  }
  let machineDependent = 0;
  const results = await inParallel(
    cases.map(({ context, line }) => async () => {
      const dir = probeFolder();
      writeTree({ 'nginx.conf': wrapInContext(context, line) }, dir);
      const real = await nginxTestAsync(join(dir, 'nginx.conf'));
      const ours = ourVerdict(dir, version);
      if (real.ok ? ours.ok : !ours.ok && real.message === ours.message && real.line === ours.line) return undefined;
      if (!real.ok && MACHINE_DEPENDENT.test(real.message ?? '') && ours.ok) {
        machineDependent++;
        return undefined;
      }
      return `${context} ${line}: nginx -t: ${describe(real)}; kasmlint: ${describe(ours)}`;
    }),
  );
  const disagreements = results.filter((r): r is string => r !== undefined);
  t.diagnostic(`${cases.length} defaults on nginx ${version}; ${machineDependent} refused for what only the machine decides`);
  assert.deepEqual(disagreements, []);
});
