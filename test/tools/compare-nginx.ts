// Compares the real `nginx -t` and kasmlint's verdict on configuration files, each read as the
// nginx.conf of a folder of its own: node out/tools/compare-nginx.js FILE... (NGINX_VERSION=x.y.z to
// check against another version than the installed nginx's). Prints each disagreement.

import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, ourVerdict } from '../support/engine';
import { nginxTest, nginxVersion } from '../support/nginx';

const version = process.env.NGINX_VERSION ?? nginxVersion();
let agree = 0;
const files = process.argv.slice(2);
for (const file of files) {
  const dir = mkdtempSync(join(tmpdir(), 'kasmlint-compare-'));
  copyFileSync(file, join(dir, 'nginx.conf'));
  const real = nginxTest(join(dir, 'nginx.conf'), dir);
  const ours = ourVerdict(dir, version);
  const same = real.ok === ours.ok && (real.ok || (!ours.ok && real.message === ours.message && (real.file === undefined ? ours.file === undefined : real.line === ours.line)));
  if (same) agree++;
  console.log(`${same ? 'same' : 'DIFF'} ${basename(file)}: nginx -t: ${describe(real)} | kasmlint: ${describe(ours)}`);
  rmSync(dir, { recursive: true, force: true });
}
console.log(`${agree} of ${files.length} agree`);
