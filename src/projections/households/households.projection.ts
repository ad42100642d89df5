import { sql, type Kysely } from 'kysely';
import type { InlineRows, PendingEvent, RecordedEvent } from '../../application/event-store';
import type { HouseholdEvent } from '../../domain/households/household.events';
import type { Member } from '../../domain/households/person';
import type { SchedulePolicyEvent } from '../../domain/schedules/schedule-policy.events';
import type { VisitEvent } from '../../domain/visits/visit';
import type { Projection } from '../projection';

type Event = (HouseholdEvent | VisitEvent | SchedulePolicyEvent) & Pick<RecordedEvent, 'version' | 'recordedAt'>;

async function upsertMember(trx: Kysely<any>, householdId: string, m: Member): Promise<void> {
  await sql`
    insert into rm_household_members (person_id, household_id, name, id_number, birth_date, sex, relation, disability, serious_illness, labour_capacity, school_status)
    values (${m.personId}, ${householdId}, ${m.name}, ${m.idNumber}, ${m.birthDate}, ${m.sex}, ${m.relation}, ${m.disability ? JSON.stringify(m.disability) : null}::jsonb,
            ${m.seriousIllness}, ${m.labourCapacity}, ${m.schoolStatus})
    on conflict (person_id) do update set name = excluded.name, relation = excluded.relation, disability = excluded.disability,
      serious_illness = excluded.serious_illness, labour_capacity = excluded.labour_capacity, school_status = excluded.school_status`.execute(trx);
}

/**
 * Households, members, special-group memberships, visits and schedule policy versions.
 * Inline: the unique ID number index refuses a person in two households inside the append's
 * transaction, and visit lists show a visit as soon as it is recorded.
 */
export const householdsProjection: Projection = {
  name: 'households',
  mode: 'inline',
  handles: [
    'HouseholdRegistered',
    'MemberAdded',
    'MemberUpdated',
    'MemberRemoved',
    'CircumstancesChanged',
    'HouseholdMoved',
    'SpecialGroupJoined',
    'SpecialGroupLeft',
    'VisitRecorded',
    'SchedulePolicyVersionAdded',
  ],
  tables: ['rm_households', 'rm_household_members', 'rm_special_memberships', 'rm_household_changes', 'rm_visits', 'rm_schedule_policies'],
  async apply(trx: Kysely<any>, events: readonly RecordedEvent[]) {
    for (const e of events) await applyOne(trx, e as unknown as Event);
  },
  rowsFor: insertRows,
};

const VISIT_COLUMNS = [
  ['id', 'uuid'],
  ['worker_id', 'uuid'],
  ['household_id', 'uuid'],
  ['group_id', 'uuid'],
  ['visit_date', 'date'],
  ['kind', 'text'],
  ['findings', 'text'],
  ['follow_up_actions', 'jsonb'],
  ['people_served', 'int'],
  ['late', 'boolean'],
  ['recorded_at', 'timestamptz'],
] as const;

const HOUSEHOLD_COLUMNS = [
  ['id', 'uuid'],
  ['group_id', 'uuid'],
  ['address', 'text'],
  ['income_stability', 'text'],
  ['version', 'bigint'],
  ['registered_on', 'date'],
  ['updated_at', 'timestamptz'],
] as const;

const MEMBER_COLUMNS = [
  ['person_id', 'uuid'],
  ['household_id', 'uuid'],
  ['name', 'text'],
  ['id_number', 'text'],
  ['birth_date', 'date'],
  ['sex', 'text'],
  ['relation', 'text'],
  ['disability', 'jsonb'],
  ['serious_illness', 'text'],
  ['labour_capacity', 'text'],
  ['school_status', 'text'],
] as const;

/** upsertMember's conflict rule, for the rows the append statement carries. */
const MEMBER_UPSERT =
  '(person_id) do update set name = excluded.name, relation = excluded.relation, disability = excluded.disability, ' +
  'serious_illness = excluded.serious_illness, labour_capacity = excluded.labour_capacity, school_status = excluded.school_status';

/**
 * The two commands that create something, a visit and a registration, are plain inserts: the
 * append statement carries them (one round trip). Every other event here updates a row, so it
 * takes the transaction (null), as does a batch that would upsert one person twice (one
 * statement may not touch a row twice).
 */
