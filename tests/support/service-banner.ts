import { eventually } from './wait';

/**
 * The port a started service prints in its banner ("service on http://127.0.0.1:PORT"), once it
 * has: embedded PGlite starts slowly on a busy machine, so the wait is long (and grows with load).
 */
export function portFromBanner(output: () => string): Promise<number> {
  return eventually(() => {
    const match = /service on http:\/\/127\.0\.0\.1:(\d+)/.exec(output());
    if (!match) throw new Error(`not started yet:\n${output()}`);
    return Number(match[1]);
  }, 150_000);
}
