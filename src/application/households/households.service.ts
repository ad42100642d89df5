import type { HouseholdCommand, MemberInput } from '../../domain/households/household.decide';
import { normalizeNationalId } from '../../domain/shared/national-id';
import { DomainRuleViolation } from '../../domain/shared/errors';
import { getGroup } from '../../projections/geography/geography.queries';
import {
  getHousehold,
  householdArea,
  householdsHolding,
  searchHouseholds,
  type HouseholdRecord,
  type HouseholdSearch,
} from '../../projections/households/households.queries';
import { authorize } from '../permissions/permissions';
import { householdPermissions } from '../permissions/households.permissions';
import { countyDate } from '../clock';
import type { BatchOutcome, CommandContext, CommandHandler, Settled } from '../command-handler';
import type { CommandInput } from '../aggregate';
import { households } from './households.aggregates';
import { ForbiddenError, NotFoundError, isUniqueViolation } from '../errors';
import { DuplicateEventIdError } from '../event-store';
import { dataOf } from '../stored-events';
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

/** What registering a household takes (POST /households, and each item of POST /households/batch). */
export interface HouseholdRegistration {
  groupId: string;
  address?: string | null;
  incomeStability: 'stable' | 'unstable';
  members: Omit<MemberInput, 'personId'>[];
}

/** A household of a batch as registered: its id and its members' person ids in the order sent; `replayed` when its key was registered before. */
export interface RegisteredHousehold {
  householdId: string;
  personIds: string[];
  replayed: boolean;
}

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

  /**
   * `registerReturningIds` for many households at once (a station's paper survey entered together):
   * the same checks, command and event for each, each household's outcome its ids or the error
   * its registration alone would have met. The groups, the households already holding the members
   * and the person ids are read once for the batch, and the households appended in one transaction
   * (CommandHandler.handleEach). A person named by two households of the batch is refused in the
   * later one, as if they had been sent one after the other. A registration whose command id is
   * already in the log (the same key resent) answers as the first time, `replayed`.
   */
  async registerMany(items: readonly { context: CommandContext; input: HouseholdRegistration }[]): Promise<Settled<RegisteredHousehold>[]> {
    const outcomes = new Array<Settled<RegisteredHousehold>>(items.length);
    const normalized = items.map(({ input }) => input.members.map((m) => ({ ...m, idNumber: normalizeNationalId(m.idNumber) })));
    const allNumbers = normalized.flatMap((members) => members.map((m) => m.idNumber));
    const holding = await householdsHolding(this.db, allNumbers);
    const personIds = await this.persons.idsFor(allNumbers);
    const groups = new Map<string, ReturnType<HouseholdsService['groupInJurisdiction']>>();
    const othersInArea = new Map<string, Promise<Record<string, string>>>();
    /** ID number → the household of this batch that names it first (and passed its checks). */
    const claimed = new Map<string, string>();
    const prepared: { index: number; householdId: string; context: CommandContext; command: CommandInput<HouseholdCommand> }[] = [];
    for (const [index, { context, input }] of items.entries()) {
      try {
        const asker = `${context.actor.id}|${context.actor.role}|${countyDate(context.now)}`;
        const groupKey = `${asker}|${input.groupId}`;
        if (!groups.has(groupKey)) groups.set(groupKey, this.groupInJurisdiction(context, input.groupId, 'register households'));
        const group = await groups.get(groupKey)!;
        const numbers = normalized[index]!.map((m) => m.idNumber);
        const held = Object.fromEntries(numbers.filter((n) => holding[n]).map((n) => [n, holding[n]!]));
        const heldKey = `${asker}|${Object.values(held).sort().join(',')}`;
        if (!othersInArea.has(heldKey)) othersInArea.set(heldKey, this.holdingInArea(context, held));
        const others = { ...(await othersInArea.get(heldKey)!) };
        for (const n of numbers) if (!others[n] && claimed.has(n)) others[n] = claimed.get(n)!;
        const householdId = deterministicUuid(`household:${context.commandId}`);
        prepared.push({
          index,
          householdId,
          context,
          command: {
            type: 'RegisterHousehold',
            data: {
              householdId,
              groupId: group.id,
              groupStatus: group.status as 'active',
              address: input.address ?? null,
              incomeStability: input.incomeStability,
              members: normalized[index]!.map((m) => ({ ...m, personId: personIds.get(m.idNumber)! })),
              otherHouseholdsByIdNumber: others,
            },
          },
        });
        for (const n of numbers) if (!claimed.has(n)) claimed.set(n, householdId);
      } catch (error) {
        outcomes[index] = { ok: false, error };
      }
    }
    const results = await this.appendRegistrations(prepared);
    results.forEach((result, k) => {
      const { index, command } = prepared[k]!;
      if (!result.ok) return void (outcomes[index] = result);
      const first = result.result.events[0]!;
      const recorded = dataOf<{ householdId: string; groupId: string; members: { personId: string; idNumber: string }[] }>(first);
      const sent = command.type === 'RegisterHousehold' ? command.data.members.map((m) => m.idNumber) : [];
      const replayed = result.result.duplicate;
      if (replayed && recorded.members.map((m) => m.idNumber).join(',') !== sent.join(','))
        outcomes[index] = { ok: false, error: new DuplicateEventIdError([first.eventId], 'this household key was already used for another household') };
      else outcomes[index] = { ok: true, value: { householdId: recorded.householdId, personIds: recorded.members.map((m) => m.personId), replayed } };
    });
    return outcomes;
  }

  /**
   * The batch's registrations in one transaction; should two batches name one new person at the
   * same moment (the unique index refuses the transaction), each is tried alone, as `register` would.
   */
  private async appendRegistrations(
    prepared: readonly { householdId: string; context: CommandContext; command: CommandInput<HouseholdCommand> }[],
  ): Promise<BatchOutcome<unknown>[]> {
    try {
      return await this.commands.handleEach(
        households,
        prepared.map((p) => ({ id: p.householdId, command: p.command, context: p.context })),
      );
    } catch (error) {
      if (!isUniqueViolation(error, 'rm_household_members_id_number')) throw error;
      const alone: BatchOutcome<unknown>[] = [];
      for (const p of prepared) {
        try {
          alone.push({ ok: true, result: await this.run(p.context, p.householdId, p.command) });
        } catch (failure) {
          alone.push({ ok: false, error: failure });
        }
      }
      return alone;
    }
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
    // Only where it lives: the command reads the household itself from its stream.
    const area = await householdArea(this.db, householdId);
    if (!area) throw new NotFoundError('household', householdId);
    const j = await this.jurisdictions.resolve(context.actor, countyDate(context.now));
    if (!covers(j, area)) throw new ForbiddenError('this household is outside your jurisdiction');
  }

  /**
   * The households already holding these ID numbers. One outside the caller's area is refused
   * here, naming nothing (no household, no person id): only the town or county can say where.
   */
  private async holdingInJurisdiction(context: CommandContext, idNumbers: readonly string[]): Promise<Record<string, string>> {
    return this.holdingInArea(context, await householdsHolding(this.db, idNumbers));
  }

  /** `holding` (ID number → the household holding it), refused if one of those households lies outside the caller's area. */
  private async holdingInArea(context: CommandContext, holding: Record<string, string>): Promise<Record<string, string>> {
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
