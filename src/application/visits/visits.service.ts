import { DomainRuleViolation } from '../../domain/shared/errors';
import { addMonths, firstDayOf, monthOf } from '../../domain/calendar/calendar-months';
import { computeSchedule, type DueItem } from '../../domain/visits/due';
import { schedulePolicyOn, SchedulePolicySchema, type SchedulePolicy } from '../../domain/visits/schedule-policy';
import type { RecordVisit, VisitEvent, VisitKind } from '../../domain/visits/visit';
import { getGroupsOn, groupKey, type GroupForVisit } from '../../projections/geography/geography.queries';
import { householdsForVisit, type HouseholdForVisit } from '../../projections/households/households.queries';
import { readVisitLookups, type VisitLookupRows } from '../../projections/visits/visit-lookups.queries';
import { placeNames, readCaseload, readSchedule, scheduleNames } from '../../projections/visits/schedule.queries';
import { ensureScheduleFresh } from '../../projections/visits/schedule-rollover';
import { listVisits, scheduleFacts, schedulePolicies, visitStats, type VisitFilter } from '../../projections/visits/visits.queries';
import { townWorkerLinkedOn } from '../../projections/workforce/workforce.queries';
import { authorize } from '../permissions/permissions';
import { visitPermissions } from '../permissions/visits.permissions';
import type { Actor } from '../actor';
import { countyDate } from '../clock';
import type { BatchOutcome, CommandContext, CommandHandler, Settled } from '../command-handler';
import type { CommandInput } from '../aggregate';
import { schedulePolicies as schedulePolicyStream, visits } from './visits.aggregates';
import { ForbiddenError, NotFoundError } from '../errors';
import { DuplicateEventIdError } from '../event-store';
import { deterministicUuid } from '../ids';
import { covers, scopeOf, visibility, type Jurisdiction, type JurisdictionResolver } from '../jurisdiction';
import type { PageRequest } from '../pagination';
import { BENEFICIARY_FIELDS } from '../privacy/classification';
import type { Privacy } from '../privacy/privacy';
import type { Db } from '../db';
import { PolicyVersionStream } from '../policy-version-stream';
import { dataOf } from '../stored-events';
import { maskName } from '../../domain/shared/national-id';

type Reader = Pick<CommandContext, 'actor' | 'now'>;

export interface VisitInput {
  workerId?: string;
  householdId?: string;
  groupId?: string;
  date: string;
  kind: VisitKind;
  findings: string;
  followUpActions: string[];
  peopleServed?: number;
}

export interface RecordedVisit {
  id: string;
  late: boolean;
  policyVersion: number;
}

/** A visit of a batch as recorded: `replayed` when its command id was already in the log (a retried sync). */
export type BatchedVisit = RecordedVisit & { replayed: boolean };

type RecordVisitInput = CommandInput<RecordVisit>;

/** Where recording a visit reads the household, the group on the visit's day and the policies. */
interface VisitLookups {
  household(id: string): Promise<HouseholdForVisit | null>;
  group(id: string, on: string): Promise<GroupForVisit | null>;
  policies(): Promise<SchedulePolicy[]>;
}

/** A schedule item as lists show it: with its group's name and its household head's masked name. */
export type NamedDueItem = DueItem & { groupName: string | null; householdName: string | null };

/** Visits of one batch appended at once when each is appended alone (`append: 'each'`). */
const APPEND_EACH_AT_ONCE = 4;

const DEFAULT_POLICY_FILE = new URL('../../../policies/schedule-policy.default.json', import.meta.url);

/** Visits to households and groups, what is due (the schedule) and the schedule policy. */
export class VisitsService {
  private readonly schedulePolicyVersions;

  constructor(
    private readonly commands: CommandHandler,
    private readonly db: Db,
    private readonly jurisdictions: JurisdictionResolver,
    private readonly privacy: Privacy,
  ) {
    this.schedulePolicyVersions = new PolicyVersionStream(commands, {
      aggregate: schedulePolicyStream,
      add: (policy) => ({ type: 'AddSchedulePolicyVersion' as const, data: { policy } }),
      write: visitPermissions.setSchedulePolicy,
      what: 'set schedule policies',
      defaultFile: DEFAULT_POLICY_FILE,
      schema: SchedulePolicySchema,
      versions: () => this.policies(),
    });
  }

