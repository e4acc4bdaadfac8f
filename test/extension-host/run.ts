// The extension-host suite for machines that can download VS Code: @vscode/test-electron downloads a
// VS Code, starts it with this extension in development mode on a copy of a Kasm tree, and runs
// suite/index.ts inside it. Run: npm run test:vscode (see the README). On machines that cannot reach
// VS Code's download server, the same checks run in code-server: npm run test:e2e.

import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const root = join(__dirname, '../..');
  const workspace = mkdtempSync(join(tmpdir(), 'kasmlint-vscode-'));
  cpSync(join(root, 'examples/kasm'), workspace, { recursive: true });
  await runTests({
    version: process.env.VSCODE_VERSION ?? 'stable',
    extensionDevelopmentPath: root,
    extensionTestsPath: join(__dirname, 'suite/index.js'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
