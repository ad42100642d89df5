import { maskName } from '../../domain/shared/national-id';
import type { FindingRecord } from '../../projections/detection/findings.queries';
import type { Actor } from '../actor';
import { FINDING_FIELDS } from '../privacy/classification';
import { maskFor } from '../privacy/privacy';
import { needsPersonalData } from '../permissions/detection.permissions';

export type FindingView = Omit<FindingRecord, 'streamId'> & { unplaced: boolean; personalDataMasked: boolean };

export interface TaskView {
  id: string;
  findingId: string;
  cause: FindingRecord['cause'];
  severity: FindingRecord['severity'];
  status: 'open' | 'closed';
  raisedOn: string;
  deadline: string;
  overdue: boolean;
  /** Open: the responsible worker of the group today; closed: who recorded the outcome. */
  assigneeId: string | null;
  personId: string;
  name: string;
  householdId: string | null;
  groupId: string | null;
  villageId: string | null;
  townId: string | null;
  unplaced: boolean;
  outcome: FindingRecord['task']['outcome'];
  personalDataMasked: boolean;
}

/** Full ID numbers, names and reasons (they carry health data) only for the roles that work the case. */
export function findingView(actor: Actor, f: FindingRecord): FindingView {
  const { streamId: _s, ...rest } = f;
  const base = { ...rest, unplaced: f.groupId === null };
  // Through the one masking layer: the class of each field from FINDING_FIELDS, who sees it from the policy table.
  const shown = maskFor(actor, 'beneficiary', 'inside', base, FINDING_FIELDS);
  return { ...shown.value, personalDataMasked: shown.masked };
}

export function taskView(actor: Actor, f: FindingRecord): TaskView {
  const masked = !needsPersonalData(actor);
  return {
    id: f.taskId,
    findingId: f.id,
    cause: f.cause,
    severity: f.severity,
    status: f.task.status,
    raisedOn: f.raisedOn,
    deadline: f.task.deadline,
    overdue: f.task.overdue,
    assigneeId: f.task.assigneeId,
    personId: f.personId,
    name: masked ? maskName(f.name) : f.name,
    householdId: f.householdId,
    groupId: f.groupId,
    villageId: f.villageId,
    townId: f.townId,
    unplaced: f.groupId === null,
    outcome: f.task.outcome,
    personalDataMasked: masked,
  };
}