function insertRows(events: readonly PendingEvent[]): InlineRows[] | null {
  const visits: unknown[][] = [];
  const households: unknown[][] = [];
  const members: unknown[][] = [];
  for (const e of events) {
    const event = e as unknown as Event;
    if (event.type === 'VisitRecorded') {
      const d = event.data;
      visits.push([d.visitId, d.workerId, d.householdId, d.groupId, d.date, d.kind, d.findings, JSON.stringify(d.followUpActions), d.peopleServed, d.late, d.recordedAt]);
    } else if (event.type === 'HouseholdRegistered') {
      const d = event.data;
      households.push([d.householdId, d.groupId, d.address, d.incomeStability, e.version, d.registeredAt.slice(0, 10), e.recordedAt]);
      for (const m of d.members) {
        members.push([m.personId, d.householdId, m.name, m.idNumber, m.birthDate, m.sex, m.relation, m.disability ? JSON.stringify(m.disability) : null, m.seriousIllness, m.labourCapacity, m.schoolStatus]);
      }
    } else return null;
  }
  if (new Set(members.map((m) => m[0])).size !== members.length) return null;
  return [
    { table: 'rm_households', columns: HOUSEHOLD_COLUMNS, rows: households, onConflict: '(id) do nothing' },
    { table: 'rm_household_members', columns: MEMBER_COLUMNS, rows: members, onConflict: MEMBER_UPSERT },
    { table: 'rm_visits', columns: VISIT_COLUMNS, rows: visits, onConflict: '(id) do nothing' },
  ];
}

async function applyOne(trx: Kysely<any>, event: Event): Promise<void> {
  const { version, recordedAt } = event;
  const touch = (id: string) => sql`update rm_households set version = ${version}, updated_at = ${recordedAt} where id = ${id} and version < ${version}`.execute(trx);
  switch (event.type) {
    case 'HouseholdRegistered': {
      const d = event.data;
      await sql`insert into rm_households (id, group_id, address, income_stability, version, registered_on, updated_at)
                values (${d.householdId}, ${d.groupId}, ${d.address}, ${d.incomeStability}, ${version}, ${d.registeredAt.slice(0, 10)}, ${recordedAt})
                on conflict (id) do nothing`.execute(trx);
      for (const m of d.members) await upsertMember(trx, d.householdId, m);
      return;
    }
    case 'MemberAdded':
    case 'MemberUpdated':
      await upsertMember(trx, event.data.householdId, event.data.member);
      await touch(event.data.householdId);
      return;
    case 'MemberRemoved':
      await sql`delete from rm_household_members where person_id = ${event.data.personId}`.execute(trx);
      await touch(event.data.householdId);
      return;
    case 'CircumstancesChanged': {
      const d = event.data;
      await sql`insert into rm_household_changes (household_id, version, on_date, category, description) values (${d.householdId}, ${version}, ${d.on}, ${d.category}, ${d.description})
                on conflict do nothing`.execute(trx);
      if (d.incomeStability) await sql`update rm_households set income_stability = ${d.incomeStability} where id = ${d.householdId}`.execute(trx);
      await touch(d.householdId);
      return;
    }
    case 'HouseholdMoved':
      await sql`update rm_households set group_id = ${event.data.toGroupId} where id = ${event.data.householdId}`.execute(trx);
      await touch(event.data.householdId);
      return;
    case 'SpecialGroupJoined': {
      const d = event.data;
      await sql`insert into rm_special_memberships (id, household_id, person_id, group_kind, risk_level, from_date, to_date)
                values (${d.membershipId}, ${d.householdId}, ${d.personId}, ${d.group}, ${d.riskLevel}, ${d.from}, ${d.to}) on conflict (id) do nothing`.execute(trx);
      await touch(d.householdId);
      return;
    }
    case 'SpecialGroupLeft':
      await sql`update rm_special_memberships set to_date = ${event.data.to} where id = ${event.data.membershipId}`.execute(trx);
      await touch(event.data.householdId);
      return;
    case 'VisitRecorded': {
      const d = event.data;
      await sql`insert into rm_visits (id, worker_id, household_id, group_id, visit_date, kind, findings, follow_up_actions, people_served, late, recorded_at)
                values (${d.visitId}, ${d.workerId}, ${d.householdId}, ${d.groupId}, ${d.date}, ${d.kind}, ${d.findings}, ${JSON.stringify(d.followUpActions)}::jsonb,
                        ${d.peopleServed}, ${d.late}, ${d.recordedAt}) on conflict (id) do nothing`.execute(trx);
      return;
    }
    case 'SchedulePolicyVersionAdded': {
      const p = event.data.policy;
      await sql`insert into rm_schedule_policies (version, effective_from, body, recorded_at) values (${p.version}, ${p.effectiveFrom}, ${JSON.stringify(p)}::jsonb, ${recordedAt})
                on conflict (version) do nothing`.execute(trx);
      return;
    }
  }
}
