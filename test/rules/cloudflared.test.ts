// The cloudflared rules: what each reports, where, with which message and fix. Each case names the
// source that decides it; test/rules/cloudflared-derived.test.ts measures the verdicts and messages on
// a larger table of configs.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { lintTree } from '../support/engine';
import { makeCertificate } from '../support/certs';
import { everyMessageProduced, ruleTests } from '../support/rule-tester';
import { RULES } from '../../server/src/rules/registry';

const FILE = 'cloudflared/config.yml';
const UUID = '6ff42ae2-765d-4adf-8112-31c55c1551ef';
const HEAD = `tunnel: ${UUID}\ncredentials-file: /root/.cloudflared/${UUID}.json\n`;

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
  assert.match(findings[0]!.detail!, /Kasm's guide prescribes it because Kasm's certificate is self-signed, and the traffic never leaves the host/);
});

ruleTests('cloudflared/syntax', {
  valid: [
    { name: 'valid YAML', files: { [FILE]: config([...KASM_RULE, CATCH_ALL]) } },
  ],
  invalid: [
    {
      // scannerc.go yaml_parser_scan_anchor: "did not find expected alphabetic or numeric character".
      name: 'an unquoted *.example.com: an alias to yaml.v3, and the whole file stops',
      files: { [FILE]: config(['- hostname: *.example.com', '  service: https://localhost:443', CATCH_ALL]) },
      findings: [{ path: FILE, line: 4, severity: 'error', message: /^yaml: line 4: did not find expected alphabetic or numeric character$/ }],
    },
    {
      // parserc.go yaml_parser_parse_flow_sequence_entry; decode.go fail(): a parser error prints its context's 0-based line.
      name: 'an unclosed flow list: the line yaml.v3 names is the one before',
      files: { [FILE]: `${HEAD}ingress:\n  - hostname: kasm.example.com\n    service: [https://localhost:443\n` },
      findings: [{ path: FILE, line: 5, severity: 'error', message: /^yaml: line 4: did not find expected ',' or ']'$/ }],
    },
    {
      // config.ReadConfigFile: io.EOF: "Configuration file %s was empty", an empty configuration.
      name: 'an empty file: a warning, cloudflared runs without settings',
      files: { [FILE]: '# to do\n' },
      findings: [{ path: FILE, line: 1, severity: 'warning', message: /^Configuration file .*config\.yml was empty$/ }],
    },
    {
      // yaml.go Decoder.Decode reads one document: the second is never parsed past its "---".
      name: 'a second document, even broken: never read, a warning',
      files: { [FILE]: `${config([...KASM_RULE, CATCH_ALL])}---\nfoo: [\n` },
      findings: [{ path: FILE, line: 7, severity: 'warning', message: /^cloudflared reads only the first YAML document/ }],
    },
  ],
});

