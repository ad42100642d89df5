import { sql, type Kysely } from 'kysely';
import type { RecordedEvent } from '../../application/event-store';
import type { MobilisableCountEvent } from '../../domain/community/mobilisable-count';
import type { TeamEvent } from '../../domain/community/team.events';
import type { VolunteerEvent } from '../../domain/community/volunteer.events';
import type { Projection } from '../projection';

type Event = (VolunteerEvent | TeamEvent | MobilisableCountEvent) & Pick<RecordedEvent, 'version' | 'recordedAt'>;

/**
 * Volunteers, teams with their dated memberships, and mobilisable counts. Inline: the partial
 * unique index on ID numbers refuses a second registration inside the append's transaction,
 * and a command's response already shows what it changed.
 */
export const communityVolunteersProjection: Projection = {
  name: 'community-volunteers',
  mode: 'inline',
  handles: [
    'VolunteerRegistered',
    'VolunteerProfileUpdated',
    'VolunteerWithdrawn',
    'VolunteerTeamFormed',
    'VolunteerTeamMemberJoined',
    'VolunteerTeamMemberLeft',
    'VolunteerTeamLeaderAppointed',
    'VolunteerTeamDisbanded',
    'MobilisableCountRecorded',
  ],
  tables: ['rm_volunteers', 'rm_volunteer_teams', 'rm_volunteer_team_members', 'rm_mobilisable_counts'],
  async apply(trx: Kysely<any>, events: readonly RecordedEvent[]) {
    for (const e of events) await applyOne(trx, e as unknown as Event);
  },
};

async function applyOne(trx: Kysely<any>, event: Event): Promise<void> {
  const { version, recordedAt } = event;
  const touchVolunteer = (id: string) => sql`update rm_volunteers set version = ${version}, updated_at = ${recordedAt} where id = ${id} and version < ${version}`.execute(trx);
  const touchTeam = (id: string) => sql`update rm_volunteer_teams set version = ${version}, updated_at = ${recordedAt} where id = ${id} and version < ${version}`.execute(trx);
  switch (event.type) {
    case 'VolunteerRegistered': {
      const d = event.data;
      await sql`insert into rm_volunteers (id, name, id_number, phone, skills, town_id, village_id, status, registered_on, version, updated_at)
                values (${d.volunteerId}, ${d.name}, ${d.nationalId}, ${d.phone}, ${JSON.stringify(d.skills)}::jsonb, ${d.townId}, ${d.villageId}, 'registered', ${d.registeredOn}, ${version}, ${recordedAt})
                on conflict (id) do nothing`.execute(trx);
      return;
    }
    case 'VolunteerProfileUpdated':
      await sql`update rm_volunteers set phone = ${event.data.phone}, skills = ${JSON.stringify(event.data.skills)}::jsonb where id = ${event.data.volunteerId}`.execute(trx);
      await touchVolunteer(event.data.volunteerId);
      return;
    case 'VolunteerWithdrawn':
      await sql`update rm_volunteers set status = 'withdrawn', withdrawn_on = ${event.data.on}, withdrawal_reason = ${event.data.reason} where id = ${event.data.volunteerId}`.execute(trx);
      await touchVolunteer(event.data.volunteerId);
      return;
    case 'VolunteerTeamFormed': {
      const d = event.data;
      await sql`insert into rm_volunteer_teams (id, name, kind, town_id, village_id, status, formed_on, version, updated_at)
                values (${d.teamId}, ${d.name}, ${d.kind}, ${d.townId}, ${d.villageId}, 'active', ${d.formedOn}, ${version}, ${recordedAt})
                on conflict (id) do nothing`.execute(trx);
      return;
    }
    case 'VolunteerTeamMemberJoined': {
      const d = event.data;
      await sql`insert into rm_volunteer_team_members (team_id, volunteer_id, from_date) values (${d.teamId}, ${d.volunteerId}, ${d.from}) on conflict do nothing`.execute(trx);
      await touchTeam(d.teamId);
      return;
    }
    case 'VolunteerTeamMemberLeft': {
      const d = event.data;
      await sql`update rm_volunteer_team_members set to_date = ${d.to} where team_id = ${d.teamId} and volunteer_id = ${d.volunteerId} and to_date is null`.execute(trx);
      await sql`update rm_volunteer_teams set leader_id = null, leader_from = null where id = ${d.teamId} and leader_id = ${d.volunteerId}`.execute(trx);
      await touchTeam(d.teamId);
      return;
    }
    case 'VolunteerTeamLeaderAppointed':
      await sql`update rm_volunteer_teams set leader_id = ${event.data.volunteerId}, leader_from = ${event.data.from} where id = ${event.data.teamId}`.execute(trx);
      await touchTeam(event.data.teamId);
      return;
    case 'VolunteerTeamDisbanded': {
      const d = event.data;
      await sql`update rm_volunteer_team_members set to_date = ${d.on} where team_id = ${d.teamId} and to_date is null`.execute(trx);
      await sql`update rm_volunteer_teams set status = 'disbanded', disbanded_on = ${d.on}, leader_id = null, leader_from = null where id = ${d.teamId}`.execute(trx);
      await touchTeam(d.teamId);
      return;
    }
    case 'MobilisableCountRecorded': {
      const d = event.data;
      await sql`insert into rm_mobilisable_counts (organisation_id, organisation, town_id, count, as_of, note, updated_at)
                values (${d.organisationId}, ${d.organisation}, ${d.townId}, ${d.count}, ${d.asOf}, ${d.note}, ${recordedAt})
                on conflict (organisation_id) do update set count = excluded.count, as_of = excluded.as_of, note = excluded.note, updated_at = excluded.updated_at
                where rm_mobilisable_counts.as_of <= excluded.as_of`.execute(trx);
      return;
    }
  }
}
