import { sql } from 'kysely';
import type { Db } from '../application/db';

export interface DemoLoadRecord {
  scale: string;
  seed: string;
  state: 'loading' | 'loaded';
  startedAt: string;
  loadedAt: string | null;
}

/**
 * The demo_county_loads table: which demo county this database holds and whether its load
 * finished. One place reads and writes it (the demo mode at start-up, the token CLI).
 */
export const demoLoadRecords = {
  async find(db: Db): Promise<DemoLoadRecord | null> {
    const r = await sql<{ scale: string; seed: string; state: 'loading' | 'loaded'; started_at: Date | string; loaded_at: Date | string | null }>`
      select scale, seed, state, started_at, loaded_at from demo_county_loads order by started_at limit 1`.execute(db);
    const row = r.rows[0];
    if (!row) return null;
    return { scale: row.scale, seed: row.seed, state: row.state, startedAt: iso(row.started_at), loadedAt: row.loaded_at === null ? null : iso(row.loaded_at) };
  },

  /** Whether the database already holds a county that no demo load wrote (a real deployment's data). */
  async holdsOtherData(db: Db): Promise<boolean> {
    const r = await sql<{ found: boolean }>`select exists (select 1 from rm_towns) as found`.execute(db);
    return Boolean(r.rows[0]?.found);
  },

  async begin(db: Db, scale: string, seed: string, at: Date): Promise<void> {
    await sql`insert into demo_county_loads (scale, seed, state, started_at) values (${scale}, ${seed}, 'loading', ${at.toISOString()}::timestamptz)
      on conflict (scale, seed) do nothing`.execute(db);
  },

  async finish(db: Db, scale: string, seed: string, at: Date, summary: unknown): Promise<void> {
    await sql`update demo_county_loads set state = 'loaded', loaded_at = ${at.toISOString()}::timestamptz, summary = ${JSON.stringify(summary ?? null)}::jsonb
      where scale = ${scale} and seed = ${seed}`.execute(db);
  },
};

const iso = (v: Date | string) => new Date(v).toISOString();
