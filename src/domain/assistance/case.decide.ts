import { addMonths } from '../calendar/working-days.iso-date';
import type { WorkingDayCalendar } from '../calendar/working-days';
import type { PolicyVersion } from '../policy/policy-version';
import { assertNever, type Decider } from '../shared/decider';
import { DomainRuleViolation, IllegalStateError } from '../shared/errors';
import { assistanceDeadlines, dibaoReviewSubject, reviewIntervalMonths } from './assistance-deadlines';
import type { DibaoFacts } from './eligibility/eligibility-facts';
import { evaluateEligibility } from './eligibility/eligibility';
import { formatFen } from './eligibility/eligibility-money';
import type { EligibilityResult } from './eligibility/eligibility-result';
import { caseEvents, evolveCase, initialCaseState, type CaseDecided, type CaseEvent, type CaseState, type CaseStatus, type Program } from './case.events';

type Actor = { id: string; role: string };
/** What a deciding command brings: the policy version in force on the decision date, its hash, and its calendar. */
type Rules = { policy: PolicyVersion; policyHash: string; calendar: WorkingDayCalendar };

export type CaseCommand =
  | { type: 'Apply'; data: Omit<Extract<CaseEvent, { type: 'CaseApplied' }>['data'], 'recordedAt'> & { now: string } }
  | { type: 'Accept'; data: Rules & { acceptedOn: string; now: string } }
  | { type: 'ExtendReviewDeadline'; data: Rules & { reason: string; now: string } }
  | { type: 'RecordEconomicFacts'; data: { facts: Record<string, unknown>; recordedOn: string; now: string } }
  | { type: 'RecordHomeInvestigation'; data: { investigationId: string; investigatorIds: string[]; level: 'town' | 'county'; on: string; findings: string; now: string } }
  | { type: 'RecordNeighbourInterview'; data: { interviewId: string; on: string; interviewee: string; summary: string; now: string } }
  | { type: 'RecordDataCheck'; data: Omit<Extract<CaseEvent, { type: 'DataCheckRecorded' }>['data'], 'caseId' | 'recordedAt'> & { now: string } }
  | { type: 'PostNotice'; data: Rules & { noticeId: string; postedOn: string; now: string } }
  | { type: 'RecordObjection'; data: { on: string; summary: string; now: string } }
  | { type: 'Decide'; data: Rules & { decisionId: string; decisionDate: string; writtenReasons: string; decidedBy: Actor; now: string } }
  | { type: 'GrantEmergency'; data: Rules & { decisionId: string; decisionDate: string; facts: Record<string, unknown>; writtenReasons: string; decidedBy: Actor; now: string; reserveBalanceFen?: number } }
  | { type: 'CompleteEmergencyPaperwork'; data: Rules & { decisionId: string; decisionDate: string; writtenReasons: string; decidedBy: Actor; now: string } }
  | { type: 'Review'; data: Rules & { decisionId: string; decisionDate: string; writtenReasons: string; decidedBy: Actor; now: string } }
  | { type: 'NotifyRefusal'; data: { on: string; now: string } };

/** What may follow each state: named in every wrong-state refusal. */
export const NEXT_STEPS: Record<CaseStatus, string[]> = {
  none: ['Apply'],
  applied: ['Accept', 'GrantEmergency'],
  accepted: ['RecordEconomicFacts', 'RecordHomeInvestigation', 'RecordNeighbourInterview', 'RecordDataCheck', 'ExtendReviewDeadline', 'GrantEmergency'],
  investigating: ['RecordEconomicFacts', 'RecordHomeInvestigation', 'RecordNeighbourInterview', 'RecordDataCheck', 'PostNotice', 'Decide (temporary assistance)', 'ExtendReviewDeadline'],
  in_notice: ['RecordObjection', 'Decide (after the notice ends)'],
  emergency_granted: ['RecordEconomicFacts', 'RecordHomeInvestigation', 'RecordNeighbourInterview', 'RecordDataCheck', 'CompleteEmergencyPaperwork'],
  granted: ['RecordEconomicFacts', 'RecordHomeInvestigation', 'RecordDataCheck', 'Review'],
  denied: ['NotifyRefusal'],
  stopped: [],
  closed: [],
};

