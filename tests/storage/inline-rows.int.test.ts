import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WrongExpectedVersionError, type NewEvent } from '../../src/application/event-store';
import { householdsProjection } from '../../src/projections/households/households.projection';
import { visitsProjection } from '../../src/projections/visits/visits.projection';
import { SqlEventStore } from '../../src/storage/sql-event-store';
import { fastAndSlowStores } from '../support/counted-statements';
import { newEvent } from '../support/events';
import { availableBackends, openTestDatabase, type TestDatabase } from '../support/test-database';

const backends = await availableBackends();

function visit(overrides: Record<string, unknown> = {}): NewEvent {
  return newEvent(
    'VisitRecorded',
    {
      visitId: randomUUID(),
      workerId: randomUUID(),
      householdId: null,
      groupId: randomUUID(),
      date: '2026-01-14',
      kind: 'routine',
      findings: '老人独居，血压偏高',
      followUpActions: ['一周内回访', 'it\'s "quoted"'],
      peopleServed: 2,
      late: false,
      recordedAt: '2026-01-15T08:00:00.000Z',
      policyVersion: 1,
      ...overrides,
    },
    { recordedAt: '2026-01-15T08:00:00.000Z' },
  );
}

const visitRow = (db: TestDatabase, id: string) =>
  sql<
    Record<string, unknown>
  >`select id, worker_id, household_id, group_id, visit_date::text as visit_date, kind, findings, follow_up_actions, people_served, late, recorded_at
    from rm_visits where id = ${id}`
    .execute(db.db)
    .then((r) => r.rows);

