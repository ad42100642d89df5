import type { Database, Row } from '../../storage/database';
import { sql, type Kysely } from 'kysely';
import { decodeCursor, encodeCursor, type PageRequest } from '../../application/pagination';
import { andInIds, day, inIds, json, type Aggregate } from '../row-values';

/** Overdue steps, computed from the stored due dates on the day asked. */
const OVERDUE = (t: string) => sql`
  array_remove(array[
    case when c.status in ('accepted','investigating','in_notice','submitted','checked','returned') and c.review_due_on < ${t}::date then 'review_deadline' end,
    case when c.status in ('in_notice','submitted','checked','returned') and c.confirmation_due_on < ${t}::date then 'confirmation_deadline' end,
    case when c.status = 'denied' and c.refusal_notified_on is null and c.refusal_notice_due_on < ${t}::date then 'refusal_notice' end,
    case when c.status = 'emergency_granted' and c.paperwork_due_on < ${t}::date then 'emergency_paperwork' end,
    case when c.status = 'granted' and c.next_review_due_on < ${t}::date then 'dynamic_review' end
  ], null)`;

export interface CaseRow {
  id: string;
  program: string;
  householdId: string;
  applicantPersonId: string;
  groupId: string;
  villageId: string;
  townId: string;
  channel: string;
  status: string;
  relativeOf: unknown;
  startedByWorkerId: string | null;
  appliedOn: string;
  acceptedOn: string | null;
  dueDates: Record<string, string | null>;
  overdue: string[];
  paymentInForce: { monthlyFen: number; from: string; to: string | null } | null;
  /** Money actually paid on the case so far (fen). */
  paidFen: number;
  /** Set when the case was taken over from the county's existing roll: the file's hash and row. */
  migrated: { importId: string; fileSha256: string; row: number; reason: string } | null;
  /** The county worker's last return of the town's submission, with its reasons. */
  lastReturn: { on: string; reasons: string } | null;
  version: number;
}

/** A case as `caseSelect` reads it: the overdue steps as json, and the payment in force today. */
type CaseSelectRow = Row<'rm_cases'> & {
  overdue: unknown;
  pay_monthly: Row<'rm_case_payments'>['monthly_fen'];
  pay_from: string | null;
  pay_to: string | null;
};

const caseRow = (r: CaseSelectRow): CaseRow => ({
  id: r.id,
  program: r.program,
  householdId: r.household_id,
  applicantPersonId: r.applicant_person_id,
  groupId: r.group_id,
  villageId: r.village_id,
  townId: r.town_id,
  channel: r.channel,
  status: r.status,
  relativeOf: r.relative_of ? json(r.relative_of) : null,
  startedByWorkerId: r.started_by_worker_id,
  appliedOn: day(r.applied_on)!,
  acceptedOn: day(r.accepted_on),
  dueDates: {
    review: day(r.review_due_on),
    noticeEnds: day(r.notice_ends_on),
    confirmation: day(r.confirmation_due_on),
    refusalNotice: day(r.refusal_notice_due_on),
    emergencyPaperwork: day(r.paperwork_due_on),
    nextDynamicReview: day(r.next_review_due_on),
  },
  overdue: json<string[] | null>(r.overdue) ?? [],
  paymentInForce: r.pay_monthly ? { monthlyFen: Number(r.pay_monthly), from: day(r.pay_from)!, to: day(r.pay_to) } : null,
  paidFen: Number(r.paid_fen ?? 0),
  migrated: r.migrated ? json<CaseRow['migrated']>(r.migrated) : null,
  lastReturn: r.last_return ? json<CaseRow['lastReturn']>(r.last_return) : null,
  version: Number(r.version),
});

const caseSelect = (today: string) => sql`
  select c.*, to_json(${OVERDUE(today)}) as overdue, p.monthly_fen as pay_monthly, p.from_date as pay_from, p.to_date as pay_to
  from rm_cases c
  -- The monthly payment in force today, or the one scheduled to start next.
  left join lateral (select * from rm_case_payments p where p.case_id = c.id and p.monthly_fen is not null
                     and (p.to_date is null or p.to_date > ${today}::date) order by p.from_date limit 1) p on true`;