function requireStatus(state: CaseState, command: string, allowed: CaseStatus[]): void {
  if (!allowed.includes(state.status)) {
    throw new IllegalStateError(
      'case.wrong_state',
      `${command} is not possible while the case is ${state.status}; next steps: ${NEXT_STEPS[state.status].join(', ') || 'none (the case is finished)'}`,
      state.status,
      NEXT_STEPS[state.status],
    );
  }
}

/** 单独登记备案 and 回避: no one decides a case of their own relative or one they started. */
function refuseConflictedDecider(state: CaseState, decidedBy: Actor): void {
  const app = state.application!;
  if (app.relativeOf?.workerId && app.relativeOf.workerId === decidedBy.id) {
    throw new DomainRuleViolation('case.decider_is_relative', 'a worker may not decide or review a case of their own relative', { workerId: decidedBy.id });
  }
  if (app.startedByWorkerId && app.startedByWorkerId === decidedBy.id) {
    throw new DomainRuleViolation('case.decider_started_case', 'a worker may not decide or review a case they applied for on the household’s behalf', { workerId: decidedBy.id });
  }
}

function requireInvestigation(state: CaseState): void {
  if (!state.facts) throw new DomainRuleViolation('case.facts_missing', 'the household’s economic facts are not recorded yet');
  const home = state.investigations.filter((i) => i.investigatorIds.length >= 2);
  if (home.length === 0) throw new DomainRuleViolation('case.home_investigation_missing', 'a home investigation by at least two workers is required');
  if (state.application!.relativeOf && !home.some((i) => i.level === 'county')) {
    throw new DomainRuleViolation('case.county_investigation_required', 'the applicant is a relative of a worker or cadre: a county-level home investigation is required', {
      relativeOf: state.application!.relativeOf.kind,
    });
  }
}

function evaluate(program: Program, rules: Rules, decisionDate: string, facts: Record<string, unknown>): EligibilityResult {
  return evaluateEligibility(rules.policy, { program, decisionDate, facts });
}

/** Payments start the month after the decision (or at once for a one-off grant). */
function paymentFor(result: EligibilityResult, decisionDate: string): CaseDecided['payment'] {
  if (result.outcome !== 'eligible' || !result.amount) return null;
  if ('oneOffFen' in result.amount) return { kind: 'one_off', fen: result.amount.oneOffFen, on: decisionDate };
  return { kind: 'monthly', monthlyFen: result.amount.monthlyFen, from: `${addMonths(decisionDate, 1).slice(0, 7)}-01` };
}

function nextReview(program: Program, rules: Rules, facts: Record<string, unknown>, decisionDate: string): string | null {
  if (program === 'tekun') return addMonths(decisionDate, reviewIntervalMonths(rules.policy, { program: 'tekun' }));
  if (program === 'dibao') return addMonths(decisionDate, reviewIntervalMonths(rules.policy, dibaoReviewSubject(facts as unknown as DibaoFacts)));
  return null;
}

function decision(
  state: CaseState,
  rules: Rules,
  d: { decisionId: string; decisionDate: string; writtenReasons: string; decidedBy: Actor; now: string },
  kind: CaseDecided['kind'],
  facts: Record<string, unknown>,
): CaseDecided {
  const app = state.application!;
  const result = evaluate(app.program, rules, d.decisionDate, facts);
  // The county decides; a town may decide alone only temporary assistance within its approval limit.
  if (d.decidedBy.role === 'town_worker' && !(app.program === 'temporary' && result.approval?.level === 'town')) {
    throw new DomainRuleViolation('case.county_decision_required', 'this decision is the county’s to take', { program: app.program, approval: result.approval?.level ?? 'county' });
  }
  const deadlines = assistanceDeadlines(rules.policy, rules.calendar);
  const eligible = result.outcome === 'eligible';
  const lastPayment = [...state.decisions].reverse().find((x) => x.payment)?.payment ?? null;
  let outcome: CaseDecided['outcome'];
  if (kind === 'review') {
    const same = eligible && lastPayment?.kind === 'monthly' && result.amount && 'monthlyFen' in result.amount && result.amount.monthlyFen === lastPayment.monthlyFen;
    outcome = !eligible ? 'stopped' : same ? 'continued' : 'adjusted';
  } else outcome = eligible ? 'granted' : kind === 'emergency_completion' ? 'stopped' : 'denied';
  const payment = outcome === 'continued' ? null : paymentFor(result, d.decisionDate);
  return {
    caseId: app.caseId,
    decisionId: d.decisionId,
    kind,
    decisionDate: d.decisionDate,
    outcome,
    program: app.program,
    facts,
    policy: { id: rules.policy.id, contentHash: rules.policyHash },
    eligibility: JSON.parse(JSON.stringify(result)) as Record<string, unknown>,
    payment,
    // 应退尽退: a stop ends monthly payments from the month after the decision.
    paymentsEndOn: outcome === 'stopped' ? `${addMonths(d.decisionDate, 1).slice(0, 7)}-01` : null,
    writtenReasons: d.writtenReasons || result.rules.filter((r) => !r.passed).map((r) => r.reason.zh).join('；'),
    decidedBy: { actorId: d.decidedBy.id, role: d.decidedBy.role },
    evidence: [...state.evidence],
    refusalNoticeDueOn: outcome === 'denied' ? deadlines.refusalNoticeDueOn(d.decisionDate) : null,
    paperworkDueOn: kind === 'emergency_grant' ? deadlines.emergencyPaperworkDueOn(d.decisionDate) : null,
    nextReviewDueOn: outcome === 'granted' || outcome === 'continued' || outcome === 'adjusted' ? nextReview(app.program, rules, facts, d.decisionDate) : null,
    ...(result.category ? { category: { kind: result.category.kind, code: result.category.code, label: result.category.label } } : {}),
    recordedAt: d.now,
  };
}

