// Entry of a verify worker thread (issue 20). The work itself is TypeScript (log-verify-thread.ts,
// sharing the hashing code with the main thread). Compiled (dist), the .js file sits beside this
// one; otherwise a TypeScript loader is registered here (a worker thread does not inherit
// `--import tsx`, and vitest's have none), which costs about a second of CPU per thread.
import { existsSync, readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

// This thread only hashes for an audit: below the HTTP thread, so /health wins a contended core.
// Linux gives each thread its own nice value (setpriority on the thread id); elsewhere, no change.
try {
  const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
  if (Number.isInteger(tid)) setPriority(tid, 10);
} catch {
  // No /proc (macOS, Windows) or not allowed: the thread keeps the process's priority.
}

const compiled = new URL('./log-verify-thread.js', import.meta.url);
const source = new URL('./log-verify-thread.ts', import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  (await import('tsx/esm/api')).register();
  await import(source.href);
}
