import { z } from 'zod';
import type { CaseCommand } from '../../domain/assistance/case.decide';
import { caseStreamId, evolveCase, initialCaseState, type CaseEvent, type CaseState, type Program } from '../../domain/assistance/case.events';
import { DibaoFactsSchema, TekunFactsSchema, TemporaryFactsSchema, UnsupportedChildFactsSchema } from '../../domain/assistance/eligibility/eligibility-facts';
import { DomainRuleViolation } from '../../domain/shared/errors';
import { maskName, maskNationalId } from '../../domain/shared/national-id';
import { getCase, listCases, openCaseOf, paymentsOf, type CaseFilter } from '../../projections/assistance/assistance.queries';
import { getHousehold } from '../../projections/households/households.queries';
import { workerFacts } from '../../projections/workforce/workforce.queries';
import { authorize, type Permission } from '../permissions/permissions';
import { countyDate } from '../clock';
import type { CommandContext, CommandHandler } from '../command-handler';
import type { CommandInput } from '../aggregate';
import { cases } from './assistance.aggregates';
import type { EventStore, RecordedEvent } from '../event-store';
import { BadRequestError, ForbiddenError, isUniqueViolation, NotFoundError } from '../errors';
import { deterministicUuid } from '../ids';
import { canSee, covers, visibility, type Jurisdiction, type JurisdictionResolver } from '../jurisdiction';
import { BENEFICIARY_FIELDS } from '../privacy/classification';
import type { Privacy } from '../privacy/privacy';
import type { PageRequest } from '../pagination';
import { assistancePermissions } from '../permissions/assistance.permissions';
import type { CaseProcedureService } from './case-procedure.service';
import { reserveBalanceForGrant } from './reserve-funds.service';
import type { PolicyRegistryService } from './policy-registry.service';
import type { Db } from '../db';
import { asDomainEvent } from '../stored-events';

type DataCheckSource = Extract<CaseCommand, { type: 'RecordDataCheck' }>['data']['source'];
type Reader = Pick<CommandContext, 'actor' | 'now'>;
/** What a step of a case answers: the case's version after it (the route's ETag). */
export interface Written {
  version: number;
}

const FACTS_SCHEMAS: Record<Program, z.ZodType> = {
  dibao: DibaoFactsSchema,
  tekun: TekunFactsSchema,
  temporary: TemporaryFactsSchema,
  unsupported_child: UnsupportedChildFactsSchema,
  orphan: UnsupportedChildFactsSchema,
};

/** Validates a program's facts at the edge, with each field's path (400 otherwise). */
export function parseFacts(program: Program, facts: unknown): Record<string, unknown> {
  const parsed = FACTS_SCHEMAS[program].safeParse(facts);
  if (!parsed.success) {
    throw new BadRequestError(parsed.error.issues.map((i) => `facts.${i.path.map(String).join('.')}: ${i.message}`).join('; '), 'facts');
  }
  return JSON.parse(JSON.stringify(parsed.data)) as Record<string, unknown>;
}

export class CasesService {
  constructor(
    private readonly commands: CommandHandler,
    private readonly store: EventStore,
    private readonly db: Db,
    private readonly jurisdictions: JurisdictionResolver,
    private readonly registry: PolicyRegistryService,
    private readonly privacy: Privacy,
    private readonly procedure: CaseProcedureService,
  ) {}

  /** A date a client states for a step: not older than the policy's back-dating window (the decider checks order and today). */
  private async recent(context: CommandContext, day: string | undefined): Promise<void> {
    if (day !== undefined) await this.procedure.requireRecent(day, countyDate(context.now));
  }

  async apply(
    context: CommandContext,
    input: {
      program: Program;
      householdId: string;
      applicantPersonId: string;
      channel: 'self' | 'proactive' | 'emergency';
      trigger?: { kind: 'visit' | 'finding'; id: string } | null;
      relativeOf?: { kind: 'social_worker' | 'village_cadre'; workerId?: string | null; name: string; relation: string } | null;
      appliedOn?: string;
    },
  ) {
    const { caseId } = await this.applyReturningId(context, input);
    return this.get(context, caseId);
  }

