// Property tests of the parser and the engine (fast-check): whatever the text, parsing and linting
// return, within a time bound per input, with every range inside its document, no rule failing
// internally, and fixes that converge and keep an accepted configuration accepted. The inputs are
// random text, configurations generated from the directives the rules look at, and mutations of the
// real Kasm tree and of cloudflared configs. Each property runs in a worker thread watched by the
// test (see ../support/properties.ts); KASMLINT_PROPERTY_SEED tries another seed.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { LineIndex, type Range } from '../../server/src/core/text';
import { applyTextEdits, chooseFixes, replacementEdit } from '../../server/src/engine/fix';
import type { Finding, TextEdit } from '../../server/src/engine/findings';
import { lintPaths, type LintRun } from '../../server/src/engine/lint';
import { forEachDirective, type Block, type ParsedFile } from '../../server/src/nginx/ast';
import { parseNginx } from '../../server/src/nginx/parser';
import { INGRESS_RULE_KEYS, ORIGIN_REQUEST_KEYS, TOP_LEVEL_KEYS } from '../../server/src/cloudflared/keys';
import { expandCipherString } from '../../server/src/tls/openssl';
import { certificateFiles, generatedConfig, KASM_ROOT, kasmTree, mutate, mutation, nginxText, realNginx } from '../support/generators';
import { MemoryHost } from '../support/memory-host';
import { fc, property, propertyTests } from '../support/properties';

// ---- what every run must satisfy ---------------------------------------------------------------

function assertRangeInside(range: Range, text: string | undefined, what: string): void {
  if (text === undefined) assert.fail(`${what} points into a file the engine did not read`);
  const lines = new LineIndex(text);
  for (const p of [range.start, range.end]) {
    assert.ok(p.line >= 0 && p.line < lines.lineCount, `${what}: line ${p.line} outside the ${lines.lineCount} lines`);
    const length = lines.lineText(p.line).length;
    assert.ok(p.character >= 0 && p.character <= length, `${what}: character ${p.character} outside line ${p.line} (${length} characters)`);
  }
  assert.ok(range.start.line < range.end.line || (range.start.line === range.end.line && range.start.character <= range.end.character), `${what}: range ends before it starts`);
}

function assertFindingsInside(findings: readonly Finding[], texts: ReadonlyMap<string, string>): void {
  for (const f of findings) {
    assertRangeInside(f.range, texts.get(f.file), `${f.rule} finding`);
    for (const r of f.related) assertRangeInside(r.range, texts.get(r.file), `${f.rule} related information`);
    for (const fix of f.fixes) for (const e of fix.edits) assertRangeInside(e.range, texts.get(e.file), `${f.rule} fix "${fix.title}"`);
  }
}

/** No rule threw, every range lies inside the file it names, and every text the engine read is known. */
function assertSoundRun(run: LintRun, files: ReadonlyMap<string, string>): void {
  for (const a of run.analyses) assert.deepEqual(a.internalErrors, []);
  for (const t of run.tunnels) assert.deepEqual(t.internalErrors, []);
  assertFindingsInside(run.findings, files);
}

function assertParsedInside(file: ParsedFile): void {
  const n = file.text.length;
  const inside = (start: number, end: number, what: string) => assert.ok(start >= 0 && start <= end && end <= n, `${what} [${start}, ${end}) outside [0, ${n}]`);
  for (const issue of file.issues) inside(issue.start, issue.end, `issue "${issue.message}"`);
  for (const c of file.comments) inside(c.start, c.end, 'comment');
  const blocks: Block[] = [file.root];
  forEachDirective(file.root, (d) => {
    inside(d.start, d.end, `directive ${d.name}`);
    inside(d.nameToken.start, d.nameToken.end, `name of ${d.name}`);
    for (const a of d.args) inside(a.start, a.end, `argument of ${d.name}`);
    assert.ok(d.terminatorOffset >= 0 && d.terminatorOffset <= n, `terminator of ${d.name}`);
    if (d.block) blocks.push(d.block);
  });
  for (const b of blocks) {
    if (b.owner) inside(b.open, b.close ?? n, `block of ${b.owner.name}`);
    if (b.lua) inside(b.lua.start, b.lua.end, 'Lua body');
  }
}

