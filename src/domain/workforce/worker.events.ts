import { z } from 'zod';
import { assertNever } from '../shared/decider';
import type { EventCatalog } from '../shared/event-schemas';
import { IsoDateSchema, type Period } from './period';
import { WorkerLevelSchema, type WorkerLevel } from './worker-facts';

/*
 * The worker's own stream holds what the worker is and the links they own: a county worker's
 * 挂联 towns and a town worker's linked village workers (both may overlap with other workers'
 * links, so no cross-stream rule is needed). Responsibility for a villager group (包保) is on the
 * group's stream instead, where "exactly one at a time" can be decided.
 *
 * Training attendance is NOT recorded here but on a TrainingSession aggregate: a session has
 * its own identity (title, date, kind) that the coverage totals count ("15 all-staff
 * trainings"), and one session is attended by dozens of workers; copying it into every
 * worker's stream would make sessions uncountable and their corrections a many-stream write.
 */

/** 助理社会工作师 / 社会工作师 / 高级社会工作师. */
export const CertificationLevelSchema = z.enum(['assistant', 'social_worker', 'senior']);
export type CertificationLevel = z.infer<typeof CertificationLevelSchema>;

/** Where a town or village worker is based; it is what "their town" means for jurisdiction. */
export const PostingUnitSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('town'), townId: z.string().uuid() }),
  z.object({ kind: z.literal('village'), villageId: z.string().uuid() }),
]);
export type PostingUnit = z.infer<typeof PostingUnitSchema>;

// ── Events ───────────────────────────────────────────────────────────────────
export const WorkerRegisteredSchema = z.object({
  workerId: z.string().uuid(),
  name: z.string().min(1),
  level: WorkerLevelSchema,
  phone: z.string().min(1),
  nationalId: z.string().length(18),
  hiredOn: IsoDateSchema,
  registeredAt: z.string().datetime(),
});
export type WorkerRegistered = { type: 'WorkerRegistered'; data: z.infer<typeof WorkerRegisteredSchema> };

/** `previous` is the posting this one ends (`to` = this one's `from`). */
export const WorkerPostedSchema = z.object({
  workerId: z.string().uuid(),
  unit: PostingUnitSchema,
  from: IsoDateSchema,
  previous: z.object({ unit: PostingUnitSchema, from: IsoDateSchema, to: IsoDateSchema }).nullable(),
  postedAt: z.string().datetime(),
});
export type WorkerPosted = { type: 'WorkerPosted'; data: z.infer<typeof WorkerPostedSchema> };

export const TownLinkedSchema = z.object({
  workerId: z.string().uuid(),
  townId: z.string().uuid(),
  from: IsoDateSchema,
  to: IsoDateSchema.nullable(),
  linkedAt: z.string().datetime(),
});
export type TownLinked = { type: 'TownLinked'; data: z.infer<typeof TownLinkedSchema> };

/** `from` names which link of that town ended (a town can be linked again later). */
export const TownLinkEndedSchema = z.object({
  workerId: z.string().uuid(),
  townId: z.string().uuid(),
  from: IsoDateSchema,
  to: IsoDateSchema,
  endedAt: z.string().datetime(),
});
export type TownLinkEnded = { type: 'TownLinkEnded'; data: z.infer<typeof TownLinkEndedSchema> };

export const VillageWorkerLinkedSchema = z.object({
  workerId: z.string().uuid(),
  villageWorkerId: z.string().uuid(),
  from: IsoDateSchema,
  to: IsoDateSchema.nullable(),
  linkedAt: z.string().datetime(),
});
export type VillageWorkerLinked = { type: 'VillageWorkerLinked'; data: z.infer<typeof VillageWorkerLinkedSchema> };

export const VillageWorkerLinkEndedSchema = z.object({
  workerId: z.string().uuid(),
  villageWorkerId: z.string().uuid(),
  from: IsoDateSchema,
  to: IsoDateSchema,
  endedAt: z.string().datetime(),
});
export type VillageWorkerLinkEnded = { type: 'VillageWorkerLinkEnded'; data: z.infer<typeof VillageWorkerLinkEndedSchema> };

export const CertificationRecordedSchema = z.object({
  workerId: z.string().uuid(),
  level: CertificationLevelSchema,
  certificateNumber: z.string().min(1),
  certifiedOn: IsoDateSchema,
  recordedAt: z.string().datetime(),
});
export type CertificationRecorded = { type: 'CertificationRecorded'; data: z.infer<typeof CertificationRecordedSchema> };

