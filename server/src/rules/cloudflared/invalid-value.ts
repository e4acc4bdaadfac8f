import type { TunnelFile } from '../../cloudflared/document';
import { replaceScalar } from '../../cloudflared/edits';
import { type Refusal, refusalsOf, type RefusalKind, settingsOf } from '../../cloudflared/load';
import type { YNode } from '../../cloudflared/yamlv3/compose';
import { goQuote } from '../../cloudflared/go/strconv';
import { defineRule, type FixSpec } from '../rule';

/** The start-up checks this rule reports, by refusal kind, and the message that explains each. */
const CHECKS = {
  type: 'type',
  flag: 'flag',
  token: 'token',
  tag: 'tag',
  'post-quantum': 'postQuantum',
  protocol: 'protocol',
  url: 'singleOrigin',
  'grace-period': 'gracePeriod',
  'edge-ip-version': 'edgeIpVersion',
  'edge-bind-address': 'edgeBindAddress',
  'ip-rule': 'ipRule',
  access: 'access',
} as const satisfies Partial<Record<RefusalKind, string>>;

/** Why yaml.v3 refused a value, by the Go type it was decoding into. */
const TYPE_HINTS: Record<string, string> = {
  'time.Duration': ' A duration is a Go duration string with a unit: 30s, 1m30s, 2h.',
  bool: ' A boolean is true or false (yaml.v3 also takes yes/no, on/off, y/n), without quotes.',
  int: ' An integer is expected here.',
  uint: ' A whole number of 0 or more is expected here.',
  uint64: ' A whole number of 0 or more is expected here.',
  '[]string': ' A list is expected, even for one value: [value].',
  '[]int': ' A list is expected, even for one value: [22].',
  'config.UnvalidatedIngressRule': ' Each ingress rule is a mapping: hostname, path, service, originRequest (e.g. "- service: http_status:404").',
  '[]config.UnvalidatedIngressRule': ' ingress is a list of rules, each starting with "- ".',
};

/** The Go type a type error names ("... into time.Duration"). */
function intoType(message: string): string {
  return /into (\S+)$/.exec(message)?.[1] ?? '';
}

function source(file: TunnelFile, node: YNode): string {
  return file.text.slice(node.start, node.end);
}

const YAML11_BOOLS: Record<string, string> = { yes: 'true', on: 'true', y: 'true', no: 'false', off: 'false', n: 'false', true: 'true', false: 'false' };

type Fix = 'rewrite';

