import { sql } from 'kysely';
import type { TownEvent } from '../../domain/geography/town.events';
import type { VillageEvent } from '../../domain/geography/village.events';
import type { VillagerGroupEvent } from '../../domain/geography/villager-group.events';
import type { StationEvent } from '../../domain/stations/station.events';
import type { VisitEvent } from '../../domain/visits/visit';
import type { MentoringPairEvent } from '../../domain/workforce/mentoring-pair.events';
import type { TrainingSessionEvent } from '../../domain/workforce/training-session.events';
import type { WorkerEvent } from '../../domain/workforce/worker.events';
import type { InlineRows, InlineWrite } from '../../application/event-store';
import type { Db } from '../../storage/database';
import { typedProjection, type Pending } from '../typed-projection';

export type CoverageEvent =
  | TownEvent
  | VillageEvent
  | VillagerGroupEvent
  | Exclude<StationEvent, { type: 'StandardItemMet' | 'StandardItemUnmet' }>
  | WorkerEvent
  | Exclude<TrainingSessionEvent, { type: 'TrainingAttendanceRecorded' }>
  | MentoringPairEvent
  | VisitEvent;

type PeriodKind = 'responsibility' | 'county_town_link' | 'town_worker_link' | 'mentoring';

const periodId = (kind: PeriodKind, ...key: string[]) => `${kind}:${key.join(':')}`;

async function rename(trx: Db, id: string, name: string): Promise<void> {
  await trx.updateTable('rm_coverage_places').set({ name }).where('id', '=', id).execute();
}

async function retire(trx: Db, id: string): Promise<void> {
  await trx.updateTable('rm_coverage_places').set({ active: false }).where('id', '=', id).execute();
}

async function startPeriod(trx: Db, kind: PeriodKind, id: string, p: { workerId: string | null; targetId: string; from: string; to: string | null }): Promise<void> {
  await trx
    .insertInto('rm_coverage_periods')
    .values({ id, kind, worker_id: p.workerId, target_id: p.targetId, from_date: p.from, to_date: p.to })
    .onConflict((oc) => oc.column('id').doUpdateSet((eb) => ({ worker_id: eb.ref('excluded.worker_id'), to_date: eb.ref('excluded.to_date') })))
    .execute();
}

async function endPeriod(trx: Db, id: string, to: string): Promise<void> {
  await trx.updateTable('rm_coverage_periods').set({ to_date: to }).where('id', '=', id).execute();
}

/**
 * A visit counted once in its group's month: the visit's own row is the guard (a redelivered
 * visit inserts nothing and counts nothing), and the household counts once per group and month.
 */
async function countVisit(trx: Db, d: VisitEvent['data']): Promise<void> {
  const month = d.date.slice(0, 7);
  const seen =
    d.householdId !== null &&
    (await trx
      .selectFrom('rm_coverage_visits')
      .select('visit_id')
      .where('month', '=', month)
      .where('group_id', '=', d.groupId)
      .where('household_id', '=', d.householdId)
      .limit(1)
      .executeTakeFirst()) !== undefined;
  const inserted = await trx
    .insertInto('rm_coverage_visits')
    .values({ visit_id: d.visitId, group_id: d.groupId, month, household_id: d.householdId, people_served: d.peopleServed })
    .onConflict((oc) => oc.column('visit_id').doNothing())
    .returning('visit_id')
    .executeTakeFirst();
  if (!inserted) return;
  const newHousehold = d.householdId !== null && !seen ? 1 : 0;
  await trx
    .insertInto('rm_coverage_group_months')
    .values({ group_id: d.groupId, month, visits: 1, households: newHousehold, people_served: d.peopleServed })
    .onConflict((oc) =>
      oc.columns(['month', 'group_id']).doUpdateSet({
        visits: sql`rm_coverage_group_months.visits + 1`,
        households: sql`rm_coverage_group_months.households + ${newHousehold}`,
        people_served: sql`rm_coverage_group_months.people_served + ${d.peopleServed}`,
      }),
    )
    .execute();
}

