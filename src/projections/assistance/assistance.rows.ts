import type { InlineStatement, InlineWrite } from '../../application/event-store';
import { CASE_STATUSES, caseStatusAfter, type CaseEvent, type CaseStatus } from '../../domain/assistance/case.events';
import type { RegistryEvent } from '../../domain/assistance/policy/policy-registry';
import type { Pending } from '../typed-projection';
import { appliedCase, caseFields, decidedDecision, migratedDecision, paymentsEndedOn, paymentStarted, type Decision } from './assistance.values';

/**
 * The assistance projection's writes as rows (its `rowsFor`): what a rebuild's page and a new
 * case's append carry as one insert per table. A case's steps update its row in place, so they
 * can be rows only when the case was applied in the same events: its row is then folded in
 * memory exactly as the handlers' updates would leave it (`advance`: the decider's status rule,
 * version and time, only when the event is newer), and its decisions, payments in force and
 * payments made go in beside it. An event about a case applied earlier needs the stored row: a
 * lone step (a command's one event) is the handler's update as a sub-statement of the append
 * (`stepStatement`), a lone payment that update and its paid row (`paidStatement`); anything
 * else is null, and the store writes those events through `apply` in the transaction, as before.
 */
export function caseRows(events: readonly Pending<CaseEvent | RegistryEvent>[]): InlineWrite[] | null {
  const only = events.length === 1 ? events[0]! : null;
  if (only && STEPS.has(only.type)) return [stepStatement(only as Pending<CaseEvent>)];
  if (only?.type === 'PaymentRecorded') return [stepStatement(only), paidStatement(only)];
  const cases = new Map<string, CaseRow>();
  const decisions = new Map<string, unknown[]>();
  const payments = new Map<string, PaymentRow>();
  const paid = new Map<string, unknown[]>();
  const policies = new Map<string, unknown[]>();
  const calendars = new Map<string, unknown[]>();
  for (const event of events) {
    if (event.type === 'PolicyVersionAdded') {
      const p = event.data.policy as { id: string; countyCode: string; effectiveFrom: string; calendarId: string };
      keepFirst(policies, p.id, [
        p.id,
        p.countyCode,
        p.effectiveFrom,
        p.calendarId,
        JSON.stringify(event.data.policy),
        event.data.contentHash,
        event.recordedAt,
      ]);
      continue;
    }
    if (event.type === 'WorkingDayCalendarAdded') {
      const c = event.data.calendar as { id: string; coversFrom: string; coversTo: string };
      keepFirst(calendars, c.id, [c.id, c.coversFrom, c.coversTo, JSON.stringify(event.data.calendar), event.data.contentHash, event.recordedAt]);
      continue;
    }
    if (event.type === 'CaseApplied') {
      const d = event.data;
      if (cases.has(d.caseId)) return null;
      cases.set(d.caseId, appliedRow(d, event.version, event.recordedAt));
      continue;
    }
    const row = cases.get(event.data.caseId);
    if (!row) return null;
    const moved = advance(row, event);
    if (event.type === 'CaseDecided') {
      const d = event.data;
      const decision = decidedDecision(d);
      keepFirst(decisions, d.decisionId, decisionRow(row, event.eventId, event.recordedAt, decision));
      // As the handler: a new monthly amount or a stop ends the payment in force, only when the case moved.
      const end = paymentsEndedOn(d);
      if (moved && end) {
        for (const p of payments.values())
          if (p.caseId === d.caseId && p.toDate === null && p.monthlyFen !== null && p.decisionId !== d.decisionId) p.toDate = end;
      }
      const started = paymentStarted(d);
      if (started && !payments.has(d.decisionId))
        payments.set(d.decisionId, {
          decisionId: d.decisionId,
          caseId: d.caseId,
          monthlyFen: decision.monthlyFen,
          oneOffFen: decision.oneOffFen,
          fromDate: started.from,
          toDate: started.to,
        });
    } else if (event.type === 'PaymentRecorded') {
      const d = event.data;
      keepFirst(paid, d.paymentId, [d.paymentId, d.caseId, row.program, row.town_id, d.kind, d.month, d.fen, d.paidOn, d.migrated !== null]);
    } else if (event.type === 'DecisionMigrated') {
      const d = event.data;
      keepFirst(decisions, d.decisionId, decisionRow(row, event.eventId, event.recordedAt, migratedDecision(d)));
      if (!payments.has(d.decisionId))
        payments.set(d.decisionId, {
          decisionId: d.decisionId,
          caseId: d.caseId,
          monthlyFen: d.payment.monthlyFen,
          oneOffFen: null,
          fromDate: d.payment.from,
          toDate: null,
        });
    }
  }
  return [
    { table: 'rm_cases', columns: CASE_COLUMNS, rows: [...cases.values()].map((r) => CASE_COLUMNS.map(([c]) => r[c])), onConflict: '(id) do nothing' },
    { table: 'rm_decisions', columns: DECISION_COLUMNS, rows: [...decisions.values()], onConflict: '(id) do nothing' },
    {
      table: 'rm_case_payments',
      columns: PAYMENT_COLUMNS,
      rows: [...payments.values()].map((p) => [p.decisionId, p.caseId, p.monthlyFen, p.oneOffFen, p.fromDate, p.toDate]),
      onConflict: '(decision_id) do nothing',
    },
    { table: 'rm_case_paid', columns: PAID_COLUMNS, rows: [...paid.values()], onConflict: '(payment_id) do nothing' },
    { table: 'rm_policy_versions', columns: POLICY_COLUMNS, rows: [...policies.values()], onConflict: '(id) do nothing' },
    { table: 'rm_calendars', columns: CALENDAR_COLUMNS, rows: [...calendars.values()], onConflict: '(id) do nothing' },
  ];
}

