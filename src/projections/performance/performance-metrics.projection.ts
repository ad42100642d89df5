import type { CaseEvent } from '../../domain/assistance/case.events';
import type { FindingEvent } from '../../domain/detection/finding.events';
import type { VillagerGroupEvent } from '../../domain/geography/villager-group.events';
import type { HouseholdEvent } from '../../domain/households/household.events';
import type { ScoringPolicyEvent } from '../../domain/performance/scoring-policy.events';
import type { SchedulePolicyEvent } from '../../domain/visits/schedule-policy.events';
import type { VisitEvent } from '../../domain/visits/visit';
import type { MentoringPairEvent } from '../../domain/workforce/mentoring-pair.events';
import type { TrainingSessionEvent } from '../../domain/workforce/training-session.events';
import type { WorkerEvent } from '../../domain/workforce/worker.events';
import type { Db } from '../../storage/database';
import type { InlineRows } from '../../application/event-store';
import { typedProjection, type Handlers, type Pending } from '../typed-projection';

/**
 * The events that feed a performance metric: visits (visits done, on time, reviews), group
 * responsibilities and households (whose obligations a worker holds), schedule policies,
 * decisions and cases (cases on time, submissions), training and mentoring, employment, the
 * tasks of data checks (tasks on time), and scoring policy versions.
 */
const FEEDS = [
  'VisitRecorded',
  'HouseholdRegistered',
  'MemberAdded',
  'MemberUpdated',
  'MemberRemoved',
  'CircumstancesChanged',
  'HouseholdMoved',
  'SpecialGroupJoined',
  'SpecialGroupLeft',
  'SchedulePolicyVersionAdded',
  'VillagerGroupRegistered',
  'VillagerGroupRetired',
  'GroupResponsibilityAssigned',
  'GroupResponsibilityEnded',
  'WorkerRegistered',
  'WorkerPosted',
  'TownLinked',
  'VillageWorkerLinked',
  'TownLinkEnded',
  'VillageWorkerLinkEnded',
  'CertificationRecorded',
  'WorkerLeft',
  'TrainingSessionRecorded',
  'TrainingAttendanceRecorded',
  'MentoringPairFormed',
  'MentoringPairEnded',
  'CaseApplied',
  'CaseAccepted',
  'ReviewDeadlineExtended',
  'CaseDecided',
  'DecisionMigrated',
  'FindingRaised',
  'FindingEscalated',
  'TaskOutcomeRecorded',
  'FindingPlaced',
  'ScoringPolicyVersionAdded',
] as const;

type Source =
  | VisitEvent
  | HouseholdEvent
  | SchedulePolicyEvent
  | VillagerGroupEvent
  | WorkerEvent
  | TrainingSessionEvent
  | MentoringPairEvent
  | CaseEvent
  | FindingEvent
  | ScoringPolicyEvent;
export type PerformanceFeedEvent = Extract<Source, { type: (typeof FEEDS)[number] }>;

/**
 * Marks, for every period whose score sheet is materialized (rm_performance_sheets), that this
 * event made the counters of one worker (`workerId`) or of every worker (null) stale. Keyed by
 * period and event id: a redelivered event marks nothing twice.
 */
async function markStale(trx: Db, eventId: string, workerId: string | null): Promise<void> {
  await trx
    .insertInto('rm_performance_stale')
    .columns(['period', 'event_id', 'worker_id'])
    .expression((eb) => eb.selectFrom('rm_performance_sheets').select((s) => ['period', s.val(eventId).as('event_id'), s.val(workerId).as('worker_id')]))
    .onConflict((oc) => oc.columns(['period', 'event_id']).doNothing())
    .execute();
}

type Mark = (trx: Db, event: { eventId: string }) => Promise<void>;
const markEveryWorker: Mark = (trx, { eventId }) => markStale(trx, eventId, null);
const everyWorker = Object.fromEntries(FEEDS.map((type) => [type, markEveryWorker])) as Record<(typeof FEEDS)[number], Mark>;

const handlers: Handlers<PerformanceFeedEvent> = {
  // Handovers, memberships, policies, employment, cases, tasks may move any worker's counters.
  ...everyWorker,
  // A visit other than a review counts only for the worker who made it (visits done, on time);
  // a review counts for whoever held the household's group on its due date.
  VisitRecorded: (trx, { eventId, data }) => markStale(trx, eventId, data.kind === 'review' ? null : data.workerId),
};

/** The marks markStale writes, as rows the append statement carries (one per materialised period). */
function staleRows(events: readonly Pending<PerformanceFeedEvent>[]): InlineRows[] {
  const rows = events.map((e) => [e.eventId, e.type === 'VisitRecorded' && e.data.kind !== 'review' ? e.data.workerId : null]);
  return [
    {
      table: 'rm_performance_stale',
      columns: [
        ['event_id', 'uuid'],
        ['worker_id', 'uuid'],
      ],
      rows,
      onConflict: '(period, event_id) do nothing',
      forEachRowOf: { table: 'rm_performance_sheets', columns: ['period'] },
    },
  ];
}

/**
 * The score sheet's read model (issue 20). The counters themselves are computed by the metric
 * sources (the query-time rules, which stay the oracle) for the workers a period's marks name,
 * the first time the sheet is read after them (PerformanceService.sheet); this projection only
 * records which counters the events made stale, in the event's own transaction, so a sheet
 * never serves a count an appended event has changed. A rebuild empties every table: the next
 * read then recomputes each period from scratch (what a scoring-policy change does too).
 */
export const performanceMetricsProjection = typedProjection<PerformanceFeedEvent>({
  name: 'performance-metrics',
  mode: 'inline',
  tables: ['rm_performance_stale', 'rm_performance_worker_metrics', 'rm_performance_evidence', 'rm_performance_sheets'],
  handlers,
  rowsFor: staleRows,
});