/**
 * A visit to a villager group (no household) as rows the append statement carries: the visit's
 * row and its group-month counted in the same statement, one round trip instead of a transaction
 * (most of the demo county's visits, issue 15). It is what countVisit writes for such a visit:
 * no household to count, and the visit is new (its stream is), so its row is never already there
 * and the month is counted once. A household visit alone carries countVisit's read as a
 * sub-statement (householdVisitWrites), household visits together a sub-statement that counts
 * them all (visitsWrites); any other event takes the transaction (null).
 */
function groupVisitRows(events: readonly Pending<CoverageEvent>[]): InlineWrite[] | null {
  const only = events.length === 1 ? events[0]! : null;
  if (only?.type === 'VisitRecorded' && only.data.householdId !== null) return householdVisitWrites(only.data, only.data.householdId);
  const visitEvents = events.filter((e): e is Extract<Pending<CoverageEvent>, { type: 'VisitRecorded' }> => e.type === 'VisitRecorded');
  if (visitEvents.length !== events.length) return null;
  if (visitEvents.some((e) => e.data.householdId !== null)) return visitsWrites(visitEvents.map((e) => e.data));
  const visits: unknown[][] = [];
  const months = new Map<string, [groupId: string, month: string, visits: number, households: number, peopleServed: number]>();
  for (const event of visitEvents) {
    const d = event.data;
    const month = d.date.slice(0, 7);
    visits.push([d.visitId, d.groupId, month, null, d.peopleServed]);
    // One row per group and month: an upsert may not touch the same row twice in one statement.
    const key = `${d.groupId}:${month}`;
    const counted = months.get(key) ?? [d.groupId, month, 0, 0, 0];
    counted[2] += 1;
    counted[4] += d.peopleServed;
    months.set(key, counted);
  }
  return [
    coverageVisitRows(visits),
    {
      table: 'rm_coverage_group_months',
      columns: [
        ['group_id', 'uuid'],
        ['month', 'text'],
        ['visits', 'int'],
        ['households', 'int'],
        ['people_served', 'int'],
      ],
      rows: [...months.values()],
      onConflict: GROUP_MONTH_ADDS,
    },
  ];
}

const GROUP_MONTH_ADDS =
  '(month, group_id) do update set visits = rm_coverage_group_months.visits + excluded.visits, ' +
  'households = rm_coverage_group_months.households + excluded.households, ' +
  'people_served = rm_coverage_group_months.people_served + excluded.people_served';

function coverageVisitRows(visits: unknown[][]): InlineRows {
  return {
    table: 'rm_coverage_visits',
    columns: [
      ['visit_id', 'uuid'],
      ['group_id', 'uuid'],
      ['month', 'text'],
      ['household_id', 'uuid'],
      ['people_served', 'int'],
    ],
    rows: visits,
    onConflict: '(visit_id) do nothing',
  };
}

/**
 * One visit to a household, as the append statement carries it: what countVisit writes, its read
 * (was the household seen in this group this month?) asked in the statement itself, on the
 * snapshot before the visit's own row. The visit is new (its stream is), so its row goes in and
 * the month is counted once.
 */
function householdVisitWrites(d: VisitEvent['data'], householdId: string): InlineWrite[] {
  const month = d.date.slice(0, 7);
  return [
    coverageVisitRows([[d.visitId, d.groupId, month, householdId, d.peopleServed]]),
    {
      params: [d.groupId, month, householdId, d.peopleServed],
      sql: ({ inserted, param }) =>
        'insert into rm_coverage_group_months (group_id, month, visits, households, people_served) ' +
        `select ${param(0)}::uuid, ${param(1)}::text, 1, case when exists (select 1 from rm_coverage_visits where month = ${param(1)}::text ` +
        `and group_id = ${param(0)}::uuid and household_id = ${param(2)}::uuid) then 0 else 1 end, ${param(3)}::int where ${inserted} ` +
        `on conflict ${GROUP_MONTH_ADDS}`,
    },
  ];
}

