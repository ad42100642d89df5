import { villagerGroupDecider } from '../../domain/geography/villager-group.decide';
import { villagerGroupStreamId, type VillagerGroupState } from '../../domain/geography/villager-group.events';
import { fold } from '../../domain/shared/decider';
import { planGroupHandover } from '../../domain/workforce/group-handover';
import { mentoringPairStreamId } from '../../domain/workforce/mentoring-pair.events';
import { trainingSessionStreamId, type TrainingKind } from '../../domain/workforce/training-session.events';
import type { CertificationLevel, PostingUnit } from '../../domain/workforce/worker.events';
import type { WorkerLevel } from '../../domain/workforce/worker-facts';
import { getTown, getVillage, type GroupView } from '../../projections/geography/geography.queries';
import {
  findWorkerByIdNumber,
  getWorker,
  listMentoringPairs,
  listTrainingSessions,
  listWorkers,
  openLinksTo,
  workerFacts,
  type WorkerRecord,
} from '../../projections/workforce/workforce.queries';
import { groupsResponsibleOn } from '../../projections/geography/responsibilities.queries';
import { authorize } from '../permissions/permissions';
import { countyDate } from '../clock';
import { commandFlow } from '../command-flow';
import { subCommand, type CommandContext, type CommandHandler } from '../command-handler';
import type { EventStore } from '../event-store';
import { ForbiddenError, NotFoundError } from '../errors';
import { DomainRuleViolation } from '../../domain/shared/errors';
import { deterministicUuid } from '../ids';
import { visibleTowns, type JurisdictionResolver } from '../jurisdiction';
import type { Page, PageRequest } from '../pagination';
import { villagerGroupFlow, villagerGroups } from '../geography/geography.aggregates';
import { mentoringPairs, trainingSessions, workers } from './workforce.aggregates';
import { workforcePermissions } from '../permissions/workforce.permissions';
import { STAFF_FIELDS } from '../privacy/classification';
import { maskFor } from '../privacy/privacy';
import type { Db } from '../db';

type Reader = Pick<CommandContext, 'actor' | 'now'>;

export type WorkerView = Omit<WorkerRecord, 'idNumber' | 'phone'> & { idNumber: string; phone: string };

export interface HandoverResult {
  handedOver: string[];
  failed: { groupId: string; reason: string }[];
}

export class WorkforceService {
  private readonly workers;
  private readonly groups;

  constructor(
    private readonly commands: CommandHandler,
    private readonly store: EventStore,
    private readonly db: Db,
    private readonly jurisdictions: JurisdictionResolver,
  ) {
    this.workers = commandFlow(commands, { aggregate: workers, write: workforcePermissions.write, load: (id) => getWorker(db, id) });
    this.groups = villagerGroupFlow(commands, db, workforcePermissions.write);
  }

  // ── Workers ────────────────────────────────────────────────────────────────
  async registerWorker(
    context: CommandContext,
    input: { name: string; level: WorkerLevel; phone: string; idNumber: string; hireDate: string; posting?: { townId?: string; villageId?: string } },
  ): Promise<WorkerView> {
    await authorize(context.actor, workforcePermissions.write, input, 'register workers');
    const latest = latestHireDate(countyDate(context.now));
    if (input.hireDate > latest) {
      throw new DomainRuleViolation(
        'worker.hire_date_too_late',
        `聘用日期不能晚于 ${latest}（the hire date may be at most ${HIRE_DATE_WINDOW_DAYS} days ahead）`,
        { field: 'hireDate', latest },
      );
    }
    const existing = await findWorkerByIdNumber(this.db, input.idNumber.toUpperCase());
    if (existing) {
      throw new DomainRuleViolation('worker.already_registered', 'a worker with this national ID number is already registered', { existingWorkerId: existing });
    }
    // From the request, never from the ID number (a worker id is in every token and every
    // event; one derived from the number gave the number away). One person, one record is the
    // lookup above; a retried request lands on the same stream.
    const workerId = deterministicUuid(`worker:${context.commandId}`);
    await this.commands.handle(
      workers,
      workerId,
      {
        type: 'RegisterWorker',
        data: { workerId, name: input.name, level: input.level, phone: input.phone, nationalId: input.idNumber, hiredOn: input.hireDate },
      },
      context,
    );
    if (input.posting) await this.postWorker(subCommand(context, 'posting'), workerId, { ...input.posting, from: input.hireDate });
    return this.getWorker(context, workerId);
  }

