// ngx_http_rewrite_module's handlers (http/modules/ngx_http_rewrite_module.c): `return`, `rewrite`,
// `if` and `set`, with the messages they give; and the script compilation of the values they take.

import type { Token } from '../../nginx/ast';
import type { ConfigDirective } from '../../model/config';
import { pcreError } from '../pcre';
import type { Handler, HandlerEnv, HandlerError } from '../handler';
import { insideToken } from '../handler';
import { compileScript } from '../script';
import { variableScope } from '../variable-uses';
import { isBuiltinUnchangeable } from '../variables';

/** The error nginx gives when compiling a value with variables (ngx_http_script_compile), if any. */
export function scriptError(token: Token): HandlerError | undefined {
  if (!token.value.includes('$')) return undefined;
  const { error } = compileScript(token.value);
  if (!error) return undefined;
  return {
    message: error.message,
    at: insideToken(token, error.offset, token.value.length),
    explain: 'A variable is written `$name` or `${name}`, with letters, digits and `_` only; write `\\$` or use a variable for a literal dollar sign.',
  };
}

const CODE_EXPLAIN =
  'return takes a status code (0 to 999) optionally followed by a text or URL, or a single URL starting with http://, https:// or $scheme.';

export const returnHandler: Handler = (directive) => {
  const { node } = directive;
  const first = node.args[0]!;
  // stream's return sends its one argument, a text with variables (ngx_stream_return_module.c)
  if (variableScope(directive)?.family === 'stream') return scriptError(first);
  const code = /^[0-9]+$/.test(first.value) ? Number(first.value) : Number.NaN;
  if (Number.isNaN(code)) {
    const url = node.args.length === 1 && /^(http:\/\/|https:\/\/|\$scheme)/.test(first.value);
    if (!url) return { message: `invalid return code "${first.value}"`, at: first, explain: CODE_EXPLAIN };
    return scriptError(first);
  }
  if (code > 999) return { message: `invalid return code "${first.value}"`, at: first, explain: CODE_EXPLAIN };
  return node.args[1] ? scriptError(node.args[1]) : undefined;
};

const FLAGS = new Set(['last', 'break', 'redirect', 'permanent']);

export const rewriteHandler: Handler = ({ node }) => {
  const [pattern, replacement, flag] = node.args;
  if (replacement!.value === '') return { message: 'empty replacement', at: replacement, explain: 'rewrite needs a replacement URI.' };
  // ngx_http_rewrite compiles the regex next: an error there is nginx/invalid-regex's, found first
  if (pcreError(pattern!.value)) return undefined;
  // then it reads the flag, before it compiles the replacement (ngx_http_rewrite_module.c)
  if (flag && !FLAGS.has(flag.value)) {
    return { message: `invalid parameter "${flag.value}"`, at: flag, explain: 'The last argument of rewrite is a flag: last, break, redirect or permanent.' };
  }
  return scriptError(replacement!);
};

const IF_EXPLAIN =
  'An if condition is `($variable)`, `($variable = value)`, `($variable != value)`, `($variable ~ regex)` (also `~*`, `!~`, `!~*`), ' +
  'or `(-f file)` (also -d, -e, -x and their negations with !), with spaces around the operator.';

/** One word of the condition, as the handler sees it once `(` and `)` are taken off. */
interface Word {
  text: string;
  token: Token;
}

export const ifHandler: Handler = ({ node }) => {
  const words: Word[] = node.args.map((token) => ({ text: token.value, token }));
  const invalid = (word: Word): HandlerError => ({ message: `invalid condition "${word.text}"`, at: word.token, explain: IF_EXPLAIN });
  const first = words[0]!;
  if (!first.text.startsWith('(')) return invalid(first);
  let cur = 0;
  if (first.text.length === 1) cur = 1;
  else first.text = first.text.slice(1);
  let last = words.length - 1;
  const end = words[last]!;
  if (!end.text.endsWith(')')) return invalid(end);
  if (end.text.length === 1) last--;
  else end.text = end.text.slice(0, -1);
  const subject = words[cur] ?? words[words.length - 1]!;
  const p = subject.text;
  if (p.length > 1 && p.startsWith('$')) {
    if (cur !== last && cur + 2 !== last) return invalid(subject);
    if (cur === last) return undefined;
    const operator = words[cur + 1]!;
    const operand = words[last]!;
    if (operator.text === '=' || operator.text === '!=') return scriptError(operand.token);
    if (['~', '~*', '!~', '!~*'].includes(operator.text)) return undefined; // a regex: nginx/invalid-regex
    return { message: `unexpected "${operator.text}" in condition`, at: operator.token, explain: IF_EXPLAIN };
  }
  if ((p.length === 2 && p[0] === '-') || (p.length === 3 && p.startsWith('!-'))) {
    if (cur + 1 !== last) return invalid(subject);
    const test = p[p.length - 1]!;
    if (!'fdex'.includes(test)) return invalid(subject);
    return scriptError(words[last]!.token);
  }
  return invalid(subject);
};

/**
 * The variable a directive creates (set, auth_request_set, map, geo, split_clients): written with its
 * `$`, and not one of nginx's own that cannot be changed (ngx_http_add_variable).
 */
export function createdVariableError(directive: ConfigDirective, token: Token, env: HandlerEnv): HandlerError | undefined {
  if (!token.value.startsWith('$')) return { message: `invalid variable name "${token.value}"`, at: token, explain: `${directive.node.name} takes a variable, written with its $.` };
  const bare = token.value.slice(1);
  if (bare === '') return { message: 'invalid variable name "$"', at: token, explain: `${directive.node.name} takes a variable, written with its $.` };
  if (isBuiltinUnchangeable(bare, env.catalog.version, directive.parent.context.startsWith('stream') ? 'stream' : 'http', env.catalog.edition)) {
    return { message: `the duplicate "${bare}" variable`, at: token, explain: `$${bare} is one of nginx's own variables, which ${directive.node.name} cannot redefine; choose another name.` };
  }
  return undefined;
}

/** auth_request_set $name value; map source $name {...}; geo [source] $name {...}; split_clients source $name {...}. */
export const variableCreatingHandler: Handler = (directive, env) => {
  const { node } = directive;
  const index = node.name === 'geo' ? node.args.length - 1 : node.name === 'auth_request_set' ? 0 : 1;
  const created = createdVariableError(directive, node.args[index]!, env);
  if (created) return created;
  if (node.name === 'geo' && node.args.length === 2 && !node.args[0]!.value.startsWith('$')) {
    return { message: `invalid variable name "${node.args[0]!.value}"`, at: node.args[0], explain: 'geo reads the address from a variable, written with its $.' };
  }
  const compiled = node.name === 'auth_request_set' ? node.args[1] : node.name === 'geo' ? undefined : node.args[0];
  return compiled ? scriptError(compiled) : undefined;
};

export const setHandler: Handler = (directive, env) => {
  const { node } = directive;
  const [name, value] = node.args as [Token, Token];
  return createdVariableError(directive, name, env) ?? scriptError(value);
};
