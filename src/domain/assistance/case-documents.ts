import { z } from 'zod';
import { maskName } from '../shared/national-id';
import type { CaseDecided, CaseEvent, Program } from './case.events';

/**
 * The printable documents of a case, built from its recorded events only: the 公示 notice of a
 * 低保 application, the decision letter (救助决定书) and the refusal notice (不予救助通知书). Pure:
 * the caller reads the streams (the case's, its household's, its village's and town's) and
 * passes what they say; nothing here reads a read model or the clock.
 */
export const DocumentKindSchema = z.enum(['notice', 'decision', 'refusal']).describe('notice: 公示 (低保 only); decision: 救助决定书; refusal: 不予救助通知书');
export type DocumentKind = z.infer<typeof DocumentKindSchema>;

export const DOCUMENT_TITLES: Record<DocumentKind, string> = { notice: '最低生活保障公示', decision: '救助决定书', refusal: '不予救助通知书' };

export const PROGRAM_NAMES: Record<Program, string> = {
  dibao: '最低生活保障',
  tekun: '特困人员救助供养',
  temporary: '临时救助',
  unsupported_child: '事实无人抚养儿童基本生活保障',
  orphan: '孤儿基本生活保障',
};

/** What the other streams say, as of the moment the document speaks of. */
export interface DocumentContext {
  /** The applicant's name in the household stream (null when the person is no longer there). */
  applicantName: string | null;
  /** Members of the household in its stream. */
  householdMembers: number;
  townName: string;
  villageName: string;
}

export type CaseDocument =
  | {
      kind: 'notice';
      caseId: string;
      noticeId: string;
      program: Program;
      /** Masked as the village board shows it (张*, 欧阳**明): recognisable to neighbours, not a full identity. */
      applicantName: string;
      /** 共同生活的家庭成员 the investigation established (the facts), else the household stream's count. */
      members: number;
      townName: string;
      villageName: string;
      postedOn: string;
      endsOn: string;
    }
  | (DecisionLetterBase & {
      kind: 'decision';
      payment: { kind: 'monthly'; fen: number; from: string } | { kind: 'one_off'; fen: number; on: string };
      computation: string | null;
      category: string | null;
      nextReviewDueOn: string | null;
    })
  | (DecisionLetterBase & { kind: 'refusal' });

/** What the decision letter and the refusal notice both state: the case, the applicant, the decision and its reasons. */
interface DecisionLetterBase {
  caseId: string;
  decisionId: string;
  program: Program;
  applicantName: string;
  townName: string;
  villageName: string;
  appliedOn: string;
  decisionDate: string;
  policyId: string;
  /** Each rule's reason as recorded (for a refusal: the rules that failed). */
  reasons: string[];
  writtenReasons: string;
}

/** Why a document cannot be made: the kind does not exist for this case, or not yet. */
export type DocumentUnavailable = { unavailable: 'not_applicable' | 'not_yet'; reason: string };

/** The parts of the recorded eligibility result a letter cites (stored as plain JSON). */
const RecordedEligibilitySchema = z.object({
  rules: z.array(z.object({ id: z.string(), passed: z.boolean(), reason: z.object({ zh: z.string() }) })).default([]),
  amount: z.object({ computation: z.object({ zh: z.string() }) }).optional(),
});

const GRANTING: ReadonlySet<CaseDecided['outcome']> = new Set(['granted', 'continued', 'adjusted']);

/**
 * The position in the case stream of the event a document speaks from (the last notice posted,
 * the last decision that granted money, the last refusal), or -1: the caller reads the other
 * streams as of that event, so a later rename or move does not rewrite a document already issued.
 */
export function documentSourceIndex(kind: DocumentKind, events: readonly CaseEvent[]): number {
  const matches = (e: CaseEvent) => {
    if (kind === 'notice') return e.type === 'NoticePosted';
    if (e.type !== 'CaseDecided') return false;
    return kind === 'decision' ? GRANTING.has(e.data.outcome) && e.data.payment !== null : e.data.outcome === 'denied';
  };
  for (let i = events.length - 1; i >= 0; i--) if (matches(events[i]!)) return i;
  return -1;
}

