// The TLS profiles rules measure against and fixes apply (setting `tlsProfile`).

import type { TlsProfile } from '../engine/settings';

export interface Profile {
  id: TlsProfile;
  title: string;
  protocols: string[];
  /** The ssl_ciphers value (TLS 1.2 and below); undefined when TLS 1.2 is off. */
  ciphers?: string;
  curves: string;
  preferServerCiphers: 'on' | 'off';
  /** Longest ssl_session_timeout the profile allows, in seconds (undefined: no limit). */
  maxSessionTimeout?: number;
  sessionTimeout: string;
  /** Only FIPS-approved suites. */
  fipsOnly: boolean;
}

/** Mozilla's server-side TLS guideline 6.0, intermediate. */
const MOZILLA_INTERMEDIATE_CIPHERS =
  'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305';

/** What Kasm Workspaces 1.16.1 ships in orchestrator.conf (Mozilla's guideline 5.6 intermediate). */
export const KASM_SHIPPED_CIPHERS =
  'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384';

/**
 * X25519MLKEM768 (first in Mozilla's 6.0 list) is left out: nginx refuses to start when its OpenSSL
 * (3.0 in Kasm's image) does not know a group.
 */
const CURVES = 'X25519:prime256v1:secp384r1';

export const PROFILES: Record<TlsProfile, Profile> = {
  'mozilla-intermediate': {
    id: 'mozilla-intermediate',
    title: 'Mozilla intermediate profile (guideline 6.0)',
    protocols: ['TLSv1.2', 'TLSv1.3'],
    ciphers: MOZILLA_INTERMEDIATE_CIPHERS,
    curves: CURVES,
    preferServerCiphers: 'off',
    sessionTimeout: '1d',
    fipsOnly: false,
  },
  'mozilla-modern': {
    id: 'mozilla-modern',
    title: 'Mozilla modern profile (guideline 6.0, TLS 1.3 only)',
    protocols: ['TLSv1.3'],
    curves: CURVES,
    preferServerCiphers: 'off',
    sessionTimeout: '1d',
    fipsOnly: false,
  },
  'kasm-default': {
    id: 'kasm-default',
    title: 'kasm-default profile (the TLS settings Kasm Workspaces ships)',
    protocols: ['TLSv1.2', 'TLSv1.3'],
    ciphers: KASM_SHIPPED_CIPHERS,
    curves: CURVES,
    preferServerCiphers: 'off',
    sessionTimeout: '1d',
    fipsOnly: false,
  },
  'kasm-strict': {
    id: 'kasm-strict',
    title: "kasm-strict profile (the stricter block of Kasm's hardening guide, without its CBC suites)",
    protocols: ['TLSv1.2', 'TLSv1.3'],
    ciphers: 'EECDH+AESGCM:EECDH+AES256:!CBC',
    curves: 'secp521r1:secp384r1',
    preferServerCiphers: 'on',
    sessionTimeout: '1d',
    fipsOnly: false,
  },
  stig: {
    id: 'stig',
    title: 'STIG profile (DISA F5 NGINX STIG: TLS 1.2 minimum, FIPS-approved suites, sessions of 15 minutes at most)',
    protocols: ['TLSv1.2', 'TLSv1.3'],
    ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384',
    curves: 'prime256v1:secp384r1',
    preferServerCiphers: 'on',
    maxSessionTimeout: 15 * 60,
    sessionTimeout: '10m',
    fipsOnly: true,
  },
};
