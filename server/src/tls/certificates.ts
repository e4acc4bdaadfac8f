// Certificates and keys a server names, read with Node's own X.509 support.

import type { KeyObject, X509Certificate } from 'node:crypto';
import { crypto } from '../core/lazy-builtins';

export interface CertificateInfo {
  subject: string;
  issuer: string;
  validFrom: Date;
  validTo: Date;
  /** DNS names of the subjectAltName (or the CN when there is none). */
  names: string[];
  selfSigned: boolean;
  keyType: string;
  /** RSA modulus or EC curve size. */
  keyBits?: number;
  fingerprint256: string;
  certificate: X509Certificate;
}

const CURVE_BITS: Record<string, number> = { prime256v1: 256, secp384r1: 384, secp521r1: 521, secp224r1: 224, prime192v1: 192, secp256k1: 256 };

/** The first certificate of a PEM file (the leaf, in the order nginx expects). */
export function readCertificate(pem: string): CertificateInfo | { error: string } {
  const block = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/.exec(pem);
  if (!block) return { error: 'no PEM certificate in the file' };
  let cert: X509Certificate;
  try {
    cert = new (crypto().X509Certificate)(block[0]);
  } catch (error) {
    return { error: `not a readable certificate: ${(error as Error).message}` };
  }
  const key = cert.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  const keyBits = details.modulusLength ?? (details.namedCurve ? CURVE_BITS[details.namedCurve] : undefined);
  const san = cert.subjectAltName ?? '';
  const dns = [...san.matchAll(/DNS:([^,\s]+)/g)].map((m) => m[1]!);
  const cn = /(?:^|\n)CN=([^\n]+)/.exec(cert.subject)?.[1];
  let selfSigned = false;
  try {
    selfSigned = cert.issuer === cert.subject && cert.verify(key);
  } catch {
    selfSigned = false;
  }
  return {
    subject: cert.subject.replace(/\n/g, ', '),
    issuer: cert.issuer.replace(/\n/g, ', '),
    validFrom: new Date(cert.validFrom),
    validTo: new Date(cert.validTo),
    names: dns.length ? dns : cn ? [cn] : [],
    selfSigned,
    keyType: key.asymmetricKeyType ?? 'unknown',
    keyBits,
    fingerprint256: cert.fingerprint256,
    certificate: cert,
  };
}

export function readPrivateKey(pem: string): KeyObject | undefined {
  try {
    return crypto().createPrivateKey(pem);
  } catch {
    return undefined; // encrypted (ssl_password_file) or not a key: not checked
  }
}

/** Whether the certificate is valid for a host name (wildcards as browsers match them). */
export function covers(info: CertificateInfo, host: string): boolean {
  return info.certificate.checkHost(host) !== undefined;
}

export function describeCertificate(info: CertificateInfo, now = new Date()): string {
  const days = Math.floor((info.validTo.getTime() - now.getTime()) / 86_400_000);
  return [
    `Subject: ${info.subject}`,
    `Issuer: ${info.selfSigned ? 'itself (self-signed)' : info.issuer}`,
    `Valid: ${info.validFrom.toISOString().slice(0, 10)} to ${info.validTo.toISOString().slice(0, 10)} (${days >= 0 ? `${days} days left` : `expired ${-days} days ago`})`,
    `Names: ${info.names.join(', ') || '(none)'}`,
    `Key: ${info.keyType.toUpperCase()}${info.keyBits ? ` ${info.keyBits} bits` : ''}`,
    `SHA-256: ${info.fingerprint256}`,
  ].join('\n\n');
}
