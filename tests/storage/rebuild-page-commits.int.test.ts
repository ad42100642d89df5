import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../../src/application/event-store';
import { START } from '../../src/application/event-store';
import { visitsProjection } from '../../src/projections/visits/visits.projection';
import type { Database } from '../../src/storage/database';
import { SqlEventStore } from '../../src/storage/sql-event-store';
import { applyOnly } from '../support/counted-statements';
import { newEvent } from '../support/events';
import { availableBackends, openTestDatabase, type TestDatabase } from '../support/test-database';

const backends = await availableBackends();
const AT = '2026-01-15T08:00:00.000Z';

const visit = () =>
  newEvent('VisitRecorded', {
    visitId: randomUUID(),
    workerId: randomUUID(),
    householdId: randomUUID(),
    groupId: randomUUID(),
    date: '2026-01-14',
    kind: 'routine',
    findings: '正常',
    followUpActions: [],
    peopleServed: 1,
    late: false,
    recordedAt: AT,
    policyVersion: 1,
  });

/**
 * A rebuild writes its shadow page by page; those commits need not wait for the WAL's flush (a
 * crash loses an unfinished shadow anyway), while the switch, which makes the shadow live, does.
 */
describe.each(backends)("a rebuild's page commits on %s", (backend) => {
  let database: TestDatabase;
  let store: SqlEventStore;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    store = new SqlEventStore(database, { inlineProjections: [visitsProjection] });
    for (let i = 0; i < 30; i++) await store.append(`visit-${randomUUID()}`, [visit()], 'no_stream');
  });
  afterAll(async () => database?.close());

  it('writes the pages without waiting for the flush, and switches in with it', async () => {
    const seen: { events: number; synchronousCommit: string }[] = [];
    const plain = applyOnly(visitsProjection);
    const recording = {
      ...plain,
      apply: async (trx: Kysely<Database>, events: readonly RecordedEvent[]) => {
        const setting = await sql<{ s: string }>`select current_setting('synchronous_commit') as s`.execute(trx);
        seen.push({ events: events.length, synchronousCommit: setting.rows[0]!.s });
        return plain.apply(trx, events);
      },
    };
    const total = await store.countAfter(START, { types: [...visitsProjection.handles] });
    let late = false;
    await store.rebuildInline(
      recording,
      async (applied) => {
        // After the last page: a visit for the switch to take under its lock.
        if (applied === total && !late) {
          late = true;
          await store.append(`visit-${randomUUID()}`, [visit()], 'no_stream');
        }
      },
      { pageSize: 7 },
    );
    const pages = seen.slice(0, -1);
    expect(pages.length).toBeGreaterThanOrEqual(Math.ceil(total / 7));
    expect(pages.every((p) => p.synchronousCommit === 'off')).toBe(true);
    expect(seen.at(-1)).toEqual({ events: 1, synchronousCommit: 'on' });
    // The setting was the pages' own: the connections answer as configured afterwards.
    const after = await sql<{ s: string }>`select current_setting('synchronous_commit') as s`.execute(database.db);
    expect(after.rows[0]!.s).toBe('on');
    const rows = await sql<{ n: number }>`select count(*)::int as n from rm_visits`.execute(database.db);
    expect(rows.rows[0]!.n).toBe(total + 1);
  });
});
