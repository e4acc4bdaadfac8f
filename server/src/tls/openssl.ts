// OpenSSL 3.0's cipher-string evaluation (ssl/ssl_ciph.c: ssl_create_cipher_list and
// ssl_cipher_process_rulestr), step for step, over OpenSSL's own cipher table (data/openssl-3.0.json,
// generated from the source by scripts/openssl-cipher-table.py). `openssl ciphers -v` is the reference:
// test/tls/ciphers.test.ts compares the two on thousands of strings.

import table from './data/openssl-3.0.json';

export interface Cipher {
  name: string;
  standardName: string;
  id: number;
  mkey: number;
  auth: number;
  enc: number;
  mac: number;
  minTls: number;
  maxTls: number;
  strength: number;
  strengthBits: number;
  algBits: number;
}

interface Alias {
  name: string;
  valid: number;
  id: number;
  mkey: number;
  auth: number;
  enc: number;
  mac: number;
  minTls: number;
  strength: number;
}

const M = table.masks as Record<string, number>;
export const MASK = M;
export const VERSION = table.versions;

const STRONG_MASK = M.SSL_STRONG_MASK!;
const DEFAULT_MASK = M.SSL_DEFAULT_MASK!;

/**
 * What OpenSSL 3.0 cannot use at run time with its default provider (ssl_load_ciphers): the legacy
 * ciphers (DES, RC4, RC2, IDEA, SEED) live in the legacy provider, and GOST needs an engine.
 */
const DISABLED = {
  enc: M.SSL_DES! | M.SSL_RC4! | M.SSL_RC2! | M.SSL_IDEA! | M.SSL_SEED! | M.SSL_eGOST2814789CNT! | M.SSL_eGOST2814789CNT12! | M.SSL_MAGMA! | M.SSL_KUZNYECHIK!,
  mac: M.SSL_GOST94! | M.SSL_GOST89MAC! | M.SSL_GOST12_256! | M.SSL_GOST89MAC12! | M.SSL_GOST12_512! | M.SSL_MAGMAOMAC! | M.SSL_KUZNYECHIKOMAC!,
  mkey: M.SSL_kGOST! | M.SSL_kGOST18!,
  auth: M.SSL_aGOST01! | M.SSL_aGOST12!,
};

export const CIPHERS: readonly Cipher[] = table.ciphers;
export const TLS13_SUITES: readonly Cipher[] = table.tls13;

/** OSSL_default_ciphersuites(): the TLS 1.3 suites nginx offers unless `ssl_conf_command Ciphersuites` says otherwise. */
export const DEFAULT_TLS13 = ['TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256', 'TLS_AES_128_GCM_SHA256'].map(
  (name) => TLS13_SUITES.find((c) => c.standardName === name || c.name === name)!,
);

/** OSSL_default_cipher_list(): what "DEFAULT" stands for. */
export const DEFAULT_CIPHER_LIST = 'ALL:!COMPLEMENTOFDEFAULT:!eNULL';

const ADD = 1;
const KILL = 2;
const DEL = 3;
const ORD = 4;
const SPECIAL = 5;
const BUMP = 6;

interface Node {
  cipher: Cipher;
  active: boolean;
  next: Node | null;
  prev: Node | null;
}

class CipherOrder {
  head: Node | null = null;
  tail: Node | null = null;

  constructor(ciphers: readonly Cipher[]) {
    let previous: Node | null = null;
    for (const cipher of ciphers) {
      const node: Node = { cipher, active: false, next: null, prev: previous };
      if (previous) previous.next = node;
      else this.head = node;
      previous = node;
    }
    this.tail = previous;
  }

  private appendTail(curr: Node): void {
    if (curr === this.tail) return;
    if (curr === this.head) this.head = curr.next;
    if (curr.prev) curr.prev.next = curr.next;
    if (curr.next) curr.next.prev = curr.prev;
    this.tail!.next = curr;
    curr.prev = this.tail;
    curr.next = null;
    this.tail = curr;
  }

  private appendHead(curr: Node): void {
    if (curr === this.head) return;
    if (curr === this.tail) this.tail = curr.prev;
    if (curr.next) curr.next.prev = curr.prev;
    if (curr.prev) curr.prev.next = curr.next;
    this.head!.prev = curr;
    curr.next = this.head;
    curr.prev = null;
    this.head = curr;
  }

