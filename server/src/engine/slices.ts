// Running a stepwise computation (analysisSteps) in slices of time, so that whoever runs it (the
// language server) answers requests between slices and can abandon it when a newer edit arrives.

import { performance } from 'node:perf_hooks';

export interface SliceOptions {
  /** How long a slice may run before the event loop gets a turn (checked between steps). */
  sliceMs: number;
  /** Asked after every pause: true abandons the computation. */
  cancelled: () => boolean;
}

/**
 * A pause lets the event loop turn three times: vscode-jsonrpc hands over one message per turn
 * (setImmediate) and writes a response a turn after it is ready, so a request that came in during a
 * slice is read, answered and written within one pause, not one slice per hop (a hover sent with an
 * edit of the Kasm tree: 25 -> 13 ms median, the edit's diagnostics unchanged).
 */
const TURNS_PER_PAUSE = 3;
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
const pause = async () => {
  for (let i = 0; i < TURNS_PER_PAUSE; i++) await turn();
};

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
