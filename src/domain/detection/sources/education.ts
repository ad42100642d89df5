import { z } from 'zod';
import { STUDENT_STATUSES } from '../observation';
import { BooleanField, DayField, oneOf, optionalText, subjectFields, subjectOf } from './fields';
import type { SourceDefinition } from './source-definition';

/** 教体: student status (enrolled, dropout…) as of a report date, and whether the student gets school aid. */
export const educationSource: SourceDefinition = {
  source: 'education',
  dateField: 'reportedOn',
  columns: ['idNumber', 'name', 'addressCode?', 'schoolStatus', 'reportedOn', 'schoolAid?', 'schoolName?'],
  row: z
    .object({
      ...subjectFields,
      schoolStatus: oneOf(STUDENT_STATUSES),
      reportedOn: DayField,
      schoolAid: BooleanField.optional(),
      schoolName: optionalText(100),
    })
    .transform((r) => ({
      subject: subjectOf(r),
      observation: {
        kind: 'school_status' as const,
        observedOn: r.reportedOn,
        status: r.schoolStatus,
        schoolAid: r.schoolAid ?? false,
        schoolName: r.schoolName || null,
      },
    })),
};
