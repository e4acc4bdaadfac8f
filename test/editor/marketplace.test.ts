// What the Marketplace shows: the icon (a 128x128 PNG, as the Marketplace asks), and the user-facing
// README (`vsce --readme-path MARKETPLACE.md`) whose screenshots exist and whose settings exist.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const ROOT = join(__dirname, '../../..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  icon: string;
  scripts: Record<string, string>;
  contributes: { configuration: { properties: Record<string, unknown> } };
};

test('the icon is a 128x128 PNG', () => {
  const png = readFileSync(join(ROOT, manifest.icon));
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
  assert.equal(png.subarray(12, 16).toString('latin1'), 'IHDR');
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
});

test('the package is built with the Marketplace README, whose images and settings exist', () => {
  assert.match(manifest.scripts.package!, /vsce package .*--readme-path MARKETPLACE\.md/);
  const readme = readFileSync(join(ROOT, 'MARKETPLACE.md'), 'utf8');
  const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]!);
  assert.ok(images.length >= 4);
  for (const image of images) assert.ok(existsSync(join(ROOT, image)), image);
  for (const [, setting] of readme.matchAll(/`(kasmlint\.[A-Za-z.]+)`/g)) assert.ok(setting! in manifest.contributes.configuration.properties, setting);
});
