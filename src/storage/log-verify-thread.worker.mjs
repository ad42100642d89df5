// Entry of a verify worker thread (issue 20). The work itself is TypeScript (log-verify-thread.ts,
// sharing the hashing code with the main thread); a worker thread gets no TypeScript loader under
// every runner (vitest's workers have none), so one is registered here unless the compiled file
// sits beside this one (dist).
import { existsSync } from 'node:fs';

const compiled = new URL('./log-verify-thread.js', import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('./log-verify-thread.ts', import.meta.url).href);
}