ruleTests('cloudflared/invalid-value', {
  valid: [
    // decode.go scalar(): YAML 1.1 booleans into a bool, ints in base 0, a float truncated into an int.
    { name: 'durations, YAML 1.1 booleans, integers in any base', files: { [FILE]: config([...KASM_RULE, '  originRequest:', '    connectTimeout: 1m30s', '    noHappyEyeballs: on', '    keepAliveConnections: 0x10', '    proxyPort: 1.5', CATCH_ALL]) } },
    { name: 'string flags as strings', files: { [FILE]: config([...KASM_RULE, CATCH_ALL], 'edge-ip-version: "6"\nprotocol: quic\ngrace-period: 1m\ntag: [env=prod]\n') } },
  ],
  invalid: [
    {
      // decode.go scalar(): isDuration refuses an int.
      name: 'a bare number of seconds: yaml.v3 refuses it; the fix adds the unit',
      files: { [FILE]: config([...KASM_RULE, '  originRequest:', '    connectTimeout: 30', CATCH_ALL]) },
      findings: [{ path: FILE, line: 7, severity: 'error', message: /^line 7: cannot unmarshal !!int `30` into time\.Duration$/ }],
      output: { [FILE]: config([...KASM_RULE, '  originRequest:', '    connectTimeout: 30s', CATCH_ALL]) },
    },
    {
      name: 'a quoted "true": unquoted by the fix',
      files: { [FILE]: config([...KASM_RULE, '  originRequest:', '    http2Origin: "true"', CATCH_ALL]) },
      findings: [{ path: FILE, line: 7, message: /^line 7: cannot unmarshal !!str `true` into bool$/ }],
      output: { [FILE]: config([...KASM_RULE, '  originRequest:', '    http2Origin: true', CATCH_ALL]) },
    },
    {
      // config.AccessConfig.AudTag []string: one string is a type error.
      name: 'one audTag where a list is typed: the fix makes it a list',
      files: { [FILE]: config([...KASM_RULE, '  originRequest:', '    access:', '      required: true', '      teamName: example', '      audTag: abc123', CATCH_ALL]) },
      findings: [{ path: FILE, line: 10, message: /^line 10: cannot unmarshal !!str `abc123` into \[\]string$/ }],
      output: { [FILE]: config([...KASM_RULE, '  originRequest:', '    access:', '      required: true', '      teamName: example', '      audTag: [abc123]', CATCH_ALL]) },
    },
    {
      name: 'an ingress item that is a string: no fix',
      files: { [FILE]: config(['- https://localhost:443', CATCH_ALL]) },
      findings: [{ path: FILE, line: 4, message: /^line 4: cannot unmarshal !!str `https:\/\.\.\.` into config\.UnvalidatedIngressRule$/ }],
    },
    {
      // config/configuration.go configFileSettings.String: "expected string found %T for %s".
      name: 'edge-ip-version: 4 is an int to the flag reader: the fix quotes it',
      files: { [FILE]: config([...KASM_RULE, CATCH_ALL], 'edge-ip-version: 4\n') },
      findings: [{ path: FILE, line: 3, message: /^expected string found int for edge-ip-version$/ }],
      output: { [FILE]: config([...KASM_RULE, CATCH_ALL], 'edge-ip-version: "4"\n') },
    },
    {
      // configFileSettings.Bool: yaml.v3 resolves `yes` to a string in an interface{}.
      name: 'a flag with "yes": the fix writes true',
      files: { [FILE]: config([...KASM_RULE, CATCH_ALL], 'no-autoupdate: yes\n') },
      findings: [{ path: FILE, line: 3, message: /^expected boolean found string for no-autoupdate$/ }],
      output: { [FILE]: config([...KASM_RULE, CATCH_ALL], 'no-autoupdate: true\n') },
    },
    {
      // connection/protocol.go NewProtocolSelector: "unknown protocol %s, %s".
      name: 'an unknown protocol',
      files: { [FILE]: config([...KASM_RULE, CATCH_ALL], 'protocol: h3\n') },
      findings: [{ path: FILE, line: 3, message: /^unknown protocol h3, Available protocols: 'auto' - starts with QUIC/ }],
    },
    {
      // ipaccess/access.go NewRuleByCIDR via ingress.go validateIngress.
      name: 'a socks-proxy ip rule with a bare address',
      files: { [FILE]: config(['- hostname: socks.example.com', '  service: socks-proxy', '  originRequest:', '    ipRules:', '      - prefix: 10.0.0.1', CATCH_ALL]) },
      findings: [{ path: FILE, line: 8, message: /^unable to create ip rule for socks-proxy: unable to parse cidr: 10\.0\.0\.1$/ }],
    },
    {
      // ingress.go validateAccessConfiguration.
      name: 'Access required with an audTag and no team name',
      files: { [FILE]: config([...KASM_RULE, '  originRequest:', '    access:', '      required: true', '      audTag: [abc123]', CATCH_ALL]) },
      findings: [{ path: FILE, line: 7, message: /^access\.TeamName cannot be blank when access\.audTags are present$/ }],
    },
    {
      // validation.go validateScheme, wrapped by ingress.go parseSingleOriginService.
      name: 'the url of a tunnel without ingress rules, with ws://',
      files: { [FILE]: `${HEAD}url: ws://localhost:8080\n` },
      findings: [{ path: FILE, line: 3, message: /^Error validating origin URL: Currently Cloudflare Tunnel does not support ws protocol\.$/ }],
    },
    {
      // cmd/cloudflared/tunnel/configuration.go gracePeriod, prepareTunnelConfig: post-quantum, tags, edge-ip-version and edge-bind-address.
      name: 'start-up checks: grace period, post-quantum, a tag, the edge addresses, a token',
      files: {
        'a/cloudflared/config.yml': config([...KASM_RULE, CATCH_ALL], 'grace-period: 5m\n'),
        'b/cloudflared/config.yml': config([...KASM_RULE, CATCH_ALL], 'post-quantum: true\nprotocol: http2\n'),
        'c/cloudflared/config.yml': config([...KASM_RULE, CATCH_ALL], 'tag: [prod]\n'),
        'd/cloudflared/config.yml': config([...KASM_RULE, CATCH_ALL], 'edge-ip-version: "5"\n'),
        'e/cloudflared/config.yml': config([...KASM_RULE, CATCH_ALL], 'edge-bind-address: abc\n'),
        'f/cloudflared/config.yml': config([...KASM_RULE, CATCH_ALL], 'token: abc\n'),
      },
      findings: [
        { path: 'a/cloudflared/config.yml', line: 3, message: /^grace-period must be equal or less than 3m0s$/ },
        { path: 'b/cloudflared/config.yml', line: 4, message: /^post-quantum is only supported with the quic transport$/ },
        { path: 'c/cloudflared/config.yml', line: 3, message: /^Tag parse failure: Cannot parse tag value prod$/ },
        { path: 'd/cloudflared/config.yml', line: 3, message: /^invalid value for edge-ip-version: 5$/ },
        { path: 'e/cloudflared/config.yml', line: 3, message: /^invalid value for edge-bind-address: abc$/ },
        { path: 'f/cloudflared/config.yml', line: 3, message: /^Provided Tunnel token is not valid\.$/ },
      ],
    },
    {
      // logger/create.go: zerolog.ParseLevel fails, InfoLevel is used: a warning, not a refusal.
      name: 'an unknown log level: a warning',
      files: { [FILE]: config([...KASM_RULE, CATCH_ALL], 'loglevel: verbose\n') },
      findings: [{ path: FILE, line: 3, severity: 'warning', message: /^Failed to parse log level "verbose", using "info" instead$/ }],
    },
  ],
});

