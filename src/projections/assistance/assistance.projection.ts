import { sql, type Kysely } from 'kysely';
import type { RecordedEvent } from '../../application/event-store';
import { caseStatusAfter, type CaseEvent, type CaseStatus } from '../../domain/assistance/case.events';
import type { RegistryEvent } from '../../domain/policy/policy-registry';
import type { Projection } from '../projection';

type Event = (CaseEvent | RegistryEvent) & Pick<RecordedEvent, 'version' | 'recordedAt' | 'eventId'>;

/**
 * Cases with their due dates, every decision (the auditors' list), payments in force, and the
 * policy versions and calendars. Inline: a command's response shows the case as it now stands.
 */
export const assistanceProjection: Projection = {
  name: 'assistance',
  mode: 'inline',
  handles: [
    'CaseApplied',
    'CaseAccepted',
    'ReviewDeadlineExtended',
    'EconomicFactsRecorded',
    'HomeInvestigationRecorded',
    'NeighbourInterviewRecorded',
    'DataCheckRecorded',
    'NoticePosted',
    'ObjectionRecorded',
    'CaseDecided',
    'RefusalNotified',
    'CaseSubmitted',
    'CaseChecked',
    'PaymentRecorded',
    'DecisionMigrated',
    'PolicyVersionAdded',
    'WorkingDayCalendarAdded',
  ],
  tables: ['rm_cases', 'rm_decisions', 'rm_case_payments', 'rm_case_paid', 'rm_policy_versions', 'rm_calendars'],
  async apply(trx: Kysely<any>, events: readonly RecordedEvent[]) {
    for (const e of events) await applyOne(trx, e as unknown as Event);
  },
};

