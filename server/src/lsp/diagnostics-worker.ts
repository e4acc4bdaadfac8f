// The diagnostics thread's entry (a worker of the server's own bundle, see server.ts).

import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { DiagnosticsService } from './diagnostics-service';
import type { FromDiagnostics, ToDiagnostics } from './worker-protocol';

/**
 * The thread runs at a lower priority than the main thread: when both want the CPU (an analysis on
 * every keystroke, on a machine with few cores), the thread answering hover, completion and code actions
 * goes first. Linux names a thread in /proc/thread-self; elsewhere the priority stays as it is.
 */
const ANALYSIS_NICENESS = 10;

function lowerThisThreadsPriority(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, ANALYSIS_NICENESS);
  } catch {
    // not Linux, or not allowed: the thread runs at the process's priority
  }
}

lowerThisThreadsPriority();
const port = parentPort!;
const service = new DiagnosticsService((message: FromDiagnostics) => port.postMessage(message));
port.on('message', (message: ToDiagnostics) => service.receive(message));
