import type { DonationChannel, DonorKind } from '../../domain/community/community-vocabulary';
import type { DonationCommand } from '../../domain/community/donation.decide';
import type { AllocationTarget } from '../../domain/community/donation.events';
import { maskName } from '../../domain/shared/national-id';
import { getDonation, getProject, listDonations, type DonationFilter, type DonationRecord } from '../../projections/community/funds.queries';
import { getHousehold } from '../../projections/households/households.queries';
import type { Actor } from '../actor';
import type { CommandContext, CommandHandler } from '../command-handler';
import type { CommandInput } from '../aggregate';
import { donations } from './community.aggregates';
import { BadRequestError, NotFoundError } from '../errors';
import { deterministicUuid } from '../ids';
import type { Page, PageRequest } from '../pagination';
import { seesContactDetails, today, type CommunityAccess, type Reader } from './community-access';
import type { Db } from '../db';

export interface ReceiveDonationInput {
  donor: { kind: DonorKind; name?: string | null | undefined };
  amountFen: number;
  receivedOn?: string | undefined;
  channel: DonationChannel;
  purpose: string;
  designatedProjectId?: string | null | undefined;
  townId?: string | null | undefined;
}

export interface AllocateInput {
  projectId?: string | undefined;
  householdId?: string | undefined;
  amountFen: number;
  on?: string | undefined;
  note?: string | undefined;
}

/** Donations (捐赠) received and allocated to projects or households, in integer fen. */
export class DonationsService {
  constructor(
    private readonly commands: CommandHandler,
    private readonly db: Db,
    private readonly access: CommunityAccess,
  ) {}

  async receive(context: CommandContext, input: ReceiveDonationInput): Promise<DonationRecord> {
    const place = await this.access.place({ townId: input.townId ?? null });
    await this.access.assertWriter(context, place, 'record donations');
    if (input.designatedProjectId && !(await getProject(this.db, input.designatedProjectId))) throw new NotFoundError('project', input.designatedProjectId);
    const donationId = deterministicUuid(`${context.commandId}:donation`);
    await this.run(context, donationId, {
      type: 'ReceiveDonation',
      data: {
        donationId,
        donor: { kind: input.donor.kind, name: input.donor.name ?? null },
        amountFen: input.amountFen,
        receivedOn: input.receivedOn ?? today(context),
        channel: input.channel,
        purpose: input.purpose,
        designatedProjectId: input.designatedProjectId ?? null,
        townId: place.townId,
        today: today(context),
      },
    });
    return this.get(context, donationId);
  }

  /**
   * Allocates part of a donation. The actor must be able to write both where the donation was
   * received and where the money goes. Without If-Match, a concurrent allocation makes this one
   * re-decide on the newer balance, so two racing allocations can never overdraw it.
   */
  async allocate(context: CommandContext, donationId: string, input: AllocateInput, ifMatch?: number): Promise<DonationRecord> {
    const donation = await getDonation(this.db, donationId);
    if (!donation) throw new NotFoundError('donation', donationId);
    await this.access.assertWriter(context, donation, 'allocate donations');
    const { target, projectStatus } = await this.target(context, input);
    const command: CommandInput<DonationCommand> = {
      type: 'AllocateDonation',
      data: {
        allocationId: deterministicUuid(`${context.commandId}:allocation`),
        target,
        amountFen: input.amountFen,
        on: input.on ?? today(context),
        note: input.note ?? '',
        projectStatus,
        today: today(context),
      },
    };
    await this.run(context, donationId, command, ifMatch);
    return this.get(context, donationId);
  }

  async get(context: Reader, donationId: string): Promise<DonationRecord> {
    const donation = await getDonation(this.db, donationId);
    if (!donation) throw new NotFoundError('donation', donationId);
    await this.access.assertVisible(context, donation, 'donation');
    return mask(context.actor, donation);
  }

  async list(context: Reader, filter: Omit<DonationFilter, 'townIds'>, page: PageRequest): Promise<Page<DonationRecord>> {
    const townIds = await this.access.visibleTowns(context, 'read donations');
    const result = await listDonations(this.db, { ...filter, townIds }, page);
    return { items: result.items.map((d) => mask(context.actor, d)), nextCursor: result.nextCursor };
  }

  private async target(context: CommandContext, input: AllocateInput): Promise<{ target: AllocationTarget; projectStatus: 'active' | 'closed' | null }> {
    if (!!input.projectId === !!input.householdId) throw new BadRequestError('allocate to exactly one of projectId or householdId', 'projectId');
    if (input.projectId) {
      const project = await getProject(this.db, input.projectId);
      if (!project) throw new NotFoundError('project', input.projectId);
      await this.access.assertWriter(context, project, 'allocate donations to this project');
      return { target: { kind: 'project', projectId: project.id }, projectStatus: project.status };
    }
    const household = await getHousehold(this.db, input.householdId!);
    if (!household) throw new NotFoundError('household', input.householdId!);
    await this.access.assertWriter(context, { townId: household.townId, villageId: household.villageId }, 'allocate donations to this household');
    return { target: { kind: 'household', householdId: household.id }, projectStatus: null };
  }

  private run(context: CommandContext, donationId: string, command: CommandInput<DonationCommand>, ifMatch?: number) {
    return this.commands.handle(donations, donationId, command, context, ifMatch !== undefined ? { ifMatch } : { retryOnConflict: true });
  }
}

/** A person donor's name is personal data: workers see it (to thank them), others see 张*. */
function mask(actor: Actor, d: DonationRecord): DonationRecord {
  if (d.donor.kind !== 'person' || !d.donor.name || seesContactDetails(actor)) return d;
  return { ...d, donor: { ...d.donor, name: maskName(d.donor.name) } };
}
