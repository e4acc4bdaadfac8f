// Logging directives (http/modules/ngx_http_log_module.c and stream/ngx_stream_log_module.c:
// log_format, access_log; core/ngx_log.c: error_log levels). A log format is looked up when access_log
// is read, so it must be defined before, in the same http or stream block ("combined" is predefined in
// http; stream has no format of its own, so its access_log names one).

import { addTo } from '../../core/maps';
import { type ConfigBlock, type ConfigDirective, modelMemoKey } from '../../model/config';
import { versionNumber } from '../../nginx/directives';
import type { Token } from '../../nginx/ast';
import type { Handler, HandlerEnv, HandlerError } from '../handler';
import { insideToken } from '../handler';
import { hasVariables, parseSize, parseTime } from '../values';
import { variableScope } from '../variable-uses';
import { scriptError } from './rewrite';

/** The http or stream block whose log formats a directive sees. */
function logScope(directive: ConfigDirective): ConfigBlock | undefined {
  return variableScope(directive)?.block;
}

/** The modules with log_format and access_log. */
const LOGGING = /^(http|stream)/;

interface LogFormat {
  seq: number;
  name: string;
  scope: ConfigBlock | undefined;
}

const LOG_FORMATS = modelMemoKey<Map<string, LogFormat[]>>('log formats by name');

/**
 * Every log_format of a model by its name in lower case, in reading order (computed once per model:
 * a configuration with thousands of formats and access logs looks each up among its namesakes only).
 */
function logFormats(env: HandlerEnv): Map<string, LogFormat[]> {
  return env.model.memo(LOG_FORMATS, () => {
    const byName = new Map<string, LogFormat[]>();
    for (const d of env.model.named('log_format')) {
      const name = d.node.args[0]?.value;
      if (name !== undefined) addTo(byName, name.toLowerCase(), { seq: d.seq, name, scope: logScope(d) });
    }
    return byName;
  });
}

/**
 * Whether a log format of this name is defined before `directive` in its http block ("combined" is
 * nginx's own there) or stream block: by its exact name as log_format compares them, or whatever its
 * case as access_log looks them up (ngx_strcmp and ngx_strcasecmp in ngx_http_log_module.c).
 */
function definedBefore(directive: ConfigDirective, env: HandlerEnv, name: string, anyCase: boolean): boolean {
  const scope = logScope(directive);
  if (scope?.context !== 'stream' && (anyCase ? name.toLowerCase() === 'combined' : name === 'combined')) return true;
  return (logFormats(env).get(name.toLowerCase()) ?? []).some((f) => f.seq < directive.seq && f.scope === scope && (anyCase || f.name === name));
}

/** ngx_http_log_compile_format's own reading of `$name` in a format string. */
function formatStringError(directive: ConfigDirective): HandlerError | undefined {
  const args = directive.node.args;
  for (const token of args.slice(1)) {
    const text = token.value;
    for (let i = 0; i < text.length; i++) {
      if (text[i] !== '$') continue;
      const dollar = i;
      let j = i + 1;
      const bracket = text[j] === '{';
      if (bracket) j++;
      const start = j;
      while (j < text.length && /[A-Za-z0-9_]/.test(text[j]!)) j++;
      if (bracket && text[j] !== '}') {
        return { message: `the closing bracket in "${text.slice(start, j)}" variable is missing`, at: insideToken(token, dollar, text.length), explain: 'Close ${name} with "}".' };
      }
      if (j === start) return { message: `invalid parameter "${text.slice(dollar)}"`, at: insideToken(token, dollar, text.length), explain: 'A "$" in a log format must start a variable name; nginx has no escape for a literal "$" here.' };
      i = bracket ? j : j - 1;
    }
  }
  return undefined;
}

