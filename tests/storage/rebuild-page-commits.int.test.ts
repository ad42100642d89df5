import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { START, type RecordedEvent } from '../../src/application/event-store';
import { visitsProjection } from '../../src/projections/visits/visits.projection';
import type { Database } from '../../src/storage/database';
import { SqlEventStore } from '../../src/storage/sql-event-store';
import { applyOnly } from '../support/counted-statements';
import { newEvent } from '../support/events';
import { eventually } from '../support/wait';
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
    /** Each `apply` call: whether the live table is locked (the switch holds it), and the commit setting it runs under. */
    const seen: { switching: boolean; synchronousCommit: string }[] = [];
    const plain = applyOnly(visitsProjection);
    const recording = {
      ...plain,
      apply: async (trx: Kysely<Database>, events: readonly RecordedEvent[]) => {
        const state = await sql<{ switching: boolean; s: string }>`
          select current_setting('synchronous_commit') as s, exists (
            select 1 from pg_locks l join pg_class c on c.oid = l.relation
            where l.pid = pg_backend_pid() and l.mode = 'AccessExclusiveLock' and c.relname = 'rm_visits') as switching`.execute(trx);
        seen.push({ switching: state.rows[0]!.switching, synchronousCommit: state.rows[0]!.s });
        return plain.apply(trx, events);
      },
    };
    // Every visit logged so far readable below the commit horizon first (another test's open
    // transaction holds it back): the pages then take them, not the switch alone.
    await eventually(async () => expect((await store.readAll(START, 100, { types: visitsProjection.handles })).events.length).toBe(30), 120_000);
    // A visit after every page: the one after the last page is left for the switch to take under
    // its lock (a page stops short at the commit horizon, which other tests' transactions hold back).
    let appended = 0;
    await store.rebuildInline(
      recording,
      async () => {
        appended++;
        await store.append(`visit-${randomUUID()}`, [visit()], 'no_stream');
      },
      { pageSize: 7 },
    );
    const pages = seen.filter((s) => !s.switching);
    const switching = seen.filter((s) => s.switching);
    expect(pages.length).toBeGreaterThan(1);
    expect(switching.length).toBeGreaterThan(0);
    expect(pages.every((p) => p.synchronousCommit === 'off')).toBe(true);
    expect(switching.every((p) => p.synchronousCommit === 'on')).toBe(true);
    // The setting was the pages' own: the connections answer as configured afterwards.
    const after = await sql<{ s: string }>`select current_setting('synchronous_commit') as s`.execute(database.db);
    expect(after.rows[0]!.s).toBe('on');
    // Every visit is in the rebuilt table: the 30 before, those appended during the rebuild.
    const rows = await sql<{ n: number }>`select count(*)::int as n from rm_visits`.execute(database.db);
    expect(rows.rows[0]!.n).toBe(30 + appended);
  });
});
