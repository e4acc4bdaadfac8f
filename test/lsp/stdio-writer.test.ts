// The stdio writer serializes each diagnostic once (server/src/lsp/stdio-writer.ts): what it writes must
// be exactly what JSON.stringify writes for the same message, whatever the message, and a diagnostic
// sent again must cost no new serialization.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Diagnostic, Message } from 'vscode-languageserver/node';
import { encodeMessage } from '../../server/src/lsp/stdio-writer';
import { seededRandom } from '../support/random';

function diagnostic(random: (n: number) => number, i: number): Diagnostic {
  const d: Diagnostic = {
    range: { start: { line: i, character: random(40) }, end: { line: i, character: 40 + random(40) } },
    severity: (1 + random(4)) as Diagnostic['severity'],
    code: `rule/${random(5)}`,
    codeDescription: { href: `file:///docs/rules/${i}.md` },
    source: 'kasmlint',
    message: ['plain', 'with "quotes" and \\ backslash', 'line\nbreak \u2028 and \u00e9', 'tab\t\u0001'][random(4)]!,
  };
  if (random(3) === 0) d.relatedInformation = [{ location: { uri: 'file:///x/y.conf', range: d.range }, message: 'the first' }];
  if (random(5) === 0) d.tags = [1];
  return d;
}

test('a publishDiagnostics notification is written as JSON.stringify writes it, diagnostics sent again taken from before', () => {
  const random = seededRandom(7);
  const known = new WeakMap<Diagnostic, Buffer>();
  let previous: Diagnostic[] = [];
  for (let round = 0; round < 300; round++) {
    // most diagnostics the same objects as in the notification before, some new
    const diagnostics = Array.from({ length: random(30) }, (_, i) => (previous[i] && random(4) > 0 ? previous[i]! : diagnostic(random, i)));
    // (a URI holding what the notification is cut at)
    const params: Record<string, unknown> = { uri: round % 7 === 0 ? `file:///tmp/"diagnostics":[]/${round}.conf` : `file:///tmp/a b/${round}.conf`, diagnostics };
    if (random(3) > 0) params.version = random(1000);
    if (random(6) === 0) params.version = undefined; // left out, as JSON.stringify leaves it out
    const message = { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params } as Message;
    assert.equal(encodeMessage(message, known).toString('utf-8'), JSON.stringify(message), `round ${round}`);
    for (const d of diagnostics) assert.equal(known.get(d)?.toString('utf-8'), JSON.stringify(d));
    previous = diagnostics;
  }
});

test('a diagnostic serialized before is not serialized again', () => {
  const random = seededRandom(11);
  const known = new WeakMap<Diagnostic, Buffer>();
  const d = diagnostic(random, 0);
  const message = { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: 'file:///a.conf', diagnostics: [d] } } as Message;
  const first = encodeMessage(message, known).toString('utf-8');
  known.set(d, Buffer.from('{"marker":true}'));
  const again = encodeMessage(message, known).toString('utf-8');
  assert.notEqual(again, first);
  assert.match(again, /"diagnostics":\[\{"marker":true\}\]/);
});

test('other messages, and notifications with anything else in them, are written by JSON.stringify', () => {
  const known = new WeakMap<Diagnostic, Buffer>();
  const messages = [
    { jsonrpc: '2.0', id: 3, result: { contents: 'x' } },
    { jsonrpc: '2.0', method: 'window/logMessage', params: { type: 4, message: 'analysed' } },
    { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: 'file:///a.conf', version: null, diagnostics: [] } },
    { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: 'file:///a.conf', diagnostics: [], extra: 1 } },
    { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: 'file:///a.conf', diagnostics: [] }, id: 1 },
  ] as unknown as Message[];
  for (const message of messages) assert.equal(encodeMessage(message, known).toString('utf-8'), JSON.stringify(message));
});