export async function getCase(db: Kysely<Database>, id: string, today: string): Promise<CaseRow | null> {
  const rows = await sql<CaseSelectRow>`${caseSelect(today)} where c.id = ${id}::uuid`.execute(db);
  return rows.rows[0] ? caseRow(rows.rows[0]) : null;
}

export interface CaseFilter {
  program?: string;
  status?: string;
  townId?: string;
  villageId?: string;
  householdId?: string;
  overdueOnly?: boolean;
  townIds?: readonly string[] | null;
  groupIds?: readonly string[] | null;
}

export async function listCases(db: Kysely<Database>, filter: CaseFilter, page: PageRequest, today: string) {
  const after = decodeCursor<{ appliedOn: string; id: string }>(page.cursor);
  const where = [sql`true`];
  if (filter.program) where.push(sql`c.program = ${filter.program}`);
  if (filter.status) where.push(sql`c.status = ${filter.status}`);
  if (filter.townId) where.push(sql`c.town_id = ${filter.townId}::uuid`);
  if (filter.villageId) where.push(sql`c.village_id = ${filter.villageId}::uuid`);
  if (filter.householdId) where.push(sql`c.household_id = ${filter.householdId}::uuid`);
  if (filter.overdueOnly) where.push(sql`cardinality(${OVERDUE(today)}) > 0`);
  if (filter.townIds) where.push(inIds('c.town_id', filter.townIds));
  if (filter.groupIds) where.push(inIds('c.group_id', filter.groupIds));
  if (after) where.push(sql`(c.applied_on, c.id) < (${after.appliedOn}::date, ${after.id}::uuid)`);
  const rows = (
    await sql<CaseSelectRow>`${caseSelect(today)} where ${sql.join(where, sql` and `)} order by c.applied_on desc, c.id desc limit ${page.limit + 1}`.execute(
      db,
    )
  ).rows;
  const items = rows.slice(0, page.limit).map(caseRow);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > page.limit && last ? encodeCursor({ appliedOn: last.appliedOn, id: last.id }) : null };
}

export interface DecisionFilter {
  program?: string;
  townId?: string;
  villageId?: string;
  outcome?: string;
  decidedBy?: string;
  from?: string;
  to?: string;
  caseId?: string;
  townIds?: readonly string[] | null;
  /** A village worker's groups (the case's group): decisions are personal data of the household. */
  groupIds?: readonly string[] | null;
}

function decisionWhere(filter: DecisionFilter) {
  const where = [sql`true`];
  if (filter.program) where.push(sql`d.program = ${filter.program}`);
  if (filter.townId) where.push(sql`d.town_id = ${filter.townId}::uuid`);
  if (filter.villageId) where.push(sql`d.village_id = ${filter.villageId}::uuid`);
  if (filter.outcome) where.push(sql`d.outcome = ${filter.outcome}`);
  if (filter.decidedBy) where.push(sql`d.decided_by = ${filter.decidedBy}`);
  if (filter.from) where.push(sql`d.decision_date >= ${filter.from}::date`);
  if (filter.to) where.push(sql`d.decision_date <= ${filter.to}::date`);
  if (filter.caseId) where.push(sql`d.case_id = ${filter.caseId}::uuid`);
  if (filter.townIds) where.push(inIds('d.town_id', filter.townIds));
  if (filter.groupIds) where.push(sql`exists (select 1 from rm_cases c where c.id = d.case_id and ${inIds('c.group_id', filter.groupIds)})`);
  return where;
}

/** A decision with its case's group and household (absent when a query does not join the case). */
type DecisionSelectRow = Row<'rm_decisions'> & { group_id?: string | null; household_id?: string | null };

const decisionRow = (r: DecisionSelectRow) => ({
  ...json<Record<string, unknown>>(r.body),
  eventId: r.event_id,
  townId: r.town_id,
  villageId: r.village_id,
  ...(r.group_id !== undefined ? { groupId: r.group_id, householdId: r.household_id as string | null } : {}),
});
/** The case's group and household, for jurisdiction and the access log. */
const decisionSelect = sql`select d.*, c.group_id, c.household_id from rm_decisions d left join rm_cases c on c.id = d.case_id`;