/** 备用金: where the policy says so, an emergency grant may not exceed the town's reserve balance. */
function refuseOverdraft(policy: PolicyVersion, decided: CaseDecided, balanceFen: number | undefined): void {
  if (!policy.reserveFund?.refuseWhenInsufficient || balanceFen === undefined || decided.payment?.kind !== 'one_off') return;
  if (decided.payment.fen > balanceFen) {
    throw new DomainRuleViolation('reserve_fund.insufficient', `乡镇临时救助备用金余额${formatFen(balanceFen)}元，不足以支付${formatFen(decided.payment.fen)}元；请县民政局先拨付备用金`, {
      balanceFen,
      grantFen: decided.payment.fen,
    });
  }
}

export function decideCase(command: CaseCommand, state: CaseState): CaseEvent[] {
  const caseId = state.application?.caseId ?? '';
  switch (command.type) {
    case 'Apply': {
      requireStatus(state, 'Apply', ['none']);
      const { now, ...application } = command.data;
      if (application.channel === 'proactive' && !application.startedByWorkerId) {
        throw new DomainRuleViolation('case.proactive_needs_worker', 'a proactively started case names the worker who started it');
      }
      return [{ type: 'CaseApplied', data: { ...application, recordedAt: now } }];
    }
    case 'Accept': {
      requireStatus(state, 'Accept', ['applied']);
      const d = command.data;
      const reviewDueOn = assistanceDeadlines(d.policy, d.calendar).reviewDueOn(d.acceptedOn, false);
      return [{ type: 'CaseAccepted', data: { caseId, acceptedOn: d.acceptedOn, reviewDueOn, recordedAt: d.now } }];
    }
    case 'ExtendReviewDeadline': {
      requireStatus(state, 'ExtendReviewDeadline', ['accepted', 'investigating']);
      const d = command.data;
      const reviewDueOn = assistanceDeadlines(d.policy, d.calendar).reviewDueOn(state.acceptedOn!, true);
      return [{ type: 'ReviewDeadlineExtended', data: { caseId, reason: d.reason, reviewDueOn, recordedAt: d.now } }];
    }
    case 'RecordEconomicFacts':
      requireStatus(state, 'RecordEconomicFacts', ['accepted', 'investigating', 'emergency_granted', 'granted']);
      return [{ type: 'EconomicFactsRecorded', data: { caseId, facts: command.data.facts, recordedOn: command.data.recordedOn, recordedAt: command.data.now } }];
    case 'RecordHomeInvestigation': {
      requireStatus(state, 'RecordHomeInvestigation', ['accepted', 'investigating', 'emergency_granted', 'granted']);
      const { now, ...d } = command.data;
      if (new Set(d.investigatorIds).size < 2) throw new DomainRuleViolation('case.two_investigators', 'a home investigation is made by at least two people', { investigators: d.investigatorIds.length });
      return [{ type: 'HomeInvestigationRecorded', data: { caseId, ...d, investigatorIds: [...new Set(d.investigatorIds)], recordedAt: now } }];
    }
    case 'RecordNeighbourInterview': {
      requireStatus(state, 'RecordNeighbourInterview', ['accepted', 'investigating', 'emergency_granted']);
      const { now, ...d } = command.data;
      return [{ type: 'NeighbourInterviewRecorded', data: { caseId, ...d, recordedAt: now } }];
    }
    case 'RecordDataCheck': {
      requireStatus(state, 'RecordDataCheck', ['accepted', 'investigating', 'emergency_granted', 'granted']);
      const { now, ...d } = command.data;
      return [{ type: 'DataCheckRecorded', data: { caseId, ...d, recordedAt: now } }];
    }
    case 'PostNotice': {
      requireStatus(state, 'PostNotice', ['investigating']);
      requireInvestigation(state);
      const d = command.data;
      const deadlines = assistanceDeadlines(d.policy, d.calendar);
      const endsOn = deadlines.noticeEndsOn(d.postedOn);
      return [{ type: 'NoticePosted', data: { caseId, noticeId: d.noticeId, postedOn: d.postedOn, endsOn, confirmationDueOn: deadlines.confirmationDueOn(endsOn), recordedAt: d.now } }];
    }
    case 'RecordObjection':
      requireStatus(state, 'RecordObjection', ['in_notice']);
      return [{ type: 'ObjectionRecorded', data: { caseId, noticeId: state.notice!.noticeId, on: command.data.on, summary: command.data.summary, recordedAt: command.data.now } }];
    case 'Decide': {
      const d = command.data;
      const temporary = state.application?.program === 'temporary';
      requireStatus(state, 'Decide', temporary ? ['investigating', 'in_notice'] : ['in_notice']);
      if (state.status === 'in_notice' && d.decisionDate <= state.notice!.endsOn) {
        throw new DomainRuleViolation('case.notice_running', `the public notice runs until ${state.notice!.endsOn}; decide after it ends`, { endsOn: state.notice!.endsOn });
      }
      requireInvestigation(state);
      refuseConflictedDecider(state, d.decidedBy);
      return [{ type: 'CaseDecided', data: decision(state, d, d, 'initial', state.facts!.data) }];
    }
    case 'GrantEmergency': {
      const d = command.data;
      requireStatus(state, 'GrantEmergency', ['applied', 'accepted']);
      if (state.application!.program !== 'temporary' || (d.facts as { emergency?: boolean }).emergency !== true) {
        throw new DomainRuleViolation('case.emergency_only_temporary', 'assistance first (先行救助) is for emergency temporary assistance only');
      }
      refuseConflictedDecider(state, d.decidedBy);
      const decided = decision(state, d, d, 'emergency_grant', d.facts);
      if (decided.outcome !== 'granted') throw new DomainRuleViolation('case.emergency_not_eligible', 'the emergency does not qualify under the policy', { rules: decided.eligibility.rules });
      refuseOverdraft(d.policy, decided, d.reserveBalanceFen);
      return [
        { type: 'EconomicFactsRecorded', data: { caseId, facts: d.facts, recordedOn: d.decisionDate, recordedAt: d.now } },
        { type: 'CaseDecided', data: decided },
      ];
    }
    case 'CompleteEmergencyPaperwork': {
      const d = command.data;
      requireStatus(state, 'CompleteEmergencyPaperwork', ['emergency_granted']);
      requireInvestigation(state);
      refuseConflictedDecider(state, d.decidedBy);
      const completed = decision(state, d, d, 'emergency_completion', state.facts!.data);
      // The money went out already; completion confirms it (no second payment) or records that it was not due.
      return [{ type: 'CaseDecided', data: { ...completed, payment: null } }];
    }
    case 'Review': {
      const d = command.data;
      requireStatus(state, 'Review', ['granted']);
      if (!state.facts) throw new DomainRuleViolation('case.facts_missing', 'record the household’s current facts before the review');
      refuseConflictedDecider(state, d.decidedBy);
      return [{ type: 'CaseDecided', data: decision(state, d, d, 'review', state.facts.data) }];
    }
    case 'NotifyRefusal':
      requireStatus(state, 'NotifyRefusal', ['denied']);
      if (state.refusalNotifiedOn) return [];
      return [{ type: 'RefusalNotified', data: { caseId, on: command.data.on, recordedAt: command.data.now } }];
    default:
      return assertNever(command);
  }
}

export const caseDecider: Decider<CaseCommand, CaseEvent, CaseState> = {
  decide: decideCase,
  evolve: evolveCase,
  initialState: initialCaseState,
};

export { caseEvents };
