// The key-exchange groups `ssl_ecdh_curve` may name, as OpenSSL 3.0's default provider lists them
// (providers/common/capabilities.c: a TLS name, the curve's own name, and its security in bits).
// OpenSSL matches either name, case-sensitively; an unknown or repeated group makes
// SSL_CTX_set1_curves_list fail, and nginx with it.

export interface Group {
  names: string[];
  securityBits: number;
}

const G = (securityBits: number, ...names: string[]): Group => ({ names, securityBits });

export const OPENSSL_30_GROUPS: readonly Group[] = [
  G(80, 'sect163k1', 'K-163'), G(80, 'sect163r1'), G(80, 'sect163r2', 'B-163'), G(96, 'sect193r1'), G(96, 'sect193r2'),
  G(112, 'sect233k1', 'K-233'), G(112, 'sect233r1', 'B-233'), G(112, 'sect239k1'), G(128, 'sect283k1', 'K-283'), G(128, 'sect283r1', 'B-283'),
  G(192, 'sect409k1', 'K-409'), G(192, 'sect409r1', 'B-409'), G(256, 'sect571k1', 'K-571'), G(256, 'sect571r1', 'B-571'),
  G(80, 'secp160k1'), G(80, 'secp160r1'), G(80, 'secp160r2'), G(96, 'secp192k1'), G(96, 'secp192r1', 'prime192v1', 'P-192'),
  G(112, 'secp224k1'), G(112, 'secp224r1', 'P-224'), G(128, 'secp256k1'), G(128, 'secp256r1', 'prime256v1', 'P-256'),
  G(192, 'secp384r1', 'P-384'), G(256, 'secp521r1', 'P-521'), G(128, 'brainpoolP256r1'), G(192, 'brainpoolP384r1'), G(256, 'brainpoolP512r1'),
  G(128, 'x25519', 'X25519'), G(224, 'x448', 'X448'),
  G(112, 'ffdhe2048'), G(128, 'ffdhe3072'), G(152, 'ffdhe4096'), G(176, 'ffdhe6144'), G(192, 'ffdhe8192'),
];

/** Hybrid post-quantum groups: OpenSSL knows them from 3.5 on. */
export const OPENSSL_35_GROUPS: readonly Group[] = [
  G(192, 'X25519MLKEM768'), G(192, 'SecP256r1MLKEM768'), G(256, 'SecP384r1MLKEM1024'), G(128, 'MLKEM512'), G(192, 'MLKEM768'), G(256, 'MLKEM1024'),
];

export function findGroup(name: string, opensslVersion: string): Group | undefined {
  const groups = Number.parseFloat(opensslVersion) >= 3.5 ? [...OPENSSL_30_GROUPS, ...OPENSSL_35_GROUPS] : OPENSSL_30_GROUPS;
  return groups.find((g) => g.names.includes(name));
}

export function laterGroup(name: string): boolean {
  return OPENSSL_35_GROUPS.some((g) => g.names.includes(name));
}
