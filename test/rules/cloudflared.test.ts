import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseDocument } from 'yaml';
import { decodeBool, decodeDuration, decodeFlagBool, parseGoDuration } from '../../server/src/cloudflared/values';
import { checkService, re2Error } from '../../server/src/cloudflared/ingress';
import { lintTree } from '../support/engine';
import { makeCertificate } from '../support/certs';
import { everyMessageProduced, ruleTests } from '../support/rule-tester';
import { RULES } from '../../server/src/rules/registry';

const FILE = 'cloudflared/config.yml';
const HEAD = 'tunnel: 6ff42ae2-765d-4adf-8112-31c55c1551ef\ncredentials-file: /root/.cloudflared/6ff42ae2-765d-4adf-8112-31c55c1551ef.json\n';

/** A config with the tunnel keys and these ingress rules (YAML lines, indented by two). */
function config(rules: readonly string[], extra = ''): string {
  return `${HEAD}${extra}ingress:\n${rules.map((l) => `  ${l}`).join('\n')}\n`;
}

const KASM_RULE = ['- hostname: kasm.example.com', '  service: https://localhost:443'];
const CATCH_ALL = '- service: http_status:404';

/** The exact example of the Kasm guide (../shared/seeds/004). */
const GUIDE = `tunnel: <TUNNEL_ID>
credentials-file: /root/.cloudflared/<TUNNEL_ID>.json

ingress:
  - hostname: kasm.yourdomain.com
    service: https://localhost:443
    originRequest:
      noTLSVerify: true
  - service: http_status:404
`;

test("the guide's own tunnel config yields only the information-level cloudflared/no-tls-verify finding", () => {
  const { findings } = lintTree({ [FILE]: GUIDE });
  assert.deepEqual(findings.map((f) => `${f.rule} ${f.severity} ${f.path}:${f.range.start.line + 1}`), [`cloudflared/no-tls-verify information ${FILE}:8`]);
  assert.match(findings[0]!.message, /Kasm's guide prescribes it because Kasm's certificate is self-signed, and the traffic never leaves the host/);
});

ruleTests('cloudflared/no-tls-verify', {
  valid: [
    { name: 'verification with caPool', files: { [FILE]: config([...KASM_RULE, '  originRequest:', '    caPool: /opt/kasm/current/certs/kasm_nginx.crt', '    originServerName: kasm.example.com', CATCH_ALL]) } },
    { name: 'noTLSVerify: no (a YAML 1.1 false)', files: { [FILE]: config([...KASM_RULE, '  originRequest:', '    noTLSVerify: no', CATCH_ALL]) } },
  ],
  invalid: [
    {
      name: 'a remote origin, with "yes" (which cloudflared reads as true): a warning; the fix names the certificate of the rule host',
      files: { [FILE]: config(['- hostname: kasm.example.com', '  service: https://10.0.0.5:443', '  originRequest:', '    noTLSVerify: yes', CATCH_ALL]) },
      findings: [{ path: FILE, line: 7, severity: 'warning', message: /anyone on the network path between the tunnel and it can read and change the traffic/ }],
      output: {
        [FILE]: config([
          '- hostname: kasm.example.com',
          '  service: https://10.0.0.5:443',
          '  originRequest:',
          '    caPool: /opt/kasm/current/certs/kasm_nginx.crt',
          '    originServerName: kasm.example.com',
          CATCH_ALL,
        ]),
      },
    },
    {
      name: "Kasm on [::1], written \"on\": information, the guide's setup; the fix verifies Kasm's certificate",
      files: { [FILE]: config(['- hostname: kasm.example.com', '  service: https://[::1]:8443', '  originRequest:', '    noTLSVerify: on', CATCH_ALL]) },
      findings: [{ path: FILE, line: 7, severity: 'information', message: /^noTLSVerify is on for https:\/\/\[::1\]:8443, an origin on this machine\..*a process that takes over port 8443 here is not noticed/ }],
      output: {
        [FILE]: config([
          '- hostname: kasm.example.com',
          '  service: https://[::1]:8443',
          '  originRequest:',
          '    caPool: /opt/kasm/current/certs/kasm_nginx.crt',
          '    originServerName: kasm.example.com',
          CATCH_ALL,
        ]),
      },
    },
    {
      name: 'in the top-level originRequest: every rule without its own setting is affected',
      files: { [FILE]: config([...KASM_RULE, CATCH_ALL], 'originRequest:\n  noTLSVerify: true\n') },
      findings: [{ path: FILE, line: 4, severity: 'warning', message: /every rule without its own setting \(localhost\) accepts any certificate/ }],
      output: { [FILE]: config([...KASM_RULE, CATCH_ALL], 'originRequest:\n  caPool: /opt/kasm/current/certs/kasm_nginx.crt\n  originServerName: kasm.example.com\n') },
    },
  ],
});

