import type { CaseEvent } from '../../domain/assistance/case.events';

/**
 * What the assistance projection writes for an event, said once for both its paths: the handlers
 * (assistance.projection.ts, a statement per event) and the rows (assistance.rows.ts, a page or an
 * append as one insert per table) cannot drift apart on a column.
 */

type Data<T extends CaseEvent['type']> = Extract<CaseEvent, { type: T }>['data'];

/** A new case's row: the columns its application sets (the others start empty, paid_fen at 0). */
export function appliedCase(d: Data<'CaseApplied'>, version: number, recordedAt: string) {
  return {
    id: d.caseId,
    program: d.program,
    household_id: d.householdId,
    applicant_person_id: d.applicantPersonId,
    group_id: d.groupId,
    village_id: d.villageId,
    town_id: d.townId,
    channel: d.channel,
    status: 'applied' as const,
    relative_of: d.relativeOf ? JSON.stringify(d.relativeOf) : null,
    started_by_worker_id: d.startedByWorkerId,
    applied_on: d.appliedOn,
    version,
    updated_at: recordedAt,
  };
}

/** A decision as the auditors' list files it (with the case's town and village, which the case row holds). */
export interface Decision {
  decisionId: string;
  caseId: string;
  kind: string;
  program: string;
  decisionDate: string;
  outcome: string;
  decidedBy: string;
  decidedByRole: string;
  policyId: string;
  policyHash: string;
  monthlyFen: number | null;
  oneOffFen: number | null;
  /** What the list shows of the payment (the body's `payment`), null when the decision pays nothing. */
  payment: object | null;
  body: object;
}

export function decidedDecision(d: Data<'CaseDecided'>): Decision {
  return {
    decisionId: d.decisionId,
    caseId: d.caseId,
    kind: d.kind,
    program: d.program,
    decisionDate: d.decisionDate,
    outcome: d.outcome,
    decidedBy: d.decidedBy.actorId,
    decidedByRole: d.decidedBy.role,
    policyId: d.policy.id,
    policyHash: d.policy.contentHash,
    monthlyFen: d.payment?.kind === 'monthly' ? d.payment.monthlyFen : null,
    oneOffFen: d.payment?.kind === 'one_off' ? d.payment.fen : null,
    payment: d.payment ?? null,
    body: d,
  };
}

/** A decision taken over from the county's roll: granted, under the roll's file rather than a policy. */
export function migratedDecision(d: Data<'DecisionMigrated'>): Decision {
  return {
    decisionId: d.decisionId,
    caseId: d.caseId,
    kind: 'migrated',
    program: d.program,
    decisionDate: d.decisionDate,
    outcome: 'granted',
    decidedBy: 'legacy-roll',
    decidedByRole: 'migrated',
    policyId: 'legacy-roll',
    policyHash: d.source.fileSha256,
    monthlyFen: d.payment.monthlyFen,
    oneOffFen: null,
    payment: d.payment,
    body: { ...d, kind: 'migrated', outcome: 'granted' },
  };
}

/**
 * What an event sets on its case besides status, version and time. (A payment also adds its fen
 * to `paid_fen`, which each path says its own way: an expression there, a sum here.)
 */
export function caseFields(event: CaseEvent): CaseStepFields {
  switch (event.type) {
    case 'CaseAccepted':
      return { accepted_on: event.data.acceptedOn, review_due_on: event.data.reviewDueOn };
    case 'ReviewDeadlineExtended':
      return { review_due_on: event.data.reviewDueOn };
    case 'NoticePosted':
      return { notice_ends_on: event.data.endsOn, confirmation_due_on: event.data.confirmationDueOn };
    case 'ObjectionRecorded':
      return { notice_ends_on: null, confirmation_due_on: null };
    case 'CaseDecided': {
      const d = event.data;
      const paperwork =
        d.kind === 'emergency_grant' ? { paperwork_due_on: d.paperworkDueOn } : d.kind === 'emergency_completion' ? { paperwork_done_on: d.decisionDate } : {};
      return { decided_on: d.decisionDate, refusal_notice_due_on: d.refusalNoticeDueOn, next_review_due_on: d.nextReviewDueOn, ...paperwork };
    }
    case 'RefusalNotified':
      return { refusal_notified_on: event.data.on };
    case 'CaseChecked':
      return event.data.result === 'returned' ? { last_return: JSON.stringify({ on: event.data.checkedOn, reasons: event.data.reasons }) } : {};
    case 'DecisionMigrated':
      return { decided_on: event.data.decisionDate, next_review_due_on: event.data.nextReviewDueOn, migrated: JSON.stringify(event.data.source) };
    default:
      return {};
  }
}

export type CaseStepFields = Partial<
  Record<
    | 'accepted_on'
    | 'review_due_on'
    | 'notice_ends_on'
    | 'confirmation_due_on'
    | 'decided_on'
    | 'refusal_notice_due_on'
    | 'next_review_due_on'
    | 'paperwork_due_on'
    | 'paperwork_done_on'
    | 'refusal_notified_on'
    | 'last_return'
    | 'migrated',
    string | null
  >
>;

/**
 * The day a decision ends the monthly payment in force (a new monthly amount from its first day,
 * or a stop), null when it ends none. Only when the case moved: a redelivered older decision
 * must not end a newer payment.
 */
export function paymentsEndedOn(d: Data<'CaseDecided'>): string | null {
  return d.paymentsEndOn ?? (d.payment?.kind === 'monthly' ? d.payment.from : null);
}

/** The payment a decision starts, as rm_case_payments holds it (a one-off ends the day it is paid), or null. */
export function paymentStarted(d: Data<'CaseDecided'>): { from: string; to: string | null } | null {
  if (!d.payment) return null;
  return d.payment.kind === 'monthly' ? { from: d.payment.from, to: null } : { from: d.payment.on, to: d.payment.on };
}
