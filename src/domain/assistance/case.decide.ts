import { addMonths } from '../calendar/working-days.iso-date';
import type { WorkingDayCalendar } from '../calendar/working-days';
import type { PolicyVersion } from './policy/policy-version';
import { assertNever, type Decider } from '../shared/decider';
import { DomainRuleViolation, IllegalStateError } from '../shared/errors';
import { assistanceDeadlines, dibaoReviewSubject, reviewIntervalMonths } from './assistance-deadlines';
import type { DibaoFacts } from './eligibility/eligibility-facts';
import { evaluateEligibility } from './eligibility/eligibility';
import { formatFen } from './eligibility/eligibility-money';
import type { EligibilityResult } from './eligibility/eligibility-result';
import {
  caseEvents,
  evolveCase,
  initialCaseState,
  type CaseDecided,
  type CaseEvent,
  type CaseState,
  type CaseStatus,
  type DecisionMigrated,
  type Program,
} from './case.events';
import { countyDayOf, requireStepDate, type CaseStep } from './case-dates';
import { decisionRefusal, payableFen, requirePayable, type PaymentLedger } from './case-payments';
import { requireConfirmingAuthority, type CaseProcedurePolicy, type DecidedAmount } from './case-procedure-policy';

type Actor = { id: string; role: string };
/** What a deciding command brings: the policy version in force on the decision date, its hash, and its calendar. */
type Rules = { policy: PolicyVersion; policyHash: string; calendar: WorkingDayCalendar };
/** Who may confirm what: the case-procedure policy in force on the decision date. */
type Procedure = { procedure: CaseProcedurePolicy };

export type CaseCommand =
  | { type: 'Apply'; data: Omit<Extract<CaseEvent, { type: 'CaseApplied' }>['data'], 'recordedAt'> & { now: string } }
  | { type: 'Accept'; data: Rules & { acceptedOn: string; now: string } }
  | { type: 'ExtendReviewDeadline'; data: Rules & { reason: string; now: string } }
  | { type: 'RecordEconomicFacts'; data: { facts: Record<string, unknown>; recordedOn: string; now: string } }
  | {
      type: 'RecordHomeInvestigation';
      data: { investigationId: string; investigatorIds: string[]; level: 'town' | 'county'; on: string; findings: string; now: string };
    }
  | { type: 'RecordNeighbourInterview'; data: { interviewId: string; on: string; interviewee: string; summary: string; now: string } }
  | { type: 'RecordDataCheck'; data: Omit<Extract<CaseEvent, { type: 'DataCheckRecorded' }>['data'], 'caseId' | 'recordedAt'> & { now: string } }
  | { type: 'PostNotice'; data: Rules & { noticeId: string; postedOn: string; now: string } }
  | { type: 'RecordObjection'; data: { on: string; summary: string; now: string } }
  | { type: 'Submit'; data: { submittedBy: Actor; now: string } }
  | { type: 'Check'; data: { result: 'forwarded' | 'returned'; reasons: string; checkedBy: Actor; now: string } }
  | { type: 'Decide'; data: Rules & Procedure & { decisionId: string; decisionDate: string; writtenReasons: string; decidedBy: Actor; now: string } }
  | {
      type: 'GrantEmergency';
      data: Rules &
        Procedure & {
          decisionId: string;
          decisionDate: string;
          facts: Record<string, unknown>;
          writtenReasons: string;
          decidedBy: Actor;
          now: string;
          reserveBalanceFen?: number;
        };
    }
  | {
      type: 'CompleteEmergencyPaperwork';
      data: Rules & Procedure & { decisionId: string; decisionDate: string; writtenReasons: string; decidedBy: Actor; now: string };
    }
  | { type: 'Review'; data: Rules & Procedure & { decisionId: string; decisionDate: string; writtenReasons: string; decidedBy: Actor; now: string } }
  | { type: 'NotifyRefusal'; data: { on: string; now: string } }
  | { type: 'RecordPayment'; data: { paymentId: string; kind: 'monthly' | 'one_off'; month: string | null; fen: number | null; paidOn: string; now: string } }
  | {
      type: 'Migrate';
      data: {
        application: Omit<Extract<CaseEvent, { type: 'CaseApplied' }>['data'], 'recordedAt'>;
        decision: Omit<DecisionMigrated, 'recordedAt'>;
        /** Past payments of the roll: months paid, each with its amount and day. */
        payments: { paymentId: string; month: string; fen: number; paidOn: string }[];
        now: string;
      };
    };