/**
 * `leftOn` closes the employment period [hiredOn, leftOn) like any other `to`: from that day on
 * the worker is not employed. Ends the posting too; links still open are ended by explicit
 * *LinkEnded events just before it, so read models need no inference.
 */
export const WorkerLeftSchema = z.object({
  workerId: z.string().uuid(),
  leftOn: IsoDateSchema,
  recordedAt: z.string().datetime(),
});
export type WorkerLeft = { type: 'WorkerLeft'; data: z.infer<typeof WorkerLeftSchema> };

export type WorkerEvent =
  WorkerRegistered | WorkerPosted | TownLinked | TownLinkEnded | VillageWorkerLinked | VillageWorkerLinkEnded | CertificationRecorded | WorkerLeft;

export const workerEvents = {
  WorkerRegistered: { schema: WorkerRegisteredSchema, version: 1 },
  WorkerPosted: { schema: WorkerPostedSchema, version: 1 },
  TownLinked: { schema: TownLinkedSchema, version: 1 },
  TownLinkEnded: { schema: TownLinkEndedSchema, version: 1 },
  VillageWorkerLinked: { schema: VillageWorkerLinkedSchema, version: 1 },
  VillageWorkerLinkEnded: { schema: VillageWorkerLinkEndedSchema, version: 1 },
  CertificationRecorded: { schema: CertificationRecordedSchema, version: 1 },
  WorkerLeft: { schema: WorkerLeftSchema, version: 1 },
} satisfies EventCatalog;

// ── State ────────────────────────────────────────────────────────────────────
export type TownLink = Period & { townId: string };
export type VillageWorkerLink = Period & { villageWorkerId: string };
export type Certification = { level: CertificationLevel; certificateNumber: string; certifiedOn: string };

export type KnownWorker = {
  status: 'employed' | 'left';
  workerId: string;
  level: WorkerLevel;
  hiredOn: string;
  leftOn: string | null;
  posting: { unit: PostingUnit; from: string } | null;
  townLinks: TownLink[];
  villageWorkerLinks: VillageWorkerLink[];
  certifications: Certification[];
};
export type WorkerState = { status: 'unregistered' } | KnownWorker;

export const initialWorkerState = (): WorkerState => ({ status: 'unregistered' });

/** The one link an end event refers to: same key, same start, still running past `to`. */
const endLink = <L extends Period>(links: L[], matches: (link: L) => boolean, from: string, to: string): L[] =>
  links.map((link) => (matches(link) && link.from === from && (link.to === null || link.to > to) ? { ...link, to } : link));

export function evolveWorker(state: WorkerState, event: WorkerEvent): WorkerState {
  if (event.type === 'WorkerRegistered') {
    const { workerId, level, hiredOn } = event.data;
    return { status: 'employed', workerId, level, hiredOn, leftOn: null, posting: null, townLinks: [], villageWorkerLinks: [], certifications: [] };
  }
  if (state.status === 'unregistered') return state;
  switch (event.type) {
    case 'WorkerPosted':
      return { ...state, posting: { unit: event.data.unit, from: event.data.from } };
    case 'TownLinked': {
      const { townId, from, to } = event.data;
      return { ...state, townLinks: [...state.townLinks, { townId, from, to }] };
    }
    case 'TownLinkEnded': {
      const { townId, from, to } = event.data;
      return { ...state, townLinks: endLink(state.townLinks, (l) => l.townId === townId, from, to) };
    }
    case 'VillageWorkerLinked': {
      const { villageWorkerId, from, to } = event.data;
      return { ...state, villageWorkerLinks: [...state.villageWorkerLinks, { villageWorkerId, from, to }] };
    }
    case 'VillageWorkerLinkEnded': {
      const { villageWorkerId, from, to } = event.data;
      return { ...state, villageWorkerLinks: endLink(state.villageWorkerLinks, (l) => l.villageWorkerId === villageWorkerId, from, to) };
    }
    case 'CertificationRecorded': {
      const { level, certificateNumber, certifiedOn } = event.data;
      return { ...state, certifications: [...state.certifications, { level, certificateNumber, certifiedOn }] };
    }
    case 'WorkerLeft':
      return { ...state, status: 'left', leftOn: event.data.leftOn, posting: null };
    default:
      return assertNever(event);
  }
}

export const workerStreamId = (workerId: string) => `worker-${workerId}`;