export const logFormatHandler: Handler = (directive, env) => {
  if (!LOGGING.test(directive.parent.context)) return undefined;
  const [name, first] = directive.node.args;
  if (definedBefore(directive, env, name!.value, false)) {
    return { message: `duplicate "log_format" name "${name!.value}"`, at: name, explain: `A log format is defined once ("combined" is nginx's own).` };
  }
  if (first?.value.startsWith('escape=') && versionNumber(env.catalog.version) >= versionNumber('1.11.8')) {
    const escape = first.value.slice(7);
    const known = versionNumber(env.catalog.version) >= versionNumber('1.13.10') ? ['default', 'json', 'none'] : ['default', 'json'];
    if (!known.includes(escape)) return { message: `unknown log format escaping "${escape}"`, at: first, explain: `escape= takes ${known.join(', ')}.` };
  }
  return formatStringError(directive);
};

export const accessLogHandler: Handler = (directive, env) => {
  if (!LOGGING.test(directive.parent.context)) return undefined;
  const args = directive.node.args;
  const target = args[0]!;
  if (target.value === 'off') {
    return args[1] ? { message: `invalid parameter "${args[1].value}"`, at: args[1], explain: '"access_log off" takes nothing else.' } : undefined;
  }
  if (!target.value.startsWith('syslog:')) {
    const path = scriptError(target);
    if (path) return path;
  } else {
    const syslog = syslogError(target);
    if (syslog) return syslog;
  }
  if (!args[1] && logScope(directive)?.context === 'stream') {
    return { message: 'log format is not specified', at: target, explain: 'stream has no default log format: name one defined by log_format (access_log path format).' };
  }
  const format = args[1]?.value ?? 'combined';
  if (!definedBefore(directive, env, format, true)) {
    const later = (logFormats(env).get(format.toLowerCase()) ?? []).some((f) => f.seq > directive.seq);
    const explain = later
      ? `The log_format "${format}" is defined after this access_log: nginx looks formats up as it reads, so define it first.`
      : /=/.test(format)
        ? `The second argument of access_log is the format's name; "${format}" reads as one (parameters come after the format: access_log path combined ${format}).`
        : `No log_format named "${format}" is defined before this line ("combined" is nginx's own).`;
    return { message: `unknown log format "${format}"`, at: args[1] ?? target, explain };
  }
  let buffered = false;
  let flush: Token | undefined;
  for (const token of args.slice(2)) {
    const word = token.value;
    if (word.startsWith('buffer=')) {
      const size = parseSize(word.slice(7));
      if (!size) return { message: `invalid buffer size "${word.slice(7)}"`, at: token, explain: 'buffer= takes a size (k, m).' };
      buffered = true;
      continue;
    }
    if (word.startsWith('flush=')) {
      const time = parseTime(word.slice(6), false);
      if (!time) return { message: `invalid flush time "${word.slice(6)}"`, at: token, explain: 'flush= takes a time.' };
      flush = token;
      continue;
    }
    if (word === 'gzip' || word.startsWith('gzip=')) {
      buffered = true; // gzip writes through a buffer of 64k unless buffer= sets one
      if (word.length > 4) {
        const level = /^[0-9]+$/.test(word.slice(5)) ? Number(word.slice(5)) : -1;
        if (level < 1 || level > 9) return { message: `invalid compression level "${word.slice(5)}"`, at: token, explain: 'gzip= takes a level from 1 to 9.' };
      }
      continue;
    }
    if (word.startsWith('if=')) continue;
    return { message: `invalid parameter "${word}"`, at: token, explain: 'After the format, access_log takes buffer=, gzip[=level], flush= and if=.' };
  }
  // checked once the parameters are read (ngx_http_log_set_log, and stream's twin)
  if (flush && !buffered) return { message: `no buffer is defined for access_log "${target.value}"`, at: flush, explain: 'flush= says how long buffered lines may wait: it needs buffer= (or gzip).' };
  if (buffered && hasVariables(target.value)) {
    return { message: 'buffered logs cannot have variables in name', at: target, explain: 'A log file named with variables is opened for each line, so its lines cannot be buffered: drop buffer= and gzip, or name one file.' };
  }
  if (buffered && target.value.startsWith('syslog:')) return { message: 'logs to syslog cannot be buffered', at: target, explain: 'Each line goes to syslog as one message: drop buffer= and gzip.' };
  return undefined;
};