/** What may follow each state: named in every wrong-state refusal. */
export const NEXT_STEPS: Record<CaseStatus, string[]> = {
  none: ['Apply'],
  applied: ['Accept', 'GrantEmergency'],
  accepted: ['RecordEconomicFacts', 'RecordHomeInvestigation', 'RecordNeighbourInterview', 'RecordDataCheck', 'ExtendReviewDeadline', 'GrantEmergency'],
  investigating: [
    'RecordEconomicFacts',
    'RecordHomeInvestigation',
    'RecordNeighbourInterview',
    'RecordDataCheck',
    'PostNotice',
    'Decide (temporary assistance)',
    'ExtendReviewDeadline',
  ],
  in_notice: ['RecordObjection', 'Submit (after the notice ends)'],
  submitted: ['Check'],
  checked: ['Decide'],
  returned: ['RecordEconomicFacts', 'RecordHomeInvestigation', 'RecordNeighbourInterview', 'RecordDataCheck', 'PostNotice', 'Submit'],
  emergency_granted: [
    'RecordEconomicFacts',
    'RecordHomeInvestigation',
    'RecordNeighbourInterview',
    'RecordDataCheck',
    'CompleteEmergencyPaperwork',
    'RecordPayment',
  ],
  granted: ['RecordEconomicFacts', 'RecordHomeInvestigation', 'RecordDataCheck', 'Review', 'RecordPayment'],
  denied: ['NotifyRefusal'],
  stopped: ['RecordPayment (months before the stop)'],
  closed: ['RecordPayment (what was decided and not yet paid)'],
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
    throw new DomainRuleViolation('case.decider_started_case', 'a worker may not decide or review a case they applied for on the household’s behalf', {
      workerId: decidedBy.id,
    });
  }
}

function requireInvestigation(state: CaseState): void {
  if (!state.facts) throw new DomainRuleViolation('case.facts_missing', 'the household’s economic facts are not recorded yet');
  const home = state.investigations.filter((i) => i.investigatorIds.length >= 2);
  if (home.length === 0) throw new DomainRuleViolation('case.home_investigation_missing', 'a home investigation by at least two workers is required');
  if (state.application!.relativeOf && !home.some((i) => i.level === 'county')) {
    throw new DomainRuleViolation(
      'case.county_investigation_required',
      'the applicant is a relative of a worker or cadre: a county-level home investigation is required',
      {
        relativeOf: state.application!.relativeOf.kind,
      },
    );
  }
}

/** The amount a decision's rules computed, as the confirmation rules compare it. */
function amountOf(result: EligibilityResult): DecidedAmount {
  if (!result.amount) return null;
  return 'oneOffFen' in result.amount ? { kind: 'one_off', fen: result.amount.oneOffFen } : { kind: 'monthly', fen: result.amount.monthlyFen };
}

