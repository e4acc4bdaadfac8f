// The server's bundle (dist/server.js): the language server on the main thread, the diagnostics
// service when the server starts this same script as its worker (lsp/diagnostics-thread.ts).

import { isMainThread } from 'node:worker_threads';

if (isMainThread) require('./main');
else require('./diagnostics-worker');
