// The TLS side of each server nginx reads: is it a TLS server, which protocols and suites does it
// really offer (configured, or nginx's defaults for its version), and what is weak about each suite.

import { type ConfigBlock, type ConfigDirective, type ConfigModel, modelMemoKey } from '../model/config';
import { effective } from '../model/effective';
import { versionNumber } from '../nginx/directives';
import { type Cipher, expandCipherString, type Expansion, MASK, negotiable, VERSION } from './openssl';
import { TextMemo } from '../core/maps';

export const PROTOCOL_VERSIONS: Record<string, number> = {
  SSLv2: 0x0200,
  SSLv3: VERSION.SSL3_VERSION,
  TLSv1: VERSION.TLS1_VERSION,
  'TLSv1.1': VERSION.TLS1_1_VERSION,
  'TLSv1.2': VERSION.TLS1_2_VERSION,
  'TLSv1.3': VERSION.TLS1_3_VERSION,
};

/** nginx's default ssl_protocols, which changed over versions. */
export function defaultProtocols(nginxVersion: string): string[] {
  const v = versionNumber(nginxVersion);
  if (v >= versionNumber('1.27.3')) return ['TLSv1.2', 'TLSv1.3'];
  if (v >= versionNumber('1.23.4')) return ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];
  return ['TLSv1', 'TLSv1.1', 'TLSv1.2'];
}

export const DEFAULT_CIPHERS = 'HIGH:!aNULL:!MD5';

/** The security level of Debian's OpenSSL (and so of Kasm's nginx image) unless a string says otherwise. */
export const DEFAULT_SECURITY_LEVEL = 2;

export type Weakness = 'no-encryption' | 'no-authentication' | 'broken-cipher' | 'md5' | 'no-forward-secrecy' | 'sha1' | 'cbc' | 'not-fips';

export const WEAKNESS_TEXT: Record<Weakness, string> = {
  'no-encryption': 'no encryption (NULL)',
  'no-authentication': 'no server authentication (anonymous)',
  'broken-cipher': 'a broken cipher (DES, 3DES or RC4)',
  md5: 'MD5 integrity',
  'no-forward-secrecy': 'no forward secrecy (RSA key exchange: recorded traffic is readable once the key leaks)',
  sha1: 'SHA-1 integrity with CBC (TLS 1.0 era)',
  cbc: 'CBC mode (padding-oracle prone; not in Mozilla intermediate)',
  'not-fips': 'not FIPS-approved',
};

const FORWARD_SECRET = MASK.SSL_kDHE! | MASK.SSL_kECDHE! | MASK.SSL_kDHEPSK! | MASK.SSL_kECDHEPSK!;

export function weaknesses(c: Cipher, fipsOnly: boolean): Weakness[] {
  const found: Weakness[] = [];
  if (c.enc & MASK.SSL_eNULL!) found.push('no-encryption');
  if (c.auth & MASK.SSL_aNULL!) found.push('no-authentication');
  if (c.enc & (MASK.SSL_DES! | MASK.SSL_3DES! | MASK.SSL_RC4!)) found.push('broken-cipher');
  if (c.mac & MASK.SSL_MD5!) found.push('md5');
  if (c.minTls !== VERSION.TLS1_3_VERSION && !(c.mkey & FORWARD_SECRET)) found.push('no-forward-secrecy');
  if (c.mac & MASK.SSL_SHA1!) found.push('sha1');
  else if (c.enc & MASK.SSL_CBC!) found.push('cbc');
  if (fipsOnly && !(c.strength & MASK.SSL_FIPS!)) found.push('not-fips');
  return found;
}

/** Suites nginx never negotiates whatever the string says: it has no PSK or SRP callback. */
export function unusableByNginx(c: Cipher): string | undefined {
  if (c.mkey & (MASK.SSL_PSK! | MASK.SSL_kSRP!)) return 'PSK/SRP: nginx never negotiates it';
  return undefined;
}

