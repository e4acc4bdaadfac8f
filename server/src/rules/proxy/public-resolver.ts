// nginx's resolver (src/core/ngx_resolver.c) sends plain DNS over UDP with a random query id and
// checks nothing else: an answer from across the internet can be spoofed. CVE-2021-23017 (fixed in
// nginx 1.21.0 and 1.20.1) let a forged answer overwrite a byte of worker memory.

import { versionNumber } from '../../nginx/directives';
import { listWords } from '../../core/strings';
import { directivesNamed } from '../support';
import { defineRule } from '../rule';

function ipv4Public(a: number[]): boolean {
  const [x, y] = a as [number, number];
  if (x === 10 || x === 127 || x === 0) return false;
  if (x === 172 && y >= 16 && y <= 31) return false;
  if (x === 192 && y === 168) return false;
  if (x === 169 && y === 254) return false;
  if (x === 100 && y >= 64 && y <= 127) return false;
  return x < 224;
}

/** The address of a resolver argument when it is a public IP address. */
export function publicAddress(arg: string): string | undefined {
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)(:\d+)?$/.exec(arg);
  if (v4) return ipv4Public(v4.slice(1, 5).map(Number)) ? arg.replace(/:\d+$/, '') : undefined;
  const v6 = /^\[?([0-9a-f:]+)\]?(:\d+)?$/i.exec(arg);
  if (v6 && v6[1]!.includes(':')) {
    const address = v6[1]!.toLowerCase();
    if (address === '::1' || /^f[cd]/.test(address) || /^fe[89ab]/.test(address) || address === '::') return undefined;
    return address;
  }
  return undefined;
}

export default defineRule({
  meta: {
    id: 'proxy/public-resolver',
    defaultSeverity: 'information',
    messages: {
      public: {
        text: 'resolver asks public DNS servers ({servers})',
        why:
          'nginx sends plain DNS queries over UDP and believes the first answer that carries the right query id: answers from a ' +
          'resolver across the internet can be forged by anyone on the path, or raced by an attacker guessing the id, and the names ' +
          'nginx resolves this way decide where it sends requests (variables in proxy_pass, upstreams with resolve, OCSP). Use a ' +
          'resolver on the host or the local network, which can validate DNSSEC (127.0.0.53 with systemd-resolved, 127.0.0.11 in ' +
          'Docker).{cve}',
      },
    },
    reads: ['resolver'],
    docs: {
      summary: '`resolver` pointing at public DNS servers across the internet.',
      whatItDoes:
        'Reports a `resolver` whose addresses include public IP addresses (not loopback, private, link-local or carrier-grade NAT ' +
        'ranges). Names are not reported. For nginx older than 1.21.0 the message adds CVE-2021-23017.',
      whyItMatters:
        'A forged DNS answer sends nginx\'s requests to the attacker\'s server, which then sees what was meant for your upstream ' +
        '(credentials in headers, session cookies) and answers in its place.',
      example: 'resolver 8.8.8.8 1.1.1.1;',
      useInstead: 'resolver 127.0.0.53 valid=30s;',
      references: ['https://nginx.org/en/docs/http/ngx_http_core_module.html#resolver', 'https://nginx.org/en/security_advisories.html'],
    },
  },
  check({ model, settings, report }) {
    const old = versionNumber(settings.nginxVersion) < versionNumber('1.21.0');
    for (const d of directivesNamed(model, 'resolver')) {
      if (d.node.terminator !== ';') continue;
      const servers = d.node.args.map((a) => a.value).filter((v) => !v.includes('=')).map(publicAddress).filter((a): a is string => a !== undefined);
      if (servers.length === 0) continue;
      report({
        message: 'public',
        severity: old ? 'warning' : undefined,
        data: {
          servers: listWords(servers),
          cve: old ? ` nginx ${settings.nginxVersion} also has CVE-2021-23017: a forged answer can crash or take over a worker (fixed in 1.21.0 and 1.20.1).` : '',
        },
        file: d.file,
        start: d.node.start,
        end: d.node.end,
      });
    }
  },
});
