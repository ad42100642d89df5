import { z } from 'zod';
import { fieldMessage } from '../../../domain/shared/field-messages';
import {
  DaySchema,
  DonationChannelSchema,
  DonorKindSchema,
  FenSchema,
  MinutesSchema,
  ProjectKindSchema,
  ServedGroupSchema,
  TeamKindSchema,
} from '../../../domain/community/community-vocabulary';
import { firstDayOf, lastDayOf } from '../../../domain/calendar/calendar-months';

/** Request and response shapes shared by the community routes (OpenAPI names via `.meta`). */
export const Day = DaySchema;
export const Uuid = z.string().uuid();
export const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month, yyyy-mm');
export { IfMatchHeaders } from '../../schemas';
export const Text = (max: number) => z.string().trim().min(1).max(max);
export const Phone = z
  .string()
  .trim()
  .regex(/^[0-9+\- ]{5,20}$/, fieldMessage('phone.invalid'));
export const Fen = FenSchema.describe('integer fen (分): ¥1 = 100');
export { DonationChannelSchema, DonorKindSchema, MinutesSchema, ProjectKindSchema, ServedGroupSchema, TeamKindSchema };

/** yyyy-mm → its first and last day, for month-range filters. */
export function monthRange(from?: string, to?: string): { from?: string; to?: string } {
  return { ...(from ? { from: firstDayOf(from) } : {}), ...(to ? { to: lastDayOf(to) } : {}) };
}

export const VolunteerSchema = z
  .object({
    id: Uuid,
    name: z.string(),
    idNumber: z.string().describe('身份证号，除管理员外脱敏显示（530626**********12） / masked (530626**********12) for every role but admin'),
    phone: z.string(),
    skills: z.array(z.string()),
    townId: Uuid,
    villageId: Uuid.nullable(),
    status: z.enum(['registered', 'withdrawn']),
    registeredOn: z.string(),
    withdrawnOn: z.string().nullable(),
    withdrawalReason: z.string().nullable(),
    version: z.number().int(),
    teams: z.array(z.object({ teamId: Uuid, name: z.string(), kind: z.string(), from: z.string(), to: z.string().nullable(), leader: z.boolean() })),
    totalMinutes: z.number().int(),
    personalDataMasked: z.boolean(),
  })
  .meta({ id: 'Volunteer' });

export const TeamSchema = z
  .object({
    id: Uuid,
    name: z.string(),
    kind: z.string(),
    townId: Uuid,
    villageId: Uuid.nullable(),
    status: z.enum(['active', 'disbanded']),
    formedOn: z.string(),
    disbandedOn: z.string().nullable(),
    leader: z.object({ volunteerId: Uuid, name: z.string(), from: z.string() }).nullable(),
    currentMembers: z.number().int(),
    members: z.array(z.object({ volunteerId: Uuid, name: z.string(), from: z.string(), to: z.string().nullable() })),
    totalMinutes: z.number().int(),
    version: z.number().int(),
  })
  .meta({ id: 'VolunteerTeam' });

export const ServiceRecordSchema = z
  .object({
    id: Uuid,
    activity: z.string(),
    date: z.string(),
    townId: Uuid,
    villageId: Uuid.nullable(),
    projectId: Uuid.nullable(),
    participants: z.array(z.object({ volunteerId: Uuid, teamId: Uuid.nullable(), minutes: z.number().int() })),
    teamIds: z.array(Uuid),
    householdIds: z.array(Uuid),
    servedGroups: z.array(z.string()),
    peopleServed: z.number().int(),
    childrenServed: z.number().int(),
    totalMinutes: z.number().int(),
    note: z.string(),
    voided: z.boolean(),
    voidReason: z.string().nullable(),
    version: z.number().int(),
    recordedAt: z.string(),
  })
  .meta({ id: 'ServiceRecord' });

export const HoursRowSchema = z.object({
  key: z.string().describe('志愿者 ID、服务队 ID 或月份（yyyy-mm） / volunteer id, team id, or yyyy-mm'),
  name: z.string().nullable(),
  minutes: z.number().int(),
  hours: z.number().describe('小时数 = 分钟 / 60，保留一位小数，仅供显示；以分钟为准 / minutes / 60, rounded to 0.1 — display only; minutes are the record'),
  records: z.number().int(),
});