/**
 * Many visits, some to households (a rebuild's page), as the statement carries them: the visits'
 * rows, and each group-month counted once by a sub-statement, with the households of the visits
 * not yet counted there (asked of the snapshot before the visits' own rows): what countVisit
 * writes visit after visit, each visit new (its stream is), each household counted once a month.
 */
function visitsWrites(visits: readonly VisitEvent['data'][]): InlineWrite[] {
  const months = visits.map((d) => d.date.slice(0, 7));
  return [
    coverageVisitRows(visits.map((d, i) => [d.visitId, d.groupId, months[i], d.householdId, d.peopleServed])),
    {
      params: [visits.map((d) => d.groupId), months, visits.map((d) => d.householdId), visits.map((d) => d.peopleServed)],
      sql: ({ inserted, param }) =>
        'insert into rm_coverage_group_months (group_id, month, visits, households, people_served) ' +
        'select v.group_id, v.month, count(*)::int, (count(distinct v.household_id) filter (where not exists (select 1 from rm_coverage_visits c ' +
        'where c.month = v.month and c.group_id = v.group_id and c.household_id = v.household_id)))::int, sum(v.people_served)::int ' +
        `from unnest(${param(0)}::uuid[], ${param(1)}::text[], ${param(2)}::uuid[], ${param(3)}::int[]) as v(group_id, month, household_id, people_served) ` +
        `where ${inserted} group by v.group_id, v.month on conflict ${GROUP_MONTH_ADDS}`,
    },
  ];
}

/**
 * The coverage read model: its own copy of the places, stations, workers, dated periods
 * (包保 responsibilities, 挂联 links, mentoring pairs) and training sessions the coverage report
 * needs, with every date kept so a read evaluates them on the day asked, and visits counted per
 * group and month. Inline, so a handover or an opened station shows in the next read; keyed
 * writes, so the same events applied twice give the same rows.
 */
