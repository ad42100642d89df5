import { z } from 'zod';
import { MONITORING_TYPES } from '../observation';
import { RISK_CAUSES } from '../vocabulary';
import { DayField, oneOf, subjectFields, subjectOf } from './fields';
import type { SourceDefinition } from './source-definition';

/** 乡村振兴: a household under 防返贫 monitoring, its monitoring type and main risk cause. */
export const ruralRevitalizationSource: SourceDefinition = {
  source: 'rural_revitalization',
  dateField: 'monitoredOn',
  columns: ['idNumber', 'name', 'addressCode?', 'monitoringType', 'riskCause', 'monitoredOn'],
  row: z
    .object({ ...subjectFields, monitoringType: oneOf(MONITORING_TYPES), riskCause: oneOf([...RISK_CAUSES, 'other']), monitoredOn: DayField })
    .transform((r) => ({
      subject: subjectOf(r),
      observation: { kind: 'monitoring' as const, observedOn: r.monitoredOn, monitoringType: r.monitoringType, riskCause: r.riskCause },
    })),
};
