import type { Severity } from '../../engine/findings';
import { PROFILES } from '../../tls/profiles';
import { type TlsServer, tlsServers, type Weakness, WEAKNESS_TEXT, weaknesses } from '../../tls/servers';
import { insertIntoBlock, replaceArguments } from '../edits';
import type { ConfigBlock } from '../../model/config';
import { effective } from '../../model/effective';
import { defineRule, type NginxError } from '../rule';
import { refused } from '../support';
import { addTo } from '../../core/maps';

const SEVERITY: Record<Weakness, Severity> = {
  'no-encryption': 'error',
  'no-authentication': 'error',
  'broken-cipher': 'error',
  md5: 'error',
  'no-forward-secrecy': 'warning',
  sha1: 'warning',
  'not-fips': 'warning',
  cbc: 'information',
};
const ORDER: Weakness[] = ['no-encryption', 'no-authentication', 'broken-cipher', 'md5', 'no-forward-secrecy', 'sha1', 'not-fips', 'cbc'];

function summarise(server: TlsServer, fipsOnly: boolean): { severity: Severity; text: string; count: number } | undefined {
  const byClass = new Map<Weakness, string[]>();
  for (const c of server.negotiable) for (const w of weaknesses(c, fipsOnly)) addTo(byClass, w, c.name);
  if (byClass.size === 0) return undefined;
  const classes = ORDER.filter((w) => byClass.has(w));
  const parts = classes.map((w) => {
    const names = byClass.get(w)!;
    const shown = names.length > 4 ? `${names.slice(0, 4).join(', ')} and ${names.length - 4} more` : names.join(', ');
    return `${WEAKNESS_TEXT[w]}: ${shown}`;
  });
  const count = new Set([...byClass.values()].flat()).size;
  return { severity: SEVERITY[classes[0]!], text: parts.join('; '), count };
}

/** OpenSSL 3's codes of the two errors SSL_CTX_set_cipher_list gives (ERR_PACK(ERR_LIB_SSL, 0, reason)). */
const OPENSSL_ERROR = { 'no cipher match': 'error:0A0000B9:SSL routines::no cipher match', 'invalid command': 'error:0A000118:SSL routines::invalid command' } as const;

/**
 * Whether nginx gives this server's SSL context its ciphers: ngx_http_ssl_merge_srv_conf makes the
 * context only for a server with a certificate (or ssl_reject_handshake on); one without is refused
 * later, for the certificate (nginx/ssl-without-certificate).
 */
function settingCiphers(server: TlsServer, version: string): boolean {
  return effective(server.server, 'ssl_certificate', version).directives.length > 0 || effective(server.server, 'ssl_reject_handshake', version).directives.at(-1)?.node.args[0]?.value === 'on';
}

/** nginx's message when OpenSSL takes none of the string: found as the servers are merged at the end of the http block, with no file or line. */
function cipherListError(value: string, error: keyof typeof OPENSSL_ERROR, server: ConfigBlock): NginxError {
  const http = server.parent;
  return {
    seq: server.owner!.seq,
    line: 0,
    message: `SSL_CTX_set_cipher_list("${value}") failed (SSL: ${OPENSSL_ERROR[error]})`,
    unlocated: true,
    // the ssl module's merge comes after the core module's and before the proxy's (nginx/buffer-sizes)
    foundAt: (http?.endSeq ?? Number.MAX_SAFE_INTEGER) - 0.5 + 0.05,
  };
}

