// How nginx compiles a value holding variables (ngx_http_script_compile, http/ngx_http_script.c):
// `$name`, `${name}`, regex captures `$1`..`$9`. Gives the variables a value refers to and the error
// nginx reports when it cannot compile it.

import { TextMemo } from '../core/maps';

export interface VariableReference {
  /** The name as written (nginx compares names without case). */
  name: string;
  /** Offsets inside the value: the `$` and after the name (or `}`). */
  start: number;
  end: number;
}

export interface CompiledScript {
  variables: VariableReference[];
  /** Regex captures used ($1..$9). */
  captures: number[];
  error?: { message: string; offset: number };
}

const WORD = /[A-Za-z0-9_]/;

const NO_VARIABLES: CompiledScript = Object.freeze({ variables: [], captures: [] }) as CompiledScript;

/**
 * Values compiled before, kept across analyses (the server analyses on every keystroke, and generated
 * configurations repeat their values): emptied when it grows past a bound. Results are shared: read only.
 */
const compiled = new TextMemo<CompiledScript>(5_000, 256);

export function compileScript(value: string): CompiledScript {
  if (!value.includes('$')) return NO_VARIABLES;
  return compiled.get(value, () => compile(value));
}

function compile(value: string): CompiledScript {
  const variables: VariableReference[] = [];
  const captures: number[] = [];
  let i = 0;
  while (i < value.length) {
    if (value[i] !== '$') {
      i++;
      continue;
    }
    const dollar = i;
    if (++i === value.length) return { variables, captures, error: { message: 'invalid variable name', offset: dollar } };
    const first = value[i]!;
    if (first >= '1' && first <= '9') {
      captures.push(Number(first));
      i++;
      continue;
    }
    let bracket = false;
    if (first === '{') {
      bracket = true;
      if (++i === value.length) return { variables, captures, error: { message: 'invalid variable name', offset: dollar } };
    }
    const nameStart = i;
    let nameEnd = i;
    for (; i < value.length; i++) {
      const ch = value[i]!;
      if (ch === '}' && bracket) {
        nameEnd = i;
        i++;
        bracket = false;
        break;
      }
      if (!WORD.test(ch)) break;
      nameEnd = i + 1;
    }
    if (bracket) {
      return { variables, captures, error: { message: `the closing bracket in "${value.slice(nameStart, i)}" variable is missing`, offset: dollar } };
    }
    const name = value.slice(nameStart, nameEnd);
    if (name.length === 0) return { variables, captures, error: { message: 'invalid variable name', offset: dollar } };
    variables.push({ name, start: dollar, end: i });
  }
  return { variables, captures };
}
