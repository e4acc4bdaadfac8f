// kasmlint: the engine on the command line, for CI pipelines and people who do not use VS Code.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { SEVERITY_ORDER, type Finding, type Severity } from '../engine/findings';
import { fixPaths } from '../engine/fix';
import { lintPaths, type LintOptions } from '../engine/lint';
import { PRESETS, presetSeverity, type Preset } from '../engine/presets';
import type { Settings } from '../engine/settings';
import { settingsSchema } from '../engine/settings-schema';
import { renderRuleDoc, renderRuleIndex, ruleDocPath } from '../rules/docs';
import { RULES, RULES_BY_ID } from '../rules/registry';
import { tunnelSchema } from '../cloudflared/schema';
import { columns, describe, expandCipherString } from '../tls/openssl';
import { NodeFileHost } from '../workspace/host';
import { displayPath, formatJson, formatSarif, formatText, summary, TOOL_VERSION } from './format';
import { runChecklist } from './checklist';
import { runValidate } from './validate';
import { parseCommandLine, reportError, UsageError, type Output } from './io';
import { formatPaths } from './format-command';

const USAGE = `Usage: kasmlint [options] [paths...]
       kasmlint explain <rule-id>
       kasmlint rules
       kasmlint ciphers [--format text|json] 'CIPHER-STRING'
       kasmlint checklist [--format text|json] [--fix STEP] [paths...]
       kasmlint validate [--nginx PROGRAM] [--docker PROGRAM] [--no-docker] [--restart] [path]
       kasmlint format [--check] [paths...]

Lints NGINX configurations (a Kasm Workspaces tree such as /opt/kasm/current/conf/nginx, an nginx.conf
tree, or loose files) for what nginx would refuse and what weakens the proxy. Paths are files or folders
(default: the current folder).

Options:
  --format text|json|sarif   output format (default: text)
  --fix                      apply the safe fixes, then report what is left
  --unsafe-fixes             with --fix, apply the preferred fix even when it changes behaviour
  --map FROM=TO              read the config's path FROM (e.g. /etc/nginx/conf.d) from the folder TO; repeatable
  --config FILE              settings file to use instead of the nearest .kasmlintrc.json
  --nginx-version VERSION    nginx version to check against (default: 1.25.1, Kasm's)
  --nginx-edition oss|plus   open-source nginx (default) or NGINX Plus
  --preset PRESET            severities: kasm-default, kasm-hardened or nginx-recommended (default: kasm-default
                             for a Kasm tree, nginx-recommended otherwise, unless .kasmlintrc.json names one)
  --details                  print under each finding why it matters and what its fixes do
  --min-severity LEVEL       report LEVEL and above: error, warning, information (default) or hint
  --quiet                    report errors only (--min-severity error)
  --exit-zero                exit 0 even when problems are found
  --no-color                 plain text output
  -h, --help                 this help
  -v, --version              the version

Exit status: 0 when nothing at warning level or above was found, 1 when something was, 2 on bad usage,
an unreadable path or an invalid settings file.

format rewrites the white space of NGINX files (files, or the NGINX files under folders) and nothing
nginx reads, with the indentation their .editorconfig sets (4 spaces otherwise); a file with a syntax
error is left alone. --check writes nothing, lists the files that would change and exits 1 if any
would (2 if a file could not be read or parsed).`;


export function run(argv: string[], io: Output, cwd = process.cwd()): number | Promise<number> {
  try {
    const code = runCommand(argv, io, cwd);
    return typeof code === 'number' ? code : code.catch((error: unknown) => reportError(error, io));
  } catch (error) {
    return reportError(error, io);
  }
}

