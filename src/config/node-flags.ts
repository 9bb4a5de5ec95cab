/**
 * The V8 flags the server runs with: `npm start` and the Dockerfile spell them out (a test checks
 * they match); the benchmarks and load scripts start the server with these.
 *
 * - A heap ceiling: V8 otherwise sizes its heap from the host's memory and lets garbage pile up
 *   (an export of a large district peaked near 400 MB RSS without it, about 210 MB with it).
 * - A heap growing factor of 2: under a ceiling below 256 MB V8 picks its smallest factor (1.3), so
 *   an old generation of ~50 MB live was collected in full each time a request's answer added
 *   15 MB — every whole-city comparison paid a full mark-compact (~25 ms of GC per request against
 *   ~14 ms with factor 2, bench/results/compare-all-rows.md). The ceiling still bounds the heap.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-old-space-size=192', '--heap-growing-percent=100'];
