// kasmlint as users run it: the built dist/kasmlint.js in a separate process.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, lstatSync, mkdtempSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import Ajv2020 from 'ajv/dist/2020';
import { KASM_FIXTURE } from '../support/kasm';
import { writeTree } from '../support/nginx';

const ROOT = join(__dirname, '../../..');
const CLI = join(ROOT, 'dist/kasmlint.js');
const EXAMPLES = join(ROOT, 'examples');

function kasmlint(args: string[], cwd = ROOT): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

function copyOf(dir: string): string {
  const copy = mkdtempSync(join(tmpdir(), 'kasmlint-cli-'));
  cpSync(dir, copy, { recursive: true });
  return copy;
}

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) visit(p);
      else out[p.slice(dir.length + 1)] = readFileSync(p, 'utf8');
    }
  };
  visit(dir);
  return out;
}

describe('text output and exit status', () => {
  test('problems: path:line:column: severity rule-id message, exit 1', () => {
    const { code, stdout, stderr } = kasmlint(['examples/kasm']);
    assert.equal(code, 1);
    const lines = stdout.trim().split('\n');
    assert.ok(lines.length >= 4);
    for (const line of lines) assert.match(line, /^examples\/kasm\/[\w./-]+:\d+:\d+: (error|warning|information|hint) [a-z]+\/[a-z-]+ \S.*$/);
    assert.match(stdout, /^examples\/kasm\/services\.d\/api\.conf:10:5: error nginx\/unknown-directive unknown directive "proxy_set_heder"/m);
    assert.match(stderr, /problems? \(\d+ errors?.*\) in 5 files/);
  });

  test('nothing at warning level or above: exit 0', () => {
    const dir = writeTree({ 'nginx.conf': 'events {}\nhttp {\n    server_tokens off;\n}\n' });
    const { code, stdout, stderr } = kasmlint([dir]);
    assert.equal(code, 0);
    assert.equal(stdout, '');
    assert.match(stderr, /No problems found in 1 file\./);
  });

  test('--exit-zero and --quiet', () => {
    assert.equal(kasmlint(['--exit-zero', 'examples/kasm']).code, 0);
    const quiet = kasmlint(['--quiet', 'examples/kasm']);
    assert.ok(quiet.stdout.trim().split('\n').every((l) => l.includes(': error ')));
  });

  test('bad usage, missing paths and invalid settings: exit 2 with a clear message', () => {
    const cases: Array<[string[], RegExp]> = [
      [['--format', 'xml', 'examples'], /--format must be text, json or sarif/],
      [['--map', 'nowhere', 'examples'], /--map takes FROM=TO/],
      [['--map', 'rel=.', 'examples'], /FROM must be an absolute path/],
      [['--unsafe-fixes', 'examples'], /only makes sense with --fix/],
      [['--bogus'], /Unknown option '--bogus'/],
      [['does/not/exist'], /does\/not\/exist: no such file or directory/],
      [['explain', 'nginx/nope'], /no rule "nginx\/nope"/],
      [['--preset', 'kasm-strict', 'examples'], /--preset must be kasm-default, kasm-hardened, nginx-recommended, not "kasm-strict"/],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = kasmlint(args);
      assert.equal(code, 2, args.join(' '));
      assert.match(stderr, message);
    }
    const bad = writeTree({
      'nginx.conf': 'events {}\n',
      '.kasmlintrc.json': '{ "rules": { "nginx/unknown-directiv": "off", "nginx/syntax": "loud" }, "colour": true }',
    });
    const { code, stderr } = kasmlint([bad]);
    assert.equal(code, 2);
    assert.match(stderr, /unknown setting "colour"/);
    assert.match(stderr, /unknown rule "nginx\/unknown-directiv" \(did you mean "nginx\/unknown-directive"\?\)/);
    assert.match(stderr, /"loud" is not a severity/);
  });

  test('an input that is not a readable file: exit 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kasmlint-fifo-'));
    spawnSync('mkfifo', [join(dir, 'pipe.conf')]);
    const { code, stderr } = kasmlint([join(dir, 'pipe.conf')]);
    assert.equal(code, 2);
    assert.match(stderr, /not a regular file/);
  });

  test('the real Kasm tree: the one real problem, nothing else at nginx/*', () => {
    const { code, stdout } = kasmlint([KASM_FIXTURE, '--format', 'json']);
    assert.equal(code, 1);
    const nginx = JSON.parse(stdout).findings.filter((f: { rule: string }) => f.rule.startsWith('nginx/'));
    assert.deepEqual(nginx.map((f: { rule: string }) => f.rule), ['nginx/duplicate-location']);
  });

  test('one short line per finding; --details adds why it matters and what each fix does, indented below it', () => {
    const short = kasmlint([KASM_FIXTURE]);
    const cors = short.stdout.split('\n').find((l) => l.includes('cors/reflected-origin'))!;
    assert.match(cors, /error cors\/reflected-origin Access-Control-Allow-Origin echoes the request's Origin \(\$http_origin\), with credentials allowed\.$/);
    assert.match(short.stderr, /--details says why each matters\./);
    const detailed = kasmlint(['--details', KASM_FIXTURE]).stdout.split('\n');
    const at = detailed.findIndex((l) => l.includes('cors/reflected-origin'));
    assert.match(detailed[at + 1]!, /^ {4}Any website a signed-in Kasm user visits can call Kasm/);
    const fix = detailed.slice(at + 1).find((l) => /^ {4}fix/.test(l))!;
    assert.match(fix, /^ {4}fix \(--fix --unsafe-fixes\): Allow only the origins of an allow-list .* — narrows who may call Kasm$/);
    assert.ok(detailed.filter((l) => l.startsWith('    ')).every((l) => l.length <= 100 || /^ {4}fix/.test(l)), 'the detail is wrapped');
  });

  test('--preset: the severities of the preset, whatever the configuration', () => {
    const hardened = kasmlint(['--preset', 'kasm-hardened', '--format', 'json', KASM_FIXTURE]);
    const findings = JSON.parse(hardened.stdout).findings as Array<{ rule: string; severity: string }>;
    assert.ok(findings.some((f) => f.rule === 'headers/x-frame-options' && f.severity === 'warning'));
    const asDefault = JSON.parse(kasmlint(['--format', 'json', KASM_FIXTURE]).stdout).findings as Array<{ rule: string; severity: string }>;
    assert.ok(!asDefault.some((f) => f.rule === 'headers/x-frame-options'), 'a hint under kasm-default, not listed');
  });

  test('explain and rules', () => {
    const explain = kasmlint(['explain', 'nginx/duplicate-location']);
    assert.equal(explain.code, 0);
    assert.match(explain.stdout, /^# nginx\/duplicate-location\n/);
    assert.match(explain.stdout, /## Why it matters/);
    const rules = kasmlint(['rules']);
    assert.match(rules.stdout, /^rule\s+kasm-default\s+kasm-hardened\s+nginx-recommended\s+summary$/m);
    assert.match(rules.stdout, /^nginx\/syntax\s+error\s+error\s+error\s+/m);
    assert.match(rules.stdout, /^headers\/content-security-policy\s+hint\s+warning\s+off\s+/m);
    assert.match(explain.stdout, /## Severity\n\n\| finding \| kasm-default \| kasm-hardened \| nginx-recommended \|/);
    assert.match(explain.stdout, /## Messages\n\n.*\n\n- duplicate location "\{uri\}"/);
  });
});

describe('JSON output', () => {
  test('one object: version 1, absolute paths, 0-based LSP ranges, fixes with their edits', () => {
    const { stdout } = kasmlint(['--format', 'json', 'examples/kasm']);
    const out = JSON.parse(stdout);
    assert.equal(out.version, 1);
    const typo = out.findings.find((f: { rule: string }) => f.rule === 'nginx/unknown-directive');
    assert.equal(typo.file, join(EXAMPLES, 'kasm/services.d/api.conf'));
    assert.deepEqual(typo.range, { start: { line: 9, character: 4 }, end: { line: 9, character: 19 } });
    assert.equal(typo.severity, 'error');
    assert.match(typo.message, /^unknown directive "proxy_set_heder"/);
    assert.deepEqual(Object.keys(typo.fixes[0]).sort(), ['applicability', 'edits', 'preferred', 'title']);
    assert.deepEqual(typo.fixes[0].edits[0], { file: typo.file, range: typo.range, newText: 'proxy_set_header' });
    assert.match(typo.detail, /nginx -t rejects the configuration/);
  });
});

describe('SARIF 2.1.0', () => {
  const tools = process.env.KASMLINT_TOOLS_DIR ?? join(homedir(), '.cache/kasmlint-tools');
  const multitoolDir = join(tools, 'node_modules/@microsoft/sarif-multitool-linux');

  test('validates against the official schema and passes Microsoft\'s SARIF validator', () => {
    const { stdout } = kasmlint(['--format', 'sarif', 'examples/kasm']);
    const log = JSON.parse(stdout) as { runs: Array<{ tool: { driver: { name?: string } }; results: Array<{ fixes?: unknown[] }> }> };
    const schema = JSON.parse(readFileSync(join(multitoolDir, 'sarif-2.1.0.json'), 'utf8'));
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
    const validate = ajv.compile(schema);
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
    assert.ok(log.runs[0].results.length >= 4);
    assert.ok(log.runs[0].results.some((r: { fixes?: unknown[] }) => r.fixes?.length));
    // the message's markdown carries why the finding matters after its line
    const results = log.runs[0].results as Array<{ ruleId: string; message: { text: string; markdown?: string } }>;
    const typo = results.find((r) => r.ruleId === 'nginx/unknown-directive')!;
    assert.match(typo.message.markdown!, /^unknown directive "proxy_set_heder" \(did you mean "proxy_set_header"\?\)\.\n\n.*nginx -t rejects the configuration/);

    // the schema must really be checked: a broken log is refused
    const broken = structuredClone(log);
    delete broken.runs[0].tool.driver.name;
    assert.equal(validate(broken), false);

    const file = join(mkdtempSync(join(tmpdir(), 'kasmlint-sarif-')), 'out.sarif');
    writeFileSync(file, stdout);
    const result = spawnSync(join(multitoolDir, 'Sarif.Multitool'), ['validate', '-j', join(multitoolDir, 'sarif-2.1.0.json'), file], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(result.status, 0, result.stderr);
    const errors = result.stdout.split('\n').filter((l) => /: error /.test(l));
    assert.deepEqual(errors, []);
  });
});

describe('--fix', () => {
  test('applies the safe fixes, reports them, leaves the rest, and a second run changes nothing', () => {
    const dir = copyOf(EXAMPLES);
    const before = snapshot(dir);
    const first = kasmlint(['--fix', dir]);
    assert.equal(first.code, 1);
    assert.match(first.stderr, /fixed \d+ problems? in .*kasm\/orchestrator\.conf/);
    const after = snapshot(dir);
    assert.notEqual(after['kasm/orchestrator.conf'], before['kasm/orchestrator.conf']);
    assert.match(after['kasm/services.d/api.conf']!, /proxy_set_heder/); // renaming the unknown directive is unsafe
    assert.match(after['kasm/services.d/api.conf']!, /add_header X-Content-Type-Options nosniff always;/); // a safe fix
    assert.doesNotMatch(first.stdout, /duplicate-directive/);

    const second = kasmlint(['--fix', dir]);
    assert.match(second.stderr, /nothing to fix automatically/);
    assert.deepEqual(snapshot(dir), after);
  });

  test('--unsafe-fixes applies the preferred unsafe fixes too', () => {
    const dir = copyOf(EXAMPLES);
    kasmlint(['--fix', '--unsafe-fixes', dir]);
    assert.match(readFileSync(join(dir, 'kasm/services.d/api.conf'), 'utf8'), /proxy_set_header X-Real-IP/);
    assert.match(readFileSync(join(dir, 'kasm/services.d/agent.conf'), 'utf8'), /proxy_buffering off;/);
  });

  test('keeps the mode of the file, writes through a symbolic link, leaves no temporary file', () => {
    const dir = writeTree({ 'real/nginx.conf': 'events {}\nhttp {\n    gzip on;\n    gzip on;\n}\n' });
    chmodSync(join(dir, 'real/nginx.conf'), 0o640);
    symlinkSync(join(dir, 'real/nginx.conf'), join(dir, 'link.conf'));
    const { code } = kasmlint(['--fix', join(dir, 'link.conf')]);
    assert.equal(code, 0);
    assert.equal(readFileSync(join(dir, 'real/nginx.conf'), 'utf8'), 'events {}\nhttp {\n    gzip on;\n}\n');
    assert.equal(statSync(join(dir, 'real/nginx.conf')).mode & 0o777, 0o640);
    assert.ok(lstatSync(join(dir, 'link.conf')).isSymbolicLink());
    assert.deepEqual(readdirSync(join(dir, 'real')), ['nginx.conf']);
  });

  test('a file that is not valid UTF-8 is written back byte for byte outside the edit', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kasmlint-latin1-'));
    const bytes = Buffer.concat([Buffer.from('events {}\nhttp {\n    # caf'), Buffer.from([0xe9]), Buffer.from('\n    gzip on;\n    gzip on;\n}\n')]);
    writeFileSync(join(dir, 'nginx.conf'), bytes);
    kasmlint(['--fix', dir]);
    const expected = Buffer.concat([Buffer.from('events {}\nhttp {\n    # caf'), Buffer.from([0xe9]), Buffer.from('\n    gzip on;\n}\n')]);
    assert.deepEqual(readFileSync(join(dir, 'nginx.conf')), expected);
  });
});