export async function listDecisions(db: Kysely<Database>, filter: DecisionFilter, page: PageRequest) {
  const after = decodeCursor<{ date: string; id: string }>(page.cursor);
  const where = decisionWhere(filter);
  if (after) where.push(sql`(d.decision_date, d.id) > (${after.date}::date, ${after.id}::uuid)`);
  const rows = (
    await sql<DecisionSelectRow>`${decisionSelect} where ${sql.join(where, sql` and `)} order by d.decision_date, d.id limit ${page.limit + 1}`.execute(db)
  ).rows;
  const items = rows.slice(0, page.limit).map(decisionRow);
  const last = rows[Math.min(rows.length, page.limit) - 1];
  return { items, nextCursor: rows.length > page.limit && last ? encodeCursor({ date: day(last.decision_date)!, id: last.id }) : null };
}

/**
 * The decision list's lean rows (issue 20): what a list shows and filters by, from the columns,
 * without the body (facts, every rule with its bilingual reason, the computation: ~4 KB a
 * decision, parsed from jsonb per row); the payment from its own column (migration 0175), so no
 * body is detoasted either. The whole decision is `getDecision` (GET /decisions/{id}).
 */
export async function listDecisionSummaries(db: Kysely<Database>, filter: DecisionFilter, page: PageRequest) {
  const after = decodeCursor<{ date: string; id: string }>(page.cursor);
  const where = decisionWhere(filter);
  if (after) where.push(sql`(d.decision_date, d.id) > (${after.date}::date, ${after.id}::uuid)`);
  const rows = (
    await sql<DecisionSummaryRow>`
      select d.id, d.case_id, d.event_id, d.kind, d.program, d.decision_date, d.outcome, d.town_id, d.village_id,
             d.decided_by, d.decided_by_role, d.policy_id, d.policy_hash, d.monthly_fen, d.one_off_fen, d.recorded_at,
             d.payment, c.group_id, c.household_id
      from rm_decisions d left join rm_cases c on c.id = d.case_id
      where ${sql.join(where, sql` and `)} order by d.decision_date, d.id limit ${page.limit + 1}`.execute(db)
  ).rows;
  const items = rows.slice(0, page.limit).map(decisionSummary);
  const last = rows[Math.min(rows.length, page.limit) - 1];
  return { items, nextCursor: rows.length > page.limit && last ? encodeCursor({ date: day(last.decision_date)!, id: last.id }) : null };
}

type DecisionSummaryRow = Omit<Row<'rm_decisions'>, 'body'> & { group_id: string | null; household_id: string | null };

const optionalFen = (v: unknown) => (v == null ? null : Number(v));
const decisionSummary = (r: DecisionSummaryRow) => ({
  decisionId: r.id,
  caseId: r.case_id,
  eventId: r.event_id,
  kind: r.kind,
  program: r.program,
  decisionDate: day(r.decision_date)!,
  outcome: r.outcome,
  townId: r.town_id,
  villageId: r.village_id,
  groupId: r.group_id,
  householdId: r.household_id,
  decidedBy: { actorId: r.decided_by, role: r.decided_by_role },
  policy: { id: r.policy_id, contentHash: r.policy_hash },
  payment: json<Record<string, unknown> | null>(r.payment) ?? null,
  monthlyFen: optionalFen(r.monthly_fen),
  oneOffFen: optionalFen(r.one_off_fen),
  recordedAt: new Date(r.recorded_at).toISOString(),
});
export type DecisionSummary = ReturnType<typeof decisionSummary>;

/** Every decision in a range, for export: read in keyset pages so a year of decisions never sits in memory at once. */
export async function* allDecisions(db: Kysely<Database>, filter: DecisionFilter) {
  let cursor: string | undefined;
  for (;;) {
    const page = await listDecisions(db, filter, { limit: 500, cursor });
    yield* page.items;
    if (!page.nextCursor) return;
    cursor = page.nextCursor;
  }
}

export async function getDecision(db: Kysely<Database>, id: string) {
  const rows = await sql<DecisionSelectRow>`${decisionSelect} where d.id = ${id}::uuid`.execute(db);
  return rows.rows[0] ? decisionRow(rows.rows[0]) : null;
}

export async function policyVersions(db: Kysely<Database>, countyCode?: string) {
  const rows = await sql<
    Row<'rm_policy_versions'>
  >`select * from rm_policy_versions ${countyCode ? sql`where county_code = ${countyCode}` : sql``} order by county_code, effective_from, id`.execute(db);
  return rows.rows.map(policyVersionOf);
}

