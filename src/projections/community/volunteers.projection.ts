import type { MobilisableCountEvent } from '../../domain/community/mobilisable-count';
import type { TeamEvent } from '../../domain/community/team.events';
import type { VolunteerEvent } from '../../domain/community/volunteer.events';
import type { Db } from '../../storage/database';
import { typedProjection } from '../typed-projection';

/** Stamps the row with the event's stream version, unless a later event already did. */
async function touch(trx: Db, table: 'rm_volunteers' | 'rm_volunteer_teams', id: string, version: number, recordedAt: string): Promise<void> {
  await trx.updateTable(table).set({ version, updated_at: recordedAt }).where('id', '=', id).where('version', '<', String(version)).execute();
}

/**
 * Volunteers, teams with their dated memberships, and mobilisable counts. Inline: the partial
 * unique index on ID numbers refuses a second registration inside the append's transaction,
 * and a command's response already shows what it changed.
 */
export const communityVolunteersProjection = typedProjection<VolunteerEvent | TeamEvent | MobilisableCountEvent>({
  name: 'community-volunteers',
  mode: 'inline',
  tables: ['rm_volunteers', 'rm_volunteer_teams', 'rm_volunteer_team_members', 'rm_mobilisable_counts'],
  handlers: {
    async VolunteerRegistered(trx, { data: d, version, recordedAt }) {
      await trx
        .insertInto('rm_volunteers')
        .values({
          id: d.volunteerId,
          name: d.name,
          id_number: d.nationalId,
          phone: d.phone,
          skills: JSON.stringify(d.skills),
          town_id: d.townId,
          village_id: d.villageId,
          status: 'registered',
          registered_on: d.registeredOn,
          version,
          updated_at: recordedAt,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    },
    async VolunteerProfileUpdated(trx, { data: d, version, recordedAt }) {
      await trx
        .updateTable('rm_volunteers')
        .set({ phone: d.phone, skills: JSON.stringify(d.skills) })
        .where('id', '=', d.volunteerId)
        .execute();
      await touch(trx, 'rm_volunteers', d.volunteerId, version, recordedAt);
    },
    async VolunteerWithdrawn(trx, { data: d, version, recordedAt }) {
      await trx
        .updateTable('rm_volunteers')
        .set({ status: 'withdrawn', withdrawn_on: d.on, withdrawal_reason: d.reason })
        .where('id', '=', d.volunteerId)
        .execute();
      await touch(trx, 'rm_volunteers', d.volunteerId, version, recordedAt);
    },
    async VolunteerTeamFormed(trx, { data: d, version, recordedAt }) {
      await trx
        .insertInto('rm_volunteer_teams')
        .values({
          id: d.teamId,
          name: d.name,
          kind: d.kind,
          town_id: d.townId,
          village_id: d.villageId,
          status: 'active',
          formed_on: d.formedOn,
          version,
          updated_at: recordedAt,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    },
    async VolunteerTeamMemberJoined(trx, { data: d, version, recordedAt }) {
      await trx
        .insertInto('rm_volunteer_team_members')
        .values({ team_id: d.teamId, volunteer_id: d.volunteerId, from_date: d.from })
        .onConflict((oc) => oc.doNothing())
        .execute();
      await touch(trx, 'rm_volunteer_teams', d.teamId, version, recordedAt);
    },
    async VolunteerTeamMemberLeft(trx, { data: d, version, recordedAt }) {
      await trx
        .updateTable('rm_volunteer_team_members')
        .set({ to_date: d.to })
        .where('team_id', '=', d.teamId)
        .where('volunteer_id', '=', d.volunteerId)
        .where('to_date', 'is', null)
        .execute();
      await trx
        .updateTable('rm_volunteer_teams')
        .set({ leader_id: null, leader_from: null })
        .where('id', '=', d.teamId)
        .where('leader_id', '=', d.volunteerId)
        .execute();
      await touch(trx, 'rm_volunteer_teams', d.teamId, version, recordedAt);
    },
    async VolunteerTeamLeaderAppointed(trx, { data: d, version, recordedAt }) {
      await trx.updateTable('rm_volunteer_teams').set({ leader_id: d.volunteerId, leader_from: d.from }).where('id', '=', d.teamId).execute();
      await touch(trx, 'rm_volunteer_teams', d.teamId, version, recordedAt);
    },
    async VolunteerTeamDisbanded(trx, { data: d, version, recordedAt }) {
      await trx.updateTable('rm_volunteer_team_members').set({ to_date: d.on }).where('team_id', '=', d.teamId).where('to_date', 'is', null).execute();
      await trx
        .updateTable('rm_volunteer_teams')
        .set({ status: 'disbanded', disbanded_on: d.on, leader_id: null, leader_from: null })
        .where('id', '=', d.teamId)
        .execute();
      await touch(trx, 'rm_volunteer_teams', d.teamId, version, recordedAt);
    },
    async MobilisableCountRecorded(trx, { data: d, recordedAt }) {
      // The latest count as of its own date wins; an older count arriving late changes nothing.
      await trx
        .insertInto('rm_mobilisable_counts')
        .values({
          organisation_id: d.organisationId,
          organisation: d.organisation,
          town_id: d.townId,
          count: d.count,
          as_of: d.asOf,
          note: d.note,
          updated_at: recordedAt,
        })
        .onConflict((oc) =>
          oc
            .column('organisation_id')
            .doUpdateSet((eb) => ({
              count: eb.ref('excluded.count'),
              as_of: eb.ref('excluded.as_of'),
              note: eb.ref('excluded.note'),
              updated_at: eb.ref('excluded.updated_at'),
            }))
            .where('rm_mobilisable_counts.as_of', '<=', (eb) => eb.ref('excluded.as_of')),
        )
        .execute();
    },
  },
});