const LEVELS = ['emerg', 'alert', 'crit', 'error', 'warn', 'notice', 'info', 'debug'];
const DEBUG_LEVELS = ['debug_core', 'debug_alloc', 'debug_mutex', 'debug_event', 'debug_http', 'debug_mail', 'debug_stream'];

/** error_log FILE [LEVEL...] (ngx_log_set_levels). */
export const errorLogHandler: Handler = ({ node }) => {
  const syslog = node.args[0]?.value.startsWith('syslog:') ? syslogError(node.args[0]) : undefined;
  if (syslog) return syslog;
  let level = false;
  for (const token of node.args.slice(1)) {
    const word = token.value;
    if (LEVELS.includes(word)) {
      if (level) return { message: `duplicate log level "${word}"`, at: token, explain: 'error_log takes one level.' };
      level = true;
      continue;
    }
    if (DEBUG_LEVELS.includes(word)) continue;
    return { message: `invalid log level "${word}"`, at: token, explain: `The level is one of ${LEVELS.join(', ')}.` };
  }
  return undefined;
};

/** syslog's facilities and severities as nginx names them (nginx 1.22.1 src/core/ngx_syslog.c:23 and :31). */
const FACILITIES = ['kern', 'user', 'mail', 'daemon', 'auth', 'intern', 'lpr', 'news', 'uucp', 'clock', 'authpriv', 'ftp', 'ntp', 'audit', 'alert', 'cron', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7'];
const SEVERITIES = ['emerg', 'alert', 'crit', 'error', 'warn', 'notice', 'info', 'debug'];

/**
 * The parameters of a "syslog:" log, as ngx_syslog_parse_args reads them, comma by comma (ngx_syslog.c:99):
 * each once, known facilities and severities, a tag of at most 32 letters, digits and "_", and a
 * server. The server's address is not looked up here (a host name is the machine's to resolve).
 */
export function syslogError(target: Token): HandlerError | undefined {
  const explain = 'A syslog log takes server=ADDRESS[:PORT], and optionally facility=, severity=, tag= and nohostname, separated by commas.';
  const seen = new Set<string>();
  for (const param of target.value.slice('syslog:'.length).split(',')) {
    const eq = param.indexOf('=');
    const name = eq > 0 ? param.slice(0, eq) : param;
    const value = param.slice(eq + 1);
    const known = ['server', 'facility', 'severity', 'tag'].includes(name) && eq > 0;
    if (!known && param !== 'nohostname') return { message: `unknown syslog parameter "${param}"`, at: target, explain };
    if (!known) continue;
    if (seen.has(name)) return { message: `duplicate syslog "${name}"`, at: target, explain };
    seen.add(name);
    if (name === 'facility' && !FACILITIES.includes(value)) return { message: `unknown syslog facility "${value}"`, at: target, explain: `The facility is one of ${FACILITIES.join(', ')}.` };
    if (name === 'severity' && !SEVERITIES.includes(value)) return { message: `unknown syslog severity "${value}"`, at: target, explain: `The severity is one of ${SEVERITIES.join(', ')}.` };
    if (name === 'tag' && value.length > 32) return { message: 'syslog tag length exceeds 32', at: target, explain: 'A syslog tag has at most 32 characters (RFC 3164).' };
    if (name === 'tag' && !/^[A-Za-z0-9_]*$/.test(value)) return { message: 'syslog "tag" only allows alphanumeric characters and underscore', at: target, explain: 'A syslog tag has letters, digits and "_" only (RFC 3164).' };
  }
  if (!seen.has('server')) return { message: 'no syslog server specified', at: target, explain };
  return undefined;
}
