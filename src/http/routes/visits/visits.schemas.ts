import { z } from 'zod';

export const Day = z.iso.date();
export const Uuid = z.string().uuid();

/** A recorded visit as the visit list answers it. */
export const VisitSchema = z
  .object({
    id: Uuid,
    workerId: Uuid,
    householdId: Uuid.nullable(),
    groupId: Uuid,
    villageId: Uuid,
    townId: Uuid,
    date: z.string(),
    kind: z.string(),
    findings: z.string(),
    followUpActions: z.array(z.string()),
    peopleServed: z.number().int(),
    late: z.boolean(),
    recordedAt: z.string(),
  })
  .meta({ id: 'Visit' });