  /** `apply` for a bulk caller (the demo load): the same command and event, answering the case id instead of reading the case back. */
  async applyReturningId(context: CommandContext, input: Parameters<CasesService['apply']>[1]): Promise<{ caseId: string }> {
    await authorize(context.actor, assistancePermissions.apply, input, 'start applications');
    const household = await getHousehold(this.db, input.householdId);
    if (!household) throw new NotFoundError('household', input.householdId);
    const j = await this.jurisdictions.resolve(context.actor, countyDate(context.now));
    if (!covers(j, { townId: household.townId, villageId: household.villageId, groupId: household.groupId }))
      throw new ForbiddenError('this household is outside your jurisdiction');
    if (!household.members.some((m) => m.personId === input.applicantPersonId)) {
      throw new DomainRuleViolation('case.applicant_not_member', 'the applicant is not a member of the household', { householdId: household.id });
    }
    await this.recent(context, input.appliedOn);
    const caseId = deterministicUuid(`case:${context.commandId}`);
    // One open case per household and program: a second application waits for the first to end.
    const open = await openCaseOf(this.db, household.id, input.program);
    if (open && open !== caseId) {
      throw new DomainRuleViolation('case.open_case_exists', '该户已有同一救助项目的在办案件，不能重复申请', { caseId: open, program: input.program });
    }
    // A worker who records a proactive or emergency case started it on the household's behalf.
    const startedBy = input.channel !== 'self' && context.actor.role !== 'admin' ? context.actor.id : null;
    await this.runGuardingOpenCase(context, caseId, household.id, input.program, {
      type: 'Apply',
      data: {
        caseId,
        program: input.program,
        householdId: household.id,
        applicantPersonId: input.applicantPersonId,
        groupId: household.groupId,
        villageId: household.villageId,
        townId: household.townId,
        channel: input.channel,
        trigger: input.trigger ?? null,
        startedByWorkerId: startedBy,
        relativeOf: input.relativeOf ? { ...input.relativeOf, workerId: input.relativeOf.workerId ?? null } : null,
        appliedOn: input.appliedOn ?? countyDate(context.now),
      },
    });
    return { caseId };
  }

  async accept(context: CommandContext, caseId: string, acceptedOn?: string): Promise<Written> {
    const day = acceptedOn ?? countyDate(context.now);
    const area = await this.areaCheck(context, caseId, assistancePermissions.accept, 'accept applications');
    await this.recent(context, acceptedOn);
    return this.run(context, caseId, { type: 'Accept', data: { ...(await this.registry.rulesOn(day)), acceptedOn: day } }, area);
  }

  async extend(context: CommandContext, caseId: string, reason: string): Promise<Written> {
    const area = await this.areaCheck(context, caseId, assistancePermissions.accept, 'extend the review deadline');
    return this.run(context, caseId, { type: 'ExtendReviewDeadline', data: { ...(await this.registry.rulesOn(countyDate(context.now))), reason } }, area);
  }

  async recordFacts(context: CommandContext, caseId: string, facts: unknown): Promise<Written> {
    const c = await this.guard(context, caseId, assistancePermissions.investigate, 'record economic facts');
    const parsed = parseFacts(c.program as Program, facts);
    return this.run(context, caseId, { type: 'RecordEconomicFacts', data: { facts: parsed, recordedOn: countyDate(context.now) } });
  }

  /** The level is derived from who investigated: county-level when a county worker took part. */
  async recordHomeInvestigation(context: CommandContext, caseId: string, input: { investigatorIds: string[]; on: string; findings: string }): Promise<Written> {
    const area = await this.areaCheck(context, caseId, assistancePermissions.investigate, 'record home investigations');
    await this.recent(context, input.on);
    const levels: string[] = [];
    for (const id of input.investigatorIds) {
      const worker = await workerFacts(this.db, id);
      if (!worker) throw new NotFoundError('worker', id);
      levels.push(worker.level);
    }
    return this.run(
      context,
      caseId,
      {
        type: 'RecordHomeInvestigation',
        data: {
          investigationId: deterministicUuid(`${context.commandId}:investigation`),
          investigatorIds: input.investigatorIds,
          level: levels.includes('county') ? 'county' : 'town',
          on: input.on,
          findings: input.findings,
        },
      },
      area,
    );
  }

