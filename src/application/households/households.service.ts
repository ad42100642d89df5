import type { HouseholdCommand, MemberInput } from '../../domain/households/household.decide';
import { normalizeNationalId } from '../../domain/shared/national-id';
import { DomainRuleViolation } from '../../domain/shared/errors';
import { addMonths, firstDayOf, monthOf } from '../../domain/schedules/calendar-months';
import { computeSchedule, type DueItem } from '../../domain/schedules/due';
import { schedulePolicyOn, SchedulePolicySchema, type SchedulePolicy } from '../../domain/schedules/schedule-policy';
import type { VisitEvent, VisitKind } from '../../domain/visits/visit';
import { getGroup } from '../../projections/geography/geography.queries';
import {
  getHousehold,
  visitTarget,
  householdsHolding,
  listVisits,
  scheduleFacts,
  schedulePolicies,
  searchHouseholds,
  visitStats,
  type HouseholdRecord,
  type HouseholdSearch,
  type VisitFilter,
} from '../../projections/households/households.queries';
import { anyAuthenticated, authorize, roles, writePolicy } from '../authorization';
import type { Actor } from '../actor';
import { countyDate } from '../clock';
import type { CommandContext, CommandHandler } from '../command-handler';
import type { CommandInput } from '../aggregate';
import { households, schedulePolicies as schedulePolicyStream, visits } from './households.aggregates';
import { ForbiddenError, NotFoundError, isUniqueViolation } from '../errors';
import { deterministicUuid } from '../ids';
import { canSee, covers, visibility, type Jurisdiction, type JurisdictionResolver } from '../jurisdiction';
import type { Page, PageRequest } from '../pagination';
import { sql } from 'kysely';
import { BENEFICIARY_FIELDS } from '../privacy/classification';
import type { PersonIndex } from '../privacy/person-index';
import type { Privacy } from '../privacy/privacy';
import { registeredElsewhere } from '../privacy/registered-elsewhere';
import type { Db } from '../db';
import type { SpecialGroup } from '../../domain/households/person';
import { PolicyVersionStream } from '../policy-version-stream';
import { dataOf } from '../stored-events';

type Reader = Pick<CommandContext, 'actor' | 'now'>;

export const householdPolicies = {
  /** Workers manage households in their jurisdiction; the bureau everywhere. */
  write: writePolicy(roles('admin', 'county_worker', 'town_worker', 'village_worker')),
  read: anyAuthenticated,
  setSchedulePolicy: writePolicy(roles('admin')),
};

export type HouseholdView = HouseholdRecord & { personalDataMasked: boolean };

const DEFAULT_POLICY_FILE = new URL('../../../policies/schedule-policy.default.json', import.meta.url);

export class HouseholdsService {
  private readonly schedulePolicyVersions;