export default defineRule({
  meta: {
    id: 'tls/weak-cipher',
    defaultSeverity: 'warning',
    messages: {
      configured: {
        text: 'ssl_ciphers lets nginx negotiate {count} weak suite{s}.',
        why: 'Weak, as OpenSSL expands "{value}" ({total} suites): {weak}. The {profile} uses only forward-secret AEAD suites; the fix sets them.',
      },
      byDefault: {
        text: 'This TLS server sets no ssl_ciphers, and nginx\'s default lets in {count} weak suite{s}.',
        why: 'Weak, as OpenSSL expands nginx\'s default "HIGH:!aNULL:!MD5" ({total} suites): {weak}. The {profile} uses only forward-secret AEAD suites; the fix sets them.',
      },
      noMatch: { text: 'ssl_ciphers "{value}" matches no cipher suite.', ...refused('OpenSSL: {error}.'), severity: 'error' },
    },
    fixes: {
      replace: { title: 'Use the cipher suites of the {profile}', applicability: 'safe' },
      add: { title: 'Add the ssl_ciphers of the {profile} to this server', applicability: 'safe' },
    },
    reads: ['listen', 'ssl', 'ssl_ciphers', 'ssl_protocols', 'ssl_certificate', 'ssl_reject_handshake'],
    docs: {
      summary: 'A cipher string that lets in suites without forward secrecy, authentication or encryption, or with broken, CBC or SHA-1 constructions.',
      whatItDoes:
        'Expands `ssl_ciphers` exactly as OpenSSL 3.0 does (aliases, `+` intersections, `!`/`-`/`+` prefixes, `@STRENGTH`, `@SECLEVEL`; the ' +
        'expansion is checked against `openssl ciphers -v` on thousands of strings), keeps the suites nginx can really negotiate there (the ' +
        'protocol versions enabled, the OpenSSL security level, no DHE without `ssl_dhparam`, no PSK or SRP), and reports those in the classes ' +
        "Mozilla's intermediate profile excludes: RSA key exchange (no forward secrecy), anonymous or NULL suites, DES, 3DES, RC4, MD5, SHA-1, " +
        'CBC. With the `stig` profile, suites that are not FIPS-approved too. A TLS server without `ssl_ciphers` is checked against nginx\'s ' +
        'default `HIGH:!aNULL:!MD5`. Severity follows the worst class; the message names the suites. Other tools match substrings of the ' +
        'string; the string `EECDH+AESGCM:EECDH+AES256` of Kasm\'s own hardening guide looks strict but lets in `ECDHE-RSA-AES256-SHA` (CBC with SHA-1).',
      whyItMatters:
        'Without forward secrecy, anyone who records Kasm sessions today can read them once the server key leaks. CBC with SHA-1 is the TLS 1.0-era ' +
        'construction behind the Lucky13 and padding-oracle attacks. Compliance checks (CIS 4.1.5, DISA STIG) fail on them.',
      severityNote:
        'The severity follows the worst suite let in, in every preset: error for no encryption, no authentication, a broken cipher or MD5; ' +
        'warning for no forward secrecy, SHA-1 or (with the stig profile) a suite that is not FIPS-approved; information for CBC alone.',
      example: 'ssl_ciphers EECDH+AESGCM:EECDH+AES256;',
      useInstead:
        'ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305;',
      fixSafety:
        "The fix sets the profile's suites; --fix applies it. Mozilla's intermediate suites work with every browser of the last ten years; very old clients (Windows XP, Java 6) lose access.",
      references: ['https://ssl-config.mozilla.org/', 'https://docs.openssl.org/3.0/man1/openssl-ciphers/'],
    },
  },
  check({ model, settings, report }) {
    const profile = PROFILES[settings.tlsProfile];
    const data = { profile: profile.title };
    for (const server of tlsServers(model, settings.nginxVersion)) {
      const directive = server.ciphers.from;
      const expansion = server.ciphers.expansion;
      if (!expansion.ok) {
        if (directive) {
          const arg = directive.node.args[0]!;
          report({
            message: 'noMatch',
            data: { value: arg.value, error: expansion.error },
            file: directive.file,
            start: arg.start,
            end: arg.end,
            nginx: settingCiphers(server, settings.nginxVersion) ? cipherListError(arg.value, expansion.error, server.server) : undefined,
          });
        }
        continue;
      }
      if (!profile.ciphers) continue; // TLS 1.2 is off in this profile: tls/weak-protocol reports it
      const summary = summarise(server, profile.fipsOnly);
      if (!summary) continue;
      const common = { ...data, weak: summary.text, count: summary.count, s: summary.count === 1 ? '' : 's', total: expansion.tls12.length };
      if (directive) {
        const arg = directive.node.args[0]!;
        report({
          message: 'configured',
          data: { ...common, value: arg.value.length > 60 ? `${arg.value.slice(0, 57)}...` : arg.value },
          file: directive.file,
          start: arg.start,
          end: arg.end,
          severity: summary.severity,
          fixes: [{ fix: 'replace', data, edits: [replaceArguments(directive.file, directive.node, profile.ciphers)] }],
        });
      } else {
        const anchor = server.listens[0] ?? server.server.owner!;
        report({
          message: 'byDefault',
          data: common,
          file: anchor.file,
          start: anchor.node.start,
          end: anchor.node.end,
          severity: summary.severity,
          fixes: [
            {
              fix: 'add',
              data,
              edits: [insertIntoBlock(server.server.file!, server.server.syntax!, [`ssl_ciphers ${profile.ciphers};`], (d) => d.name.startsWith('ssl_') || d.name === 'listen' || d.name === 'server_name')],
            },
          ],
        });
      }
    }
  },
});