function runCommand(argv: string[], io: Output, cwd: string): number | Promise<number> {
  if (argv[0] === 'checklist') return runChecklist(argv.slice(1), io, cwd);
  if (argv[0] === 'validate') return runValidate(argv.slice(1), io, cwd);
  const parsed = parseCommandLine(argv, {
    format: { type: 'string', default: 'text' },
    fix: { type: 'boolean', default: false },
    'unsafe-fixes': { type: 'boolean', default: false },
    map: { type: 'string', multiple: true, default: [] },
    config: { type: 'string' },
    'nginx-version': { type: 'string' },
    'nginx-edition': { type: 'string' },
    preset: { type: 'string' },
    details: { type: 'boolean', default: false },
    'min-severity': { type: 'string', default: 'information' },
    quiet: { type: 'boolean', short: 'q', default: false },
    'exit-zero': { type: 'boolean', default: false },
    'no-color': { type: 'boolean', default: false },
    check: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
    version: { type: 'boolean', short: 'v', default: false },
    write: { type: 'string' },
  });
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(`${USAGE}\n`);
    return 0;
  }
  if (values.version) {
    io.out(`kasmlint ${TOOL_VERSION}\n`);
    return 0;
  }

  const [command, ...rest] = positionals;
  if (command === 'explain') return explain(rest, io);
  if (command === 'rules') {
    io.out(`${'rule'.padEnd(36)} ${PRESETS.map((p) => p.padEnd(18)).join(' ')} summary\n`);
    for (const rule of RULES) io.out(`${rule.meta.id.padEnd(36)} ${PRESETS.map((p) => presetSeverity(rule.meta, p).padEnd(18)).join(' ')} ${rule.meta.docs.summary}\n`);
    return 0;
  }
  if (command === 'docs') return writeDocs(values.write, io, cwd);
  if (command === 'ciphers') return ciphers(rest, values.format!, io);
  if (command === 'format') return formatCommand(rest.length ? rest.map((p) => resolve(cwd, p)) : [cwd], values.check!, io, cwd);
  if (values.check) throw new UsageError('--check only makes sense with format');

  const format = values.format!;
  if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`--format must be text, json or sarif, not "${format}"`);
  if (values['unsafe-fixes'] && !values.fix) throw new UsageError('--unsafe-fixes only makes sense with --fix');
  const minSeverity = values.quiet ? 'error' : values['min-severity']!;
  if (!(minSeverity in SEVERITY_ORDER)) throw new UsageError(`--min-severity must be error, warning, information or hint, not "${minSeverity}"`);

  const mappings = values.map!.map((m) => {
    const eq = m.indexOf('=');
    if (eq <= 0 || eq === m.length - 1) throw new UsageError(`--map takes FROM=TO, not "${m}"`);
    const from = m.slice(0, eq);
    if (!isAbsolute(from)) throw new UsageError(`--map: FROM must be an absolute path as the config names it, not "${from}"`);
    return { from: from.length > 1 ? from.replace(/\/+$/, '') : from, to: resolve(cwd, m.slice(eq + 1)) };
  });
  const nginxVersion = values['nginx-version'];
  if (nginxVersion !== undefined && !/^\d+\.\d+\.\d+$/.test(nginxVersion)) {
    throw new UsageError(`--nginx-version takes a version such as 1.25.1, not "${nginxVersion}"`);
  }
  const nginxEdition = values['nginx-edition'];
  if (nginxEdition !== undefined && nginxEdition !== 'oss' && nginxEdition !== 'plus') {
    throw new UsageError(`--nginx-edition takes oss or plus, not "${nginxEdition}"`);
  }
  const preset = values.preset;
  if (preset !== undefined && !PRESETS.includes(preset as Preset)) throw new UsageError(`--preset must be ${PRESETS.join(', ')}, not "${preset}"`);
  const adjust = (settings: Settings): Settings => ({
    ...settings,
    pathMappings: [...mappings, ...settings.pathMappings],
    nginxVersion: nginxVersion ?? settings.nginxVersion,
    nginxEdition: nginxEdition ?? settings.nginxEdition,
    preset: (preset as Preset | undefined) ?? settings.preset,
  });

  const host = new NodeFileHost();
  const options: LintOptions = { host, configFile: values.config ? resolve(cwd, values.config) : undefined, adjust };
  const paths = (positionals.length ? positionals : ['.']).map((p) => resolve(cwd, p));

  let findings: Finding[];
  let fileCount: number;
  let internalErrors: string[];
  let unwritten = false;
  if (values.fix) {
    const outcome = fixPaths(paths, { ...options, unsafe: values['unsafe-fixes']! });
    for (const [file, count] of outcome.fixedFiles) io.err(`fixed ${count} problem${count === 1 ? '' : 's'} in ${displayPath(file, cwd)}\n`);
    for (const error of outcome.errors) io.err(`kasmlint: ${error}\n`);
    unwritten = outcome.errors.length > 0;
    if (outcome.applied === 0 && outcome.errors.length === 0) io.err('nothing to fix automatically\n');
    findings = outcome.run.findings;
    fileCount = outcome.run.files.length;
    internalErrors = outcome.run.analyses.flatMap((a) => a.internalErrors);
  } else {
    const lint = lintPaths(paths, options);
    findings = lint.findings;
    fileCount = lint.files.length;
    internalErrors = lint.analyses.flatMap((a) => a.internalErrors);
  }
  for (const error of internalErrors) io.err(`kasmlint: ${error}\n`);

  const shown = findings.filter((f) => SEVERITY_ORDER[f.severity] <= SEVERITY_ORDER[minSeverity as Severity]);
  if (format === 'json') io.out(formatJson(shown));
  else if (format === 'sarif') io.out(formatSarif(shown, cwd));
  else {
    io.out(formatText(shown, cwd, { color: io.isTTY && !values['no-color'] && !process.env.NO_COLOR, details: values.details! }));
    const hidden = findings.length - shown.length;
    const more = hidden > 0 && !values.quiet ? ` (${hidden} below ${minSeverity} not shown: --min-severity hint shows all)` : '';
    const details = !values.details && shown.some((f) => f.detail) ? ' --details says why each matters.' : '';
    io.err(`${summary(shown, fileCount)}${more}${details}\n`);
  }

  if (unwritten) return 2; // a fix that could not be written is a failure, --exit-zero or not
  if (values['exit-zero']) return 0;
  return findings.some((f) => SEVERITY_ORDER[f.severity] <= SEVERITY_ORDER.warning) ? 1 : 0;
}

