import { describe, expect, it } from 'vitest';
import { runDemoSeed } from '../../src/demo/seed';
import { startTestApp } from '../support/test-app';

/**
 * PGlite answers on the loader's own thread through promise chains: a load that never gives the
 * event loop a turn starves timers and HTTP requests (the progress bar, /health while DEMO=1
 * loads). The loader yields between commands, so a timer set before the load runs during it.
 */
describe('a demo load on the embedded store', () => {
  it('lets timers run while it loads', async () => {
    const t = await startTestApp({ backend: 'pglite' });
    try {
      let fired = false;
      const timer = setTimeout(() => (fired = true), 0);
      let firedBeforeVisits: boolean | null = null;
      await runDemoSeed(t.service, {
        scale: 'tiny',
        onProgress: ({ chapter }) => {
          if (chapter === 'visits' && firedBeforeVisits === null) firedBeforeVisits = fired;
        },
      });
      clearTimeout(timer);
      expect(firedBeforeVisits).toBe(true);
    } finally {
      await t.close();
    }
  }, 300_000);
});
