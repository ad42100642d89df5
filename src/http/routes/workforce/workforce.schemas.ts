import { z } from 'zod';
import { isValidNationalId } from '../../../domain/shared/national-id';
import { WorkerLevelSchema } from '../../../domain/workforce/worker-facts';

/** Request and response shapes of the workforce routes (workers, training sessions, mentoring pairs). */
export const Day = z.iso.date();
export const Uuid = z.string().uuid();

export const WorkerSchema = z
  .object({
    id: Uuid,
    name: z.string(),
    level: WorkerLevelSchema,
    phone: z.string(),
    idNumber: z.string().describe('masked (530626**********12) unless the caller is admin'),
    townId: Uuid.nullable(),
    villageId: Uuid.nullable(),
    hiredOn: z.string(),
    leftOn: z.string().nullable(),
    status: z.enum(['employed', 'left']),
    certificationLevel: z.string().nullable(),
    version: z.number().int(),
    certifications: z.array(z.object({ level: z.string(), certificateNumber: z.string(), certifiedOn: z.string() })).optional(),
    links: z.array(z.object({ kind: z.string(), targetId: z.string(), from: z.string(), to: z.string().nullable() })).optional(),
    responsibleFor: z.array(z.object({ groupId: z.string(), from: z.string(), to: z.string().nullable() })).optional(),
  })
  .meta({ id: 'Worker' });

export const RegisterWorkerBody = z.object({
  name: z.string().trim().min(1).max(50),
  level: WorkerLevelSchema,
  phone: z
    .string()
    .trim()
    .regex(/^[0-9+\- ]{5,20}$/, 'a phone number is 5–20 digits'),
  idNumber: z.string().trim().refine(isValidNationalId, 'not a valid national ID number (18 characters, GB 11643 check digit)'),
  hireDate: Day,
  posting: z.object({ townId: Uuid.optional(), villageId: Uuid.optional() }).optional(),
});

export const TrainingSessionSchema = z
  .object({ id: Uuid, title: z.string(), heldOn: z.string(), kind: z.string(), version: z.number().int(), attendees: z.number().int() })
  .meta({ id: 'TrainingSession' });
export const PairSchema = z.object({ id: Uuid, mentorId: Uuid, menteeId: Uuid, from: z.string(), to: z.string().nullable() }).meta({ id: 'MentoringPair' });
