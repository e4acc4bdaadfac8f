// Validating a configuration with the real nginx: inside the kasm_proxy container (`docker exec
// kasm_proxy nginx -t`) when Docker is there, the container runs and mounts this very tree; otherwise
// with a local nginx on a prepared copy (local.ts). nginx's messages come back at the user's files and
// lines, with the notes that say how the run was made. Restarting kasm_proxy is offered only after a
// clean validation inside it.

import { rmSync } from 'node:fs';
import type { ProjectAnalysis } from '../engine/analyze';
import type { Severity } from '../engine/findings';
import { InputError, lintPaths, type LintOptions } from '../engine/lint';
import { PROXY_CONTAINER } from '../kasm/compose';
import type { ConfigModel } from '../model/config';
import { KASM_CONTAINER_DIR } from '../workspace/project';
import { prepareTree } from './local';
import { parseNginxOutput, severityOf } from './output';
import { firstRunnable, runProgram } from './programs';

export interface ValidationMessage {
  severity: Severity;
  /** nginx's own text, paths as the user knows them. */
  message: string;
  /** The user's file and nginx's (1-based) line, when nginx names one or the message names a file a directive gives. */
  file?: string;
  line?: number;
}

export interface ValidationResult {
  /** Where nginx ran: inside the container, with a local nginx, or nowhere (no nginx found). */
  mode: 'container' | 'local' | 'unavailable';
  /** nginx -t accepted the configuration. */
  ok: boolean;
  messages: ValidationMessage[];
  /** How the run was made: why not in the container, what stood in for what. */
  notes: string[];
  /** The command that ran, as a user would type it. */
  command: string;
  /** What nginx printed, paths mapped back to the user's files. */
  output: string;
  /** The configuration directory validated. */
  dir: string;
  kasm: boolean;
}

export interface ValidateOptions extends LintOptions {
  /** The nginx program (user setting); default: nginx on PATH, then /usr/sbin/nginx. */
  nginx?: string;
  /** The docker program (user setting); default: docker on PATH. */
  docker?: string;
  /** Try the container first (default true). */
  useDocker?: boolean;
}

const NGINX_CANDIDATES = ['nginx', '/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx'];
const CONTAINER_CONF = KASM_CONTAINER_DIR;

/** The configuration a path belongs to: its Kasm tree or nginx.conf folder. */
export function configurationOf(path: string, options: LintOptions): ProjectAnalysis {
  const run = lintPaths([path], options);
  const analysis = run.analyses.find((a) => a.project.kind === 'kasm') ?? run.analyses.find((a) => a.project.kind === 'nginx');
  if (!analysis) throw new InputError(`${path}: not a Kasm tree (orchestrator.conf with services.d/) or a folder with nginx.conf: nothing nginx -t could load`);
  return analysis;
}

/** Where a message that names no line points: the directive that gives the file it quotes. */
function locateQuoted(text: string, model: ConfigModel, paths: (directivePath: string) => string[]): { file: string; line: number } | undefined {
  const quoted = [...text.matchAll(/"([^"\n]+)"/g)].map((m) => m[1]!);
  if (quoted.length === 0) return undefined;
  for (const d of model.directives()) {
    const value = d.node.args[0]?.value;
    if (!value || d.node.name === 'include') continue;
    if (paths(value).some((p) => quoted.includes(p))) return { file: d.file.path, line: d.node.nginxLine };
  }
  return undefined;
}

async function inContainer(analysis: ProjectAnalysis, options: ValidateOptions, notes: string[]): Promise<ValidationResult | undefined> {
  const docker = options.docker ?? 'docker';
  const inspect = await runProgram(docker, ['inspect', PROXY_CONTAINER], { timeoutMs: 20_000 });
  if (inspect.failure !== undefined) {
    notes.push(`not in the container: ${inspect.failure}`);
    return undefined;
  }
  if (inspect.code !== 0) {
    notes.push(`not in the container: docker inspect ${PROXY_CONTAINER}: ${(inspect.stderr.trim().split('\n')[0] ?? '') || `exit ${inspect.code}`}`);
    return undefined;
  }
  let state: { Running?: boolean } | undefined;
  let mounts: Array<{ Source?: string; Destination?: string }> = [];
  try {
    const [container] = JSON.parse(inspect.stdout) as Array<{ State?: { Running?: boolean }; Mounts?: Array<{ Source?: string; Destination?: string }> }>;
    state = container?.State;
    mounts = container?.Mounts ?? [];
  } catch {
    notes.push(`not in the container: docker inspect ${PROXY_CONTAINER} printed no container description`);
    return undefined;
  }
  if (!state?.Running) {
    notes.push(`not in the container: ${PROXY_CONTAINER} is not running`);
    return undefined;
  }
  const host = options.host;
  const mount = mounts.find((m) => m.Destination?.replace(/\/+$/, '') === CONTAINER_CONF);
  const tree = analysis.project.dir;
  if (!mount?.Source || host.realpath(mount.Source) !== host.realpath(tree)) {
    notes.push(`not in the container: ${PROXY_CONTAINER} mounts ${mount?.Source ?? 'nothing'} at ${CONTAINER_CONF}, not ${tree}`);
    return undefined;
  }
  const exec = await runProgram(docker, ['exec', PROXY_CONTAINER, 'nginx', '-t'], { timeoutMs: 60_000 });
  const command = `${docker} exec ${PROXY_CONTAINER} nginx -t`;
  if (exec.failure !== undefined) {
    notes.push(`not in the container: ${exec.failure}`);
    return undefined;
  }
  const raw = `${exec.stdout}${exec.stderr}`;
  const back = (path: string) => (path === CONTAINER_CONF || path.startsWith(`${CONTAINER_CONF}/`) ? tree + path.slice(CONTAINER_CONF.length) : path);
  const model = analysis.model;
  const messages = parseNginxOutput(raw).map((m): ValidationMessage => {
    const at = m.file ? { file: back(m.file), line: m.line } : locateQuoted(m.text, model, (value) => [model.resolvePath(value).nginxPath]);
    return { severity: severityOf(m.level), message: m.text, ...at };
  });
  notes.push(`validated inside the running ${PROXY_CONTAINER} container, which mounts ${tree} at ${CONTAINER_CONF}: files as saved on disk`);
  return { mode: 'container', ok: exec.code === 0, messages, notes, command, output: raw.split(`${CONTAINER_CONF}/`).join(`${tree}/`), dir: tree, kasm: true };
}

