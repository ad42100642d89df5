import type { Kysely } from 'kysely';
import { villagerGroupDecider } from '../../domain/geography/villager-group.decide';
import { villagerGroupEvents, villagerGroupStreamId, type VillagerGroupState } from '../../domain/geography/villager-group.events';
import { fold, type Decider, type DomainEvent } from '../../domain/shared/decider';
import type { EventCatalog } from '../../domain/shared/event-schemas';
import { planGroupHandover } from '../../domain/workforce/group-handover';
import { mentoringPairDecider, type MentoringPairCommand } from '../../domain/workforce/mentoring-pair.decide';
import { mentoringPairEvents, mentoringPairStreamId } from '../../domain/workforce/mentoring-pair.events';
import { trainingSessionDecider, type TrainingSessionCommand } from '../../domain/workforce/training-session.decide';
import { trainingSessionEvents, trainingSessionStreamId, type TrainingKind } from '../../domain/workforce/training-session.events';
import { workerDecider, type WorkerCommand } from '../../domain/workforce/worker.decide';
import { workerEvents, workerStreamId, type CertificationLevel, type PostingUnit } from '../../domain/workforce/worker.events';
import type { WorkerLevel } from '../../domain/workforce/worker-facts';
import { getGroup, getTown, getVillage, type GroupView } from '../../projections/geography/geography.queries';
import {
  findWorkerByIdNumber,
  getWorker,
  groupsResponsibleOn,
  listMentoringPairs,
  listTrainingSessions,
  listWorkers,
  openLinksTo,
  workerFacts,
  type WorkerRecord,
} from '../../projections/workforce/workforce.queries';
import { authorize } from '../authorization';
import { countyDate } from '../clock';
import { subCommand, type CommandContext, type CommandHandler } from '../command-handler';
import type { EventStore } from '../event-store';
import { ForbiddenError, NotFoundError } from '../errors';
import { DomainRuleViolation } from '../../domain/shared/errors';
import { deterministicUuid } from '../ids';
import { visibleTowns, type JurisdictionResolver } from '../jurisdiction';
import type { Page, PageRequest } from '../pagination';
import { workforcePolicies } from './workforce.policies';
import { STAFF_FIELDS } from '../privacy/classification';
import { maskFor } from '../privacy/privacy';

type Reader = Pick<CommandContext, 'actor' | 'now'>;


export type WorkerView = Omit<WorkerRecord, 'idNumber' | 'phone'> & { idNumber: string; phone: string };

export interface HandoverResult {
  handedOver: string[];
  failed: { groupId: string; reason: string }[];
}

export class WorkforceService {
  constructor(
    private readonly commands: CommandHandler,
    private readonly store: EventStore,
    private readonly db: Kysely<any>,
    private readonly jurisdictions: JurisdictionResolver,
  ) {}

  // ── Workers ────────────────────────────────────────────────────────────────
  async registerWorker(
    context: CommandContext,
    input: { name: string; level: WorkerLevel; phone: string; idNumber: string; hireDate: string; posting?: { townId?: string; villageId?: string } },
  ): Promise<WorkerView> {
    await authorize(context.actor, workforcePolicies.write, input, 'register workers');
    const latest = latestHireDate(countyDate(context.now));
    if (input.hireDate > latest) {
      throw new DomainRuleViolation('worker.hire_date_too_late', `聘用日期不能晚于 ${latest}（the hire date may be at most ${HIRE_DATE_WINDOW_DAYS} days ahead）`, { field: 'hireDate', latest });
    }
    const existing = await findWorkerByIdNumber(this.db, input.idNumber.toUpperCase());
    if (existing) {
      throw new DomainRuleViolation('worker.already_registered', 'a worker with this national ID number is already registered', { existingWorkerId: existing });
    }
    // From the request, never from the ID number (a worker id is in every token and every
    // event; one derived from the number gave the number away). One person, one record is the
    // lookup above; a retried request lands on the same stream.
    const workerId = deterministicUuid(`worker:${context.commandId}`);
    await this.runWorker(context, workerId, {
      type: 'RegisterWorker',
      data: { workerId, name: input.name, level: input.level, phone: input.phone, nationalId: input.idNumber, hiredOn: input.hireDate, now: context.now.toISOString() },
    });
    if (input.posting) await this.postWorker(subCommand(context, 'posting'), workerId, { ...input.posting, from: input.hireDate });
    return this.getWorker(context, workerId);
  }

