import type { ProjectKind } from '../../domain/community/community-vocabulary';
import type { ProjectCommand } from '../../domain/community/project.decide';
import { getProject, listProjects, projectFundsReceived, type ProjectFilter, type ProjectRecord } from '../../projections/community/funds.queries';
import { getStation } from '../../projections/stations/stations.queries';
import type { CommandContext, CommandHandler } from '../command-handler';
import type { CommandInput } from '../aggregate';
import { projects } from './community.aggregates';
import { NotFoundError } from '../errors';
import { deterministicUuid } from '../ids';
import type { Page, PageRequest } from '../pagination';
import { today, type CommunityAccess, type Reader } from './community-access';
import type { Db } from '../db';

export interface RegisterProjectInput {
  kind: ProjectKind;
  name: string;
  description?: string | undefined;
  townId?: string | null | undefined;
  villageId?: string | null | undefined;
  stationId?: string | null | undefined;
  provider?: string | null | undefined;
  partner?: string | null | undefined;
  contractAmountFen?: number | null | undefined;
  from: string;
  to?: string | null | undefined;
  deliverables?: { description: string; target?: number | null | undefined; unit?: string | null | undefined }[] | undefined;
}

/** Community projects: purchased services, brand projects, station projects; their funds and deliverables. */
export class ProjectsService {
  constructor(
    private readonly commands: CommandHandler,
    private readonly db: Db,
    private readonly access: CommunityAccess,
  ) {}

  /** A station project lies where its station is, unless the caller names a place. */
  async register(context: CommandContext, input: RegisterProjectInput): Promise<ProjectRecord> {
    const station = input.stationId ? await getStation(this.db, input.stationId) : null;
    if (input.stationId && !station) throw new NotFoundError('station', input.stationId);
    const named = input.townId || input.villageId;
    const place = await this.access.place(named ? input : { townId: station?.townId ?? null, villageId: station?.villageId ?? null });
    await this.access.assertWriter(context, place, 'register projects');
    const projectId = deterministicUuid(`${context.commandId}:project`);
    await this.run(context, projectId, {
      type: 'RegisterProject',
      data: {
        projectId,
        kind: input.kind,
        name: input.name,
        description: input.description ?? '',
        townId: place.townId,
        villageId: place.villageId,
        stationId: station?.id ?? null,
        stationTownId: station?.townId ?? null,
        provider: input.provider ?? null,
        partner: input.partner ?? null,
        contractAmountFen: input.contractAmountFen ?? null,
        from: input.from,
        to: input.to ?? null,
        // Deliverable ids derive from the request and position: stable under retries.
        deliverables: (input.deliverables ?? []).map((x, i) => ({
          deliverableId: deterministicUuid(`${context.commandId}:deliverable:${i}`),
          description: x.description,
          target: x.target ?? null,
          unit: x.unit ?? null,
        })),
      },
    });
    return this.get(context, projectId);
  }

  async completeDeliverable(
    context: CommandContext,
    projectId: string,
    deliverableId: string,
    input: { on?: string | undefined; note?: string | undefined },
    ifMatch?: number,
  ): Promise<ProjectRecord> {
    await this.writable(context, projectId, 'record deliverables');
    await this.run(
      context,
      projectId,
      { type: 'CompleteDeliverable', data: { deliverableId, on: input.on ?? today(context), note: input.note ?? '', today: today(context) } },
      ifMatch,
    );
    return this.get(context, projectId);
  }

  /**
   * Spending of donated funds, never beyond what donations allocated to the project. A
   * concurrent allocation only raises the balance, so reading it first is safe; concurrent
   * spendings meet on the project's stream version and are re-decided.
   */
  async spend(
    context: CommandContext,
    projectId: string,
    input: { amountFen: number; on?: string | undefined; purpose: string },
    ifMatch?: number,
  ): Promise<ProjectRecord> {
    await this.writable(context, projectId, 'spend project funds');
    const spendingId = deterministicUuid(`${context.commandId}:spending`);
    const fundsReceivedFen = await projectFundsReceived(this.db, projectId);
    await this.run(
      context,
      projectId,
      {
        type: 'SpendProjectFunds',
        data: { spendingId, amountFen: input.amountFen, on: input.on ?? today(context), purpose: input.purpose, fundsReceivedFen, today: today(context) },
      },
      ifMatch,
      true,
    );
    return this.get(context, projectId);
  }

  async close(context: CommandContext, projectId: string, input: { on?: string | undefined }, ifMatch?: number): Promise<ProjectRecord> {
    await this.writable(context, projectId, 'close projects');
    await this.run(context, projectId, { type: 'CloseProject', data: { on: input.on ?? today(context), today: today(context) } }, ifMatch);
    return this.get(context, projectId);
  }

  async get(context: Reader, projectId: string): Promise<ProjectRecord> {
    const project = await getProject(this.db, projectId);
    if (!project) throw new NotFoundError('project', projectId);
    await this.access.assertVisible(context, project, 'project');
    return project;
  }

  async list(context: Reader, filter: Omit<ProjectFilter, 'townIds'>, page: PageRequest): Promise<Page<ProjectRecord>> {
    const townIds = await this.access.visibleTowns(context, 'read projects');
    return listProjects(this.db, { ...filter, townIds }, page);
  }

  private async writable(context: CommandContext, projectId: string, what: string): Promise<ProjectRecord> {
    const project = await getProject(this.db, projectId);
    if (!project) throw new NotFoundError('project', projectId);
    await this.access.assertWriter(context, project, what);
    return project;
  }

  private run(context: CommandContext, projectId: string, command: CommandInput<ProjectCommand>, ifMatch?: number, retryOnConflict = false) {
    return this.commands.handle(projects, projectId, command, context, ifMatch !== undefined ? { ifMatch } : { retryOnConflict });
  }
}
