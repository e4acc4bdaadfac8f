// `kasmlint validate PATH`: the real `nginx -t` on the configuration PATH belongs to, inside the
// kasm_proxy container when it runs this tree, with a local nginx otherwise; `--restart` then restarts
// kasm_proxy, only when nginx accepted the configuration inside it.

import { resolve } from 'node:path';
import { restartProxy, validate, type ValidationResult } from '../validate/validate';
import { NodeFileHost } from '../workspace/host';
import { displayPath } from './format';
import { parseCommandLine, UsageError, type Output } from './io';

export const VALIDATE_USAGE = `Usage: kasmlint validate [--nginx PROGRAM] [--docker PROGRAM] [--no-docker] [--restart] [--format text|json] [path]

Runs the real nginx -t on the configuration at path (a Kasm tree or a folder with nginx.conf; default: the
current folder): inside the kasm_proxy container (docker exec kasm_proxy nginx -t) when Docker runs it with
this tree mounted, otherwise with a local nginx on a temporary copy, Kasm's container paths mapped, and
stand-ins for what only the container has (Docker's host names, certificate files), which the output lists.
Messages are printed as path:line:column: severity nginx -t: message.
  --restart   then docker restart kasm_proxy, only if nginx -t accepted the configuration inside it
Exit status: 0 when nginx accepts the configuration, 1 when it does not, 2 when it could not run.`;

export function formatValidation(result: ValidationResult, cwd: string): { out: string; err: string } {
  const lines = result.messages.map((m) => `${m.file ? `${displayPath(m.file, cwd)}:${m.line ?? 1}:1: ` : ''}${m.severity} nginx -t: ${m.message}\n`);
  const notes = result.notes.map((n) => `note: ${n}\n`).join('');
  const ran = result.command ? `ran: ${result.command}\n` : '';
  const verdict =
    result.mode === 'unavailable' ? 'nginx -t could not run.\n' : result.ok ? `nginx -t accepts the configuration (${result.mode === 'container' ? 'in the container' : 'local nginx'}).\n` : 'nginx -t rejects the configuration.\n';
  return { out: lines.join(''), err: `${ran}${notes}${verdict}` };
}

export async function runValidate(argv: string[], io: Output, cwd: string): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, {
    nginx: { type: 'string' },
    docker: { type: 'string' },
    'no-docker': { type: 'boolean', default: false },
    restart: { type: 'boolean', default: false },
    format: { type: 'string', default: 'text' },
    config: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) {
    io.out(`${VALIDATE_USAGE}\n`);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError('validate takes one path');
  if (values.format !== 'text' && values.format !== 'json') throw new UsageError(`--format must be text or json, not "${values.format}"`);
  if (values.restart && values['no-docker']) throw new UsageError('--restart needs Docker: it cannot go with --no-docker');
  const result = await validate(resolve(cwd, positionals[0] ?? '.'), {
    host: new NodeFileHost(),
    configFile: values.config ? resolve(cwd, values.config) : undefined,
    nginx: values.nginx,
    docker: values.docker,
    useDocker: !values['no-docker'],
  });
  const restart = values.restart && result.ok ? await restartProxy(result, { docker: values.docker }) : undefined;
  if (values.format === 'json') io.out(`${JSON.stringify({ version: 1, ...result, ...(restart ? { restart } : {}) }, null, 2)}\n`);
  else {
    const text = formatValidation(result, cwd);
    io.out(text.out);
    io.err(text.err);
    if (restart) io.err(`${restart.command}: ${restart.output}\n`);
    else if (values.restart) io.err('not restarting kasm_proxy: nginx -t does not accept the configuration\n');
  }
  if (result.mode === 'unavailable' || (restart && !restart.ok)) return 2;
  return result.ok ? 0 : 1;
}
