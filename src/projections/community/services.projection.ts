import type { ServiceRecordEvent } from '../../domain/community/service-record.events';
import { typedProjection } from '../typed-projection';

/**
 * Service records, with one minutes row per volunteer and one row per household served, so
 * hours per volunteer, team and month and households per project are plain sums. A voided
 * record keeps its row (flagged) and loses its minutes and households.
 */
export const communityServicesProjection = typedProjection<ServiceRecordEvent>({
  name: 'community-services',
  mode: 'inline',
  tables: ['rm_volunteer_services', 'rm_volunteer_service_minutes', 'rm_volunteer_service_households'],
  handlers: {
    async VolunteerServiceRecorded(trx, { data: d, version }) {
      await trx
        .insertInto('rm_volunteer_services')
        .values({
          id: d.recordId,
          activity: d.activity,
          service_date: d.date,
          town_id: d.townId,
          village_id: d.villageId,
          project_id: d.projectId,
          participants: JSON.stringify(d.participants),
          household_ids: JSON.stringify(d.householdIds),
          served_groups: JSON.stringify(d.servedGroups),
          people_served: d.peopleServed,
          children_served: d.childrenServed,
          note: d.note,
          version,
          recorded_at: d.recordedAt,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
      for (const p of d.participants) {
        await trx
          .insertInto('rm_volunteer_service_minutes')
          .values({ service_id: d.recordId, volunteer_id: p.volunteerId, team_id: p.teamId, service_date: d.date, town_id: d.townId, minutes: p.minutes })
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
      for (const householdId of d.householdIds) {
        await trx
          .insertInto('rm_volunteer_service_households')
          .values({ service_id: d.recordId, household_id: householdId, project_id: d.projectId })
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
    },
    async VolunteerServiceVoided(trx, { data: d, version }) {
      await trx.updateTable('rm_volunteer_services').set({ voided: true, void_reason: d.reason, version }).where('id', '=', d.recordId).execute();
      await trx.deleteFrom('rm_volunteer_service_minutes').where('service_id', '=', d.recordId).execute();
      await trx.deleteFrom('rm_volunteer_service_households').where('service_id', '=', d.recordId).execute();
    },
  },
});
