// How far the server's heap may grow past what it keeps alive, set when the server starts.
//
// Left to itself, V8 lets the heap grow up to four times its live size between full collections when
// the program allocates fast and collects quickly, which an analysis on every keystroke does: on the
// Kasm tree the server's RSS went from 151 MiB after 100 edits to about 200 MiB after 1,000, with 22 MiB
// alive. Growing by at most 2x its live size it stays near 155 MiB over 10,000 edits (+8%), for about
// 0.3 ms more per edit (more frequent full collections, each one short). The flag is read by V8 each
// time it sets the next collection's limit, so setting it at start-up holds for every client, whatever
// command line the editor starts the server with.

import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--heap-growing-percent=100');
