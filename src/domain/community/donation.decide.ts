import { assertNever, type Decider } from '../shared/decider';
import { DomainRuleViolation, IllegalStateError } from '../shared/errors';
import { assertFen, refuseFuture } from './community-vocabulary';
import { evolveDonation, remainingFen, type AllocationTarget, type DonationEvent, type DonationState, type Donor } from './donation.events';
import type { DonationChannel } from './community-vocabulary';

/** `projectStatus`: the target project's status, looked up by the application (null for a household). */
export type DonationCommand =
  | {
      type: 'ReceiveDonation';
      data: {
        donationId: string;
        donor: Donor;
        amountFen: number;
        receivedOn: string;
        channel: DonationChannel;
        purpose: string;
        designatedProjectId: string | null;
        townId: string | null;
        today: string;
        now: string;
      };
    }
  | {
      type: 'AllocateDonation';
      data: {
        allocationId: string;
        target: AllocationTarget;
        amountFen: number;
        on: string;
        note: string;
        projectStatus: 'active' | 'closed' | null;
        today: string;
        now: string;
      };
    };

export function decideDonation(command: DonationCommand, state: DonationState): DonationEvent[] {
  switch (command.type) {
    case 'ReceiveDonation': {
      const { today, now, ...d } = command.data;
      if (state.status !== 'none')
        throw new DomainRuleViolation('donation.already_received', 'this donation is already recorded', { donationId: d.donationId });
      assertFen('donation.amount_invalid', d.amountFen);
      // Anonymity is a person's right; a company or a platform is always named (公示).
      if (d.donor.kind !== 'person' && !d.donor.name)
        throw new DomainRuleViolation('donation.donor_name_required', `a ${d.donor.kind} donor is named`, { field: 'donor.name' });
      refuseFuture('donation.date_in_future', 'the receipt date', d.receivedOn, today);
      return [{ type: 'DonationReceived', data: { ...d, receivedAt: now } }];
    }
    case 'AllocateDonation': {
      if (state.status !== 'received') throw new IllegalStateError('donation.not_received', 'no such donation', state.status, ['received']);
      const { allocationId, target, amountFen, on, note, projectStatus, today, now } = command.data;
      assertFen('donation.amount_invalid', amountFen);
      if (on < state.receivedOn)
        throw new DomainRuleViolation('donation.allocation_before_receipt', `the donation was received on ${state.receivedOn}`, {
          receivedOn: state.receivedOn,
          on,
        });
      refuseFuture('donation.date_in_future', 'the allocation date', on, today);
      if (state.designatedProjectId && (target.kind !== 'project' || target.projectId !== state.designatedProjectId)) {
        throw new DomainRuleViolation('donation.designated_for_project', 'the donor designated this donation for one project', {
          designatedProjectId: state.designatedProjectId,
        });
      }
      if (target.kind === 'project' && projectStatus === 'closed')
        throw new DomainRuleViolation('donation.project_closed', 'the project is closed', { projectId: target.projectId });
      // Never more than what remains: the sum of allocations stays within what was received.
      const remaining = remainingFen(state);
      if (amountFen > remaining) {
        throw new DomainRuleViolation('donation.over_balance', `${remaining} fen of this donation remain; ${amountFen} fen cannot be allocated`, {
          remainingFen: remaining,
          requestedFen: amountFen,
          amountFen: state.amountFen,
          allocatedFen: state.allocatedFen,
        });
      }
      return [{ type: 'DonationAllocated', data: { donationId: state.donationId, allocationId, target, amountFen, on, note, recordedAt: now } }];
    }
    default:
      return assertNever(command);
  }
}

export const donationDecider: Decider<DonationCommand, DonationEvent, DonationState> = {
  decide: decideDonation,
  evolve: evolveDonation,
  initialState: () => ({ status: 'none' }),
};
