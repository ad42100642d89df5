import { z } from 'zod';
import { OutcomeSchema } from '../../../domain/performance/assessment.events';
import { PeriodIdSchema } from '../../../domain/performance/period';

/** Response shapes. Scores are integers in hundredths of a point (8750 = 87.50). */
const Uuid = z.string().uuid();
const Hundredths = z.number().int().nullable().describe('得分，以百分之一分计：8750 = 87.50 / hundredths of a point: 8750 = 87.50');

const EvidenceSchema = z.object({
  kind: z.string(),
  id: z.string(),
  date: z.string(),
  met: z.boolean(),
  by: z.object({ id: z.string(), date: z.string() }).nullable().optional(),
  amount: z.number().int().optional(),
});
// applicable/effectiveWeightBp/notApplicable/notes are optional: scores published before they existed lack them.
const EffectiveWeight = z
  .number()
  .int()
  .optional()
  .describe('去掉不适用的部分后此项所占权重（万分比） / share of the weights that count after not-applicable parts were left out, in basis points');
const DimensionSchema = z.object({
  weight: z.number().int(),
  score: Hundredths,
  source: z.enum(['committee', 'metrics']),
  assessment: z.object({ assessmentId: Uuid, revision: z.number().int() }).nullable(),
  applicable: z.boolean().optional(),
  effectiveWeightBp: EffectiveWeight,
});
const NotApplicableSchema = z.object({ code: z.string(), zh: z.string(), en: z.string() });

const MetricScoreFields = {
  key: z.string(),
  weight: z.number().int(),
  met: z.number().int(),
  total: z.number().int(),
  score: Hundredths,
  applicable: z.boolean().optional(),
  notApplicable: NotApplicableSchema.nullable().optional(),
  effectiveWeightBp: EffectiveWeight,
};
const scoreOf = <M extends z.ZodType>(metric: M) =>
  z.object({
    workerId: Uuid,
    name: z.string(),
    level: z.string(),
    townId: Uuid.nullable(),
    status: z.enum(['rated', 'awaiting_assessment']),
    metrics: z.array(metric),
    dimensions: z.object({ discipline: DimensionSchema, attitude: DimensionSchema, knowledge: DimensionSchema, task_completion: DimensionSchema }),
    total: Hundredths,
    rating: z.enum(['优秀', '合格', '不合格']).nullable(),
    ratingCapped: z.boolean(),
    rank: z.object({ town: z.number().int().nullable(), county: z.number().int().nullable() }),
    notes: z
      .array(z.object({ zh: z.string(), en: z.string() }))
      .optional()
      .describe('不适用的项及其权重去向 / what did not apply and where its weight went'),
  });

/** One worker's score with the facts behind each metric (the explanation: GET /performance/{id}). */
export const WorkerScoreSchema = scoreOf(z.object({ ...MetricScoreFields, evidence: z.array(EvidenceSchema) })).meta({ id: 'WorkerScore' });

/**
 * A worker on the score sheet (GET /performance, since issue 20): the values of WorkerScore,
 * with each metric's `evidence` list replaced by `evidenceCount`, and without the explanation in
 * words (`notes`, the not-applicable texts: what the committee reads per worker, on the
 * one-worker view; the CSV keeps them). The facts themselves are on
 * GET /performance/{period}/workers/{workerId}/metrics/{metric}/evidence (paged) and in the
 * one-worker view; the sheet of a county no longer ships every worker's facts (10.9 MB).
 */
export const SheetScoreSchema = scoreOf(
  z.object({
    ...MetricScoreFields,
    // The code only: the words are in the one-worker view (the sheet of a county stays under 200 KB).
    notApplicable: NotApplicableSchema.pick({ code: true }).nullable().optional(),
    evidenceCount: z
      .number()
      .int()
      .describe(
        'met/total 所依据的事实数；事实本身见 GET /performance/{period}/workers/{workerId}/metrics/{metric}/evidence / how many facts stand behind met/total; the facts are on GET /performance/{period}/workers/{workerId}/metrics/{metric}/evidence',
      ),
  }),
).meta({ id: 'SheetScore' });

export const EvidencePageSchema = z.object({
  period: z.string(),
  workerId: Uuid,
  metric: z.string(),
  source: z.enum(['published', 'live']),
  total: z.number().int().describe("此指标的事实总数（即考核表的 evidenceCount） / facts behind this metric in all (the sheet's evidenceCount)"),
  items: z.array(EvidenceSchema).describe("按固定顺序：日期、种类、ID / in the explanation's fixed order: day, kind, id"),
  nextCursor: z.string().nullable(),
});

const ViewMeta = {
  period: z.string(),
  source: z.enum(['published', 'live']),
  policyVersion: z.number().int(),
  asOf: z.string(),
  publication: z.object({ revision: z.number().int(), eventId: Uuid, publishedBy: z.string(), publishedAt: z.string() }).nullable(),
};
export const ScoresViewSchema = z.object({
  ...ViewMeta,
  items: z
    .array(SheetScoreSchema)
    .describe(
      '本期在职的每名社工；事实只给数量，明细另行查询 / every worker employed in the period; evidence as counts (since issue 20), the facts on drill-down',
    ),
});

const AssessmentSchema = z.object({
  assessmentId: Uuid,
  eventId: Uuid,
  workerId: Uuid,
  period: z.string(),
  revision: z.number().int(),
  scores: z.object({ discipline: z.number().int(), attitude: z.number().int(), knowledge: z.number().int() }),
  comments: z.object({ discipline: z.string(), attitude: z.string(), knowledge: z.string() }),
  correctionReason: z.string().nullable(),
  assessedBy: z.string(),
  recordedAt: z.string(),
});
const OutcomeRowSchema = z.object({
  outcomeId: Uuid,
  eventId: Uuid,
  workerId: Uuid,
  period: z.string(),
  outcome: z.string(),
  note: z.string(),
  decidedBy: z.string(),
  recordedAt: z.string(),
});
export const HistorySchema = z.object({ period: z.string(), assessments: z.array(AssessmentSchema), outcomes: z.array(OutcomeRowSchema) });
export const WorkerViewSchema = z.object({
  ...ViewMeta,
  score: WorkerScoreSchema,
  assessments: z.array(AssessmentSchema),
  outcomes: z.array(OutcomeRowSchema),
});

const Score = z.number().int().min(0).max(100);
export const AssessmentBody = z.object({
  workerId: Uuid,
  period: PeriodIdSchema,
  scores: z.object({ discipline: Score, attitude: Score, knowledge: Score }),
  comments: z
    .object({ discipline: z.string().max(2000), attitude: z.string().max(2000), knowledge: z.string().max(2000) })
    .partial()
    .optional(),
  correctionReason: z
    .string()
    .trim()
    .min(1)
    .max(2000)
    .nullable()
    .optional()
    .describe('更正理由：该社工本期已有评议时必填 / required when the worker already has an assessment for the period'),
});
export const OutcomeBody = z.object({ workerId: Uuid, period: PeriodIdSchema, outcome: OutcomeSchema, note: z.string().max(2000).optional() });
export const PeriodQuery = z.object({ period: PeriodIdSchema });
