// Property tests (fast-check) with a real time bound per input. The engine is synchronous, so a hang
// cannot be caught from the thread that runs it: each property runs in a worker thread, announces
// every input before checking it, and the test's thread stops the worker and reports the input when
// one takes longer than the bound. A failing property reports fast-check's shrunk counterexample
// and the seed and path that replay it.

import { test } from 'node:test';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import fc from 'fast-check';

export interface PropertySpec<T> {
  arbitrary: fc.Arbitrary<T>;
  /** Throws (an assertion) when the property does not hold for the input. */
  check: (input: T) => void;
  numRuns: number;
  /** The longest any one input may take before it counts as a hang. */
  perInputMs: number;
  /**
   * Run once all inputs passed: throws when the inputs did not exercise what the property is about
   * (so that it cannot hold vacuously), returns figures for the test's report.
   */
  summary?: () => string;
}

type WorkerMessage =
  | { kind: 'start'; input: string }
  | { kind: 'done'; runs: number; slowestMs: number; summary: string }
  | { kind: 'failed'; report: string };

const SEED = Number(process.env.KASMLINT_PROPERTY_SEED ?? 20261123);
/** Loading the bundled test file and the engine in a fresh worker. */
const STARTUP_MS = 30_000;

function describeInput(input: unknown): string {
  const text = fc.stringify(input);
  return text.length > 4000 ? `${text.slice(0, 4000)}... (${text.length} characters)` : text;
}

function runInWorker<T>(spec: PropertySpec<T>, seed: number): void {
  const port = parentPort!;
  let runs = 0;
  let slowestMs = 0;
  const property = fc.property(spec.arbitrary, (input) => {
    port.postMessage({ kind: 'start', input: describeInput(input) } satisfies WorkerMessage);
    const started = performance.now();
    spec.check(input);
    slowestMs = Math.max(slowestMs, performance.now() - started);
    runs++;
  });
  const details = fc.check(property, { numRuns: spec.numRuns, seed });
  if (details.failed) {
    const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    port.postMessage({ kind: 'failed', report: `${fc.defaultReportMessage(details) ?? 'failed'}\nThe error: ${error}` } satisfies WorkerMessage);
    return;
  }
  let summary = '';
  try {
    summary = spec.summary?.() ?? '';
  } catch (error) {
    port.postMessage({ kind: 'failed', report: (error as Error).message } satisfies WorkerMessage);
    return;
  }
  port.postMessage({ kind: 'done', runs, slowestMs, summary } satisfies WorkerMessage);
}

function runWatched(name: string, spec: PropertySpec<unknown>, seed: number): Promise<{ runs: number; slowestMs: number; summary: string }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(__filename, { workerData: { property: name, seed } });
    let settled = false;
    let lastInput = '(none yet: the worker was starting)';
    let timer: NodeJS.Timeout | undefined;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };
    const arm = (ms: number) => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        void worker.terminate();
        settle(() => reject(new Error(`an input took more than ${ms} ms (a hang); seed ${seed}; the input: ${lastInput}`)));
      }, ms);
    };
    arm(STARTUP_MS);
    worker.on('message', (message: WorkerMessage) => {
      if (message.kind === 'start') {
        lastInput = message.input;
        arm(spec.perInputMs);
      } else if (message.kind === 'done') {
        void worker.terminate();
        settle(() => resolve(message));
      } else {
        void worker.terminate();
        settle(() => reject(new Error(message.report)));
      }
    });
    worker.on('error', (error) => settle(() => reject(error)));
    worker.on('exit', (code) => settle(() => reject(new Error(`the worker exited (code ${code}) before the property finished; last input: ${lastInput}`))));
  });
}

/**
 * Inside a worker that `checkProperty` started: runs the property it asked for and returns true. In
 * the test's own thread: returns false. A file of properties calls this first and registers its tests
 * only when it returns false, since the worker runs the same file.
 */
export function runPropertyWorker(specs: Record<string, PropertySpec<unknown>>): boolean {
  if (isMainThread || !(workerData as { property?: string } | undefined)?.property) return false;
  const { property, seed } = workerData as { property: string; seed: number };
  runInWorker(specs[property]!, seed);
  return true;
}

/** Runs the property `name` of the calling file's table in a watched worker. */
export function checkProperty(name: string, spec: PropertySpec<unknown>, seed = SEED): Promise<{ runs: number; slowestMs: number; summary: string }> {
  return runWatched(name, spec, seed);
}

/** One test per property, each run in a worker watched for hangs. */
export function propertyTests(specs: Record<string, PropertySpec<unknown>>): void {
  if (runPropertyWorker(specs)) return;
  for (const [name, spec] of Object.entries(specs)) {
    test(name, async (t) => {
      const { runs, slowestMs, summary } = await checkProperty(name, spec);
      t.diagnostic(`${runs} inputs (seed ${SEED}), slowest ${slowestMs.toFixed(1)} ms, bound ${spec.perInputMs} ms per input${summary ? `; ${summary}` : ''}`);
    });
  }
}

/** A property over inputs of type T, typed for `propertyTests`' table. */
export function property<T>(spec: PropertySpec<T>): PropertySpec<unknown> {
  return spec as unknown as PropertySpec<unknown>;
}

export { fc };
