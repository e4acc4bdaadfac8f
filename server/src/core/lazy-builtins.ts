// Node modules that take milliseconds to load (they bring streams, sockets, OpenSSL bindings) and that
// only some work needs (`kasmlint validate`, reading a certificate file): loaded on first use instead of
// at every start of the CLI and of the server's two threads (together about 8 ms per start).

export const crypto = (): typeof import('node:crypto') => require('node:crypto');
export const dnsPromises = (): typeof import('node:dns/promises') => require('node:dns/promises');
export const net = (): typeof import('node:net') => require('node:net');
export const childProcess = (): typeof import('node:child_process') => require('node:child_process');