  async recordInterview(context: CommandContext, caseId: string, input: { on: string; interviewee: string; summary: string }): Promise<Written> {
    const area = await this.areaCheck(context, caseId, assistancePermissions.investigate, 'record neighbour interviews');
    await this.recent(context, input.on);
    return this.run(
      context,
      caseId,
      {
        type: 'RecordNeighbourInterview',
        data: { interviewId: deterministicUuid(`${context.commandId}:interview`), ...input },
      },
      area,
    );
  }

  async recordDataCheck(
    context: CommandContext,
    caseId: string,
    input: { source: DataCheckSource; checkedOn: string; result: string; discrepancy: boolean },
  ): Promise<Written> {
    const area = await this.areaCheck(context, caseId, assistancePermissions.investigate, 'record data checks');
    await this.recent(context, input.checkedOn);
    return this.run(context, caseId, { type: 'RecordDataCheck', data: { checkId: deterministicUuid(`${context.commandId}:check`), ...input } }, area);
  }

  async postNotice(context: CommandContext, caseId: string, postedOn?: string): Promise<Written> {
    const day = postedOn ?? countyDate(context.now);
    const area = await this.areaCheck(context, caseId, assistancePermissions.notice, 'post public notices');
    await this.recent(context, postedOn);
    return this.run(
      context,
      caseId,
      {
        type: 'PostNotice',
        data: { ...(await this.registry.rulesOn(day)), noticeId: deterministicUuid(`${context.commandId}:notice`), postedOn: day },
      },
      area,
    );
  }

  async recordObjection(context: CommandContext, caseId: string, input: { on: string; summary: string }): Promise<Written> {
    const area = await this.areaCheck(context, caseId, assistancePermissions.notice, 'record objections');
    await this.recent(context, input.on);
    return this.run(context, caseId, { type: 'RecordObjection', data: { ...input } }, area);
  }

  async decide(context: CommandContext, caseId: string, input: { writtenReasons?: string }): Promise<Written> {
    return this.deciding(context, caseId, 'decide cases', (rules, base) => ({
      type: 'Decide',
      data: { ...rules, ...base, writtenReasons: input.writtenReasons ?? '' },
    }));
  }

  async grantEmergency(context: CommandContext, caseId: string, input: { facts: unknown; writtenReasons?: string }): Promise<Written> {
    const c = await this.guard(context, caseId, assistancePermissions.decide, 'grant emergency assistance');
    const facts = parseFacts(c.program as Program, input.facts);
    // The town's reserve fund (备用金) the grant draws on; the decider refuses an overdraft where the policy says so.
    const reserveBalanceFen = await reserveBalanceForGrant(this.db, c.townId, countyDate(context.now));
    return this.deciding(context, caseId, 'grant emergency assistance', (rules, base) => ({
      type: 'GrantEmergency',
      data: { ...rules, ...base, facts, writtenReasons: input.writtenReasons ?? '', reserveBalanceFen },
    }));
  }

  async completeEmergency(context: CommandContext, caseId: string, input: { writtenReasons?: string }): Promise<Written> {
    return this.deciding(context, caseId, 'complete emergency paperwork', (rules, base) => ({
      type: 'CompleteEmergencyPaperwork',
      data: { ...rules, ...base, writtenReasons: input.writtenReasons ?? '' },
    }));
  }

  async review(context: CommandContext, caseId: string, input: { writtenReasons?: string }): Promise<Written> {
    return this.deciding(context, caseId, 'review cases', (rules, base) => ({
      type: 'Review',
      data: { ...rules, ...base, writtenReasons: input.writtenReasons ?? '' },
    }));
  }

  async notifyRefusal(context: CommandContext, caseId: string, on?: string): Promise<Written> {
    const area = await this.areaCheck(context, caseId, assistancePermissions.notice, 'record refusal notices');
    await this.recent(context, on);
    return this.run(context, caseId, { type: 'NotifyRefusal', data: { on: on ?? countyDate(context.now) } }, area);
  }

  /** 报送: the town's social worker submits the prepared case to the county for checking. */
  async submit(context: CommandContext, caseId: string): Promise<Written> {
    const area = await this.areaCheck(context, caseId, assistancePermissions.submit, 'submit cases');
    return this.run(context, caseId, { type: 'Submit', data: { submittedBy: { id: context.actor.id, role: context.actor.role } } }, area);
  }

