import { availableParallelism, loadavg } from 'node:os';

/**
 * How much slower than idle this machine runs now: the one-minute load per core, at least 1 and
 * at most 10. Time-outs exist to catch hangs, not slowness: on two cores shared with other runs a
 * PGlite start-up takes ten times its idle time, so every time-out of the suite is multiplied by
 * this instead of failing files on a busy machine.
 */
export function loadScale(): number {
  const perCore = loadavg()[0]! / availableParallelism();
  return Math.min(10, Math.max(1, perCore));
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The web tier's copy of loadScale() when the run started (vitest.config.ts; web/src/test/setup.ts reads it). */
    loadScale: number;
  }
}
