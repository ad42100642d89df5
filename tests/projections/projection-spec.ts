import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Position, RecordedEvent } from '../../src/application/event-store';
import type { DomainEvent, TypedProjection } from '../../src/projections/typed-projection';
import type { Db } from '../../src/storage/database';
import { metadata } from '../support/events';
import { openTestDatabase, type TestDatabase } from '../support/test-database';

export const RECORDED_AT = '2026-01-15T08:00:00.000Z';

/** An event of the union, or one with the envelope fields a test wants to fix (stream, version, time). */
export type Given<E extends DomainEvent> = E | (E & Partial<Pick<RecordedEvent, 'streamId' | 'version' | 'recordedAt' | 'eventId'>>);

export interface ProjectionSpec<E extends DomainEvent> {
  /** The database the spec runs on (PostgreSQL when TEST_DATABASE_URL is set, else PGlite). */
  readonly db: () => Db;
  /**
   * Empties the projection's tables, applies `events` in one transaction, reads the rows with
   * `read` and matches them against `expected`; then applies the same recorded events again,
   * as a redelivery would, and requires exactly the same rows.
   */
  given(events: readonly Given<E>[]): { expectRows<R>(read: (db: Db) => Promise<R[]>, expected: readonly Partial<NoInfer<R>>[]): Promise<R[]> };
}

/**
 * Given events → rows (cf. Emmett's PostgreSQLProjectionSpec), for one projection on one
 * migrated database per file. Each event gets its list position as stream version unless
 * it names one, so version guards see events in order.
 */
export function projectionSpec<E extends DomainEvent>(projection: TypedProjection<E>): ProjectionSpec<E> {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await openTestDatabase();
  }, 120_000);
  afterAll(async () => database?.close());
  const db = (): Db => {
    if (!database) throw new Error('projectionSpec: the database is not open yet (use it inside a test)');
    return database.db;
  };

  const record = (events: readonly Given<E>[]): RecordedEvent[] =>
    events.map(({ type, data, ...envelope }, i): RecordedEvent => ({
      eventId: randomUUID(),
      streamId: 'spec-stream',
      version: i + 1,
      schemaVersion: 1,
      metadata: metadata({ recordedAt: RECORDED_AT }),
      recordedAt: RECORDED_AT,
      position: String(i + 1) as Position,
      hash: '',
      prevHash: '',
      ...envelope,
      type,
      data: { ...data },
    }));

  const apply = (events: readonly RecordedEvent[]) =>
    db()
      .transaction()
      .execute((trx) => projection.apply(trx, events));

  return {
    db,
    given(events) {
      return {
        async expectRows(read, expected) {
          for (const table of projection.tables) await sql`delete from ${sql.table(table)}`.execute(db());
          const recorded = record(events);
          await apply(recorded);
          const once = await read(db());
          expect(once).toMatchObject(expected);
          await apply(recorded);
          expect(await read(db()), 'the same events applied twice give the same rows').toEqual(once);
          return once;
        },
      };
    },
  };
}
