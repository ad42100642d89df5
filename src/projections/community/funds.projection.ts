import type { DonationEvent } from '../../domain/community/donation.events';
import type { ProjectEvent } from '../../domain/community/project.events';
import type { Db } from '../../storage/database';
import { typedProjection } from '../typed-projection';

/** Stamps the project with the event's stream version, unless a later event already did. */
async function touchProject(trx: Db, projectId: string, version: number, recordedAt: string): Promise<void> {
  await trx
    .updateTable('rm_community_projects')
    .set({ version, updated_at: recordedAt })
    .where('id', '=', projectId)
    .where('version', '<', String(version))
    .execute();
}

/**
 * Projects (deliverables, spending) and donations (allocations). Totals are recomputed from
 * the rows, not incremented, so applying an event twice cannot inflate a balance.
 */
export const communityFundsProjection = typedProjection<ProjectEvent | DonationEvent>({
  name: 'community-funds',
  mode: 'inline',
  tables: ['rm_community_projects', 'rm_project_deliverables', 'rm_project_spendings', 'rm_donations', 'rm_donation_allocations'],
  handlers: {
    async CommunityProjectRegistered(trx, { data: d, version, recordedAt }) {
      await trx
        .insertInto('rm_community_projects')
        .values({
          id: d.projectId,
          kind: d.kind,
          name: d.name,
          description: d.description,
          town_id: d.townId,
          village_id: d.villageId,
          station_id: d.stationId,
          provider: d.provider,
          partner: d.partner,
          contract_amount_fen: d.contractAmountFen,
          from_date: d.from,
          to_date: d.to,
          status: 'active',
          version,
          updated_at: recordedAt,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
      for (const [position, x] of d.deliverables.entries()) {
        await trx
          .insertInto('rm_project_deliverables')
          .values({ deliverable_id: x.deliverableId, project_id: d.projectId, position, description: x.description, target: x.target, unit: x.unit })
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
    },
    async ProjectDeliverableCompleted(trx, { data: d, version, recordedAt }) {
      await trx.updateTable('rm_project_deliverables').set({ completed_on: d.on, note: d.note }).where('deliverable_id', '=', d.deliverableId).execute();
      await touchProject(trx, d.projectId, version, recordedAt);
    },
    async ProjectFundsSpent(trx, { data: d, version, recordedAt }) {
      await trx
        .insertInto('rm_project_spendings')
        .values({ id: d.spendingId, project_id: d.projectId, amount_fen: d.amountFen, spent_on: d.on, purpose: d.purpose })
        .onConflict((oc) => oc.doNothing())
        .execute();
      await trx
        .updateTable('rm_community_projects')
        .set((eb) => ({
          spent_fen: eb
            .selectFrom('rm_project_spendings')
            .select((s) => s.fn.coalesce(s.fn.sum<string>('amount_fen'), s.lit(0)).as('total'))
            .where('project_id', '=', d.projectId),
        }))
        .where('id', '=', d.projectId)
        .execute();
      await touchProject(trx, d.projectId, version, recordedAt);
    },
    async CommunityProjectClosed(trx, { data: d, version, recordedAt }) {
      await trx.updateTable('rm_community_projects').set({ status: 'closed', closed_on: d.on }).where('id', '=', d.projectId).execute();
      await touchProject(trx, d.projectId, version, recordedAt);
    },
    async DonationReceived(trx, { data: d, version, recordedAt }) {
      await trx
        .insertInto('rm_donations')
        .values({
          id: d.donationId,
          donor_kind: d.donor.kind,
          donor_name: d.donor.name,
          amount_fen: d.amountFen,
          received_on: d.receivedOn,
          channel: d.channel,
          purpose: d.purpose,
          designated_project_id: d.designatedProjectId,
          town_id: d.townId,
          version,
          updated_at: recordedAt,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    },
    async DonationAllocated(trx, { data: d, version, recordedAt }) {
      await trx
        .insertInto('rm_donation_allocations')
        .values({
          id: d.allocationId,
          donation_id: d.donationId,
          target_kind: d.target.kind,
          project_id: d.target.kind === 'project' ? d.target.projectId : null,
          household_id: d.target.kind === 'household' ? d.target.householdId : null,
          amount_fen: d.amountFen,
          allocated_on: d.on,
          note: d.note,
        })
        .onConflict((oc) => oc.doNothing())
        .execute();
      await trx
        .updateTable('rm_donations')
        .set((eb) => ({
          allocated_fen: eb
            .selectFrom('rm_donation_allocations')
            .select((s) => s.fn.coalesce(s.fn.sum<string>('amount_fen'), s.lit(0)).as('total'))
            .where('donation_id', '=', d.donationId),
          version: eb.fn('greatest', ['version', eb.val(version)]),
          updated_at: recordedAt,
        }))
        .where('id', '=', d.donationId)
        .execute();
    },
  },
});