const dated = (state: CaseState, step: CaseStep, on: string, now: string) => requireStepDate(state.dates, step, on, now);

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
  rules: Rules & Procedure,
  d: { decisionId: string; decisionDate: string; writtenReasons: string; decidedBy: Actor; now: string },
  kind: CaseDecided['kind'],
  facts: Record<string, unknown>,
): CaseDecided {
  const app = state.application!;
  dated(state, kind === 'review' ? 'reviewed' : 'decided', d.decisionDate, d.now);
  const result = evaluate(app.program, rules, d.decisionDate, facts);
  // 审核确认 is the authority's the policy names for this program and amount; social workers never confirm.
  const amount = kind === 'emergency_completion' ? oneOffGranted(state.payments) : amountOf(result);
  requireConfirmingAuthority(rules.procedure, app.program, amount, d.decidedBy.role);
  const deadlines = assistanceDeadlines(rules.policy, rules.calendar);
  const eligible = result.outcome === 'eligible';
  // A migrated recipient's amount in force is the roll's until a decision here replaces it.
  const lastPayment = [...state.decisions].reverse().find((x) => x.payment)?.payment ?? state.migrated?.payment ?? null;
  let outcome: CaseDecided['outcome'];
  if (kind === 'review') {
    const same =
      eligible && lastPayment?.kind === 'monthly' && result.amount && 'monthlyFen' in result.amount && result.amount.monthlyFen === lastPayment.monthlyFen;
    outcome = !eligible ? 'stopped' : same ? 'continued' : 'adjusted';
  } else outcome = eligible ? 'granted' : kind === 'emergency_completion' ? 'stopped' : 'denied';
  // Completing an emergency's paperwork confirms the money already granted: no second payment.
  const payment = outcome === 'continued' || kind === 'emergency_completion' ? null : paymentFor(result, d.decisionDate);
  const refusal = decisionRefusal(state.payments, { decisionId: d.decisionId, payment, paymentsEndOn: null });
  if (refusal) throw new DomainRuleViolation(refusal.rule, refusal.message, refusal.details);
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
    writtenReasons:
      d.writtenReasons ||
      result.rules
        .filter((r) => !r.passed)
        .map((r) => r.reason.zh)
        .join('；'),
    decidedBy: { actorId: d.decidedBy.id, role: d.decidedBy.role },
    evidence: [...state.evidence],
    refusalNoticeDueOn: outcome === 'denied' ? deadlines.refusalNoticeDueOn(d.decisionDate) : null,
    paperworkDueOn: kind === 'emergency_grant' ? deadlines.emergencyPaperworkDueOn(d.decisionDate) : null,
    nextReviewDueOn: outcome === 'granted' || outcome === 'continued' || outcome === 'adjusted' ? nextReview(app.program, rules, facts, d.decisionDate) : null,
    ...(result.category ? { category: { kind: result.category.kind, code: result.category.code, label: result.category.label } } : {}),
    recordedAt: d.now,
  };
}

const oneOffGranted = (ledger: PaymentLedger): DecidedAmount => (ledger.oneOff ? { kind: 'one_off', fen: ledger.oneOff.fen } : null);

const INVESTIGATING: CaseStatus[] = ['accepted', 'investigating', 'returned', 'emergency_granted', 'granted'];

