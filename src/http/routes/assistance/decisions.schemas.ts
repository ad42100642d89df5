import { z } from 'zod';
import { ProgramSchema } from '../../../domain/assistance/case.events';
import { CsvLangSchema } from '../../csv';
import { Day, Uuid } from './assistance.schemas';

/** Filters of the decision list and export (GET /api/v1/decisions, /decisions/export). */
export const DecisionQuery = z.object({
  program: ProgramSchema.optional(),
  town: Uuid.optional(),
  village: Uuid.optional(),
  outcome: z.enum(['granted', 'denied', 'continued', 'adjusted', 'stopped']).optional(),
  decidedBy: z.string().max(100).optional(),
  from: Day.optional(),
  to: Day.optional(),
  case: Uuid.optional(),
});

export const DecisionExportQuery = DecisionQuery.extend({ format: z.enum(['csv', 'jsonl']).default('jsonl'), lang: CsvLangSchema });

/** The query's names → the service's filter (town → townId …), leaving out what was not asked. */
export const decisionFilterOf = (q: z.infer<typeof DecisionQuery>) => ({
  ...(q.program ? { program: q.program } : {}),
  ...(q.town ? { townId: q.town } : {}),
  ...(q.village ? { villageId: q.village } : {}),
  ...(q.outcome ? { outcome: q.outcome } : {}),
  ...(q.decidedBy ? { decidedBy: q.decidedBy } : {}),
  ...(q.from ? { from: q.from } : {}),
  ...(q.to ? { to: q.to } : {}),
  ...(q.case ? { caseId: q.case } : {}),
});