async function applyOne(trx: Kysely<any>, event: Event): Promise<void> {
  const { version, recordedAt } = event;
  // The status comes from the decider's own rule (caseStatusAfter) applied to the stored status:
  // the read model and the decider's fold cannot disagree about where a case stands.
  const statusAfter = async (id: string): Promise<CaseStatus | null> => {
    const row = (await sql<{ status: CaseStatus }>`select status from rm_cases where id = ${id}`.execute(trx)).rows[0];
    return row ? caseStatusAfter(row.status, event as CaseEvent) : null;
  };
  const set = async (id: string, fields: ReturnType<typeof sql> | null) => {
    const status = await statusAfter(id);
    if (status === null) return;
    await sql`update rm_cases set ${fields ? sql`${fields},` : sql``} status = ${status}, version = ${version}, updated_at = ${recordedAt} where id = ${id} and version < ${version}`.execute(trx);
  };
  switch (event.type) {
    case 'CaseApplied': {
      const d = event.data;
      await sql`
        insert into rm_cases (id, program, household_id, applicant_person_id, group_id, village_id, town_id, channel, status, relative_of, started_by_worker_id, applied_on, version, updated_at)
        values (${d.caseId}, ${d.program}, ${d.householdId}, ${d.applicantPersonId}, ${d.groupId}, ${d.villageId}, ${d.townId}, ${d.channel}, 'applied',
                ${d.relativeOf ? JSON.stringify(d.relativeOf) : null}::jsonb, ${d.startedByWorkerId}, ${d.appliedOn}, ${version}, ${recordedAt})
        on conflict (id) do nothing`.execute(trx);
      return;
    }
    case 'CaseAccepted':
      await set(event.data.caseId, sql`accepted_on = ${event.data.acceptedOn}, review_due_on = ${event.data.reviewDueOn}`);
      return;
    case 'ReviewDeadlineExtended':
      await set(event.data.caseId, sql`review_due_on = ${event.data.reviewDueOn}`);
      return;
    case 'EconomicFactsRecorded':
    case 'HomeInvestigationRecorded':
    case 'NeighbourInterviewRecorded':
    case 'DataCheckRecorded':
      await set(event.data.caseId, null);
      return;
    case 'NoticePosted':
      await set(event.data.caseId, sql`notice_ends_on = ${event.data.endsOn}, confirmation_due_on = ${event.data.confirmationDueOn}`);
      return;
    case 'ObjectionRecorded':
      await set(event.data.caseId, sql`notice_ends_on = null, confirmation_due_on = null`);
      return;
    case 'CaseDecided': {
      const d = event.data;
      const paperwork = d.kind === 'emergency_grant' ? sql`, paperwork_due_on = ${d.paperworkDueOn}` : d.kind === 'emergency_completion' ? sql`, paperwork_done_on = ${d.decisionDate}` : sql``;
      await set(d.caseId, sql`decided_on = ${d.decisionDate}, refusal_notice_due_on = ${d.refusalNoticeDueOn}, next_review_due_on = ${d.nextReviewDueOn} ${paperwork}`);
      const amount = d.payment?.kind === 'monthly' ? { monthly: d.payment.monthlyFen, oneOff: null } : d.payment?.kind === 'one_off' ? { monthly: null, oneOff: d.payment.fen } : { monthly: null, oneOff: null };
      await sql`
        insert into rm_decisions (id, case_id, event_id, kind, program, decision_date, outcome, town_id, village_id, decided_by, decided_by_role, policy_id, policy_hash, monthly_fen, one_off_fen, body, recorded_at)
        select ${d.decisionId}, ${d.caseId}, ${event.eventId}, ${d.kind}, ${d.program}, ${d.decisionDate}, ${d.outcome}, c.town_id, c.village_id, ${d.decidedBy.actorId}, ${d.decidedBy.role},
               ${d.policy.id}, ${d.policy.contentHash}, ${amount.monthly}, ${amount.oneOff}, ${JSON.stringify(d)}::jsonb, ${recordedAt}
        from rm_cases c where c.id = ${d.caseId}
        on conflict (id) do nothing`.execute(trx);
      // A new amount or a stop ends the payment in force; a new payment starts.
      if (d.payment?.kind === 'monthly' || d.paymentsEndOn) {
        const end = d.paymentsEndOn ?? (d.payment?.kind === 'monthly' ? d.payment.from : null);
        await sql`update rm_case_payments set to_date = ${end} where case_id = ${d.caseId} and to_date is null and monthly_fen is not null and decision_id <> ${d.decisionId}`.execute(trx);
      }
      if (d.payment) {
        const from = d.payment.kind === 'monthly' ? d.payment.from : d.payment.on;
        await sql`insert into rm_case_payments (decision_id, case_id, monthly_fen, one_off_fen, from_date, to_date)
                  values (${d.decisionId}, ${d.caseId}, ${amount.monthly}, ${amount.oneOff}, ${from}, ${d.payment.kind === 'one_off' ? d.payment.on : null})
                  on conflict (decision_id) do nothing`.execute(trx);
      }
      return;
    }
    case 'RefusalNotified':
      await set(event.data.caseId, sql`refusal_notified_on = ${event.data.on}`);
      return;
    case 'CaseSubmitted':
      await set(event.data.caseId, null);
      return;
    case 'CaseChecked':
      await set(event.data.caseId, event.data.result === 'returned' ? sql`last_return = ${JSON.stringify({ on: event.data.checkedOn, reasons: event.data.reasons })}::jsonb` : null);
      return;
    case 'PaymentRecorded': {
      const d = event.data;
      await set(d.caseId, sql`paid_fen = paid_fen + ${d.fen}`);
      await sql`insert into rm_case_paid (payment_id, case_id, program, town_id, kind, month, fen, paid_on, migrated)
                select ${d.paymentId}, ${d.caseId}, c.program, c.town_id, ${d.kind}, ${d.month}, ${d.fen}, ${d.paidOn}, ${d.migrated !== null} from rm_cases c where c.id = ${d.caseId}
                on conflict (payment_id) do nothing`.execute(trx);
      return;
    }
    case 'DecisionMigrated': {
      const d = event.data;
      await set(d.caseId, sql`decided_on = ${d.decisionDate}, next_review_due_on = ${d.nextReviewDueOn}, migrated = ${JSON.stringify(d.source)}::jsonb`);
      await sql`
        insert into rm_decisions (id, case_id, event_id, kind, program, decision_date, outcome, town_id, village_id, decided_by, decided_by_role, policy_id, policy_hash, monthly_fen, one_off_fen, body, recorded_at)
        select ${d.decisionId}, ${d.caseId}, ${event.eventId}, 'migrated', ${d.program}, ${d.decisionDate}, 'granted', c.town_id, c.village_id, 'legacy-roll', 'migrated',
               'legacy-roll', ${d.source.fileSha256}, ${d.payment.monthlyFen}, null, ${JSON.stringify({ ...d, kind: 'migrated', outcome: 'granted' })}::jsonb, ${recordedAt}
        from rm_cases c where c.id = ${d.caseId}
        on conflict (id) do nothing`.execute(trx);
      await sql`insert into rm_case_payments (decision_id, case_id, monthly_fen, one_off_fen, from_date, to_date)
                values (${d.decisionId}, ${d.caseId}, ${d.payment.monthlyFen}, null, ${d.payment.from}, null)
                on conflict (decision_id) do nothing`.execute(trx);
      return;
    }
    case 'PolicyVersionAdded': {
      const p = event.data.policy as { id: string; countyCode: string; effectiveFrom: string; calendarId: string };
      await sql`insert into rm_policy_versions (id, county_code, effective_from, calendar_id, body, content_hash, added_at)
                values (${p.id}, ${p.countyCode}, ${p.effectiveFrom}, ${p.calendarId}, ${JSON.stringify(event.data.policy)}::jsonb, ${event.data.contentHash}, ${recordedAt})
                on conflict (id) do nothing`.execute(trx);
      return;
    }
    case 'WorkingDayCalendarAdded': {
      const c = event.data.calendar as { id: string; coversFrom: string; coversTo: string };
      await sql`insert into rm_calendars (id, covers_from, covers_to, body, content_hash, added_at)
                values (${c.id}, ${c.coversFrom}, ${c.coversTo}, ${JSON.stringify(event.data.calendar)}::jsonb, ${event.data.contentHash}, ${recordedAt})
                on conflict (id) do nothing`.execute(trx);
      return;
    }
  }
}