const CASE_COLUMNS = [
  ['id', 'uuid'],
  ['program', 'text'],
  ['household_id', 'uuid'],
  ['applicant_person_id', 'uuid'],
  ['group_id', 'uuid'],
  ['village_id', 'uuid'],
  ['town_id', 'uuid'],
  ['channel', 'text'],
  ['status', 'text'],
  ['relative_of', 'jsonb'],
  ['started_by_worker_id', 'uuid'],
  ['applied_on', 'date'],
  ['accepted_on', 'date'],
  ['review_due_on', 'date'],
  ['notice_ends_on', 'date'],
  ['confirmation_due_on', 'date'],
  ['decided_on', 'date'],
  ['paperwork_due_on', 'date'],
  ['paperwork_done_on', 'date'],
  ['refusal_notice_due_on', 'date'],
  ['refusal_notified_on', 'date'],
  ['next_review_due_on', 'date'],
  ['migrated', 'jsonb'],
  ['paid_fen', 'bigint'],
  ['last_return', 'jsonb'],
  ['version', 'bigint'],
  ['updated_at', 'timestamptz'],
] as const;

type CaseColumn = (typeof CASE_COLUMNS)[number][0];
/** A case's row as the handlers would leave it, kept while its later events fold into it. */
type CaseRow = Record<CaseColumn, unknown> & { status: CaseStatus; version: number; paid_fen: number; program: string; town_id: string; village_id: string };

const DECISION_COLUMNS = [
  ['id', 'uuid'],
  ['case_id', 'uuid'],
  ['event_id', 'uuid'],
  ['kind', 'text'],
  ['program', 'text'],
  ['decision_date', 'date'],
  ['outcome', 'text'],
  ['town_id', 'uuid'],
  ['village_id', 'uuid'],
  ['decided_by', 'text'],
  ['decided_by_role', 'text'],
  ['policy_id', 'text'],
  ['policy_hash', 'text'],
  ['monthly_fen', 'bigint'],
  ['one_off_fen', 'bigint'],
  ['payment', 'jsonb'],
  ['body', 'jsonb'],
  ['recorded_at', 'timestamptz'],
] as const;

const PAYMENT_COLUMNS = [
  ['decision_id', 'uuid'],
  ['case_id', 'uuid'],
  ['monthly_fen', 'bigint'],
  ['one_off_fen', 'bigint'],
  ['from_date', 'date'],
  ['to_date', 'date'],
] as const;

interface PaymentRow {
  decisionId: string;
  caseId: string;
  monthlyFen: number | null;
  oneOffFen: number | null;
  fromDate: string;
  toDate: string | null;
}

const PAID_COLUMNS = [
  ['payment_id', 'uuid'],
  ['case_id', 'uuid'],
  ['program', 'text'],
  ['town_id', 'uuid'],
  ['kind', 'text'],
  ['month', 'text'],
  ['fen', 'bigint'],
  ['paid_on', 'date'],
  ['migrated', 'boolean'],
] as const;

const POLICY_COLUMNS = [
  ['id', 'text'],
  ['county_code', 'text'],
  ['effective_from', 'date'],
  ['calendar_id', 'text'],
  ['body', 'jsonb'],
  ['content_hash', 'text'],
  ['added_at', 'timestamptz'],
] as const;

const CALENDAR_COLUMNS = [
  ['id', 'text'],
  ['covers_from', 'date'],
  ['covers_to', 'date'],
  ['body', 'jsonb'],
  ['content_hash', 'text'],
  ['added_at', 'timestamptz'],
] as const;

/** ON CONFLICT DO NOTHING within the events: the first row of a key is the one that stays. */
function keepFirst(rows: Map<string, unknown[]>, key: string, row: unknown[]): void {
  if (!rows.has(key)) rows.set(key, row);
}

