// The hashes nginx builds from server names and map keys (nginx/hash-size), held to the real nginx -t
// on seeded random configurations: names and keys of random labels (exact, `*.`, `.` and `.*`
// wildcards), counts around where tables stop fitting, and a range of max_size and bucket sizes. The
// warnings ("could not build optimal") and the refusals nginx prints must be the ones kasmlint reports.
// The corpus (test/corpus/nginx/*hash*) holds the refusals' place in nginx's order.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { lint } from '../support/engine';
import { seededRandom } from '../support/random';
import { inParallel, nginxTestAsync, nginxVersion, writeTree } from '../support/nginx';

const LETTERS = 'abcdefghijklmnopqrstuvwxyz0123456789-';

function hostName(pick: (n: number) => number, wildcards: boolean, longest = 10): string {
  const labels = Array.from({ length: 1 + pick(3) }, () => {
    const length = 1 + pick(longest);
    return Array.from({ length }, () => LETTERS[pick(26)]).join('');
  });
  const name = labels.join('.');
  if (!wildcards) return name;
  const shape = pick(100);
  return shape < 15 ? `*.${name}` : shape < 25 ? `.${name}` : shape < 30 ? `${name}.*` : name;
}

interface Case {
  seed: number;
  conf: string;
}

function serverCase(seed: number): Case {
  const pick = seededRandom(seed);
  const count = 1 + pick(300);
  const bucket = [32, 64, 64, 64, 128, 256][pick(6)]!;
  const max = [16, 64, 128, 512, 512, 1024][pick(6)]!;
  const names = Array.from({ length: count }, () => hostName(pick, true));
  // now and then a name near the bucket's limit
  if (pick(10) < 3) names.push(hostName(pick, true, 60));
  const servers = [names.slice(0, count >> 1), names.slice(count >> 1)].map((group, i) => `    server {\n        listen 127.0.0.1:8080;\n        server_name ${group.length > 0 ? group.join(' ') : `only${i}`};\n    }\n`);
  return { seed, conf: `events {}\nhttp {\n    server_names_hash_bucket_size ${bucket};\n    server_names_hash_max_size ${max};\n${servers.join('')}}\n` };
}

function mapCase(seed: number): Case {
  const pick = seededRandom(seed);
  const count = 1 + pick(400);
  const bucket = [32, 64, 64, 64, 128, 256][pick(6)]!;
  const max = [64, 256, 1024, 2048, 2048][pick(5)]!;
  const hostnames = pick(10) < 4;
  const keys = [...new Set(Array.from({ length: count }, () => hostName(pick, hostnames).replace(/^\.$/, 'x')))];
  if (pick(10) < 3) keys.push(hostName(pick, hostnames, 60));
  // keys one wildcard form files twice conflict in nginx ("conflicting parameter"): keep one of each
  const seen = new Set<string>();
  const unique = keys.filter((k) => {
    const filed = hostnames ? k.replace(/^\*?\./, '').replace(/\.\*$/, '') : k;
    if (seen.has(filed)) return false;
    seen.add(filed);
    return true;
  });
  const entries = unique.map((k, i) => `        ${k} ${i};\n`).join('');
  return {
    seed,
    conf: `events {}\nhttp {\n    map_hash_bucket_size ${bucket};\n    map_hash_max_size ${max};\n    map $host $x {\n${hostnames ? '        hostnames;\n' : ''}        default 0;\n${entries}    }\n    server {\n        listen 127.0.0.1:8080;\n        return 200 $x;\n    }\n}\n`,
  };
}

/** What nginx -t says about its hashes: each warning once, and the refusal. */
function nginxSays(output: string): string[] {
  const said = new Set<string>();
  for (const line of output.split('\n')) {
    const m = /\[(warn|emerg)\] \d+#\d+: (could not build .*|invalid server name or wildcard .*|conflicting parameter .*)$/.exec(line);
    if (m) said.add(m[2]!.replace(/ in \S+:\d+$/, ''));
  }
  return [...said].sort();
}

test('the server-name and map hashes warn and refuse as the real nginx -t does (seeded random names)', { timeout: 300_000 }, async (t) => {
  const version = nginxVersion();
  const cases = [...Array.from({ length: 200 }, (_, i) => serverCase(1000 + i)), ...Array.from({ length: 200 }, (_, i) => mapCase(5000 + i))];
  const disagreements: string[] = [];
  let warned = 0;
  let refused = 0;
  const jobs = cases.map(({ seed, conf }) => async () => {
    const dir = writeTree({ 'nginx.conf': conf });
    const real = nginxSays((await nginxTestAsync(join(dir, 'nginx.conf'))).output);
    const run = lint([dir], (s) => ({ ...s, nginxVersion: version }));
    const ours = [
      ...new Set(
        run.findings
          .filter((f) => f.rule === 'nginx/hash-size' || (f.rule === 'nginx/invalid-value' && f.message.startsWith('conflicting parameter')))
          .map((f) => f.message.replace(/^nginx -t warns: /, '').replace(/\.$/, '')),
      ),
    ].sort();
    if (real.some((m) => m.startsWith('could not build optimal'))) warned++;
    if (real.some((m) => !m.startsWith('could not build optimal'))) refused++;
    if (JSON.stringify(real) !== JSON.stringify(ours)) disagreements.push(`seed ${seed}: nginx -t: ${JSON.stringify(real)}; kasmlint: ${JSON.stringify(ours)}`);
  });
  await inParallel(jobs, 4);
  t.diagnostic(`${cases.length} configurations: nginx -t warned on ${warned}, refused ${refused}`);
  assert.ok(warned > 10 && warned < cases.length - 10, 'the cases must straddle where tables stop fitting');
  assert.deepEqual(disagreements, []);
});
