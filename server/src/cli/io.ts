// What every command of the CLI shares: where it writes, its command line, and the errors that mean
// bad usage or bad input (exit 2).

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InputError } from '../engine/lint';
import { SettingsError } from '../engine/settings';

export class UsageError extends Error {}

export interface Output {
  out(text: string): void;
  err(text: string): void;
  isTTY: boolean;
}

/** A command's options and positional arguments; an unknown or malformed option is a UsageError. */
export function parseCommandLine<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, allowPositionals: true, options });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Bad usage, an unreadable input or invalid settings: said on stderr, exit 2. Anything else is a bug and goes on. */
export function reportError(error: unknown, io: Output): number {
  if (error instanceof UsageError) {
    io.err(`kasmlint: ${error.message}\nRun "kasmlint --help" for usage.\n`);
    return 2;
  }
  if (error instanceof SettingsError || error instanceof InputError) {
    io.err(`kasmlint: ${error.message}\n`);
    return 2;
  }
  throw error;
}
