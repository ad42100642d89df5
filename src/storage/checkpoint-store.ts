import type { Database } from './database';
import { sql, type Kysely } from 'kysely';
import { START, type Position } from '../application/event-store';

export interface Checkpoint {
  position: Position;
  eventsApplied: number;
  updatedAt: string | null;
}

/** Projection checkpoints, kept in the same database as the read models they guard. */
export const checkpoints = {
  async ensure(db: Kysely<Database>, name: string): Promise<void> {
    await sql`insert into es_checkpoints (name, position) values (${name}, ${START}) on conflict (name) do nothing`.execute(db);
  },

  /** Like ensure, but says whether the row is new: a projection this database has never run. */
  async create(db: Kysely<Database>, name: string): Promise<boolean> {
    const result = await sql`insert into es_checkpoints (name, position) values (${name}, ${START}) on conflict (name) do nothing returning name`.execute(db);
    return result.rows.length === 1;
  },

  async read(db: Kysely<Database>, name: string, forUpdate = false): Promise<Checkpoint> {
    const lock = forUpdate ? sql`for update` : sql``;
    const result = await sql<{ position: string; events_applied: string; updated_at: Date | string }>`
      select position, events_applied, updated_at from es_checkpoints where name = ${name} ${lock}`.execute(db);
    const row = result.rows[0];
    if (!row) return { position: START, eventsApplied: 0, updatedAt: null };
    return {
      position: row.position as Position,
      eventsApplied: Number(row.events_applied),
      updatedAt: new Date(row.updated_at).toISOString(),
    };
  },

  async advance(db: Kysely<Database>, name: string, position: Position, applied: number): Promise<void> {
    const result = await sql`update es_checkpoints set position = ${position}, events_applied = events_applied + ${applied}, updated_at = now()
              where name = ${name}`.execute(db);
    // A missing row would make every batch look new forever: fail loudly instead.
    if (Number(result.numAffectedRows ?? 0n) !== 1) throw new Error(`projection ${name} has no checkpoint row`);
  },

  async reset(db: Kysely<Database>, name: string): Promise<void> {
    await sql`update es_checkpoints set position = ${START}, events_applied = 0, updated_at = now() where name = ${name}`.execute(db);
  },
};