ruleTests('cloudflared/duplicate-key', {
  valid: [
    { name: 'each key once', files: { [FILE]: config([...KASM_RULE, CATCH_ALL]) } },
    // decode.go mappingStruct(): an unknown field's value is never unmarshaled, so never checked.
    { name: 'a duplicate inside an unknown key of originRequest', files: { [FILE]: config([...KASM_RULE, '  originRequest:', '    custom:', '      a: 1', '      a: 2', CATCH_ALL]) } },
  ],
  invalid: [
    {
      // decode.go mapping(): "line %d: mapping key %#v already defined at line %d".
      name: 'two noTLSVerify: the fix removes the first',
      files: { [FILE]: config([...KASM_RULE, '  originRequest:', '    noTLSVerify: false', '    noTLSVerify: true', CATCH_ALL]) },
      findings: [{ path: FILE, line: 8, message: /^line 8: mapping key "noTLSVerify" already defined at line 7$/ }],
      output: { [FILE]: config([...KASM_RULE, '  originRequest:', '    noTLSVerify: true', CATCH_ALL]) },
    },
    {
      // Keys are compared by kind and raw value: the quotes do not matter. The first key follows a list dash: no fix.
      name: 'service and "service" in one rule',
      files: { [FILE]: config(['- service: https://localhost:443', '  "service": https://localhost:8443']) },
      findings: [{ path: FILE, line: 5, message: /^line 5: mapping key "service" already defined at line 4$/ }],
    },
    {
      // configFileSettings.Settings (map[string]interface{}, inline) decodes the values of unknown top-level keys.
      name: 'a duplicate inside an unknown top-level key',
      files: { [FILE]: config([...KASM_RULE, CATCH_ALL], 'x-extra: {a: 1, a: 2}\n') },
      findings: [{ path: FILE, line: 3, message: /^line 3: mapping key "a" already defined at line 3$/ }],
    },
  ],
});

