// Every snippet, inserted with its defaults, gives a configuration the real nginx accepts and kasmlint
// finds nothing wrong with.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { lint } from '../support/engine';
import { makeCertificate } from '../support/certs';
import { nginxTest, writeTree } from '../support/nginx';
import { expandSnippet } from '../support/snippets';

const ROOT = join(__dirname, '../../..');

type Snippets = Record<string, { prefix: string | string[]; body: string[]; description: string }>;

function load(name: string): Snippets {
  return JSON.parse(readFileSync(join(ROOT, 'snippets', name), 'utf8')) as Snippets;
}

function indent(text: string, by: string): string {
  return text.split('\n').map((l) => (l ? by + l.replace(/\t/g, '    ') : l)).join('\n');
}

test('the expander follows snippet syntax', () => {
  assert.equal(expandSnippet('a ${1:b ${2:c}} ${3|x,y|} \\$v $0'), 'a b c x $v ');
});

test('NGINX snippets: nginx -t accepts them with their defaults, and kasmlint finds nothing, not even a hint', () => {
  const s = load('nginx.json');
  const get = (title: string) => expandSnippet(s[title]!.body);
  const { crt, key } = makeCertificate({ cn: 'kasm.example.com' });
  const config = [
    'worker_processes auto;',
    'events {}',
    'http {',
    indent(get('CORS allow-list map'), '    '),
    indent(get('Rate-limit zone'), '    '),
    '    upstream your_kasm_upstream {',
    '        server 127.0.0.1:8443;',
    '    }',
    '    server {',
    '        listen 8443 ssl;',
    '        server_name kasm.example.com;',
    `        ssl_certificate ${crt};`,
    `        ssl_certificate_key ${key};`,
    indent(get('Hardened TLS (Mozilla intermediate)'), '        '),
    indent(get('Security headers'), '        '),
    // The trusted certificate is the one thing a user must supply: the Kasm server's own certificate file.
    indent(get('WebSocket proxy location for Kasm').replace('proxy_pass', `${get('Rate limit a location')}\n\tproxy_pass`).replace('/path/to/kasm_nginx.crt', crt), '        '),
    '    }',
    '}',
    '',
  ].join('\n');
  const dir = writeTree({ 'nginx.conf': config });
  const verdict = nginxTest(join(dir, 'nginx.conf'));
  assert.ok(verdict.ok, `${verdict.output}\n${config}`);
  assert.deepEqual(lint([dir]).findings.map((f) => `${f.rule}: ${f.message}`), []);
  for (const [title, snippet] of Object.entries(s)) assert.ok(snippet.description.length > 20 && snippet.prefix.length > 0, title);
});

test('cloudflared snippets are valid YAML with their defaults', () => {
  for (const [title, snippet] of Object.entries(load('cloudflared.json'))) {
    assert.doesNotThrow(() => parse(expandSnippet(snippet.body)), title);
  }
});
