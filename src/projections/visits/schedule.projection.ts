import type { VillagerGroupEvent } from '../../domain/geography/villager-group.events';
import type { HouseholdEvent } from '../../domain/households/household.events';
import type { SchedulePolicyEvent } from '../../domain/visits/schedule-policy.events';
import type { VisitEvent } from '../../domain/visits/visit';
import type { Db } from '../../storage/database';
import { householdForVisit } from '../households/households.queries';
import { typedProjection } from '../typed-projection';
import { markScheduleStale, markVisitInSchedule, markVisitStatement, refreshScheduleGroups, SCHEDULE_BUILT } from './schedule.queries';

export type ScheduleEvent = Exclude<VillagerGroupEvent, { type: 'VillagerGroupRenamed' }> | HouseholdEvent | VisitEvent | SchedulePolicyEvent;

/** The household's group now (the households projection, earlier in the same transaction, has moved it). */
async function groupOfHousehold(trx: Db, householdId: string): Promise<string[]> {
  const household = await householdForVisit(trx, householdId);
  return household ? [household.groupId] : [];
}

// The lookup runs only when the model is built (refreshScheduleGroups reads its state first).
const refreshHouseholdGroup = (trx: Db, { data }: { data: { householdId: string } }) =>
  refreshScheduleGroups(trx, () => groupOfHousehold(trx, data.householdId));

/**
 * The schedule read model (rm_schedule_items): each event recomputes the items of the one or
 * two groups it touches as of the model's day, with the same computeSchedule the query-time
 * schedule used; a visit other than a review marks its month done in place (the write path of
 * POST /visits stays two statements, whatever the size of the group). Inline and after geography and households in the registry, whose rows of
 * this event it reads. A new policy version only marks the model stale: the next read rebuilds
 * it whole, once, rather than every request recomputing the county.
 */
export const scheduleProjection = typedProjection<ScheduleEvent>({
  name: 'schedule',
  mode: 'inline',
  // Emptying the state on rebuild marks the model never built: the next read builds it.
  tables: ['rm_schedule_items', 'rm_schedule_state'],
  // A visit other than a review: its update rides in the append statement. Anything else writes
  // nothing before the first build (the append statement checks that alone), else takes the transaction.
  rowsFor: (events) => {
    const only = events.length === 1 ? events[0]! : null;
    if (only?.type === 'VisitRecorded' && only.data.kind !== 'review') return [markVisitStatement(only.data)];
    return [{ transactionWhen: SCHEDULE_BUILT }];
  },
  handlers: {
    VillagerGroupRegistered: (trx, { data }) => refreshScheduleGroups(trx, [data.groupId]),
    VillagerGroupRetired: (trx, { data }) => refreshScheduleGroups(trx, [data.groupId]),
    GroupResponsibilityAssigned: (trx, { data }) => refreshScheduleGroups(trx, [data.groupId]),
    GroupResponsibilityEnded: (trx, { data }) => refreshScheduleGroups(trx, [data.groupId]),
    HouseholdRegistered: (trx, { data }) => refreshScheduleGroups(trx, [data.groupId]),
    MemberAdded: refreshHouseholdGroup,
    MemberUpdated: refreshHouseholdGroup,
    MemberRemoved: refreshHouseholdGroup,
    CircumstancesChanged: refreshHouseholdGroup,
    HouseholdMoved: (trx, { data }) => refreshScheduleGroups(trx, [data.fromGroupId, data.toGroupId]),
    SpecialGroupJoined: refreshHouseholdGroup,
    SpecialGroupLeft: refreshHouseholdGroup,
    VisitRecorded: (trx, { data }) => {
      const { householdId } = data;
      if (data.kind !== 'review') return markVisitInSchedule(trx, data);
      return refreshScheduleGroups(trx, async () => [data.groupId, ...(householdId ? await groupOfHousehold(trx, householdId) : [])]);
    },
    SchedulePolicyVersionAdded: (trx) => markScheduleStale(trx),
  },
});