/** What OpenSSL 3.0 makes of a cipher string, as `openssl ciphers -v` prints it. */
function ciphers(args: string[], format: string, io: Output): number {
  if (args.length !== 1) throw new UsageError("ciphers takes one cipher string, for example: kasmlint ciphers 'HIGH:!aNULL:!MD5'");
  if (format !== 'text' && format !== 'json') throw new UsageError('ciphers prints --format text or json');
  const expansion = expandCipherString(args[0]!);
  if (!expansion.ok) {
    io.err(`Error in cipher list: ${expansion.error}\n`);
    return 1;
  }
  if (format === 'json') io.out(`${JSON.stringify(expansion.ciphers.map(columns), null, 2)}\n`);
  else io.out(expansion.ciphers.map((c) => `${describe(c)}\n`).join(''));
  return 0;
}

function formatCommand(paths: string[], check: boolean, io: Output, cwd: string): number {
  const outcome = formatPaths(new NodeFileHost(), paths, check);
  for (const path of outcome.changed) (check ? io.out : io.err)(`${check ? 'would format' : 'formatted'} ${displayPath(path, cwd)}\n`);
  for (const error of outcome.errors) io.err(`kasmlint: ${error}\n`);
  const files = (n: number) => `${n} file${n === 1 ? '' : 's'}`;
  io.err(`${files(outcome.changed.length)} ${check ? 'would be formatted' : 'formatted'}, ${files(outcome.unchanged)} already formatted${outcome.errors.length ? `, ${files(outcome.errors.length)} not formatted` : ''}\n`);
  if (outcome.errors.length > 0) return 2;
  return check && outcome.changed.length > 0 ? 1 : 0;
}

function explain(args: string[], io: Output): number {
  const id = args[0];
  if (!id) throw new UsageError('explain takes a rule id, for example: kasmlint explain nginx/duplicate-location');
  const rule = RULES_BY_ID.get(id);
  if (!rule) throw new UsageError(`no rule "${id}" (kasmlint rules lists them)`);
  io.out(renderRuleDoc(rule));
  return 0;
}

export const SCHEMA_PATH = 'schemas/kasmlintrc.schema.json';
const TUNNEL_SCHEMA_PATH = 'schemas/cloudflared.schema.json';

/** Writes docs/rules/<family>/<name>.md for every rule, and the settings schema (npm run docs). */
function writeDocs(dir: string | undefined, io: Output, cwd: string): number {
  if (!dir) throw new UsageError('docs takes --write <folder>');
  const root = resolve(cwd, dir);
  for (const rule of RULES) {
    const path = join(root, ruleDocPath(rule.meta.id));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, renderRuleDoc(rule));
  }
  writeFileSync(join(root, 'README.md'), renderRuleIndex(RULES));
  const schema = resolve(cwd, SCHEMA_PATH);
  mkdirSync(dirname(schema), { recursive: true });
  writeFileSync(schema, `${JSON.stringify(settingsSchema(RULES), null, 2)}\n`);
  writeFileSync(resolve(cwd, TUNNEL_SCHEMA_PATH), `${JSON.stringify(tunnelSchema(), null, 2)}\n`);
  io.out(`wrote ${RULES.length} rule pages to ${displayPath(root, cwd)}, ${SCHEMA_PATH} and ${TUNNEL_SCHEMA_PATH}\n`);
  return 0;
}

/** The command line of this process, on its standard streams; its exit status once it is done. */
export function main(): Promise<number> {
  // Output piped into `head` and closed early is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  const code = run(process.argv.slice(2), {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    isTTY: process.stdout.isTTY === true,
  });
  return Promise.resolve(code).then((c) => (process.exitCode = c));
}

// dist/kasmlint.js (cli/launcher.ts) loads this bundle and calls main(); run directly, it starts itself
if (require.main === module) void main();
