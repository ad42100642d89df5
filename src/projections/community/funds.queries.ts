import type { Database, Row } from '../../storage/database';
import { sql, type Kysely } from 'kysely';
import { decodeCursor, encodeCursor, type Page, type PageRequest } from '../../application/pagination';
import { containing, day, num, townScope } from './rows';
import type { Aggregate } from '../row-values';

// ── Projects ─────────────────────────────────────────────────────────────────
export interface ProjectRecord {
  id: string;
  kind: string;
  name: string;
  description: string;
  townId: string | null;
  villageId: string | null;
  stationId: string | null;
  provider: string | null;
  partner: string | null;
  contractAmountFen: number | null;
  from: string;
  to: string | null;
  status: 'active' | 'closed';
  closedOn: string | null;
  deliverables: { deliverableId: string; description: string; target: number | null; unit: string | null; completedOn: string | null; note: string | null }[];
  spendings: { spendingId: string; amountFen: number; on: string; purpose: string }[];
  /** Donated money: allocated to the project, spent by it, and what it still holds. */
  funds: { receivedFen: number; spentFen: number; balanceFen: number };
  /** From the service records that name the project (voided ones excluded). */
  served: { serviceRecords: number; peopleServed: number; householdsServed: number; childrenServed: number; volunteerMinutes: number };
  version: number;
}

type ProjectRow = Row<'rm_community_projects'>;

async function hydrateProjects(db: Kysely<Database>, rows: ProjectRow[]): Promise<ProjectRecord[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [deliverables, spendings, received, served, households, minutes] = await Promise.all([
    db.selectFrom('rm_project_deliverables').selectAll().where('project_id', 'in', ids).orderBy('position').execute(),
    db.selectFrom('rm_project_spendings').selectAll().where('project_id', 'in', ids).orderBy('spent_on').orderBy('id').execute(),
    sql<{
      project_id: string;
      fen: Aggregate;
    }>`select project_id, sum(amount_fen) as fen from rm_donation_allocations where project_id = any(${ids}::uuid[]) group by project_id`.execute(db),
    sql<{
      project_id: string;
      records: Aggregate;
      people: Aggregate;
      children: Aggregate;
    }>`select project_id, count(*) as records, sum(people_served) as people, sum(children_served) as children
             from rm_volunteer_services where project_id = any(${ids}::uuid[]) and not voided group by project_id`.execute(db),
    sql<{
      project_id: string;
      households: Aggregate;
    }>`select project_id, count(distinct household_id) as households from rm_volunteer_service_households where project_id = any(${ids}::uuid[]) group by project_id`.execute(
      db,
    ),
    sql<{
      project_id: string;
      minutes: Aggregate;
    }>`select s.project_id, sum(m.minutes) as minutes from rm_volunteer_service_minutes m join rm_volunteer_services s on s.id = m.service_id
             where s.project_id = any(${ids}::uuid[]) group by s.project_id`.execute(db),
  ]);
  const of = <T extends { project_id: string }>(set: { rows: T[] }, id: string) => set.rows.find((x) => x.project_id === id);
  return rows.map((r) => {
    const receivedFen = num(of(received, r.id)?.fen);
    const spentFen = num(r.spent_fen);
    const s = of(served, r.id);
    return {
      id: r.id,
      kind: r.kind,
      name: r.name,
      description: r.description,
      townId: r.town_id,
      villageId: r.village_id,
      stationId: r.station_id,
      provider: r.provider,
      partner: r.partner,
      contractAmountFen: r.contract_amount_fen == null ? null : num(r.contract_amount_fen),
      from: day(r.from_date)!,
      to: day(r.to_date),
      status: r.status as ProjectRecord['status'],
      closedOn: day(r.closed_on),
      deliverables: deliverables
        .filter((d) => d.project_id === r.id)
        .map((d) => ({
          deliverableId: d.deliverable_id,
          description: d.description,
          target: d.target == null ? null : num(d.target),
          unit: d.unit,
          completedOn: day(d.completed_on),
          note: d.note,
        })),
      spendings: spendings
        .filter((x) => x.project_id === r.id)
        .map((x) => ({ spendingId: x.id, amountFen: num(x.amount_fen), on: day(x.spent_on)!, purpose: x.purpose })),
      funds: { receivedFen, spentFen, balanceFen: receivedFen - spentFen },
      served: {
        serviceRecords: num(s?.records),
        peopleServed: num(s?.people),
        householdsServed: num(of(households, r.id)?.households),
        childrenServed: num(s?.children),
        volunteerMinutes: num(of(minutes, r.id)?.minutes),
      },
      version: num(r.version),
    };
  });
}

export async function getProject(db: Kysely<Database>, id: string): Promise<ProjectRecord | null> {
  const rows = await db.selectFrom('rm_community_projects').selectAll().where('id', '=', id).execute();
  return (await hydrateProjects(db, rows))[0] ?? null;
}

export interface ProjectFilter {
  kind?: string;
  townId?: string;
  status?: 'active' | 'closed';
  name?: string;
  townIds?: readonly string[] | null;
}

