// Every rule, by id. Rule `family/name` lives in rules/<family>/<name>.ts.

import accessAllowWithoutDeny from './access/allow-without-deny';
import accessReturnBypassesDeny from './access/return-bypasses-deny';
import accessStatusPageExposed from './access/status-page-exposed';
import accessValidReferersNone from './access/valid-referers-none';
import corsOriginRegex from './cors/origin-regex';
import corsReflectedOrigin from './cors/reflected-origin';
import corsWildcardWithCredentials from './cors/wildcard-with-credentials';
import headersContentType from './headers/content-type';
import headersContentSecurityPolicy from './headers/content-security-policy';
import headersCrlfInjection from './headers/crlf-injection';
import headersCrossOriginEmbedderPolicy from './headers/cross-origin-embedder-policy';
import headersHideUpstream from './headers/hide-upstream';
import headersInheritance from './headers/inheritance';
import headersMissingAlways from './headers/missing-always';
import headersReferrerPolicy from './headers/referrer-policy';
import headersServerTokens from './headers/server-tokens';
import headersXContentTypeOptions from './headers/x-content-type-options';
import headersXFrameOptions from './headers/x-frame-options';
import cloudflaredSyntax from './cloudflared/syntax';
import cloudflaredDuplicateKey from './cloudflared/duplicate-key';
import cloudflaredCatchAll from './cloudflared/catch-all';
import cloudflaredUnreachableRule from './cloudflared/unreachable-rule';
import cloudflaredInvalidService from './cloudflared/invalid-service';
import cloudflaredInvalidHostname from './cloudflared/invalid-hostname';
import cloudflaredInvalidPath from './cloudflared/invalid-path';
import cloudflaredUnknownKey from './cloudflared/unknown-key';
import cloudflaredInvalidValue from './cloudflared/invalid-value';
import cloudflaredNoTlsVerify from './cloudflared/no-tls-verify';
import cloudflaredIgnoredSetting from './cloudflared/ignored-setting';
import cloudflaredMissingTunnel from './cloudflared/missing-tunnel';
import cloudflaredHttpToTlsPort from './cloudflared/http-to-tls-port';
import kasmComposeVolume from './kasm/compose-volume';
import findingLimit from './kasmlint/finding-limit';
import outsideConfiguration from './kasmlint/outside-configuration';
import suppression from './kasmlint/suppression';
import duplicateDirective from './nginx/duplicate-directive';
import duplicateLocation from './nginx/duplicate-location';
import includeCycle from './nginx/include-cycle';
import nestedLocation from './nginx/nested-location';
import includeNotFound from './nginx/include-not-found';
import invalidArguments from './nginx/invalid-arguments';
import invalidValue from './nginx/invalid-value';
import invalidRegex from './nginx/invalid-regex';
import duplicateListen from './nginx/duplicate-listen';
import sslWithoutCertificate from './nginx/ssl-without-certificate';
import tooFewWorkerConnections from './nginx/too-few-worker-connections';
import unknownCacheZone from './nginx/unknown-cache-zone';
import unknownThreadPool from './nginx/unknown-thread-pool';
import tempPathConflict from './nginx/temp-path-conflict';
import incompleteMailServer from './nginx/incomplete-mail-server';
import certificateWithoutKey from './nginx/certificate-without-key';
import verifyWithoutCa from './nginx/verify-without-ca';
import streamServerWithoutListen from './nginx/stream-server-without-listen';
import streamWithoutHandler from './nginx/stream-without-handler';
import referersWithoutHost from './nginx/referers-without-host';
import upstreamOnlyBackup from './nginx/upstream-only-backup';
import duplicateCachePath from './nginx/duplicate-cache-path';
import missingEvents from './nginx/missing-events';
import bufferSizes from './nginx/buffer-sizes';
import hashSize from './nginx/hash-size';
import workersProcesses from './workers/processes';
import workersRlimitNofile from './workers/rlimit-nofile';
import missingSemicolon from './nginx/missing-semicolon';
import missingBrace from './nginx/missing-brace';
import invalidContext from './nginx/invalid-context';
import syntax from './nginx/syntax';
import unknownDirective from './nginx/unknown-directive';
import unknownVariable from './nginx/unknown-variable';
import proxyHeaderInheritance from './proxy/header-inheritance';
import proxyHostSpoofing from './proxy/host-spoofing';
import proxyPassNormalized from './proxy/pass-normalized';
import proxyPublicResolver from './proxy/public-resolver';
import proxyStaleDns from './proxy/stale-dns';
import locationRootExposure from './location/root-exposure';
import proxyBufferingOff from './proxy/buffering-off';
import locationIfMisuse from './location/if-misuse';
import regexRedos from './regex/redos';
import rewriteArgsCaptureOverflow from './rewrite/args-capture-overflow';
import rewriteOverlappingCaptures from './rewrite/overlapping-captures';
import serverNoDefault from './server/no-default';
import variablesMixedCase from './variables/mixed-case';
import serverKeepaliveRequests from './server/keepalive-requests';
import variablesMapWithoutDefault from './variables/map-without-default';
import headersMultiline from './headers/multiline';
import proxySsrf from './proxy/ssrf';
import locationAliasTraversal from './location/alias-traversal';
import proxyUpstreamTlsUnverified from './proxy/upstream-tls-unverified';
import ratelimitMissing from './ratelimit/missing';
import ratelimitSpoofableKey from './ratelimit/spoofable-key';
import ratelimitUnknownZone from './ratelimit/unknown-zone';
import type { Rule } from './rule';
import tlsCertificate from './tls/certificate';
import tlsDhparam from './tls/dhparam';
import tlsEcdhCurve from './tls/ecdh-curve';
import tlsHsts from './tls/hsts';
import tlsPlaintextListener from './tls/plaintext-listener';
import tlsSession from './tls/session';
import tlsStapling from './tls/stapling';
import tlsWeakCipher from './tls/weak-cipher';
import tlsWeakProtocol from './tls/weak-protocol';
import websocketMissingUpgrade from './websocket/missing-upgrade';

