// How the language server's Node process is started: by the extension, by the other editors the README
// shows, and by the tests and the bench, which start it as the editors do.
//
// The server runs JavaScript on two threads: requests on the main one, analyses on a worker at a lower
// priority (server/src/lsp/diagnostics-worker.ts). V8's helper threads (concurrent garbage collection,
// optimising compiles) are shared by both and run at the normal priority: four of them by default
// (`--v8-pool-size`), enough to take a two-core machine from the requests while the worker's analysis
// keeps them busy. `--v8-pool-size=0` lets Node size the pool by the machine: one fewer than its cores,
// at least one (GetActualThreadPoolSize in node's src/node_platform.cc). VS Code runs the server with
// its own Electron, which parses the option and sizes the pool itself.
export const SERVER_NODE_ARGS: readonly string[] = ['--v8-pool-size=0'];