  async postWorker(context: CommandContext, workerId: string, input: { townId?: string; villageId?: string; from: string }): Promise<WorkerView> {
    const posted = await this.workers.change(
      context,
      workerId,
      'post workers',
      async () => {
        const { unit, unitStatus } = await this.postingUnit(input);
        return { type: 'PostWorker', data: { workerId, unit, unitStatus, from: input.from } };
      },
      { resource: input },
    );
    return this.present(context, posted);
  }

  private async postingUnit(input: { townId?: string; villageId?: string }): Promise<{ unit: PostingUnit; unitStatus: 'active' | 'retired' }> {
    if (input.villageId) {
      const village = await getVillage(this.db, input.villageId);
      if (!village) throw new NotFoundError('village', input.villageId);
      return { unit: { kind: 'village', villageId: village.id }, unitStatus: village.status as 'active' | 'retired' };
    }
    const town = input.townId ? await getTown(this.db, input.townId) : null;
    if (!town) throw new NotFoundError('town', input.townId ?? '(none given)');
    return { unit: { kind: 'town', townId: town.id }, unitStatus: town.status as 'active' | 'retired' };
  }

  async leave(context: CommandContext, workerId: string, leftOn: string, ifMatch?: number): Promise<WorkerView> {
    await this.workers.change(
      context,
      workerId,
      'end employment',
      async () => {
        const groups = await groupsResponsibleOn(this.db, workerId, leftOn);
        return { type: 'LeaveEmployment', data: { workerId, leftOn, responsibleForGroupIds: groups } };
      },
      { ifMatch, resource: { workerId } },
    );
    // Town workers' links to a leaving village worker live on the town workers' streams: end them too.
    for (const link of await openLinksTo(this.db, workerId, leftOn)) {
      const to = link.from > leftOn ? link.from : leftOn;
      await this.commands.handle(
        workers,
        link.workerId,
        { type: 'EndVillageWorkerLink', data: { workerId: link.workerId, villageWorkerId: workerId, to } },
        subCommand(context, `unlink:${link.workerId}`),
      );
    }
    return this.getWorker(context, workerId);
  }

  async recordCertification(
    context: CommandContext,
    workerId: string,
    input: { level: CertificationLevel; certificateNumber: string; certifiedOn: string },
  ): Promise<WorkerView> {
    const worker = await this.workers.change(
      context,
      workerId,
      'record certifications',
      { type: 'RecordCertification', data: { workerId, ...input } },
      { resource: input },
    );
    return this.present(context, worker);
  }

  async linkTown(context: CommandContext, workerId: string, input: { townId: string; from: string; to?: string | null }): Promise<WorkerView> {
    const worker = await this.workers.change(
      context,
      workerId,
      'link towns',
      async () => {
        const town = await getTown(this.db, input.townId);
        if (!town) throw new NotFoundError('town', input.townId);
        return {
          type: 'LinkTown',
          data: { workerId, townId: town.id, townStatus: town.status as 'active' | 'retired', from: input.from, to: input.to ?? null },
        };
      },
      { resource: input },
    );
    return this.present(context, worker);
  }

  async endTownLink(context: CommandContext, workerId: string, townId: string, to: string): Promise<WorkerView> {
    const worker = await this.workers.change(
      context,
      workerId,
      'end town links',
      { type: 'EndTownLink', data: { workerId, townId, to } },
      { resource: { townId } },
    );
    return this.present(context, worker);
  }

