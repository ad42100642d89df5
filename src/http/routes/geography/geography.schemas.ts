import { z } from 'zod';

export const CodeSchema = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z_-]{1,32}$/, 'a code is 1–32 letters, digits, - or _ (e.g. the statistical code 530626100)');
export const NameSchema = z.string().trim().min(1).max(100);
export const StatusFilter = z.enum(['active', 'retired']).optional();

const unitFields = {
  id: z.string().uuid(),
  code: z.string(),
  name: z.string(),
  status: z.string(),
  version: z.number().int(),
  registeredAt: z.string(),
  updatedAt: z.string(),
};

export const TownSchema = z.object(unitFields).meta({ id: 'Town' });
export const VillageSchema = z.object({ ...unitFields, kind: z.enum(['village', 'community']), townId: z.string().uuid() }).meta({ id: 'Village' });
export const GroupSchema = z
  .object({
    ...unitFields,
    villageId: z.string().uuid(),
    townId: z.string().uuid(),
    responsible: z.object({ workerId: z.string().uuid(), from: z.string() }).nullable(),
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