function lintMemory(files: ReadonlyMap<string, string>, root: string): LintRun {
  return lintPaths([root], { host: new MemoryHost(files) });
}

// ---- cloudflared -------------------------------------------------------------------------------

const GUIDE_TUNNEL = 'tunnel: <TUNNEL_ID>\ncredentials-file: /root/.cloudflared/<TUNNEL_ID>.json\n\ningress:\n  - hostname: kasm.yourdomain.com\n    service: https://localhost:443\n    originRequest:\n      noTLSVerify: true\n  - service: http_status:404\n';
const EXAMPLE_TUNNEL = readFileSync(join(__dirname, '../../../examples/cloudflared/config.yml'), 'utf8');
const YAML_PIECES = [':', ': ', '-', '- ', '  ', '\n', '#', '"', "'", '&a ', '*a', '<<: ', '!!str ', '|', '>', '{', '}', '[', ']', ',', '---\n', '...\n', '%YAML 1.2\n', '\t', 'noTLSVerify', 'service', 'ingress', 'true'];

const scalar = fc.oneof(fc.boolean(), fc.integer(), fc.constantFrom('yes', 'off', '30s', '1m30s', '-5s', 'https://localhost:443', 'http_status:404', 'tcp://a:1', 'unix:/x', '*.example.com', '^/api'), fc.string({ maxLength: 12 }));
const keyOf = (table: ReadonlyMap<string, unknown>) => fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...table.keys()) }, { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 10 }) });
const originRequest = fc.dictionary(keyOf(ORIGIN_REQUEST_KEYS), fc.oneof(scalar, fc.array(scalar, { maxLength: 2 })), { maxKeys: 4 });
const ingressRule = fc.dictionary(keyOf(INGRESS_RULE_KEYS), fc.oneof({ weight: 4, arbitrary: scalar }, { weight: 1, arbitrary: originRequest }), { maxKeys: 4 });
const generatedTunnel = fc
  .tuple(fc.dictionary(keyOf(TOP_LEVEL_KEYS), scalar, { maxKeys: 4 }), fc.array(ingressRule, { maxLength: 5 }), fc.option(originRequest))
  .map(([top, ingress, origin]) => stringify({ ...top, ...(origin ? { originRequest: origin } : {}), ingress }));
const tunnelText = fc.oneof(
  generatedTunnel,
  fc.tuple(fc.constantFrom(GUIDE_TUNNEL, EXAMPLE_TUNNEL), fc.array(mutation.map((m) => ({ ...m, piece: YAML_PIECES[m.length % YAML_PIECES.length]! })), { minLength: 1, maxLength: 4 })).map(([t, ms]) => mutate(t, ms)),
  fc.array(fc.constantFrom(...YAML_PIECES), { maxLength: 80 }).map((p) => p.join('')),
);

// ---- the properties ----------------------------------------------------------------------------

const CIPHER_PIECES = ['ALL', 'HIGH', 'aNULL', 'eNULL', 'RC4', 'AESGCM', 'ECDHE', 'kRSA', 'SHA1', 'DEFAULT', 'COMPLEMENTOFDEFAULT', 'ECDHE-RSA-AES128-GCM-SHA256', 'SUITEB128', '@STRENGTH', '@SECLEVEL=', '0', '5', 'x'];
const cipherString = fc.array(fc.tuple(fc.constantFrom('', '!', '-', '+'), fc.constantFrom(...CIPHER_PIECES), fc.constantFrom(':', '+', ',', ' ', '')), { maxLength: 12 }).map((parts) => parts.map((p) => p.join('')).join(''));

interface FixCheck {
  accepted: boolean;
  /** Why nginx would refuse the generated configuration. */
  refusal?: string;
  passes: number;
  realAccepted?: boolean;
}