ruleTests('cloudflared/invalid-service', {
  valid: [
    {
      // ingress.go validateIngress: each service form.
      name: 'every kind of service, and bastionMode deciding before the URL',
      files: {
        [FILE]: config([
          '- hostname: a.example.com',
          '  service: unix:/run/kasm.sock',
          '- hostname: b.example.com',
          '  service: hello-world',
          '- hostname: c.example.com',
          '  service: ssh://localhost:22',
          '- hostname: d.example.com',
          '  service: http_status:418',
          '- hostname: e.example.com',
          '  service: not a url',
          '  originRequest:',
          '    bastionMode: true',
          CATCH_ALL,
        ]),
      },
    },
  ],
  invalid: [
    {
      name: 'a path on the origin URL: dropped by the fix',
      files: { [FILE]: config(['- hostname: kasm.example.com', '  service: https://localhost:443/', CATCH_ALL]) },
      findings: [{ path: FILE, line: 5, severity: 'error', message: /^https:\/\/localhost:443\/ is an invalid address, ingress rules don't support proxying to a different path on the origin service\. The path will be the same as the eyeball request's path$/ }],
      output: { [FILE]: config(['- hostname: kasm.example.com', '  service: https://localhost:443', CATCH_ALL]) },
    },
    {
      name: 'helloworld is not hello_world',
      files: { [FILE]: config(['- hostname: kasm.example.com', '  service: helloworld', CATCH_ALL]) },
      findings: [{ path: FILE, line: 5, message: /^helloworld is an invalid address, please make sure it has a scheme and a hostname$/ }],
    },
    {
      // strconv.Atoi's error, wrapped: errors.Wrap(err, "invalid HTTP status code").
      name: 'a status code that is not a number: only the first bad rule, where cloudflared stops',
      files: { [FILE]: config(['- hostname: kasm.example.com', '  service: http_status:abc', '- service: http_status:8080']) },
      findings: [{ path: FILE, line: 5, message: /^invalid HTTP status code: strconv\.Atoi: parsing "abc": invalid syntax$/ }],
    },
    {
      // net/url parseHost: "missing ']' in host", as url.Error prints it.
      name: "url.Parse's error as Go prints it",
      files: { [FILE]: config(['- hostname: kasm.example.com', '  service: https://[::1', CATCH_ALL]) },
      findings: [{ path: FILE, line: 5, message: /^parse "https:\/\/\[::1": missing '\]' in host$/ }],
    },
  ],
});

ruleTests('cloudflared/invalid-hostname', {
  valid: [{ name: 'a leading wildcard', files: { [FILE]: config(['- hostname: "*.example.com"', '  service: https://localhost:443', CATCH_ALL]) } }],
  invalid: [
    {
      // ingress.go validateHostname: net.SplitHostPort succeeds.
      name: 'a port in the hostname: dropped by the fix',
      files: { [FILE]: config(['- hostname: kasm.example.com:443', '  service: https://localhost:443', CATCH_ALL]) },
      findings: [{ path: FILE, line: 4, message: /^Hostname cannot contain a port$/ }],
      output: { [FILE]: config(['- hostname: kasm.example.com', '  service: https://localhost:443', CATCH_ALL]) },
    },
    {
      name: 'a wildcard in the middle',
      files: { [FILE]: config(['- hostname: kasm.*.example.com', '  service: https://localhost:443', CATCH_ALL]) },
      findings: [{ path: FILE, line: 4, message: /^Hostname patterns can have at most one wildcard character \("\*"\) and it can only be used for subdomains, e\.g\. "\*\.example\.com"$/ }],
    },
  ],
});

