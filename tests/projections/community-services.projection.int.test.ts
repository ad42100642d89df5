import { describe, it } from 'vitest';
import type { ServiceRecordEvent } from '../../src/domain/community/service-record.events';
import { communityServicesProjection } from '../../src/projections/community/services.projection';
import type { Db } from '../../src/storage/database';
import { projectionSpec } from './projection-spec';

const spec = projectionSpec(communityServicesProjection);
const AT = '2026-01-10T08:00:00.000Z';
const recordId = '00000000-0000-4000-8000-0000000000c1';
const townId = '00000000-0000-4000-8000-000000000001';
const [v1, v2, team, h1, h2, project] = [2, 3, 4, 5, 6, 7].map((n) => `00000000-0000-4000-8000-0000000000c${n}`) as [
  string,
  string,
  string,
  string,
  string,
  string,
];

const recorded: ServiceRecordEvent = {
  type: 'VolunteerServiceRecorded',
  data: {
    recordId,
    activity: '助老探访',
    date: '2026-01-09',
    townId,
    villageId: null,
    projectId: project,
    participants: [
      { volunteerId: v1, teamId: team, minutes: 90 },
      { volunteerId: v2, teamId: null, minutes: 60 },
    ],
    householdIds: [h1, h2],
    servedGroups: ['elder'],
    peopleServed: 3,
    childrenServed: 0,
    note: '',
    recordedAt: AT,
  },
};
const minutes = (db: Db) =>
  db.selectFrom('rm_volunteer_service_minutes').select(['volunteer_id', 'team_id', 'minutes', 'service_date']).orderBy('minutes', 'desc').execute();

describe('community-services projection', () => {
  it('keeps one minutes row per volunteer and one row per household served', async () => {
    await spec.given([recorded]).expectRows(minutes, [
      { volunteer_id: v1, team_id: team, minutes: 90, service_date: '2026-01-09' },
      { volunteer_id: v2, team_id: null, minutes: 60 },
    ]);
    await spec.given([recorded]).expectRows(
      (db) => db.selectFrom('rm_volunteer_service_households').select(['household_id', 'project_id']).orderBy('household_id').execute(),
      [
        { household_id: h1, project_id: project },
        { household_id: h2, project_id: project },
      ],
    );
  });

  it('a voided record keeps its row, flagged, and loses its minutes and households', async () => {
    const voided: ServiceRecordEvent[] = [recorded, { type: 'VolunteerServiceVoided', data: { recordId, reason: '重复登记', voidedAt: AT } }];
    await spec.given(voided).expectRows(minutes, []);
    await spec.given(voided).expectRows(
      (db) => db.selectFrom('rm_volunteer_services').select(['id', 'voided', 'void_reason', 'participants']).execute(),
      [
        {
          id: recordId,
          voided: true,
          void_reason: '重复登记',
          participants: [
            { volunteerId: v1, teamId: team, minutes: 90 },
            { volunteerId: v2, teamId: null, minutes: 60 },
          ],
        },
      ],
    );
  });
});
