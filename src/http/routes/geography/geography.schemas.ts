import { z } from 'zod';

/** The most rows one geography import takes, and a body limit that lets that many through. */
export const GEOGRAPHY_IMPORT_MAX_ROWS = 20_000;
export const GEOGRAPHY_IMPORT_BODY_LIMIT = 8 * 1_048_576;

export const CodeSchema = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z_-]{1,32}$/, '代码为 1–32 个字母、数字、- 或 _（如统计用区划代码 530626100）/ a code is 1–32 letters, digits, - or _')
  .describe('代码：1–32 个字母、数字、- 或 _，通常为统计用区划代码 / code: 1–32 letters, digits, - or _, usually the statistical code')
  .meta({ example: '530626100' });
export const NameSchema = z.string().trim().min(1).max(100).describe('名称（1–100 字）/ name').meta({ example: '龙头山镇' });
export const StatusFilter = z.enum(['active', 'retired']).optional().describe('按状态筛选 / filter by status');

const unitFields = {
  id: z.string().uuid().describe('编号（UUID）/ id'),
  code: z.string().describe('代码（统计用区划代码）/ code'),
  name: z.string().describe('名称 / name'),
  status: z.string().describe('状态：active=在用，retired=已撤销 / status: active or retired'),
  version: z.number().int().describe('版本号，即 ETag，修改时放入 If-Match / version; send it as If-Match'),
  registeredAt: z.string().describe('登记时间（ISO 8601）/ when it was registered'),
  updatedAt: z.string().describe('最后修改时间（ISO 8601）/ when it last changed'),
};

export const TownSchema = z.object(unitFields).meta({ id: 'Town' });
export const VillageSchema = z
  .object({
    ...unitFields,
    kind: z.enum(['village', 'community']).describe('村类型 / kind of village'),
    townId: z.string().uuid().describe('所属乡镇 ID / id of its town'),
  })
  .meta({ id: 'Village' });
export const GroupSchema = z
  .object({
    ...unitFields,
    villageId: z.string().uuid().describe('所属村 ID / id of its village'),
    townId: z.string().uuid().describe('所属乡镇 ID / id of its town'),
    responsible: z
      .object({
        workerId: z.string().uuid().describe('责任社工 ID / id of the responsible worker'),
        from: z.string().describe('负责起始日期 / responsible since'),
      })
      .nullable()
      .describe('当前责任社工，无则为 null / the responsible worker now, or null'),
  })
  .meta({ id: 'VillagerGroup' });

export const RenameBody = z.object({ name: NameSchema });

/** What a bulk geography import answers. */
export const ImportReportSchema = z
  .object({
    applied: z.number().int(),
    unchanged: z.number().int(),
    rejected: z.array(z.object({ row: z.number().int(), field: z.string(), message: z.string() })),
    results: z.array(
      z.object({ row: z.number().int(), kind: z.string(), code: z.string(), id: z.string(), outcome: z.enum(['created', 'renamed', 'unchanged']) }),
    ),
  })
  .meta({ id: 'GeographyImportReport' });