/** Applies every preferred fix (unsafe ones too) until none is left, as `--fix --unsafe-fixes` does. */
function fixUntilStable(files: Map<string, string>, root: string, maxPasses = 10): { files: Map<string, string>; passes: number; run: LintRun } {
  let run = lintMemory(files, root);
  for (let pass = 0; pass < maxPasses; pass++) {
    const chosen = chooseFixes(run.findings, true);
    if (chosen.length === 0) return { files, passes: pass, run };
    const byFile = new Map<string, TextEdit[]>();
    for (const { fix } of chosen) {
      for (const e of fix.edits) {
        const list = byFile.get(e.file) ?? [];
        if (!list.some((o) => JSON.stringify(o) === JSON.stringify(e))) list.push(e);
        byFile.set(e.file, list);
      }
    }
    const next = new Map(files);
    for (const [path, edits] of byFile) next.set(path, applyTextEdits(files.get(path)!, edits));
    files = next;
    run = lintMemory(files, root);
    assertSoundRun(run, files);
  }
  assert.fail(`fixes still pending after ${maxPasses} passes: ${chooseFixes(run.findings, true).map((c) => `${c.finding.rule}: ${c.fix.title}`).join('; ')}`);
}

const fixChecks: FixCheck[] = [];

/** The fix property would hold vacuously if few generated configurations were accepted or had fixes. */
function fixSummary(): string {
  const accepted = fixChecks.filter((c) => c.accepted);
  const fixed = accepted.filter((c) => c.passes > 0);
  const reasons = new Map<string, number>();
  for (const c of fixChecks) if (c.refusal) reasons.set(c.refusal, (reasons.get(c.refusal) ?? 0) + 1);
  const top = [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([r, n]) => `${n} x ${r}`).join('; ');
  assert.ok(accepted.length >= fixChecks.length / 3, `only ${accepted.length} of ${fixChecks.length} generated configurations were accepted; refused for: ${top}`);
  assert.ok(fixed.length >= accepted.length / 2, `only ${fixed.length} of ${accepted.length} accepted configurations had a fix`);
  const real = accepted.filter((c) => c.realAccepted);
  assert.ok(real.length >= accepted.length / 2, `the real nginx accepted only ${real.length} of the ${accepted.length} configurations kasmlint accepted`);
  return (
    `${accepted.length} of ${fixChecks.length} configurations accepted, ${fixed.length} of them fixed (up to ${Math.max(...fixChecks.map((c) => c.passes))} passes), ` +
    `all still accepted; real nginx -t accepted ${real.length} before the fixes and all of them after`
  );
}

