// Agreement with the real `nginx -t` on thousands of mutated configurations: characters deleted,
// duplicated or inserted (braces, quotes, semicolons, backslashes, comment signs, line breaks) in the
// real Kasm tree and in the valid configurations of our corpus. For each, the verdict of our nginx/*
// rules (accepted, or rejected with nginx's message at nginx's file and line) must be nginx's.
// The seed is fixed so that a disagreement can be replayed; KASMLINT_MUTATION_SEED tries others and
// KASMLINT_MUTATION_KEEP=<folder> keeps the text of each disagreement.
//
// The documented exception: errors raised by a module's own handler once a directive is parsed
// (unknown variables, invalid parameters, upstream hosts not found, PCRE errors, certificates) are
// not kasmlint's to predict. When nginx stops at one of them, kasmlint must not claim a syntax error
// that nginx would have met first (earlier in nginx's reading order); what lies after it nginx never read.

import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { test } from 'node:test';
import type { NginxVerdict as OurVerdict } from '../../server/src/engine/analyze';
import { describe, lint, ourVerdict } from '../support/engine';
import { copyKasmFixture, prepareKasmTreeForNginx } from '../support/kasm';
import { inParallel, loadModules, nginxTestAsync, nginxVersion, type NginxVerdict } from '../support/nginx';
import { seededRandom } from '../support/random';

const CORPUS = join(__dirname, '../../../test/corpus/nginx');
const SEED = Number(process.env.KASMLINT_MUTATION_SEED ?? 20261123);
const KASM_CASES = 1000;
const CORPUS_CASES = 1000;
const PIECES = ['{', '}', ';', '"', "'", '\\', '#', '$', '\n', ' ', '\t', 'a', '(', ')'];

function mutate(text: string, random: (n: number) => number): string {
  let out = text;
  for (let k = 0, count = 1 + random(3); k < count; k++) {
    const at = random(out.length + 1);
    const op = random(3);
    if (op === 0) out = out.slice(0, at) + out.slice(at + 1 + random(2));
    else if (op === 1) out = out.slice(0, at) + PIECES[random(PIECES.length)] + out.slice(at);
    else out = out.slice(0, at) + out.slice(at, at + 1 + random(12)) + out.slice(at);
  }
  return out;
}

/** The messages of nginx's parser and generic directive checks: the ones the nginx/* rules reproduce. */
const IN_SCOPE = [
  /^unexpected (end of file|"[;{}]"|end of parameter)/,
  /^unknown directive "/,
  /^"[^"]+" directive is (not allowed here|duplicate)$/,
  /^invalid number of arguments in "/,
  /^directive "[^"]+" (is not terminated by ";"|has no opening "\{")$/,
  /^too long parameter/,
  /^duplicate location "/,
  /^(location "[^"]*" is outside location|location "[^"]*" cannot be inside the (exact|named) location|named location "[^"]*" can be on the server level only)/,
  /^invalid value "[^"]*" in "[^"]+" directive, it must be "on" or "off"$/,
  /^(zero size shared memory zone|the size \d+ of shared memory zone|duplicate zone|unknown .*zone)/,
];
/** An include that cannot be opened is ours to report; a log file nginx cannot open (unlocated) is not. */
const inScope = (real: NginxVerdict) => {
  const message = real.message ?? '';
  return IN_SCOPE.some((p) => p.test(message)) || (/^open\(\) ".*" failed/.test(message) && real.file !== undefined);
};

/**
 * Disagreements found by this seed and not fixed yet (the test fails when the list changes, so that a
 * fix updates it). None: those found so far are fixed (a second events/http/stream/mail block, a
 * location nested outside its parent, the parameters of an upstream `server`, errors found when the
 * http block ends ordered before what follows it).
 */
const KNOWN = new Set<string>([]);

type Outcome = 'agree' | 'handler error, nothing earlier claimed' | 'disagree';

/** The http block nginx reads (the first one): where it checks locations and variables, at its end. */
function httpBlockEnd(dir: string): number {
  const model = lint([dir]).analyses[0]!.model;
  const root = model.roots[0];
  if (root?.block.context === 'http') return root.block.endSeq ?? Number.POSITIVE_INFINITY;
  const http = model.directives().find((d) => d.node.name === 'http' && d.block);
  return http?.block?.endSeq ?? Number.POSITIVE_INFINITY;
}

/** The reading position of the last directive that nginx has read once it is on `line` of `file`. */
function readingPosition(dir: string, file: string, line: number): number {
  let position = -1;
  for (const d of lint([dir]).analyses[0]!.model.directives()) {
    if (basename(d.file.path) === basename(file) && d.file.lines.positionAt(d.node.start).line + 1 <= line) position = Math.max(position, d.seq);
  }
  return position;
}

/**
 * Whether what kasmlint reports lies beyond where nginx stopped at a module handler's error, so that
 * nginx never read it. In one file, by line, and on nginx's line by a `;`, `{` or `}` before ours (a
 * handler runs when its directive or block ends); across files, by nginx's reading order.
 */
