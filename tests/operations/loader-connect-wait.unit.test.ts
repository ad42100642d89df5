import { describe, expect, it } from 'vitest';
import { LOADER_CONNECT_WAIT_MS, loaderConnectWaitMs } from '../../src/cli/open-database';

/** seed:demo on PostgreSQL: a loaded machine kept its writers waiting for a pool connection over the service's 5 s. */
describe("a loader's wait for a pool connection", () => {
  it('is long by default: no HTTP client waits on a loader', () => {
    expect(loaderConnectWaitMs({}, 5_000)).toBe(LOADER_CONNECT_WAIT_MS);
    expect(LOADER_CONNECT_WAIT_MS).toBeGreaterThanOrEqual(60_000);
  });

  it('is what DB_CONNECT_TIMEOUT_MS says when it is set', () => {
    expect(loaderConnectWaitMs({ DB_CONNECT_TIMEOUT_MS: '2000' }, 2_000)).toBe(2_000);
  });
});