export function caseDocument(kind: DocumentKind, events: readonly CaseEvent[], context: DocumentContext): CaseDocument | DocumentUnavailable {
  const applied = events.find((e) => e.type === 'CaseApplied');
  if (!applied || applied.type !== 'CaseApplied') return { unavailable: 'not_yet', reason: '案件尚未申请' };
  const a = applied.data;
  const place = { townName: context.townName, villageName: context.villageName };
  const name = context.applicantName ?? '（申请人已不在户内）';
  const source = documentSourceIndex(kind, events);
  const sourceEvent = source === -1 ? undefined : events[source];

  if (kind === 'notice') {
    if (a.program !== 'dibao') return { unavailable: 'not_applicable', reason: '公示文书仅适用于最低生活保障案件' };
    const last = sourceEvent;
    if (last?.type !== 'NoticePosted') return { unavailable: 'not_yet', reason: '该案件尚未公示' };
    // The facts as they stood when the notice was posted: the last recorded before it.
    const upToNotice = events.slice(0, source);
    const facts = upToNotice.flatMap((e) => (e.type === 'EconomicFactsRecorded' ? [e.data.facts] : [])).at(-1);
    const factMembers = Array.isArray(facts?.['members']) ? facts['members'].length : 0;
    return {
      kind: 'notice',
      caseId: a.caseId,
      noticeId: last.data.noticeId,
      program: a.program,
      applicantName: context.applicantName ? maskName(context.applicantName) : '***',
      members: factMembers || context.householdMembers,
      ...place,
      postedOn: last.data.postedOn,
      endsOn: last.data.endsOn,
    };
  }

  if (kind === 'decision') {
    const d = sourceEvent?.type === 'CaseDecided' ? sourceEvent.data : undefined;
    if (!d?.payment) return { unavailable: 'not_yet', reason: '该案件尚无给予救助的决定' };
    const recorded = RecordedEligibilitySchema.safeParse(d.eligibility);
    return {
      kind: 'decision',
      caseId: a.caseId,
      decisionId: d.decisionId,
      program: d.program,
      applicantName: name,
      ...place,
      appliedOn: a.appliedOn,
      decisionDate: d.decisionDate,
      policyId: d.policy.id,
      payment:
        d.payment.kind === 'monthly'
          ? { kind: 'monthly', fen: d.payment.monthlyFen, from: d.payment.from }
          : { kind: 'one_off', fen: d.payment.fen, on: d.payment.on },
      computation: recorded.success ? (recorded.data.amount?.computation.zh ?? null) : null,
      category: d.category?.label ?? null,
      reasons: recorded.success ? recorded.data.rules.map((r) => r.reason.zh) : [],
      writtenReasons: d.writtenReasons,
      nextReviewDueOn: d.nextReviewDueOn,
    };
  }

  const d = sourceEvent?.type === 'CaseDecided' ? sourceEvent.data : undefined;
  if (!d) return { unavailable: 'not_yet', reason: '该案件尚无不予救助的决定' };
  const recorded = RecordedEligibilitySchema.safeParse(d.eligibility);
  const failed = recorded.success ? recorded.data.rules.filter((r) => !r.passed).map((r) => r.reason.zh) : [];
  return {
    kind: 'refusal',
    caseId: a.caseId,
    decisionId: d.decisionId,
    program: d.program,
    applicantName: name,
    ...place,
    appliedOn: a.appliedOn,
    decisionDate: d.decisionDate,
    policyId: d.policy.id,
    reasons: failed,
    writtenReasons: d.writtenReasons,
  };
}

/** 2023-06-08 → 2023年6月8日 */
export function chineseDate(isoDay: string): string {
  const [y, m, d] = isoDay.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}
