import { CompiledQuery, type Kysely } from 'kysely';
import type { SchedulePolicy } from '../../domain/visits/schedule-policy';
import type { Database } from '../../storage/database';
import { groupForVisit, groupForVisitJsonSql, type GroupForVisit } from '../geography/geography.queries';
import { householdForVisitJsonSql, householdGroupIdSql, type HouseholdForVisit } from '../households/households.queries';
import { json } from '../row-values';
import { SCHEDULE_POLICIES_JSON_SQL } from './visits.queries';

/** What recording one visit reads before its command: the household, its group on the day, the schedule policies. */
export interface VisitLookupRows {
  household: HouseholdForVisit | null;
  group: GroupForVisit | null;
  policies: SchedulePolicy[];
}

/**
 * One statement for the three reads a visit made one by one (`householdForVisit`, `getGroup` on the visit's
 * day, `schedulePolicies`), each written by the feature that owns its tables: a visit was four
 * statements (three reads and the append), and each statement costs the service's thread a send
 * of about 300 µs at county scale (BENCHMARKS.md, session 17). The group is the household's when
 * there is a household, else `groupId`. The text is fixed; only the parameters change.
 */
const VISIT_LOOKUPS =
  `select ${householdForVisitJsonSql('$1')} as household,` +
  ` ${groupForVisitJsonSql(`coalesce(${householdGroupIdSql('$1')}, $2::uuid)`, '$3')} as group_on_day,` +
  ` ${SCHEDULE_POLICIES_JSON_SQL} as policies`;

/**
 * The statement by name, for the composition root to have PostgreSQL prepare it once per
 * connection (SqlDatabase.nameStatement): every visit sends it, and parsing and planning it each
 * time cost more than running it.
 */
export const VISIT_LOOKUPS_STATEMENT = { name: 'visit_lookups', text: VISIT_LOOKUPS } as const;

interface VisitLookupsRow {
  household: unknown;
  group_on_day: unknown;
  policies: unknown;
}

export async function readVisitLookups(
  db: Kysely<Database>,
  wanted: { householdId: string | null; groupId: string | null; on: string },
): Promise<VisitLookupRows> {
  const { rows } = await db.executeQuery<VisitLookupsRow>(CompiledQuery.raw(VISIT_LOOKUPS, [wanted.householdId, wanted.groupId, wanted.on]));
  const row = rows[0]!;
  const household = json<{ id: string; group_id: string; members: number | string } | null>(row.household);
  const group = json<Parameters<typeof groupForVisit>[0] | null>(row.group_on_day);
  return {
    household: household ? { id: household.id, groupId: household.group_id, members: Number(household.members) } : null,
    group: group ? groupForVisit(group) : null,
    policies: json<SchedulePolicy[]>(row.policies),
  };
}