  /** ssl_cipher_apply_rule */
  apply(cipherId: number, mkey: number, auth: number, enc: number, mac: number, minTls: number, strength: number, rule: number, strengthBits: number): void {
    const reverse = rule === DEL || rule === BUMP;
    let next = reverse ? this.tail : this.head;
    const last = reverse ? this.head : this.tail;
    let curr: Node | null = null;
    for (;;) {
      if (curr === last) break;
      curr = next;
      if (curr === null) break;
      next = reverse ? curr.prev : curr.next;
      const cp = curr.cipher;
      if (strengthBits >= 0) {
        if (strengthBits !== cp.strengthBits) continue;
      } else {
        if (cipherId !== 0 && cipherId !== cp.id) continue;
        if (mkey && !(mkey & cp.mkey)) continue;
        if (auth && !(auth & cp.auth)) continue;
        if (enc && !(enc & cp.enc)) continue;
        if (mac && !(mac & cp.mac)) continue;
        if (minTls && minTls !== cp.minTls) continue;
        if (strength & STRONG_MASK && !(strength & STRONG_MASK & cp.strength)) continue;
        if (strength & DEFAULT_MASK && !(strength & DEFAULT_MASK & cp.strength)) continue;
      }
      if (rule === ADD) {
        if (!curr.active) {
          this.appendTail(curr);
          curr.active = true;
        }
      } else if (rule === ORD) {
        if (curr.active) this.appendTail(curr);
      } else if (rule === DEL) {
        if (curr.active) {
          this.appendHead(curr);
          curr.active = false;
        }
      } else if (rule === BUMP) {
        if (curr.active) this.appendHead(curr);
      } else if (rule === KILL) {
        if (this.head === curr) this.head = curr.next;
        else curr.prev!.next = curr.next;
        if (this.tail === curr) this.tail = curr.prev;
        curr.active = false;
        if (curr.next) curr.next.prev = curr.prev;
        if (curr.prev) curr.prev.next = curr.next;
        curr.next = null;
        curr.prev = null;
      }
    }
  }

  /** ssl_cipher_strength_sort */
  strengthSort(): void {
    const used = new Set<number>();
    for (let n = this.head; n; n = n.next) if (n.active) used.add(n.cipher.strengthBits);
    for (const bits of [...used].sort((a, b) => b - a)) this.apply(0, 0, 0, 0, 0, 0, 0, ORD, bits);
  }

  *nodes(): Generator<Node> {
    for (let n = this.head; n; n = n.next) yield n;
  }
}

function available(c: { mkey: number; auth: number; enc: number; mac: number }): boolean {
  return !(c.mkey & DISABLED.mkey) && !(c.auth & DISABLED.auth) && !(c.enc & DISABLED.enc) && !(c.mac & DISABLED.mac);
}

/** ssl_cipher_collect_ciphers and the default ordering of ssl_create_cipher_list. */
function defaultOrder(): CipherOrder {
  // ssl3_get_cipher(i) walks the table (sorted by id) from its end
  const order = new CipherOrder([...CIPHERS].reverse().filter((c) => available(c) && c.minTls !== 0));
  const r = (mkey: number, auth: number, enc: number, mac: number, minTls: number, rule: number) => order.apply(0, mkey, auth, enc, mac, minTls, 0, rule, -1);
  r(M.SSL_kECDHE!, M.SSL_aECDSA!, 0, 0, 0, ADD);
  r(M.SSL_kECDHE!, 0, 0, 0, 0, ADD);
  r(M.SSL_kECDHE!, 0, 0, 0, 0, DEL);
  r(0, 0, M.SSL_AESGCM!, 0, 0, ADD);
  r(0, 0, M.SSL_CHACHA20!, 0, 0, ADD);
  r(0, 0, M.SSL_AES! ^ M.SSL_AESGCM!, 0, 0, ADD);
  r(0, 0, 0, 0, 0, ADD);
  r(0, 0, 0, M.SSL_MD5!, 0, ORD);
  r(0, M.SSL_aNULL!, 0, 0, 0, ORD);
  r(M.SSL_kRSA!, 0, 0, 0, 0, ORD);
  r(M.SSL_kPSK!, 0, 0, 0, 0, ORD);
  r(0, 0, M.SSL_RC4!, 0, 0, ORD);
  order.strengthSort();
  r(0, 0, 0, 0, VERSION.TLS1_2_VERSION, BUMP);
  r(0, 0, 0, M.SSL_AEAD!, 0, BUMP);
  r(M.SSL_kDHE! | M.SSL_kECDHE!, 0, 0, 0, 0, BUMP);
  r(M.SSL_kDHE! | M.SSL_kECDHE!, 0, 0, M.SSL_AEAD!, 0, BUMP);
  r(0, 0, 0, 0, 0, DEL);
  return order;
}

