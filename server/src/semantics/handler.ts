// What nginx's directive handlers check once a directive is read (its arguments' values), as
// functions of one directive of the model. Each returns nginx's own message, where in the directive it
// is about, and our explanation; the nginx/invalid-value rule reports them.

import type { Token } from '../nginx/ast';
import type { ConfigDirective, ConfigModel } from '../model/config';
import type { DirectiveCatalog } from '../nginx/directives';

export interface HandlerError {
  /** nginx's message, as `nginx -t` prints it before " in file:line". */
  message: string;
  /** The part of the directive it is about (an argument, or a span inside one); the name when absent. */
  at?: Token | { start: number; end: number };
  /** Why nginx refuses it and what it accepts, in our words. */
  explain: string;
  /** Found once the http or stream block holding the directive is read (named at the directive's line). */
  atBlockEnd?: boolean;
  /** Found when nginx reads a later directive, of this position in reading order (named at this directive's line). */
  foundAt?: number;
}

export interface HandlerEnv {
  model: ConfigModel;
  catalog: DirectiveCatalog;
}

export type Handler = (directive: ConfigDirective, env: HandlerEnv) => HandlerError | undefined;

/** A span inside an argument token: from `from` to `to` characters of its text as written. */
export function insideToken(token: Token, from: number, to: number): { start: number; end: number } {
  const first = token.start + (token.quote ? 1 : 0);
  const last = token.end - (token.quote ? 1 : 0);
  return { start: Math.min(first + from, last), end: Math.min(first + to, last) };
}
