// A real nginx serving a configuration for a test: started in the foreground on a free port with
// everything (pid, logs, temporary files) in a fresh scratch folder, spoken to with raw bytes over
// TCP, and stopped by the process id it was started with.

import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NGINX } from './nginx';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

/** Sends `raw` (bytes as latin1 text) and returns everything the server answers until it closes. */
export function rawRequest(port: number, raw: string, timeoutMs = 15_000): Promise<{ response: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('connect', () => socket.write(Buffer.from(raw, 'latin1')));
    socket.on('data', (d) => chunks.push(d));
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ response: Buffer.concat(chunks).toString('latin1'), ms: performance.now() - start });
    });
  });
}

export interface RunningNginx {
  port: number;
  dir: string;
  get(path: string, headers?: Record<string, string>, requestLine?: string): Promise<{ response: string; ms: number }>;
  errorLog(): string;
}

/**
 * Runs nginx with the http-level lines `http(port, dir)` (servers included), calls `use`, and stops
 * nginx whatever happens.
 */
export async function withNginx(http: (port: number, dir: string) => string, use: (nginx: RunningNginx) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kasmlint-served-'));
  chmodSync(dir, 0o755); // workers run as nobody when the tests run as root
  const port = await freePort();
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${dir};`).join(' ');
  const conf = join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `worker_processes 1;\nerror_log ${dir}/error.log;\npid ${dir}/nginx.pid;\nevents {}\nhttp {\n    access_log off;\n    ${temp}\n${http(port, dir)}\n}\n`,
  );
  const child: ChildProcess = spawn(NGINX, ['-p', dir, '-c', conf, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await new Promise<void>((resolve, reject) => {
          const s = connect(port, '127.0.0.1', () => {
            s.destroy();
            resolve();
          });
          s.on('error', reject);
        });
        break;
      } catch (e) {
        if (attempt > 100 || child.exitCode !== null) throw new Error(`nginx did not start: ${stderr}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    const get: RunningNginx['get'] = (path, headers = {}, requestLine) => {
      const lines = [requestLine ?? `GET ${path} HTTP/1.1`, ...Object.entries({ Host: 'kasm.example.com', ...headers }).map(([k, v]) => `${k}: ${v}`), 'Connection: close', '', ''];
      return rawRequest(port, lines.join('\r\n'));
    };
    await use({ port, dir, get, errorLog: () => readFileSync(join(dir, 'error.log'), 'latin1') });
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}
