// dist/kasmlint.js: starts the CLI's bundle (dist/kasmlint-cli.js) with V8's code cache (code-cache.ts),
// so that a `kasmlint` run in CI or in a terminal does not compile the same bundle again each time.

import { join } from 'node:path';
import { loadWithCodeCache } from './code-cache';

/** A digest of dist/kasmlint-cli.js, written in by scripts/build.mjs. */
declare const KASMLINT_CLI_DIGEST: string;

/** Commands that run little of the bundle: a cache written after them would lack the lint's code. */
const LIGHT_COMMANDS = new Set(['explain', 'rules', 'ciphers', '-h', '--help', '-v', '--version']);

const bundle = loadWithCodeCache(join(__dirname, 'kasmlint-cli.js'), KASMLINT_CLI_DIGEST);
const { main } = bundle.exports as { main: () => Promise<number> };
void main().then(() => {
  if (!LIGHT_COMMANDS.has(process.argv[2] ?? '')) bundle.save();
});
