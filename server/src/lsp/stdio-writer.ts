// The protocol's writer for a client that talks over stdin/stdout (--stdio: Neovim, Helix, Emacs...).
// It writes what vscode-jsonrpc's own writer writes, except that a diagnostic is turned into JSON once:
// an edit republishes every diagnostic of the file (the protocol has no other way), most of them the
// same objects as before (the diagnostics thread sends only what changed), and serializing the 2,000
// diagnostics of a 10,000-line file again at each keystroke took 1.5 ms of the main thread.

import { format } from 'node:util';
import { type Message, StreamMessageWriter } from 'vscode-languageserver/node';
import type { Diagnostic } from 'vscode-languageserver/node';

const DIAGNOSTICS_KEY = '"diagnostics":[';
const COMMA = Buffer.from(',');

/**
 * The message as JSON.stringify writes it, in UTF-8; the diagnostics of a publishDiagnostics notification
 * taken from `known` when they were serialized before, and copied in as they are (no string of the whole
 * notification is built: flattening one of 700 KB cost more than serializing it).
 */
export function encodeMessage(message: Message, known: WeakMap<Diagnostic, Buffer>): Buffer {
  const params = publishParams(message);
  if (!params) return Buffer.from(JSON.stringify(message), 'utf-8');
  // the notification with no diagnostics, cut where they go: a key written unescaped only as a key
  const empty = JSON.stringify({ ...message, params: { ...params, diagnostics: [] } });
  const at = empty.indexOf(`${DIAGNOSTICS_KEY}]`) + DIAGNOSTICS_KEY.length;
  const chunks: Buffer[] = [Buffer.from(empty.slice(0, at), 'utf-8')];
  params.diagnostics.forEach((d, i) => {
    let json = known.get(d);
    if (json === undefined) known.set(d, (json = Buffer.from(JSON.stringify(d), 'utf-8')));
    if (i > 0) chunks.push(COMMA);
    chunks.push(json);
  });
  chunks.push(Buffer.from(empty.slice(at), 'utf-8'));
  return Buffer.concat(chunks);
}

/** The parameters of a publishDiagnostics notification whose parts all serialize as JSON.stringify would (plain values, no toJSON). */
function publishParams(message: Message): { uri: string; version?: number; diagnostics: Diagnostic[] } | undefined {
  const m = message as { method?: unknown; params?: { uri?: unknown; version?: unknown; diagnostics?: unknown } };
  if (m.method !== 'textDocument/publishDiagnostics' || typeof m.params !== 'object' || m.params === null) return undefined;
  const { uri, version, diagnostics } = m.params;
  if (typeof uri !== 'string' || !Array.isArray(diagnostics) || !(version === undefined || typeof version === 'number')) return undefined;
  if (Object.keys(m.params).some((key) => key !== 'uri' && key !== 'version' && key !== 'diagnostics')) return undefined;
  if (Object.keys(message).some((key) => key !== 'jsonrpc' && key !== 'method' && key !== 'params')) return undefined;
  return m.params as { uri: string; version?: number; diagnostics: Diagnostic[] };
}

/** The writer over this process's stdout. */
export function stdoutWriter(): StreamMessageWriter {
  const known = new WeakMap<Diagnostic, Buffer>();
  return new StreamMessageWriter(process.stdout, {
    charset: 'utf-8',
    contentTypeEncoder: {
      name: 'application/json',
      encode: (message) => Promise.resolve(encodeMessage(message, known)),
    },
  });
}

/**
 * What anything in this thread prints goes to the client's log, never into the protocol on stdout
 * (vscode-languageserver does the same when it opens stdio itself).
 */
export function consoleToLog(log: (message: string) => void): void {
  for (const method of ['log', 'info', 'debug', 'warn', 'error', 'trace'] as const) {
    console[method] = (...args: unknown[]) => log(format(...args));
  }
}
