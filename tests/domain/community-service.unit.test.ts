import { describe, it } from 'vitest';
import { mobilisableCountDecider, mobilisableCountEvents, type MobilisableCountEvent } from '../../src/domain/community/mobilisable-count';
import { serviceRecordDecider, type ServiceFacts } from '../../src/domain/community/service-record.decide';
import { serviceRecordEvents, type ServiceRecordEvent } from '../../src/domain/community/service-record.events';
import { given, uuid } from './decider-spec';

const NOW = '2026-03-02T02:00:00.000Z';
const TODAY = '2026-03-02';
const R = uuid(1);
const TOWN = uuid(2);
const V1 = uuid(3);
const V2 = uuid(4);
const TEAM = uuid(5);
const P = uuid(6);
const H = uuid(7);

describe('service record decider', () => {
  const facts = (extra: Partial<ServiceFacts> = {}): ServiceFacts => ({
    registeredVolunteerIds: [V1, V2],
    teamMembersOnDate: { [TEAM]: [V1] },
    project: null,
    ...extra,
  });
  const base = {
    recordId: R,
    activity: '为独居老人理发',
    date: '2026-02-20',
    townId: TOWN,
    villageId: null,
    projectId: null,
    participants: [
      { volunteerId: V1, teamId: TEAM, minutes: 90 },
      { volunteerId: V2, teamId: null, minutes: 45 },
    ],
    householdIds: [H, H],
    servedGroups: ['elder' as const, 'elder' as const],
    peopleServed: 2,
    childrenServed: 0,
    note: '',
  };
  const record = (extra: object = {}, f = facts()) => ({ type: 'RecordService' as const, data: { ...base, ...extra, facts: f, today: TODAY, now: NOW } });
  const recorded: ServiceRecordEvent = { type: 'VolunteerServiceRecorded', data: { ...base, householdIds: [H], servedGroups: ['elder'], recordedAt: NOW } };

  it('records minutes per volunteer, de-duplicating households and groups', () => {
    given(serviceRecordDecider, [], serviceRecordEvents).when(record()).then([recorded]);
  });
  it('refuses a volunteer not registered that day, or not in the team they served with', () => {
    given(serviceRecordDecider)
      .when(record({}, facts({ registeredVolunteerIds: [V1] })))
      .thenThrows('service_record.volunteer_not_registered', { volunteerId: V2 });
    given(serviceRecordDecider)
      .when(record({}, facts({ teamMembersOnDate: { [TEAM]: [] } })))
      .thenThrows('service_record.not_team_member', { volunteerId: V1, teamId: TEAM });
  });
  it('refuses a volunteer twice, minutes out of range, a future date, and an empty record', () => {
    given(serviceRecordDecider)
      .when(record({ participants: [base.participants[0], base.participants[0]] }))
      .thenThrows('service_record.duplicate_volunteer');
    given(serviceRecordDecider)
      .when(record({ participants: [{ volunteerId: V2, teamId: null, minutes: 1441 }] }))
      .thenThrows('service_record.minutes_out_of_range');
    given(serviceRecordDecider)
      .when(record({ date: '2026-03-03' }))
      .thenThrows('service_record.date_in_future');
    given(serviceRecordDecider)
      .when(record({ participants: [] }))
      .thenThrows('service_record.empty');
  });
  it('keeps children within people, and people at least one per household', () => {
    given(serviceRecordDecider)
      .when(record({ childrenServed: 3 }))
      .thenThrows('service_record.children_exceed_people');
    given(serviceRecordDecider)
      .when(record({ householdIds: [H, uuid(8), uuid(9)] }))
      .thenThrows('service_record.people_below_households');
  });
  it("needs the date within the project's period (inclusive), and allows a project activity without volunteers", () => {
    const project = { projectId: P, from: '2026-01-01', to: '2026-02-19', closedOn: null };
    given(serviceRecordDecider)
      .when(record({ projectId: P }, facts({ project })))
      .thenThrows('service_record.outside_project_period', { to: '2026-02-19' });
    given(serviceRecordDecider)
      .when(record({ projectId: P }, facts({ project: { ...project, to: null, closedOn: '2026-02-10' } })))
      .thenThrows('service_record.outside_project_period');
    const byProvider = record(
      { projectId: P, participants: [], householdIds: [], servedGroups: ['child'], peopleServed: 40, childrenServed: 40 },
      facts({ project: { ...project, to: '2026-02-20' } }),
    );
    given(serviceRecordDecider, [], serviceRecordEvents)
      .when(byProvider)
      .then([
        {
          type: 'VolunteerServiceRecorded',
          data: { ...base, projectId: P, participants: [], householdIds: [], servedGroups: ['child'], peopleServed: 40, childrenServed: 40, recordedAt: NOW },
        },
      ]);
  });
  it('voids once', () => {
    const voided: ServiceRecordEvent = { type: 'VolunteerServiceVoided', data: { recordId: R, reason: '重复录入', voidedAt: NOW } };
    given(serviceRecordDecider, [recorded], serviceRecordEvents)
      .when({ type: 'VoidService', data: { reason: '重复录入', now: NOW } })
      .then([voided]);
    given(serviceRecordDecider, [recorded, voided])
      .when({ type: 'VoidService', data: { reason: 'again', now: NOW } })
      .thenThrows('service_record.already_voided');
    given(serviceRecordDecider)
      .when({ type: 'VoidService', data: { reason: 'x', now: NOW } })
      .thenThrows('service_record.not_recorded');
  });
});

describe('mobilisable count decider', () => {
  const count = (n: number, asOf: string) => ({
    type: 'RecordMobilisableCount' as const,
    data: { organisationId: uuid(20), organisation: '回望村委会', townId: TOWN, count: n, asOf, note: '', today: TODAY, now: NOW },
  });
  const recorded = (n: number, asOf: string): MobilisableCountEvent => ({
    type: 'MobilisableCountRecorded',
    data: { organisationId: uuid(20), organisation: '回望村委会', townId: TOWN, count: n, asOf, note: '', recordedAt: NOW },
  });
  it('keeps the latest count, refusing an older one and a future one', () => {
    given(mobilisableCountDecider, [recorded(120, '2026-01-01')], mobilisableCountEvents)
      .when(count(150, '2026-02-01'))
      .then([recorded(150, '2026-02-01')]);
    given(mobilisableCountDecider, [recorded(120, '2026-01-01')])
      .when(count(150, '2025-12-01'))
      .thenThrows('mobilisable.out_of_order');
    given(mobilisableCountDecider, [recorded(120, '2026-01-01')])
      .when(count(120, '2026-01-01'))
      .then([]);
    given(mobilisableCountDecider).when(count(1, '2026-03-03')).thenThrows('mobilisable.date_in_future');
  });
});
