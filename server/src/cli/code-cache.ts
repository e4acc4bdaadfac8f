// Loading the CLI's bundle with V8's code cache: compiling the 2.7 MB bundle and then, lazily, each
// function a lint runs costs a fresh `kasmlint` process about 50 ms of its 240 on the Kasm tree. The
// bytecode of the first run is kept in a folder of the user's and handed back to V8 by the next.
//
// Only a folder the user alone can write is read (bytecode from anyone else would be code run as the
// user). Each file is named by the Node version, a digest of the bundle made when it was built, and the
// bundle's size and time of change (V8 itself checks only the text's length: the bytecode of another
// bundle of the same length would run), is written whole (a temporary file renamed) and is thrown away
// by V8 when its version or flags differ: the worst a stale cache can do is cost the compile it saves.
// KASMLINT_CODE_CACHE=off loads the bundle as `require` does.

import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

/** What became of the cache: used, none yet or rejected by V8 (then written by save()), or no private folder for it. */
export type CacheOutcome = 'used' | 'missing' | 'rejected' | 'written' | 'off';

/**
 * Where the cache lives: KASMLINT_CACHE_DIR, else the platform's per-user cache folder; none when
 * KASMLINT_CODE_CACHE=off, and none in CI (CI set) without KASMLINT_CACHE_DIR: a CI job in a fresh
 * container would pay for writing a cache (20-30 ms) that no later run reads.
 */
export function cacheFolder(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.KASMLINT_CODE_CACHE === 'off') return undefined;
  if (env.KASMLINT_CACHE_DIR) return env.KASMLINT_CACHE_DIR;
  if (env.CI && env.CI !== 'false' && env.CI !== '0') return undefined;
  if (process.platform === 'win32') return env.LOCALAPPDATA ? join(env.LOCALAPPDATA, 'kasmlint', 'Cache') : undefined;
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'kasmlint');
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'kasmlint');
}

/** The folder, made if missing, when only this user can write it. */
function privateFolder(folder: string): boolean {
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const stat = statSync(folder);
    if (!stat.isDirectory()) return false;
    if (process.platform === 'win32') return true;
    return stat.uid === process.getuid?.() && (stat.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

/** Older caches of the same bundle kept besides the newest (another installed version, another Node). */
const KEEP = 3;

function prune(folder: string, prefix: string, keep: string): void {
  try {
    const others = readdirSync(folder)
      .filter((name) => name.startsWith(prefix) && name.endsWith('.cache') && name !== keep)
      .map((name) => ({ name, mtime: statSync(join(folder, name)).mtimeMs }))
      .sort((a, b) => b.mtime - a.mtime);
    for (const old of others.slice(KEEP - 1)) unlinkSync(join(folder, old.name));
  } catch {
    // a cache that cannot be tidied is still a cache
  }
}

function writeWhole(path: string, data: Buffer): void {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, data, { mode: 0o600 });
    renameSync(temporary, path);
  } catch {
    try {
      unlinkSync(temporary);
    } catch {
      // nothing was written
    }
  }
}

/** Without a cache: as `require` loads it. */
function plainLoad(bundle: string): LoadedBundle {
  return { exports: require(bundle) as Record<string, unknown>, outcome: 'off', save: () => 'off' };
}

export interface LoadedBundle {
  exports: Record<string, unknown>;
  outcome: CacheOutcome;
  /** Writes the code compiled so far for the next process, when this one found no usable cache. */
  save(): CacheOutcome;
}

/**
 * Runs a CommonJS bundle (its module code, once) with the code cache of an earlier process when there
 * is one. `digest` names the bundle's text (made when it was built); its size and time of change are
 * added to the name, so that a bundle changed since is not given the bytecode of the one before.
 */
export function loadWithCodeCache(bundle: string, digest: string, env: NodeJS.ProcessEnv = process.env): LoadedBundle {
  const folder = cacheFolder(env);
  if (folder === undefined || !privateFolder(folder)) return plainLoad(bundle);
  const source = readFileSync(bundle, 'utf8');
  const stat = statSync(bundle);
  const prefix = `${basename(bundle)}-`;
  const name = `${prefix}${process.version}-${process.arch}-${digest}-${stat.size}-${Math.trunc(stat.mtimeMs)}.cache`;
  const path = join(folder, name);

  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(path);
  } catch {
    cachedData = undefined;
  }
  const script = new Script(Module.wrap(source), { filename: bundle, cachedData });
  let outcome: CacheOutcome = cachedData === undefined ? 'missing' : script.cachedDataRejected ? 'rejected' : 'used';

  const module = new Module(bundle);
  module.filename = bundle;
  const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  run.call(module.exports, module.exports, Module.createRequire(bundle), module, bundle, dirname(bundle));
  module.loaded = true;

  return {
    exports: module.exports as Record<string, unknown>,
    get outcome() {
      return outcome;
    },
    save() {
      if (outcome === 'used' || outcome === 'written') return outcome;
      writeWhole(path, script.createCachedData());
      prune(folder, prefix, name);
      outcome = 'written';
      return outcome;
    },
  };
}
