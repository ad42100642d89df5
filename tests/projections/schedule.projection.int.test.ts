import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Position, RecordedEvent } from '../../src/application/event-store';
import type { SchedulePolicy } from '../../src/domain/visits/schedule-policy';
import { geographyProjection } from '../../src/projections/geography/geography.projection';
import { householdsProjection } from '../../src/projections/households/households.projection';
import { visitsProjection } from '../../src/projections/visits/visits.projection';
import { scheduleProjection, type ScheduleEvent } from '../../src/projections/visits/schedule.projection';
import type { Db } from '../../src/storage/database';
import { metadata } from '../support/events';
import { projectionSpec } from './projection-spec';

/**
 * The schedule projection reads the rows geography and households wrote for the same event
 * (it runs after them, in the same transaction), so each spec first lays those rows down from
 * the same events, then gives the events to the schedule projection: once, and again.
 */
const spec = projectionSpec(scheduleProjection);
const AT = '2026-01-10T08:00:00.000Z';
const AS_OF = '2026-03-20';
const id = (n: number) => `00000000-0000-4000-8000-0000000000${String(n).padStart(2, '0')}`;
const [town, village, g1, g2, worker1, worker2, household, membership, visit1, visit2] = Array.from({ length: 10 }, (_, i) => id(i + 1)) as [
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
];
const policy = JSON.parse(readFileSync(new URL('../../policies/schedule-policy.default.json', import.meta.url), 'utf8')) as SchedulePolicy;

const recorded = (events: readonly { type: string; data: object }[]): RecordedEvent[] =>
  events.map(({ type, data }, i): RecordedEvent => ({
    eventId: randomUUID(),
    streamId: 'spec-upstream',
    version: i + 1,
    schemaVersion: 1,
    metadata: metadata({ recordedAt: AT }),
    recordedAt: AT,
    position: String(i + 1) as Position,
    hash: '',
    prevHash: '',
    type,
    data: { ...data },
  }));

/** The upstream rows of these events (geography, households), and the model set to hold AS_OF under policy 1. */
async function upstream(db: Db, events: readonly ScheduleEvent[]) {
  for (const table of ['rm_visits', 'rm_special_memberships', 'rm_household_members', 'rm_households', 'rm_group_responsibilities', 'rm_groups', 'rm_villages'])
    await sql`delete from ${sql.table(table)}`.execute(db);
  const all = recorded([
    { type: 'VillageRegistered', data: { villageId: village, townId: town, kind: 'village', code: '530626100201', name: '回望村', registeredAt: AT } },
    { type: 'SchedulePolicyVersionAdded', data: { policy, addedAt: AT } },
    ...events,
  ]);
  await db.transaction().execute(async (trx) => {
    await geographyProjection.apply(
      trx,
      all.filter((e) => geographyProjection.handles.includes(e.type)),
    );
    await householdsProjection.apply(
      trx,
      all.filter((e) => householdsProjection.handles.includes(e.type)),
    );
    await visitsProjection.apply(
      trx,
      all.filter((e) => visitsProjection.handles.includes(e.type)),
    );
  });
  await setState(db, AS_OF, policy.version);
}

async function setState(db: Db, asOf: string | null, version: number | null) {
  await sql`insert into rm_schedule_state (id, as_of, policy_version) values (1, ${asOf}::date, ${version})
    on conflict (id) do update set as_of = excluded.as_of, policy_version = excluded.policy_version`.execute(db);
}

/** As projectionSpec's given → rows, once and again, but keeping the state row upstream() set (the spec empties it). */
async function givenTwice<R>(events: readonly ScheduleEvent[], read: (db: Db) => Promise<R[]>, expected: readonly Partial<NoInfer<R>>[]) {
  const db = spec.db();
  await sql`delete from rm_schedule_items`.execute(db);
  const all = recorded(events);
  const apply = () => db.transaction().execute((trx) => scheduleProjection.apply(trx, all));
  await apply();
  const once = await read(db);
  expect(once).toMatchObject(expected);
  await apply();
  expect(await read(db), 'the same events applied twice give the same rows').toEqual(once);
}

const items = (db: Db) =>
  db
    .selectFrom('rm_schedule_items')
    .select(['obligation', 'group_id', 'household_id', 'worker_id', 'month', 'due_date', 'status', 'last_visit', 'interval_months'])
    .orderBy('item_key')
    .execute();

