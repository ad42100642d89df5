import type { Outcome } from '../../domain/detection/vocabulary';
import { applicationCheck } from '../../projections/detection/applications.queries';
import { getFinding } from '../../projections/detection/findings.queries';
import { listTasks, overdueSummary, type OverdueGrouping, type TaskFilter } from '../../projections/detection/tasks.queries';
import { countyDate } from '../clock';
import type { CommandContext, CommandHandler } from '../command-handler';
import { findings } from './detection.aggregates';
import { NotFoundError } from '../errors';
import type { Page, PageRequest } from '../pagination';
import type { DetectionAccess } from './detection-access';
import { taskView, type TaskView } from './detection-views';
import type { Db } from '../db';

type Reader = Pick<CommandContext, 'actor' | 'now'>;

/** The worker tasks that follow findings: lists, overdue counts, outcomes. */
export class TasksService {
  constructor(
    private readonly commands: CommandHandler,
    private readonly db: Db,
    private readonly access: DetectionAccess,
  ) {}

  async list(context: Reader, filter: TaskFilter, page: PageRequest): Promise<Page<TaskView>> {
    const { today, scope } = await this.access.readScope(context);
    const result = await listTasks(this.db, filter, scope, today, page);
    return { items: result.items.map((f) => taskView(context.actor, f)), nextCursor: result.nextCursor };
  }

  async get(context: Reader, taskId: string): Promise<TaskView> {
    const { today, jurisdiction } = await this.access.readScope(context);
    const finding = await getFinding(this.db, { taskId }, today);
    if (!finding) throw new NotFoundError('task', taskId);
    this.access.assertVisible(jurisdiction, finding);
    return taskView(context.actor, finding);
  }

  /** Open tasks past their deadline per worker, village or town, as of today. */
  async overdue(context: Reader, by: OverdueGrouping, filter: TaskFilter) {
    const { today, scope } = await this.access.readScope(context);
    return { asOf: today, by, items: await overdueSummary(this.db, by, filter, scope, today) };
  }

  async recordOutcome(context: CommandContext, taskId: string, input: { on: string; outcome: Outcome }): Promise<TaskView> {
    const today = countyDate(context.now);
    const finding = await getFinding(this.db, { taskId }, today);
    if (!finding) throw new NotFoundError('task', taskId);
    await this.access.assertMayCloseTask(context.actor, finding, today);
    const application =
      input.outcome.kind === 'visited_enrolled' ? await applicationCheck(this.db, input.outcome.applicationId) : ({ status: 'unavailable' } as const);
    await this.commands.handle(
      findings,
      { cause: finding.cause, personId: finding.personId },
      {
        type: 'RecordTaskOutcome',
        data: {
          findingId: finding.id,
          outcome: input.outcome,
          on: input.on,
          recordedBy: context.actor.id,
          application,
          currentHouseholdId: finding.householdId,
          today,
        },
      },
      context,
    );
    return this.get(context, taskId);
  }
}