function appliedRow(d: Extract<CaseEvent, { type: 'CaseApplied' }>['data'], version: number, recordedAt: string): CaseRow {
  return {
    accepted_on: null,
    review_due_on: null,
    notice_ends_on: null,
    confirmation_due_on: null,
    decided_on: null,
    paperwork_due_on: null,
    paperwork_done_on: null,
    refusal_notice_due_on: null,
    refusal_notified_on: null,
    next_review_due_on: null,
    migrated: null,
    paid_fen: 0,
    last_return: null,
    ...appliedCase(d, version, recordedAt),
  };
}

/**
 * The handlers' `advance` on the row in memory: the event's fields, the status the decider's rule
 * gives, its version and time, unless the row already stands at a later version. Whether it moved.
 */
function advance(row: CaseRow, event: Pending<CaseEvent>): boolean {
  if (row.version >= event.version) return false;
  Object.assign(row, caseFields(event));
  if (event.type === 'PaymentRecorded') row.paid_fen += event.data.fen;
  row.status = caseStatusAfter(row.status, event);
  row.version = event.version;
  row.updated_at = event.recordedAt;
  return true;
}

/** insertDecision's row: the decision filed under its case's town and village. */
function decisionRow(row: CaseRow, eventId: string, recordedAt: string, d: Decision): unknown[] {
  return [
    d.decisionId,
    row.id,
    eventId,
    d.kind,
    d.program,
    d.decisionDate,
    d.outcome,
    row.town_id,
    row.village_id,
    d.decidedBy,
    d.decidedByRole,
    d.policyId,
    d.policyHash,
    d.monthlyFen,
    d.oneOffFen,
    d.payment ? JSON.stringify(d.payment) : null,
    JSON.stringify(d.body),
    recordedAt,
  ];
}

/** The events whose handler is `step` (assistance.projection.ts): the case moves on, its step's fields set, nothing else. */
const STEPS: ReadonlySet<string> = new Set([
  'CaseAccepted',
  'ReviewDeadlineExtended',
  'EconomicFactsRecorded',
  'HomeInvestigationRecorded',
  'NeighbourInterviewRecorded',
  'DataCheckRecorded',
  'NoticePosted',
  'ObjectionRecorded',
  'CaseSubmitted',
  'CaseChecked',
]);

const COLUMN_TYPE = new Map<string, string>(CASE_COLUMNS);

/**
 * A step of a case applied earlier, as the append statement's sub-statement: the handler's
 * update (`advance`) word for word: the step's fields, the status each status moves to
 * (`caseStatusAfter`), version and time, only where the row is older than the event. A case step
 * is then one round trip instead of four (begin, the append, this update, commit).
 */
export function stepStatement(event: Pending<CaseEvent>): InlineStatement {
  const fields = Object.entries(caseFields(event));
  const statuses = CASE_STATUSES.length;
  // A payment adds its amount to what the case has paid, as the handler's `advance` does.
  const fen = event.type === 'PaymentRecorded' ? [event.data.fen] : [];
  const params = [
    event.data.caseId,
    event.version,
    event.recordedAt,
    ...CASE_STATUSES.map((s) => caseStatusAfter(s, event)),
    ...fields.map(([, v]) => v),
    ...fen,
  ];
  return {
    params,
    sql: ({ inserted, param }) => {
      const status = CASE_STATUSES.map((s, i) => `when '${s}' then ${param(3 + i)}::text`).join(' ');
      const set = fields.map(([column], i) => `${column} = ${param(3 + statuses + i)}::${COLUMN_TYPE.get(column)!}`);
      if (fen.length > 0) set.push(`paid_fen = paid_fen + ${param(3 + statuses + fields.length)}::bigint`);
      return (
        `update rm_cases set ${[...set, `status = case status ${status} else status end`, `version = ${param(1)}::bigint`, `updated_at = ${param(2)}::timestamptz`].join(', ')} ` +
        `where id = ${param(0)}::uuid and version < ${param(1)}::bigint and ${inserted}`
      );
    },
  };
}

/**
 * A payment's row in `rm_case_paid` as the append statement's sub-statement, filed under its
 * case's programme and town as the handler files it (read from the case's row, which the step's
 * update beside it leaves as it was for those columns); a payment already filed stays as it is.
 */
function paidStatement(event: Pending<Extract<CaseEvent, { type: 'PaymentRecorded' }>>): InlineStatement {
  const d = event.data;
  return {
    params: [d.paymentId, d.caseId, d.kind, d.month, d.fen, d.paidOn, d.migrated !== null],
    sql: ({ inserted, param }) =>
      `insert into rm_case_paid (payment_id, case_id, program, town_id, kind, month, fen, paid_on, migrated) ` +
      `select ${param(0)}::uuid, c.id, c.program, c.town_id, ${param(2)}::text, ${param(3)}::text, ${param(4)}::bigint, ${param(5)}::date, ${param(6)}::boolean ` +
      `from rm_cases c where c.id = ${param(1)}::uuid and ${inserted} on conflict (payment_id) do nothing`,
  };
}
