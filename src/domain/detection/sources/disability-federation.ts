import { z } from 'zod';
import { DISABILITY_TYPES } from '../../assistance/policy/policy-vocabulary';
import { DayField, IntegerField, oneOf, optionalText, subjectFields, subjectOf } from './fields';
import type { SourceDefinition } from './source-definition';

/** 残联: a disability certificate (残疾证) with its type and grade (1 most severe … 4). */
export const disabilityFederationSource: SourceDefinition = {
  source: 'disability_federation',
  dateField: 'certifiedOn',
  columns: ['idNumber', 'name', 'addressCode?', 'disabilityType', 'grade', 'certifiedOn', 'certificateNumber?'],
  row: z
    .object({
      ...subjectFields,
      disabilityType: oneOf(DISABILITY_TYPES),
      grade: IntegerField.pipe(z.int().min(1, 'a grade from 1 to 4').max(4, 'a grade from 1 to 4')),
      certifiedOn: DayField,
      certificateNumber: optionalText(40),
    })
    .transform((r) => ({
      subject: subjectOf(r),
      observation: {
        kind: 'disability_certificate' as const,
        observedOn: r.certifiedOn,
        disabilityType: r.disabilityType,
        grade: r.grade,
        certificateNumber: r.certificateNumber || null,
      },
    })),
};
