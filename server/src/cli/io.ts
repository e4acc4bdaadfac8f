// What every command of the CLI shares: where it writes, and the error that means bad usage (exit 2).

export class UsageError extends Error {}

export interface Output {
  out(text: string): void;
  err(text: string): void;
  isTTY: boolean;
}
