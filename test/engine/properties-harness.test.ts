// The property harness itself: a hang, a failing input and a vacuous run are each reported, so that
// a green property test means the property held on every input within the time bound.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkProperty, fc, property, runPropertyWorker } from '../support/properties';

const SPECS = {
  'a hang': property({
    arbitrary: fc.integer({ min: 0, max: 100 }),
    numRuns: 50,
    perInputMs: 500,
    check: (n) => {
      if (n > 50) for (;;);
    },
  }),
  'a failing input': property({
    arbitrary: fc.integer({ min: 0, max: 1000 }),
    numRuns: 200,
    perInputMs: 1000,
    check: (n) => assert.ok(n < 700, `${n} is too large`),
  }),
  'a vacuous run': property({
    arbitrary: fc.integer(),
    numRuns: 10,
    perInputMs: 1000,
    check: () => {},
    summary: () => assert.fail('no input exercised the property'),
  }),
  'a property that holds': property({
    arbitrary: fc.integer(),
    numRuns: 100,
    perInputMs: 1000,
    check: (n) => assert.equal(typeof n, 'number'),
    summary: () => 'checked',
  }),
};

if (!runPropertyWorker(SPECS)) {
  test('an input that never returns is reported with the input, and the worker is stopped', async () => {
    await assert.rejects(checkProperty('a hang', SPECS['a hang']), /an input took more than 500 ms \(a hang\); seed \d+; the input: (5[1-9]|[6-9]\d|100)$/);
  });

  test('a failing input is reported shrunk, with the assertion and the seed that replays it', async () => {
    await assert.rejects(checkProperty('a failing input', SPECS['a failing input']), (error: Error) => {
      assert.match(error.message, /Counterexample: \[700\]/);
      assert.match(error.message, /seed: \d+/);
      assert.match(error.message, /The error: 700 is too large/);
      return true;
    });
  });

  test('a summary that finds the run vacuous fails it', async () => {
    await assert.rejects(checkProperty('a vacuous run', SPECS['a vacuous run']), /no input exercised the property/);
  });

  test('a property that holds reports its runs and summary', async () => {
    const result = await checkProperty('a property that holds', SPECS['a property that holds']);
    assert.equal(result.runs, 100);
    assert.equal(result.summary, 'checked');
  });
}
