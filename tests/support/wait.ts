import { loadScale } from './load-scale';

/**
 * Polls until `check` passes (or its last error is thrown). For background work, not timing: the
 * time-out grows with the machine's load (another file's open transaction on a shared PostgreSQL
 * server holds the gap-safe log back for longer on a busy machine).
 */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs * loadScale();
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}
