import { z } from 'zod';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../../application/pagination';
import { Uuid } from './visits.schemas';

/** What is due, as the schedule and caseload routes answer it. */
export const DueItemSchema = z.object({
  obligation: z.enum(['group_monthly_visit', 'household_monthly_visit', 'dynamic_review']).describe('走访义务 / visit obligation'),
  groupId: Uuid.describe('村民小组 ID / villager group'),
  villageId: Uuid.describe('村 ID / village'),
  townId: Uuid.describe('乡镇 ID / town'),
  workerId: Uuid.nullable().describe('责任社工 ID，无则为 null / responsible worker, or null'),
  householdId: Uuid.nullable().describe('家庭 ID；小组走访为 null / household, or null for a group visit'),
  groupName: z.string().nullable().describe('村民小组名称 / group name'),
  householdName: z.string().nullable().describe('户主姓名（脱敏，如 张*明）；小组走访为 null / head of household, masked, or null for a group visit'),
  month: z.string().nullable().describe('月份（YYYY-MM）/ month'),
  dueDate: z.string().describe('应完成日期 / due date'),
  status: z.enum(['done', 'due', 'overdue']).describe('完成情况 / status'),
  lastVisit: z.string().nullable().describe('上次走访日期 / last visit, or null'),
  interval: z
    .object({
      months: z.number().describe('间隔月数 / months between visits'),
      reason: z.string().describe('间隔依据 / why'),
    })
    .nullable()
    .describe('复核间隔（动态复核）/ review interval'),
});
export const ScheduleSchema = z.object({
  asOf: z.string().describe('计算日期 / as of'),
  policyVersion: z.number().int().describe('所依据的走访频次政策版本 / schedule policy version'),
  items: z.array(DueItemSchema).describe('应走访事项 / what is due'),
  nextCursor: z.string().nullable().describe('下一页游标，无则为 null / cursor of the next page, or null'),
  total: z.number().int().describe('符合条件的事项总数（各页合计）/ items matching, over all pages'),
});
export const ScheduleQuery = z.object({
  worker: Uuid.optional().describe('按社工筛选 / filter by worker'),
  village: Uuid.optional().describe('按村筛选 / filter by village'),
  town: Uuid.optional().describe('按乡镇筛选 / filter by town'),
});
/** Overdue and due page by due date, a page at a time (a county's overdue list is tens of thousands of items). */
export const SchedulePageQuery = ScheduleQuery.extend({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_SIZE)
    .default(DEFAULT_PAGE_SIZE)
    .describe(`每页条数（1–${MAX_PAGE_SIZE}，默认 ${DEFAULT_PAGE_SIZE}）/ page size`),
  cursor: z.string().max(1000).optional().describe("上一页的 nextCursor / the previous page's nextCursor"),
  /** Internal: `query` computes the schedule from every fact at query time (the read model's oracle; slow). */
  source: z
    .enum(['read-model', 'query'])
    .default('read-model')
    .describe('内部：query 为查询时计算（校验用，慢）/ internal: query computes at query time (the oracle; slow)'),
});

/** The schedule query's worker / village / town as the service's scope. */
export const scheduleScopeOf = (q: z.infer<typeof ScheduleQuery>) => ({
  ...(q.worker ? { workerId: q.worker } : {}),
  ...(q.village ? { villageId: q.village } : {}),
  ...(q.town ? { townId: q.town } : {}),
});
