import { z } from 'zod';
import { assertNever } from '../shared/decider';
import type { EventCatalog } from '../shared/event-schemas';
import { emptyLedger, ledgerAfterDecision, ledgerAfterPayment, type PaymentLedger } from './case-payments';
import { withStep, type CaseStep, type StepDates } from './case-dates';

/**
 * One stream per application (case). Every step is an event; a decision event carries all an
 * auditor needs to re-run it: the facts, the policy version and its hash, every rule's result,
 * the amount and its computation, who decided, and the evidence it relied on.
 */
const Day = z.iso.date();
const At = z.string().datetime();
const Id = z.string().uuid();

export const ProgramSchema = z.enum(['dibao', 'tekun', 'temporary', 'unsupported_child', 'orphan']);
export type Program = z.infer<typeof ProgramSchema>;
export const ChannelSchema = z.enum(['self', 'proactive', 'emergency']);

export const RelativeOfSchema = z.object({
  kind: z.enum(['social_worker', 'village_cadre']),
  workerId: Id.nullable(),
  name: z.string().min(1),
  relation: z.string().min(1),
});

export const CaseAppliedSchema = z.object({
  caseId: Id,
  program: ProgramSchema,
  householdId: Id,
  applicantPersonId: Id,
  groupId: Id,
  villageId: Id,
  townId: Id,
  channel: ChannelSchema,
  trigger: z.object({ kind: z.enum(['visit', 'finding']), id: z.string().min(1) }).nullable(),
  /** The worker who started it on the household's behalf (政策找人), if any. */
  startedByWorkerId: Id.nullable(),
  /** 单独登记备案: a relative of a social worker or village cadre. */
  relativeOf: RelativeOfSchema.nullable(),
  appliedOn: Day,
  recordedAt: At,
});
export const CaseAcceptedSchema = z.object({ caseId: Id, acceptedOn: Day, reviewDueOn: Day, recordedAt: At });
export const ReviewDeadlineExtendedSchema = z.object({ caseId: Id, reason: z.string().min(1), reviewDueOn: Day, recordedAt: At });
export const EconomicFactsRecordedSchema = z.object({ caseId: Id, facts: z.record(z.string(), z.unknown()), recordedOn: Day, recordedAt: At });
export const HomeInvestigationRecordedSchema = z.object({
  caseId: Id,
  investigationId: Id,
  investigatorIds: z.array(Id).min(2),
  level: z.enum(['town', 'county']),
  on: Day,
  findings: z.string(),
  recordedAt: At,
});
export const NeighbourInterviewRecordedSchema = z.object({
  caseId: Id,
  interviewId: Id,
  on: Day,
  interviewee: z.string().min(1),
  summary: z.string(),
  recordedAt: At,
});
/** The departments whose data an information check is made against. */
export const DataCheckSourceSchema = z.enum([
  'civil_affairs',
  'human_resources',
  'housing',
  'vehicle_registry',
  'bank',
  'tax',
  'market_regulation',
  'medical_insurance',
  'education',
  'disability_federation',
  'other',
]);
export const DataCheckRecordedSchema = z.object({
  caseId: Id,
  checkId: Id,
  source: DataCheckSourceSchema,
  checkedOn: Day,
  result: z.string().min(1),
  discrepancy: z.boolean(),
  recordedAt: At,
});
export const NoticePostedSchema = z.object({ caseId: Id, noticeId: Id, postedOn: Day, endsOn: Day, confirmationDueOn: Day, recordedAt: At });
export const ObjectionRecordedSchema = z.object({ caseId: Id, noticeId: Id, on: Day, summary: z.string().min(1), recordedAt: At });

export const PaymentSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('monthly'), monthlyFen: z.int().positive(), from: Day }),
  z.object({ kind: z.literal('one_off'), fen: z.int().positive(), on: Day }),
]);

