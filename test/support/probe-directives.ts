// Asks the real nginx what it accepts for a directive: is it known, in which contexts, with how many
// arguments, block or not. nginx checks these in that order (ngx_conf_handler) before a directive's own
// handler runs, so the first error names exactly what was rejected whatever the dummy arguments mean.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContextKind } from '../../server/src/nginx/directives';
import { loadModules, nginxTestAsync, writeTree } from './nginx';

export const PROBED_CONTEXTS: ContextKind[] = [
  'main', 'events', 'http', 'http.server', 'http.location', 'http.if.server', 'http.if.location',
  'http.limit_except', 'http.upstream', 'stream', 'stream.server', 'stream.upstream', 'mail', 'mail.server',
];

export const MAX_PROBED_ARGS = 9;

/** A whole nginx.conf with `line` placed in `context`. */
export function wrapInContext(context: ContextKind, line: string): string {
  const head = loadModules('stream', 'mail');
  switch (context) {
    case 'main': return `${head}${line}\nevents {}\n`;
    case 'events': return `${head}events { ${line} }\n`;
    case 'http': return `${head}events {}\nhttp { ${line} }\n`;
    case 'http.server': return `${head}events {}\nhttp { server { ${line} } }\n`;
    case 'http.location': return `${head}events {}\nhttp { server { location / { ${line} } } }\n`;
    case 'http.if.server': return `${head}events {}\nhttp { server { if ($host) { ${line} } } }\n`;
    case 'http.if.location': return `${head}events {}\nhttp { server { location / { if ($host) { ${line} } } } }\n`;
    case 'http.limit_except': return `${head}events {}\nhttp { server { location / { limit_except GET { ${line} } } } }\n`;
    case 'http.upstream': return `${head}events {}\nhttp { upstream u { ${line} server 127.0.0.1; } }\n`;
    case 'stream': return `${head}events {}\nstream { ${line} }\n`;
    case 'stream.server': return `${head}events {}\nstream { server { ${line} } }\n`;
    case 'stream.upstream': return `${head}events {}\nstream { upstream u { ${line} server 127.0.0.1:1; } }\n`;
    case 'mail': return `${head}events {}\nmail { ${line} }\n`;
    case 'mail.server': return `${head}events {}\nmail { server { ${line} } }\n`;
    default: throw new Error(`no probe for ${context}`);
  }
}

export type ProbeAnswer = 'unknown' | 'not-allowed' | 'no-opening-brace' | 'not-terminated' | 'bad-count' | 'accepted';

export async function probe(name: string, context: ContextKind, argCount: number, asBlock: boolean): Promise<ProbeAnswer> {
  const args = Array.from({ length: argCount }, () => ' 1').join('');
  const line = asBlock ? `${name}${args} { }` : `${name}${args};`;
  const dir = writeTree({ 'nginx.conf': wrapInContext(context, line) });
  const verdict = await nginxTestAsync(join(dir, 'nginx.conf'));
  const m = verdict.message ?? '';
  if (m === `unknown directive "${name}"`) return 'unknown';
  if (m === `"${name}" directive is not allowed here`) return 'not-allowed';
  if (m === `directive "${name}" has no opening "{"`) return 'no-opening-brace';
  if (m === `directive "${name}" is not terminated by ";"`) return 'not-terminated';
  if (m === `invalid number of arguments in "${name}" directive`) return 'bad-count';
  return 'accepted';
}

/**
 * A fresh folder for one probe, holding the file `x` the recorded arguments name (/tmp/x becomes
 * <folder>/x through inScratch): nginx opens some of them (ssl_password_file, error_log, pid).
 */
export function probeFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kasmlint-probe-'));
  writeFileSync(join(dir, 'x'), '');
  return dir;
}

/**
 * The recorded probe arguments with their /tmp paths moved into this run's scratch folder: nginx opens
 * some of them (error_log, pid, access_log), and two runs must never meet on a fixed path.
 */
export function inScratch(args: readonly string[], dir: string): string[] {
  return args.map((a) => a.replace(/(^|:)\/tmp(?=\/|$)/, `$1${dir}`));
}