/** ssl_cipher_collect_aliases: the real ciphers (in the current order), then the usable aliases. */
function aliasList(order: CipherOrder): Alias[] {
  const list: Alias[] = [];
  for (const node of order.nodes()) list.push({ ...node.cipher, valid: 1 });
  for (const alias of table.aliases as Array<Omit<Alias, 'id'>>) {
    if (alias.mkey && !(alias.mkey & ~DISABLED.mkey)) continue;
    if (alias.auth && !(alias.auth & ~DISABLED.auth)) continue;
    if (alias.enc && !(alias.enc & ~DISABLED.enc)) continue;
    if (alias.mac && !(alias.mac & ~DISABLED.mac)) continue;
    list.push({ ...alias, id: 0 });
  }
  return list;
}

function isItemSeparator(ch: string | undefined): boolean {
  return ch === ':' || ch === ' ' || ch === ';' || ch === ',';
}

function isNameChar(ch: string | undefined): boolean {
  return ch !== undefined && /[A-Za-z0-9\-.=]/.test(ch);
}

export interface RuleStringResult {
  ok: boolean;
  /** The security level an `@SECLEVEL=n` set. */
  securityLevel?: number;
}

/** ssl_cipher_process_rulestr */
function processRuleString(text: string, order: CipherOrder, aliases: Alias[], result: RuleStringResult): boolean {
  let l = 0;
  for (;;) {
    let ch = text[l];
    if (ch === undefined) break;
    let rule: number;
    if (ch === '-') {
      rule = DEL;
      l++;
    } else if (ch === '+') {
      rule = ORD;
      l++;
    } else if (ch === '!') {
      rule = KILL;
      l++;
    } else if (ch === '@') {
      rule = SPECIAL;
      l++;
    } else {
      rule = ADD;
    }
    if (isItemSeparator(ch)) {
      l++;
      continue;
    }

    let mkey = 0;
    let auth = 0;
    let enc = 0;
    let mac = 0;
    let minTls = 0;
    let strength = 0;
    let cipherId = 0;
    let found = false;
    let buf = l;
    let buflen = 0;

    for (;;) {
      ch = text[l];
      buf = l;
      buflen = 0;
      while (isNameChar(ch)) {
        ch = text[++l];
        buflen++;
      }
      if (buflen === 0) {
        result.ok = false; // SSL_R_INVALID_COMMAND
        return false;
      }
      if (rule === SPECIAL) break;
      let multi = false;
      if (ch === '+') {
        multi = true;
        l++;
      }
      const word = text.slice(buf, buf + buflen);
      const entry = aliases.find((a) => a.name === word);
      found = entry !== undefined;
      cipherId = 0;
      if (!entry) break;

      const combine = (current: number, bits: number): number | undefined => {
        if (!bits) return current;
        if (!current) return bits;
        const both = current & bits;
        return both ? both : undefined;
      };
      const m = combine(mkey, entry.mkey);
      const a = combine(auth, entry.auth);
      const e = combine(enc, entry.enc);
      const c = combine(mac, entry.mac);
      if (m === undefined || a === undefined || e === undefined || c === undefined) {
        found = false;
        break;
      }
      mkey = m;
      auth = a;
      enc = e;
      mac = c;
      // two strength groups combine the same way, each within its own bits
      if (entry.strength & STRONG_MASK) {
        if (strength & STRONG_MASK) {
          strength &= (entry.strength & STRONG_MASK) | ~STRONG_MASK;
          if (!(strength & STRONG_MASK)) {
            found = false;
            break;
          }
        } else {
          strength = entry.strength & STRONG_MASK;
        }
      }
      if (entry.strength & DEFAULT_MASK) {
        if (strength & DEFAULT_MASK) {
          strength &= (entry.strength & DEFAULT_MASK) | ~DEFAULT_MASK;
          if (!(strength & DEFAULT_MASK)) {
            found = false;
            break;
          }
        } else {
          strength |= entry.strength & DEFAULT_MASK;
        }
      }
      if (entry.valid) {
        cipherId = entry.id;
      } else if (entry.minTls) {
        if (minTls !== 0 && minTls !== entry.minTls) {
          found = false;
          break;
        }
        minTls = entry.minTls;
      }
      if (!multi) break;
    }

    if (rule === SPECIAL) {
      const word = text.slice(buf, buf + buflen);
      let ok = false;
      if (buflen === 8 && word === 'STRENGTH') {
        order.strengthSort();
        ok = true;
      } else if (buflen === 10 && word.startsWith('SECLEVEL=')) {
        const level = word.charCodeAt(9) - 48;
        if (level >= 0 && level <= 5) {
          result.securityLevel = level;
          ok = true;
        }
      }
      if (!ok) result.ok = false;
      while (text[l] !== undefined && !isItemSeparator(text[l])) l++;
    } else if (found) {
      order.apply(cipherId, mkey, auth, enc, mac, minTls, strength, rule, -1);
    } else {
      while (text[l] !== undefined && !isItemSeparator(text[l])) l++;
    }
    if (text[l] === undefined) break;
  }
  return result.ok;
}

