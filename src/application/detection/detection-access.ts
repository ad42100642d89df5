import type { FindingRecord } from '../../projections/detection/findings.queries';
import type { PlaceScope } from '../../projections/detection/placed-findings.sql';
import type { Actor } from '../actor';
import { noteAreaCheck } from '../area-checks';
import { authorize } from '../permissions/permissions';
import { countyDate } from '../clock';
import type { CommandContext } from '../command-handler';
import { ForbiddenError } from '../errors';
import { canSee, covers, type Jurisdiction, type JurisdictionResolver } from '../jurisdiction';
import { detectionPermissions } from '../permissions/detection.permissions';
import { placeScope } from './detection-scope';

type Reader = Pick<CommandContext, 'actor' | 'now'>;

/** Jurisdiction checks shared by the findings and tasks services. */
export class DetectionAccess {
  constructor(private readonly jurisdictions: JurisdictionResolver) {}

  async readScope(context: Reader): Promise<{ today: string; scope: PlaceScope; jurisdiction: Jurisdiction }> {
    await authorize(context.actor, detectionPermissions.read, undefined, 'read findings and tasks');
    const today = countyDate(context.now);
    const jurisdiction = await this.jurisdictions.resolve(context.actor, today);
    return { today, scope: placeScope(jurisdiction), jurisdiction };
  }

  /** A finding in no group is visible to those who see everything only. */
  assertVisible(j: Jurisdiction, f: FindingRecord): void {
    const visible = f.townId ? canSee(j, { townId: f.townId, villageId: f.villageId, groupId: f.groupId }) : j.scope === 'all';
    if (!visible) throw new ForbiddenError('this finding is outside your jurisdiction');
  }

  /**
   * A task's outcome: its assignee (the group's responsible worker today), or a supervisor —
   * the town worker of its town, a county worker linking the town, or the bureau.
   */
  async assertMayCloseTask(actor: Actor, f: FindingRecord, today: string): Promise<void> {
    await authorize(actor, detectionPermissions.act, undefined, 'record task outcomes');
    if (actor.role === 'admin') return;
    if (actor.role === 'village_worker' && f.task.assigneeId === actor.id) {
      // The assignee is the group's responsible worker today: an area check, noted for idempotent replays.
      if (f.townId) noteAreaCheck('covers', { townId: f.townId, villageId: f.villageId, groupId: f.groupId });
      return;
    }
    if ((actor.role === 'town_worker' || actor.role === 'county_worker') && f.townId) {
      const j = await this.jurisdictions.resolve(actor, today);
      if (covers(j, { townId: f.townId, villageId: f.villageId, groupId: f.groupId })) return;
    }
    throw new ForbiddenError("only the task's assignee, a town or county worker supervising its town, or the bureau may record its outcome");
  }

  /** Placing a finding in a group: whoever may act on that group. */
  async assertMayPlace(actor: Actor, group: { id: string; villageId: string; townId: string }, today: string): Promise<void> {
    await authorize(actor, detectionPermissions.act, undefined, 'place findings');
    const j = await this.jurisdictions.resolve(actor, today);
    if (!covers(j, { townId: group.townId, villageId: group.villageId, groupId: group.id }))
      throw new ForbiddenError('this villager group is outside your jurisdiction');
  }
}