export const MobilisableCountSchema = z
  .object({ organisationId: Uuid, organisation: z.string(), townId: Uuid.nullable(), count: z.number().int(), asOf: z.string(), note: z.string() })
  .meta({ id: 'MobilisableCount' });

export const ProjectSchema = z
  .object({
    id: Uuid,
    kind: z.string(),
    name: z.string(),
    description: z.string(),
    townId: Uuid.nullable(),
    villageId: Uuid.nullable(),
    stationId: Uuid.nullable(),
    provider: z.string().nullable(),
    partner: z.string().nullable(),
    contractAmountFen: z.number().int().nullable(),
    from: z.string(),
    to: z.string().nullable(),
    status: z.enum(['active', 'closed']),
    closedOn: z.string().nullable(),
    deliverables: z.array(
      z.object({
        deliverableId: Uuid,
        description: z.string(),
        target: z.number().int().nullable(),
        unit: z.string().nullable(),
        completedOn: z.string().nullable(),
        note: z.string().nullable(),
      }),
    ),
    spendings: z.array(z.object({ spendingId: Uuid, amountFen: z.number().int(), on: z.string(), purpose: z.string() })),
    funds: z.object({ receivedFen: z.number().int(), spentFen: z.number().int(), balanceFen: z.number().int() }),
    served: z.object({
      serviceRecords: z.number().int(),
      peopleServed: z.number().int(),
      householdsServed: z.number().int(),
      childrenServed: z.number().int(),
      volunteerMinutes: z.number().int(),
    }),
    version: z.number().int(),
  })
  .meta({ id: 'CommunityProject' });

export const DonationSchema = z
  .object({
    id: Uuid,
    donor: z.object({ kind: z.string(), name: z.string().nullable() }),
    amountFen: z.number().int(),
    allocatedFen: z.number().int(),
    remainingFen: z.number().int(),
    receivedOn: z.string(),
    channel: z.string(),
    purpose: z.string(),
    designatedProjectId: Uuid.nullable(),
    townId: Uuid.nullable(),
    allocations: z.array(
      z.object({
        allocationId: Uuid,
        target: z.discriminatedUnion('kind', [
          z.object({ kind: z.literal('project'), projectId: Uuid }),
          z.object({ kind: z.literal('household'), householdId: Uuid }),
        ]),
        amountFen: z.number().int(),
        on: z.string(),
        note: z.string(),
      }),
    ),
    version: z.number().int(),
  })
  .meta({ id: 'Donation' });

const Amounts = z.object({ count: z.number().int(), amountFen: z.number().int() });
export const SummarySchema = z
  .object({
    asOf: z.string(),
    townId: Uuid.nullable(),
    volunteers: z.object({
      registered: z.number().int(),
      withdrawn: z.number().int(),
      mobilisable: z.object({ total: z.number().int(), registered: z.number().int(), fromOrganisations: z.number().int(), organisations: z.number().int() }),
    }),
    teams: z.object({
      active: z.number().int(),
      villageMutualAidElderCare: z.number().int(),
      byKind: z.array(z.object({ kind: z.string(), active: z.number().int() })),
    }),
    service: z.object({
      records: z.number().int(),
      volunteerMinutes: z.number().int(),
      peopleServed: z.number().int(),
      householdsServed: z.number().int(),
      childrenServed: z.number().int(),
    }),
    projects: z.object({
      byKind: z.array(z.object({ kind: z.string(), count: z.number().int(), active: z.number().int(), contractAmountFen: z.number().int() })),
      childrenServed: z.number().int(),
      peopleServed: z.number().int(),
    }),
    donations: z.object({
      count: z.number().int(),
      totalFen: z.number().int(),
      allocatedFen: z.number().int(),
      remainingFen: z.number().int(),
      byDonorKind: z.array(Amounts.extend({ donorKind: z.string() })),
      byChannel: z.array(Amounts.extend({ channel: z.string() })),
    }),
  })
  .meta({ id: 'CommunitySummary' });
