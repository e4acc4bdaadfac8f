// Every directive handler check, by directive name. A directive without a handler of its own goes
// through the generic slot parsers (slots.ts) where the real nginx was measured to use them.

import type { DirectiveSpec } from '../../nginx/directives';
import type { ConfigDirective } from '../../model/config';
import type { Handler, HandlerEnv, HandlerError } from '../handler';
import { checkSlots } from './slots';

const HANDLERS: Record<string, Handler> = {};

/** Registers handlers (each module of handlers calls this once). */
function register(handlers: Record<string, Handler>): void {
  Object.assign(HANDLERS, handlers);
}

/** What nginx's handler of this directive refuses in it, if anything. */
export function checkDirective(directive: ConfigDirective, spec: DirectiveSpec, env: HandlerEnv): HandlerError | undefined {
  const own = HANDLERS[directive.node.name];
  return own ? own(directive, env) : checkSlots(directive, spec);
}

export { register };
