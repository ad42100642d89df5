import { dayIn } from '../shared/county-day';
import { DomainRuleViolation } from '../shared/errors';

/**
 * Dates that follow each other: every dated step of a case is no earlier than the step it
 * follows and no later than the county's today. The steps, in the order the procedure runs:
 */
export const CASE_STEPS = [
  'applied',
  'accepted',
  'investigated',
  'noticed',
  'objected',
  'submitted',
  'checked',
  'decided',
  'notified',
  'paid',
  'reviewed',
] as const;
export type CaseStep = (typeof CASE_STEPS)[number];

export const STEP_LABELS: Record<CaseStep, string> = {
  applied: '申请',
  accepted: '受理',
  investigated: '调查核实',
  noticed: '公示',
  objected: '异议',
  submitted: '报送',
  checked: '审核把关',
  decided: '审核确认',
  notified: '书面告知',
  paid: '发放',
  reviewed: '动态复核',
};

/** Which earlier steps each step may not precede (those recorded on the case are compared). */
export const FOLLOWS: Record<CaseStep, readonly CaseStep[]> = {
  applied: [],
  accepted: ['applied'],
  // Emergency cases are investigated after the grant, without an acceptance step first.
  investigated: ['applied', 'accepted'],
  noticed: ['accepted', 'investigated'],
  objected: ['noticed'],
  submitted: ['investigated', 'noticed'],
  checked: ['submitted'],
  decided: ['applied', 'accepted', 'investigated', 'noticed', 'checked'],
  notified: ['decided'],
  paid: ['decided'],
  reviewed: ['decided', 'paid'],
};

/** The latest date recorded for each step so far. */
export type StepDates = Partial<Record<CaseStep, string>>;

export const withStep = (dates: StepDates, step: CaseStep, on: string): StepDates => (dates[step] && dates[step] >= on ? dates : { ...dates, [step]: on });

/**
 * The county's today (yyyy-mm-dd in Asia/Shanghai, where the county's days are stated) of the
 * command's instant: the command carries `now`, the domain reads no clock.
 */
export function countyDayOf(nowIso: string, timeZone = 'Asia/Shanghai'): string {
  return dayIn(new Date(nowIso), timeZone);
}

/** Refuses a step dated after today or before a step it follows. */
export function requireStepDate(dates: StepDates, step: CaseStep, on: string, nowIso: string): void {
  const today = countyDayOf(nowIso);
  if (on > today) {
    throw new DomainRuleViolation('case.date_in_future', `${STEP_LABELS[step]}日期 ${on} 晚于今天 ${today}`, { step, on, today });
  }
  for (const before of FOLLOWS[step]) {
    const earlier = dates[before];
    if (earlier && on < earlier) {
      throw new DomainRuleViolation('case.date_before_previous_step', `${STEP_LABELS[step]}日期 ${on} 早于${STEP_LABELS[before]}日期 ${earlier}`, {
        step,
        on,
        previousStep: before,
        previousOn: earlier,
      });
    }
  }
}
