import { describe, it } from 'vitest';
import { findingDecider, type ApplicationCheck, type FindingCommand } from '../../src/domain/detection/finding.decide';
import { findingEvents, type FindingEvent } from '../../src/domain/detection/finding.events';
import type { Severity } from '../../src/domain/detection/vocabulary';
import { given, NOW, uuid } from './decider-spec';

const DEADLINES = { high: 7, medium: 15, low: 30 };
const subject = { personId: uuid(1), idNumber: '530626198002030118', name: '张三', matched: true, householdId: uuid(2), groupId: uuid(3) };
const origin = { importId: uuid(4), source: 'medical_insurance' as const, row: 7 };
const detect = (severity: Severity, today: string, n = 10): FindingCommand => ({
  type: 'Detect',
  data: {
    findingId: uuid(n),
    taskId: uuid(n + 1),
    cause: 'illness',
    severity,
    indicatedCauses: [],
    reasons: ['costs'],
    subject,
    origin,
    windowDays: 365,
    deadlineDays: DEADLINES,
    policyVersion: 1,
    today,
    now: NOW,
  },
});
const raised = (severity: Severity, raisedOn: string, deadline: string, n = 10): FindingEvent => ({
  type: 'FindingRaised',
  data: {
    findingId: uuid(n),
    taskId: uuid(n + 1),
    cause: 'illness',
    severity,
    indicatedCauses: [],
    reasons: ['costs'],
    subject,
    origin,
    raisedOn,
    deadline,
    policyVersion: 1,
    raisedAt: NOW,
  },
});
const closed: FindingEvent = {
  type: 'TaskOutcomeRecorded',
  data: { findingId: uuid(10), taskId: uuid(11), outcome: { kind: 'no_need', reason: '已有低保' }, on: '2026-01-20', recordedBy: uuid(9), recordedAt: NOW },
};
const outcome = (on: string, today = '2026-03-02'): FindingCommand => ({
  type: 'RecordTaskOutcome',
  data: {
    findingId: uuid(10),
    outcome: { kind: 'referred', agency: '县医保局' },
    on,
    recordedBy: uuid(9),
    application: { status: 'unavailable' },
    currentHouseholdId: uuid(2),
    today,
    now: NOW,
  },
});
const enrol = (application: ApplicationCheck): FindingCommand => ({
  type: 'RecordTaskOutcome',
  data: {
    findingId: uuid(10),
    outcome: { kind: 'visited_enrolled', applicationId: uuid(50) },
    on: '2026-02-01',
    recordedBy: uuid(9),
    application,
    currentHouseholdId: uuid(2),
    today: '2026-03-02',
    now: NOW,
  },
});

