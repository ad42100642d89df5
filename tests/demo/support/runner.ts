import { demoChapters } from '../../../src/demo/chapters/index';
import type { DemoChapter } from '../../../src/demo/context';
import type { DemoSeedRunner } from '../../../src/demo/demo-mode';
import { runCounty } from '../../../src/demo/seed';
import { DEMO_COUNTY_CODE } from '../../../src/demo/seed-constants';

/** The generator's own runner over its real chapters, with test chapters before and after them. */
export const runnerWith =
  (before: DemoChapter[], after: DemoChapter[]): DemoSeedRunner =>
  (service, options) =>
    runCounty(
      service,
      {
        scale: options.scale,
        seed: options.seed ?? 'test',
        countyCode: DEMO_COUNTY_CODE,
        progress: (chapter, done, total) => options.onProgress?.({ chapter, done, total }),
      },
      [...before, ...demoChapters, ...after],
    );