const group = (groupId: string, code: string): ScheduleEvent => ({
  type: 'VillagerGroupRegistered',
  data: { groupId, villageId: village, code, name: code, registeredAt: '2025-06-01T00:00:00.000Z' },
});
const assigned = (groupId: string, workerId: string, from: string, previous: { workerId: string; from: string; to: string } | null = null): ScheduleEvent => ({
  type: 'GroupResponsibilityAssigned',
  data: { groupId, workerId, from, previous, assignedAt: AT },
});
const registered: ScheduleEvent = {
  type: 'HouseholdRegistered',
  data: {
    householdId: household,
    groupId: g1,
    address: null,
    incomeStability: 'stable',
    members: [
      {
        personId: id(20),
        name: '王某',
        idNumber: '110101197001011234',
        birthDate: '1970-01-01',
        sex: 'male',
        relation: 'head',
        disability: null,
        seriousIllness: null,
        labourCapacity: 'none',
        schoolStatus: null,
      },
    ],
    registeredAt: '2025-06-01T00:00:00.000Z',
  },
};
const joined: ScheduleEvent = {
  type: 'SpecialGroupJoined',
  data: { householdId: household, membershipId: membership, group: 'dibao', personId: null, riskLevel: null, from: '2025-07-01', to: null, recordedAt: AT },
};
const visited = (visitId: string, groupId: string, householdId: string | null, date: string, kind: 'routine' | 'review' = 'routine'): ScheduleEvent => ({
  type: 'VisitRecorded',
  data: {
    visitId,
    workerId: worker1,
    householdId,
    groupId,
    date,
    kind,
    findings: '',
    followUpActions: [],
    peopleServed: 1,
    late: false,
    policyVersion: 1,
    recordedAt: AT,
  },
});

describe('schedule projection', () => {
  beforeEach(async () => {
    await setState(spec.db(), null, null);
  });

  it('keeps each group and household obligation of the window, done where a visit fell in the month', async () => {
    const events = [group(g1, 'g1'), assigned(g1, worker1, '2025-06-01'), registered, joined, visited(visit1, g1, household, '2026-02-10')];
    await upstream(spec.db(), events);
    await givenTwice(events, items, [
      {
        obligation: 'dynamic_review',
        household_id: household,
        worker_id: worker1,
        month: null,
        due_date: '2026-07-01',
        status: 'due',
        last_visit: null,
        interval_months: 12,
      },
      { obligation: 'group_monthly_visit', group_id: g1, household_id: null, month: '2025-12', status: 'overdue', last_visit: null },
      { obligation: 'group_monthly_visit', group_id: g1, month: '2026-01', status: 'overdue' },
      { obligation: 'group_monthly_visit', group_id: g1, month: '2026-02', status: 'done', last_visit: '2026-02-10' },
      { obligation: 'group_monthly_visit', group_id: g1, month: '2026-03', due_date: '2026-03-31', status: 'due' },
      { obligation: 'household_monthly_visit', household_id: household, month: '2025-12', status: 'overdue' },
      { obligation: 'household_monthly_visit', household_id: household, month: '2026-01', status: 'overdue' },
      { obligation: 'household_monthly_visit', household_id: household, month: '2026-02', status: 'done', last_visit: '2026-02-10' },
      { obligation: 'household_monthly_visit', household_id: household, month: '2026-03', status: 'due' },
    ]);
  });

  it('moves the obligations to the new responsible worker on a handover, and with a household that moves', async () => {
    const events = [
      group(g1, 'g1'),
      group(g2, 'g2'),
      assigned(g1, worker1, '2025-06-01'),
      assigned(g2, worker1, '2025-06-01'),
      registered,
      joined,
      assigned(g2, worker2, '2026-03-01', { workerId: worker1, from: '2025-06-01', to: '2026-03-01' }),
      { type: 'HouseholdMoved', data: { householdId: household, fromGroupId: g1, toGroupId: g2, on: '2026-03-05', movedAt: AT } },
      visited(visit2, g1, null, '2026-03-02', 'review'),
    ] satisfies ScheduleEvent[];
    await upstream(spec.db(), events);
    await givenTwice(events, (db) => items(db).then((r) => r.filter((i) => i.household_id === household || i.month === '2026-03')), [
      { obligation: 'dynamic_review', group_id: g2, household_id: household, worker_id: worker2 },
      { obligation: 'group_monthly_visit', group_id: g1, worker_id: worker1, month: '2026-03', status: 'done', last_visit: '2026-03-02' },
      { obligation: 'group_monthly_visit', group_id: g2, worker_id: worker2, month: '2026-03', status: 'due' },
      { obligation: 'household_monthly_visit', group_id: g2, household_id: household, worker_id: worker2, month: '2025-12' },
      { obligation: 'household_monthly_visit', group_id: g2, household_id: household, worker_id: worker2, month: '2026-01' },
      { obligation: 'household_monthly_visit', group_id: g2, household_id: household, worker_id: worker2, month: '2026-02' },
      { obligation: 'household_monthly_visit', group_id: g2, household_id: household, worker_id: worker2, month: '2026-03' },
    ]);
  });

  it('writes nothing before the first read has built the model, and a new policy version marks it stale', async () => {
    const events = [group(g1, 'g1'), assigned(g1, worker1, '2025-06-01')];
    await upstream(spec.db(), events);
    await spec.given(events).expectRows(items, []);
    await setState(spec.db(), AS_OF, 1);
    await givenTwice(
      [{ type: 'SchedulePolicyVersionAdded', data: { policy: { ...policy, version: 2 }, addedAt: AT } }],
      (db) => db.selectFrom('rm_schedule_state').select(['as_of', 'policy_version']).execute(),
      [{ as_of: AS_OF, policy_version: null }],
    );
  });
});
