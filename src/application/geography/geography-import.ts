import { z } from 'zod';

/** One row of a geography import, after validation. */
export const ImportRowSchema = z
  .object({
    kind: z.enum(['town', 'village', 'group']),
    code: z
      .string()
      .trim()
      .regex(/^[0-9A-Za-z_-]{1,32}$/, 'a code is 1–32 letters, digits, - or _'),
    name: z.string().trim().min(1, 'a name is required').max(100),
    parentCode: z.string().trim().max(32).optional(),
    villageKind: z.enum(['village', 'community']).optional(),
  })
  .superRefine((row, ctx) => {
    if (row.kind !== 'town' && !row.parentCode) ctx.addIssue({ code: 'custom', path: ['parentCode'], message: `a ${row.kind} needs the code of its parent` });
  });
export type ImportRow = z.infer<typeof ImportRowSchema>;

export interface RejectedRow {
  row: number;
  field: string;
  message: string;
}

export interface ImportReport {
  applied: number;
  unchanged: number;
  rejected: RejectedRow[];
  results: { row: number; kind: ImportRow['kind']; code: string; id: string; outcome: 'created' | 'renamed' | 'unchanged' }[];
}

/** Validates raw rows (from JSON or CSV); row numbers are 1-based data rows. */
export function validateRows(raw: readonly unknown[]): { valid: { row: number; data: ImportRow }[]; rejected: RejectedRow[] } {
  const valid: { row: number; data: ImportRow }[] = [];
  const rejected: RejectedRow[] = [];
  raw.forEach((value, index) => {
    const parsed = ImportRowSchema.safeParse(value);
    if (parsed.success) valid.push({ row: index + 1, data: parsed.data });
    else for (const issue of parsed.error.issues) rejected.push({ row: index + 1, field: issue.path.join('.') || '(row)', message: issue.message });
  });
  // Parents before children, whatever the file's order.
  const rank = { town: 0, village: 1, group: 2 } as const;
  valid.sort((a, b) => rank[a.data.kind] - rank[b.data.kind] || a.row - b.row);
  return { valid, rejected };
}