  // ── Visits ─────────────────────────────────────────────────────────────────
  /**
   * Only the household's responsible worker (on the visit date), the town worker linking them,
   * or the county worker linking the town may record a visit; the bureau may record one for a
   * named worker.
   */
  async recordVisit(context: CommandContext, input: VisitInput) {
    // The three reads in one statement (readVisitLookups), sent on the first lookup: after the
    // permission check, as the reads were one by one. prepareVisit asks only for the input's
    // household and the group it reads (the household's, else the input's) on the visit's day.
    let rows: Promise<VisitLookupRows> | null = null;
    const read = () => (rows ??= readVisitLookups(this.db, { householdId: input.householdId ?? null, groupId: input.groupId ?? null, on: input.date }));
    const lookups: VisitLookups = {
      household: async () => (await read()).household,
      group: async () => (await read()).group,
      policies: async () => (await read()).policies,
    };
    const { visitId, command, policyVersion } = await this.prepareVisit(context, input, lookups);
    const result = await this.commands.handle(visits, visitId, command, context);
    const recorded = dataOf<VisitEvent['data']>(result.events[0]!);
    return { id: recorded.visitId, late: recorded.late, policyVersion };
  }

  /**
   * `recordVisit` for many visits at once (the demo load): the same checks, commands and events,
   * each visit's outcome its answer or the error `recordVisit` would have thrown for it alone.
   * The households, the groups with their responsible worker on each visit's day and the
   * schedule policies are read once for the batch, and the visits appended in one transaction
   * (CommandHandler.handleEach): a handful of statements for the batch instead of several a visit.
   * `append: 'each'` appends every visit as `recordVisit` does instead, a statement each and no
   * transaction (a few at a time): with many batches at once (front ends syncing), their
   * transactions held the log's shard rows across several round trips and waited on each other.
   */
  async recordVisits(
    items: readonly { context: CommandContext; input: VisitInput }[],
    options: { append?: 'together' | 'each' } = {},
  ): Promise<Settled<BatchedVisit>[]> {
    // The policies read beside the households and their groups (on another connection): the
    // batch waits for two round trips before its appends, not three.
    const [{ households, groups }, policies] = await Promise.all([this.visitTargets(items), this.policies()]);
    const lookups: VisitLookups = {
      household: async (id) => households.get(id) ?? null,
      group: async (id, on) => groups.get(groupKey(id, on)) ?? null,
      policies: async () => policies,
    };
    const outcomes = new Array<Settled<BatchedVisit>>(items.length);
    const prepared: { index: number; visitId: string; command: RecordVisitInput; context: CommandContext; policyVersion: number }[] = [];
    for (const [index, { context, input }] of items.entries()) {
      try {
        prepared.push({ index, context, ...(await this.prepareVisit(context, input, lookups)) });
      } catch (error) {
        outcomes[index] = { ok: false, error };
      }
    }
    const results =
      options.append === 'each'
        ? await this.appendEach(prepared)
        : await this.commands.handleEach(
            visits,
            prepared.map((p) => ({ id: p.visitId, command: p.command, context: p.context })),
          );
    results.forEach((result, k) => {
      const { index, policyVersion, command } = prepared[k]!;
      if (!result.ok) outcomes[index] = result;
      else {
        const first = result.result.events[0]!;
        const recorded = dataOf<VisitEvent['data']>(first);
        const replayed = result.result.duplicate;
        if (replayed && !sameVisit(recorded, command.data, items[index]!.input))
          outcomes[index] = { ok: false, error: new DuplicateEventIdError([first.eventId], 'this visit key was already used for another visit') };
        else
          outcomes[index] = {
            ok: true,
            value: { id: recorded.visitId, late: recorded.late, policyVersion: replayed ? recorded.policyVersion : policyVersion, replayed },
          };
      }
    });
    return outcomes;
  }

