import { z } from 'zod';
import { DomainRuleViolation } from '../shared/errors';
import { lastDayOf } from '../calendar/calendar-months';

/**
 * Scoring periods, named the way the committee writes them: 2023-06 (month), 2023-Q2 (quarter),
 * 2023-H1 (half year), 2023 (year). A period is an inclusive range of county days.
 */
export const PeriodKindSchema = z.enum(['month', 'quarter', 'half_year', 'year']);
export type PeriodKind = z.infer<typeof PeriodKindSchema>;

export const PeriodIdSchema = z
  .string()
  .regex(
    /^(?:19|20|21)\d{2}(-(0[1-9]|1[0-2])|-Q[1-4]|-H[12])?$/,
    'a period such as 2023-06, 2023-Q2, 2023-H1 or 2023 (years 1900–2199) / 期间应形如 2023-06、2023-Q2、2023-H1 或 2023',
  );

export interface Period {
  id: string;
  kind: PeriodKind;
  /** First day, inclusive. */
  from: string;
  /** Last day, inclusive. */
  to: string;
  /** The calendar months it covers, 'yyyy-mm', in order. */
  months: string[];
}

const pad = (n: number) => String(n).padStart(2, '0');

export function parsePeriod(id: string): Period {
  if (!PeriodIdSchema.safeParse(id).success)
    throw new DomainRuleViolation('performance.period_invalid', `${id} is not a period (2023-06, 2023-Q2, 2023-H1, 2023)`, { period: id });
  const year = Number(id.slice(0, 4));
  const rest = id.slice(5);
  const [kind, first, count]: [PeriodKind, number, number] =
    rest === ''
      ? ['year', 1, 12]
      : rest.startsWith('H')
        ? ['half_year', (Number(rest[1]) - 1) * 6 + 1, 6]
        : rest.startsWith('Q')
          ? ['quarter', (Number(rest[1]) - 1) * 3 + 1, 3]
          : ['month', Number(rest), 1];
  const months = Array.from({ length: count }, (_, i) => `${year}-${pad(first + i)}`);
  return { id, kind, from: `${months[0]}-01`, to: lastDayOf(months.at(-1)!), months };
}

/** Closed: its last day is before today, so nothing in it can still happen on time. */
export const isClosed = (period: Period, today: string) => period.to < today;

/** Days of [from, toExclusive) that fall inside [lo, hi] (inclusive), as an inclusive range or null. */
export function clip(from: string, toExclusive: string | null, lo: string, hi: string): { from: string; to: string } | null {
  const start = from > lo ? from : lo;
  const endExclusive = toExclusive && toExclusive <= hi ? toExclusive : null;
  const end = endExclusive ? previousDay(endExclusive) : hi;
  return start <= end ? { from: start, to: end } : null;
}

export function previousDay(day: string): string {
  return new Date(Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)) - 1)).toISOString().slice(0, 10);
}
