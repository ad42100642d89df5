import type { HouseholdCommand, MemberInput } from '../../domain/households/household.decide';
import { normalizeNationalId } from '../../domain/shared/national-id';
import { DomainRuleViolation } from '../../domain/shared/errors';
import { getGroup } from '../../projections/geography/geography.queries';
import { getHousehold, householdsHolding, searchHouseholds, type HouseholdRecord, type HouseholdSearch } from '../../projections/households/households.queries';
import { authorize } from '../permissions/permissions';
import { householdPermissions } from '../permissions/households.permissions';
import { countyDate } from '../clock';
import type { CommandContext, CommandHandler } from '../command-handler';
import type { CommandInput } from '../aggregate';
import { households } from './households.aggregates';
import { ForbiddenError, NotFoundError, isUniqueViolation } from '../errors';
import { deterministicUuid } from '../ids';
import { canSee, covers, scopeOf, type Jurisdiction, type JurisdictionResolver } from '../jurisdiction';
import type { Page, PageRequest } from '../pagination';
import { BENEFICIARY_FIELDS } from '../privacy/classification';
import type { PersonIndex } from '../privacy/person-index';
import type { AccessEntry } from '../privacy/access-log';
import type { Privacy, Shown } from '../privacy/privacy';
import { registeredElsewhere } from '../privacy/registered-elsewhere';
import type { Db } from '../db';
import type { SpecialGroup } from '../../domain/households/person';

type Reader = Pick<CommandContext, 'actor' | 'now'>;

export type HouseholdView = HouseholdRecord & { personalDataMasked: boolean };

export class HouseholdsService {
  constructor(
    private readonly commands: CommandHandler,
    private readonly db: Db,
    private readonly jurisdictions: JurisdictionResolver,
    private readonly persons: PersonIndex,
    private readonly privacy: Privacy,
  ) {}

  // ── Households ─────────────────────────────────────────────────────────────
  async register(
    context: CommandContext,
    input: { groupId: string; address?: string | null; incomeStability: 'stable' | 'unstable'; members: Omit<MemberInput, 'personId'>[] },
  ): Promise<HouseholdView> {
    const { householdId } = await this.registerReturningIds(context, input);
    return this.get(context, householdId);
  }

  /**
   * `register` for a bulk caller (the demo load): the same command and event, answering only
   * the ids instead of reading the household back, so no one is logged as having read it.
   */
  async registerReturningIds(
    context: CommandContext,
    input: { groupId: string; address?: string | null; incomeStability: 'stable' | 'unstable'; members: Omit<MemberInput, 'personId'>[] },
  ): Promise<{ householdId: string; personIdsByIdNumber: ReadonlyMap<string, string> }> {
    const group = await this.groupInJurisdiction(context, input.groupId, 'register households');
    const normalized = input.members.map((m) => ({ ...m, idNumber: normalizeNationalId(m.idNumber) }));
    const others = await this.holdingInJurisdiction(
      context,
      normalized.map((m) => m.idNumber),
    );
    const personIds = await this.persons.idsFor(input.members.map((m) => m.idNumber));
    const members = normalized.map((m) => ({ ...m, personId: personIds.get(m.idNumber)! }));
    // Derived from the command id: a retried request lands on the same stream.
    const householdId = deterministicUuid(`household:${context.commandId}`);
    await this.run(context, householdId, {
      type: 'RegisterHousehold',
      data: {
        householdId,
        groupId: group.id,
        groupStatus: group.status as 'active',
        address: input.address ?? null,
        incomeStability: input.incomeStability,
        members,
        otherHouseholdsByIdNumber: others,
      },
    });
    return { householdId, personIdsByIdNumber: new Map(members.map((m) => [m.idNumber, m.personId])) };
  }

  async addMember(context: CommandContext, householdId: string, member: Omit<MemberInput, 'personId'>, ifMatch?: number) {
    await this.householdInJurisdiction(context, householdId, 'change households');
    const idNumber = normalizeNationalId(member.idNumber);
    const others = await this.holdingInJurisdiction(context, [idNumber]);
    await this.run(
      context,
      householdId,
      { type: 'AddMember', data: { member: { ...member, idNumber, personId: await this.persons.idFor(idNumber) }, otherHouseholdsByIdNumber: others } },
      ifMatch,
    );
    return this.get(context, householdId);
  }