function beyondNginxStop(real: NginxVerdict, ours: Extract<OurVerdict, { ok: false }>, dir: string): boolean {
  if (real.file === undefined) {
    // unlocated: an unknown variable is found at the end of the http block, the rest at start-up
    return /^unknown ".*" variable$/.test(real.message ?? '') ? ours.position.foundAt > httpBlockEnd(dir) : ours.file === undefined;
  }
  if (ours.file === undefined) return true;
  // an error nginx finds after the line it names (a block's servers merged at its end): where it is found counts
  if (ours.position.foundAt > ours.position.seq) return ours.position.foundAt > readingPosition(dir, real.file, real.line ?? 0);
  if (basename(ours.file) === basename(real.file)) {
    if (ours.line! !== real.line) return ours.line! > real.line!;
    const text = readFileSync(ours.file, 'latin1');
    const lineStart = text.lastIndexOf('\n', ours.position.offset - 1) + 1;
    return /[;{}]/.test(text.slice(lineStart, ours.position.offset));
  }
  return ours.position.foundAt > readingPosition(dir, real.file, real.line ?? 0);
}

/** nginx reads the Kasm tree with its service names replaced by 127.0.0.1 (prepareKasmTreeForNginx). */
const sameHosts = (a: string, b: string) => {
  const hosts = (m: string) => m.replace(/\b(kasm_[a-z_]+|rdp_gateway|127\.0\.0\.1)\b/g, 'HOST');
  return hosts(a) === hosts(b);
};

function compare(real: NginxVerdict, ours: OurVerdict, dir: string): Outcome {
  const exact =
    real.ok || ours.ok
      ? real.ok === ours.ok
      : sameHosts(real.message ?? '', ours.message) && (real.file === undefined ? ours.file === undefined : ours.file !== undefined && basename(real.file) === basename(ours.file) && real.line === ours.line);
  if (exact) return 'agree';
  if (real.ok || inScope(real)) return 'disagree';
  // nginx stopped at a handler's error: only an error kasmlint places before it is wrong.
  if (ours.ok) return 'handler error, nothing earlier claimed';
  return beyondNginxStop(real, ours, dir) ? 'handler error, nothing earlier claimed' : 'disagree';
}

/** KASMLINT_MUTATION_KEEP=<folder>: the mutated text of each disagreement is written there. */
function keepForInvestigation(outcome: Outcome, name: string, text: string): void {
  const folder = process.env.KASMLINT_MUTATION_KEEP;
  if (folder && outcome === 'disagree') writeFileSync(join(folder, name), text);
}

/** nginx's messages with names, numbers and paths left out, counted (with up to 3 cases each): the causes of what is not agreed. */
function causes(results: ReadonlyArray<{ label: string; real: NginxVerdict }>): Array<[string, number, string[]]> {
  const counts = new Map<string, { count: number; labels: string[] }>();
  for (const { label, real } of results) {
    const cause = (real.message ?? 'accepted').replace(/"[^"]*"/g, '"…"').replace(/\d+/g, 'N');
    const entry = counts.get(cause) ?? { count: 0, labels: [] };
    entry.count++;
    if (entry.labels.length < 3) entry.labels.push(label);
    counts.set(cause, entry);
  }
  return [...counts].map(([cause, e]): [string, number, string[]] => [cause, e.count, e.labels]).sort((a, b) => b[1] - a[1]);
}

/**
 * What only the machine nginx runs on decides (host names, files, users, certificates): kasmlint stays
 * silent on these by design, so they are counted apart.
 */
const MACHINE_DEPENDENT = /^(host not found|open\(\) ".*" failed|dlopen\(\) ".*" failed|getpwnam|getgrnam|cannot load certificate|BIO_new_file|bind\(\))/;

interface Case {
  label: string;
  /** The folder we lint and the nginx.conf nginx -t reads. */
  run: () => Promise<{ real: NginxVerdict; ours: OurVerdict; outcome: Outcome }>;
}

function kasmCases(random: (n: number) => number, version: string): Case[] {
  const pristine = copyKasmFixture(mkdtempSync(join(tmpdir(), 'kasmlint-mut-kasm-')));
  // The duplicate /rpc location of the release makes nginx -t stop there: leave it out so that mutations decide.
  rmSync(join(pristine, 'services.d/rdp_https_gateway_webapp.conf'));
  const files = readdirSync(pristine, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith('.conf')).map((e) => join(e.parentPath ?? e.path, e.name));
  return Array.from({ length: KASM_CASES }, (_, i) => {
    const file = files[random(files.length)]!;
    const text = mutate(readFileSync(file, 'utf8'), random);
    return {
      label: `kasm #${i} ${relative(pristine, file)}`,
      run: async () => {
        const dir = mkdtempSync(join(tmpdir(), 'kasmlint-mut-'));
        copyKasmFixture(dir);
        rmSync(join(dir, 'services.d/rdp_https_gateway_webapp.conf'));
        writeFileSync(join(dir, relative(pristine, file)), text);
        const ready = prepareKasmTreeForNginx(dir);
        // Kasm's nginx has the stream and mail modules built in; Debian's loads them.
        writeFileSync(ready.mainConf, `${loadModules('stream', 'mail')}${readFileSync(ready.mainConf, 'utf8')}`);
        const tested = await nginxTestAsync(ready.mainConf);
        // The copy nginx reads has /etc/nginx/conf.d, the certificate and the logs mapped to its folders: name them as the config does.
        const real = tested.ok ? tested : { ...tested, message: ready.asWritten(tested.message ?? '') };
        const ours = ourVerdict(dir, version);
        const outcome = compare(real, ours, dir);
        keepForInvestigation(outcome, `kasm-${i}-${basename(file)}`, text);
        rmSync(dir, { recursive: true, force: true });
        rmSync(ready.dir, { recursive: true, force: true });
        return { real, ours, outcome };
      },
    };
  });
}

