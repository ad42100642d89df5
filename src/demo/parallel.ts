import { yieldEvery } from '../application/yield-to-event-loop';

/**
 * Runs `work` over `items` with at most `limit` in flight, results in input order. The first
 * failure stops new work and is rethrown once the ones in flight have settled.
 */
export async function inParallel<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | null = null;
  // PGlite answers through promise chains alone: without a turn of the event loop now and then,
  // timers (progress, the ledger, projections) and HTTP requests (/health during DEMO=1) starve.
  const yieldTurn = yieldEvery(1);
  const lane = async () => {
    while (failure === null && next < items.length) {
      const index = next++;
      try {
        results[index] = await work(items[index]!, index);
        await yieldTurn();
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  if (failure) throw (failure as { error: unknown }).error;
  return results;
}