  async updateMember(context: CommandContext, householdId: string, personId: string, member: Omit<MemberInput, 'personId'>, ifMatch?: number) {
    await this.householdInJurisdiction(context, householdId, 'change households');
    await this.run(
      context,
      householdId,
      { type: 'UpdateMember', data: { member: { ...member, idNumber: normalizeNationalId(member.idNumber), personId } } },
      ifMatch,
    );
    await this.persons.link(member.idNumber, personId);
    return this.get(context, householdId);
  }

  async removeMember(context: CommandContext, householdId: string, personId: string, reason: string, ifMatch?: number) {
    await this.householdInJurisdiction(context, householdId, 'change households');
    await this.run(context, householdId, { type: 'RemoveMember', data: { personId, reason } }, ifMatch);
    return this.get(context, householdId);
  }

  async recordCircumstances(
    context: CommandContext,
    householdId: string,
    input: {
      on: string;
      category: 'income' | 'health' | 'housing' | 'family' | 'education' | 'disaster' | 'other';
      description: string;
      incomeStability?: 'stable' | 'unstable' | null;
    },
  ) {
    await this.householdInJurisdiction(context, householdId, 'record circumstances');
    await this.run(context, householdId, { type: 'RecordCircumstancesChange', data: { ...input, incomeStability: input.incomeStability ?? null } });
    return this.get(context, householdId);
  }

  /** Moving a household moves its responsible worker (and what is due) with the group. */
  async move(context: CommandContext, householdId: string, input: { toGroupId: string; on: string }, ifMatch?: number) {
    await this.householdInJurisdiction(context, householdId, 'move households');
    const target = await this.groupInJurisdiction(context, input.toGroupId, 'move households there');
    await this.run(
      context,
      householdId,
      { type: 'MoveHousehold', data: { toGroupId: target.id, toGroupStatus: target.status as 'active', on: input.on } },
      ifMatch,
    );
    return this.get(context, householdId);
  }

  async joinSpecialGroup(
    context: CommandContext,
    householdId: string,
    input: { group: SpecialGroup; personId?: string | null; riskLevel?: number | null; from: string; to?: string | null },
  ) {
    await this.joinSpecialGroupReturningId(context, householdId, input);
    return this.get(context, householdId);
  }

  /** `joinSpecialGroup` for a bulk caller: the same command and event, answering only the membership id (nothing read back, nothing logged). */
  async joinSpecialGroupReturningId(
    context: CommandContext,
    householdId: string,
    input: { group: SpecialGroup; personId?: string | null; riskLevel?: number | null; from: string; to?: string | null },
  ): Promise<{ membershipId: string }> {
    await this.householdInJurisdiction(context, householdId, 'record special groups');
    const membershipId = deterministicUuid(`${context.commandId}:membership`);
    await this.run(context, householdId, {
      type: 'JoinSpecialGroup',
      data: { membershipId, group: input.group, personId: input.personId ?? null, riskLevel: input.riskLevel ?? null, from: input.from, to: input.to ?? null },
    });
    return { membershipId };
  }

  async leaveSpecialGroup(context: CommandContext, householdId: string, membershipId: string, to: string) {
    await this.householdInJurisdiction(context, householdId, 'record special groups');
    await this.run(context, householdId, { type: 'LeaveSpecialGroup', data: { membershipId, to } });
    return this.get(context, householdId);
  }

  async get(context: Reader, householdId: string): Promise<HouseholdView> {
    const household = await getHousehold(this.db, householdId);
    if (!household) throw new NotFoundError('household', householdId);
    const j = await this.jurisdiction(context);
    if (!canSee(j, { townId: household.townId, villageId: household.villageId, groupId: household.groupId }))
      throw new ForbiddenError('this household is outside your jurisdiction');
    return (await this.mask(context, j, 'GET /households/{id}', [household]))[0]!;
  }

  async search(context: Reader, filter: HouseholdSearch, page: PageRequest): Promise<Page<HouseholdView>> {
    const { answer, reads } = await this.searchUnlogged(context, filter, page);
    await this.logSearchReads(context, reads);
    return answer;
  }

