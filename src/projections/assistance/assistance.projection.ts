import { sql, type UpdateObject } from 'kysely';
import { CASE_STATUSES, caseStatusAfter, type CaseEvent } from '../../domain/assistance/case.events';
import type { RegistryEvent } from '../../domain/assistance/policy/policy-registry';
import type { Database, Db } from '../../storage/database';
import { typedProjection, type Recorded } from '../typed-projection';
import { caseRows } from './assistance.rows';
import { appliedCase, caseFields, decidedDecision, migratedDecision, paymentsEndedOn, paymentStarted, type Decision } from './assistance.values';

type CaseFields = UpdateObject<Database, 'rm_cases'>;

/**
 * Moves a case on: `fields`, its status, version and time, unless a later event already did.
 * The status comes from the decider's own rule (caseStatusAfter) applied to the stored status:
 * the read model and the decider's fold cannot disagree about where a case stands. The rule is
 * asked for every status a case can be in and the update picks the stored one's answer, so one
 * statement moves the case (no read first: a rebuild replays tens of thousands of these). False
 * when the case had already moved past this event (a redelivery): unkeyed writes must then be skipped.
 */
async function advance(trx: Db, caseId: string, event: Recorded<CaseEvent>, fields: CaseFields = {}): Promise<boolean> {
  const after = CASE_STATUSES.map((s) => sql`when ${s} then ${caseStatusAfter(s, event)}`);
  const status = sql<string>`case status ${sql.join(after, sql` `)} else status end`;
  const moved = await trx
    .updateTable('rm_cases')
    .set({ ...fields, status, version: event.version, updated_at: event.recordedAt })
    .where('id', '=', caseId)
    .where('version', '<', String(event.version))
    .executeTakeFirst();
  return moved.numUpdatedRows > 0n;
}

/** A step that only moves its case on: its fields (caseFields), status, version and time. */
async function step(trx: Db, event: Recorded<CaseEvent>): Promise<void> {
  await advance(trx, event.data.caseId, event, caseFields(event));
}