  async linkVillageWorker(
    context: CommandContext,
    workerId: string,
    input: { villageWorkerId: string; from: string; to?: string | null },
  ): Promise<WorkerView> {
    const worker = await this.workers.change(
      context,
      workerId,
      'link village workers',
      async () => {
        const target = await workerFacts(this.db, input.villageWorkerId);
        if (!target) throw new NotFoundError('worker', input.villageWorkerId);
        const villageWorker = { workerId: target.workerId, level: target.level, status: target.status };
        return { type: 'LinkVillageWorker', data: { workerId, villageWorker, from: input.from, to: input.to ?? null } };
      },
      { resource: input },
    );
    return this.present(context, worker);
  }

  async endVillageWorkerLink(context: CommandContext, workerId: string, villageWorkerId: string, to: string): Promise<WorkerView> {
    const worker = await this.workers.change(
      context,
      workerId,
      'end village-worker links',
      { type: 'EndVillageWorkerLink', data: { workerId, villageWorkerId, to } },
      { resource: { villageWorkerId } },
    );
    return this.present(context, worker);
  }

  async getWorker(context: Reader, workerId: string): Promise<WorkerView> {
    return this.present(context, await this.workers.load(workerId, context));
  }

  /** The worker as this reader may see them: outside their jurisdiction is a 403, personal data masked. */
  private async present(context: Reader, worker: WorkerRecord): Promise<WorkerView> {
    const j = await this.jurisdictions.resolve(context.actor, countyDate(context.now));
    const self = context.actor.id === worker.id;
    const visible = j.scope === 'all' || (j.scope === 'towns' && !!worker.townId && j.townIds.has(worker.townId));
    if (!self && !visible) {
      throw new ForbiddenError('this worker is outside your jurisdiction');
    }
    return this.mask(context, worker);
  }

  async listWorkers(context: Reader, filter: { level?: string; townId?: string; status?: string }, page: PageRequest): Promise<Page<WorkerView>> {
    await authorize(context.actor, workforcePermissions.read, filter, 'read workers');
    const j = await this.jurisdictions.resolve(context.actor, countyDate(context.now));
    const result = await listWorkers(
      this.db,
      { ...filter, visibleTowns: j.scope === 'groups' ? new Set<string>() : visibleTowns(j), selfId: context.actor.id },
      page,
    );
    const items = await Promise.all(result.items.map((w) => this.mask(context, { ...w, certifications: [], links: [], responsibleFor: [] })));
    return { items: items.map(({ certifications: _c, links: _l, responsibleFor: _r, ...rest }) => rest as WorkerView), nextCursor: result.nextCursor };
  }

  // ── Group responsibility (包保) ─────────────────────────────────────────────
  async assignGroupResponsibility(context: CommandContext, groupId: string, input: { workerId: string; from: string }, ifMatch?: number): Promise<GroupView> {
    return this.groups.change(
      context,
      groupId,
      'assign responsible workers',
      async () => {
        const worker = await workerFacts(this.db, input.workerId);
        if (!worker) throw new NotFoundError('worker', input.workerId);
        return {
          type: 'AssignGroupResponsibility',
          data: { groupId, worker: { workerId: worker.workerId, level: worker.level, status: worker.status }, from: input.from },
        };
      },
      { ifMatch, resource: input },
    );
  }

  async endGroupResponsibility(context: CommandContext, groupId: string, to: string, ifMatch?: number): Promise<GroupView> {
    return this.groups.change(
      context,
      groupId,
      'end group responsibilities',
      { type: 'EndGroupResponsibility', data: { groupId, to } },
      { ifMatch, resource: { groupId } },
    );
  }

