import { describe, it } from 'vitest';
import type { MobilisableCountEvent } from '../../src/domain/community/mobilisable-count';
import type { TeamEvent } from '../../src/domain/community/team.events';
import type { VolunteerEvent } from '../../src/domain/community/volunteer.events';
import { communityVolunteersProjection } from '../../src/projections/community/volunteers.projection';
import type { Db } from '../../src/storage/database';
import { projectionSpec } from './projection-spec';

const spec = projectionSpec(communityVolunteersProjection);
const AT = '2026-01-10T08:00:00.000Z';
const townId = '00000000-0000-4000-8000-000000000001';
const [v1, v2, teamId, org] = [1, 2, 3, 4].map((n) => `00000000-0000-4000-8000-0000000000d${n}`) as [string, string, string, string];
const registered = (volunteerId: string, nationalId: string): VolunteerEvent => ({
  type: 'VolunteerRegistered',
  data: {
    volunteerId,
    name: '志愿者',
    nationalId,
    phone: '13800000000',
    skills: ['陪伴'],
    townId,
    villageId: null,
    registeredOn: '2026-01-02',
    registeredAt: AT,
  },
});
const team: (VolunteerEvent | TeamEvent)[] = [
  registered(v1, '110101199001011234'),
  registered(v2, '110101199001015678'),
  { type: 'VolunteerTeamFormed', data: { teamId, name: '银龄先锋队', kind: 'silver_pioneer', townId, villageId: null, formedOn: '2026-01-03', formedAt: AT } },
  { type: 'VolunteerTeamMemberJoined', data: { teamId, volunteerId: v1, from: '2026-01-03', recordedAt: AT } },
  { type: 'VolunteerTeamMemberJoined', data: { teamId, volunteerId: v2, from: '2026-01-04', recordedAt: AT } },
  { type: 'VolunteerTeamLeaderAppointed', data: { teamId, volunteerId: v1, previousLeaderId: null, from: '2026-01-05', recordedAt: AT } },
];
const members = (db: Db) => db.selectFrom('rm_volunteer_team_members').select(['volunteer_id', 'from_date', 'to_date']).orderBy('volunteer_id').execute();
const teams = (db: Db) => db.selectFrom('rm_volunteer_teams').select(['status', 'leader_id', 'leader_from', 'disbanded_on', 'version']).execute();

describe('community-volunteers projection', () => {
  it('keeps dated memberships and the leader', async () => {
    await spec.given(team).expectRows(teams, [{ status: 'active', leader_id: v1, leader_from: '2026-01-05', version: '6' }]);
  });

  it('a leader who leaves is no longer the leader; disbanding ends every open membership', async () => {
    const events: (VolunteerEvent | TeamEvent)[] = [
      ...team,
      { type: 'VolunteerTeamMemberLeft', data: { teamId, volunteerId: v1, to: '2026-02-01', recordedAt: AT } },
    ];
    await spec.given(events).expectRows(teams, [{ status: 'active', leader_id: null, leader_from: null }]);
    await spec.given([...events, { type: 'VolunteerTeamDisbanded', data: { teamId, on: '2026-03-01', reason: '合并', recordedAt: AT } }]).expectRows(members, [
      { volunteer_id: v1, from_date: '2026-01-03', to_date: '2026-02-01' },
      { volunteer_id: v2, from_date: '2026-01-04', to_date: '2026-03-01' },
    ]);
  });

  it('keeps a volunteer’s latest profile and withdrawal', async () => {
    await spec
      .given([
        registered(v1, '110101199001011234'),
        { type: 'VolunteerProfileUpdated', data: { volunteerId: v1, phone: '13900000000', skills: ['心理疏导'], updatedAt: AT } },
        { type: 'VolunteerWithdrawn', data: { volunteerId: v1, on: '2026-04-01', reason: '外出务工', withdrawnAt: AT } },
      ])
      .expectRows(
        (db) => db.selectFrom('rm_volunteers').select(['phone', 'skills', 'status', 'withdrawn_on', 'withdrawal_reason']).execute(),
        [{ phone: '13900000000', skills: ['心理疏导'], status: 'withdrawn', withdrawn_on: '2026-04-01', withdrawal_reason: '外出务工' }],
      );
  });

  it('keeps the latest mobilisable count by its own date, whatever the arrival order', async () => {
    const count = (n: number, asOf: string): MobilisableCountEvent => ({
      type: 'MobilisableCountRecorded',
      data: { organisationId: org, organisation: '县妇联', townId: null, count: n, asOf, note: '', recordedAt: AT },
    });
    await spec
      .given([count(40, '2026-03-01'), count(25, '2026-01-01')])
      .expectRows((db) => db.selectFrom('rm_mobilisable_counts').select(['count', 'as_of']).execute(), [{ count: 40, as_of: '2026-03-01' }]);
  });
});
