import type { Database } from '../../storage/database';
import { sql, type Kysely } from 'kysely';
import { num, townScope } from './rows';
import type { Aggregate } from '../row-values';

export interface SummaryScope {
  /** One town the caller asked for; absent: everything visible. */
  townId?: string;
  /** Jurisdiction (null = all towns). */
  townIds: readonly string[] | null;
}

export interface CommunitySummary {
  volunteers: {
    registered: number;
    withdrawn: number;
    /** Registered volunteers + the latest count of every organisation's mobilisable people. */
    mobilisable: { total: number; registered: number; fromOrganisations: number; organisations: number };
  };
  teams: { active: number; villageMutualAidElderCare: number; byKind: { kind: string; active: number }[] };
  service: { records: number; volunteerMinutes: number; peopleServed: number; householdsServed: number; childrenServed: number };
  projects: {
    byKind: { kind: string; count: number; active: number; contractAmountFen: number }[];
    /** Children and people served by records that belong to a project. */
    childrenServed: number;
    peopleServed: number;
  };
  donations: {
    count: number;
    totalFen: number;
    allocatedFen: number;
    remainingFen: number;
    byDonorKind: { donorKind: string; count: number; amountFen: number }[];
    byChannel: { channel: string; count: number; amountFen: number }[];
  };
}

/**
 * The counts the article reports (445 registered, 1,000+ mobilisable, 18 village mutual-aid
 * teams, 1,900+ children served, ¥165,000 from companies, ¥35,000 online), as the read models
 * hold them now. With a town, county-wide rows (town null) are left out; without, they count.
 */
export async function communitySummary(db: Kysely<Database>, scope: SummaryScope): Promise<CommunitySummary> {
  const inScope = (column: string, countyWide: 'visible' | 'none') =>
    scope.townId ? sql`${sql.ref(column)} = ${scope.townId}::uuid and ${townScope(column, scope.townIds)}` : townScope(column, scope.townIds, countyWide);
  const [volunteers, reserve, teams, service, households, minutes, projects, projectService, donations, byDonor, byChannel] = await Promise.all([
    sql<{
      registered: Aggregate;
      withdrawn: Aggregate;
    }>`select count(*) filter (where status = 'registered') as registered, count(*) filter (where status = 'withdrawn') as withdrawn
             from rm_volunteers where ${inScope('town_id', 'none')}`.execute(db),
    sql<{
      organisations: Aggregate;
      people: Aggregate;
    }>`select count(*) as organisations, coalesce(sum(count), 0) as people from rm_mobilisable_counts where ${inScope('town_id', 'visible')}`.execute(db),
    sql<{
      kind: string;
      active: Aggregate;
    }>`select kind, count(*) as active from rm_volunteer_teams where status = 'active' and ${inScope('town_id', 'none')} group by kind order by kind`.execute(
      db,
    ),
    sql<{
      records: Aggregate;
      people: Aggregate;
      children: Aggregate;
    }>`select count(*) as records, coalesce(sum(people_served), 0) as people, coalesce(sum(children_served), 0) as children
             from rm_volunteer_services where not voided and ${inScope('town_id', 'none')}`.execute(db),
    sql<{
      households: Aggregate;
    }>`select count(distinct h.household_id) as households from rm_volunteer_service_households h join rm_volunteer_services s on s.id = h.service_id
             where ${inScope('s.town_id', 'none')}`.execute(db),
    sql<{ minutes: Aggregate }>`select coalesce(sum(minutes), 0) as minutes from rm_volunteer_service_minutes where ${inScope('town_id', 'none')}`.execute(db),
    sql<{
      kind: string;
      count: Aggregate;
      active: Aggregate;
      fen: Aggregate;
    }>`select kind, count(*) as count, count(*) filter (where status = 'active') as active, coalesce(sum(contract_amount_fen), 0) as fen
             from rm_community_projects where ${inScope('town_id', 'visible')} group by kind order by kind`.execute(db),
    sql<{ people: Aggregate; children: Aggregate }>`select coalesce(sum(people_served), 0) as people, coalesce(sum(children_served), 0) as children
             from rm_volunteer_services where not voided and project_id is not null and ${inScope('town_id', 'none')}`.execute(db),
    sql<{
      count: Aggregate;
      total: Aggregate;
      allocated: Aggregate;
    }>`select count(*) as count, coalesce(sum(amount_fen), 0) as total, coalesce(sum(allocated_fen), 0) as allocated from rm_donations where ${inScope('town_id', 'visible')}`.execute(
      db,
    ),
    sql<{
      donor_kind: string;
      count: Aggregate;
      fen: Aggregate;
    }>`select donor_kind, count(*) as count, sum(amount_fen) as fen from rm_donations where ${inScope('town_id', 'visible')} group by donor_kind order by donor_kind`.execute(
      db,
    ),
    sql<{
      channel: string;
      count: Aggregate;
      fen: Aggregate;
    }>`select channel, count(*) as count, sum(amount_fen) as fen from rm_donations where ${inScope('town_id', 'visible')} group by channel order by channel`.execute(
      db,
    ),
  ]);
  const v = volunteers.rows[0];
  const registered = num(v?.registered);
  const fromOrganisations = num(reserve.rows[0]?.people);
  const teamRows = teams.rows.map((r) => ({ kind: r.kind, active: num(r.active) }));
  const d = donations.rows[0];
  return {
    volunteers: {
      registered,
      withdrawn: num(v?.withdrawn),
      mobilisable: { total: registered + fromOrganisations, registered, fromOrganisations, organisations: num(reserve.rows[0]?.organisations) },
    },
    teams: {
      active: teamRows.reduce((sum, t) => sum + t.active, 0),
      villageMutualAidElderCare: teamRows.find((t) => t.kind === 'village_mutual_aid_elder_care')?.active ?? 0,
      byKind: teamRows,
    },
    service: {
      records: num(service.rows[0]?.records),
      volunteerMinutes: num(minutes.rows[0]?.minutes),
      peopleServed: num(service.rows[0]?.people),
      householdsServed: num(households.rows[0]?.households),
      childrenServed: num(service.rows[0]?.children),
    },
    projects: {
      byKind: projects.rows.map((r) => ({ kind: r.kind, count: num(r.count), active: num(r.active), contractAmountFen: num(r.fen) })),
      childrenServed: num(projectService.rows[0]?.children),
      peopleServed: num(projectService.rows[0]?.people),
    },
    donations: {
      count: num(d?.count),
      totalFen: num(d?.total),
      allocatedFen: num(d?.allocated),
      remainingFen: num(d?.total) - num(d?.allocated),
      byDonorKind: byDonor.rows.map((r) => ({ donorKind: r.donor_kind, count: num(r.count), amountFen: num(r.fen) })),
      byChannel: byChannel.rows.map((r) => ({ channel: r.channel, count: num(r.count), amountFen: num(r.fen) })),
    },
  };
}