propertyTests({
  'the parser returns on any text, with every range inside it': property({
    arbitrary: nginxText,
    numRuns: 3000,
    perInputMs: 5_000,
    check: (text) => {
      const file = parseNginx('/p.conf', text);
      assertParsedInside(file);
      const lua = parseNginx('/p.conf', `content_by_lua_block {${text}`);
      assertParsedInside(lua);
    },
  }),

  'the engine returns on any text in a Kasm tree, every finding inside its file': property({
    arbitrary: nginxText,
    numRuns: 400,
    perInputMs: 10_000,
    check: (text) => {
      const files = new Map(kasmTree());
      files.set(join(KASM_ROOT, 'services.d/website.conf'), text);
      assertSoundRun(lintMemory(files, KASM_ROOT), files);
    },
  }),

  'the engine returns on mutations of the real Kasm tree, every finding inside its file': property({
    arbitrary: fc.tuple(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 5 })),
    numRuns: 300,
    perInputMs: 10_000,
    check: ([which, mutations]) => {
      const tree = kasmTree();
      const files = new Map(tree);
      const [path, text] = tree[which % tree.length]!;
      files.set(path, mutate(text, mutations));
      assertSoundRun(lintMemory(files, KASM_ROOT), files);
    },
  }),

  'fixes on generated configurations converge, and an accepted configuration stays accepted': property({
    arbitrary: generatedConfig,
    numRuns: 300,
    perInputMs: 10_000,
    summary: fixSummary,
    check: (config) => {
      const root = '/mem/gen';
      const files = new Map([...certificateFiles(), [join(root, 'nginx.conf'), config]]);
      const before = lintMemory(files, root);
      assertSoundRun(before, files);
      const verdict = before.analyses[0]!.nginx;
      const accepted = verdict.ok;
      const fixed = fixUntilStable(files, root);
      fixChecks.push({ accepted, refusal: verdict.ok ? undefined : verdict.message.replace(/"[^"]*"/g, '"..."'), passes: fixed.passes });
      if (!accepted) return;
      const fixedText = fixed.files.get(join(root, 'nginx.conf'))!;
      const after = fixed.run.analyses[0]!.nginx;
      assert.ok(after.ok, `the fixes made kasmlint predict that nginx refuses the configuration: ${!after.ok ? after.message : ''}\n${fixedText}`);
      // and the real nginx: what it accepted before the fixes, it accepts after them
      const real = realNginx(config);
      fixChecks[fixChecks.length - 1]!.realAccepted = real.ok;
      if (real.ok) {
        const realAfter = realNginx(fixedText);
        assert.ok(realAfter.ok, `the fixes made the real nginx -t refuse the configuration: ${realAfter.message}\n${fixedText}`);
      }
    },
  }),

  'fixes on mutations of generated configurations never leave a range outside the text': property({
    arbitrary: fc.tuple(generatedConfig, fc.array(mutation, { minLength: 1, maxLength: 4 })),
    numRuns: 200,
    perInputMs: 10_000,
    check: ([config, mutations]) => {
      const root = '/mem/gen';
      const files = new Map([...certificateFiles(), [join(root, 'nginx.conf'), mutate(config, mutations)]]);
      assertSoundRun(lintMemory(files, root), files);
      fixUntilStable(files, root);
    },
  }),

  'cloudflared configs: the engine returns on any YAML, every finding inside the file': property({
    arbitrary: tunnelText,
    numRuns: 1500,
    perInputMs: 5_000,
    check: (text) => {
      const path = '/mem/tunnel/config.yml';
      const files = new Map([[path, text]]);
      const run = lintMemory(files, path);
      assertSoundRun(run, files);
      if (run.tunnels[0]!.tunnel.syntax.length === 0) fixUntilStable(files, path);
    },
  }),

  'the editor fix-all\'s one edit per file turns any text into any other, never splitting a CRLF or a surrogate pair': property({
    arbitrary: fc.tuple(...[0, 1].map(() => fc.array(fc.constantFrom('a', 'b', '\r\n', '\n', '\r', '😀', 'é', ' '), { maxLength: 30 }).map((p) => p.join('')))),
    numRuns: 3000,
    perInputMs: 2_000,
    check: ([before, after]) => {
      const edit = replacementEdit('/f.conf', before, after);
      assert.equal(applyTextEdits(before, [edit]), after);
      const lines = new LineIndex(before);
      for (const p of [edit.range.start, edit.range.end]) {
        const offset = lines.offsetAt(p);
        assert.deepEqual(lines.positionAt(offset), p, 'a position inside the text');
        assert.ok(!(before[offset - 1] === '\r' && before[offset] === '\n'), 'not inside a CRLF');
        assert.ok(!/[\ud800-\udbff]/.test(before[offset - 1] ?? '') || !/[\udc00-\udfff]/.test(before[offset] ?? ''), 'not inside a surrogate pair');
      }
    },
  }),

  'cipher strings: the OpenSSL expansion returns on any string': property({
    arbitrary: cipherString,
    numRuns: 3000,
    perInputMs: 2_000,
    check: (text) => {
      const expansion = expandCipherString(text);
      if (expansion.ok) assert.ok(expansion.tls12.length > 0);
    },
  }),
});