/** The value the author most likely meant, in a form cloudflared takes; undefined when there is no such form. */
function rewrite(file: TunnelFile, refusal: Refusal): string | undefined {
  const node = refusal.node;
  if (!node || node.kind !== 'scalar' || !['plain', 'single', 'double'].includes(node.style)) return undefined;
  if (refusal.key && node.start < refusal.key.start) return undefined; // an alias's target, elsewhere
  const value = node.value;
  const into = refusal.kind === 'type' ? intoType(refusal.message) : '';
  const flag = refusal.kind === 'flag' ? refusal.flag?.flag : undefined;
  if ((into === 'time.Duration' || flag === 'duration') && /^\d+$/.test(value)) return `${value}s`;
  if (into === 'bool' && /^(true|false)$/i.test(value)) return value.toLowerCase();
  if (flag === 'bool' && YAML11_BOOLS[value.toLowerCase()] !== undefined) return YAML11_BOOLS[value.toLowerCase()];
  if ((into === '[]string' || into === '[]int' || flag === 'strings') && value !== '') return `[${source(file, node)}]`;
  if (flag === 'string' && node.style === 'plain' && value !== '' && !/["\\]/.test(value)) return `"${value}"`;
  return undefined;
}

export default defineRule({
  meta: {
    id: 'cloudflared/invalid-value',
    defaultSeverity: 'error',
    messages: {
      type: {
        text: '{cloudflared}',
        why: 'yaml.v3 cannot decode this value into the Go type cloudflared declares for the key ({type}), so cloudflared refuses the whole file.{hint}',
      },
      flag: {
        text: '{cloudflared}',
        why: 'cloudflared reads the {key} flag from the file as a {expected}, and stops at start-up on a value of another type.{hint}',
      },
      token: { text: '{cloudflared}', why: 'A tunnel token is the base64 text the dashboard gives (a JSON object with the account, tunnel id and secret); cloudflared cannot decode this one.' },
      tag: { text: '{cloudflared}', why: 'Each tag is NAME=VALUE, NAME being a header name (letters, digits, !#$%&\'*+-.^_`|~) and VALUE printable ASCII.' },
      postQuantum: { text: '{cloudflared}', why: 'Post-quantum key agreement exists only on QUIC: with post-quantum on, protocol must be quic or auto.' },
      protocol: { text: '{cloudflared}', why: 'cloudflared knows the protocols auto, quic and http2 (h2mux is upgraded to http2 with a warning).' },
      singleOrigin: {
        text: '{cloudflared}',
        why: 'Without ingress rules cloudflared serves the one origin of the url flag, and refuses to start when it cannot read it: a URL (or host:port) with http, https, rdp, ssh, smb or tcp.',
      },
      gracePeriod: { text: '{cloudflared}', why: 'cloudflared waits at most 3 minutes for requests to finish on shutdown.' },
      edgeIpVersion: { text: '{cloudflared}', why: 'edge-ip-version is "4", "6" or "auto" (the default), as strings.' },
      edgeBindAddress: { text: '{cloudflared}', why: 'edge-bind-address is an IP address of this machine, without a port.' },
      ipRule: {
        text: '{cloudflared}',
        why: 'Each ipRules entry of a socks-proxy rule needs a CIDR prefix (10.0.0.0/8, not a bare address) and ports from 1 to 65535.',
      },
      access: {
        text: '{cloudflared}',
        why: 'With access.required and audTag, cloudflared needs the team name to check the Access token; without audTag it starts, but then checks nothing about the application.',
      },
      logLevel: {
        text: '{cloudflared}',
        why: 'cloudflared logs this error and goes on at the info level: the level asked for here is not used. The levels are debug, info, warn, error and fatal.',
      },
    },
    fixes: {
      rewrite: { title: 'Write {value}', applicability: 'safe' },
    },
    docs: {
      summary: 'A value cloudflared refuses when it starts: a wrong type, a bad flag value, an unknown protocol, ...',
      whatItDoes:
        "Decodes the file as cloudflared does (a port of yaml.v3's decoder into cloudflared's Go types), then reads the flags it takes from the " +
        "file and runs its start-up checks in its order, and reports the value where cloudflared stops, with cloudflared's own message: yaml.v3's " +
        '``line 7: cannot unmarshal !!int `30` into time.Duration`` (every one, as yaml.v3 lists them together), a flag of the wrong type ' +
        '(`expected string found int for edge-ip-version`), an invalid token or tag, post-quantum without QUIC, an unknown protocol, a grace ' +
        'period over 3m, the url of a tunnel without ingress rules with a scheme cloudflared does not take, a bad edge-ip-version or edge-bind-address, a socks-proxy ip rule without a CIDR prefix or with a bad port, Access ' +
        'without its team name. An unknown log level is a warning: cloudflared falls back to info.',
      whyItMatters: 'Each of these stops cloudflared at start-up, and the YAML looks fine: `connectTimeout: 30`, `edge-ip-version: 4`, `noTLSVerify: "true"`.',
      example: 'edge-ip-version: 4\noriginRequest:\n  connectTimeout: 30\n  noTLSVerify: "true"',
      useInstead: 'edge-ip-version: "4"\noriginRequest:\n  connectTimeout: 30s\n  noTLSVerify: true',
      fixSafety:
        'Writes the value in the form cloudflared takes, keeping what it says: a number of seconds gets its unit (`30` → `30s`), a quoted ' +
        '`"true"` loses its quotes, a number for a string flag gets quotes, one value for a list becomes a one-item list. Safe.',
      references: ['https://developers.cloudflare.com/cloudflare-one/connections/connect-networks/configure-tunnels/cloudflared-parameters/run-parameters/'],
    },
  },
  checkTunnel({ tunnel, report }) {
    const { file, load } = tunnel;
    for (const refusal of refusalsOf(load, Object.keys(CHECKS) as RefusalKind[])) {
      const value = rewrite(file, refusal);
      const fixes: Array<FixSpec<Fix>> = value !== undefined && refusal.node ? [{ fix: 'rewrite', data: { value }, edits: [replaceScalar(file, refusal.node, value)] }] : [];
      const into = intoType(refusal.message);
      const flag = refusal.flag;
      report({
        message: CHECKS[refusal.kind as keyof typeof CHECKS],
        data: {
          cloudflared: refusal.message,
          type: into,
          hint: refusal.kind === 'type' ? TYPE_HINTS[into] ?? '' : flagHint(refusal),
          key: flag?.key ?? '',
          expected: { bool: 'boolean', string: 'string', path: 'string', int: 'integer', duration: 'duration string', strings: 'list of strings' }[flag?.flag ?? 'string'],
        },
        file,
        start: refusal.start,
        end: refusal.end,
        fixes,
      });
    }
    for (const name of ['loglevel', 'transport-loglevel']) {
      const entry = settingsOf(load.top).get(name);
      const level = load.applied.get(name);
      if (!entry || level?.t !== 'string' || zerologLevel(level.v)) continue;
      // logger/create.go newZerolog: zerolog.ParseLevel fails, InfoLevel is used instead.
      report({ message: 'logLevel', severity: 'warning', data: { cloudflared: `Failed to parse log level ${goQuote(level.v)}, using "info" instead` }, file, start: entry.node.start, end: entry.node.end });
    }
  },
});

/** What to write instead, for a flag of the wrong type. */
function flagHint(refusal: Refusal): string {
  if (/ found <nil> for /.test(refusal.message)) return ' The key has no value: give it one, or remove the line.';
  if (refusal.flag?.flag === 'duration') return TYPE_HINTS['time.Duration']!;
  if (refusal.flag?.flag === 'string') return ' A number, a boolean or a date is not a string to it: quote the value ("4").';
  return '';
}

/** zerolog.ParseLevel: a level name (any case), "" or an integer from -128 to 127. */
function zerologLevel(level: string): boolean {
  if (/^(trace|debug|info|warn|error|fatal|panic|disabled)$/i.test(level)) return true;
  return /^[+-]?\d+$/.test(level) && Number(level) >= -128 && Number(level) <= 127;
}