  /**
   * Hands every group of one worker to another. Each group is its own stream, so each is one
   * append; a group that changed meanwhile is reported, not overwritten, and re-running the
   * handover finishes what is left (groups already handed over are skipped).
   */
  async handOverGroups(context: CommandContext, fromWorkerId: string, input: { toWorkerId: string; from: string }): Promise<HandoverResult> {
    await authorize(context.actor, workforcePermissions.write, input, 'hand over groups');
    await this.workers.load(fromWorkerId, context);
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
        await this.commands.handle(villagerGroups, step.groupId, step.command, subCommand(context, step.groupId));
        result.handedOver.push(step.groupId);
      } catch (error) {
        result.failed.push({ groupId: step.groupId, reason: error instanceof Error ? error.message : String(error) });
      }
    }
    return result;
  }

  // ── Training sessions and mentoring ────────────────────────────────────────
  async recordTrainingSession(context: CommandContext, input: { title: string; heldOn: string; kind: TrainingKind; attendeeIds?: string[] }) {
    await authorize(context.actor, workforcePermissions.write, input, 'record training sessions');
    const sessionId = deterministicUuid(`training-session:${context.commandId}`);
    await this.commands.handle(
      trainingSessions,
      sessionId,
      { type: 'RecordTrainingSession', data: { sessionId, title: input.title, heldOn: input.heldOn, kind: input.kind } },
      context,
    );
    if (input.attendeeIds?.length) await this.recordAttendance(subCommand(context, 'attendance'), sessionId, input.attendeeIds);
    return { id: sessionId };
  }

  async recordAttendance(context: CommandContext, sessionId: string, workerIds: string[]) {
    await authorize(context.actor, workforcePermissions.write, { sessionId }, 'record training attendance');
    const attendees = [];
    for (const id of workerIds) {
      const facts = await workerFacts(this.db, id);
      if (!facts) throw new NotFoundError('worker', id);
      attendees.push({ workerId: id, hiredOn: facts.hiredOn, leftOn: facts.leftOn });
    }
    if ((await this.store.streamVersion(trainingSessionStreamId(sessionId))) === 0) throw new NotFoundError('training session', sessionId);
    await this.commands.handle(trainingSessions, sessionId, { type: 'RecordTrainingAttendance', data: { sessionId, attendees } }, context);
    return { id: sessionId };
  }

  listTrainingSessions(context: Reader, page: PageRequest) {
    return authorize(context.actor, workforcePermissions.read, undefined, 'read training sessions').then(() => listTrainingSessions(this.db, page));
  }

  async formMentoringPair(context: CommandContext, input: { mentorId: string; menteeId: string; from: string; to?: string | null }) {
    await authorize(context.actor, workforcePermissions.write, input, 'form mentoring pairs');
    const [mentor, mentee] = await Promise.all([workerFacts(this.db, input.mentorId), workerFacts(this.db, input.menteeId)]);
    if (!mentor) throw new NotFoundError('worker', input.mentorId);
    if (!mentee) throw new NotFoundError('worker', input.menteeId);
    const pairId = deterministicUuid(`mentoring-pair:${context.commandId}`);
    const facts = (w: typeof mentor) => ({ workerId: w.workerId, level: w.level, status: w.status });
    await this.commands.handle(
      mentoringPairs,
      pairId,
      { type: 'FormMentoringPair', data: { pairId, mentor: facts(mentor), mentee: facts(mentee), from: input.from, to: input.to ?? null } },
      context,
    );
    return { id: pairId };
  }

  async endMentoringPair(context: CommandContext, pairId: string, to: string) {
    await authorize(context.actor, workforcePermissions.write, { pairId }, 'end mentoring pairs');
    if ((await this.store.streamVersion(mentoringPairStreamId(pairId))) === 0) throw new NotFoundError('mentoring pair', pairId);
    await this.commands.handle(mentoringPairs, pairId, { type: 'EndMentoringPair', data: { pairId, to } }, context);
    return { id: pairId };
  }

  listMentoringPairs(context: Reader, page: PageRequest) {
    return authorize(context.actor, workforcePermissions.read, undefined, 'read mentoring pairs').then(() => listMentoringPairs(this.db, page));
  }

  // ── helpers ────────────────────────────────────────────────────────────────
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
