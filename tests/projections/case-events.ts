import type { CaseDecided, CaseEvent } from '../../src/domain/assistance/case.events';

/** Case events for the assistance and reserve-fund projection specs (typed by the decider's union). */
export const AT = '2026-01-10T08:00:00.000Z';
export const ids = {
  caseId: '00000000-0000-4000-8000-00000000c001',
  householdId: '00000000-0000-4000-8000-00000000c002',
  personId: '00000000-0000-4000-8000-00000000c003',
  groupId: '00000000-0000-4000-8000-00000000c004',
  villageId: '00000000-0000-4000-8000-00000000c005',
  townId: '00000000-0000-4000-8000-00000000c006',
};

export const applied = (program: 'temporary' | 'dibao' = 'temporary'): Extract<CaseEvent, { type: 'CaseApplied' }> => ({
  type: 'CaseApplied',
  data: {
    caseId: ids.caseId,
    program,
    householdId: ids.householdId,
    applicantPersonId: ids.personId,
    groupId: ids.groupId,
    villageId: ids.villageId,
    townId: ids.townId,
    channel: 'self',
    trigger: null,
    startedByWorkerId: null,
    relativeOf: null,
    appliedOn: '2026-01-02',
    recordedAt: AT,
  },
});

export const decided = (
  decisionId: string,
  kind: CaseDecided['kind'],
  outcome: CaseDecided['outcome'],
  payment: CaseDecided['payment'],
  extra: Partial<CaseDecided> = {},
): Extract<CaseEvent, { type: 'CaseDecided' }> => ({
  type: 'CaseDecided',
  data: {
    caseId: ids.caseId,
    decisionId,
    kind,
    decisionDate: '2026-01-08',
    outcome,
    program: 'temporary',
    facts: {},
    policy: { id: 'policy-2026', contentHash: 'a'.repeat(64) },
    eligibility: {},
    payment,
    paymentsEndOn: null,
    writtenReasons: '',
    decidedBy: { actorId: 'official-1', role: 'town_official' },
    evidence: [],
    refusalNoticeDueOn: null,
    paperworkDueOn: null,
    nextReviewDueOn: null,
    recordedAt: AT,
    ...extra,
  },
});

export const paid = (paymentId: string, fen: number): Extract<CaseEvent, { type: 'PaymentRecorded' }> => ({
  type: 'PaymentRecorded',
  data: { caseId: ids.caseId, paymentId, kind: 'one_off', month: null, fen, paidOn: '2026-01-09', migrated: null, recordedAt: AT },
});
