import { assertNever, type Decider } from '../shared/decider';
import { DomainRuleViolation, IllegalStateError } from '../shared/errors';
import { assertFen, refuseFuture, type ProjectKind } from './community-vocabulary';
import { evolveProject, initialProjectState, type Deliverable, type ProjectEvent, type ProjectState } from './project.events';

export interface RegisterProjectData {
  projectId: string;
  kind: ProjectKind;
  name: string;
  description: string;
  townId: string | null;
  villageId: string | null;
  stationId: string | null;
  provider: string | null;
  partner: string | null;
  contractAmountFen: number | null;
  from: string;
  to: string | null;
  deliverables: Deliverable[];
  /** The station's town, looked up by the application when a station is named. */
  stationTownId: string | null;
  now: string;
}

/** `fundsReceivedFen`: everything donations have allocated to this project so far (read model). */
export type ProjectCommand =
  | { type: 'RegisterProject'; data: RegisterProjectData }
  | { type: 'CompleteDeliverable'; data: { deliverableId: string; on: string; note: string; today: string; now: string } }
  | {
      type: 'SpendProjectFunds';
      data: { spendingId: string; amountFen: number; on: string; purpose: string; fundsReceivedFen: number; today: string; now: string };
    }
  | { type: 'CloseProject'; data: { on: string; today: string; now: string } };

type Active = Extract<ProjectState, { status: 'active' }>;

function requireActive(state: ProjectState): Active {
  if (state.status === 'unregistered') throw new IllegalStateError('project.not_registered', 'no such project', state.status, ['active']);
  if (state.status === 'closed') throw new IllegalStateError('project.closed', `the project was closed on ${state.closedOn}`, state.status, ['active']);
  return state;
}

function refuseBeforeStart(project: Active, on: string): void {
  if (on < project.from) throw new DomainRuleViolation('project.date_before_start', `the project starts on ${project.from}`, { from: project.from, on });
}

/** What each kind of project must state to be a project of that kind. */
function refuseIncomplete(d: RegisterProjectData): void {
  if (d.to !== null && d.to < d.from)
    throw new DomainRuleViolation('project.period_invalid', `a project cannot end (${d.to}) before it starts (${d.from})`, { from: d.from, to: d.to });
  if (d.contractAmountFen !== null) assertFen('project.amount_invalid', d.contractAmountFen);
  if (d.kind === 'government_purchased') {
    // A purchase of services is a contract: who delivers, for how much, until when.
    const missing = [d.provider ? null : 'provider', d.contractAmountFen !== null ? null : 'contractAmountFen', d.to ? null : 'to'].filter(
      (x): x is string => x !== null,
    );
    if (missing.length) throw new DomainRuleViolation('project.contract_incomplete', `a government-purchased project needs ${missing.join(', ')}`, { missing });
  }
  if (d.kind === 'brand' && !d.partner)
    throw new DomainRuleViolation('project.partner_required', 'a brand project names the partner organisation that brings it', { field: 'partner' });
  if (d.kind === 'station' && !d.stationId)
    throw new DomainRuleViolation('project.station_required', 'a station project names its station', { field: 'stationId' });
  if (d.stationId && d.stationTownId && d.townId && d.stationTownId !== d.townId) {
    throw new DomainRuleViolation('project.station_outside_town', 'the station lies in another town', {
      stationId: d.stationId,
      stationTownId: d.stationTownId,
      townId: d.townId,
    });
  }
  const ids = d.deliverables.map((x) => x.deliverableId);
  if (new Set(ids).size !== ids.length) throw new DomainRuleViolation('project.deliverable_duplicate', 'a deliverable appears twice', {});
}

export function decideProject(command: ProjectCommand, state: ProjectState): ProjectEvent[] {
  switch (command.type) {
    case 'RegisterProject': {
      const d = command.data;
      if (state.status !== 'unregistered')
        throw new DomainRuleViolation('project.already_registered', 'this project already exists', { projectId: d.projectId });
      refuseIncomplete(d);
      const { stationTownId: _lookup, now, ...project } = d;
      return [{ type: 'CommunityProjectRegistered', data: { ...project, registeredAt: now } }];
    }
    case 'CompleteDeliverable': {
      const project = requireActive(state);
      const { deliverableId, on, note, today, now } = command.data;
      const deliverable = project.deliverables.find((x) => x.deliverableId === deliverableId);
      if (!deliverable) throw new DomainRuleViolation('project.deliverable_not_found', 'no such deliverable in this project', { deliverableId });
      if (deliverable.completedOn)
        throw new DomainRuleViolation('project.deliverable_already_completed', `the deliverable was completed on ${deliverable.completedOn}`, {
          deliverableId,
          completedOn: deliverable.completedOn,
        });
      refuseBeforeStart(project, on);
      refuseFuture('project.date_in_future', 'the completion date', on, today);
      return [{ type: 'ProjectDeliverableCompleted', data: { projectId: project.projectId, deliverableId, on, note, recordedAt: now } }];
    }
    case 'SpendProjectFunds': {
      const project = requireActive(state);
      const { spendingId, amountFen, on, purpose, fundsReceivedFen, today, now } = command.data;
      assertFen('project.amount_invalid', amountFen);
      refuseBeforeStart(project, on);
      refuseFuture('project.date_in_future', 'the spending date', on, today);
      const balanceFen = fundsReceivedFen - project.spentFen;
      if (amountFen > balanceFen) {
        throw new DomainRuleViolation(
          'project.spending_over_balance',
          `the project holds ${balanceFen} fen of donated funds; ${amountFen} fen cannot be spent`,
          {
            balanceFen,
            requestedFen: amountFen,
            receivedFen: fundsReceivedFen,
            spentFen: project.spentFen,
          },
        );
      }
      return [{ type: 'ProjectFundsSpent', data: { projectId: project.projectId, spendingId, amountFen, on, purpose, recordedAt: now } }];
    }
    case 'CloseProject': {
      const project = requireActive(state);
      const { on, today, now } = command.data;
      refuseBeforeStart(project, on);
      refuseFuture('project.date_in_future', 'the closing date', on, today);
      return [{ type: 'CommunityProjectClosed', data: { projectId: project.projectId, on, recordedAt: now } }];
    }
    default:
      return assertNever(command);
  }
}

export const projectDecider: Decider<ProjectCommand, ProjectEvent, ProjectState> = {
  decide: decideProject,
  evolve: evolveProject,
  initialState: initialProjectState,
};
