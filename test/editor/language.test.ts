// Language detection: the first directive of an NGINX file (package.json's firstLine, and the client's
// rule for `.conf` files VS Code opens as Properties) is recognised in every configuration the project
// has, and not in the files other tools keep in `.conf` or extension-less files.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { firstDirectiveLine, NGINX_FIRST_LINE } from '../../client/src/first-line';
import { projectConfigurations, ROOT } from '../support/format';

test("package.json's firstLine is the client's pattern", () => {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { contributes: { languages: Array<{ id: string; firstLine?: string }> } };
  assert.equal(manifest.contributes.languages.find((l) => l.id === 'nginx')!.firstLine, NGINX_FIRST_LINE.source);
});

test('the first directive of every NGINX file of the project looks like NGINX', (t) => {
  let checked = 0;
  for (const { path, text } of projectConfigurations()) {
    const first = firstDirectiveLine(text.split('\n'));
    // broken corpus cases start with what nginx refuses, ignored.conf is text a glob must skip; files of
    // comments only have no directive
    if (first === undefined || path.includes('/broken-') || path.endsWith('/ignored.conf')) continue;
    assert.match(first, NGINX_FIRST_LINE, path);
    checked++;
  }
  t.diagnostic(`${checked} files`);
  assert.ok(checked >= 40);
});

test('lines of other configuration languages do not', () => {
  const others = [
    'server.port=8080', // Java properties
    'user = bob', // properties / INI
    'user: bob', // YAML
    'key value',
    '[Unit]', // systemd, INI
    '[mysqld]',
    '<VirtualHost *:80>', // Apache
    'ServerName www.example.com',
    'LoadModule ssl_module modules/mod_ssl.so',
    'set -euo pipefail', // shell
    'if [ -f x ]; then',
    'server = irc.example.net', // an IRC client's .conf
    'include "other.conf"', // without its `;`
    'options { directory "/var/named"; };', // BIND named.conf
    'http://example.com',
    '#!/bin/sh',
  ];
  for (const line of others) assert.doesNotMatch(line, NGINX_FIRST_LINE, line);
});

test('the first directive skips comments and blank lines, within the first 50 lines', () => {
  assert.equal(firstDirectiveLine(['# SOURCE: ...', '', '   # more', 'gzip on;']), 'gzip on;');
  assert.equal(firstDirectiveLine([...Array<string>(50).fill('#'), 'gzip on;']), undefined);
});
