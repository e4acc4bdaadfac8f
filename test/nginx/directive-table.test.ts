// Our directive table (from nginx.org's reference) against the real nginx, for every directive the
// installed nginx knows: the contexts it is allowed in, whether it takes a block, and how many
// arguments it takes (0 to 9). A difference is a bug in the table or an override to add.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DirectiveCatalog, type ContextKind } from '../../server/src/nginx/directives';
import { inParallel, nginxVersion } from '../support/nginx';
import { MAX_PROBED_ARGS, PROBED_CONTEXTS, probe } from '../support/probe-directives';

test('directive contexts, blocks and argument counts agree with the real nginx', { timeout: 600_000 }, async (t) => {
  const version = nginxVersion();
  const catalog = DirectiveCatalog.forVersion(version);
  const names = catalog.names();
  const differences: string[] = [];
  let compared = 0;

  await inParallel(
    names.map((name) => async () => {
      const ours = new Set<ContextKind>(catalog.specs(name).flatMap((s) => [...s.contexts]));
      const start = PROBED_CONTEXTS.find((c) => ours.has(c));
      if (!start) return; // only in contexts this nginx cannot have (NGINX Plus)
      // Where our table does not place the directive, probe it in the form it takes elsewhere.
      const isBlockIn = (context: ContextKind) => (catalog.specIn(name, context) ?? catalog.specIn(name, start)!).isBlock;
      const first = await probe(name, start, 1, isBlockIn(start));
      if (first === 'unknown') return; // a module this nginx is built without
      compared++;

      const allowed: ContextKind[] = [];
      for (const context of PROBED_CONTEXTS) {
        const answer = context === start ? first : await probe(name, context, 1, isBlockIn(context));
        if (answer !== 'not-allowed' && answer !== 'unknown') allowed.push(context);
        if (answer === 'no-opening-brace' || answer === 'not-terminated') {
          differences.push(`${name}: nginx says ${answer} in ${context}, our table says isBlock=${isBlockIn(context)}`);
        }
      }
      const missing = allowed.filter((c) => !ours.has(c));
      const extra = [...ours].filter((c) => PROBED_CONTEXTS.includes(c) && !allowed.includes(c));
      if (missing.length || extra.length) {
        differences.push(`${name}: contexts nginx allows but we do not: [${missing}]; we allow but nginx does not: [${extra}]`);
      }

      // One context per module's spec: `server` is a block in http, a list of parameters in upstream.
      const checkedSpecs = new Set<object>();
      for (const context of allowed.filter((c) => catalog.specIn(name, c))) {
        const spec = catalog.specIn(name, context)!;
        if (checkedSpecs.has(spec)) continue;
        checkedSpecs.add(spec);
        const accepted: number[] = [];
        for (let n = 0; n <= MAX_PROBED_ARGS; n++) {
          if ((await probe(name, context, n, spec.isBlock)) !== 'bad-count') accepted.push(n);
        }
        const expected = Array.from({ length: MAX_PROBED_ARGS + 1 }, (_, n) => n).filter((n) => spec.counts.accepts(n));
        if (accepted.join() !== expected.join()) {
          differences.push(`${name} in ${context}: nginx accepts [${accepted}] arguments, our table [${expected}] (${spec.counts.describe()})`);
        }
      }
    }),
    4,
  );

  t.diagnostic(`nginx ${version}: ${compared} directives compared in ${PROBED_CONTEXTS.length} contexts, 0-${MAX_PROBED_ARGS} arguments`);
  assert.ok(compared > 300, `only ${compared} directives are known to nginx ${version}: is it installed with its modules?`);
  assert.deepEqual(differences.sort(), [], `nginx ${version}: ${differences.length} differences over ${compared} directives`);
});