/** A decision for the auditors' list, filed under the case's town and village. */
async function insertDecision(trx: Db, d: Decision, eventId: string, recordedAt: string): Promise<void> {
  await trx
    .insertInto('rm_decisions')
    .columns([
      'id',
      'case_id',
      'event_id',
      'kind',
      'program',
      'decision_date',
      'outcome',
      'town_id',
      'village_id',
      'decided_by',
      'decided_by_role',
      'policy_id',
      'policy_hash',
      'monthly_fen',
      'one_off_fen',
      'payment',
      'body',
      'recorded_at',
    ])
    .expression((eb) =>
      eb
        .selectFrom('rm_cases as c')
        .select([
          eb.val(d.decisionId).as('id'),
          eb.val(d.caseId).as('case_id'),
          eb.val(eventId).as('event_id'),
          eb.val(d.kind).as('kind'),
          eb.val(d.program).as('program'),
          eb.val(d.decisionDate).as('decision_date'),
          eb.val(d.outcome).as('outcome'),
          'c.town_id',
          'c.village_id',
          eb.val(d.decidedBy).as('decided_by'),
          eb.val(d.decidedByRole).as('decided_by_role'),
          eb.val(d.policyId).as('policy_id'),
          eb.val(d.policyHash).as('policy_hash'),
          eb.val(d.monthlyFen).as('monthly_fen'),
          eb.val(d.oneOffFen).as('one_off_fen'),
          eb.cast(eb.val(d.payment ? JSON.stringify(d.payment) : null), 'jsonb').as('payment'),
          eb.cast(eb.val(JSON.stringify(d.body)), 'jsonb').as('body'),
          eb.val(recordedAt).as('recorded_at'),
        ])
        .where('c.id', '=', d.caseId),
    )
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

/**
 * Cases with their due dates, every decision (the auditors' list), payments in force, and the
 * policy versions and calendars. Inline: a command's response shows the case as it now stands.
 */
export const assistanceProjection = typedProjection<CaseEvent | RegistryEvent>({
  name: 'assistance',
  mode: 'inline',
  tables: ['rm_cases', 'rm_decisions', 'rm_case_payments', 'rm_case_paid', 'rm_policy_versions', 'rm_calendars'],
  rowsFor: caseRows,
  // A case's rows are its own; one open case per household and programme holds at every point.
  rowsByStream: true,
  handlers: {
    async CaseApplied(trx, { data: d, version, recordedAt }) {
      await trx
        .insertInto('rm_cases')
        .values(appliedCase(d, version, recordedAt))
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    },
    CaseAccepted: step,
    ReviewDeadlineExtended: step,
    EconomicFactsRecorded: step,
    HomeInvestigationRecorded: step,
    NeighbourInterviewRecorded: step,
    DataCheckRecorded: step,
    NoticePosted: step,
    ObjectionRecorded: step,
    async CaseDecided(trx, event) {
      const d = event.data;
      const moved = await advance(trx, d.caseId, event, caseFields(event));
      const decision = decidedDecision(d);
      await insertDecision(trx, decision, event.eventId, event.recordedAt);
      // A new amount or a stop ends the payment in force (not keyed: only when the case moved); a new payment starts.
      const end = paymentsEndedOn(d);
      if (moved && end) {
        await trx
          .updateTable('rm_case_payments')
          .set({ to_date: end })
          .where('case_id', '=', d.caseId)
          .where('to_date', 'is', null)
          .where('monthly_fen', 'is not', null)
          .where('decision_id', '<>', d.decisionId)
          .execute();
      }
      const started = paymentStarted(d);
      if (started) {
        await trx
          .insertInto('rm_case_payments')
          .values({
            decision_id: d.decisionId,
            case_id: d.caseId,
            monthly_fen: decision.monthlyFen,
            one_off_fen: decision.oneOffFen,
            from_date: started.from,
            to_date: started.to,
          })
          .onConflict((oc) => oc.column('decision_id').doNothing())
          .execute();
      }
    },
    RefusalNotified: step,
    CaseSubmitted: step,
    CaseChecked: step,
    async PaymentRecorded(trx, event) {
      const d = event.data;
      await advance(trx, d.caseId, event, { paid_fen: (eb) => eb('paid_fen', '+', String(d.fen)) });
      await trx
        .insertInto('rm_case_paid')
        .columns(['payment_id', 'case_id', 'program', 'town_id', 'kind', 'month', 'fen', 'paid_on', 'migrated'])
        .expression((eb) =>
          eb
            .selectFrom('rm_cases as c')
            .select([
              eb.val(d.paymentId).as('payment_id'),
              eb.val(d.caseId).as('case_id'),
              'c.program',
              'c.town_id',
              eb.val(d.kind).as('kind'),
              eb.val(d.month).as('month'),
              eb.val(d.fen).as('fen'),
              eb.val(d.paidOn).as('paid_on'),
              eb.val(d.migrated !== null).as('migrated'),
            ])
            .where('c.id', '=', d.caseId),
        )
        .onConflict((oc) => oc.column('payment_id').doNothing())
        .execute();
    },
    async DecisionMigrated(trx, event) {
      const d = event.data;
      await advance(trx, d.caseId, event, caseFields(event));
      await insertDecision(trx, migratedDecision(d), event.eventId, event.recordedAt);
      await trx
        .insertInto('rm_case_payments')
        .values({
          decision_id: d.decisionId,
          case_id: d.caseId,
          monthly_fen: d.payment.monthlyFen,
          one_off_fen: null,
          from_date: d.payment.from,
          to_date: null,
        })
        .onConflict((oc) => oc.column('decision_id').doNothing())
        .execute();
    },
    async PolicyVersionAdded(trx, { data, recordedAt }) {
      const p = data.policy as { id: string; countyCode: string; effectiveFrom: string; calendarId: string };
      await trx
        .insertInto('rm_policy_versions')
        .values({
          id: p.id,
          county_code: p.countyCode,
          effective_from: p.effectiveFrom,
          calendar_id: p.calendarId,
          body: JSON.stringify(data.policy),
          content_hash: data.contentHash,
          added_at: recordedAt,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    },
    async WorkingDayCalendarAdded(trx, { data, recordedAt }) {
      const c = data.calendar as { id: string; coversFrom: string; coversTo: string };
      await trx
        .insertInto('rm_calendars')
        .values({
          id: c.id,
          covers_from: c.coversFrom,
          covers_to: c.coversTo,
          body: JSON.stringify(data.calendar),
          content_hash: data.contentHash,
          added_at: recordedAt,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    },
  },
});
