import { z } from 'zod';
import { INJURIES } from '../observation';
import { DayField, oneOf, optionalText, subjectFields, subjectOf, YuanField } from './fields';
import type { SourceDefinition } from './source-definition';

/** 应急管理: a disaster (灾害) or accident (意外) with the household's loss and the worst injury. */
export const emergencyManagementSource: SourceDefinition = {
  source: 'emergency_management',
  dateField: 'occurredOn',
  columns: ['idNumber', 'name', 'addressCode?', 'eventKind', 'occurredOn', 'loss?', 'injury?', 'description?'],
  row: z
    .object({
      ...subjectFields,
      eventKind: oneOf(['disaster', 'accident']),
      occurredOn: DayField,
      loss: YuanField.optional(),
      injury: oneOf(INJURIES).optional(),
      description: optionalText(200),
    })
    .transform((r) => ({
      subject: subjectOf(r),
      observation: {
        kind: 'loss_event' as const,
        observedOn: r.occurredOn,
        eventKind: r.eventKind,
        lossFen: r.loss ?? 0,
        injury: r.injury ?? 'none',
        description: r.description || null,
      },
    })),
};