export async function listProjects(db: Kysely<Database>, filter: ProjectFilter, page: PageRequest): Promise<Page<ProjectRecord>> {
  const after = decodeCursor<{ id: string }>(page.cursor);
  const where = [townScope('p.town_id', filter.townIds, 'visible')];
  if (filter.kind) where.push(sql`p.kind = ${filter.kind}`);
  if (filter.townId) where.push(sql`p.town_id = ${filter.townId}::uuid`);
  if (filter.status) where.push(sql`p.status = ${filter.status}`);
  if (filter.name) where.push(sql`p.name like ${containing(filter.name)}`);
  if (after) where.push(sql`p.id > ${after.id}::uuid`);
  const rows =
    await sql<ProjectRow>`select p.* from rm_community_projects p where ${sql.join(where, sql` and `)} order by p.id limit ${page.limit + 1}`.execute(db);
  const items = await hydrateProjects(db, rows.rows.slice(0, page.limit));
  return { items, nextCursor: rows.rows.length > page.limit ? encodeCursor({ id: items.at(-1)!.id }) : null };
}

/** Everything donations have allocated to a project. */
export async function projectFundsReceived(db: Kysely<Database>, projectId: string): Promise<number> {
  const rows = await sql<{
    fen: Aggregate;
  }>`select coalesce(sum(amount_fen), 0) as fen from rm_donation_allocations where project_id = ${projectId}::uuid`.execute(db);
  return num(rows.rows[0]?.fen);
}

// ── Donations ────────────────────────────────────────────────────────────────
export interface DonationRecord {
  id: string;
  donor: { kind: string; name: string | null };
  amountFen: number;
  allocatedFen: number;
  remainingFen: number;
  receivedOn: string;
  channel: string;
  purpose: string;
  designatedProjectId: string | null;
  townId: string | null;
  allocations: {
    allocationId: string;
    target: { kind: 'project'; projectId: string } | { kind: 'household'; householdId: string };
    amountFen: number;
    on: string;
    note: string;
  }[];
  version: number;
}

type DonationRow = Row<'rm_donations'>;

async function hydrateDonations(db: Kysely<Database>, rows: DonationRow[]): Promise<DonationRecord[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const allocations = await db
    .selectFrom('rm_donation_allocations')
    .selectAll()
    .where('donation_id', 'in', ids)
    .orderBy('allocated_on')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    donor: { kind: r.donor_kind, name: r.donor_name },
    amountFen: num(r.amount_fen),
    allocatedFen: num(r.allocated_fen),
    remainingFen: num(r.amount_fen) - num(r.allocated_fen),
    receivedOn: day(r.received_on)!,
    channel: r.channel,
    purpose: r.purpose,
    designatedProjectId: r.designated_project_id,
    townId: r.town_id,
    allocations: allocations
      .filter((a) => a.donation_id === r.id)
      .map((a) => ({
        allocationId: a.id,
        target:
          a.target_kind === 'project' ? { kind: 'project' as const, projectId: a.project_id! } : { kind: 'household' as const, householdId: a.household_id! },
        amountFen: num(a.amount_fen),
        on: day(a.allocated_on)!,
        note: a.note,
      })),
    version: num(r.version),
  }));
}

export async function getDonation(db: Kysely<Database>, id: string): Promise<DonationRecord | null> {
  const rows = await db.selectFrom('rm_donations').selectAll().where('id', '=', id).execute();
  return (await hydrateDonations(db, rows))[0] ?? null;
}

export interface DonationFilter {
  donorKind?: string;
  channel?: string;
  from?: string;
  to?: string;
  townId?: string;
  /** Designated for, or allocated to, this project. */
  projectId?: string;
  householdId?: string;
  /** Only donations with money left to allocate. */
  withBalance?: boolean;
  townIds?: readonly string[] | null;
}

/** Newest first, keyset on (received on, id). */
export async function listDonations(db: Kysely<Database>, filter: DonationFilter, page: PageRequest): Promise<Page<DonationRecord>> {
  const after = decodeCursor<{ on: string; id: string }>(page.cursor);
  const where = [townScope('d.town_id', filter.townIds, 'visible')];
  if (filter.donorKind) where.push(sql`d.donor_kind = ${filter.donorKind}`);
  if (filter.channel) where.push(sql`d.channel = ${filter.channel}`);
  if (filter.from) where.push(sql`d.received_on >= ${filter.from}::date`);
  if (filter.to) where.push(sql`d.received_on <= ${filter.to}::date`);
  if (filter.townId) where.push(sql`d.town_id = ${filter.townId}::uuid`);
  if (filter.projectId) {
    where.push(
      sql`(d.designated_project_id = ${filter.projectId}::uuid or exists (select 1 from rm_donation_allocations a where a.donation_id = d.id and a.project_id = ${filter.projectId}::uuid))`,
    );
  }
  if (filter.householdId)
    where.push(sql`exists (select 1 from rm_donation_allocations a where a.donation_id = d.id and a.household_id = ${filter.householdId}::uuid)`);
  if (filter.withBalance) where.push(sql`d.allocated_fen < d.amount_fen`);
  if (after) where.push(sql`(d.received_on, d.id) < (${after.on}::date, ${after.id}::uuid)`);
  const rows =
    await sql<DonationRow>`select d.* from rm_donations d where ${sql.join(where, sql` and `)} order by d.received_on desc, d.id desc limit ${page.limit + 1}`.execute(
      db,
    );
  const items = await hydrateDonations(db, rows.rows.slice(0, page.limit));
  const last = items.at(-1);
  return { items, nextCursor: rows.rows.length > page.limit && last ? encodeCursor({ on: last.receivedOn, id: last.id }) : null };
}