export interface TlsServer {
  server: ConfigBlock;
  /** The `listen ... ssl` directives. */
  listens: ConfigDirective[];
  protocols: { names: string[]; from: readonly ConfigDirective[]; isDefault: boolean };
  ciphers: { text: string; from?: ConfigDirective; isDefault: boolean; expansion: Expansion };
  dhparam?: ConfigDirective;
  securityLevel: number;
  /** TLS 1.2-and-below suites nginx can negotiate here, in preference order. */
  negotiable: Cipher[];
  /** Suites the string enables that nginx will not use here, with why. */
  inert: Array<{ cipher: Cipher; why: string }>;
}

function isTlsListen(d: ConfigDirective): boolean {
  return d.node.name === 'listen' && d.node.args.slice(1).some((a) => a.value === 'ssl');
}

const TLS_SERVERS = modelMemoKey<Map<string, TlsServer[]>>('TLS servers');

/** The TLS servers of a model (computed once per model and nginx version: several rules ask). */
export function tlsServers(model: ConfigModel, nginxVersion: string): TlsServer[] {
  const byVersion = model.memo(TLS_SERVERS, () => new Map());
  let servers = byVersion.get(nginxVersion);
  if (!servers) byVersion.set(nginxVersion, (servers = findTlsServers(model, nginxVersion)));
  return servers;
}

function findTlsServers(model: ConfigModel, nginxVersion: string): TlsServer[] {
  const servers: TlsServer[] = [];
  for (const d of model.named('server')) {
    if (d.parent.context !== 'http' || !d.block) continue;
    const block = d.block;
    const listens = block.items.filter(isTlsListen);
    const sslOn = effective(block, 'ssl', nginxVersion).directives.some((s) => s.node.args[0]?.value === 'on');
    if (listens.length === 0 && !sslOn) continue;
    servers.push(analyseServer(block, listens, nginxVersion));
  }
  return servers;
}

/** Expansions already made: a configuration repeats its cipher string in every server, an edit rarely changes it. */
const expansions = new TextMemo<Expansion>(200);

export function analyseServer(block: ConfigBlock, listens: ConfigDirective[], nginxVersion: string): TlsServer {
  const protocolDirectives = effective(block, 'ssl_protocols', nginxVersion).directives;
  const configured = [...new Set(protocolDirectives.flatMap((d) => d.node.args.map((a) => a.value)))];
  const names = protocolDirectives.length ? configured : defaultProtocols(nginxVersion);
  const cipherDirective = effective(block, 'ssl_ciphers', nginxVersion).directives[0];
  const text = cipherDirective?.node.args[0]?.value ?? DEFAULT_CIPHERS;
  const expansion = expansions.get(text, () => expandCipherString(text));
  const dhparam = effective(block, 'ssl_dhparam', nginxVersion).directives[0];
  const securityLevel = expansion.ok && expansion.securityLevel !== undefined ? expansion.securityLevel : DEFAULT_SECURITY_LEVEL;

  const versions = names.map((n) => Object.entries(PROTOCOL_VERSIONS).find(([k]) => k.toLowerCase() === n.toLowerCase())?.[1]).filter((v): v is number => v !== undefined);
  const range = { min: Math.min(...versions, 0xffff), max: Math.max(...versions, 0) };
  const negotiableSuites: Cipher[] = [];
  const inert: TlsServer['inert'] = [];
  if (expansion.ok) {
    for (const c of expansion.tls12) {
      const unusable = unusableByNginx(c);
      if (unusable) inert.push({ cipher: c, why: unusable });
      else if (c.mkey & MASK.SSL_kDHE! && !dhparam && versionNumber(nginxVersion) >= versionNumber('1.11.0')) {
        inert.push({ cipher: c, why: 'DHE without ssl_dhparam: nginx uses no DH parameters, so it never negotiates it' });
      } else if (!negotiable(c, securityLevel, range)) {
        inert.push({ cipher: c, why: c.maxTls < range.min || c.minTls > range.max ? 'its protocol version is not enabled' : `refused by OpenSSL at security level ${securityLevel}` });
      } else negotiableSuites.push(c);
    }
  }
  return {
    server: block,
    listens,
    protocols: { names, from: protocolDirectives, isDefault: protocolDirectives.length === 0 },
    ciphers: { text, from: cipherDirective, isDefault: !cipherDirective, expansion },
    dhparam,
    securityLevel,
    negotiable: negotiableSuites,
    inert,
  };
}
