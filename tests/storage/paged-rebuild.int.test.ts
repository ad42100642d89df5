import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { START, type InlineProjection, type NewEvent, type RecordedEvent } from '../../src/application/event-store';
import { coverageProjection } from '../../src/projections/coverage/coverage.projection';
import { householdsProjection } from '../../src/projections/households/households.projection';
import { performanceMetricsProjection } from '../../src/projections/performance/performance-metrics.projection';
import { scheduleProjection } from '../../src/projections/visits/schedule.projection';
import { visitsProjection } from '../../src/projections/visits/visits.projection';
import { SqlEventStore } from '../../src/storage/sql-event-store';
import { applyOnly } from '../support/counted-statements';
import { newEvent } from '../support/events';
import { availableBackends, openTestDatabase, type TestDatabase } from '../support/test-database';

const backends = await availableBackends();
const AT = '2026-01-15T08:00:00.000Z';

const member = (overrides: Record<string, unknown> = {}) => ({
  personId: randomUUID(),
  name: '张三',
  idNumber: String(Math.floor(Math.random() * 1e17)).padStart(17, '0') + 'X',
  birthDate: '1960-02-02',
  sex: 'male',
  relation: 'head',
  disability: null,
  seriousIllness: null,
  labourCapacity: 'full',
  schoolStatus: null,
  ...overrides,
});

const membership = (householdId: string, personId: string | null) => ({
  householdId,
  membershipId: randomUUID(),
  group: 'dibao',
  personId,
  riskLevel: 2,
  from: '2026-01-01',
  to: null,
  recordedAt: AT,
});

const visit = (groupId: string, householdId: string | null, kind = 'routine') =>
  newEvent('VisitRecorded', {
    visitId: randomUUID(),
    workerId: randomUUID(),
    householdId,
    groupId,
    date: '2026-01-14',
    kind,
    findings: '正常',
    followUpActions: ['回访'],
    peopleServed: 1,
    late: false,
    recordedAt: AT,
    policyVersion: 1,
  });

/** Every row of the tables, in a stable order: the oracle compares two builds of them. */
async function rowsOf(database: TestDatabase, tables: readonly string[]): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of tables)
    out[table] = (await sql<{ r: string }>`select to_jsonb(x)::text as r from ${sql.table(table)} x order by 1`.execute(database.db)).rows.map((r) => r.r);
  return out;
}

/** Schemas a rebuild made beside the live one and has not dropped. */
async function shadowSchemas(database: TestDatabase): Promise<string[]> {
  const rows = await sql<{ n: string }>`select nspname as n from pg_namespace where nspname like current_schema() || '\_\_%' order by 1`.execute(database.db);
  return rows.rows.map((r) => r.n);
}

/** Every index of the tables, by name and definition: a rebuild leaves the same ones behind. */
async function indexesOf(database: TestDatabase, tables: readonly string[]): Promise<string[]> {
  const rows = await sql<{ d: string }>`
    select indexname || ': ' || indexdef as d from pg_indexes
    where schemaname = current_schema() and tablename = any(${[...tables]}::text[]) order by 1`.execute(database.db);
  return rows.rows.map((r) => r.d);
}

/** The projection, counting the events its `apply` is handed (those not written as rows). */
function counting<P extends InlineProjection>(projection: P): { projection: P; applied: () => number } {
  let applied = 0;
  return {
    projection: {
      ...projection,
      apply: (trx: unknown, events: readonly RecordedEvent[]) => {
        applied += events.length;
        return projection.apply(trx, events);
      },
    },
    applied: () => applied,
  };
}

/**
 * Issue 20: a rebuild writes a page of events' rows as one insert per table (the projection's
 * `rowsFor`, as the batched append does) and yields exactly the rows of the event-by-event path.
 */
