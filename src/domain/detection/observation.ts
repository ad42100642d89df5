import { z } from 'zod';
import { DisabilityTypeSchema } from '../households/person';
import { RiskCauseSchema } from './vocabulary';

/**
 * What one row of another department's data says about a person, normalised: the facts the
 * rules read. Names and ID numbers are not part of it (the person is identified separately),
 * so the observation history carries as little personal data as the rules need.
 */
const Day = z.iso.date();
const Fen = z.int().nonnegative();

export const STUDENT_STATUSES = ['enrolled', 'dropout', 'suspended', 'graduated', 'transferred'] as const;
export const StudentStatusSchema = z.enum(STUDENT_STATUSES);
export const DIAGNOSIS_CATEGORIES = ['serious_illness', 'chronic_disease', 'severe_mental_disorder'] as const;
export const DiagnosisCategorySchema = z.enum(DIAGNOSIS_CATEGORIES);
/** 脱贫不稳定户, 边缘易致贫户, 突发严重困难户. */
export const MONITORING_TYPES = ['unstable_poverty_alleviated', 'marginal_vulnerable', 'sudden_hardship'] as const;
export const MonitoringTypeSchema = z.enum(MONITORING_TYPES);
export const INJURIES = ['none', 'minor', 'serious', 'death'] as const;
export const InjurySchema = z.enum(INJURIES);

export const ObservationSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('school_status'), observedOn: Day, status: StudentStatusSchema, schoolAid: z.boolean(), schoolName: z.string().nullable() }),
  z.object({ kind: z.literal('medical_cost'), observedOn: Day, settlementId: z.string().min(1), outOfPocketFen: Fen, totalCostFen: Fen.nullable() }),
  z.object({ kind: z.literal('diagnosis'), observedOn: Day, category: DiagnosisCategorySchema, condition: z.string().nullable() }),
  z.object({
    kind: z.literal('disability_certificate'),
    observedOn: Day,
    disabilityType: DisabilityTypeSchema,
    grade: z.int().min(1).max(4),
    certificateNumber: z.string().nullable(),
  }),
  z.object({ kind: z.literal('monitoring'), observedOn: Day, monitoringType: MonitoringTypeSchema, riskCause: z.union([RiskCauseSchema, z.literal('other')]) }),
  z.object({
    kind: z.literal('loss_event'),
    observedOn: Day,
    eventKind: z.enum(['disaster', 'accident']),
    lossFen: Fen,
    injury: InjurySchema,
    description: z.string().nullable(),
  }),
]);
export type Observation = z.infer<typeof ObservationSchema>;
export type ObservationOf<K extends Observation['kind']> = Extract<Observation, { kind: K }>;

/** Who a row is about, as the department states it. `addressCode` is a villager-group code. */
export interface RowSubject {
  idNumber: string;
  name: string;
  addressCode: string | null;
}
