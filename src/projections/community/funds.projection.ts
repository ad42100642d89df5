import { sql, type Kysely } from 'kysely';
import type { RecordedEvent } from '../../application/event-store';
import type { DonationEvent } from '../../domain/community/donation.events';
import type { ProjectEvent } from '../../domain/community/project.events';
import type { Projection } from '../projection';

type Event = (ProjectEvent | DonationEvent) & Pick<RecordedEvent, 'version' | 'recordedAt'>;

/**
 * Projects (deliverables, spending) and donations (allocations). Totals are recomputed from
 * the rows, not incremented, so applying an event twice cannot inflate a balance.
 */
export const communityFundsProjection: Projection = {
  name: 'community-funds',
  mode: 'inline',
  handles: ['CommunityProjectRegistered', 'ProjectDeliverableCompleted', 'ProjectFundsSpent', 'CommunityProjectClosed', 'DonationReceived', 'DonationAllocated'],
  tables: ['rm_community_projects', 'rm_project_deliverables', 'rm_project_spendings', 'rm_donations', 'rm_donation_allocations'],
  async apply(trx: Kysely<any>, events: readonly RecordedEvent[]) {
    for (const e of events) await applyOne(trx, e as unknown as Event);
  },
};

async function applyOne(trx: Kysely<any>, event: Event): Promise<void> {
  const { version, recordedAt } = event;
  const touchProject = (id: string) => sql`update rm_community_projects set version = ${version}, updated_at = ${recordedAt} where id = ${id} and version < ${version}`.execute(trx);
  switch (event.type) {
    case 'CommunityProjectRegistered': {
      const d = event.data;
      await sql`insert into rm_community_projects (id, kind, name, description, town_id, village_id, station_id, provider, partner, contract_amount_fen, from_date, to_date, status, version, updated_at)
                values (${d.projectId}, ${d.kind}, ${d.name}, ${d.description}, ${d.townId}, ${d.villageId}, ${d.stationId}, ${d.provider}, ${d.partner}, ${d.contractAmountFen},
                        ${d.from}, ${d.to}, 'active', ${version}, ${recordedAt})
                on conflict (id) do nothing`.execute(trx);
      for (const [position, x] of d.deliverables.entries()) {
        await sql`insert into rm_project_deliverables (deliverable_id, project_id, position, description, target, unit)
                  values (${x.deliverableId}, ${d.projectId}, ${position}, ${x.description}, ${x.target}, ${x.unit}) on conflict do nothing`.execute(trx);
      }
      return;
    }
    case 'ProjectDeliverableCompleted':
      await sql`update rm_project_deliverables set completed_on = ${event.data.on}, note = ${event.data.note} where deliverable_id = ${event.data.deliverableId}`.execute(trx);
      await touchProject(event.data.projectId);
      return;
    case 'ProjectFundsSpent': {
      const d = event.data;
      await sql`insert into rm_project_spendings (id, project_id, amount_fen, spent_on, purpose) values (${d.spendingId}, ${d.projectId}, ${d.amountFen}, ${d.on}, ${d.purpose}) on conflict do nothing`.execute(trx);
      await sql`update rm_community_projects set spent_fen = (select coalesce(sum(amount_fen), 0) from rm_project_spendings where project_id = ${d.projectId}) where id = ${d.projectId}`.execute(trx);
      await touchProject(d.projectId);
      return;
    }
    case 'CommunityProjectClosed':
      await sql`update rm_community_projects set status = 'closed', closed_on = ${event.data.on} where id = ${event.data.projectId}`.execute(trx);
      await touchProject(event.data.projectId);
      return;
    case 'DonationReceived': {
      const d = event.data;
      await sql`insert into rm_donations (id, donor_kind, donor_name, amount_fen, received_on, channel, purpose, designated_project_id, town_id, version, updated_at)
                values (${d.donationId}, ${d.donor.kind}, ${d.donor.name}, ${d.amountFen}, ${d.receivedOn}, ${d.channel}, ${d.purpose}, ${d.designatedProjectId}, ${d.townId}, ${version}, ${recordedAt})
                on conflict (id) do nothing`.execute(trx);
      return;
    }
    case 'DonationAllocated': {
      const d = event.data;
      const projectId = d.target.kind === 'project' ? d.target.projectId : null;
      const householdId = d.target.kind === 'household' ? d.target.householdId : null;
      await sql`insert into rm_donation_allocations (id, donation_id, target_kind, project_id, household_id, amount_fen, allocated_on, note)
                values (${d.allocationId}, ${d.donationId}, ${d.target.kind}, ${projectId}, ${householdId}, ${d.amountFen}, ${d.on}, ${d.note}) on conflict do nothing`.execute(trx);
      await sql`update rm_donations set allocated_fen = (select coalesce(sum(amount_fen), 0) from rm_donation_allocations where donation_id = ${d.donationId}),
                version = greatest(version, ${version}), updated_at = ${recordedAt} where id = ${d.donationId}`.execute(trx);
      return;
    }
  }
}
