// The rules the value analysis added (and the ones it extended), for tests that look at all of them.

export const VALUE_RULES = [
  'headers/crlf-injection',
  'proxy/ssrf',
  'proxy/host-spoofing',
  'location/alias-traversal',
  'access/return-bypasses-deny',
  'access/allow-without-deny',
  'access/valid-referers-none',
  'access/status-page-exposed',
  'proxy/pass-normalized',
  'proxy/stale-dns',
  'proxy/public-resolver',
  'headers/multiline',
  'variables/map-without-default',
  'server/no-default',
  'location/if-misuse',
  'regex/redos',
  'cors/origin-regex',
  'proxy/upstream-tls-unverified',
];