async function locally(analysis: ProjectAnalysis, options: ValidateOptions, notes: string[]): Promise<ValidationResult> {
  const dir = analysis.project.dir;
  const kasm = analysis.project.kind === 'kasm';
  const found = await firstRunnable(options.nginx ? [options.nginx] : NGINX_CANDIDATES);
  if (!found) {
    const tried = options.nginx ?? NGINX_CANDIDATES.join(', ');
    notes.push(`no nginx to run here (tried ${tried}): set the nginx program (kasmlint.nginxPath, or --nginx)`);
    return { mode: 'unavailable', ok: false, messages: [], notes, command: '', output: '', dir, kasm };
  }
  const version = /nginx\/(\S+)/.exec(found.version)?.[1] ?? 'unknown';
  if (kasm && version !== analysis.settings.nginxVersion) {
    notes.push(`the local nginx is ${version}, Kasm's proxy image runs ${analysis.settings.nginxVersion}: directives or modules one has and the other lacks are judged by ${version}`);
  }
  const prepared = await prepareTree(analysis, options.host);
  try {
    const args = ['-t', '-p', prepared.prefix, '-c', prepared.mainConf, '-e', 'stderr', ...prepared.args];
    const result = await runProgram(found.program, args, { timeoutMs: 60_000 });
    const raw = `${result.stdout}${result.stderr}`;
    const model = analysis.model;
    const replacementsOf = (value: string) => prepared.rewrites.filter((r) => r.original === value).map((r) => r.replacement);
    const messages = parseNginxOutput(raw).map((m): ValidationMessage => {
      const at = m.file ? { file: prepared.back(m.file), line: m.line } : locateQuoted(m.text, model, replacementsOf);
      return { severity: severityOf(m.level), message: prepared.describe(m.text), ...at };
    });
    if (result.failure !== undefined) messages.push({ severity: 'error', message: result.failure });
    return {
      mode: 'local',
      ok: result.code === 0,
      messages,
      notes: [...notes, ...prepared.notes],
      command: [found.program, ...args].map((a) => (/[\s;'"]/.test(a) ? `'${a}'` : a)).join(' '),
      output: prepared.describe(raw),
      dir,
      kasm,
    };
  } finally {
    rmSync(prepared.dir, { recursive: true, force: true });
  }
}

/** `nginx -t` on the configuration `path` belongs to: in kasm_proxy when it can, locally otherwise. */
export function validate(path: string, options: ValidateOptions): Promise<ValidationResult> {
  return validateConfiguration(configurationOf(path, options), options);
}

export async function validateConfiguration(analysis: ProjectAnalysis, options: ValidateOptions): Promise<ValidationResult> {
  const notes: string[] = [];
  if (analysis.project.kind === 'kasm' && options.useDocker !== false) {
    const result = await inContainer(analysis, options, notes);
    if (result) return result;
  }
  return locally(analysis, options, notes);
}

/** `docker restart kasm_proxy`: only after a validation inside the container that nginx accepted. */
export async function restartProxy(validation: ValidationResult, options: Pick<ValidateOptions, 'docker'>): Promise<{ ok: boolean; output: string; command: string }> {
  const docker = options.docker ?? 'docker';
  const command = `${docker} restart ${PROXY_CONTAINER}`;
  if (validation.mode !== 'container' || !validation.ok) {
    return { ok: false, command, output: `not restarting ${PROXY_CONTAINER}: it restarts only after nginx -t accepted the configuration inside it` };
  }
  const result = await runProgram(docker, ['restart', PROXY_CONTAINER], { timeoutMs: 120_000 });
  return { ok: result.code === 0, command, output: `${result.stdout}${result.stderr}${result.failure ?? ''}`.trim() };
}