  /** The batch's households, then the groups they (or the visits to a group) belong to on each visit's day. */
  private async visitTargets(items: readonly { input: VisitInput }[]) {
    const households = await householdsForVisit(
      this.db,
      items.flatMap((i) => (i.input.householdId ? [i.input.householdId] : [])),
    );
    const groups = await getGroupsOn(
      this.db,
      items.flatMap(({ input }) => {
        const groupId = input.householdId ? households.get(input.householdId)?.groupId : input.groupId;
        return groupId ? [{ id: groupId, on: input.date }] : [];
      }),
    );
    return { households, groups };
  }

  /** Each prepared visit appended on its own (one statement each, `APPEND_EACH_AT_ONCE` at a time), its outcome as handleEach gives it. */
  private async appendEach(prepared: readonly { visitId: string; command: RecordVisitInput; context: CommandContext }[]): Promise<BatchOutcome<unknown>[]> {
    const outcomes: BatchOutcome<unknown>[] = [];
    for (let from = 0; from < prepared.length; from += APPEND_EACH_AT_ONCE) {
      const settled = await Promise.allSettled(
        prepared.slice(from, from + APPEND_EACH_AT_ONCE).map((p) => this.commands.handle(visits, p.visitId, p.command, p.context)),
      );
      outcomes.push(...settled.map((r): BatchOutcome<unknown> => (r.status === 'fulfilled' ? { ok: true, result: r.value } : { ok: false, error: r.reason })));
    }
    return outcomes;
  }