export const CaseDecidedSchema = z.object({
  caseId: Id,
  decisionId: Id,
  kind: z.enum(['initial', 'emergency_grant', 'emergency_completion', 'review']),
  decisionDate: Day,
  outcome: z.enum(['granted', 'denied', 'continued', 'adjusted', 'stopped']),
  program: ProgramSchema,
  /** The facts the rules ran on, verbatim. */
  facts: z.record(z.string(), z.unknown()),
  policy: z.object({ id: z.string(), contentHash: z.string().length(64) }),
  /** evaluateEligibility's whole result: rules with reasons, outcome, amount and computation. */
  eligibility: z.record(z.string(), z.unknown()),
  payment: PaymentSchema.nullable(),
  /** Monthly payments end before this day (a stop). */
  paymentsEndOn: Day.nullable(),
  writtenReasons: z.string(),
  decidedBy: z.object({ actorId: z.string(), role: z.string() }),
  /** Event ids of the investigations, interviews, data checks and facts relied on. */
  evidence: z.array(z.string()),
  refusalNoticeDueOn: Day.nullable(),
  paperworkDueOn: Day.nullable(),
  nextReviewDueOn: Day.nullable(),
  /** 分类施保 class, 特困 care grade or orphan placement the decision applied (policy versions that define them). */
  category: z.object({ kind: z.enum(['dibao_class', 'care_grade', 'orphan_placement']), code: z.string(), label: z.string() }).optional(),
  recordedAt: At,
});
export const RefusalNotifiedSchema = z.object({ caseId: Id, on: Day, recordedAt: At });

/** A town's social worker submits the prepared case (报送) to the county for checking. */
export const CaseSubmittedSchema = z.object({ caseId: Id, submittedOn: Day, submittedBy: z.object({ actorId: z.string(), role: z.string() }), recordedAt: At });
/** The county worker's check (审核把关): forwarded to the confirming authority, or returned to the town with reasons. */
export const CaseCheckedSchema = z.object({
  caseId: Id,
  checkedOn: Day,
  result: z.enum(['forwarded', 'returned']),
  reasons: z.string(),
  checkedBy: z.object({ actorId: z.string(), role: z.string() }),
  recordedAt: At,
});
/** Money that went out: a month of a monthly amount, or (part of) a one-off grant. */
export const PaymentRecordedSchema = z.object({
  caseId: Id,
  paymentId: Id,
  kind: z.enum(['monthly', 'one_off']),
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
    .nullable(),
  fen: z.int().positive(),
  paidOn: Day,
  /** Set when the payment was taken over from the county's existing roll. */
  migrated: z.object({ fileSha256: z.string().length(64), row: z.int().min(1) }).nullable(),
  recordedAt: At,
});
/**
 * A decision taken before this service existed, taken over from the county's existing roll: it
 * cannot be re-run (no recorded facts, no policy version here), so it says where it came from.
 */
export const DecisionMigratedSchema = z.object({
  caseId: Id,
  decisionId: Id,
  program: ProgramSchema,
  decisionDate: Day,
  payment: z.object({ kind: z.literal('monthly'), monthlyFen: z.int().positive(), from: Day }),
  /** Optional classification fields of the roll (分类施保 class, care grade…), kept verbatim. */
  classification: z.record(z.string(), z.string()).nullable(),
  persons: z.int().min(1).nullable(),
  nextReviewDueOn: Day.nullable(),
  source: z.object({ importId: Id, fileSha256: z.string().length(64), row: z.int().min(1), reason: z.string().min(1) }),
  recordedAt: At,
});

