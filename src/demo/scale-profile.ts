import type { DemoScale } from './context';

/** How big each part of the county is at a scale. County is Suijiang as the article counts it. */
export interface ScaleProfile {
  /** Villages per town, in town order (5 towns at county scale: 43 villages). */
  villagesPerTown: readonly number[];
  groups: number;
  workers: { county: number; town: number; village: number; support: number; certified: number };
  households: number;
  /** Share of households with at least one member in a special group (about 6,000 of 45,000). */
  specialShare: number;
  /** Share of the monthly visits actually made (the rest are the "realistic misses"). */
  visitRate: number;
  trainings: number;
  mentoringPairs: number;
}

const SUIJIANG_WORKERS = { county: 2, town: 17, village: 47, support: 4, certified: 33 } as const;

export const SCALE_PROFILES: Record<Exclude<DemoScale, 'province'>, ScaleProfile> = {
  tiny: {
    villagesPerTown: [2],
    groups: 6,
    workers: { county: 1, town: 1, village: 2, support: 1, certified: 2 },
    households: 30,
    specialShare: 0.3,
    visitRate: 0.85,
    trainings: 2,
    mentoringPairs: 1,
  },
  sample: {
    villagesPerTown: [9, 10, 8, 9, 7],
    groups: 1103,
    workers: SUIJIANG_WORKERS,
    households: 4500,
    specialShare: 6000 / 45000,
    visitRate: 0.9,
    trainings: 15,
    mentoringPairs: 30,
  },
  county: {
    villagesPerTown: [9, 10, 8, 9, 7],
    groups: 1103,
    workers: SUIJIANG_WORKERS,
    households: 45000,
    specialShare: 6000 / 45000,
    visitRate: 0.9,
    trainings: 15,
    mentoringPairs: 30,
  },
};

/** The province runs county-sized streams; its per-county profile is the county's. */
export const profileFor = (scale: DemoScale): ScaleProfile => SCALE_PROFILES[scale === 'province' ? 'county' : scale];
