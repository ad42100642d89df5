import { z } from 'zod';
import { FindingCauseSchema, SeveritySchema, SourceSchema } from '../../../domain/detection/vocabulary';

const Uuid = z.string().uuid();
export const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month in YYYY-MM form');
export const BoolQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

export const ImportSchema = z
  .object({
    id: Uuid,
    source: SourceSchema,
    batchId: z.string(),
    contentHash: z.string(),
    status: z.enum(['processing', 'completed']),
    rowCount: z.number().int(),
    rowsDone: z.number().int(),
    applied: z.number().int(),
    unchanged: z.number().int(),
    rejected: z.number().int(),
    findingsRaised: z.number().int(),
    findingsEscalated: z.number().int(),
    personsFound: z.number().int(),
    policyVersion: z.number().int(),
    receivedOn: z.string(),
    importedBy: z.string(),
    startedAt: z.string(),
    completedAt: z.string().nullable(),
  })
  .meta({ id: 'DataImport' });

export const ImportResultSchema = ImportSchema.extend({
  duplicate: z.boolean().describe('为 true 时此内容已导入过，没有任何变化 / true: this content was imported before and nothing changed'),
  rejectionsUrl: z.string(),
}).meta({ id: 'DataImportResult' });

export const RejectionSchema = z.object({ row: z.number().int(), field: z.string(), message: z.string() }).meta({ id: 'DataImportRejection' });

const OutcomeViewSchema = z
  .object({
    kind: z.string(),
    on: z.string(),
    recordedBy: z.string(),
    applicationId: z.string().optional(),
    agency: z.string().optional(),
    reason: z.string().optional(),
  })
  .nullable();

export const FindingSchema = z
  .object({
    id: Uuid,
    taskId: Uuid,
    personId: Uuid,
    idNumber: z.string(),
    name: z.string(),
    cause: FindingCauseSchema,
    indicatedCauses: z.array(z.string()),
    severity: SeveritySchema,
    raisedOn: z.string(),
    matched: z.boolean(),
    householdId: Uuid.nullable(),
    groupId: Uuid.nullable(),
    villageId: Uuid.nullable(),
    townId: Uuid.nullable(),
    unplaced: z.boolean(),
    source: SourceSchema,
    importId: Uuid,
    row: z.number().int(),
    reasons: z.array(z.string()),
    policyVersion: z.number().int(),
    escalations: z.number().int(),
    reopened: z.number().int(),
    task: z.object({
      id: Uuid,
      status: z.enum(['open', 'closed']),
      deadline: z.string(),
      overdue: z.boolean(),
      assigneeId: z.string().nullable(),
      outcome: OutcomeViewSchema,
    }),
    updatedAt: z.string(),
    personalDataMasked: z.boolean(),
  })
  .meta({ id: 'Finding' });

export const TaskSchema = z
  .object({
    id: Uuid,
    findingId: Uuid,
    cause: FindingCauseSchema,
    severity: SeveritySchema,
    status: z.enum(['open', 'closed']),
    raisedOn: z.string(),
    deadline: z.string(),
    overdue: z.boolean(),
    assigneeId: z
      .string()
      .nullable()
      .describe('未办结时为小组当前的责任社工，办结后为记录结果的人 / open: the responsible worker of the group today; closed: who recorded the outcome'),
    personId: Uuid,
    name: z.string(),
    householdId: Uuid.nullable(),
    groupId: Uuid.nullable(),
    villageId: Uuid.nullable(),
    townId: Uuid.nullable(),
    unplaced: z.boolean(),
    outcome: OutcomeViewSchema,
    personalDataMasked: z.boolean(),
  })
  .meta({ id: 'DetectionTask' });
