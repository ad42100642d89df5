import { describe, it } from 'vitest';
import { donationDecider } from '../../src/domain/community/donation.decide';
import { donationEvents, type DonationEvent } from '../../src/domain/community/donation.events';
import { projectDecider, type RegisterProjectData } from '../../src/domain/community/project.decide';
import { projectEvents, type ProjectEvent } from '../../src/domain/community/project.events';
import { given, uuid } from './decider-spec';

const NOW = '2026-03-02T02:00:00.000Z';
const TODAY = '2026-03-02';
const D = uuid(1);
const P = uuid(2);
const H = uuid(3);
const TOWN = uuid(4);

describe('donation decider: allocations never exceed what remains', () => {
  const received = (extra: Partial<Extract<DonationEvent, { type: 'DonationReceived' }>['data']> = {}): DonationEvent => ({
    type: 'DonationReceived',
    data: {
      donationId: D,
      donor: { kind: 'company', name: '某建材公司' },
      amountFen: 16_000_000,
      receivedOn: '2026-01-10',
      channel: 'bank_transfer',
      purpose: '助学',
      designatedProjectId: null,
      townId: null,
      receivedAt: NOW,
      ...extra,
    },
  });
  const allocate = (amountFen: number, extra: object = {}) => ({
    type: 'AllocateDonation' as const,
    data: {
      allocationId: uuid(10),
      target: { kind: 'project' as const, projectId: P },
      amountFen,
      on: '2026-02-01',
      note: '',
      projectStatus: 'active' as const,
      today: TODAY,
      now: NOW,
      ...extra,
    },
  });
  const allocated = (amountFen: number, allocationId = uuid(10)): DonationEvent => ({
    type: 'DonationAllocated',
    data: { donationId: D, allocationId, target: { kind: 'project', projectId: P }, amountFen, on: '2026-02-01', note: '', recordedAt: NOW },
  });

  it('records a donation in integer fen; a company or platform is named, a person may be anonymous', () => {
    const receive = (donor: object, amountFen = 3_500_000) => ({
      type: 'ReceiveDonation' as const,
      data: {
        donationId: D,
        donor: donor as never,
        amountFen,
        receivedOn: '2026-01-10',
        channel: 'online_charity' as const,
        purpose: '助学',
        designatedProjectId: null,
        townId: null,
        today: TODAY,
        now: NOW,
      },
    });
    given(donationDecider, [], donationEvents)
      .when(receive({ kind: 'person', name: null }))
      .then([
        {
          type: 'DonationReceived',
          data: {
            donationId: D,
            donor: { kind: 'person', name: null },
            amountFen: 3_500_000,
            receivedOn: '2026-01-10',
            channel: 'online_charity',
            purpose: '助学',
            designatedProjectId: null,
            townId: null,
            receivedAt: NOW,
          },
        },
      ]);
    given(donationDecider)
      .when(receive({ kind: 'online_platform', name: null }))
      .thenThrows('donation.donor_name_required');
    given(donationDecider)
      .when(receive({ kind: 'company', name: 'x' }, 10.5))
      .thenThrows('donation.amount_invalid');
    given(donationDecider)
      .when(receive({ kind: 'company', name: 'x' }, 0))
      .thenThrows('donation.amount_invalid');
    given(donationDecider, [received()])
      .when(receive({ kind: 'company', name: 'x' }))
      .thenThrows('donation.already_received');
  });
  it('allocates up to exactly what remains, and not one fen more', () => {
    given(donationDecider, [received()], donationEvents)
      .when(allocate(16_000_000))
      .then([allocated(16_000_000)]);
    given(donationDecider, [received()]).when(allocate(16_000_001)).thenThrows('donation.over_balance', { remainingFen: 16_000_000, requestedFen: 16_000_001 });
    const history = [received(), allocated(10_000_000, uuid(20)), allocated(5_000_000, uuid(21))];
    given(donationDecider, history, donationEvents)
      .when(allocate(1_000_000))
      .then([allocated(1_000_000)]);
    given(donationDecider, history).when(allocate(1_000_001)).thenThrows('donation.over_balance', { remainingFen: 1_000_000, allocatedFen: 15_000_000 });
  });
  it('allocates to a household too', () => {
    given(donationDecider, [received()], donationEvents)
      .when(allocate(50_000, { target: { kind: 'household', householdId: H }, projectStatus: null }))
      .then([
        {
          type: 'DonationAllocated',
          data: {
            donationId: D,
            allocationId: uuid(10),
            target: { kind: 'household', householdId: H },
            amountFen: 50_000,
            on: '2026-02-01',
            note: '',
            recordedAt: NOW,
          },
        },
      ]);
  });
  it('refuses an allocation before receipt, in the future, to a closed project, or against the designation', () => {
    given(donationDecider, [received()])
      .when(allocate(100, { on: '2026-01-09' }))
      .thenThrows('donation.allocation_before_receipt');
    given(donationDecider, [received()])
      .when(allocate(100, { on: '2026-03-03' }))
      .thenThrows('donation.date_in_future');
    given(donationDecider, [received()])
      .when(allocate(100, { projectStatus: 'closed' }))
      .thenThrows('donation.project_closed');
    given(donationDecider, [received({ designatedProjectId: uuid(99) })])
      .when(allocate(100))
      .thenThrows('donation.designated_for_project', { designatedProjectId: uuid(99) });
    given(donationDecider).when(allocate(100)).thenThrows('donation.not_received');
  });
});

