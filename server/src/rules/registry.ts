// Every rule, by id. Rule `family/name` lives in rules/<family>/<name>.ts.

import suppression from './kasmlint/suppression';
import duplicateDirective from './nginx/duplicate-directive';
import duplicateLocation from './nginx/duplicate-location';
import includeCycle from './nginx/include-cycle';
import includeNotFound from './nginx/include-not-found';
import invalidArguments from './nginx/invalid-arguments';
import invalidContext from './nginx/invalid-context';
import syntax from './nginx/syntax';
import unknownDirective from './nginx/unknown-directive';
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

export const RULES: readonly Rule[] = [
  syntax,
  unknownDirective,
  invalidContext,
  invalidArguments,
  duplicateDirective,
  duplicateLocation,
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
  suppression,
] as Rule[];

export const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map(RULES.map((r) => [r.meta.id, r]));

export const RULE_IDS: ReadonlySet<string> = new Set(RULES_BY_ID.keys());