export type Expansion =
  | {
      ok: true;
      /** TLS 1.3 suites first, then the string's expansion, as `openssl ciphers -v` lists them. */
      ciphers: Cipher[];
      /** The expansion only (what `ssl_ciphers` controls). */
      tls12: Cipher[];
      /** Set by `@SECLEVEL=n`. */
      securityLevel?: number;
    }
  | { ok: false; error: 'no cipher match' | 'invalid command' };

const SUITE_B: Array<[string, string]> = [
  ['SUITEB128ONLY', 'ECDHE-ECDSA-AES128-GCM-SHA256'],
  ['SUITEB128C2', 'ECDHE-ECDSA-AES256-GCM-SHA384'],
  ['SUITEB128', 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384'],
  ['SUITEB192', 'ECDHE-ECDSA-AES256-GCM-SHA384'],
];

/** ssl_create_cipher_list + SSL_CTX_set_cipher_list: what OpenSSL makes of a cipher string. */
export function expandCipherString(input: string, tls13: readonly Cipher[] = DEFAULT_TLS13): Expansion {
  let text = input;
  const suiteB = SUITE_B.find(([prefix]) => text.startsWith(prefix));
  if (suiteB) text = suiteB[1];

  const order = defaultOrder();
  const aliases = aliasList(order);
  const result: RuleStringResult = { ok: true };
  let rest = text;
  if (text.startsWith('DEFAULT')) {
    processRuleString(DEFAULT_CIPHER_LIST, order, aliases, result);
    rest = text.slice(7);
    if (rest.startsWith(':')) rest = rest.slice(1);
  }
  if (result.ok && rest !== '') processRuleString(rest, order, aliases, result);
  if (!result.ok) return { ok: false, error: 'invalid command' };

  const tls12 = [...order.nodes()].filter((n) => n.active).map((n) => n.cipher);
  if (tls12.length === 0) return { ok: false, error: 'no cipher match' };
  return { ok: true, ciphers: [...tls13, ...tls12], tls12, securityLevel: result.securityLevel };
}

const MIN_BITS = [0, 80, 112, 128, 192, 256];

/**
 * Whether a suite can be negotiated at a security level (ssl_security_default_callback for
 * SSL_SECOP_CIPHER_SUPPORTED) and with the protocol versions enabled.
 */
export function negotiable(c: Cipher, securityLevel: number, protocols: { min: number; max: number }): boolean {
  if (c.minTls > protocols.max || c.maxTls < protocols.min) return false;
  if (securityLevel <= 0) return true;
  const minbits = MIN_BITS[Math.min(securityLevel, 5)]!;
  if (c.strengthBits < minbits) return false;
  if (c.auth & M.SSL_aNULL!) return false;
  if (c.mac & M.SSL_MD5!) return false;
  if (minbits > 160 && c.mac & M.SSL_SHA1!) return false;
  if (securityLevel >= 2 && c.enc === M.SSL_RC4) return false;
  const pfs = M.SSL_kDHE! | M.SSL_kECDHE! | M.SSL_kDHEPSK! | M.SSL_kECDHEPSK!;
  if (securityLevel >= 3 && c.minTls !== VERSION.TLS1_3_VERSION && !(c.mkey & pfs)) return false;
  return true;
}

// SSL_CIPHER_description

const KX: Record<number, string> = {};
const AU: Record<number, string> = {};
const ENC: Record<number, string> = {};
const MAC: Record<number, string> = {};
Object.assign(KX, { [M.SSL_kRSA!]: 'RSA', [M.SSL_kDHE!]: 'DH', [M.SSL_kECDHE!]: 'ECDH', [M.SSL_kPSK!]: 'PSK', [M.SSL_kRSAPSK!]: 'RSAPSK', [M.SSL_kECDHEPSK!]: 'ECDHEPSK', [M.SSL_kDHEPSK!]: 'DHEPSK', [M.SSL_kSRP!]: 'SRP', [M.SSL_kGOST!]: 'GOST', [M.SSL_kGOST18!]: 'GOST18', 0: 'any' });
Object.assign(AU, { [M.SSL_aRSA!]: 'RSA', [M.SSL_aDSS!]: 'DSS', [M.SSL_aNULL!]: 'None', [M.SSL_aECDSA!]: 'ECDSA', [M.SSL_aPSK!]: 'PSK', [M.SSL_aSRP!]: 'SRP', [M.SSL_aGOST01!]: 'GOST01', [M.SSL_aGOST12! | M.SSL_aGOST01!]: 'GOST12', 0: 'any' });
Object.assign(ENC, {
  [M.SSL_DES!]: 'DES(56)', [M.SSL_3DES!]: '3DES(168)', [M.SSL_RC4!]: 'RC4(128)', [M.SSL_RC2!]: 'RC2(128)', [M.SSL_IDEA!]: 'IDEA(128)',
  [M.SSL_eNULL!]: 'None', [M.SSL_AES128!]: 'AES(128)', [M.SSL_AES256!]: 'AES(256)', [M.SSL_AES128GCM!]: 'AESGCM(128)', [M.SSL_AES256GCM!]: 'AESGCM(256)',
  [M.SSL_AES128CCM!]: 'AESCCM(128)', [M.SSL_AES256CCM!]: 'AESCCM(256)', [M.SSL_AES128CCM8!]: 'AESCCM8(128)', [M.SSL_AES256CCM8!]: 'AESCCM8(256)',
  [M.SSL_CAMELLIA128!]: 'Camellia(128)', [M.SSL_CAMELLIA256!]: 'Camellia(256)', [M.SSL_ARIA128GCM!]: 'ARIAGCM(128)', [M.SSL_ARIA256GCM!]: 'ARIAGCM(256)',
  [M.SSL_SEED!]: 'SEED(128)', [M.SSL_eGOST2814789CNT!]: 'GOST89(256)', [M.SSL_eGOST2814789CNT12!]: 'GOST89(256)', [M.SSL_MAGMA!]: 'MAGMA', [M.SSL_KUZNYECHIK!]: 'KUZNYECHIK',
  [M.SSL_CHACHA20POLY1305!]: 'CHACHA20/POLY1305(256)',
});
Object.assign(MAC, { [M.SSL_MD5!]: 'MD5', [M.SSL_SHA1!]: 'SHA1', [M.SSL_SHA256!]: 'SHA256', [M.SSL_SHA384!]: 'SHA384', [M.SSL_AEAD!]: 'AEAD', [M.SSL_GOST89MAC!]: 'GOST89', [M.SSL_GOST89MAC12!]: 'GOST89', [M.SSL_GOST94!]: 'GOST94', [M.SSL_GOST12_256!]: 'GOST2012', [M.SSL_GOST12_512!]: 'GOST2012' });

export function protocolName(version: number): string {
  return { [VERSION.TLS1_3_VERSION]: 'TLSv1.3', [VERSION.TLS1_2_VERSION]: 'TLSv1.2', [VERSION.TLS1_1_VERSION]: 'TLSv1.1', [VERSION.TLS1_VERSION]: 'TLSv1', [VERSION.SSL3_VERSION]: 'SSLv3' }[version] ?? 'unknown';
}

export interface CipherColumns {
  name: string;
  protocol: string;
  kx: string;
  au: string;
  enc: string;
  mac: string;
}

export function columns(c: Cipher): CipherColumns {
  return { name: c.name, protocol: protocolName(c.minTls), kx: KX[c.mkey] ?? 'unknown', au: AU[c.auth] ?? 'unknown', enc: ENC[c.enc] ?? 'unknown', mac: MAC[c.mac] ?? 'unknown' };
}

/** One line of `openssl ciphers -v`. */
export function describe(c: Cipher): string {
  const col = columns(c);
  return `${col.name.padEnd(30)} ${col.protocol.padEnd(7)} Kx=${col.kx.padEnd(8)} Au=${col.au.padEnd(5)} Enc=${col.enc.padEnd(22)} Mac=${col.mac.padEnd(4)}`;
}
