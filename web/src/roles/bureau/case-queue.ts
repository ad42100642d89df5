import type { components } from '../../api/schema';

export type AssistanceCase = components['schemas']['AssistanceCase'];
/** The due dates the cases read model sends (`dueDates`; the OpenAPI types it as a string map). */
export type DueKey = 'review' | 'noticeEnds' | 'confirmation' | 'refusalNotice' | 'emergencyPaperwork' | 'nextDynamicReview';

/** The API's overdue step names (`overdue`) and the due date each one is counted from. */
const DUE_OF_OVERDUE_STEP: Record<string, DueKey> = {
  review_deadline: 'review',
  confirmation_deadline: 'confirmation',
  refusal_notice: 'refusalNotice',
  emergency_paperwork: 'emergencyPaperwork',
  dynamic_review: 'nextDynamicReview',
};

/**
 * The statutory deadlines still running in each status, as the service counts them (the OVERDUE
 * rule of the cases read model): a granted case's old review date no longer binds anyone. A denied
 * case's refusal notice is shown only once the API says it is overdue (whether it was sent is not
 * in the list answer).
 */
const RUNNING: Record<string, DueKey[]> = {
  accepted: ['review'],
  investigating: ['review'],
  in_notice: ['review', 'noticeEnds', 'confirmation'],
  submitted: ['review', 'confirmation'],
  checked: ['review', 'confirmation'],
  returned: ['review', 'confirmation'],
  emergency_granted: ['emergencyPaperwork'],
  granted: ['nextDynamicReview'],
};

/** The deadline the queue shows: the oldest overdue one, else the nearest one still running. */
export function nextDeadline(assistanceCase: AssistanceCase): { step: DueKey; due: string; overdue: boolean } | null {
  const overdue = assistanceCase.overdue.map((step) => DUE_OF_OVERDUE_STEP[step]).filter((key): key is DueKey => key !== undefined);
  const keys = overdue.length > 0 ? overdue : (RUNNING[assistanceCase.status] ?? []);
  let next: { step: DueKey; due: string; overdue: boolean } | null = null;
  for (const step of keys) {
    const due = assistanceCase.dueDates[step] ?? null;
    if (due && (!next || due < next.due)) next = { step, due, overdue: overdue.length > 0 };
  }
  return next;
}

/** A case the API counts as past a statutory deadline (its `overdue` lists the steps). */
export const isOverdue = (assistanceCase: AssistanceCase): boolean => assistanceCase.overdue.length > 0;

/**
 * The queue's order: overdue cases first, then by the nearest deadline, cases with none last;
 * ties by id so a page never reshuffles on refetch.
 */
export function orderCaseQueue(cases: readonly AssistanceCase[]): AssistanceCase[] {
  return [...cases].sort((a, b) => {
    const overdue = Number(isOverdue(b)) - Number(isOverdue(a));
    if (overdue !== 0) return overdue;
    const da = nextDeadline(a)?.due;
    const db = nextDeadline(b)?.due;
    if (da !== db) return da === undefined ? 1 : db === undefined ? -1 : da.localeCompare(db);
    return a.id.localeCompare(b.id);
  });
}

export const DEADLINE_LABEL: Record<DueKey, { zh: string; en: string }> = {
  review: { zh: '审核时限', en: 'Review' },
  noticeEnds: { zh: '公示期满', en: 'Notice ends' },
  confirmation: { zh: '审批确认时限', en: 'Confirmation' },
  refusalNotice: { zh: '不予批准告知', en: 'Refusal notice' },
  emergencyPaperwork: { zh: '急难补办手续', en: 'Emergency paperwork' },
  nextDynamicReview: { zh: '动态复核', en: 'Dynamic review' },
};