describe('project decider', () => {
  const register = (extra: Partial<RegisterProjectData> = {}) => ({
    type: 'RegisterProject' as const,
    data: {
      projectId: P,
      kind: 'government_purchased' as const,
      name: '困境儿童关爱服务',
      description: '',
      townId: TOWN,
      villageId: null,
      stationId: null,
      provider: '绥江县某社会工作服务中心',
      partner: null,
      contractAmountFen: 78_800_000,
      from: '2026-01-01',
      to: '2026-12-31',
      deliverables: [{ deliverableId: uuid(30), description: '入户探访', target: 1200, unit: '户次' }],
      stationTownId: null,
      now: NOW,
      ...extra,
    },
  });
  const registered: ProjectEvent = {
    type: 'CommunityProjectRegistered',
    data: {
      projectId: P,
      kind: 'government_purchased',
      name: '困境儿童关爱服务',
      description: '',
      townId: TOWN,
      villageId: null,
      stationId: null,
      provider: '绥江县某社会工作服务中心',
      partner: null,
      contractAmountFen: 78_800_000,
      from: '2026-01-01',
      to: '2026-12-31',
      deliverables: [{ deliverableId: uuid(30), description: '入户探访', target: 1200, unit: '户次' }],
      registeredAt: NOW,
    },
  };

  it('registers a purchased service with its contract, refusing an incomplete one', () => {
    given(projectDecider, [], projectEvents).when(register()).then([registered]);
    given(projectDecider)
      .when(register({ provider: null, to: null }))
      .thenThrows('project.contract_incomplete', { missing: ['provider', 'to'] });
    given(projectDecider)
      .when(register({ to: '2025-12-31' }))
      .thenThrows('project.period_invalid');
    given(projectDecider)
      .when(register({ kind: 'brand', partner: null }))
      .thenThrows('project.partner_required');
    given(projectDecider)
      .when(register({ kind: 'station' }))
      .thenThrows('project.station_required');
    given(projectDecider)
      .when(register({ kind: 'station', stationId: uuid(40), stationTownId: uuid(41) }))
      .thenThrows('project.station_outside_town');
  });
  it('spends donated funds up to the balance only', () => {
    const spend = (amountFen: number, fundsReceivedFen: number) => ({
      type: 'SpendProjectFunds' as const,
      data: { spendingId: uuid(50), amountFen, on: '2026-02-01', purpose: '购买助学物资', fundsReceivedFen, today: TODAY, now: NOW },
    });
    const spent: ProjectEvent = {
      type: 'ProjectFundsSpent',
      data: { projectId: P, spendingId: uuid(51), amountFen: 600_000, on: '2026-01-20', purpose: '书包', recordedAt: NOW },
    };
    given(projectDecider, [registered, spent], projectEvents)
      .when(spend(400_000, 1_000_000))
      .then([
        {
          type: 'ProjectFundsSpent',
          data: { projectId: P, spendingId: uuid(50), amountFen: 400_000, on: '2026-02-01', purpose: '购买助学物资', recordedAt: NOW },
        },
      ]);
    given(projectDecider, [registered, spent])
      .when(spend(400_001, 1_000_000))
      .thenThrows('project.spending_over_balance', { balanceFen: 400_000, spentFen: 600_000 });
  });
  it('completes a deliverable once, and accepts nothing after closing', () => {
    const complete = { type: 'CompleteDeliverable' as const, data: { deliverableId: uuid(30), on: '2026-02-01', note: '', today: TODAY, now: NOW } };
    const completed: ProjectEvent = {
      type: 'ProjectDeliverableCompleted',
      data: { projectId: P, deliverableId: uuid(30), on: '2026-02-01', note: '', recordedAt: NOW },
    };
    given(projectDecider, [registered], projectEvents).when(complete).then([completed]);
    given(projectDecider, [registered, completed]).when(complete).thenThrows('project.deliverable_already_completed');
    given(projectDecider, [registered])
      .when({ ...complete, data: { ...complete.data, deliverableId: uuid(31) } })
      .thenThrows('project.deliverable_not_found');
    const closed: ProjectEvent = { type: 'CommunityProjectClosed', data: { projectId: P, on: '2026-02-15', recordedAt: NOW } };
    given(projectDecider, [registered])
      .when({ type: 'CloseProject', data: { on: '2025-12-31', today: TODAY, now: NOW } })
      .thenThrows('project.date_before_start');
    given(projectDecider, [registered, closed]).when(complete).thenThrows('project.closed');
  });
});