  async postWorker(context: CommandContext, workerId: string, input: { townId?: string; villageId?: string; from: string }): Promise<WorkerView> {
    await authorize(context.actor, workforcePolicies.write, input, 'post workers');
    await this.mustWorker(workerId);
    let unit: PostingUnit;
    let unitStatus: 'active' | 'retired';
    if (input.villageId) {
      const village = await getVillage(this.db, input.villageId);
      if (!village) throw new NotFoundError('village', input.villageId);
      unit = { kind: 'village', villageId: village.id };
      unitStatus = village.status as 'active' | 'retired';
    } else {
      const town = input.townId ? await getTown(this.db, input.townId) : null;
      if (!town) throw new NotFoundError('town', input.townId ?? '(none given)');
      unit = { kind: 'town', townId: town.id };
      unitStatus = town.status as 'active' | 'retired';
    }
    await this.runWorker(context, workerId, { type: 'PostWorker', data: { workerId, unit, unitStatus, from: input.from, now: context.now.toISOString() } });
    return this.getWorker(context, workerId);
  }

  async leave(context: CommandContext, workerId: string, leftOn: string, ifMatch?: number): Promise<WorkerView> {
    await authorize(context.actor, workforcePolicies.write, { workerId }, 'end employment');
    await this.mustWorker(workerId);
    const groups = await groupsResponsibleOn(this.db, workerId, leftOn);
    await this.runWorker(context, workerId, { type: 'LeaveEmployment', data: { workerId, leftOn, responsibleForGroupIds: groups, now: context.now.toISOString() } }, ifMatch);
    // Town workers' links to a leaving village worker live on the town workers' streams: end them too.
    for (const link of await openLinksTo(this.db, workerId, leftOn)) {
      await this.runWorker(subCommand(context, `unlink:${link.workerId}`), link.workerId, {
        type: 'EndVillageWorkerLink',
        data: { workerId: link.workerId, villageWorkerId: workerId, to: link.from > leftOn ? link.from : leftOn, now: context.now.toISOString() },
      });
    }
    return this.getWorker(context, workerId);
  }

  async recordCertification(context: CommandContext, workerId: string, input: { level: CertificationLevel; certificateNumber: string; certifiedOn: string }): Promise<WorkerView> {
    await authorize(context.actor, workforcePolicies.write, input, 'record certifications');
    await this.mustWorker(workerId);
    await this.runWorker(context, workerId, { type: 'RecordCertification', data: { workerId, ...input, now: context.now.toISOString() } });
    return this.getWorker(context, workerId);
  }

  async linkTown(context: CommandContext, workerId: string, input: { townId: string; from: string; to?: string | null }): Promise<WorkerView> {
    await authorize(context.actor, workforcePolicies.write, input, 'link towns');
    await this.mustWorker(workerId);
    const town = await getTown(this.db, input.townId);
    if (!town) throw new NotFoundError('town', input.townId);
    await this.runWorker(context, workerId, {
      type: 'LinkTown',
      data: { workerId, townId: town.id, townStatus: town.status as 'active' | 'retired', from: input.from, to: input.to ?? null, now: context.now.toISOString() },
    });
    return this.getWorker(context, workerId);
  }

  async endTownLink(context: CommandContext, workerId: string, townId: string, to: string): Promise<WorkerView> {
    await authorize(context.actor, workforcePolicies.write, { townId }, 'end town links');
    await this.mustWorker(workerId);
    await this.runWorker(context, workerId, { type: 'EndTownLink', data: { workerId, townId, to, now: context.now.toISOString() } });
    return this.getWorker(context, workerId);
  }

  async linkVillageWorker(context: CommandContext, workerId: string, input: { villageWorkerId: string; from: string; to?: string | null }): Promise<WorkerView> {
    await authorize(context.actor, workforcePolicies.write, input, 'link village workers');
    await this.mustWorker(workerId);
    const target = await workerFacts(this.db, input.villageWorkerId);
    if (!target) throw new NotFoundError('worker', input.villageWorkerId);
    await this.runWorker(context, workerId, {
      type: 'LinkVillageWorker',
      data: { workerId, villageWorker: { workerId: target.workerId, level: target.level, status: target.status }, from: input.from, to: input.to ?? null, now: context.now.toISOString() },
    });
    return this.getWorker(context, workerId);
  }

  async endVillageWorkerLink(context: CommandContext, workerId: string, villageWorkerId: string, to: string): Promise<WorkerView> {
    await authorize(context.actor, workforcePolicies.write, { villageWorkerId }, 'end village-worker links');
    await this.mustWorker(workerId);
    await this.runWorker(context, workerId, { type: 'EndVillageWorkerLink', data: { workerId, villageWorkerId, to, now: context.now.toISOString() } });
    return this.getWorker(context, workerId);
  }

  async getWorker(context: Reader, workerId: string): Promise<WorkerView> {
    const worker = await this.mustWorker(workerId);
    const j = await this.jurisdictions.resolve(context.actor, countyDate(context.now));
    const self = context.actor.id === workerId;
    const visible = j.scope === 'all' || (j.scope === 'towns' && !!worker.townId && j.townIds.has(worker.townId));
    if (!self && !visible) {
      throw new ForbiddenError('this worker is outside your jurisdiction');
    }
    return this.mask(context, worker);
  }

