import { describe, it } from 'vitest';
import type { DonationEvent } from '../../src/domain/community/donation.events';
import type { ProjectEvent } from '../../src/domain/community/project.events';
import { communityFundsProjection } from '../../src/projections/community/funds.projection';
import { projectionSpec } from './projection-spec';

const spec = projectionSpec(communityFundsProjection);
const AT = '2026-01-10T08:00:00.000Z';
const townId = '00000000-0000-4000-8000-000000000001';
const [projectId, d1, d2, s1, s2, donationId, a1, a2, householdId] = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => `00000000-0000-4000-8000-0000000000e${n}`) as [
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
];

const project: ProjectEvent[] = [
  {
    type: 'CommunityProjectRegistered',
    data: {
      projectId,
      kind: 'government_purchased',
      name: '困境儿童关爱',
      description: '',
      townId,
      villageId: null,
      stationId: null,
      provider: '某社工机构',
      partner: null,
      contractAmountFen: 10_000_000,
      from: '2026-01-01',
      to: '2026-12-31',
      deliverables: [
        { deliverableId: d1, description: '入户探访', target: 100, unit: '次' },
        { deliverableId: d2, description: '小组活动', target: 4, unit: '场' },
      ],
      registeredAt: AT,
    },
  },
  { type: 'ProjectFundsSpent', data: { projectId, spendingId: s1, amountFen: 300_000, on: '2026-02-01', purpose: '交通', recordedAt: AT } },
  { type: 'ProjectFundsSpent', data: { projectId, spendingId: s2, amountFen: 200_000, on: '2026-03-01', purpose: '物资', recordedAt: AT } },
  { type: 'ProjectDeliverableCompleted', data: { projectId, deliverableId: d2, on: '2026-06-01', note: '4场', recordedAt: AT } },
];

describe('community-funds projection', () => {
  it('sums a project’s spending from its rows, so a redelivered spending is counted once', async () => {
    await spec
      .given(project)
      .expectRows(
        (db) => db.selectFrom('rm_community_projects').select(['id', 'status', 'spent_fen', 'contract_amount_fen', 'version']).execute(),
        [{ id: projectId, status: 'active', spent_fen: '500000', contract_amount_fen: '10000000', version: '4' }],
      );
  });

  it('keeps deliverables in order, with the completed one dated', async () => {
    await spec.given([...project, { type: 'CommunityProjectClosed', data: { projectId, on: '2026-12-31', recordedAt: AT } }]).expectRows(
      (db) => db.selectFrom('rm_project_deliverables').select(['deliverable_id', 'position', 'completed_on', 'note']).orderBy('position').execute(),
      [
        { deliverable_id: d1, position: 0, completed_on: null },
        { deliverable_id: d2, position: 1, completed_on: '2026-06-01', note: '4场' },
      ],
    );
  });

  it('sums a donation’s allocations from its rows', async () => {
    const donation: DonationEvent[] = [
      {
        type: 'DonationReceived',
        data: {
          donationId,
          donor: { kind: 'company', name: '某公司' },
          amountFen: 1_000_000,
          receivedOn: '2026-01-05',
          channel: 'bank_transfer',
          purpose: '助学',
          designatedProjectId: null,
          townId,
          receivedAt: AT,
        },
      },
      {
        type: 'DonationAllocated',
        data: { donationId, allocationId: a1, target: { kind: 'project', projectId }, amountFen: 600_000, on: '2026-01-06', note: '', recordedAt: AT },
      },
      {
        type: 'DonationAllocated',
        data: { donationId, allocationId: a2, target: { kind: 'household', householdId }, amountFen: 100_000, on: '2026-01-07', note: '', recordedAt: AT },
      },
    ];
    await spec
      .given(donation)
      .expectRows(
        (db) => db.selectFrom('rm_donations').select(['amount_fen', 'allocated_fen', 'version']).execute(),
        [{ amount_fen: '1000000', allocated_fen: '700000', version: '3' }],
      );
  });
});