export const coverageProjection = typedProjection<CoverageEvent>({
  name: 'coverage',
  mode: 'inline',
  rowsFor: groupVisitRows,
  tables: [
    'rm_coverage_places',
    'rm_coverage_stations',
    'rm_coverage_workers',
    'rm_coverage_periods',
    'rm_coverage_training',
    'rm_coverage_visits',
    'rm_coverage_group_months',
  ],
  handlers: {
    async TownRegistered(trx, { data: d }) {
      await trx
        .insertInto('rm_coverage_places')
        .values({ id: d.townId, kind: 'town', code: d.code, name: d.name, town_id: d.townId, active: true })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    },
    TownRenamed: (trx, { data }) => rename(trx, data.townId, data.name),
    TownRetired: (trx, { data }) => retire(trx, data.townId),
    async VillageRegistered(trx, { data: d }) {
      await trx
        .insertInto('rm_coverage_places')
        .values({ id: d.villageId, kind: 'village', code: d.code, name: d.name, town_id: d.townId, village_kind: d.kind, active: true })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    },
    VillageRenamed: (trx, { data }) => rename(trx, data.villageId, data.name),
    VillageRetired: (trx, { data }) => retire(trx, data.villageId),
    async VillagerGroupRegistered(trx, { data: d }) {
      await trx
        .insertInto('rm_coverage_places')
        .values((eb) => ({
          id: d.groupId,
          kind: 'group',
          code: d.code,
          name: d.name,
          // The town from this projection's own village row (the village was registered first).
          town_id: eb.selectFrom('rm_coverage_places').select('town_id').where('id', '=', d.villageId),
          village_id: d.villageId,
          active: true,
        }))
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    },
    VillagerGroupRenamed: (trx, { data }) => rename(trx, data.groupId, data.name),
    VillagerGroupRetired: (trx, { data }) => retire(trx, data.groupId),
    async GroupResponsibilityAssigned(trx, { data: d }) {
      if (d.previous) await endPeriod(trx, periodId('responsibility', d.groupId, d.previous.from), d.previous.to);
      await startPeriod(trx, 'responsibility', periodId('responsibility', d.groupId, d.from), { workerId: d.workerId, targetId: d.groupId, from: d.from, to: null });
    },
    GroupResponsibilityEnded: (trx, { data: d }) => endPeriod(trx, periodId('responsibility', d.groupId, d.from), d.to),
    async StationPlanned(trx, { data: d }) {
      const unit = d.unit;
      await trx
        .insertInto('rm_coverage_stations')
        .values((eb) => ({
          id: d.stationId,
          kind: d.kind,
          town_id: unit.kind === 'town' ? unit.townId : eb.selectFrom('rm_coverage_places').select('town_id').where('id', '=', unit.villageId),
          village_id: unit.kind === 'village' ? unit.villageId : null,
          quality: false,
        }))
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    },
    async StationOpened(trx, { data: d }) {
      await trx.updateTable('rm_coverage_stations').set({ opened_on: d.openedOn }).where('id', '=', d.stationId).execute();
    },
    async StationRatedQuality(trx, { data: d }) {
      await trx.updateTable('rm_coverage_stations').set({ quality: true }).where('id', '=', d.stationId).execute();
    },
    async WorkerRegistered(trx, { data: d }) {
      await trx
        .insertInto('rm_coverage_workers')
        .values({ id: d.workerId, name: d.name, level: d.level, hired_on: d.hiredOn })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    },
    async WorkerPosted(trx, { data: { unit, workerId } }) {
      await trx
        .updateTable('rm_coverage_workers')
        .set((eb) =>
          unit.kind === 'town'
            ? { town_id: unit.townId, village_id: null }
            : { village_id: unit.villageId, town_id: eb.selectFrom('rm_coverage_places').select('town_id').where('id', '=', unit.villageId) },
        )
        .where('id', '=', workerId)
        .execute();
    },
    TownLinked: (trx, { data: d }) =>
      startPeriod(trx, 'county_town_link', periodId('county_town_link', d.workerId, d.townId, d.from), { workerId: d.workerId, targetId: d.townId, from: d.from, to: d.to }),
    VillageWorkerLinked: (trx, { data: d }) =>
      startPeriod(trx, 'town_worker_link', periodId('town_worker_link', d.workerId, d.villageWorkerId, d.from), {
        workerId: d.workerId,
        targetId: d.villageWorkerId,
        from: d.from,
        to: d.to,
      }),
    TownLinkEnded: (trx, { data: d }) => endPeriod(trx, periodId('county_town_link', d.workerId, d.townId, d.from), d.to),
    VillageWorkerLinkEnded: (trx, { data: d }) => endPeriod(trx, periodId('town_worker_link', d.workerId, d.villageWorkerId, d.from), d.to),
    async CertificationRecorded(trx, { data: d }) {
      // Certified from the earliest certificate on: the rate counts workers certified by the day.
      await trx
        .updateTable('rm_coverage_workers')
        .set({ certified_on: sql`least(coalesce(certified_on, ${d.certifiedOn}::date), ${d.certifiedOn}::date)` })
        .where('id', '=', d.workerId)
        .execute();
    },
    async WorkerLeft(trx, { data: d }) {
      await trx.updateTable('rm_coverage_workers').set({ left_on: d.leftOn }).where('id', '=', d.workerId).execute();
    },
    async TrainingSessionRecorded(trx, { data: d }) {
      await trx
        .insertInto('rm_coverage_training')
        .values({ id: d.sessionId, kind: d.kind, held_on: d.heldOn })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    },
    MentoringPairFormed: (trx, { data: d }) =>
      startPeriod(trx, 'mentoring', periodId('mentoring', d.pairId), { workerId: d.mentorId, targetId: d.menteeId, from: d.from, to: d.to }),
    MentoringPairEnded: (trx, { data: d }) => endPeriod(trx, periodId('mentoring', d.pairId), d.to),
    VisitRecorded: (trx, { data }) => countVisit(trx, data),
  },
});
