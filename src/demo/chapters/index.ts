import type { DemoChapter } from '../context';
import { geographyChapter } from './geography';
import { householdsChapter } from './households';
import { visitsChapter } from './visits';
import { workforceChapter } from './workforce';

/**
 * The county's story, in the order it is told: each chapter reads what the earlier ones built.
 * World chapters (h15a) first, then the story chapters (h15b).
 */
export const demoChapters: readonly DemoChapter[] = [
  geographyChapter,
  workforceChapter,
  householdsChapter,
  visitsChapter,
  // ── h15b: story chapters, in this order: cases, imports, community, assessments ──
  // casesChapter,
  // importsChapter,
  // communityChapter,
  // assessmentsChapter,
];
