import { sql, type Kysely } from 'kysely';
import type { RecordedEvent } from '../../application/event-store';
import type { ServiceRecordEvent } from '../../domain/community/service-record.events';
import type { Projection } from '../projection';

type Event = ServiceRecordEvent & Pick<RecordedEvent, 'version' | 'recordedAt'>;

/**
 * Service records, with one minutes row per volunteer and one row per household served, so
 * hours per volunteer, team and month and households per project are plain sums. A voided
 * record keeps its row (flagged) and loses its minutes and households.
 */
export const communityServicesProjection: Projection = {
  name: 'community-services',
  mode: 'inline',
  handles: ['VolunteerServiceRecorded', 'VolunteerServiceVoided'],
  tables: ['rm_volunteer_services', 'rm_volunteer_service_minutes', 'rm_volunteer_service_households'],
  async apply(trx: Kysely<any>, events: readonly RecordedEvent[]) {
    for (const e of events) await applyOne(trx, e as unknown as Event);
  },
};

async function applyOne(trx: Kysely<any>, event: Event): Promise<void> {
  switch (event.type) {
    case 'VolunteerServiceRecorded': {
      const d = event.data;
      await sql`insert into rm_volunteer_services (id, activity, service_date, town_id, village_id, project_id, participants, household_ids, served_groups, people_served, children_served, note, version, recorded_at)
                values (${d.recordId}, ${d.activity}, ${d.date}, ${d.townId}, ${d.villageId}, ${d.projectId}, ${JSON.stringify(d.participants)}::jsonb, ${JSON.stringify(d.householdIds)}::jsonb, ${JSON.stringify(d.servedGroups)}::jsonb,
                        ${d.peopleServed}, ${d.childrenServed}, ${d.note}, ${event.version}, ${d.recordedAt})
                on conflict (id) do nothing`.execute(trx);
      for (const p of d.participants) {
        await sql`insert into rm_volunteer_service_minutes (service_id, volunteer_id, team_id, service_date, town_id, minutes)
                  values (${d.recordId}, ${p.volunteerId}, ${p.teamId}, ${d.date}, ${d.townId}, ${p.minutes}) on conflict do nothing`.execute(trx);
      }
      for (const householdId of d.householdIds) {
        await sql`insert into rm_volunteer_service_households (service_id, household_id, project_id) values (${d.recordId}, ${householdId}, ${d.projectId}) on conflict do nothing`.execute(trx);
      }
      return;
    }
    case 'VolunteerServiceVoided': {
      const d = event.data;
      await sql`update rm_volunteer_services set voided = true, void_reason = ${d.reason}, version = ${event.version} where id = ${d.recordId}`.execute(trx);
      await sql`delete from rm_volunteer_service_minutes where service_id = ${d.recordId}`.execute(trx);
      await sql`delete from rm_volunteer_service_households where service_id = ${d.recordId}`.execute(trx);
      return;
    }
  }
}
