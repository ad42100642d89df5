import { z } from 'zod';
import { Day } from './assistance.schemas';

/** No body, or {}, replays everything. */
export const ReplayBody = z
  .object({ from: Day.optional(), to: Day.optional() })
  .refine((r) => !r.from || !r.to || r.from <= r.to, { message: 'from 不能晚于 to', path: ['to'] })
  .nullish();

const Month = z.string().regex(/^\d{4}-\d{2}$/);
export const MonthRangeQuery = z.object({ from: Month, to: Month });