describe('finding decider', () => {
  describe('when nothing was found for this person and cause yet', () => {
    it('raises a finding whose task is due by the deadline for its severity', () => {
      given(findingDecider, [], findingEvents)
        .when(detect('high', '2026-03-02'))
        .then([raised('high', '2026-03-02', '2026-03-09')]);
    });
  });

  describe('when a finding was raised within the window', () => {
    const history = [raised('medium', '2026-01-10', '2026-01-25')];
    it('raises no second finding at the same or a lower severity', () => {
      given(findingDecider, history)
        .when(detect('medium', '2026-03-02', 20))
        .then([]);
      given(findingDecider, history)
        .when(detect('low', '2026-03-02', 20))
        .then([]);
    });
    it('escalates a worsening one, keeping the earlier (tighter) deadline', () => {
      given(findingDecider, history, findingEvents)
        .when(detect('high', '2026-03-02', 20))
        .then([
          {
            type: 'FindingEscalated',
            data: {
              findingId: uuid(10),
              from: 'medium',
              to: 'high',
              indicatedCauses: [],
              reasons: ['costs'],
              origin,
              deadline: '2026-01-25',
              reopened: false,
              escalatedOn: '2026-03-02',
              escalatedAt: NOW,
            },
          },
        ]);
    });
    it('escalates and reopens a task that was closed, with a fresh deadline', () => {
      given(findingDecider, [...history, closed], findingEvents)
        .when(detect('high', '2026-03-02', 20))
        .then([
          {
            type: 'FindingEscalated',
            data: {
              findingId: uuid(10),
              from: 'medium',
              to: 'high',
              indicatedCauses: [],
              reasons: ['costs'],
              origin,
              deadline: '2026-03-09',
              reopened: true,
              escalatedOn: '2026-03-02',
              escalatedAt: NOW,
            },
          },
        ]);
    });
  });

  describe('when the window of the last finding has passed', () => {
    it('raises a new finding', () => {
      given(findingDecider, [raised('high', '2025-03-01', '2025-03-08')], findingEvents)
        .when(detect('medium', '2026-03-02', 20))
        .then([raised('medium', '2026-03-02', '2026-03-17', 20)]);
    });
  });

  describe('when recording an outcome', () => {
    const history = [raised('medium', '2026-01-10', '2026-01-25')];
    it('closes the task', () => {
      given(findingDecider, history, findingEvents)
        .when(outcome('2026-02-01'))
        .then([
          {
            type: 'TaskOutcomeRecorded',
            data: {
              findingId: uuid(10),
              taskId: uuid(11),
              outcome: { kind: 'referred', agency: '县医保局' },
              on: '2026-02-01',
              recordedBy: uuid(9),
              recordedAt: NOW,
            },
          },
        ]);
    });
    it('refuses a second outcome', () => {
      given(findingDecider, [...history, closed])
        .when(outcome('2026-02-01'))
        .thenThrows('task.already_closed');
    });
    it('links the assistance application of the household for an enrolment', () => {
      given(findingDecider, history, findingEvents)
        .when(enrol({ status: 'found', householdId: uuid(2) }))
        .then([
          {
            type: 'TaskOutcomeRecorded',
            data: {
              findingId: uuid(10),
              taskId: uuid(11),
              outcome: { kind: 'visited_enrolled', applicationId: uuid(50) },
              on: '2026-02-01',
              recordedBy: uuid(9),
              recordedAt: NOW,
            },
          },
        ]);
    });
    it('refuses an enrolment with an unknown application, or one of another household', () => {
      given(findingDecider, history)
        .when(enrol({ status: 'not_found' }))
        .thenThrows('task.application_not_found');
      given(findingDecider, history)
        .when(enrol({ status: 'found', householdId: uuid(77) }))
        .thenThrows('task.application_other_household');
    });
    it('refuses a date in the future or before the finding', () => {
      given(findingDecider, history).when(outcome('2026-03-03')).thenThrows('task.outcome_in_future');
      given(findingDecider, history).when(outcome('2026-01-09')).thenThrows('task.outcome_before_finding');
    });
  });

  describe('when placing a person found', () => {
    const found: FindingEvent = {
      ...raised('medium', '2026-02-01', '2026-02-16'),
      data: {
        ...(raised('medium', '2026-02-01', '2026-02-16').data as any),
        cause: 'person_found',
        subject: { ...subject, matched: false, householdId: null, groupId: null },
      },
    };
    const place = (groupStatus: 'active' | 'retired' = 'active'): FindingCommand => ({
      type: 'PlaceFinding',
      data: { findingId: uuid(10), groupId: uuid(30), groupStatus, now: NOW },
    });
    it('puts an unplaced finding in the group', () => {
      given(findingDecider, [found], findingEvents)
        .when(place())
        .then([{ type: 'FindingPlaced', data: { findingId: uuid(10), groupId: uuid(30), placedAt: NOW } }]);
    });
    it('refuses a retired group', () => {
      given(findingDecider, [found]).when(place('retired')).thenThrows('finding.group_retired');
    });
    it('refuses a finding about someone on the register (it follows their household)', () => {
      given(findingDecider, [raised('medium', '2026-02-01', '2026-02-16')])
        .when(place())
        .thenThrows('finding.not_placeable');
    });
  });
});
