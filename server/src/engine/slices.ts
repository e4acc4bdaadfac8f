// Running a stepwise computation (analysisSteps) in slices of time, so that whoever runs it (the
// language server) answers requests between slices and can abandon it when a newer edit arrives.

import { performance } from 'node:perf_hooks';

export interface SliceOptions {
  /** How long a slice may run before the event loop gets a turn (checked between steps). */
  sliceMs: number;
  /** Asked after every pause: true abandons the computation. */
  cancelled: () => boolean;
}

const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The computation's result, or undefined when it was cancelled. It begins with a pause: what arrived
 * with the request for it (a hover sent with the edit) goes first.
 */
export async function runInSlices<T>(steps: Generator<unknown, T, void>, options: SliceOptions): Promise<T | undefined> {
  let sliceStart = Number.NEGATIVE_INFINITY; // the first pause comes before the first step
  for (;;) {
    if (performance.now() - sliceStart >= options.sliceMs) {
      await pause();
      if (options.cancelled()) {
        steps.return(undefined as T);
        return undefined;
      }
      sliceStart = performance.now();
    }
    const step = steps.next();
    if (step.done) return step.value;
  }
}
