import { z } from 'zod';
import { DIAGNOSIS_CATEGORIES } from '../observation';
import { DayField, oneOf, optionalText, subjectFields, subjectOf } from './fields';
import type { SourceDefinition } from './source-definition';

/** 卫健: a diagnosis of a serious illness (大病), chronic disease or severe mental disorder. */
export const healthSource: SourceDefinition = {
  source: 'health',
  dateField: 'diagnosedOn',
  columns: ['idNumber', 'name', 'addressCode?', 'category', 'diagnosedOn', 'condition?'],
  row: z.object({ ...subjectFields, category: oneOf(DIAGNOSIS_CATEGORIES), diagnosedOn: DayField, condition: optionalText(100) }).transform((r) => ({
    subject: subjectOf(r),
    observation: { kind: 'diagnosis' as const, observedOn: r.diagnosedOn, category: r.category, condition: r.condition || null },
  })),
};
