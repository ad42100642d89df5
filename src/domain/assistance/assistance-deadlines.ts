import { addDays, addMonths } from '../calendar/working-days.iso-date';
import { addWorkingDays, type WorkingDayCalendar } from '../calendar/working-days';
import type { PolicyVersion } from './policy/policy-version';
import { DomainRuleViolation } from '../shared/errors';
import type { DibaoFacts, PersonFacts } from './eligibility/eligibility-facts';

/**
 * Due dates of a case's steps, from the policy version in force and its working-day calendar.
 * A due date is the last day on which the step is still on time; nothing here is stored as a
 * status: "overdue" is computed from a due date whenever it is asked (see isOverdue).
 */
export interface AssistanceDeadlines {
  /** 审核确认 within 25 (or, extended with a reason, 40) working days of acceptance. */
  reviewDueOn(acceptedOn: string, extended: boolean): string;
  /** Confirmation within 10 working days of a notice that ended without objection. */
  confirmationDueOn(noticeEndedOn: string): string;
  /** Written refusal with reasons within 3 working days of the decision. */
  refusalNoticeDueOn(decidedOn: string): string;
  /** 先行救助: paperwork completed within N working days of the emergency grant. */
  emergencyPaperworkDueOn(grantedOn: string): string;
  /**
   * Last day of the public notice: a notice posted on day D runs for the following
   * `noticePeriodDays` calendar days (the posting day is not counted, as for any legal period).
   */
  noticeEndsOn(postedOn: string): string;
}

export function assistanceDeadlines(policy: PolicyVersion, calendar: WorkingDayCalendar): AssistanceDeadlines {
  if (calendar.id !== policy.calendarId) {
    throw new DomainRuleViolation(
      'calendar.not_the_policy_calendar',
      `policy version ${policy.id} counts working days on calendar ${policy.calendarId}, not ${calendar.id}`,
      {
        policyVersionId: policy.id,
        expected: policy.calendarId,
        actual: calendar.id,
      },
    );
  }
  const d = policy.deadlines;
  return {
    reviewDueOn: (acceptedOn, extended) => addWorkingDays(calendar, acceptedOn, extended ? d.extendedReviewWorkingDays : d.reviewWorkingDays),
    confirmationDueOn: (noticeEndedOn) => addWorkingDays(calendar, noticeEndedOn, d.confirmationWorkingDays),
    refusalNoticeDueOn: (decidedOn) => addWorkingDays(calendar, decidedOn, d.refusalNoticeWorkingDays),
    emergencyPaperworkDueOn: (grantedOn) => addWorkingDays(calendar, grantedOn, d.emergencyPaperworkWorkingDays),
    noticeEndsOn: (postedOn) => addDays(postedOn, d.noticePeriodDays),
  };
}

/** Late when the step was done after its due date, or is still open and today is past it. */
export function isOverdue(dueOn: string, today: string, doneOn: string | null = null): boolean {
  return (doneOn ?? today) > dueOn;
}

/**
 * When the next dynamic review (动态复核) is due: every 6 months for a 低保 household whose
 * income is unstable and where someone can work; every 12 for stable households, households
 * nobody in which can work, and 特困 (all intervals are policy data).
 */
export type ReviewSubject = { program: 'tekun' } | { program: 'dibao'; incomeStability: 'stable' | 'unstable'; someoneCanWork: boolean };

export function reviewIntervalMonths(policy: PolicyVersion, subject: ReviewSubject): number {
  const r = policy.reviewIntervals;
  if (subject.program === 'tekun') return r.tekunMonths;
  return subject.incomeStability === 'unstable' && subject.someoneCanWork ? r.unstableAbleToWorkMonths : r.stableOrUnableToWorkMonths;
}

export function nextReviewDueOn(policy: PolicyVersion, subject: ReviewSubject, lastDecidedOn: string): string {
  return addMonths(lastDecidedOn, reviewIntervalMonths(policy, subject));
}

/** A 低保 household's review subject from its facts: anyone with full or partial labour capacity can work. */
export function dibaoReviewSubject(facts: {
  incomeStability: DibaoFacts['incomeStability'];
  members: readonly Pick<PersonFacts, 'labourCapacity'>[];
}): ReviewSubject {
  return { program: 'dibao', incomeStability: facts.incomeStability, someoneCanWork: facts.members.some((m) => m.labourCapacity !== 'none') };
}