describe.each(backends)('a paged rebuild on %s', (backend) => {
  let database: TestDatabase;
  let store: SqlEventStore;
  let updates = 0;
  /** Updates no registration in the same page can absorb: `apply` writes them. */
  let inPlace = 0;
  const projections = [householdsProjection, visitsProjection, performanceMetricsProjection, scheduleProjection, coverageProjection];

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    store = new SqlEventStore(database, { inlineProjections: projections });
    const group = randomUUID();
    const other = randomUUID();
    // Registrations in runs, with updates in between: a page holds stretches of both.
    const households: { id: string; stream: string; version: number; people: ReturnType<typeof member>[] }[] = [];
    for (let i = 0; i < 40; i++) {
      const id = randomUUID();
      const people = [member(), member({ relation: 'spouse', sex: 'female', disability: { type: 'physical', grade: 2 } })];
      const stream = `household-${id}`;
      // Some registered with a special-group membership in the same append, as the demo seed does.
      const joined = i % 4 === 1 ? [newEvent('SpecialGroupJoined', membership(id, people[0]!.personId))] : [];
      const registered = newEvent('HouseholdRegistered', {
        householdId: id,
        groupId: group,
        address: `${i}号`,
        incomeStability: 'stable',
        members: people,
        registeredAt: AT,
      });
      await store.append(stream, [registered, ...joined], 'no_stream');
      households.push({ id, stream, version: 1 + joined.length, people });
      const h = households[Math.floor(i / 2)]!;
      const next: NewEvent[] = [];
      if (i % 7 === 3) next.push(newEvent('MemberUpdated', { householdId: h.id, member: { ...h.people[0]!, name: `改名${i}` }, updatedAt: AT }));
      if (i % 9 === 4) next.push(newEvent('HouseholdMoved', { householdId: h.id, fromGroupId: group, toGroupId: other, on: '2026-01-10', movedAt: AT }));
      if (i % 6 === 0) next.push(newEvent('SpecialGroupJoined', membership(h.id, null)));
      if (i % 13 === 7) next.push(newEvent('SpecialGroupLeft', { householdId: h.id, membershipId: randomUUID(), to: '2026-01-13', recordedAt: AT }));
      if (i % 11 === 5) next.push(newEvent('MemberRemoved', { householdId: h.id, personId: h.people[1]!.personId, reason: '迁出', removedAt: AT }));
      if (i % 5 === 2)
        next.push(
          newEvent('CircumstancesChanged', {
            householdId: h.id,
            on: '2026-01-12',
            category: 'income',
            description: '失业',
            incomeStability: 'unstable',
            recordedAt: AT,
          }),
        );
      if (next.length > 0) {
        await store.append(h.stream, next, h.version);
        h.version += next.length;
        updates += next.length;
        inPlace += next.filter((e) => ['MemberUpdated', 'MemberRemoved', 'SpecialGroupLeft'].includes(e.type)).length;
      }
      await store.append(`visit-${randomUUID()}`, [visit(group, i % 3 === 0 ? null : id, i % 8 === 0 ? 'review' : 'routine')], 'no_stream');
      // A household visited twice in a month counts once in its group's month.
      if (i % 2 === 1) await store.append(`visit-${randomUUID()}`, [visit(group, h.id)], 'no_stream');
    }
  }, 120_000);
  afterAll(async () => database?.close());

  it.each([
    ['households', 7, householdsProjection],
    ['households', 1000, householdsProjection],
    ['visits', 7, visitsProjection],
    ['performance-metrics', 7, performanceMetricsProjection],
    ['schedule', 7, scheduleProjection],
    ['coverage', 7, coverageProjection],
    ['coverage', 1000, coverageProjection],
  ] as const)('rebuilds %s in pages of %d to exactly the rows of the event-by-event path', async (_name, pageSize, projection) => {
    const tables = projection.tables;
    const live = await rowsOf(database, tables);
    const indexes = await indexesOf(database, tables);
    expect(indexes.length).toBeGreaterThanOrEqual(tables.length);
    // The reference: the same log replayed through `apply`, one event after another.
    await store.rebuildInline(applyOnly(projection), undefined, { pageSize });
    const byEvent = await rowsOf(database, tables);
    // (A rebuilt schedule is unbuilt, its state row gone, until its next read: not the live one.)
    if (projection !== scheduleProjection) expect(byEvent).toEqual(live);
    const paged = counting(projection);
    await store.rebuildInline(paged.projection, undefined, { pageSize });
    expect(await rowsOf(database, tables)).toEqual(byEvent);
    // Households' lookup indexes (the name search's among them) are built after its rows: all there.
    expect(await indexesOf(database, tables)).toEqual(indexes);
    if (projection === householdsProjection) {
      // The registrations went in as rows, with the events that fold into a household registered
      // in the same stretch; only the updates of rows already stored were applied.
      expect(inPlace).toBeGreaterThan(5);
      expect(paged.applied()).toBeGreaterThanOrEqual(inPlace);
      expect(paged.applied()).toBeLessThanOrEqual(updates);
      // In one page, the moves, changes and memberships of households registered in it fold too.
      if (pageSize > 100) expect(paged.applied()).toBeLessThan(updates);
    }
    // Visits and the stale marks are all rows, the coverage's visits rows and a count; the
    // unbuilt schedule writes nothing (its guard).
    else expect(paged.applied()).toBe(0);
  });

  it('rebuilds them all in one pass over the log, each to the rows of its own rebuild, and a visit appended meanwhile is in', async () => {
    const tables = projections.flatMap((p) => p.tables);
    const before = await rowsOf(database, tables);
    const indexes = await indexesOf(database, tables);
    const logged = await store.countAfter(START, { types: [...new Set(projections.flatMap((p) => p.handles))] });
    const reads: number[] = [];
    let late: string | null = null;
    const applied = await store.rebuildInlineMany(projections, {
      pageSize: 7,
      onProgress: async ({ read }) => {
        reads.push(read);
        // Appended after the first page: the switches take it under their locks.
        if (late === null) {
          late = randomUUID();
          await store.append(`visit-${late}`, [{ ...visit(randomUUID(), null), data: { ...visit(randomUUID(), null).data, visitId: late } }], 'no_stream');
        }
      },
    });
    const after = await rowsOf(database, tables);
    // Each event was read once for all of them: the pages add up to the log (with the late visit,
    // appended long before the last page), not to its sum over the five.
    expect(reads.at(-1)).toBe(logged + 1);
    for (const projection of projections) {
      expect(applied.get(projection.name)).toBe(await store.countAfter(START, { types: projection.handles }));
      // (The rebuilt schedule is unbuilt until its next read, as after its own rebuild.)
      if (projection === scheduleProjection) continue;
      for (const table of projection.tables) {
        const newRows = after[table]!.filter((r) => !before[table]!.includes(r));
        // The rows are those before, but for the late visit's own.
        expect(after[table]!.filter((r) => !newRows.includes(r))).toEqual(before[table]);
        expect(newRows.every((r) => r.includes(late!) || table !== 'rm_visits')).toBe(true);
      }
    }
    expect(after['rm_visits']!.some((r) => r.includes(late!))).toBe(true);
    expect(await indexesOf(database, tables)).toEqual(indexes);
    expect(await shadowSchemas(database)).toEqual([]);
  });

  it('leaves every live table as it was and no shadow behind when one of them fails', async () => {
    const tables = projections.flatMap((p) => p.tables);
    const before = await rowsOf(database, tables);
    const failing = { ...coverageProjection, rowsFor: undefined, apply: () => Promise.reject(new Error('写入失败')) };
    await expect(store.rebuildInlineMany([householdsProjection, visitsProjection, failing], { pageSize: 7 })).rejects.toThrow('写入失败');
    expect(await rowsOf(database, tables)).toEqual(before);
    expect(await shadowSchemas(database)).toEqual([]);
  });

  /** A projection of visits that keeps the actor of each (from its metadata) and writes nothing. */
  const visitActors = (readsMetadataOf?: readonly string[]) => {
    const actors: string[] = [];
    const projection = {
      name: 'visit-actors',
      handles: ['VisitRecorded'],
      tables: ['rm_officials'],
      ...(readsMetadataOf ? { readsMetadataOf } : {}),
      apply: async (_trx: unknown, events: readonly RecordedEvent[]) => {
        for (const e of events) actors.push(e.metadata.actorId);
      },
    };
    return { projection, actors };
  };

  it('gives a projection the metadata of the event types it declares', async () => {
    const { projection, actors } = visitActors(['VisitRecorded']);
    await store.rebuildInlineMany([householdsProjection, projection], { pageSize: 7 });
    expect(actors.length).toBe(await store.countAfter(START, { types: ['VisitRecorded'] }));
    expect(new Set(actors)).toEqual(new Set(['user-1']));
  });

  it('fails the rebuild, naming the type, when a projection touches metadata it did not declare, and leaves no shadow', async () => {
    const tables = [...householdsProjection.tables, 'rm_officials'];
    const before = await rowsOf(database, tables);
    const { projection, actors } = visitActors();
    await expect(store.rebuildInlineMany([householdsProjection, projection], { pageSize: 7 })).rejects.toThrow(
      "a rebuild did not read the metadata of VisitRecorded: list the type in the projection's readsMetadataOf",
    );
    expect(actors).toEqual([]);
    expect(await rowsOf(database, tables)).toEqual(before);
    expect(await shadowSchemas(database)).toEqual([]);
  });
});
