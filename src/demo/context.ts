/**
 * The contract every demo-county chapter works against (issue 15).
 *
 * A chapter builds one part of the county's story *through the application services* (the same
 * commands, deciders and events as the API; never SQL into read models). Chapters run in order;
 * each reads what earlier chapters built from `ctx.world` and adds what it built to it.
 */
import type { Actor } from '../application/actor';
import type { CommandContext } from '../application/command-handler';
import type { Services } from '../http/app';
import type { AppDeps } from '../http/route-deps';

/** `sample` ≈ a tenth of households and visits; `county` ≈ Suijiang; `province` ≈ 100 counties. */
export type DemoScale = 'tiny' | 'sample' | 'county' | 'province';

/** A seeded pseudo-random source: the same seed and label always give the same sequence. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  int(minInclusive: number, maxInclusive: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
  shuffle<T>(items: readonly T[]): T[];
}

export interface DemoTown {
  id: string;
  code: string;
  name: string;
}
export interface DemoVillage {
  id: string;
  townId: string;
  code: string;
  name: string;
  kind: string;
}
export interface DemoGroup {
  id: string;
  villageId: string;
  townId: string;
  code: string;
  name: string;
  responsibleWorkerId: string | null;
}
export interface DemoWorker {
  id: string;
  level: 'county' | 'town' | 'village' | 'support';
  townId: string | null;
  villageId: string | null;
  name: string;
  certified: boolean;
}
export interface DemoOfficial {
  id: string;
  role: 'civil_affairs_officer' | 'town_official';
  townId: string | null;
}
export interface DemoMember {
  personId: string;
  relation: string;
  name: string;
  birthDate: string;
  idNumber: string;
}
export interface DemoHousehold {
  id: string;
  groupId: string;
  villageId: string;
  townId: string;
  members: DemoMember[];
  specialGroups: string[];
}

/** What the chapters have built so far; filled in order, reloaded from read models on a resumed run. */
export interface DemoWorld {
  towns: DemoTown[];
  villages: DemoVillage[];
  groups: DemoGroup[];
  workers: DemoWorker[];
  officials: DemoOfficial[];
  households: DemoHousehold[];
  /** Free-form ids later chapters or tests look up by story name, e.g. `fireCaseId`, `fireHouseholdId`. */
  stories: Record<string, string>;
}

export interface DemoContext {
  deps: AppDeps;
  services: Services;
  scale: DemoScale;
  seed: string;
  /**
   * The county's statistical code (Suijiang 530626; the province scale runs one context per
   * county). Codes and ids a chapter derives should include it or `seed`, so counties never collide.
   */
  countyCode?: string;
  /**
   * How many commands a chapter may keep in flight at once where they touch different streams:
   * about the connection pool on PostgreSQL, a couple on the single-connection PGlite.
   */
  inFlight?: number;
  /** A fresh, independent random stream per label (`rng('households:town-3')`). */
  rng(label: string): Rng;
  /**
   * The command context for an act at a story date (county time, `2023-06-08` or an ISO
   * instant): a deterministic commandId from seed + label, so a re-run appends nothing.
   */
  at(when: string, label: string, actor?: Actor): CommandContext;
  world: DemoWorld;
  /** Progress for the bar and the DEMO=1 start banner. */
  progress(chapter: string, done: number, total: number): void;
}

export interface DemoChapter {
  name: string;
  /** Returns counts for the final summary, e.g. `{ cases: 3000, decisions: 2950 }`. */
  run(ctx: DemoContext): Promise<Record<string, number>>;
  /**
   * On a re-run, for a chapter a completion marker says is loaded: fill in `ctx.world` (from
   * deterministic ids or read models) without writing. Without it the runner calls `run` again,
   * whose deterministic command ids make every command a duplicate that appends nothing.
   */
  restore?(ctx: DemoContext): Promise<void>;
}
