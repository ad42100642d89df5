import { z } from 'zod';
import { DataCheckSourceSchema } from '../../../domain/assistance/case.events';
import { Day, OpenObject, Uuid } from './assistance.schemas';

/** The bodies of the steps a case goes through (POST /api/v1/cases/:id/<step>). */
export const AcceptBody = z.object({ acceptedOn: Day.optional() });
export const ExtendReviewBody = z.object({ reason: z.string().trim().min(1).max(1000) });
export const FactsBody = z.object({ facts: OpenObject });
export const HomeInvestigationBody = z.object({ investigatorIds: z.array(Uuid).min(2).max(10), on: Day, findings: z.string().max(5000).default('') });
export const NeighbourInterviewBody = z.object({ on: Day, interviewee: z.string().trim().min(1).max(100), summary: z.string().max(5000).default('') });
export const DataCheckBody = z.object({
  source: DataCheckSourceSchema,
  checkedOn: Day,
  result: z.string().trim().min(1).max(2000),
  discrepancy: z.boolean().default(false),
});
export const NoticeBody = z.object({ postedOn: Day.optional() });
export const ObjectionBody = z.object({ on: Day, summary: z.string().trim().min(1).max(5000) });
/** Decide, complete an emergency case, review: the rules run, the worker adds written reasons. */
export const ReasonsBody = z.object({ writtenReasons: z.string().max(5000).optional() });
export const EmergencyGrantBody = ReasonsBody.extend({ facts: OpenObject });
export const RefusalNoticeBody = z.object({ on: Day.optional() });