test('cloudflared/no-tls-verify: originServerName is read from the certificate when it is readable', () => {
  const { crt } = makeCertificate({ cn: 'kasm.internal', names: ['kasm.internal'] });
  const { findings } = lintTree({
    [FILE]: config([...KASM_RULE, '  originRequest:', '    noTLSVerify: true', CATCH_ALL]),
    'cloudflared/.kasmlintrc.json': JSON.stringify({ rules: { 'cloudflared/no-tls-verify': { certificate: crt } } }),
  });
  const fix = findings.find((f) => f.rule === 'cloudflared/no-tls-verify')!.fixes[0]!;
  assert.equal(fix.title, `Verify with caPool ${crt} and originServerName kasm.internal`);
});

ruleTests('cloudflared/catch-all', {
  valid: [{ name: 'a last rule without hostname and path', files: { [FILE]: config([...KASM_RULE, CATCH_ALL]) } }],
  invalid: [
    {
      name: 'the last rule has a hostname: a catch-all is appended at the same indentation',
      files: { [FILE]: config(KASM_RULE) },
      findings: [{ path: FILE, line: 4, severity: 'error', message: /^The last ingress rule must match all URLs \(i\.e\. it should not have a hostname or path filter\)\. cloudflared refuses to start/ }],
      output: { [FILE]: config([...KASM_RULE, CATCH_ALL]) },
    },
    {
      name: 'a path filter on the last rule',
      files: { [FILE]: config(['- path: ^/api', '  service: https://localhost:443']) },
      findings: [{ path: FILE, line: 4 }],
      output: { [FILE]: config(['- path: ^/api', '  service: https://localhost:443', CATCH_ALL]) },
    },
    {
      name: 'an empty ingress list',
      files: { [FILE]: `${HEAD}ingress: []\n` },
      findings: [{ path: FILE, line: 3, message: /^The config file doesn't contain any ingress rules/ }],
    },
  ],
});

ruleTests('cloudflared/unreachable-rule', {
  valid: [{ name: 'the catch-all last', files: { [FILE]: config([...KASM_RULE, CATCH_ALL]) } }],
  invalid: [
    {
      name: 'a catch-all first',
      files: { [FILE]: config([CATCH_ALL, ...KASM_RULE, '- service: http_status:403']) },
      findings: [{ path: FILE, line: 4, message: /^Rule #1 is matching the hostname '', but this will match every hostname, meaning the rules which follow it will never be triggered\. .* 2 rules after it/ }],
    },
  ],
});

ruleTests('cloudflared/invalid-service', {
  valid: [
    {
      name: 'every kind of service',
      files: {
        [FILE]: config([
          '- hostname: a.example.com',
          '  service: unix:/run/kasm.sock',
          '- hostname: b.example.com',
          '  service: hello_world',
          '- hostname: c.example.com',
          '  service: ssh://localhost:22',
          '- hostname: d.example.com',
          '  service: http_status:418',
          CATCH_ALL,
        ]),
      },
    },
  ],
  invalid: [
    {
      name: 'a path on the origin URL: dropped by the fix',
      files: { [FILE]: config(['- hostname: kasm.example.com', '  service: https://localhost:443/', CATCH_ALL]) },
      findings: [{ path: FILE, line: 5, message: /^Rule #1: https:\/\/localhost:443\/ is an invalid address, ingress rules don't support proxying to a different path on the origin service\. The path will be the same as the eyeball request's path\. cloudflared refuses to start\.$/ }],
      output: { [FILE]: config(['- hostname: kasm.example.com', '  service: https://localhost:443', CATCH_ALL]) },
    },
    {
      name: 'no scheme, and a status out of range',
      files: { [FILE]: config(['- hostname: kasm.example.com', '  service: localhost:443', '- service: http_status:8080']) },
      findings: [
        { path: FILE, line: 5, message: /localhost:443 is an invalid address, please make sure it has a scheme and a hostname/ },
        { path: FILE, line: 6, message: /^Rule #2: invalid HTTP status code: 8080\./ },
      ],
    },
  ],
});

ruleTests('cloudflared/invalid-hostname', {
  valid: [{ name: 'a leading wildcard', files: { [FILE]: config(['- hostname: "*.example.com"', '  service: https://localhost:443', CATCH_ALL]) } }],
  invalid: [
    {
      name: 'a port in the hostname',
      files: { [FILE]: config(['- hostname: kasm.example.com:443', '  service: https://localhost:443', CATCH_ALL]) },
      findings: [{ path: FILE, line: 4, message: /^Rule #1: Hostname cannot contain a port/ }],
      output: { [FILE]: config(['- hostname: kasm.example.com', '  service: https://localhost:443', CATCH_ALL]) },
    },
    {
      name: 'a wildcard in the middle',
      files: { [FILE]: config(['- hostname: kasm.*.example.com', '  service: https://localhost:443', CATCH_ALL]) },
      findings: [{ path: FILE, line: 4, message: /at most one wildcard character \("\*"\) and it can only be used for subdomains/ }],
    },
  ],
});

ruleTests('cloudflared/invalid-path', {
  valid: [{ name: 'an RE2 regex', files: { [FILE]: config(['- hostname: kasm.example.com', '  path: ^/api/(v1|v2)/', '  service: https://localhost:443', CATCH_ALL]) } }],
  invalid: [
    {
      name: 'a look-ahead (Perl, not RE2)',
      files: { [FILE]: config(['- hostname: kasm.example.com', '  path: ^/(?!admin)', '  service: https://localhost:443', CATCH_ALL]) },
      findings: [{ path: FILE, line: 5, message: /^Rule #1 has an invalid regex: error parsing regexp: invalid or unsupported Perl syntax: `\(\?!`/ }],
    },
  ],
});

ruleTests('cloudflared/unknown-key', {
  valid: [{ name: 'known keys, and top-level flags', files: { [FILE]: config([...KASM_RULE, CATCH_ALL], 'loglevel: info\nno-autoupdate: true\n') } }],
  invalid: [
    {
      name: "the classic noTlsVerify: silently ignored; renamed by the fix",
      files: { [FILE]: config([...KASM_RULE, '  originRequest:', '    noTlsVerify: true', CATCH_ALL]) },
      findings: [{ path: FILE, line: 7, severity: 'warning', message: /"noTlsVerify" is not a key of originRequest \(did you mean "noTLSVerify"\?\): cloudflared ignores it silently/ }],
      output: { [FILE]: config([...KASM_RULE, '  originRequest:', '    noTLSVerify: true', CATCH_ALL]) },
    },
    {
      name: 'a misspelt top-level key',
      files: { [FILE]: config([...KASM_RULE, CATCH_ALL], 'credential-file: /root/x.json\n') },
      findings: [{ path: FILE, line: 3, message: /did you mean "credentials-file"/ }],
      output: { [FILE]: config([...KASM_RULE, CATCH_ALL], 'credentials-file: /root/x.json\n') },
    },
  ],
});

ruleTests('cloudflared/invalid-value', {
  valid: [{ name: 'durations, booleans and integers', files: { [FILE]: config([...KASM_RULE, '  originRequest:', '    connectTimeout: 1m30s', '    noHappyEyeballs: on', '    keepAliveConnections: 10', CATCH_ALL]) } }],
  invalid: [
    {
      name: 'a bare number of seconds',
      files: { [FILE]: config([...KASM_RULE, '  originRequest:', '    connectTimeout: 30', CATCH_ALL]) },
      findings: [{ path: FILE, line: 7, severity: 'error', message: /^line 7: cannot unmarshal !!int `30` into time\.Duration\. cloudflared cannot decode the file and refuses to start/ }],
      output: { [FILE]: config([...KASM_RULE, '  originRequest:', '    connectTimeout: 30s', CATCH_ALL]) },
    },
    {
      name: 'a quoted "true"',
      files: { [FILE]: config([...KASM_RULE, '  originRequest:', '    http2Origin: "true"', CATCH_ALL]) },
      findings: [{ path: FILE, line: 7, message: /cannot unmarshal !!str `true` into bool/ }],
      output: { [FILE]: config([...KASM_RULE, '  originRequest:', '    http2Origin: true', CATCH_ALL]) },
    },
    {
      name: 'a top-level flag with "yes"',
      files: { [FILE]: config([...KASM_RULE, CATCH_ALL], 'no-autoupdate: yes\n') },
      findings: [{ path: FILE, line: 3, message: /^expected boolean found string for no-autoupdate: cloudflared refuses to start/ }],
    },
  ],
});

ruleTests('cloudflared/duplicate-key', {
  valid: [{ name: 'each key once', files: { [FILE]: config([...KASM_RULE, CATCH_ALL]) } }],
  invalid: [
    {
      name: 'two noTLSVerify',
      files: { [FILE]: config([...KASM_RULE, '  originRequest:', '    noTLSVerify: false', '    noTLSVerify: true', CATCH_ALL]) },
      findings: [{ path: FILE, line: 8, message: /^mapping key "noTLSVerify" already defined at line 7/ }],
      output: { [FILE]: config([...KASM_RULE, '  originRequest:', '    noTLSVerify: true', CATCH_ALL]) },
    },
  ],
});

ruleTests('cloudflared/ignored-setting', {
  valid: [{ name: 'legacy flags without ingress rules are read', files: { 'cloudflared/config.yml': `${HEAD}url: https://localhost:443\nno-tls-verify: true\n` } }],
  invalid: [
    {
      name: 'a legacy origin flag beside ingress rules, and warp-routing.enabled: removed',
      files: { [FILE]: config([...KASM_RULE, CATCH_ALL], 'origin-ca-pool: /etc/kasm.crt\nwarp-routing:\n  enabled: true\n') },
      findings: [
        { path: FILE, line: 3, message: /"origin-ca-pool" is a legacy origin flag: once the file has ingress rules, cloudflared ignores it: set caPool in originRequest instead/ },
        { path: FILE, line: 5, message: /removed in cloudflared 2023\.9\.0/ },
      ],
      output: { [FILE]: config([...KASM_RULE, CATCH_ALL], 'warp-routing:\n') },
    },
    {
      name: 'access in the top-level originRequest is not enforced',
      files: { [FILE]: config([...KASM_RULE, CATCH_ALL], 'originRequest:\n  access:\n    required: true\n    teamName: example\n') },
      findings: [{ path: FILE, line: 4, message: /is not enforced/ }],
    },
  ],
});

ruleTests('cloudflared/missing-tunnel', {
  valid: [{ name: 'tunnel and credentials', files: { [FILE]: config([...KASM_RULE, CATCH_ALL]) } }],
  invalid: [
    {
      name: 'no tunnel and no credentials file',
      files: { [FILE]: `ingress:\n  - service: https://localhost:443\n` },
      findings: [{ path: FILE, line: 1, severity: 'warning', message: /no "tunnel" and "credentials-file"/ }],
    },
    {
      name: 'a token instead: information',
      files: { [FILE]: `token-file: /etc/cloudflared/token\ningress:\n  - service: https://localhost:443\n` },
      findings: [{ path: FILE, line: 2, severity: 'information' }],
    },
  ],
});

ruleTests('cloudflared/http-to-tls-port', {
  valid: [{ name: 'https to 443', files: { [FILE]: config([...KASM_RULE, CATCH_ALL]) } }],
  invalid: [
    {
      name: 'http to 443',
      files: { [FILE]: config(['- hostname: kasm.example.com', '  service: http://localhost:443', CATCH_ALL]) },
      findings: [{ path: FILE, line: 5, message: /speaks plain HTTP to port 443/ }],
      output: { [FILE]: config(['- hostname: kasm.example.com', '  service: https://localhost:443', CATCH_ALL]) },
    },
  ],
});

ruleTests('cloudflared/syntax', {
  valid: [{ name: 'valid YAML', files: { [FILE]: config([...KASM_RULE, CATCH_ALL]) } }],
  invalid: [
    {
      name: 'an unclosed flow list: reported, and the rest still checked',
      files: { [FILE]: `${HEAD}ingress:\n  - hostname: kasm.example.com\n    service: [https://localhost:443\n` },
      findings: [{ path: FILE, line: 6, severity: 'error' }],
    },
  ],
});

ruleTests('kasmlint/suppression', {
  valid: [
    {
      name: 'a suppression comment in a tunnel config hides the finding of the next line',
      files: { [FILE]: config([...KASM_RULE, '  originRequest:', '    # kasmlint-disable-next-line cloudflared/no-tls-verify -- Kasm origin, reviewed', '    noTLSVerify: true', CATCH_ALL]) },
    },
  ],
  invalid: [
    {
      name: 'in YAML: an unused suppression (removed by the fix), a misspelt rule id; a "#" inside a quoted string is not a comment',
      files: {
        [FILE]: config([
          '- hostname: kasm.example.com # kasmlint-disable-line cloudflared/no-tls-verify',
          '  service: "https://localhost:443#kasmlint-bogus"',
          '  # kasmlint-disable-next-line cloudflared/catchall',
          CATCH_ALL,
        ]),
      },
      findings: [
        { path: FILE, line: 4, message: /^kasmlint-disable-line cloudflared\/no-tls-verify: nothing is reported here any more/ },
        { path: FILE, line: 6, message: /names "cloudflared\/catchall", which is not a rule id \(did you mean "cloudflared\/catch-all"\?\)/ },
      ],
      output: {
        [FILE]: config(['- hostname: kasm.example.com', '  service: "https://localhost:443#kasmlint-bogus"', '  # kasmlint-disable-next-line cloudflared/catchall', CATCH_ALL]),
      },
    },
  ],
});

test('cloudflared scalars: booleans, durations and flags as yaml.v3 decodes them', () => {
  const value = (yaml: string) => parseDocument(`v: ${yaml}`, { keepSourceTokens: true }).get('v', true) as never;
  for (const yes of ['true', 'True', 'yes', 'on', 'Y', '"yes"', "'on'"]) assert.deepEqual(decodeBool(value(yes)), { ok: true, value: true }, yes);
  for (const no of ['false', 'no', 'OFF', 'n']) assert.deepEqual(decodeBool(value(no)), { ok: true, value: false }, no);
  assert.deepEqual(decodeBool(value('"true"')), { ok: false, message: 'cannot unmarshal !!str `true` into bool' });
  assert.deepEqual(decodeBool(value('1')), { ok: false, message: 'cannot unmarshal !!int `1` into bool' });
  assert.deepEqual(decodeFlagBool(value('yes'), 'no-autoupdate'), { ok: false, message: 'expected boolean found string for no-autoupdate' });
  assert.equal(parseGoDuration('1m30s'), 90_000);
  assert.equal(parseGoDuration('1.5h'), 5_400_000);
  assert.equal(parseGoDuration('0'), 0);
  assert.equal(parseGoDuration('1d'), undefined);
  assert.deepEqual(decodeDuration(value('"30"')), { ok: false, message: 'time: missing unit in duration "30"' });
  assert.deepEqual(checkService('https://[::1]:8443'), { ok: true, kind: 'url', url: { scheme: 'https', hostname: '::1', port: 8443 } });
  for (const go of ['^/api/(?P<v>v[12])', '(?i)^/Admin', '(?i:kasm)\\z', '\\A/desktop/']) assert.equal(re2Error(go), undefined, go);
  assert.match(re2Error('(a)\\1')!, /invalid escape sequence: `\\1`/);
});

test('a YAML file that is not a tunnel config is left alone; one under a cloudflared folder is read', () => {
  const { findings } = lintTree({ 'ci/pipeline.yml': 'ingress: 3\nsteps: []\n', 'k8s/deploy.yaml': 'kind: Deployment\n', [FILE]: config(KASM_RULE) });
  assert.deepEqual([...new Set(findings.map((f) => f.path))], [FILE]);
  assert.ok(join(FILE).endsWith('config.yml'));
});

everyMessageProduced(RULES.map((r) => r.meta.id).filter((id) => id.startsWith('cloudflared/')));