  /** Everything `recordVisit` checks and reads before its command, from `lookups` (one read each, or a batch's). */
  private async prepareVisit(
    context: CommandContext,
    input: VisitInput,
    lookups: VisitLookups,
  ): Promise<{ visitId: string; command: RecordVisitInput; policyVersion: number }> {
    await authorize(context.actor, visitPermissions.write, input, 'record visits');
    const household = input.householdId ? await lookups.household(input.householdId) : null;
    if (input.householdId && !household) throw new NotFoundError('household', input.householdId);
    const groupId = household?.groupId ?? input.groupId;
    if (!groupId) throw new DomainRuleViolation('visit.target_required', 'a visit is to a household or to a villager group');
    const group = await lookups.group(groupId, input.date);
    if (!group) throw new NotFoundError('villager group', groupId);
    const workerId = context.actor.role === 'admin' ? input.workerId : context.actor.id;
    if (!workerId) throw new DomainRuleViolation('visit.worker_required', 'name the worker who made the visit');
    if (context.actor.role !== 'admin') await this.assertMayRecordVisit(context.actor, group, input.date);

    const today = countyDate(context.now);
    const policy = schedulePolicyOn(await lookups.policies(), today);
    const visitId = deterministicUuid(`${context.commandId}:visit`);
    return {
      visitId,
      policyVersion: policy.version,
      command: {
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
    };
  }

  private async assertMayRecordVisit(
    actor: Actor,
    group: { id: string; townId: string; responsible: { workerId: string } | null },
    onDate: string,
  ): Promise<void> {
    const responsible = group.responsible?.workerId ?? null;
    if (actor.role === 'village_worker' && responsible === actor.id) return;
    if (actor.role === 'town_worker' && responsible) {
      if (await townWorkerLinkedOn(this.db, actor.id, responsible, onDate)) return;
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
  /**
   * The schedule in scope from the read model (rm_schedule_items), brought to today first (a
   * rebuild on the first read of a day or after a new policy version). `statuses`/`dueBy` filter
   * in SQL; `page.limit` pages by due date, without it every item is returned as before.
   */
  async schedule(
    context: Reader,
    scope: { workerId?: string; villageId?: string; townId?: string },
    filter: { statuses?: readonly DueItem['status'][]; dueBy?: (today: string) => string } = {},
    page: { limit?: number | undefined; cursor?: string | undefined } = {},
  ): Promise<{ asOf: string; policyVersion: number; items: NamedDueItem[]; nextCursor: string | null; total: number }> {
    const j = await this.jurisdiction(context);
    const today = countyDate(context.now);
    const policy = await ensureScheduleFresh(this.db, today);
    const { items, nextCursor, total } = await readSchedule(
      this.db,
      { ...scope, ...scopeOf(j), ...(filter.statuses ? { statuses: filter.statuses } : {}), ...(filter.dueBy ? { dueBy: filter.dueBy(today) } : {}) },
      page,
    );
    return { asOf: today, policyVersion: policy.version, items: await this.named(items), nextCursor, total };
  }

  /**
   * Items with what a list shows them by: the group's name and the household head's name, masked
   * as the case queue masks applicants (张*明): a list is not the household's page, where the
   * worker sees the name whole.
   */
  private async named(items: DueItem[]): Promise<NamedDueItem[]> {
    return this.withNames(items, await scheduleNames(this.db, items));
  }

  private withNames(items: DueItem[], names: Awaited<ReturnType<typeof scheduleNames>>): NamedDueItem[] {
    return items.map((item) => {
      const head = item.householdId ? names.heads.get(item.householdId) : undefined;
      return { ...item, groupName: names.groups.get(item.groupId) ?? null, householdName: head ? maskName(head) : null };
    });
  }

  /** A worker's caseload in the caller's jurisdiction: groups, households, what is due and overdue, how many done. */
  async caseload(context: Reader, workerId: string) {
    const j = await this.jurisdiction(context);
    const today = countyDate(context.now);
    await ensureScheduleFresh(this.db, today);
    const { groups, households, open, done } = await readCaseload(this.db, { workerId, ...scopeOf(j) });
    const names = await placeNames(this.db, groups, households);
    const named = this.withNames(open, names);
    return {
      workerId,
      asOf: today,
      groups,
      households,
      names: {
        groups: Object.fromEntries(groups.flatMap((id) => [names.groups.get(id)].flatMap((name) => (name ? [[id, name]] : [])))),
        households: Object.fromEntries(households.flatMap((id) => [names.heads.get(id)].flatMap((head) => (head ? [[id, maskName(head)]] : [])))),
      },
      due: named.filter((i) => i.status === 'due'),
      overdue: named.filter((i) => i.status === 'overdue'),
      done,
    };
  }

  /** The schedule computed at query time from every fact in scope: the oracle the read model is tested against. */
  async scheduleAtQueryTime(
    context: Reader,
    scope: { workerId?: string; villageId?: string; townId?: string },
  ): Promise<{ asOf: string; policyVersion: number; items: NamedDueItem[] }> {
    const j = await this.jurisdiction(context);
    const today = countyDate(context.now);
    const policy = schedulePolicyOn(await this.policies(), today);
    const since = firstDayOf(monthOf(addMonths(today, -policy.overdueLookbackMonths)));
    const facts = await scheduleFacts(this.db, { ...scope, ...scopeOf(j) }, today, since);
    return {
      asOf: today,
      policyVersion: policy.version,
      items: await this.named(computeSchedule(today, policy, facts.groups, facts.households, facts.visits)),
    };
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

  private async jurisdiction(context: Reader): Promise<Jurisdiction> {
    await authorize(context.actor, visitPermissions.read, undefined, 'read households');
    return this.jurisdictions.resolve(context.actor, countyDate(context.now));
  }
}

/**
 * Whether a retried visit (its command id already in the log) is the visit first recorded: the same
 * worker, place, day, kind and notes as the caller gave them. A household's group and the people served
 * when not given were derived then (the household may have moved or grown since), so they are not compared.
 */
function sameVisit(recorded: VisitEvent['data'], command: RecordVisitInput['data'], input: VisitInput): boolean {
  return (
    recorded.workerId === command.workerId &&
    recorded.householdId === command.householdId &&
    (input.groupId === undefined || recorded.groupId === command.groupId) &&
    recorded.date === command.date &&
    recorded.kind === command.kind &&
    recorded.findings === command.findings &&
    recorded.followUpActions.length === command.followUpActions.length &&
    recorded.followUpActions.every((action, i) => action === command.followUpActions[i]) &&
    (input.peopleServed === undefined || recorded.peopleServed === command.peopleServed)
  );
}
