import { z } from 'zod';
import { assertNever } from '../shared/decider';
import type { EventCatalog } from '../shared/event-schemas';
import { AtSchema, DaySchema, DonationChannelSchema, DonorKindSchema, FenSchema, UuidSchema } from './community-vocabulary';

/**
 * A donation received, and its allocations to projects or households. Everything is integer
 * fen; what remains is the amount minus what was allocated, never below zero.
 */
export const DonorSchema = z.object({
  kind: DonorKindSchema,
  /** A company's or platform's name; a person may give anonymously (null). */
  name: z.string().min(1).nullable(),
});
export type Donor = z.infer<typeof DonorSchema>;

export const AllocationTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('project'), projectId: UuidSchema }),
  z.object({ kind: z.literal('household'), householdId: UuidSchema }),
]);
export type AllocationTarget = z.infer<typeof AllocationTargetSchema>;

// ── Events ───────────────────────────────────────────────────────────────────
export const DonationReceivedSchema = z.object({
  donationId: UuidSchema,
  donor: DonorSchema,
  amountFen: FenSchema,
  receivedOn: DaySchema,
  channel: DonationChannelSchema,
  /** The donor's designated purpose (定向用途), in their words. */
  purpose: z.string().min(1),
  /** When the donor designated one project, the money may go nowhere else. */
  designatedProjectId: UuidSchema.nullable(),
  /** The town whose station received it; null: the county bureau. */
  townId: UuidSchema.nullable(),
  receivedAt: AtSchema,
});
export const DonationAllocatedSchema = z.object({
  donationId: UuidSchema,
  allocationId: UuidSchema,
  target: AllocationTargetSchema,
  amountFen: FenSchema,
  on: DaySchema,
  note: z.string(),
  recordedAt: AtSchema,
});

export type DonationEvent =
  { type: 'DonationReceived'; data: z.infer<typeof DonationReceivedSchema> } | { type: 'DonationAllocated'; data: z.infer<typeof DonationAllocatedSchema> };

export const donationEvents = {
  DonationReceived: { schema: DonationReceivedSchema, version: 1 },
  DonationAllocated: { schema: DonationAllocatedSchema, version: 1 },
} satisfies EventCatalog;

// ── State ────────────────────────────────────────────────────────────────────
export type DonationState =
  | { status: 'none' }
  | { status: 'received'; donationId: string; amountFen: number; receivedOn: string; allocatedFen: number; designatedProjectId: string | null };

export function evolveDonation(state: DonationState, event: DonationEvent): DonationState {
  switch (event.type) {
    case 'DonationReceived': {
      const d = event.data;
      return {
        status: 'received',
        donationId: d.donationId,
        amountFen: d.amountFen,
        receivedOn: d.receivedOn,
        allocatedFen: 0,
        designatedProjectId: d.designatedProjectId,
      };
    }
    case 'DonationAllocated':
      return state.status === 'received' ? { ...state, allocatedFen: state.allocatedFen + event.data.amountFen } : state;
    default:
      return assertNever(event);
  }
}

export const remainingFen = (state: Extract<DonationState, { status: 'received' }>) => state.amountFen - state.allocatedFen;

export const donationStreamId = (donationId: string) => `donation-${donationId}`;
