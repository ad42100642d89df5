import { findingStats, getFinding, listFindings, type FindingFilter } from '../../projections/detection/findings.queries';
import { getGroup } from '../../projections/geography/geography.queries';
import { countyDate } from '../clock';
import type { CommandContext, CommandHandler } from '../command-handler';
import { findings } from './detection.aggregates';
import { NotFoundError } from '../errors';
import type { Page, PageRequest } from '../pagination';
import type { Privacy } from '../privacy/privacy';
import type { DetectionAccess } from './detection-access';
import { findingView, type FindingView } from './detection-views';
import { firstDayOf, lastDayOf } from '../../domain/calendar/calendar-months';
import type { Db } from '../db';

type Reader = Pick<CommandContext, 'actor' | 'now'>;

/** Findings: lists with filters, one finding, placing an unregistered person, monthly counts. */
export class FindingsService {
  constructor(
    private readonly commands: CommandHandler,
    private readonly db: Db,
    private readonly access: DetectionAccess,
    /** Logs reads of reasons (they quote illness and disability); absent in callers that predate it. */
    private readonly privacy?: Privacy,
  ) {}

  async list(context: Reader, filter: FindingFilter, page: PageRequest): Promise<Page<FindingView>> {
    const { today, scope } = await this.access.readScope(context);
    const result = await listFindings(this.db, filter, scope, today, page);
    const items = result.items.map((f) => findingView(context.actor, f));
    await this.logReads(context, 'GET /findings', items);
    return { items, nextCursor: result.nextCursor };
  }

  async get(context: Reader, findingId: string): Promise<FindingView> {
    const { today, jurisdiction } = await this.access.readScope(context);
    const finding = await getFinding(this.db, { findingId }, today);
    if (!finding) throw new NotFoundError('finding', findingId);
    this.access.assertVisible(jurisdiction, finding);
    const view = findingView(context.actor, finding);
    await this.logReads(context, 'GET /findings/{id}', [view]);
    return view;
  }

  private async logReads(context: Reader, route: string, views: readonly FindingView[]): Promise<void> {
    const entries = views
      .filter((v) => !v.personalDataMasked && v.reasons.length > 0)
      .map((v) => ({ subjectKind: 'beneficiary' as const, subjectId: v.id, householdId: v.householdId, classes: ['free_text' as const] }));
    await this.privacy?.logReads(context, route, entries);
  }

  /** A person found who is not on the register goes to a group (from the unplaced queue, or to another group). */
  async place(context: CommandContext, findingId: string, groupId: string): Promise<FindingView> {
    const today = countyDate(context.now);
    const finding = await getFinding(this.db, { findingId }, today);
    if (!finding) throw new NotFoundError('finding', findingId);
    const group = await getGroup(this.db, groupId, today);
    if (!group) throw new NotFoundError('villager group', groupId);
    await this.access.assertMayPlace(context.actor, group, today);
    this.access.assertVisible((await this.access.readScope(context)).jurisdiction, finding);
    await this.commands.handle(
      findings,
      { cause: finding.cause, personId: finding.personId },
      { type: 'PlaceFinding', data: { findingId, groupId, groupStatus: group.status as 'active' | 'retired' } },
      context,
      { retryOnConflict: true },
    );
    return this.get(context, findingId);
  }

  /** Findings per month raised, cause and outcome, within the caller's jurisdiction. */
  async stats(context: Reader, fromMonth: string, toMonth: string) {
    const { today, scope } = await this.access.readScope(context);
    return findingStats(this.db, firstDayOf(fromMonth), lastDayOf(toMonth), scope, today);
  }
}
