import { z } from 'zod';
import { assertNever } from '../shared/decider';
import type { EventCatalog } from '../shared/event-schemas';
import { AtSchema, DaySchema, FenSchema, ProjectKindSchema, UuidSchema, type ProjectKind } from './community-vocabulary';

/**
 * A community project (N项目): a service the government buys from a provider under a contract,
 * a brand project a partner brings in, or a station's own project. Its period is inclusive
 * (a contract runs to and including its end date). Donated money reaches it by allocation
 * (on the donation's stream) and leaves it by recorded spending (here).
 */
export const DeliverableSchema = z.object({
  deliverableId: UuidSchema,
  description: z.string().min(1),
  /** e.g. 1200 visits, 40 sessions: a number and its unit, when the contract states one. */
  target: z.number().int().positive().nullable(),
  unit: z.string().min(1).nullable(),
});
export type Deliverable = z.infer<typeof DeliverableSchema>;

// ── Events ───────────────────────────────────────────────────────────────────
export const CommunityProjectRegisteredSchema = z.object({
  projectId: UuidSchema,
  kind: ProjectKindSchema,
  name: z.string().min(1),
  description: z.string(),
  /** null: a county-wide project (run by the bureau). */
  townId: UuidSchema.nullable(),
  villageId: UuidSchema.nullable(),
  stationId: UuidSchema.nullable(),
  /** The organisation that delivers a purchased service (承接机构). */
  provider: z.string().min(1).nullable(),
  /** The organisation that brings a brand project in (e.g. 蓝信封's foundation). */
  partner: z.string().min(1).nullable(),
  contractAmountFen: FenSchema.nullable(),
  from: DaySchema,
  to: DaySchema.nullable(),
  deliverables: z.array(DeliverableSchema),
  registeredAt: AtSchema,
});
export const ProjectDeliverableCompletedSchema = z.object({
  projectId: UuidSchema,
  deliverableId: UuidSchema,
  on: DaySchema,
  note: z.string(),
  recordedAt: AtSchema,
});
export const ProjectFundsSpentSchema = z.object({
  projectId: UuidSchema,
  spendingId: UuidSchema,
  amountFen: FenSchema,
  on: DaySchema,
  purpose: z.string().min(1),
  recordedAt: AtSchema,
});
export const CommunityProjectClosedSchema = z.object({ projectId: UuidSchema, on: DaySchema, recordedAt: AtSchema });

export type ProjectEvent =
  | { type: 'CommunityProjectRegistered'; data: z.infer<typeof CommunityProjectRegisteredSchema> }
  | { type: 'ProjectDeliverableCompleted'; data: z.infer<typeof ProjectDeliverableCompletedSchema> }
  | { type: 'ProjectFundsSpent'; data: z.infer<typeof ProjectFundsSpentSchema> }
  | { type: 'CommunityProjectClosed'; data: z.infer<typeof CommunityProjectClosedSchema> };

export const projectEvents = {
  CommunityProjectRegistered: { schema: CommunityProjectRegisteredSchema, version: 1 },
  ProjectDeliverableCompleted: { schema: ProjectDeliverableCompletedSchema, version: 1 },
  ProjectFundsSpent: { schema: ProjectFundsSpentSchema, version: 1 },
  CommunityProjectClosed: { schema: CommunityProjectClosedSchema, version: 1 },
} satisfies EventCatalog;

// ── State ────────────────────────────────────────────────────────────────────
interface RegisteredProject {
  projectId: string;
  kind: ProjectKind;
  from: string;
  to: string | null;
  closedOn: string | null;
  deliverables: { deliverableId: string; completedOn: string | null }[];
  spentFen: number;
}

export type ProjectState = { status: 'unregistered' } | (RegisteredProject & { status: 'active' }) | (RegisteredProject & { status: 'closed' });

export const initialProjectState = (): ProjectState => ({ status: 'unregistered' });

export function evolveProject(state: ProjectState, event: ProjectEvent): ProjectState {
  if (event.type === 'CommunityProjectRegistered') {
    const d = event.data;
    return {
      status: 'active',
      projectId: d.projectId,
      kind: d.kind,
      from: d.from,
      to: d.to,
      closedOn: null,
      deliverables: d.deliverables.map((x) => ({ deliverableId: x.deliverableId, completedOn: null })),
      spentFen: 0,
    };
  }
  if (state.status === 'unregistered') return state;
  switch (event.type) {
    case 'ProjectDeliverableCompleted':
      return {
        ...state,
        deliverables: state.deliverables.map((x) => (x.deliverableId === event.data.deliverableId ? { ...x, completedOn: event.data.on } : x)),
      };
    case 'ProjectFundsSpent':
      return { ...state, spentFen: state.spentFen + event.data.amountFen };
    case 'CommunityProjectClosed':
      return { ...state, status: 'closed', closedOn: event.data.on };
    default:
      return assertNever(event);
  }
}

export const projectStreamId = (projectId: string) => `community-project-${projectId}`;