/** 备用金: where the policy says so, an emergency grant may not exceed the town's reserve balance. */
function refuseOverdraft(policy: PolicyVersion, decided: CaseDecided, balanceFen: number | undefined): void {
  if (!policy.reserveFund?.refuseWhenInsufficient || balanceFen === undefined || decided.payment?.kind !== 'one_off') return;
  if (decided.payment.fen > balanceFen) {
    throw new DomainRuleViolation(
      'reserve_fund.insufficient',
      `乡镇临时救助备用金余额${formatFen(balanceFen)}元，不足以支付${formatFen(decided.payment.fen)}元；请县民政局先拨付备用金`,
      {
        balanceFen,
        grantFen: decided.payment.fen,
      },
    );
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
      dated(state, 'applied', application.appliedOn, now);
      return [{ type: 'CaseApplied', data: { ...application, recordedAt: now } }];
    }
    case 'Accept': {
      requireStatus(state, 'Accept', ['applied']);
      const d = command.data;
      dated(state, 'accepted', d.acceptedOn, d.now);
      const reviewDueOn = assistanceDeadlines(d.policy, d.calendar).reviewDueOn(d.acceptedOn, false);
      return [{ type: 'CaseAccepted', data: { caseId, acceptedOn: d.acceptedOn, reviewDueOn, recordedAt: d.now } }];
    }
    case 'ExtendReviewDeadline': {
      requireStatus(state, 'ExtendReviewDeadline', ['accepted', 'investigating', 'returned', 'in_notice', 'submitted', 'checked']);
      const d = command.data;
      const reviewDueOn = assistanceDeadlines(d.policy, d.calendar).reviewDueOn(state.acceptedOn!, true);
      return [{ type: 'ReviewDeadlineExtended', data: { caseId, reason: d.reason, reviewDueOn, recordedAt: d.now } }];
    }
    case 'RecordEconomicFacts':
      requireStatus(state, 'RecordEconomicFacts', INVESTIGATING);
      dated(state, 'investigated', command.data.recordedOn, command.data.now);
      return [
        { type: 'EconomicFactsRecorded', data: { caseId, facts: command.data.facts, recordedOn: command.data.recordedOn, recordedAt: command.data.now } },
      ];
    case 'RecordHomeInvestigation': {
      requireStatus(state, 'RecordHomeInvestigation', INVESTIGATING);
      const { now, ...d } = command.data;
      dated(state, 'investigated', d.on, now);
      if (new Set(d.investigatorIds).size < 2)
        throw new DomainRuleViolation('case.two_investigators', 'a home investigation is made by at least two people', {
          investigators: d.investigatorIds.length,
        });
      return [{ type: 'HomeInvestigationRecorded', data: { caseId, ...d, investigatorIds: [...new Set(d.investigatorIds)], recordedAt: now } }];
    }
    case 'RecordNeighbourInterview': {
      requireStatus(state, 'RecordNeighbourInterview', ['accepted', 'investigating', 'returned', 'emergency_granted']);
      const { now, ...d } = command.data;
      dated(state, 'investigated', d.on, now);
      return [{ type: 'NeighbourInterviewRecorded', data: { caseId, ...d, recordedAt: now } }];
    }
    case 'RecordDataCheck': {
      requireStatus(state, 'RecordDataCheck', INVESTIGATING);
      const { now, ...d } = command.data;
      dated(state, 'investigated', d.checkedOn, now);
      return [{ type: 'DataCheckRecorded', data: { caseId, ...d, recordedAt: now } }];
    }
    case 'PostNotice': {
      requireStatus(state, 'PostNotice', ['investigating', 'returned']);
      requireInvestigation(state);
      if (state.reinvestigationDue) {
        throw new DomainRuleViolation('case.reinvestigation_required', '公示有异议，须重新调查核实后才能再次公示', { objectedOn: state.dates.objected });
      }
      const d = command.data;
      dated(state, 'noticed', d.postedOn, d.now);
      const deadlines = assistanceDeadlines(d.policy, d.calendar);
      const endsOn = deadlines.noticeEndsOn(d.postedOn);
      return [
        {
          type: 'NoticePosted',
          data: { caseId, noticeId: d.noticeId, postedOn: d.postedOn, endsOn, confirmationDueOn: deadlines.confirmationDueOn(endsOn), recordedAt: d.now },
        },
      ];
    }
    case 'RecordObjection':
      requireStatus(state, 'RecordObjection', ['in_notice']);
      dated(state, 'objected', command.data.on, command.data.now);
      if (command.data.on > state.notice!.endsOn) {
        throw new DomainRuleViolation('case.objection_after_notice', `公示期已于 ${state.notice!.endsOn} 结束，异议日期 ${command.data.on} 在公示期之后`, {
          endsOn: state.notice!.endsOn,
        });
      }
      return [
        {
          type: 'ObjectionRecorded',
          data: { caseId, noticeId: state.notice!.noticeId, on: command.data.on, summary: command.data.summary, recordedAt: command.data.now },
        },
      ];
    case 'Decide': {
      const d = command.data;
      // The town prepares and submits, the county worker checks and forwards, the authority confirms.
      requireStatus(state, 'Decide', ['checked']);
      requireInvestigation(state);
      refuseConflictedDecider(state, d.decidedBy);
      return [{ type: 'CaseDecided', data: decision(state, d, d, 'initial', state.facts!.data) }];
    }
    case 'GrantEmergency': {
      const d = command.data;
      requireStatus(state, 'GrantEmergency', ['applied', 'accepted']);
      dated(state, 'decided', d.decisionDate, d.now);
      if (state.application!.program !== 'temporary' || (d.facts as { emergency?: boolean }).emergency !== true) {
        throw new DomainRuleViolation('case.emergency_only_temporary', 'assistance first (先行救助) is for emergency temporary assistance only');
      }
      refuseConflictedDecider(state, d.decidedBy);
      const decided = decision(state, d, d, 'emergency_grant', d.facts);
      if (decided.outcome !== 'granted')
        throw new DomainRuleViolation('case.emergency_not_eligible', 'the emergency does not qualify under the policy', { rules: decided.eligibility.rules });
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
    case 'Submit': {
      const d = command.data;
      requireStatus(state, 'Submit', ['investigating', 'in_notice', 'returned']);
      requireInvestigation(state);
      const today = countyDayOf(d.now);
      if (state.application!.program !== 'temporary') {
        if (!state.notice || state.reinvestigationDue || state.notice.objected) {
          throw new DomainRuleViolation('case.notice_required', '须公示期满且无异议后才能报送', { notice: state.notice });
        }
        if (today <= state.notice.endsOn)
          throw new DomainRuleViolation('case.notice_running', `公示期至 ${state.notice.endsOn}，期满后才能报送`, { endsOn: state.notice.endsOn });
      }
      dated(state, 'submitted', today, d.now);
      return [
        {
          type: 'CaseSubmitted',
          data: { caseId, submittedOn: today, submittedBy: { actorId: d.submittedBy.id, role: d.submittedBy.role }, recordedAt: d.now },
        },
      ];
    }
    case 'Check': {
      const d = command.data;
      requireStatus(state, 'Check', ['submitted']);
      refuseConflictedDecider(state, d.checkedBy);
      if (d.result === 'returned' && !d.reasons.trim()) throw new DomainRuleViolation('case.return_needs_reasons', '退回须写明理由');
      const today = countyDayOf(d.now);
      dated(state, 'checked', today, d.now);
      return [
        {
          type: 'CaseChecked',
          data: {
            caseId,
            checkedOn: today,
            result: d.result,
            reasons: d.reasons,
            checkedBy: { actorId: d.checkedBy.id, role: d.checkedBy.role },
            recordedAt: d.now,
          },
        },
      ];
    }
    case 'NotifyRefusal':
      requireStatus(state, 'NotifyRefusal', ['denied']);
      if (state.refusalNotifiedOn) return [];
      dated(state, 'notified', command.data.on, command.data.now);
      return [{ type: 'RefusalNotified', data: { caseId, on: command.data.on, recordedAt: command.data.now } }];
    case 'RecordPayment': {
      const d = command.data;
      requireStatus(state, 'RecordPayment', ['emergency_granted', 'granted', 'stopped', 'closed']);
      dated(state, 'paid', d.paidOn, d.now);
      if (d.kind === 'monthly' && d.month! > d.paidOn.slice(0, 7)) {
        throw new DomainRuleViolation('payment.month_not_due', `${d.month} 的救助金不能在 ${d.paidOn} 提前发放`, { month: d.month, paidOn: d.paidOn });
      }
      const fen = d.fen ?? payableFen(state.payments, d);
      const payment = { kind: d.kind, month: d.kind === 'monthly' ? d.month : null, fen, paidOn: d.paidOn };
      if (fen <= 0) requirePayable(state.payments, { ...payment, fen: 1 });
      requirePayable(state.payments, payment);
      return [{ type: 'PaymentRecorded', data: { caseId, paymentId: d.paymentId, ...payment, migrated: null, recordedAt: d.now } }];
    }
    case 'Migrate': {
      const d = command.data;
      requireStatus(state, 'Migrate', ['none']);
      const a = d.application;
      const m = d.decision;
      let s = evolveCase(state, { type: 'CaseApplied', data: { ...a, recordedAt: d.now } });
      dated(state, 'applied', a.appliedOn, d.now);
      dated(s, 'decided', m.decisionDate, d.now);
      const events: CaseEvent[] = [
        { type: 'CaseApplied', data: { ...a, recordedAt: d.now } },
        { type: 'DecisionMigrated', data: { ...m, recordedAt: d.now } },
      ];
      s = evolveCase(s, events[1]!);
      for (const p of d.payments) {
        dated(s, 'paid', p.paidOn, d.now);
        if (p.month > p.paidOn.slice(0, 7))
          throw new DomainRuleViolation('payment.month_not_due', `${p.month} 的救助金不能在 ${p.paidOn} 提前发放`, { month: p.month, paidOn: p.paidOn });
        const payment = { kind: 'monthly' as const, month: p.month, fen: p.fen, paidOn: p.paidOn };
        requirePayable(s.payments, payment);
        const e: CaseEvent = {
          type: 'PaymentRecorded',
          data: { caseId: a.caseId, paymentId: p.paymentId, ...payment, migrated: { fileSha256: m.source.fileSha256, row: m.source.row }, recordedAt: d.now },
        };
        events.push(e);
        s = evolveCase(s, e);
      }
      return events;
    }
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
