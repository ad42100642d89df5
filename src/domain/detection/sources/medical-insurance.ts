import { z } from 'zod';
import { DayField, text, YuanField, subjectFields, subjectOf } from './fields';
import type { SourceDefinition } from './source-definition';

/**
 * 医保: one settlement (结算) with the out-of-pocket part in yuan. The settlement id is the
 * natural key: a corrected settlement sent again replaces the earlier amount in the 12-month sum.
 */
export const medicalInsuranceSource: SourceDefinition = {
  source: 'medical_insurance',
  dateField: 'settledOn',
  columns: ['idNumber', 'name', 'addressCode?', 'settlementId', 'settledOn', 'outOfPocket', 'totalCost?'],
  row: z
    .object({ ...subjectFields, settlementId: text(64), settledOn: DayField, outOfPocket: YuanField, totalCost: YuanField.optional() })
    .superRefine((r, ctx) => {
      if (r.totalCost !== undefined && r.totalCost < r.outOfPocket)
        ctx.addIssue({ code: 'custom', path: ['outOfPocket'], message: 'larger than the total cost' });
    })
    .transform((r) => ({
      subject: subjectOf(r),
      observation: {
        kind: 'medical_cost' as const,
        observedOn: r.settledOn,
        settlementId: r.settlementId,
        outOfPocketFen: r.outOfPocket,
        totalCostFen: r.totalCost ?? null,
      },
    })),
};
