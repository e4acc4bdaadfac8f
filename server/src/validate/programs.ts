// Running nginx and docker: only the program the caller names (from the user's settings or the command
// line, never from a file of the workspace), without a shell, with a time limit.

import { childProcess } from '../core/lazy-builtins';

export interface ProgramResult {
  /** The exit code; undefined when the program could not be started or was stopped. */
  code?: number;
  stdout: string;
  stderr: string;
  /** Why it did not run to its end: not found, not executable, timed out. */
  failure?: string;
}

export function runProgram(program: string, args: readonly string[], options: { timeoutMs?: number; cwd?: string } = {}): Promise<ProgramResult> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let failure: string | undefined;
    const child = childProcess().spawn(program, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'], shell: false });
    const timer = setTimeout(() => {
      failure = `${program} did not finish within ${Math.round((options.timeoutMs ?? 60_000) / 1000)} s`;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 60_000);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (error: NodeJS.ErrnoException) => {
      failure = error.code === 'ENOENT' ? `${program} was not found` : error.code === 'EACCES' ? `${program} cannot be run (permission denied)` : `${program}: ${error.message}`;
      clearTimeout(timer);
      resolve({ stdout, stderr, failure }); // 'close' may not follow a failed start
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(failure ? { stdout, stderr, failure } : { code: code ?? undefined, stdout, stderr });
    });
  });
}

/** The first program of `candidates` that runs (`program -v`), for a default such as "nginx" that may live in /usr/sbin. */
export async function firstRunnable(candidates: readonly string[]): Promise<{ program: string; version: string } | undefined> {
  for (const program of candidates) {
    const result = await runProgram(program, ['-v'], { timeoutMs: 10_000 });
    if (result.failure === undefined) return { program, version: `${result.stdout}${result.stderr}`.trim() };
  }
  return undefined;
}