ruleTests('cloudflared/invalid-path', {
  valid: [
    // regexp/syntax parse.go: named groups in both forms, a name used twice.
    { name: 'RE2 regexes Go accepts', files: { [FILE]: config(['- hostname: kasm.example.com', '  path: "^/api/(?P<v>v[12])/(?<rest>.*)|(?P<v>x)"', '  service: https://localhost:443', CATCH_ALL]) } },
  ],
  invalid: [
    {
      name: 'a look-ahead (Perl, not RE2)',
      files: { [FILE]: config(['- hostname: kasm.example.com', '  path: ^/(?!admin)', '  service: https://localhost:443', CATCH_ALL]) },
      findings: [{ path: FILE, line: 5, message: /^Rule #1 has an invalid regex: error parsing regexp: invalid or unsupported Perl syntax: `\(\?!`$/ }],
    },
    {
      name: 'a repeat over 1000',
      files: { [FILE]: config(['- hostname: kasm.example.com', '  path: ^/a{1001}', '  service: https://localhost:443', CATCH_ALL]) },
      findings: [{ path: FILE, line: 5, message: /^Rule #1 has an invalid regex: error parsing regexp: invalid repeat count: `\{1001\}`$/ }],
    },
  ],
});

ruleTests('cloudflared/catch-all', {
  valid: [
    { name: 'a last rule without hostname and path', files: { [FILE]: config([...KASM_RULE, CATCH_ALL]) } },
    // ingress.go ParseIngressFromConfigAndCLI: no warning when a token is set (a remotely managed tunnel).
    { name: 'no rules, with a token', files: { [FILE]: `token-file: /etc/cloudflared/token\ningress: []\n` } },
  ],
  invalid: [
    {
      name: 'the last rule has a hostname: a catch-all is appended at the same indentation',
      files: { [FILE]: config(KASM_RULE) },
      findings: [{ path: FILE, line: 4, severity: 'error', message: /^The last ingress rule must match all URLs \(i\.e\. it should not have a hostname or path filter\)$/ }],
      output: { [FILE]: config([...KASM_RULE, CATCH_ALL]) },
    },
    {
      name: 'a path filter on the last rule',
      files: { [FILE]: config(['- path: ^/api', '  service: https://localhost:443']) },
      findings: [{ path: FILE, line: 4 }],
      output: { [FILE]: config(['- path: ^/api', '  service: https://localhost:443', CATCH_ALL]) },
    },
    {
      // decode.go sequence(): a null item does not decode into a struct and is dropped.
      name: 'a trailing null item leaves a filtered rule last',
      files: { [FILE]: config([...KASM_RULE, '- ~']) },
      findings: [{ path: FILE, line: 4 }],
      output: { [FILE]: config([...KASM_RULE, '- ~', CATCH_ALL]) },
    },
    {
      // ErrNoIngressRulesCLI: a warning at run time; only `ingress validate` refuses.
      name: 'an empty ingress list: a warning, cloudflared answers 503',
      files: { [FILE]: `${HEAD}ingress: []\n` },
      findings: [{ path: FILE, line: 3, severity: 'warning', message: /^No ingress rules were defined in provided config \(if any\) nor from the cli, cloudflared will return 503 for all incoming HTTP requests$/ }],
    },
  ],
});

ruleTests('cloudflared/unreachable-rule', {
  valid: [{ name: 'the catch-all last', files: { [FILE]: config([...KASM_RULE, CATCH_ALL]) } }],
  invalid: [
    {
      name: 'a catch-all first',
      files: { [FILE]: config([CATCH_ALL, ...KASM_RULE, '- service: http_status:403']) },
      findings: [{ path: FILE, line: 4, message: /^Rule #1 is matching the hostname '', but this will match every hostname, meaning the rules which follow it will never be triggered\.$/ }],
    },
    {
      // decode.go sequence() drops the null item before cloudflared numbers the rules.
      name: 'a null item is not numbered',
      files: { [FILE]: config(['-', "- hostname: '*'", '  service: http_status:404', ...KASM_RULE]) },
      findings: [{ path: FILE, line: 5, message: /^Rule #1 is matching the hostname '\*'/ }],
    },
  ],
});

ruleTests('cloudflared/unknown-key', {
  valid: [{ name: 'known keys, and flags read from the file', files: { [FILE]: config([...KASM_RULE, CATCH_ALL], 'loglevel: info\nno-autoupdate: true\nha-connections: 2\nrpc-timeout: 5s\n') } }],
  invalid: [
    {
      // decode.go mappingStruct(): the strict pass of config.ReadConfigFile, which ingress validate prints.
      name: 'the classic noTlsVerify: the line ingress validate prints; renamed by the fix',
      files: { [FILE]: config([...KASM_RULE, '  originRequest:', '    noTlsVerify: true', CATCH_ALL]) },
      findings: [{ path: FILE, line: 7, severity: 'warning', message: /^line 7: field noTlsVerify not found in type config\.OriginRequestConfig$/ }],
      output: { [FILE]: config([...KASM_RULE, '  originRequest:', '    noTLSVerify: true', CATCH_ALL]) },
    },
    {
      name: 'a misspelt top-level key',
      files: { [FILE]: config([...KASM_RULE, CATCH_ALL], 'credential-file: /root/x.json\n') },
      findings: [{ path: FILE, line: 3, message: /^"credential-file" is not a setting or a flag cloudflared reads from its config file \(did you mean "credentials-file"\?\)$/ }],
      output: { [FILE]: config([...KASM_RULE, CATCH_ALL], 'credentials-file: /root/x.json\n') },
    },
    {
      name: 'warp-routing.enabled, removed in 2023.9.0: removed by the fix',
      files: { [FILE]: config([...KASM_RULE, CATCH_ALL], 'warp-routing:\n  enabled: true\n  connectTimeout: 5s\n') },
      findings: [{ path: FILE, line: 4, message: /^line 4: field enabled not found in type config\.WarpRoutingConfig$/ }],
      output: { [FILE]: config([...KASM_RULE, CATCH_ALL], 'warp-routing:\n  connectTimeout: 5s\n') },
    },
  ],
});

ruleTests('cloudflared/ignored-setting', {
  valid: [{ name: 'legacy flags without ingress rules are read', files: { [FILE]: `${HEAD}url: https://localhost:443\nno-tls-verify: true\n` } }],
  invalid: [
    {
      name: 'a legacy origin flag beside ingress rules: removed',
      files: { [FILE]: config([...KASM_RULE, CATCH_ALL], 'origin-ca-pool: /etc/kasm.crt\n') },
      findings: [{ path: FILE, line: 3, message: /^"origin-ca-pool" is ignored: cloudflared reads it only for a tunnel without ingress rules$/ }],
      output: { [FILE]: config([...KASM_RULE, CATCH_ALL]) },
    },
    {
      // urfave/cli altsrc reads a flag by its Name only.
      name: 'a flag alias: renamed to the flag',
      files: { [FILE]: config([...KASM_RULE, CATCH_ALL], 'cred-file: /root/x.json\n').replace(/^credentials-file: .*\n/m, '') },
      findings: [{ path: FILE, line: 2, message: /^"cred-file" is ignored: cloudflared reads the credentials-file flag from its config file by that name only$/ }],
      output: { [FILE]: config([...KASM_RULE, CATCH_ALL], 'credentials-file: /root/x.json\n').replace(/^credentials-file: \/root\/\.cloudflared.*\n/m, '') },
    },
    {
      // subcommands.go runCommand's warning, verbatim.
      name: 'hostname beside a named tunnel',
      files: { [FILE]: config([...KASM_RULE, CATCH_ALL], 'hostname: kasm.example.com\n') },
      findings: [{ path: FILE, line: 3, message: /^The property `hostname` in your configuration is ignored because you configured a Named Tunnel in the property `tunnel` to run\.$/ }],
      output: { [FILE]: config([...KASM_RULE, CATCH_ALL]) },
    },
    {
      name: 'url beside ingress rules: what ingress validate says',
      files: { [FILE]: config([...KASM_RULE, CATCH_ALL], 'url: http://localhost:8080\n') },
      findings: [{ path: FILE, line: 3, message: /^You can't set the --url flag \(or \$TUNNEL_URL\) when using multiple-origin ingress rules$/ }],
      output: { [FILE]: config([...KASM_RULE, CATCH_ALL]) },
    },
    {
      name: 'access in the top-level originRequest is not enforced',
      files: { [FILE]: config([...KASM_RULE, CATCH_ALL], 'originRequest:\n  access:\n    required: true\n    teamName: example\n') },
      findings: [{ path: FILE, line: 4, message: /is not enforced/ }],
    },
    {
      // ingress.go validateIngress: only the socks-proxy branch reads ipRules; the top-level ones never.
      name: 'ipRules at the top and on an http rule, Access without required',
      files: {
        [FILE]: config(
          ['- hostname: a.example.com', '  service: http://localhost:80', '  originRequest:', '    ipRules:', '      - prefix: 10.0.0.0/8', '    access:', '      teamName: example', CATCH_ALL],
          'originRequest:\n  ipRules:\n    - prefix: 10.0.0.0/8\n',
        ),
      },
      findings: [
        { path: FILE, line: 4, message: /^ipRules in the top-level originRequest are never used/ },
        { path: FILE, line: 10, message: /^ipRules have no effect on rule #1/ },
        { path: FILE, line: 12, message: /^Access is not enforced on rule #1: access\.required is not true$/ },
      ],
    },
    {
      name: 'bastionMode over a URL service',
      files: { [FILE]: config([...KASM_RULE, '  originRequest:', '    bastionMode: true', CATCH_ALL]) },
      findings: [{ path: FILE, line: 7, message: /^bastionMode is on, so cloudflared runs rule #1 as a bastion and ignores its service https:\/\/localhost:443$/ }],
    },
    {
      name: 'a flag that no longer does anything',
      files: { [FILE]: config([...KASM_RULE, CATCH_ALL], 'proxy-connection-timeout: 30s\n') },
      findings: [{ path: FILE, line: 3, message: /^"proxy-connection-timeout" has no effect: DEPRECATED\. No longer has any effect\.$/ }],
      output: { [FILE]: config([...KASM_RULE, CATCH_ALL]) },
    },
  ],
});

ruleTests('cloudflared/missing-tunnel', {
  valid: [
    { name: 'tunnel and credentials', files: { [FILE]: config([...KASM_RULE, CATCH_ALL]) } },
    { name: 'a token gives both', files: { [FILE]: `token-file: /etc/cloudflared/token\ningress:\n  - service: https://localhost:443\n` } },
  ],
  invalid: [
    {
      // subcommands.go runCommand, when the command line names no tunnel either.
      name: 'no tunnel: the message tunnel run stops with',
      files: { [FILE]: `ingress:\n  - service: https://localhost:443\n` },
      findings: [{ path: FILE, line: 1, severity: 'warning', message: /^"cloudflared tunnel run" requires the ID or name of the tunnel to run as the last command line argument or in the configuration file\.$/ }],
    },
    {
      // subcommand_context.go searchByID: <id>.json in the origin certificate's folder, then DefaultConfigSearchDirectories.
      name: 'no credentials file: where cloudflared looks',
      files: { [FILE]: `tunnel: ${UUID.toUpperCase()}\ningress:\n  - service: https://localhost:443\n` },
      findings: [{ path: FILE, line: 1, severity: 'information', message: new RegExp(`^No credentials-file: cloudflared looks for ${UUID}\\.json in the origin certificate's folder, then in ~/\\.cloudflared, ~/\\.cloudflare-warp, ~/cloudflare-warp, /etc/cloudflared, /usr/local/etc/cloudflared$`) }],
    },
  ],
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
      findings: [{ path: FILE, line: 7, severity: 'warning', message: /^noTLSVerify is on for https:\/\/10\.0\.0\.5:443: cloudflared accepts any certificate from this origin$/ }],
      output: { [FILE]: config(['- hostname: kasm.example.com', '  service: https://10.0.0.5:443', '  originRequest:', '    caPool: /opt/kasm/current/certs/kasm_nginx.crt', '    originServerName: kasm.example.com', CATCH_ALL]) },
    },
    {
      name: "Kasm on [::1], written \"on\": information, the guide's setup; the fix verifies Kasm's certificate",
      files: { [FILE]: config(['- hostname: kasm.example.com', '  service: https://[::1]:8443', '  originRequest:', '    noTLSVerify: on', CATCH_ALL]) },
      findings: [{ path: FILE, line: 7, severity: 'information', message: /^noTLSVerify is on for https:\/\/\[::1\]:8443, an origin on this machine$/ }],
      output: { [FILE]: config(['- hostname: kasm.example.com', '  service: https://[::1]:8443', '  originRequest:', '    caPool: /opt/kasm/current/certs/kasm_nginx.crt', '    originServerName: kasm.example.com', CATCH_ALL]) },
    },
    {
      name: 'in the top-level originRequest: every rule without its own setting is affected',
      files: { [FILE]: config([...KASM_RULE, CATCH_ALL], 'originRequest:\n  noTLSVerify: true\n') },
      findings: [{ path: FILE, line: 4, severity: 'warning', message: /^noTLSVerify is on in the top-level originRequest: https:\/\/localhost:443 accept any certificate$/ }],
      output: { [FILE]: config([...KASM_RULE, CATCH_ALL], 'originRequest:\n  caPool: /opt/kasm/current/certs/kasm_nginx.crt\n  originServerName: kasm.example.com\n') },
    },
    {
      // ingress/origin_service.go: httpService speaks plain HTTP to an http:// origin, tcpOverWSService plain TCP.
      name: 'on an http:// origin there is no TLS on that hop: information, removed by the fix',
      files: { [FILE]: config(['- hostname: app.example.com', '  service: http://10.0.0.5:8080', '  originRequest:', '    noTLSVerify: true', CATCH_ALL]) },
      findings: [{ path: FILE, line: 7, severity: 'information', message: /^noTLSVerify does nothing for http:\/\/10\.0\.0\.5:8080: cloudflared reaches it by plain HTTP, with no TLS on that hop$/ }],
      output: { [FILE]: config(['- hostname: app.example.com', '  service: http://10.0.0.5:8080', '  originRequest:', CATCH_ALL]) },
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

ruleTests('cloudflared/http-to-tls-port', {
  valid: [{ name: 'https to 443', files: { [FILE]: config([...KASM_RULE, CATCH_ALL]) } }],
  invalid: [
    {
      name: 'http to 443',
      files: { [FILE]: config(['- hostname: kasm.example.com', '  service: http://localhost:443', CATCH_ALL]) },
      findings: [{ path: FILE, line: 5, message: /^Rule #1 speaks plain HTTP to port 443, where servers usually speak HTTPS$/ }],
      output: { [FILE]: config(['- hostname: kasm.example.com', '  service: https://localhost:443', CATCH_ALL]) },
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

test('a YAML file that is not a tunnel config is left alone; one under a cloudflared folder is read', () => {
  const { findings } = lintTree({ 'ci/pipeline.yml': 'ingress: 3\nsteps: []\n', 'k8s/deploy.yaml': 'kind: Deployment\n', [FILE]: config(KASM_RULE) });
  assert.deepEqual([...new Set(findings.map((f) => f.path))], [FILE]);
  assert.ok(join(FILE).endsWith('config.yml'));
});

test('an error is reported exactly when cloudflared refuses, and each refusal once', () => {
  const { findings } = lintTree({ [FILE]: config([...KASM_RULE, '  originRequest:', '    connectTimeout: 30', '    tlsTimeout: 10', '    noTlsVerify: true'], 'edge-ip-version: 4\n') });
  // yaml.v3 lists every type error; the flag and the catch-all come later and are not reached.
  assert.deepEqual(findings.filter((f) => f.severity === 'error').map((f) => f.message), ['line 8: cannot unmarshal !!int `30` into time.Duration', 'line 9: cannot unmarshal !!int `10` into time.Duration']);
  assert.ok(findings.some((f) => f.rule === 'cloudflared/unknown-key'), 'the warnings are still reported');
});

everyMessageProduced(RULES.map((r) => r.meta.id).filter((id) => id.startsWith('cloudflared/')));