describe.each(backends)('inline projection rows carried by the append statement on %s', (backend) => {
  let database: TestDatabase;
  let fast: SqlEventStore;
  let slow: SqlEventStore;
  const statements: string[] = [];

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    // Counts what reaches the database; `slow`: the same projections without their rows, the reference.
    ({ fast, slow } = fastAndSlowStores(database, [householdsProjection, visitsProjection], statements));
  });
  afterAll(async () => database?.close());

  it('writes exactly the row that the projection writes in the transaction, in the one append statement', async () => {
    const [a, b] = [visit({ householdId: randomUUID(), late: true }), visit()];
    statements.length = 0;
    await fast.append(`visit-${randomUUID()}`, [a], 'no_stream');
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/^es_append_rows_/);
    await slow.append(`visit-${randomUUID()}`, [b], 'no_stream');
    const [viaStatement] = await visitRow(database, a.data.visitId as string);
    const [viaTransaction] = await visitRow(database, b.data.visitId as string);
    expect(viaStatement).toEqual({
      ...viaTransaction,
      id: a.data.visitId,
      worker_id: a.data.workerId,
      household_id: a.data.householdId,
      group_id: a.data.groupId,
      late: true,
    });
    expect(viaStatement!.follow_up_actions).toEqual(['一周内回访', 'it\'s "quoted"']);
  });

  it('writes no row when the append loses to another writer', async () => {
    const streamId = `visit-${randomUUID()}`;
    await fast.append(streamId, [visit()], 'no_stream');
    const loser = visit();
    await expect(fast.append(streamId, [loser], 'no_stream')).rejects.toBeInstanceOf(WrongExpectedVersionError);
    expect(await visitRow(database, loser.data.visitId as string)).toEqual([]);
  });

  it('stores no event when a projection row is refused: the statement is one transaction', async () => {
    const streamId = `visit-${randomUUID()}`;
    // A date PostgreSQL cannot store: the read-model insert fails, after the events' insert ran.
    const refused = visit({ date: '2026-02-30' });
    await expect(fast.append(streamId, [refused], 'no_stream')).rejects.toThrow();
    expect(await fast.readStream(streamId)).toEqual([]);
    expect(await fast.streamVersion(streamId)).toBe(0);
    expect((await fast.verify()).broken).toEqual([]);
  });

  const registration = (householdId: string, idNumbers: string[]) =>
    newEvent('HouseholdRegistered', {
      householdId,
      groupId: randomUUID(),
      address: null,
      incomeStability: 'unstable',
      registeredAt: '2026-01-15T08:00:00.000Z',
      members: idNumbers.map((idNumber, i) => ({
        personId: randomUUID(),
        name: `王${i}`,
        idNumber,
        birthDate: '1950-06-01',
        sex: 'male',
        relation: i === 0 ? 'head' : 'child',
        disability: i === 0 ? { type: 'physical', grade: 2 } : null,
        labourCapacity: 'none',
      })),
    });
  const household = async (id: string) => ({
    household: (
      await sql<
        Record<string, unknown>
      >`select group_id is not null as grouped, address, income_stability, version, registered_on::text as registered_on, updated_at from rm_households where id = ${id}`.execute(
        database.db,
      )
    ).rows,
    members: (
      await sql<
        Record<string, unknown>
      >`select name, birth_date::text as birth_date, sex, relation, disability, serious_illness, labour_capacity, school_status from rm_household_members where household_id = ${id} order by name`.execute(
        database.db,
      )
    ).rows,
  });
  let seq = 0;
  const idNumbers = (n: number) => Array.from({ length: n }, () => `53062619500601${String(1000 + backends.indexOf(backend) * 500 + seq++).padStart(4, '0')}`);

  it('registers a household and its members in the one append statement, as the transaction would', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    statements.length = 0;
    await fast.append(`household-${a}`, [registration(a, idNumbers(2))], 'no_stream');
    expect(statements).toEqual([expect.stringMatching(/^es_append_rows_/)]);
    await slow.append(`household-${b}`, [registration(b, idNumbers(2))], 'no_stream');
    const [viaStatement, viaTransaction] = [await household(a), await household(b)];
    expect(viaStatement.members).toHaveLength(2);
    expect(viaStatement).toEqual(viaTransaction);
  });

  it('refuses a person already in another household under the unique ID number, writing no event', async () => {
    const [taken] = idNumbers(1);
    await fast.append(`household-${randomUUID()}`, [registration(randomUUID(), [taken!])], 'no_stream');
    const second = randomUUID();
    const error = await fast.append(`household-${second}`, [registration(second, [taken!])], 'no_stream').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: '23505' });
    expect(String((error as { constraint?: string }).constraint ?? (error as Error).message)).toContain('rm_household_members_id_number');
    expect(await fast.readStream(`household-${second}`)).toEqual([]);
  });

  it('records a lone special-group membership of a stored household in the one append statement, as the transaction would', async () => {
    const stored = async (store: SqlEventStore) => {
      const householdId = randomUUID();
      const streamId = `household-${householdId}`;
      await store.append(streamId, [registration(householdId, idNumbers(1))], 'no_stream');
      statements.length = 0;
      const joined = (membershipId: string, at: string) =>
        newEvent(
          'SpecialGroupJoined',
          { householdId, membershipId, group: 'dibao', personId: null, riskLevel: 2, from: '2026-01-16', to: null, recordedAt: at },
          { recordedAt: at },
        );
      await store.append(streamId, [joined(randomUUID(), '2026-01-16T08:00:00.000Z')], 1);
      await store.append(streamId, [joined(randomUUID(), '2026-01-17T08:00:00.000Z')], 2);
      const memberships = await sql<Record<string, unknown>>`
        select group_kind, person_id, risk_level, from_date::text as from_date, to_date from rm_special_memberships where household_id = ${householdId}`.execute(
        database.db,
      );
      return { household: (await household(householdId)).household, memberships: memberships.rows };
    };
    const viaStatement = await stored(fast);
    expect(statements).toEqual([expect.stringMatching(/^es_append_rows_/), expect.stringMatching(/^es_append_rows_/)]);
    expect(viaStatement).toEqual(await stored(slow));
    expect(viaStatement.memberships).toHaveLength(2);
    expect(viaStatement.household).toEqual([expect.objectContaining({ version: '3' })]);
  });

  it('falls back to the transaction for an event the projection cannot say as plain inserts', async () => {
    const householdId = randomUUID();
    const streamId = `household-${householdId}`;
    await fast.append(streamId, [registration(householdId, idNumbers(1))], 'no_stream');
    statements.length = 0;
    const toGroupId = randomUUID();
    await fast.append(
      streamId,
      [newEvent('HouseholdMoved', { householdId, fromGroupId: randomUUID(), toGroupId, on: '2026-01-16', movedAt: '2026-01-16T08:00:00.000Z' })],
      1,
    );
    expect(statements.filter((s) => s.startsWith('es_append_rows_'))).toEqual([]);
    expect(
      (await sql<{ group_id: string; version: string }>`select group_id, version from rm_households where id = ${householdId}`.execute(database.db)).rows,
    ).toEqual([{ group_id: toGroupId, version: expect.anything() }]);
  });
});
