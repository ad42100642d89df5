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