  constructor(
    private readonly commands: CommandHandler,
    private readonly db: Db,
    private readonly jurisdictions: JurisdictionResolver,
    private readonly persons: PersonIndex,
    private readonly privacy: Privacy,
  ) {
    this.schedulePolicyVersions = new PolicyVersionStream(commands, {
      aggregate: schedulePolicyStream,
      add: (policy) => ({ type: 'AddSchedulePolicyVersion' as const, data: { policy } }),
      write: householdPolicies.setSchedulePolicy,
      what: 'set schedule policies',
      defaultFile: DEFAULT_POLICY_FILE,
      schema: SchedulePolicySchema,
      versions: () => this.policies(),
    });
  }

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
    const j = await this.jurisdiction(context);
    // An exact ID number is a yes/no oracle: only roles that may read full ID numbers may ask it.
    if (filter.idNumber && !this.privacy.classesFor(context.actor, 'beneficiary', 'inside').has('identity')) {
      throw new ForbiddenError('你的角色不能按身份证号查询（role may not search by ID number）');
    }
    const result = await searchHouseholds(this.db, { ...filter, ...scopeOf(j) }, page);
    return { items: await this.mask(context, j, 'GET /households', result.items), nextCursor: result.nextCursor };
  }

  // ── Visits ─────────────────────────────────────────────────────────────────
  /**
   * Only the household's responsible worker (on the visit date), the town worker linking them,
   * or the county worker linking the town may record a visit; the bureau may record one for a
   * named worker.
   */
  async recordVisit(
    context: CommandContext,
    input: {
      workerId?: string;
      householdId?: string;
      groupId?: string;
      date: string;
      kind: VisitKind;
      findings: string;
      followUpActions: string[];
      peopleServed?: number;
    },
  ) {
    await authorize(context.actor, householdPolicies.write, input, 'record visits');
    if (!input.householdId && !input.groupId) throw new DomainRuleViolation('visit.target_required', 'a visit is to a household or to a villager group');
    // The household, its group on the visit day and the schedule policies: one round trip.
    const target = await visitTarget(this.db, input.householdId ? { householdId: input.householdId } : { groupId: input.groupId! }, input.date);
    const household = target.household;
    if (input.householdId && !household) throw new NotFoundError('household', input.householdId);
    const groupId = household?.groupId ?? input.groupId!;
    const group = target.group;
    if (!group) throw new NotFoundError('villager group', groupId);
    const workerId = context.actor.role === 'admin' ? input.workerId : context.actor.id;
    if (!workerId) throw new DomainRuleViolation('visit.worker_required', 'name the worker who made the visit');
    if (context.actor.role !== 'admin') await this.assertMayRecordVisit(context.actor, group, input.date);

    const today = countyDate(context.now);
    const policy = schedulePolicyOn(target.policies, today);
    const visitId = deterministicUuid(`${context.commandId}:visit`);
    const result = await this.commands.handle(
      visits,
      visitId,
      {
        type: 'RecordVisit',
        data: {
          visitId,
          workerId,
          householdId: household?.id ?? null,
          groupId,
          date: input.date,
          kind: input.kind,
          findings: input.findings,
          followUpActions: input.followUpActions,
          peopleServed: input.peopleServed ?? household?.members ?? 0,
          today,
          backdateWindowDays: policy.backdateWindowDays,
          policyVersion: policy.version,
        },
      },
      context,
    );
    const recorded = dataOf<VisitEvent['data']>(result.events[0]!);
    return { id: recorded.visitId, late: recorded.late, policyVersion: policy.version };
  }

  private async assertMayRecordVisit(
    actor: Actor,
    group: { id: string; townId: string; responsible: { workerId: string } | null },
    onDate: string,
  ): Promise<void> {
    const responsible = group.responsible?.workerId ?? null;
    if (actor.role === 'village_worker' && responsible === actor.id) return;
    if (actor.role === 'town_worker' && responsible) {
      const link =
        await sql`select 1 from rm_worker_links where kind = 'town_worker_link' and worker_id = ${actor.id}::uuid and target_id = ${responsible}::uuid
                             and from_date <= ${onDate}::date and (to_date is null or to_date > ${onDate}::date)`.execute(this.db);
      if (link.rows.length) return;
    }
    if (actor.role === 'county_worker') {
      const j = await this.jurisdictions.resolve(actor, onDate);
      if (covers(j, { townId: group.townId })) return;
    }
    throw new ForbiddenError("only the household's responsible worker, their linked town worker or county worker may record this visit");
  }

  async listVisits(context: Reader, filter: VisitFilter, page: PageRequest) {
    const j = await this.jurisdiction(context);
    const result = await listVisits(this.db, { ...filter, ...scopeOf(j) }, page);
    // Findings are free text (a visit notes illness as often as anything else).
    const shown = await this.privacy.showAll(
      context,
      j,
      'GET /visits',
      result.items.map((v) => ({
        record: v,
        subjectKind: 'beneficiary' as const,
        fields: BENEFICIARY_FIELDS,
        place: { townId: v.townId, villageId: v.villageId, groupId: v.groupId },
        subjectId: v.id,
        householdId: v.householdId,
      })),
    );
    return { items: shown.map((s) => s.value), nextCursor: result.nextCursor };
  }

  async visitStats(context: Reader, from: string, to: string) {
    // A village worker counts only their own groups' visits.
    const { townIds, groupIds } = visibility(await this.jurisdiction(context));
    return visitStats(this.db, from, to, { townIds, groupIds });
  }

  // ── Schedules ──────────────────────────────────────────────────────────────
  async schedule(
    context: Reader,
    scope: { workerId?: string; villageId?: string; townId?: string },
  ): Promise<{ asOf: string; policyVersion: number; items: DueItem[] }> {
    const j = await this.jurisdiction(context);
    const today = countyDate(context.now);
    const policy = schedulePolicyOn(await this.policies(), today);
    const since = firstDayOf(monthOf(addMonths(today, -policy.overdueLookbackMonths)));
    const facts = await scheduleFacts(this.db, { ...scope, ...scopeOf(j) }, today, since);
    return { asOf: today, policyVersion: policy.version, items: computeSchedule(today, policy, facts.groups, facts.households, facts.visits) };
  }

  async policies(): Promise<SchedulePolicy[]> {
    return schedulePolicies(this.db);
  }

  addSchedulePolicy(context: CommandContext, policy: Omit<SchedulePolicy, 'version'>): Promise<SchedulePolicy> {
    return this.schedulePolicyVersions.add(context, policy);
  }

  seedDefaultSchedulePolicy(context: CommandContext): Promise<void> {
    return this.schedulePolicyVersions.seedDefault(context);
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
    await authorize(context.actor, householdPolicies.read, undefined, 'read households');
    return this.jurisdictions.resolve(context.actor, countyDate(context.now));
  }

  private async groupInJurisdiction(context: CommandContext, groupId: string, what: string) {
    await authorize(context.actor, householdPolicies.write, { groupId }, what);
    const group = await getGroup(this.db, groupId, countyDate(context.now));
    if (!group) throw new NotFoundError('villager group', groupId);
    const j = await this.jurisdictions.resolve(context.actor, countyDate(context.now));
    if (!covers(j, { townId: group.townId, villageId: group.villageId, groupId: group.id }))
      throw new ForbiddenError('this villager group is outside your jurisdiction');
    return group;
  }

  private async householdInJurisdiction(context: CommandContext, householdId: string, what: string) {
    await authorize(context.actor, householdPolicies.write, { householdId }, what);
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
    const shown = await this.privacy.showAll(
      context,
      j,
      route,
      households.map((h) => ({
        record: h,
        subjectKind: 'beneficiary' as const,
        fields: BENEFICIARY_FIELDS,
        place: { townId: h.townId, villageId: h.villageId, groupId: h.groupId },
        subjectId: h.id,
        householdId: h.id,
      })),
    );
    return shown.map((s) => ({ ...s.value, personalDataMasked: s.masked }));
  }
}

/** Jurisdiction as the town and group filters the household and visit queries take. */
function scopeOf(j: Jurisdiction): { townIds: readonly string[] | null; groupIds: readonly string[] | null } {
  const { townIds, groupIds } = visibility(j);
  return { townIds, groupIds };
}