  /**
   * `search` without logging its sensitive reads: the page and the reads to log. The caller logs
   * them with `logSearchReads` each time it shows the page (the route shows a cached page again).
   */
  async searchUnlogged(context: Reader, filter: HouseholdSearch, page: PageRequest): Promise<{ answer: Page<HouseholdView>; reads: AccessEntry[] }> {
    const j = await this.jurisdiction(context);
    // An exact ID number is a yes/no oracle: only roles that may read full ID numbers may ask it.
    if (filter.idNumber && !this.privacy.classesFor(context.actor, 'beneficiary', 'inside').has('identity')) {
      throw new ForbiddenError('你的角色不能按身份证号查询（role may not search by ID number）');
    }
    const result = await searchHouseholds(this.db, { ...filter, ...scopeOf(j) }, page);
    const { out, reads } = this.privacy.maskAll(context, j, result.items.map(shownHousehold));
    return { answer: { items: out.map(view), nextCursor: result.nextCursor }, reads };
  }

  /** Logs the sensitive reads of a search's page as shown to this reader now. */
  async logSearchReads(context: Reader, reads: readonly AccessEntry[]): Promise<void> {
    await this.privacy.logReads(context, 'GET /households', reads);
  }

  // ── helpers ────────────────────────────────────────────────────────────────
  private async run(context: CommandContext, householdId: string, command: CommandInput<HouseholdCommand>, ifMatch?: number) {
    try {
      return await this.commands.handle(households, householdId, command, context, { ifMatch });
    } catch (error) {
      // Two requests registering the same person at once: the unique index in the inline
      // projection refused the second inside its append transaction.
      if (isUniqueViolation(error, 'rm_household_members_id_number')) {
        throw new DomainRuleViolation('person.already_in_household', 'a member of this household was registered in another household at the same moment', {});
      }
      throw error;
    }
  }

  private async jurisdiction(context: Reader): Promise<Jurisdiction> {
    await authorize(context.actor, householdPermissions.read, undefined, 'read households');
    return this.jurisdictions.resolve(context.actor, countyDate(context.now));
  }

  private async groupInJurisdiction(context: CommandContext, groupId: string, what: string) {
    await authorize(context.actor, householdPermissions.write, { groupId }, what);
    const group = await getGroup(this.db, groupId, countyDate(context.now));
    if (!group) throw new NotFoundError('villager group', groupId);
    const j = await this.jurisdictions.resolve(context.actor, countyDate(context.now));
    if (!covers(j, { townId: group.townId, villageId: group.villageId, groupId: group.id }))
      throw new ForbiddenError('this villager group is outside your jurisdiction');
    return group;
  }

  private async householdInJurisdiction(context: CommandContext, householdId: string, what: string) {
    await authorize(context.actor, householdPermissions.write, { householdId }, what);
    const household = await getHousehold(this.db, householdId);
    if (!household) throw new NotFoundError('household', householdId);
    const j = await this.jurisdictions.resolve(context.actor, countyDate(context.now));
    if (!covers(j, { townId: household.townId, villageId: household.villageId, groupId: household.groupId }))
      throw new ForbiddenError('this household is outside your jurisdiction');
    return household;
  }

  /**
   * The households already holding these ID numbers. One outside the caller's area is refused
   * here, naming nothing (no household, no person id): only the town or county can say where.
   */
  private async holdingInJurisdiction(context: CommandContext, idNumbers: readonly string[]): Promise<Record<string, string>> {
    const holding = await householdsHolding(this.db, idNumbers);
    const ids = [...new Set(Object.values(holding))];
    if (ids.length === 0) return holding;
    const j = await this.jurisdictions.resolve(context.actor, countyDate(context.now));
    for (const id of ids) {
      const other = await getHousehold(this.db, id);
      if (other && !covers(j, { townId: other.townId, villageId: other.villageId, groupId: other.groupId })) throw registeredElsewhere('person');
    }
    return holding;
  }

  /** Every household leaves through the one masking layer (and reads of health data are logged). */
  private async mask(context: Reader, j: Jurisdiction, route: string, households: readonly HouseholdRecord[]): Promise<HouseholdView[]> {
    return (await this.privacy.showAll(context, j, route, households.map(shownHousehold))).map(view);
  }
}

/** A household as the masking layer takes it: beneficiary data, where its group lies. */
const shownHousehold = (h: HouseholdRecord): Shown<HouseholdRecord> => ({
  record: h,
  subjectKind: 'beneficiary',
  fields: BENEFICIARY_FIELDS,
  place: { townId: h.townId, villageId: h.villageId, groupId: h.groupId },
  subjectId: h.id,
  householdId: h.id,
});

const view = (s: { value: HouseholdRecord; masked: boolean }): HouseholdView => ({ ...s.value, personalDataMasked: s.masked });
