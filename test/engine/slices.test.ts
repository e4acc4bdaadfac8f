// An analysis run in slices pauses so that the event loop turns three times (vscode-jsonrpc reads one
// message per turn and writes its answer a turn later), and stops at a pause once abandoned.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runInSlices } from '../../server/src/engine/slices';

/** Turns of the event loop counted until `until` says stop (a callback queued again at each turn). */
function turnCounter(): { turns: () => number; stop: () => void } {
  let turns = 0;
  let running = true;
  const tick = () => {
    turns++;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  return { turns: () => turns, stop: () => (running = false) };
}

/** The turns the loop took before the first step of a computation run in slices. */
async function turnsBeforeFirstStep(): Promise<number> {
  const counter = turnCounter();
  let before = -1;
  function* steps(): Generator<string, string, void> {
    before = counter.turns();
    yield 'one';
    return 'done';
  }
  const result = await runInSlices(steps(), { sliceMs: 1_000, cancelled: () => false });
  counter.stop();
  assert.equal(result, 'done');
  return before;
}

test('an analysis begins with a pause of three turns of the event loop', async () => {
  const turns = await turnsBeforeFirstStep();
  assert.ok(turns >= 3 && turns <= 4, `${turns} turns`);
});

test('a computation abandoned at a pause stops there', async () => {
  let stepsRun = 0;
  function* steps(): Generator<string, string, void> {
    for (let i = 0; i < 10; i++) {
      stepsRun++;
      yield `step ${i}`;
    }
    return 'done';
  }
  let cancel = false;
  const result = runInSlices(steps(), { sliceMs: 0, cancelled: () => cancel });
  setImmediate(() => setImmediate(() => setImmediate(() => setImmediate(() => (cancel = true)))));
  assert.equal(await result, undefined);
  assert.ok(stepsRun < 10, `${stepsRun} steps ran`);
});
