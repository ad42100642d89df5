import type { Decider } from '../shared/decider';
import { assertNever } from '../shared/decider';
import { DomainRuleViolation, IllegalStateError } from '../shared/errors';
import { addDays, daysBetween, minDay } from './days';
import type { DetectionPolicy } from './detection-policy';
import { evolveFinding, initialFindingState, type FindingEvent, type FindingRecord, type FindingStreamState } from './finding.events';
import { severityRank, type FindingCause, type Outcome, type RiskCause, type Severity, type Source } from './vocabulary';

export type DeadlineDays = DetectionPolicy['deadlineDays'];

/** What the application layer found about the assistance application an enrolment links. */
export type ApplicationCheck = { status: 'found'; householdId: string } | { status: 'not_found' } | { status: 'unavailable' };

export type FindingCommand =
  | {
      type: 'Detect';
      data: {
        /** Ids for a new finding and its task, should one be raised. */
        findingId: string;
        taskId: string;
        cause: FindingCause;
        severity: Severity;
        indicatedCauses: RiskCause[];
        reasons: string[];
        subject: { personId: string; idNumber: string; name: string; matched: boolean; householdId: string | null; groupId: string | null };
        origin: { importId: string; source: Source; row: number };
        windowDays: number;
        deadlineDays: DeadlineDays;
        policyVersion: number;
        today: string;
        now: string;
      };
    }
  | {
      type: 'RecordTaskOutcome';
      data: {
        findingId: string;
        outcome: Outcome;
        on: string;
        recordedBy: string;
        /** For an enrolment: the linked application as looked up, and the person's household now. */
        application: ApplicationCheck;
        currentHouseholdId: string | null;
        today: string;
        now: string;
      };
    }
  | { type: 'PlaceFinding'; data: { findingId: string; groupId: string; groupStatus: 'active' | 'retired'; now: string } };

function requireFinding(state: FindingStreamState, findingId: string): FindingRecord {
  const finding = state.findings.find((f) => f.findingId === findingId);
  if (!finding) throw new DomainRuleViolation('finding.not_found', 'no such finding', { findingId });
  return finding;
}

function requireOpen(finding: FindingRecord): void {
  if (finding.status !== 'open') throw new IllegalStateError('task.already_closed', 'the task already has an outcome', finding.status, ['open']);
}

/**
 * Same person and cause within the window of the current finding: nothing new, unless the
 * severity is higher — then the finding escalates, its deadline tightens (never loosens), and a
 * task already closed opens again. Outside the window (or none yet): a new finding and task.
 */
function detect(state: FindingStreamState, d: Extract<FindingCommand, { type: 'Detect' }>['data']): FindingEvent[] {
  const current = state.findings.at(-1);
  const deadlineFor = (severity: Severity) => addDays(d.today, d.deadlineDays[severity]);
  if (!current || daysBetween(current.raisedOn, d.today) >= d.windowDays) {
    return [
      {
        type: 'FindingRaised',
        data: {
          findingId: d.findingId,
          taskId: d.taskId,
          cause: d.cause,
          severity: d.severity,
          indicatedCauses: d.indicatedCauses,
          reasons: d.reasons,
          subject: d.subject,
          origin: d.origin,
          raisedOn: d.today,
          deadline: deadlineFor(d.severity),
          policyVersion: d.policyVersion,
          raisedAt: d.now,
        },
      },
    ];
  }
  if (severityRank(d.severity) <= severityRank(current.severity)) return [];
  const reopened = current.status === 'closed';
  return [
    {
      type: 'FindingEscalated',
      data: {
        findingId: current.findingId,
        from: current.severity,
        to: d.severity,
        indicatedCauses: d.indicatedCauses,
        reasons: d.reasons,
        origin: d.origin,
        deadline: reopened ? deadlineFor(d.severity) : minDay(current.deadline, deadlineFor(d.severity)),
        reopened,
        escalatedOn: d.today,
        escalatedAt: d.now,
      },
    },
  ];
}

/** An enrolment links an application that exists and, when the person is on the register, is their household's. */
function requireLinkableApplication(applicationId: string, check: ApplicationCheck, householdId: string | null): void {
  if (check.status === 'not_found') throw new DomainRuleViolation('task.application_not_found', 'no assistance application with this id', { applicationId });
  if (check.status === 'found' && householdId && check.householdId !== householdId) {
    throw new DomainRuleViolation('task.application_other_household', "the application is for another household than the finding's", {
      applicationId,
      householdId,
    });
  }
}

export function decideFinding(command: FindingCommand, state: FindingStreamState): FindingEvent[] {
  switch (command.type) {
    case 'Detect':
      return detect(state, command.data);
    case 'RecordTaskOutcome': {
      const d = command.data;
      const finding = requireFinding(state, d.findingId);
      requireOpen(finding);
      if (d.on > d.today) throw new DomainRuleViolation('task.outcome_in_future', 'an outcome cannot be dated after today', { on: d.on, today: d.today });
      if (d.on < finding.raisedOn)
        throw new DomainRuleViolation('task.outcome_before_finding', `an outcome cannot be dated before the finding (${finding.raisedOn})`, {
          on: d.on,
          raisedOn: finding.raisedOn,
        });
      if (d.outcome.kind === 'visited_enrolled') requireLinkableApplication(d.outcome.applicationId, d.application, d.currentHouseholdId);
      return [
        {
          type: 'TaskOutcomeRecorded',
          data: { findingId: finding.findingId, taskId: finding.taskId, outcome: d.outcome, on: d.on, recordedBy: d.recordedBy, recordedAt: d.now },
        },
      ];
    }
    case 'PlaceFinding': {
      const d = command.data;
      const finding = requireFinding(state, d.findingId);
      if (finding.matched)
        throw new DomainRuleViolation('finding.not_placeable', "the person is on the register: the finding follows their household's group", {
          findingId: finding.findingId,
        });
      requireOpen(finding);
      if (finding.groupId === d.groupId) return [];
      if (d.groupStatus !== 'active') throw new DomainRuleViolation('finding.group_retired', 'the villager group is retired', { groupId: d.groupId });
      return [{ type: 'FindingPlaced', data: { findingId: finding.findingId, groupId: d.groupId, placedAt: d.now } }];
    }
    default:
      return assertNever(command);
  }
}

export const findingDecider: Decider<FindingCommand, FindingEvent, FindingStreamState> = {
  decide: decideFinding,
  evolve: evolveFinding,
  initialState: initialFindingState,
};