  async listWorkers(context: Reader, filter: { level?: string; townId?: string; status?: string }, page: PageRequest): Promise<Page<WorkerView>> {
    await authorize(context.actor, workforcePolicies.read, filter, 'read workers');
    const j = await this.jurisdictions.resolve(context.actor, countyDate(context.now));
    const result = await listWorkers(this.db, { ...filter, visibleTowns: j.scope === 'groups' ? new Set<string>() : visibleTowns(j), selfId: context.actor.id }, page);
    const items = await Promise.all(result.items.map((w) => this.mask(context, { ...w, certifications: [], links: [], responsibleFor: [] })));
    return { items: items.map(({ certifications: _c, links: _l, responsibleFor: _r, ...rest }) => rest as WorkerView), nextCursor: result.nextCursor };
  }

  // ── Group responsibility (包保) ─────────────────────────────────────────────
  async assignGroupResponsibility(context: CommandContext, groupId: string, input: { workerId: string; from: string }, ifMatch?: number): Promise<GroupView> {
    await authorize(context.actor, workforcePolicies.write, input, 'assign responsible workers');
    const worker = await workerFacts(this.db, input.workerId);
    if (!worker) throw new NotFoundError('worker', input.workerId);
    await this.mustGroup(groupId, context);
    await this.commands.handle({
      streamId: villagerGroupStreamId(groupId),
      decider: villagerGroupDecider,
      catalog: villagerGroupEvents,
      context,
      ifMatch,
      command: { type: 'AssignGroupResponsibility', data: { groupId, worker: { workerId: worker.workerId, level: worker.level, status: worker.status }, from: input.from, now: context.now.toISOString() } },
    });
    return this.mustGroup(groupId, context);
  }

  async endGroupResponsibility(context: CommandContext, groupId: string, to: string, ifMatch?: number): Promise<GroupView> {
    await authorize(context.actor, workforcePolicies.write, { groupId }, 'end group responsibilities');
    await this.mustGroup(groupId, context);
    await this.commands.handle({
      streamId: villagerGroupStreamId(groupId),
      decider: villagerGroupDecider,
      catalog: villagerGroupEvents,
      context,
      ifMatch,
      command: { type: 'EndGroupResponsibility', data: { groupId, to, now: context.now.toISOString() } },
    });
    return this.mustGroup(groupId, context);
  }

  /**
   * Hands every group of one worker to another. Each group is its own stream, so each is one
   * append; a group that changed meanwhile is reported, not overwritten, and re-running the
   * handover finishes what is left (groups already handed over are skipped).
   */
  async handOverGroups(context: CommandContext, fromWorkerId: string, input: { toWorkerId: string; from: string }): Promise<HandoverResult> {
    await authorize(context.actor, workforcePolicies.write, input, 'hand over groups');
    await this.mustWorker(fromWorkerId);
    const to = await workerFacts(this.db, input.toWorkerId);
    if (!to) throw new NotFoundError('worker', input.toWorkerId);
    const groupIds = await groupsResponsibleOn(this.db, fromWorkerId, input.from, true);
    const groups: VillagerGroupState[] = [];
    for (const groupId of groupIds) {
      const history = await this.store.readStream(villagerGroupStreamId(groupId));
      groups.push(fold(villagerGroupDecider, history as never));
    }
    const steps = planGroupHandover({
      fromWorkerId,
      toWorker: { workerId: to.workerId, level: to.level, status: to.status },
      from: input.from,
      now: context.now.toISOString(),
      groups,
    });
    const result: HandoverResult = { handedOver: [], failed: [] };
    for (const step of steps) {
      try {
        await this.commands.handle({
          streamId: step.streamId,
          decider: villagerGroupDecider,
          catalog: villagerGroupEvents,
          context: subCommand(context, step.groupId),
          command: step.command,
        });
        result.handedOver.push(step.groupId);
      } catch (error) {
        result.failed.push({ groupId: step.groupId, reason: error instanceof Error ? error.message : String(error) });
      }
    }
    return result;
  }

  // ── Training sessions and mentoring ────────────────────────────────────────
  async recordTrainingSession(context: CommandContext, input: { title: string; heldOn: string; kind: TrainingKind; attendeeIds?: string[] }) {
    await authorize(context.actor, workforcePolicies.write, input, 'record training sessions');
    const sessionId = deterministicUuid(`training-session:${context.commandId}`);
    await this.runSession(context, sessionId, { type: 'RecordTrainingSession', data: { sessionId, title: input.title, heldOn: input.heldOn, kind: input.kind, now: context.now.toISOString() } });
    if (input.attendeeIds?.length) await this.recordAttendance(subCommand(context, 'attendance'), sessionId, input.attendeeIds);
    return { id: sessionId };
  }

