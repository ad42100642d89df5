import { z } from 'zod';
import { DomainRuleViolation } from '../shared/errors';

/**
 * Assignments are dated by calendar day (yyyy-mm-dd, the county's local date as the user
 * states it), not by instant: "responsible from 1 March" is a day, whatever the clock says.
 * A period is half-open [from, to): the day `to` belongs to whoever comes next, so handing
 * over on day D gives the previous assignment `to = D` and the new one `from = D`, with no gap
 * and no overlap. `to = null` means open-ended. yyyy-mm-dd strings compare correctly as text.
 */
export const IsoDateSchema = z.iso.date();

export interface Period {
  from: string;
  to: string | null;
}

/** `to` before `from` is a typo, never a real assignment. */
export function assertPeriod(from: string, to: string | null | undefined): void {
  if (to != null && to < from) {
    throw new DomainRuleViolation('assignment.period_invalid', `an assignment cannot end (${to}) before it starts (${from})`, { from, to });
  }
}

export function periodsOverlap(a: Period, b: Period): boolean {
  const aEndsAfterBStarts = a.to === null || a.to > b.from;
  const bEndsAfterAStarts = b.to === null || b.to > a.from;
  return aEndsAfterBStarts && bEndsAfterAStarts;
}

/** Open on `day`, i.e. still running after it starts: the period an end date on `day` would cut. */
export const isOpenAt = (period: Period, day: string): boolean => period.from <= day && (period.to === null || period.to > day);