  /** 审核把关: the linked county worker forwards the submission to the confirming authority, or returns it with reasons. */
  async check(context: CommandContext, caseId: string, input: { result: 'forward' | 'return'; reasons?: string }): Promise<Written> {
    const area = await this.areaCheck(context, caseId, assistancePermissions.check, 'check submitted cases');
    return this.run(
      context,
      caseId,
      {
        type: 'Check',
        data: {
          result: input.result === 'forward' ? 'forwarded' : 'returned',
          reasons: input.reasons ?? '',
          checkedBy: { id: context.actor.id, role: context.actor.role },
        },
      },
      area,
    );
  }

  /**
   * Money paid out: a month of the amount in force, or the one-off grant; the ledger refuses
   * anything paid twice or above the decision. Answers the payment's id with the case's version.
   */
  async recordPayment(
    context: CommandContext,
    caseId: string,
    input: { month?: string | null; fen?: number | null; paidOn?: string },
  ): Promise<Written & { paymentId: string }> {
    const area = await this.areaCheck(context, caseId, assistancePermissions.pay, 'record payments');
    await this.recent(context, input.paidOn);
    const paidOn = input.paidOn ?? countyDate(context.now);
    const paymentId = deterministicUuid(`${context.commandId}:payment`);
    const { version } = await this.run(
      context,
      caseId,
      {
        type: 'RecordPayment',
        data: {
          paymentId,
          kind: input.month ? 'monthly' : 'one_off',
          month: input.month ?? null,
          fen: input.fen ?? null,
          paidOn,
        },
      },
      area,
    );
    return { paymentId, version };
  }

  async payments(context: Reader, caseId: string) {
    await this.get(context, caseId);
    return { items: await paymentsOf(this.db, caseId) };
  }

  async get(context: Reader, caseId: string) {
    const c = await getCase(this.db, caseId, countyDate(context.now));
    if (!c) throw new NotFoundError('case', caseId);
    const j = await this.jurisdictions.resolve(context.actor, countyDate(context.now));
    if (!canSee(j, { townId: c.townId, villageId: c.villageId, groupId: c.groupId })) throw new ForbiddenError('this case is outside your jurisdiction');
    return (await this.mask(context, j, 'GET /cases/{id}', [c]))[0]!;
  }

  async list(context: Reader, filter: CaseFilter, page: PageRequest) {
    await authorize(context.actor, assistancePermissions.read, filter, 'read cases');
    const j = await this.jurisdictions.resolve(context.actor, countyDate(context.now));
    const v = visibility(j);
    const result = await listCases(this.db, { ...filter, townIds: v.townIds, groupIds: v.groupIds }, page, countyDate(context.now));
    return { items: await this.mask(context, j, 'GET /cases', result.items), nextCursor: result.nextCursor };
  }

  /** Cases carry relatives' names (relativeOf): through the one masking layer. */
  private async mask<T extends { id: string; townId: string; villageId: string; groupId: string; householdId: string }>(
    context: Reader,
    j: Jurisdiction,
    route: string,
    cases: readonly T[],
  ): Promise<T[]> {
    const shown = await this.privacy.showAll(
      context,
      j,
      route,
      cases.map((c) => ({
        record: c,
        subjectKind: 'beneficiary' as const,
        fields: BENEFICIARY_FIELDS,
        place: { townId: c.townId, villageId: c.villageId, groupId: c.groupId },
        subjectId: c.id,
        householdId: c.householdId,
      })),
    );
    return shown.map((s) => s.value);
  }

  /** The public notice (公示) list: names and ID numbers masked, as posted in the village. */
  async noticeList(context: Reader, caseId: string) {
    const c = await this.get(context, caseId);
    const household = await getHousehold(this.db, c.householdId);
    return {
      caseId: c.id,
      program: c.program,
      villageId: c.villageId,
      noticeEndsOn: c.dueDates.noticeEnds,
      members: (household?.members ?? []).map((m) => ({ name: maskName(m.name), idNumber: maskNationalId(m.idNumber), relation: m.relation })),
    };
  }