export const RULES: readonly Rule[] = [
  syntax,
  unknownDirective,
  invalidContext,
  invalidArguments,
  duplicateDirective,
  invalidValue,
  invalidRegex,
  missingSemicolon,
  missingBrace,
  duplicateListen,
  sslWithoutCertificate,
  tooFewWorkerConnections,
  unknownCacheZone,
  unknownThreadPool,
  certificateWithoutKey,
  verifyWithoutCa,
  streamServerWithoutListen,
  streamWithoutHandler,
  referersWithoutHost,
  upstreamOnlyBackup,
  duplicateCachePath,
  tempPathConflict,
  incompleteMailServer,
  missingEvents,
  bufferSizes,
  hashSize,
  unknownVariable,
  duplicateLocation,
  nestedLocation,
  includeNotFound,
  includeCycle,
  tlsWeakProtocol,
  tlsWeakCipher,
  tlsDhparam,
  tlsEcdhCurve,
  tlsStapling,
  tlsSession,
  tlsHsts,
  tlsCertificate,
  tlsPlaintextListener,
  websocketMissingUpgrade,
  proxyHeaderInheritance,
  headersInheritance,
  corsReflectedOrigin,
  corsOriginRegex,
  corsWildcardWithCredentials,
  headersXFrameOptions,
  headersContentSecurityPolicy,
  headersCrossOriginEmbedderPolicy,
  headersReferrerPolicy,
  headersXContentTypeOptions,
  headersHideUpstream,
  headersMissingAlways,
  headersServerTokens,
  headersCrlfInjection,
  ratelimitMissing,
  ratelimitUnknownZone,
  ratelimitSpoofableKey,
  proxyUpstreamTlsUnverified,
  proxySsrf,
  proxyHostSpoofing,
  locationAliasTraversal,
  accessReturnBypassesDeny,
  accessAllowWithoutDeny,
  accessValidReferersNone,
  accessStatusPageExposed,
  proxyPassNormalized,
  proxyStaleDns,
  proxyPublicResolver,
  headersMultiline,
  variablesMapWithoutDefault,
  serverNoDefault,
  serverKeepaliveRequests,
  workersProcesses,
  workersRlimitNofile,
  locationIfMisuse,
  regexRedos,
  rewriteArgsCaptureOverflow,
  rewriteOverlappingCaptures,
  headersContentType,
  locationRootExposure,
  proxyBufferingOff,
  variablesMixedCase,
  cloudflaredSyntax,
  cloudflaredDuplicateKey,
  cloudflaredCatchAll,
  cloudflaredUnreachableRule,
  cloudflaredInvalidService,
  cloudflaredInvalidHostname,
  cloudflaredInvalidPath,
  cloudflaredUnknownKey,
  cloudflaredInvalidValue,
  cloudflaredNoTlsVerify,
  cloudflaredIgnoredSetting,
  cloudflaredMissingTunnel,
  cloudflaredHttpToTlsPort,
  kasmComposeVolume,
  suppression,
  findingLimit,
  outsideConfiguration,
] as Rule[];

export const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map(RULES.map((r) => [r.meta.id, r]));

export const RULE_IDS: ReadonlySet<string> = new Set(RULES_BY_ID.keys());