  async recordAttendance(context: CommandContext, sessionId: string, workerIds: string[]) {
    await authorize(context.actor, workforcePolicies.write, { sessionId }, 'record training attendance');
    const attendees = [];
    for (const id of workerIds) {
      const facts = await workerFacts(this.db, id);
      if (!facts) throw new NotFoundError('worker', id);
      attendees.push({ workerId: id, hiredOn: facts.hiredOn, leftOn: facts.leftOn });
    }
    if ((await this.store.streamVersion(trainingSessionStreamId(sessionId))) === 0) throw new NotFoundError('training session', sessionId);
    await this.runSession(context, sessionId, { type: 'RecordTrainingAttendance', data: { sessionId, attendees, now: context.now.toISOString() } });
    return { id: sessionId };
  }

  listTrainingSessions(context: Reader, page: PageRequest) {
    return authorize(context.actor, workforcePolicies.read, undefined, 'read training sessions').then(() => listTrainingSessions(this.db, page));
  }

  async formMentoringPair(context: CommandContext, input: { mentorId: string; menteeId: string; from: string; to?: string | null }) {
    await authorize(context.actor, workforcePolicies.write, input, 'form mentoring pairs');
    const [mentor, mentee] = await Promise.all([workerFacts(this.db, input.mentorId), workerFacts(this.db, input.menteeId)]);
    if (!mentor) throw new NotFoundError('worker', input.mentorId);
    if (!mentee) throw new NotFoundError('worker', input.menteeId);
    const pairId = deterministicUuid(`mentoring-pair:${context.commandId}`);
    const facts = (w: typeof mentor) => ({ workerId: w.workerId, level: w.level, status: w.status });
    await this.runPair(context, pairId, { type: 'FormMentoringPair', data: { pairId, mentor: facts(mentor), mentee: facts(mentee), from: input.from, to: input.to ?? null, now: context.now.toISOString() } });
    return { id: pairId };
  }

  async endMentoringPair(context: CommandContext, pairId: string, to: string) {
    await authorize(context.actor, workforcePolicies.write, { pairId }, 'end mentoring pairs');
    if ((await this.store.streamVersion(mentoringPairStreamId(pairId))) === 0) throw new NotFoundError('mentoring pair', pairId);
    await this.runPair(context, pairId, { type: 'EndMentoringPair', data: { pairId, to, now: context.now.toISOString() } });
    return { id: pairId };
  }

  listMentoringPairs(context: Reader, page: PageRequest) {
    return authorize(context.actor, workforcePolicies.read, undefined, 'read mentoring pairs').then(() => listMentoringPairs(this.db, page));
  }

  // ── helpers ────────────────────────────────────────────────────────────────
  private run<C, E extends DomainEvent, S>(context: CommandContext, streamId: string, decider: Decider<C, E, S>, catalog: EventCatalog, command: C, ifMatch?: number) {
    return this.commands.handle({ streamId, decider, catalog, context, command, ...(ifMatch !== undefined ? { ifMatch } : {}) });
  }
  private runWorker(context: CommandContext, workerId: string, command: WorkerCommand, ifMatch?: number) {
    return this.run(context, workerStreamId(workerId), workerDecider, workerEvents, command, ifMatch);
  }
  private runSession(context: CommandContext, sessionId: string, command: TrainingSessionCommand) {
    return this.run(context, trainingSessionStreamId(sessionId), trainingSessionDecider, trainingSessionEvents, command);
  }
  private runPair(context: CommandContext, pairId: string, command: MentoringPairCommand) {
    return this.run(context, mentoringPairStreamId(pairId), mentoringPairDecider, mentoringPairEvents, command);
  }

  private async mustWorker(workerId: string): Promise<WorkerRecord> {
    const worker = await getWorker(this.db, workerId);
    if (!worker) throw new NotFoundError('worker', workerId);
    return worker;
  }

  private async mustGroup(groupId: string, context: Reader): Promise<GroupView> {
    const group = await getGroup(this.db, groupId, countyDate(context.now));
    if (!group) throw new NotFoundError('villager group', groupId);
    return group;
  }

  /** ID numbers and phone numbers are personal data: shown in full only to the employer. */
  private async mask(context: Reader, worker: WorkerRecord): Promise<WorkerView> {
    return maskFor(context.actor, 'staff', 'inside', worker, STAFF_FIELDS).value;
  }
}

/** A contract signed today may start next month; 9999-12-31 is a typo, not a hire. */
export const HIRE_DATE_WINDOW_DAYS = 31;
export function latestHireDate(today: string): string {
  return new Date(Date.parse(`${today}T00:00:00Z`) + HIRE_DATE_WINDOW_DAYS * 86_400_000).toISOString().slice(0, 10);
}
