import type { HouseholdEvent } from '../../domain/households/household.events';
import type { Member } from '../../domain/households/person';
import type { InlineStatement, InlineWrite } from '../../application/event-store';
import type { Db } from '../../storage/database';
import { typedProjection, type Pending } from '../typed-projection';

async function upsertMember(trx: Db, householdId: string, m: Member): Promise<void> {
  await trx
    .insertInto('rm_household_members')
    .values({
      person_id: m.personId,
      household_id: householdId,
      name: m.name,
      id_number: m.idNumber,
      birth_date: m.birthDate,
      sex: m.sex,
      relation: m.relation,
      disability: m.disability ? JSON.stringify(m.disability) : null,
      serious_illness: m.seriousIllness,
      labour_capacity: m.labourCapacity,
      school_status: m.schoolStatus,
    })
    .onConflict((oc) =>
      oc.column('person_id').doUpdateSet((eb) => ({
        name: eb.ref('excluded.name'),
        relation: eb.ref('excluded.relation'),
        disability: eb.ref('excluded.disability'),
        serious_illness: eb.ref('excluded.serious_illness'),
        labour_capacity: eb.ref('excluded.labour_capacity'),
        school_status: eb.ref('excluded.school_status'),
      })),
    )
    .execute();
}

/** Stamps the household with the event's stream version, unless a later event already did. */
async function touch(trx: Db, householdId: string, version: number, recordedAt: string): Promise<void> {
  await trx
    .updateTable('rm_households')
    .set({ version, updated_at: recordedAt })
    .where('id', '=', householdId)
    .where('version', '<', String(version))
    .execute();
}

/**
 * Households, members, special-group memberships and circumstance changes. Inline: the unique
 * ID number index refuses a person in two households inside the append's transaction. (Visits
 * and schedule policies, once here, are the visits projection's: projections/visits/.)
 */