const policyVersionOf = (r: Row<'rm_policy_versions'>) => ({
  id: r.id,
  countyCode: r.county_code,
  effectiveFrom: day(r.effective_from)!,
  calendarId: r.calendar_id,
  contentHash: r.content_hash,
  body: json<Record<string, unknown>>(r.body),
  addedAt: new Date(r.added_at).toISOString(),
});

/**
 * The county's policy versions, each with the calendar it names (null when that calendar is not
 * registered): what choosing the rules of a day needs, in one round trip instead of two.
 */
export async function policyVersionsWithCalendars(db: Kysely<Database>, countyCode: string) {
  const rows = await sql<Row<'rm_policy_versions'> & { calendar_body: unknown; calendar_hash: string | null }>`
    select p.*, c.body as calendar_body, c.content_hash as calendar_hash
    from rm_policy_versions p left join rm_calendars c on c.id = p.calendar_id
    where p.county_code = ${countyCode} order by p.county_code, p.effective_from, p.id`.execute(db);
  return rows.rows.map((r) => ({
    ...policyVersionOf(r),
    calendar: r.calendar_body === null ? null : { contentHash: r.calendar_hash!, body: json<Record<string, unknown>>(r.calendar_body) },
  }));
}

export async function calendars(db: Kysely<Database>) {
  const rows = await sql<Row<'rm_calendars'>>`select * from rm_calendars order by covers_from, id`.execute(db);
  return rows.rows.map((r) => ({
    id: r.id,
    coversFrom: day(r.covers_from)!,
    coversTo: day(r.covers_to)!,
    contentHash: r.content_hash,
    body: json<Record<string, unknown>>(r.body),
  }));
}

/** Assistance actions (decisions that granted, adjusted or continued help) per month, program and town. */
export async function assistanceCounts(db: Kysely<Database>, from: string, to: string, townIds: readonly string[] | null) {
  const rows = await sql<{
    month: string;
    program: string;
    town_id: string;
    decisions: Aggregate;
    assistance_actions: Aggregate;
    households_helped: Aggregate;
    one_off_fen: Aggregate;
  }>`
    select to_char(decision_date, 'YYYY-MM') as month, program, town_id, count(*) as decisions,
           count(*) filter (where outcome in ('granted','continued','adjusted')) as assistance_actions,
           count(distinct case_id) filter (where outcome in ('granted','continued','adjusted')) as households_helped,
           coalesce(sum(one_off_fen), 0) as one_off_fen
    from rm_decisions
    where decision_date >= ${from}::date and decision_date <= ${to}::date ${andInIds('town_id', townIds)}
    group by 1, 2, 3 order by 1, 2, 3`.execute(db);
  return rows.rows.map((r) => ({
    month: r.month,
    program: r.program,
    townId: r.town_id,
    decisions: Number(r.decisions),
    assistanceActions: Number(r.assistance_actions),
    householdsHelped: Number(r.households_helped),
    oneOffFen: Number(r.one_off_fen),
  }));
}

/** The household's open case of a program (not denied, stopped or closed), if any. */
export async function openCaseOf(db: Kysely<Database>, householdId: string, program: string): Promise<string | null> {
  const rows = await sql<{ id: string }>`select id from rm_cases where household_id = ${householdId}::uuid and program = ${program}
    and status not in ('denied', 'stopped', 'closed') limit 1`.execute(db);
  return rows.rows[0]?.id ?? null;
}

/** Payments made on a case, in the order they were paid. */
export async function paymentsOf(db: Kysely<Database>, caseId: string) {
  const rows = await sql<
    Row<'rm_case_paid'>
  >`select * from rm_case_paid where case_id = ${caseId}::uuid order by paid_on, month nulls last, payment_id`.execute(db);
  return rows.rows.map((r) => ({
    paymentId: r.payment_id,
    kind: r.kind,
    month: r.month ?? null,
    fen: Number(r.fen),
    paidOn: day(r.paid_on)!,
    migrated: Boolean(r.migrated),
  }));
}

/** The id of the event that recorded a decision, or null when there is no such decision. */
export async function decisionEventId(db: Kysely<Database>, decisionId: string): Promise<string | null> {
  const row = await db.selectFrom('rm_decisions').select('event_id').where('id', '=', decisionId).executeTakeFirst();
  return row?.event_id ?? null;
}
