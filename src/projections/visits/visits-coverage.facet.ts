import type { Database } from '../../storage/database';
import { sql, type Kysely } from 'kysely';
import type { CoverageFacet } from '../coverage/coverage-oracle.queries';

const monthStart = (today: string) => `${today.slice(0, 7)}-01`;

/** Adds "visited this month" to the coverage report, per group and in the totals. */
export const visitsThisMonthFacet: CoverageFacet = {
  name: 'visitsThisMonth',
  async groups(db: Kysely<Database>, groupIds, today) {
    if (groupIds.length === 0) return new Map();
    const rows = await sql<{ group_id: string; visits: string; households: string; last: unknown }>`
      select group_id, count(*) as visits, count(distinct household_id) as households, max(visit_date) as last
      from rm_visits where group_id = any(${[...groupIds]}::uuid[]) and visit_date >= ${monthStart(today)}::date and visit_date <= ${today}::date
      group by group_id`.execute(db);
    const byGroup = new Map(rows.rows.map((r) => [r.group_id, r]));
    return new Map(
      groupIds.map((id) => {
        const r = byGroup.get(id);
        return [id, { visitedThisMonth: !!r, visitsThisMonth: Number(r?.visits ?? 0), householdsVisitedThisMonth: Number(r?.households ?? 0) }];
      }),
    );
  },
  async totals(db: Kysely<Database>, groupIds, today) {
    if (groupIds.length === 0) return { groupsVisited: 0, householdsVisited: 0, visits: 0, personTimes: 0 };
    const r = (
      await sql<{ groups: string; households: string; visits: string; person_times: string | null }>`
        select count(distinct group_id) as groups, count(distinct household_id) as households, count(*) as visits, sum(people_served) as person_times
        from rm_visits where group_id = any(${[...groupIds]}::uuid[]) and visit_date >= ${monthStart(today)}::date and visit_date <= ${today}::date`.execute(db)
    ).rows[0]!;
    return { groupsVisited: Number(r.groups), householdsVisited: Number(r.households), visits: Number(r.visits), personTimes: Number(r.person_times ?? 0) };
  },
};
