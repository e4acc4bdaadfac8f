// Runs the real `nginx -t` (Debian's package, installed by scripts/test.sh) on configs written to a
// scratch folder, and reads its verdict: accepted, or the first error with its file and line.

import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { firstFatal, parseNginxOutput } from '../../server/src/validate/output';

export const NGINX = process.env.NGINX_BIN ?? '/usr/sbin/nginx';
export const MODULES_DIR = '/usr/lib/nginx/modules';

export interface NginxVerdict {
  ok: boolean;
  /** The first [emerg]/[crit]/[alert] message, without its location. */
  message?: string;
  /** The file and line nginx names, when it names one. */
  file?: string;
  line?: number;
  /** Everything nginx printed. */
  output: string;
}

export function nginxVersion(): string {
  const result = spawnSync(NGINX, ['-v'], { encoding: 'utf8' });
  const match = /nginx\/(\d+\.\d+\.\d+)/.exec(result.stderr ?? '');
  if (!match) throw new Error(`cannot run ${NGINX}: ${result.error?.message ?? result.stderr}`);
  return match[1]!;
}

/** `load_module` lines for the dynamic modules installed by the test set-up (stream, mail, Lua). */
export function loadModules(...names: Array<'stream' | 'mail' | 'lua'>): string {
  const files: Record<string, string[]> = {
    stream: ['ngx_stream_module.so'],
    mail: ['ngx_mail_module.so'],
    lua: ['ndk_http_module.so', 'ngx_http_lua_module.so'],
  };
  return names.flatMap((n) => files[n]!).map((f) => `load_module ${MODULES_DIR}/${f};\n`).join('');
}

export function parseVerdict(output: string, exitCode: number | null, signal?: string | null): NginxVerdict {
  if (signal) return { ok: false, message: `crashed (${signal})`, output };
  const fatal = firstFatal(parseNginxOutput(output));
  if (exitCode === 0 && !fatal) return { ok: true, output };
  if (!fatal) return { ok: false, message: output.trim(), output };
  return { ok: false, message: fatal.text, file: fatal.file, line: fatal.line, output };
}

function args(prefix: string, mainFile: string): string[] {
  return ['-t', '-q', '-p', prefix, '-c', mainFile, '-e', 'stderr'];
}

/** Writes `files` (relative paths to contents) under a new scratch folder and returns its path. */
export function writeTree(files: Record<string, string | Buffer>, base?: string): string {
  const dir = base ?? mkdtempSync(join(tmpdir(), 'kasmlint-nginx-'));
  for (const [path, content] of Object.entries(files)) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return dir;
}

/** `nginx -t` on `mainFile` (absolute), synchronously. */
export function nginxTest(mainFile: string, prefix = dirname(mainFile)): NginxVerdict {
  const result = spawnSync(NGINX, args(prefix, mainFile), { encoding: 'utf8', timeout: 20_000 });
  return parseVerdict(`${result.stdout ?? ''}${result.stderr ?? ''}`, result.status, result.signal);
}

/** `nginx -t`, asynchronously, so that several can run at once. */
export function nginxTestAsync(mainFile: string, prefix = dirname(mainFile)): Promise<NginxVerdict> {
  return new Promise((resolve) => {
    const child = spawn(NGINX, args(prefix, mainFile), { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve(parseVerdict(output, code, signal));
    });
  });
}

/** Runs `jobs` with at most `width` at a time, keeping their order. */
export async function inParallel<T>(jobs: Array<() => Promise<T>>, width = 4): Promise<T[]> {
  const results = new Array<T>(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, jobs.length) }, worker));
  return results;
}