const catalog = {
  CaseApplied: { schema: CaseAppliedSchema, version: 1 },
  CaseAccepted: { schema: CaseAcceptedSchema, version: 1 },
  ReviewDeadlineExtended: { schema: ReviewDeadlineExtendedSchema, version: 1 },
  EconomicFactsRecorded: { schema: EconomicFactsRecordedSchema, version: 1 },
  HomeInvestigationRecorded: { schema: HomeInvestigationRecordedSchema, version: 1 },
  NeighbourInterviewRecorded: { schema: NeighbourInterviewRecordedSchema, version: 1 },
  DataCheckRecorded: { schema: DataCheckRecordedSchema, version: 1 },
  NoticePosted: { schema: NoticePostedSchema, version: 1 },
  ObjectionRecorded: { schema: ObjectionRecordedSchema, version: 1 },
  CaseDecided: { schema: CaseDecidedSchema, version: 1 },
  RefusalNotified: { schema: RefusalNotifiedSchema, version: 1 },
  CaseSubmitted: { schema: CaseSubmittedSchema, version: 1 },
  CaseChecked: { schema: CaseCheckedSchema, version: 1 },
  PaymentRecorded: { schema: PaymentRecordedSchema, version: 1 },
  DecisionMigrated: { schema: DecisionMigratedSchema, version: 1 },
} satisfies EventCatalog;
export const caseEvents = catalog;

type Data<K extends keyof typeof catalog> = z.infer<(typeof catalog)[K]['schema']>;
export type CaseEvent = { [K in keyof typeof catalog]: { type: K; data: Data<K> } }[keyof typeof catalog];
export type CaseDecided = Data<'CaseDecided'>;
export type DecisionMigrated = Data<'DecisionMigrated'>;
export type PaymentRecorded = Data<'PaymentRecorded'>;

