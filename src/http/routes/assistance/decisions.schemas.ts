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

/**
 * A row of the decision list (issue 20): what the list shows and filters by. The facts, every
 * rule with its reasons and the computation are on GET /decisions/{id}.
 */
export const DecisionSummarySchema = z
  .object({
    decisionId: Uuid.describe('决定编号（UUID）/ decision id (UUID)'),
    caseId: Uuid,
    eventId: Uuid,
    kind: z.string().describe('决定类型：initial 初次、emergency_grant 急难先行、emergency_completion 急难补办、review 复核、migrated 迁移 / kind of decision'),
    program: z.string().describe('救助项目（代码，见 /api/v1/vocabularies 的 program）/ assistance program (code)'),
    decisionDate: Day.describe('决定日期 / date of the decision'),
    outcome: z.string(),
    townId: Uuid,
    villageId: Uuid,
    groupId: Uuid.nullable(),
    householdId: Uuid.nullable(),
    decidedBy: z.object({ actorId: z.string().describe('决定人编号（令牌 sub）/ who decided (token sub)'), role: z.string() }),
    policy: z
      .object({ id: z.string(), contentHash: z.string() })
      .describe('政策版本；迁移的决定为 legacy-roll 及其文件哈希 / policy version; legacy-roll and its file hash for a migrated one'),
    payment: z.record(z.string(), z.unknown()).nullable().describe('决定的给付（按月或一次性），无则为 null / the payment decided, or null'),
    monthlyFen: z.number().int().nullable().describe('每月金额（分）/ monthly amount in fen'),
    oneOffFen: z.number().int().nullable().describe('一次性金额（分）/ one-off amount in fen'),
    recordedAt: z.string(),
    personalDataMasked: z.boolean(),
  })
  .meta({ id: 'DecisionSummary' });
