import { cleanup, configure } from '@testing-library/react';
import { afterEach, inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The load per core when the run started, 1 to 10 (vitest.config.ts). */
    loadScale: number;
  }
}

// findBy/waitFor wait 1 s by default: a hang detector, not a speed test. On two cores shared with
// other runs a first antd render takes several times that, so the wait grows with the load as the
// other tiers' time-outs do (tests/support/load-scale.ts).
configure({ asyncUtilTimeout: Math.round(1_000 * inject('loadScale')) });

// antd reads these browser APIs that happy-dom leaves out or half-implements.
if (!window.matchMedia) {
  window.matchMedia = (query: string) =>
    ({
      matches: false,
      media: query,
      onchange: null,
      addListener: () => {},
      removeListener: () => {},
      addEventListener: () => {},
      removeEventListener: () => {},
      dispatchEvent: () => false,
    }) as MediaQueryList;
}

afterEach(() => {
  cleanup();
  sessionStorage.clear();
});
