import { START } from '../application/event-store';
import type { Service } from '../composition-root';
import { demoChapters } from './chapters/index';
import type { DemoChapter, DemoContext, DemoScale, DemoWorld } from './context';
import { DEMO_ADMIN } from './demo-actors';
import { chapterMarkers, recordChapterDone } from './markers';
import { inParallel } from './parallel';
import { planningContext } from './planning-context';
import { DEFAULT_DEMO_SEED, DEMO_COUNTY_CODE } from './seed-constants';

export { DEFAULT_DEMO_SEED, DEMO_COUNTY_CODE };

export interface DemoSeedOptions {
  scale: DemoScale;
  seed?: string;
  onProgress?: (p: { chapter: string; done: number; total: number }) => void;
  /** Province scale only: how many counties (default 100); tests run a small smoke of the path. */
  counties?: number;
  /** Province scale only: counties loaded at once (default 4). */
  countiesInFlight?: number;
  /** Province scale only: the size of each county (default `county`; tests smoke the path with `tiny`). */
  countyScale?: Exclude<DemoScale, 'province'>;
}

export interface DemoChapterSummary {
  chapter: string;
  counts: Record<string, number>;
  /** Already loaded by an earlier run: nothing was written for it this time. */
  skipped: boolean;
  ms: number;
}

export interface DemoSummary {
  scale: DemoScale;
  seed: string;
  counties: number;
  chapters: DemoChapterSummary[];
  /** What was built (for the province: Suijiang's, the first county), e.g. to pick demo users or story ids. */
  world: DemoWorld;
  /** Events appended by this run (0 on a re-run of a complete load). */
  eventsAppended: number;
  ms: number;
}

/**
 * Builds the demo county through the application services (issue 15): the same commands,
 * deciders and events as the API. Deterministic for a seed; a second run appends nothing
 * (every command id derives from seed + label, and each finished chapter leaves a marker).
 */
export async function runDemoSeed(service: Service, options: DemoSeedOptions): Promise<DemoSummary> {
  const started = Date.now();
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  const store = service.deps.store;
  const before = await store.countAfter(START);
  const progress = (chapter: string, done: number, total: number) => options.onProgress?.({ chapter, done, total });

  let chapters: DemoChapterSummary[];
  let world: DemoWorld;
  let counties = 1;
  if (options.scale === 'province') {
    if (service.deps.database.kind !== 'postgres') throw new DemoScaleError('the province scale runs on PostgreSQL only (set DATABASE_URL)');
    counties = options.counties ?? 100;
    const codes = provinceCountyCodes(counties);
    let countiesDone = 0;
    const streams = options.countiesInFlight ?? 4;
    // The pool is shared: each county stream gets its share of the commands in flight.
    const inFlight = Math.max(2, Math.floor(inFlightFor(service) / streams));
    const perCounty = await inParallel(codes, streams, async (countyCode) => {
      const result = await runCounty(service, {
        scale: options.countyScale ?? 'county',
        seed: `${seed}:${countyCode}`,
        countyCode,
        inFlight,
        progress: () => undefined,
      });
      progress('province', ++countiesDone, counties);
      return result;
    });
    chapters = sumChapters(perCounty.map((c) => c.chapters));
    world = perCounty[0]!.world;
  } else {
    ({ chapters, world } = await runCounty(service, { scale: options.scale, seed, countyCode: DEMO_COUNTY_CODE, progress }));
  }
  const after = await store.countAfter(START);
  return { scale: options.scale, seed, counties, chapters, world, eventsAppended: after - before, ms: Date.now() - started };
}

/** One county's chapters, in order, skipping (but re-planning) those a marker says are loaded. */
export async function runCounty(
  service: Service,
  run: { scale: DemoScale; seed: string; countyCode: string; inFlight?: number; progress: (chapter: string, done: number, total: number) => void },
  chapters: readonly DemoChapter[] = demoChapters,
): Promise<{ chapters: DemoChapterSummary[]; world: DemoWorld }> {
  const ctx = demoContext(service, run);
  const done = await chapterMarkers(service.deps.store, run);
  const summaries: DemoChapterSummary[] = [];
  for (const chapter of chapters) {
    const t0 = Date.now();
    const recorded = done.get(chapter.name);
    if (recorded && chapter.restore) {
      await chapter.restore(ctx);
      summaries.push({ chapter: chapter.name, counts: recorded, skipped: true, ms: Date.now() - t0 });
      continue;
    }
    // Without a marker (or without restore) the chapter runs again: its commands answer as duplicates.
    const counts = await chapter.run(ctx);
    if (!recorded) await recordChapterDone(service.deps.store, run, chapter.name, counts, ctx.at('2023-12-20', `marker:${chapter.name}`, DEMO_ADMIN));
    summaries.push({ chapter: chapter.name, counts, skipped: Boolean(recorded), ms: Date.now() - t0 });
  }
  return { chapters: summaries, world: ctx.world };
}

/** PGlite runs one statement at a time, so a couple in flight only overlap Node's work with the database's. */
export function inFlightFor(service: Service): number {
  const fromEnv = Number(process.env.DEMO_SEED_IN_FLIGHT);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  return service.deps.database.kind === 'pglite' ? 2 : Math.max(2, Math.min(16, service.deps.config.DB_POOL_SIZE - 2));
}

export function demoContext(
  service: Service,
  run: { scale: DemoScale; seed: string; countyCode: string; inFlight?: number; progress: (chapter: string, done: number, total: number) => void },
): DemoContext {
  return {
    ...planningContext(run),
    deps: service.deps,
    services: service.services,
    inFlight: run.inFlight ?? inFlightFor(service),
    progress: run.progress,
  };
}

export class DemoScaleError extends Error {
  override name = 'DemoScaleError';
}

/** 100 county codes under Yunnan (53): Suijiang first, then its neighbours' numbering, all distinct. */
export function provinceCountyCodes(count: number): string[] {
  const codes = [DEMO_COUNTY_CODE];
  for (let prefecture = 1; codes.length < count; prefecture++) {
    for (let county = 2; county <= 29 && codes.length < count; county++) {
      const code = `53${String(prefecture).padStart(2, '0')}${String(county).padStart(2, '0')}`;
      if (code !== DEMO_COUNTY_CODE) codes.push(code);
    }
  }
  return codes;
}

function sumChapters(perCounty: DemoChapterSummary[][]): DemoChapterSummary[] {
  const byName = new Map<string, DemoChapterSummary>();
  for (const county of perCounty) {
    for (const c of county) {
      const sum = byName.get(c.chapter) ?? { chapter: c.chapter, counts: {}, skipped: true, ms: 0 };
      for (const [k, v] of Object.entries(c.counts)) sum.counts[k] = (sum.counts[k] ?? 0) + v;
      sum.skipped &&= c.skipped;
      sum.ms += c.ms;
      byName.set(c.chapter, sum);
    }
  }
  return [...byName.values()];
}
