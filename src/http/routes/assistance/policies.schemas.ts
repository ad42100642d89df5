import { z } from 'zod';

/** ?county=530626: the versions of one county (six-digit division code). */
export const CountyQuery = z.object({
  county: z
    .string()
    .regex(/^\d{6}$/)
    .optional(),
});
