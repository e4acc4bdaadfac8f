// The value analysis on the stock Kasm 1.16.1 tree: what the new rules find there, each explained in
// Kasm's terms, and what they must not find (Kasm's upstream URLs come from its own API).

import assert from 'node:assert/strict';
import { basename } from 'node:path';
import { test } from 'node:test';
import { lint } from '../support/engine';
import { KASM_FIXTURE } from '../support/kasm';
import { VALUE_RULES } from '../support/value-rules';


test('on the Kasm tree: the new rules find the Host sent from $http_host, the backtracking rewrites, the names resolved once and the rewritten paths', () => {
  const found = lint([KASM_FIXTURE]).findings.filter((f) => VALUE_RULES.includes(f.rule));
  assert.deepEqual(
    found.map((f) => `${f.rule} ${basename(f.file)}:${f.range.start.line + 1}`).sort(),
    [
      'proxy/host-spoofing rdp_https_gateway_guac.conf:31',
      'proxy/host-spoofing rdp_https_gateway_webapp.conf:36',
      'proxy/pass-normalized agent.conf:12',
      'proxy/pass-normalized kasmguac.conf:12',
      'proxy/pass-normalized kasmguac.conf:142',
      'proxy/pass-normalized kasmguac.conf:146',
      'proxy/pass-normalized kasmguac.conf:150',
      'proxy/pass-normalized manager_api.conf:12',
      'proxy/pass-normalized rdp_gateway.conf:12',
      'proxy/stale-dns kasmguac.conf:12',
      'proxy/stale-dns upstream_agent.conf:4',
      'proxy/stale-dns upstream_api.conf:4',
      'proxy/stale-dns upstream_guac.conf:4',
      'proxy/stale-dns upstream_manager.conf:4',
      'proxy/stale-dns upstream_rdp_gateway.conf:4',
      'proxy/stale-dns upstream_rdp_https_gateway.conf:4',
      'proxy/stale-dns upstream_share.conf:4',
      // as before the value analysis: literal https:// only; $connect_schema comes from Kasm's API
      'proxy/upstream-tls-unverified kasmguac.conf:100',
      'proxy/upstream-tls-unverified kasmguac.conf:129',
      'proxy/upstream-tls-unverified kasmguac.conf:71',
      'proxy/upstream-tls-unverified rdp_https_gateway_guac.conf:12',
      'proxy/upstream-tls-unverified rdp_https_gateway_guac.conf:21',
      'proxy/upstream-tls-unverified rdp_https_gateway_guac.conf:30',
      'proxy/upstream-tls-unverified rdp_https_gateway_webapp.conf:23',
      'proxy/upstream-tls-unverified rdp_https_gateway_webapp.conf:35',
      'regex/redos website.conf:4',
      'regex/redos website.conf:5',
      'regex/redos website.conf:6',
    ],
  );
  // explained in Kasm's terms
  for (const f of found.filter((x) => x.rule === 'proxy/host-spoofing')) assert.match(f.detail!, /rdp_https_gateway files this is the \/rpc route, the Microsoft RD Gateway endpoint/);
  for (const f of found.filter((x) => x.rule === 'proxy/stale-dns')) assert.match(f.detail!, /Docker containers .*sudo docker restart kasm_proxy.*nginx 1\.25\.1 cannot re-resolve.*resolver 127\.0\.0\.11/s);
  const redos = found.find((f) => f.rule === 'regex/redos' && f.range.start.line === 3)!;
  assert.match(redos.message, /n\^6/);
  assert.match(redos.detail!, /a request for \/workspace\/, then "a\/" 50 times, then "%0Ax".*kasm_proxy answers 500.*reach location \/ \(website\.conf:3\)/s);
});

test("on the Kasm tree: no SSRF and no header splitting where the values come from Kasm's API (auth_request_set from $upstream_http_*)", () => {
  const found = lint([KASM_FIXTURE]).findings.filter((f) => f.rule === 'proxy/ssrf' || f.rule === 'headers/crlf-injection');
  assert.deepEqual(found, []);
});
