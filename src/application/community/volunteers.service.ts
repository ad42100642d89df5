import type { VolunteerCommand } from '../../domain/community/volunteer.decide';
import { DomainRuleViolation } from '../../domain/shared/errors';
import { normalizeNationalId } from '../../domain/shared/national-id';
import { serviceHours, type HoursRow } from '../../projections/community/services.queries';
import {
  activeVolunteerWithIdNumber,
  getVolunteer,
  listVolunteers,
  openMembershipsOf,
  type VolunteerFilter,
  type VolunteerRecord,
} from '../../projections/community/volunteers.queries';
import type { Actor } from '../actor';
import { subCommand, type CommandContext, type CommandHandler } from '../command-handler';
import type { CommandInput } from '../aggregate';
import { volunteers } from './community.aggregates';
import { ForbiddenError, NotFoundError, isUniqueViolation } from '../errors';
import { deterministicUuid } from '../ids';
import type { Page, PageRequest } from '../pagination';
import { covers } from '../jurisdiction';
import { VOLUNTEER_FIELDS } from '../privacy/classification';
import { visibleClasses } from '../privacy/data-classes';
import { maskFor } from '../privacy/privacy';
import { registeredElsewhere } from '../privacy/registered-elsewhere';
import { today, type CommunityAccess, type Reader } from './community-access';
import type { TeamsService } from './teams.service';
import type { Db } from '../db';

export type VolunteerView = VolunteerRecord & { personalDataMasked: boolean };

export interface RegisterVolunteerInput {
  name: string;
  idNumber: string;
  phone: string;
  skills: string[];
  townId?: string | undefined;
  villageId?: string | null | undefined;
  registeredOn?: string | undefined;
}

/** Volunteers (志愿者): registration with a checked ID number, profile changes, withdrawal. */
export class VolunteersService {
  constructor(
    private readonly commands: CommandHandler,
    private readonly db: Db,
    private readonly access: CommunityAccess,
    private readonly teams: TeamsService,
  ) {}

  async register(context: CommandContext, input: RegisterVolunteerInput): Promise<VolunteerView> {
    const place = await this.access.townPlace(input);
    await this.access.assertWriter(context, place, 'register volunteers');
    const idNumber = normalizeNationalId(input.idNumber);
    // The id derives from the request, so a retried request lands on the same stream.
    const volunteerId = deterministicUuid(`${context.commandId}:volunteer`);
    await this.run(context, volunteerId, {
      type: 'RegisterVolunteer',
      data: {
        volunteerId,
        name: input.name,
        idNumber,
        phone: input.phone,
        skills: input.skills,
        townId: place.townId,
        villageId: place.villageId,
        registeredOn: input.registeredOn ?? today(context),
        activeVolunteerWithIdNumber: await this.activeVolunteerInArea(context, idNumber),
        today: today(context),
      },
    });
    return this.get(context, volunteerId);
  }

  async updateProfile(context: CommandContext, volunteerId: string, input: { phone: string; skills: string[] }, ifMatch?: number): Promise<VolunteerView> {
    await this.writable(context, volunteerId, 'change volunteers');
    await this.run(context, volunteerId, { type: 'UpdateVolunteerProfile', data: { ...input } }, ifMatch);
    return this.get(context, volunteerId);
  }

  /** Withdrawing ends the volunteer's open team memberships on the same day. */
  async withdraw(context: CommandContext, volunteerId: string, input: { on?: string | undefined; reason: string }, ifMatch?: number): Promise<VolunteerView> {
    await this.writable(context, volunteerId, 'withdraw volunteers');
    const on = input.on ?? today(context);
    await this.run(context, volunteerId, { type: 'WithdrawVolunteer', data: { on, reason: input.reason, today: today(context) } }, ifMatch);
    for (const m of await openMembershipsOf(this.db, volunteerId)) {
      await this.teams.endMembershipOnWithdrawal(subCommand(context, `leave:${m.teamId}`), m.teamId, volunteerId, m.from > on ? m.from : on);
    }
    return this.get(context, volunteerId);
  }

  async get(context: Reader, volunteerId: string): Promise<VolunteerView> {
    const volunteer = await getVolunteer(this.db, volunteerId);
    if (!volunteer) throw new NotFoundError('volunteer', volunteerId);
    await this.access.assertVisible(context, volunteer, 'volunteer');
    return mask(context.actor, volunteer);
  }

  async list(context: Reader, filter: Omit<VolunteerFilter, 'townIds'>, page: PageRequest): Promise<Page<VolunteerView>> {
    // An exact ID number is a yes/no oracle: only roles that read volunteers' full ID numbers may ask it.
    if (filter.idNumber && !visibleClasses(context.actor.role, 'volunteer', 'inside').has('identity')) {
      throw new ForbiddenError('你的角色不能按身份证号查询志愿者（role may not search volunteers by ID number）');
    }
    const townIds = await this.access.visibleTowns(context, 'read volunteers');
    const result = await listVolunteers(this.db, { ...filter, townIds }, page);
    return { items: result.items.map((v) => mask(context.actor, v)), nextCursor: result.nextCursor };
  }

  /** One volunteer's minutes per month. */
  async hours(context: Reader, volunteerId: string, range: { from?: string; to?: string }): Promise<HoursRow[]> {
    await this.get(context, volunteerId);
    const page = await serviceHours(this.db, 'month', { ...range, volunteerId }, { limit: 1200 });
    return page.items;
  }

  /** The volunteer already holding this number; one in a town outside the caller's is refused naming nothing. */
  private async activeVolunteerInArea(context: CommandContext, idNumber: string): Promise<string | null> {
    const existing = await activeVolunteerWithIdNumber(this.db, idNumber);
    if (!existing) return null;
    const volunteer = await getVolunteer(this.db, existing);
    const j = await this.access.reader(context, 'register volunteers');
    if (volunteer && !covers(j, { townId: volunteer.townId, villageId: volunteer.villageId })) throw registeredElsewhere('volunteer');
    return existing;
  }

  private async writable(context: CommandContext, volunteerId: string, what: string): Promise<VolunteerRecord> {
    const volunteer = await getVolunteer(this.db, volunteerId);
    if (!volunteer) throw new NotFoundError('volunteer', volunteerId);
    await this.access.assertWriter(context, volunteer, what);
    return volunteer;
  }

  private async run(context: CommandContext, volunteerId: string, command: CommandInput<VolunteerCommand>, ifMatch?: number) {
    try {
      return await this.commands.handle(volunteers, volunteerId, command, context, { ifMatch });
    } catch (error) {
      // Two registrations of one person at once: the partial unique index refused the second.
      if (isUniqueViolation(error, 'rm_volunteers_active_id_number')) {
        throw new DomainRuleViolation('volunteer.already_registered', 'this person was registered as a volunteer at the same moment', {});
      }
      throw error;
    }
  }
}

/** ID numbers masked for everyone but the bureau; phones hidden from auditors and evaluators. */
function mask(actor: Actor, v: VolunteerRecord): VolunteerView {
  // Volunteers' rows in the policy table are the same inside and outside an area.
  const shown = maskFor(actor, 'volunteer', 'inside', v, VOLUNTEER_FIELDS);
  return { ...shown.value, personalDataMasked: shown.masked };
}