export const householdsProjection = typedProjection<HouseholdEvent>({
  name: 'households',
  mode: 'inline',
  tables: ['rm_households', 'rm_household_members', 'rm_special_memberships', 'rm_household_changes'],
  rowsFor: insertRows,
  // Every update and delete finds its row by id or person id: the name search's indexes come last in a rebuild.
  rebuildIndexesLast: true,
  handlers: {
    async HouseholdRegistered(trx, { data: d, version, recordedAt }) {
      await trx
        .insertInto('rm_households')
        .values({
          id: d.householdId,
          group_id: d.groupId,
          address: d.address,
          income_stability: d.incomeStability,
          version,
          registered_on: d.registeredAt.slice(0, 10),
          updated_at: recordedAt,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
      for (const m of d.members) await upsertMember(trx, d.householdId, m);
    },
    async MemberAdded(trx, { data: d, version, recordedAt }) {
      await upsertMember(trx, d.householdId, d.member);
      await touch(trx, d.householdId, version, recordedAt);
    },
    async MemberUpdated(trx, { data: d, version, recordedAt }) {
      await upsertMember(trx, d.householdId, d.member);
      await touch(trx, d.householdId, version, recordedAt);
    },
    async MemberRemoved(trx, { data: d, version, recordedAt }) {
      await trx.deleteFrom('rm_household_members').where('person_id', '=', d.personId).execute();
      await touch(trx, d.householdId, version, recordedAt);
    },
    async CircumstancesChanged(trx, { data: d, version, recordedAt }) {
      await trx
        .insertInto('rm_household_changes')
        .values({ household_id: d.householdId, version, on_date: d.on, category: d.category, description: d.description })
        .onConflict((oc) => oc.doNothing())
        .execute();
      if (d.incomeStability) await trx.updateTable('rm_households').set({ income_stability: d.incomeStability }).where('id', '=', d.householdId).execute();
      await touch(trx, d.householdId, version, recordedAt);
    },
    async HouseholdMoved(trx, { data: d, version, recordedAt }) {
      await trx.updateTable('rm_households').set({ group_id: d.toGroupId }).where('id', '=', d.householdId).execute();
      await touch(trx, d.householdId, version, recordedAt);
    },
    async SpecialGroupJoined(trx, { data: d, version, recordedAt }) {
      await trx
        .insertInto('rm_special_memberships')
        .values({
          id: d.membershipId,
          household_id: d.householdId,
          person_id: d.personId,
          group_kind: d.group,
          risk_level: d.riskLevel,
          from_date: d.from,
          to_date: d.to,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
      await touch(trx, d.householdId, version, recordedAt);
    },
    async SpecialGroupLeft(trx, { data: d, version, recordedAt }) {
      await trx.updateTable('rm_special_memberships').set({ to_date: d.to }).where('id', '=', d.membershipId).execute();
      await touch(trx, d.householdId, version, recordedAt);
    },
  },
});

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

const MEMBERSHIP_COLUMNS = [
  ['id', 'uuid'],
  ['household_id', 'uuid'],
  ['person_id', 'uuid'],
  ['group_kind', 'text'],
  ['risk_level', 'int'],
  ['from_date', 'date'],
  ['to_date', 'date'],
] as const;

const CHANGE_COLUMNS = [
  ['household_id', 'uuid'],
  ['version', 'bigint'],
  ['on_date', 'date'],
  ['category', 'text'],
  ['description', 'text'],
] as const;

/** A household row of HOUSEHOLD_COLUMNS, kept while the events after its registration fold into it. */
type HouseholdRow = [id: string, groupId: string, address: string | null, incomeStability: string, version: number, registeredOn: string, updatedAt: string];

/**
 * `touch` as a sub-statement of the append: the household stamped with the event's version and
 * time where the stored row is older (gated on the events going in, as the rows are).
 */
function touchStatement(householdId: string, version: number, recordedAt: string): InlineStatement {
  return {
    params: [householdId, version, recordedAt],
    sql: ({ inserted, param }) =>
      `update rm_households set version = ${param(1)}::bigint, updated_at = ${param(2)}::timestamptz ` +
      `where id = ${param(0)}::uuid and version < ${param(1)}::bigint and ${inserted}`,
  };
}

/**
 * A registration is a plain insert: the append statement carries it (one round trip). A lone
 * special-group membership of a household stored earlier (a station enrolling a family) is its
 * row and the household's `touch` as a sub-statement: one round trip too. An event
 * after it about a household registered in the same events (a rebuild's page, where most
 * special-group memberships follow their household's registration) folds into that household's
 * row, as the handlers' update in place (`touch`, a move, a new income stability) would leave
 * it, and adds its own keyed insert. Anything else updates a row already stored, so it takes
 * the transaction (null), as does a batch that would upsert one person twice (one statement may
 * not touch a row twice).
 */
function insertRows(events: readonly Pending<HouseholdEvent>[]): InlineWrite[] | null {
  const only = events.length === 1 ? events[0]! : null;
  if (only?.type === 'SpecialGroupJoined') {
    const d = only.data;
    const membership = [d.membershipId, d.householdId, d.personId, d.group, d.riskLevel, d.from, d.to];
    return [
      { table: 'rm_special_memberships', columns: MEMBERSHIP_COLUMNS, rows: [membership], onConflict: '(id) do nothing' },
      touchStatement(d.householdId, only.version, only.recordedAt),
    ];
  }
  const households = new Map<string, HouseholdRow>();
  const members: unknown[][] = [];
  const memberships: unknown[][] = [];
  const changes: unknown[][] = [];
  /** touch(): the household stamped with the event's version, unless a later event already did. */
  const touched = (householdId: string, version: number, recordedAt: string): HouseholdRow | null => {
    const row = households.get(householdId);
    if (!row) return null;
    if (row[4] < version) [row[4], row[6]] = [version, recordedAt];
    return row;
  };
  for (const event of events) {
    if (event.type === 'HouseholdRegistered') {
      const d = event.data;
      if (households.has(d.householdId)) return null;
      households.set(d.householdId, [d.householdId, d.groupId, d.address, d.incomeStability, event.version, d.registeredAt.slice(0, 10), event.recordedAt]);
      for (const m of d.members) {
        members.push([
          m.personId,
          d.householdId,
          m.name,
          m.idNumber,
          m.birthDate,
          m.sex,
          m.relation,
          m.disability ? JSON.stringify(m.disability) : null,
          m.seriousIllness,
          m.labourCapacity,
          m.schoolStatus,
        ]);
      }
    } else if (event.type === 'SpecialGroupJoined') {
      const d = event.data;
      if (!touched(d.householdId, event.version, event.recordedAt)) return null;
      memberships.push([d.membershipId, d.householdId, d.personId, d.group, d.riskLevel, d.from, d.to]);
    } else if (event.type === 'HouseholdMoved') {
      const row = touched(event.data.householdId, event.version, event.recordedAt);
      if (!row) return null;
      row[1] = event.data.toGroupId;
    } else if (event.type === 'CircumstancesChanged') {
      const d = event.data;
      const row = touched(d.householdId, event.version, event.recordedAt);
      if (!row) return null;
      if (d.incomeStability) row[3] = d.incomeStability;
      changes.push([d.householdId, event.version, d.on, d.category, d.description]);
    } else return null;
  }
  if (new Set(members.map((m) => m[0])).size !== members.length) return null;
  return [
    { table: 'rm_households', columns: HOUSEHOLD_COLUMNS, rows: [...households.values()], onConflict: '(id) do nothing' },
    { table: 'rm_household_members', columns: MEMBER_COLUMNS, rows: members, onConflict: MEMBER_UPSERT },
    { table: 'rm_special_memberships', columns: MEMBERSHIP_COLUMNS, rows: memberships, onConflict: '(id) do nothing' },
    { table: 'rm_household_changes', columns: CHANGE_COLUMNS, rows: changes, onConflict: 'do nothing' },
  ];
}