  /** The case as it stood at a moment, with the events that made it (for auditors). */
  async history(context: Reader, caseId: string, asOf?: string) {
    const c = await this.get(context, caseId);
    const events = await this.store.readStream(caseStreamId(caseId), asOf ? { asOf } : {});
    let state = initialCaseState();
    for (const e of events) state = evolveCase(state, { ...asDomainEvent<CaseEvent>(e), eventId: e.eventId });
    const history = {
      caseId,
      asOf: asOf ?? null,
      status: state.status,
      decisions: state.decisions,
      events: events.map((e: RecordedEvent) => ({
        eventId: e.eventId,
        version: e.version,
        type: e.type,
        data: e.data,
        recordedAt: e.recordedAt,
        actor: { id: e.metadata.actorId, role: e.metadata.actorRole },
        hash: e.hash,
      })),
    };
    // Facts, findings, interviews and reasons are masked as anywhere else; the hashes stay, so an
    // auditor (who sees everything) can still check them against the stored events.
    const j = await this.jurisdictions.resolve(context.actor, countyDate(context.now));
    const shown = await this.privacy.show(context, j, 'GET /cases/{id}/history', {
      record: history,
      subjectKind: 'beneficiary',
      fields: BENEFICIARY_FIELDS,
      place: { townId: c.townId, villageId: c.villageId, groupId: c.groupId },
      subjectId: caseId,
      householdId: c.householdId,
    });
    return { ...shown.value, personalDataMasked: shown.masked };
  }

  // ── helpers ────────────────────────────────────────────────────────────────
  private async deciding(
    context: CommandContext,
    caseId: string,
    what: string,
    build: (
      rules: Awaited<ReturnType<PolicyRegistryService['rulesOn']>> & { procedure: Awaited<ReturnType<CaseProcedureService['on']>> },
      base: { decisionId: string; decisionDate: string; decidedBy: { id: string; role: string } },
    ) => CommandInput<CaseCommand>,
  ): Promise<Written> {
    const area = await this.areaCheck(context, caseId, assistancePermissions.decide, what);
    const decisionDate = countyDate(context.now);
    const rules = { ...(await this.registry.rulesOn(decisionDate)), procedure: await this.procedure.on(decisionDate) };
    const base = {
      decisionId: deterministicUuid(`${context.commandId}:decision`),
      decisionDate,
      decidedBy: { id: context.actor.id, role: context.actor.role },
    };
    return this.run(context, caseId, build(rules, base), area);
  }

  /**
   * `guard` for a step that needs nothing of the case before its command: the permission now, the
   * case's existence and area on the state the command folds anyway (its application's area, which
   * is its read-model row's), so a step makes no read of its own.
   */
  private async areaCheck(context: CommandContext, caseId: string, policy: Permission<unknown>, what: string): Promise<(state: CaseState) => void> {
    await authorize(context.actor, policy, { caseId }, what);
    const j = await this.jurisdictions.resolve(context.actor, countyDate(context.now));
    return (state) => {
      const a = state.application;
      if (!a) throw new NotFoundError('case', caseId);
      if (!covers(j, { townId: a.townId, villageId: a.villageId, groupId: a.groupId })) throw new ForbiddenError('this case is outside your jurisdiction');
    };
  }

  private async guard(context: CommandContext, caseId: string, policy: Permission<unknown>, what: string) {
    await authorize(context.actor, policy, { caseId }, what);
    const c = await getCase(this.db, caseId, countyDate(context.now));
    if (!c) throw new NotFoundError('case', caseId);
    const j = await this.jurisdictions.resolve(context.actor, countyDate(context.now));
    if (!covers(j, { townId: c.townId, villageId: c.villageId, groupId: c.groupId })) throw new ForbiddenError('this case is outside your jurisdiction');
    return c;
  }

  /** The read model's unique index is the last word when two applications race: the loser gets the rule, not a 500. */
  private async runGuardingOpenCase(context: CommandContext, caseId: string, householdId: string, program: string, command: CommandInput<CaseCommand>) {
    try {
      return await this.run(context, caseId, command);
    } catch (error) {
      if (!isUniqueViolation(error, 'rm_cases_one_open')) throw error;
      throw new DomainRuleViolation('case.open_case_exists', '该户已有同一救助项目的在办案件，不能重复申请', { householdId, program });
    }
  }

  /** Runs a step's command; answers the case's new version (its ETag), not the case: a caller that wants it reads it (`get`). */
  private async run(context: CommandContext, caseId: string, command: CommandInput<CaseCommand>, area?: (state: CaseState) => void): Promise<Written> {
    // Decisions cite their evidence by event id: the handler folds recorded events, ids included.
    const { version } = await this.commands.handle(cases, caseId, command, context, area ? { precondition: area } : {});
    return { version };
  }
}
