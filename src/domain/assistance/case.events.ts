import { z } from 'zod';
import { assertNever } from '../shared/decider';
import type { EventCatalog } from '../shared/event-schemas';

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
export const NeighbourInterviewRecordedSchema = z.object({ caseId: Id, interviewId: Id, on: Day, interviewee: z.string().min(1), summary: z.string(), recordedAt: At });
export const DataCheckRecordedSchema = z.object({
  caseId: Id,
  checkId: Id,
  source: z.enum(['civil_affairs', 'human_resources', 'housing', 'vehicle_registry', 'bank', 'tax', 'market_regulation', 'medical_insurance', 'education', 'disability_federation', 'other']),
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
} satisfies EventCatalog;
export const caseEvents = catalog;

type Data<K extends keyof typeof catalog> = z.infer<(typeof catalog)[K]['schema']>;
export type CaseEvent = { [K in keyof typeof catalog]: { type: K; data: Data<K> } }[keyof typeof catalog];
export type CaseDecided = Data<'CaseDecided'>;

// ── State ────────────────────────────────────────────────────────────────────
export type CaseStatus = 'none' | 'applied' | 'accepted' | 'investigating' | 'in_notice' | 'emergency_granted' | 'granted' | 'denied' | 'stopped' | 'closed';

export interface CaseState {
  status: CaseStatus;
  application: Data<'CaseApplied'> | null;
  acceptedOn: string | null;
  facts: { data: Record<string, unknown>; eventId: string | null } | null;
  investigations: (Data<'HomeInvestigationRecorded'> & { eventId: string | null })[];
  evidence: string[];
  notice: { noticeId: string; postedOn: string; endsOn: string; objected: boolean } | null;
  decisions: CaseDecided[];
  refusalNotifiedOn: string | null;
}

export const initialCaseState = (): CaseState => ({
  status: 'none',
  application: null,
  acceptedOn: null,
  facts: null,
  investigations: [],
  evidence: [],
  notice: null,
  decisions: [],
  refusalNotifiedOn: null,
});

/** `eventId` is present when folding stored events, so decisions can cite their evidence. */
export function evolveCase(state: CaseState, event: CaseEvent & { eventId?: string }): CaseState {
  const eventId = event.eventId ?? null;
  const cite = (s: CaseState) => (eventId ? { ...s, evidence: [...s.evidence, eventId] } : s);
  switch (event.type) {
    case 'CaseApplied':
      return { ...state, status: 'applied', application: event.data };
    case 'CaseAccepted':
      return { ...state, status: 'accepted', acceptedOn: event.data.acceptedOn };
    case 'ReviewDeadlineExtended':
      return state;
    case 'EconomicFactsRecorded':
      return cite({ ...state, status: inReview(state.status) ? 'investigating' : state.status, facts: { data: event.data.facts, eventId } });
    case 'HomeInvestigationRecorded':
      return cite({ ...state, status: inReview(state.status) ? 'investigating' : state.status, investigations: [...state.investigations, { ...event.data, eventId }] });
    case 'NeighbourInterviewRecorded':
    case 'DataCheckRecorded':
      return cite({ ...state, status: inReview(state.status) ? 'investigating' : state.status });
    case 'NoticePosted':
      return { ...state, status: 'in_notice', notice: { noticeId: event.data.noticeId, postedOn: event.data.postedOn, endsOn: event.data.endsOn, objected: false } };
    case 'ObjectionRecorded':
      return { ...state, status: 'investigating', notice: state.notice ? { ...state.notice, objected: true } : null };
    case 'CaseDecided': {
      const d = event.data;
      const status: CaseStatus =
        d.outcome === 'denied' ? 'denied' : d.outcome === 'stopped' ? 'stopped' : d.kind === 'emergency_grant' ? 'emergency_granted' : d.payment?.kind === 'one_off' ? 'closed' : 'granted';
      return { ...state, status, decisions: [...state.decisions, d] };
    }
    case 'RefusalNotified':
      return { ...state, refusalNotifiedOn: event.data.on };
    default:
      return assertNever(event);
  }
}

const inReview = (s: CaseStatus) => s === 'accepted' || s === 'investigating';

export const caseStreamId = (caseId: string) => `case-${caseId}`;
