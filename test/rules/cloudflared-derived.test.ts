// kasmlint against the tunnel configs whose outcome was derived line by line from cloudflared's source
// (its vendored yaml.v3, config reading, flag reading and ingress validation): every verdict, and
// cloudflared's own message for every refusal.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultSettings } from '../../server/src/engine/settings';
import { analyzeTunnel } from '../../server/src/engine/tunnel';
import { derivedConfigs, measure } from '../support/cloudflared-derived';
import { MemoryHost } from '../support/memory-host';

test('the derived tunnel configs: cloudflared\'s verdict on each, its message on each refusal', () => {
  const configs = derivedConfigs();
  assert.ok(configs.length >= 100 && configs.filter((c) => c.refused).length >= 50, 'a table of 100+ configs, half of them refused');
  const host = new MemoryHost(new Map());
  const result = measure(configs, (text) => analyzeTunnel('/etc/cloudflared/config.yml', text, { settings: defaultSettings(), host }).findings);
  console.log(`derived configs: ${result.verdicts}/${result.configs} verdicts, ${result.messages}/${result.refusals} messages`);
  assert.deepEqual(result.misses, []);
});