// ── State ────────────────────────────────────────────────────────────────────
/** Every status a case can be in (the read model's update maps each through caseStatusAfter). */
export const CASE_STATUSES = [
  'none',
  'applied',
  'accepted',
  'investigating',
  'in_notice',
  'submitted',
  'checked',
  'returned',
  'emergency_granted',
  'granted',
  'denied',
  'stopped',
  'closed',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** Statuses in which the case is finished: the household may apply again for the program. */
export const FINISHED_STATUSES: readonly CaseStatus[] = ['denied', 'stopped', 'closed'];

export interface CaseState {
  status: CaseStatus;
  application: Data<'CaseApplied'> | null;
  acceptedOn: string | null;
  facts: { data: Record<string, unknown>; eventId: string | null } | null;
  investigations: (Data<'HomeInvestigationRecorded'> & { eventId: string | null })[];
  evidence: string[];
  notice: { noticeId: string; postedOn: string; endsOn: string; objected: boolean } | null;
  /** An objection sends the case back to investigation: a new notice needs an investigation step after it. */
  reinvestigationDue: boolean;
  decisions: CaseDecided[];
  migrated: DecisionMigrated | null;
  refusalNotifiedOn: string | null;
  /** The latest date of each dated step, for "dates that follow each other". */
  dates: StepDates;
  payments: PaymentLedger;
  lastReturn: { on: string; reasons: string } | null;
}

export const initialCaseState = (): CaseState => ({
  status: 'none',
  application: null,
  acceptedOn: null,
  facts: null,
  investigations: [],
  evidence: [],
  notice: null,
  reinvestigationDue: false,
  decisions: [],
  migrated: null,
  refusalNotifiedOn: null,
  dates: {},
  payments: emptyLedger(),
  lastReturn: null,
});

const inReview = (s: CaseStatus) => s === 'accepted' || s === 'investigating' || s === 'returned';

/**
 * The case's status after an event: the one rule the decider's fold and the read model share
 * (the projection calls it with the stored status), so they cannot disagree.
 */
export function caseStatusAfter(status: CaseStatus, event: CaseEvent): CaseStatus {
  switch (event.type) {
    case 'CaseApplied':
      return 'applied';
    case 'CaseAccepted':
      return 'accepted';
    case 'ReviewDeadlineExtended':
    case 'RefusalNotified':
    case 'PaymentRecorded':
      return status;
    case 'EconomicFactsRecorded':
    case 'HomeInvestigationRecorded':
    case 'NeighbourInterviewRecorded':
    case 'DataCheckRecorded':
      return inReview(status) ? 'investigating' : status;
    case 'NoticePosted':
      return 'in_notice';
    case 'ObjectionRecorded':
      return 'investigating';
    case 'CaseSubmitted':
      return 'submitted';
    case 'CaseChecked':
      return event.data.result === 'forwarded' ? 'checked' : 'returned';
    case 'CaseDecided': {
      const d = event.data;
      if (d.outcome === 'denied') return 'denied';
      if (d.outcome === 'stopped') return 'stopped';
      if (d.kind === 'emergency_grant') return 'emergency_granted';
      // Completed emergency paperwork and any one-off grant finish the case: nothing more is due.
      if (d.kind === 'emergency_completion' || d.payment?.kind === 'one_off') return 'closed';
      return 'granted';
    }
    case 'DecisionMigrated':
      return 'granted';
    default:
      return assertNever(event);
  }
}

/** `eventId` is present when folding stored events, so decisions can cite their evidence. */
export function evolveCase(state: CaseState, event: CaseEvent & { eventId?: string }): CaseState {
  const eventId = event.eventId ?? null;
  const cite = (s: CaseState) => (eventId ? { ...s, evidence: [...s.evidence, eventId] } : s);
  const next: CaseState = { ...state, status: caseStatusAfter(state.status, event) };
  const dated = (s: CaseState, step: CaseStep, on: string): CaseState => ({ ...s, dates: withStep(s.dates, step, on) });
  const investigated = (s: CaseState, on: string): CaseState => dated({ ...s, reinvestigationDue: false }, 'investigated', on);
  switch (event.type) {
    case 'CaseApplied':
      return dated({ ...next, application: event.data }, 'applied', event.data.appliedOn);
    case 'CaseAccepted':
      return dated({ ...next, acceptedOn: event.data.acceptedOn }, 'accepted', event.data.acceptedOn);
    case 'ReviewDeadlineExtended':
      return next;
    case 'EconomicFactsRecorded':
      return cite(investigated({ ...next, facts: { data: event.data.facts, eventId } }, event.data.recordedOn));
    case 'HomeInvestigationRecorded':
      return cite(investigated({ ...next, investigations: [...state.investigations, { ...event.data, eventId }] }, event.data.on));
    case 'NeighbourInterviewRecorded':
      return cite(investigated(next, event.data.on));
    case 'DataCheckRecorded':
      return cite(investigated(next, event.data.checkedOn));
    case 'NoticePosted':
      return dated(
        { ...next, notice: { noticeId: event.data.noticeId, postedOn: event.data.postedOn, endsOn: event.data.endsOn, objected: false } },
        'noticed',
        event.data.postedOn,
      );
    case 'ObjectionRecorded':
      return dated({ ...next, reinvestigationDue: true, notice: state.notice ? { ...state.notice, objected: true } : null }, 'objected', event.data.on);
    case 'CaseSubmitted':
      return dated(next, 'submitted', event.data.submittedOn);
    case 'CaseChecked':
      return dated(
        { ...next, lastReturn: event.data.result === 'returned' ? { on: event.data.checkedOn, reasons: event.data.reasons } : state.lastReturn },
        'checked',
        event.data.checkedOn,
      );
    case 'CaseDecided': {
      const d = event.data;
      return dated(
        { ...next, decisions: [...state.decisions, d], payments: ledgerAfterDecision(state.payments, d) },
        d.kind === 'review' ? 'reviewed' : 'decided',
        d.decisionDate,
      );
    }
    case 'DecisionMigrated': {
      const d = event.data;
      const withDecision = dated(
        { ...next, migrated: d, payments: ledgerAfterDecision(state.payments, { decisionId: d.decisionId, payment: d.payment, paymentsEndOn: null }) },
        'decided',
        d.decisionDate,
      );
      return withDecision;
    }
    case 'PaymentRecorded':
      return dated({ ...next, payments: ledgerAfterPayment(state.payments, event.data) }, 'paid', event.data.paidOn);
    case 'RefusalNotified':
      return dated({ ...next, refusalNotifiedOn: event.data.on }, 'notified', event.data.on);
    default:
      return assertNever(event);
  }
}

export const caseStreamId = (caseId: string) => `case-${caseId}`;
