import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Long CPU-bound loops (verifying hash chains, replaying decisions) give the event loop a turn
 * now and then, so /health and other callers are answered in between. This matters most on
 * PGlite, whose queries run on the same thread as everything else.
 */
export function yieldEvery(every: number): () => Promise<void> {
  let n = 0;
  return async () => {
    if (++n % every === 0) await nextTurn();
  };
}