function corpusCases(random: (n: number) => number, version: string): Case[] {
  const valid = readdirSync(CORPUS).filter((n) => n.startsWith('valid-') && n.endsWith('.conf'));
  return Array.from({ length: CORPUS_CASES }, (_, i) => {
    const name = valid[random(valid.length)]!;
    const text = mutate(readFileSync(join(CORPUS, name), 'utf8'), random);
    return {
      label: `corpus #${i} ${name}`,
      run: async () => {
        const dir = mkdtempSync(join(tmpdir(), 'kasmlint-mut-'));
        writeFileSync(join(dir, 'nginx.conf'), text);
        writeFileSync(join(dir, 'nginx.conf'), text);
        // Debian's nginx loads the stream and mail modules (kasmlint knows them without load_module), unless the file does
        // (on a line of its own: a mutation may have made it part of a comment)
        const modules = (['stream', 'mail'] as const).filter((m) => !new RegExp(`^\\s*load_module\\s+\\S*ngx_${m}_module\\.so\\s*;`, 'm').test(text));
        writeFileSync(join(dir, 'modules.conf'), `${loadModules(...modules)}include ${join(dir, 'nginx.conf')};\n`);
        const real = await nginxTestAsync(join(dir, 'modules.conf'), dir);
        rmSync(join(dir, 'modules.conf'));
        const ours = ourVerdict(dir, version);
        const outcome = compare(real, ours, dir);
        keepForInvestigation(outcome, `corpus-${i}-${name}`, text);
        rmSync(dir, { recursive: true, force: true });
        return { real, ours, outcome };
      },
    };
  });
}

test(`nginx -t and kasmlint agree on ${KASM_CASES + CORPUS_CASES} mutated configurations`, { timeout: 900_000 }, async (t) => {
  const version = nginxVersion();
  const random = seededRandom(SEED);
  const cases = [...kasmCases(random, version), ...corpusCases(random, version)];
  const results = await inParallel(cases.map((c) => async () => ({ label: c.label, ...(await c.run()) })));
  const rejected = results.filter((r) => !r.real.ok).length;
  const exact = results.filter((r) => r.outcome === 'agree').length;
  const handler = results.filter((r) => r.outcome === 'handler error, nothing earlier claimed').length;
  const disagreements = results.filter((r) => r.outcome === 'disagree').map((r) => `${r.label}: nginx -t: ${describe(r.real)}; kasmlint: ${describe(r.ours)}`);
  const unknown = disagreements.filter((d) => !KNOWN.has(/^\w+ #\d+/.exec(d)![0]));
  const fixed = SEED === 20261123 ? [...KNOWN].filter((k) => !disagreements.some((d) => d.startsWith(`${k} `))) : [];
  const pct = (n: number) => `${((n / results.length) * 100).toFixed(2)}%`;
  t.diagnostic(
    `seed ${SEED}: ${results.length} mutated configurations, ${rejected} rejected by nginx -t; same verdict, message, file and line: ${exact} (${pct(exact)}); ` +
      `stopped by a module handler's error with no earlier error claimed by kasmlint: ${handler} (${pct(handler)}); disagreements: ${disagreements.length} (${pct(disagreements.length)})`,
  );
  assert.ok(rejected > results.length / 4 && rejected < results.length, 'the mutations must give both accepted and rejected configurations');
  for (const d of disagreements) t.diagnostic(`disagreement: ${d}`);
  for (const [cause, count, labels] of causes(results.filter((r) => r.outcome !== 'agree'))) t.diagnostic(`not agreed, by nginx's message: ${count} × ${cause} (${labels.join('; ')})`);
  const decidable = results.filter((r) => r.real.ok || !MACHINE_DEPENDENT.test(r.real.message ?? ''));
  const decidableExact = decidable.filter((r) => r.outcome === 'agree').length;
  t.diagnostic(`apart from what only the machine decides (${results.length - decidable.length}): ${decidableExact} of ${decidable.length} exact (${((decidableExact / decidable.length) * 100).toFixed(2)}%)`);
  assert.ok(decidableExact / decidable.length >= 0.99, 'at least 99% exact agreement where nginx decides from the text alone');
  assert.deepEqual(unknown, [], 'new disagreements with nginx -t');
  assert.deepEqual(fixed, [], 'known disagreements that are gone: remove them from KNOWN');
});

