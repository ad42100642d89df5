import { z } from 'zod';
import { Uuid } from './visits.schemas';

/** What is due, as the schedule and caseload routes answer it. */
export const DueItemSchema = z.object({
  obligation: z.enum(['group_monthly_visit', 'household_monthly_visit', 'dynamic_review']),
  groupId: Uuid,
  villageId: Uuid,
  townId: Uuid,
  workerId: Uuid.nullable(),
  householdId: Uuid.nullable(),
  month: z.string().nullable(),
  dueDate: z.string(),
  status: z.enum(['done', 'due', 'overdue']),
  lastVisit: z.string().nullable(),
  interval: z.object({ months: z.number(), reason: z.string() }).nullable(),
});
export const ScheduleSchema = z.object({ asOf: z.string(), policyVersion: z.number().int(), items: z.array(DueItemSchema) });
export const ScheduleQuery = z.object({ worker: Uuid.optional(), village: Uuid.optional(), town: Uuid.optional() });

/** The schedule query's worker / village / town as the service's scope. */
export const scheduleScopeOf = (q: z.infer<typeof ScheduleQuery>) => ({
  ...(q.worker ? { workerId: q.worker } : {}),
  ...(q.village ? { villageId: q.village } : {}),
  ...(q.town ? { townId: q.town } : {}),
});
