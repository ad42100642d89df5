import type { SchedulePolicyEvent } from '../../domain/visits/schedule-policy.events';
import type { VisitEvent } from '../../domain/visits/visit';
import type { InlineRows } from '../../application/event-store';
import { typedProjection, type Pending } from '../typed-projection';

type VisitsEvent = VisitEvent | SchedulePolicyEvent;

/**
 * The visits slice's read model: rm_visits and rm_schedule_policies; only this folder writes or
 * reads the two tables. Inline, so a visit list shows a visit as soon as it is recorded.
 * Until issue 18 the households projection ran these handlers: on a database from then, the
 * rows are already there and stay (households no longer empties them on its rebuild), the
 * checkpoint row of this projection is created at start, and `projections:rebuild visits`
 * rebuilds both tables from the log (every insert is keyed, so nothing is doubled).
 */
export const visitsProjection = typedProjection<VisitsEvent>({
  name: 'visits',
  mode: 'inline',
  tables: ['rm_visits', 'rm_schedule_policies'],
  rowsFor: insertRows,
  // Its writes find rows by id only: a rebuild adds the date, group, household and worker indexes last.
  rebuildIndexesLast: true,
  handlers: {
    async VisitRecorded(trx, { data: d }) {
      await trx
        .insertInto('rm_visits')
        .values({
          id: d.visitId,
          worker_id: d.workerId,
          household_id: d.householdId,
          group_id: d.groupId,
          visit_date: d.date,
          kind: d.kind,
          findings: d.findings,
          follow_up_actions: JSON.stringify(d.followUpActions),
          people_served: d.peopleServed,
          late: d.late,
          recorded_at: d.recordedAt,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    },
    async SchedulePolicyVersionAdded(trx, { data: { policy: p }, recordedAt }) {
      await trx
        .insertInto('rm_schedule_policies')
        .values({ version: p.version, effective_from: p.effectiveFrom, body: JSON.stringify(p), recorded_at: recordedAt })
        .onConflict((oc) => oc.column('version').doNothing())
        .execute();
    },
  },
});

const VISIT_COLUMNS = [
  ['id', 'uuid'],
  ['worker_id', 'uuid'],
  ['household_id', 'uuid'],
  ['group_id', 'uuid'],
  ['visit_date', 'date'],
  ['kind', 'text'],
  ['findings', 'text'],
  ['follow_up_actions', 'jsonb'],
  ['people_served', 'int'],
  ['late', 'boolean'],
  ['recorded_at', 'timestamptz'],
] as const;

/** A visit as a row of VISIT_COLUMNS, for the append statement. */
function visitRow(d: VisitEvent['data']): unknown[] {
  return [d.visitId, d.workerId, d.householdId, d.groupId, d.date, d.kind, d.findings, JSON.stringify(d.followUpActions), d.peopleServed, d.late, d.recordedAt];
}

/**
 * Recording a visit is a plain insert: the append statement carries it (one round trip). A new
 * schedule policy version takes the transaction (null), as it did under households.
 */
function insertRows(events: readonly Pending<VisitsEvent>[]): InlineRows[] | null {
  const visits: unknown[][] = [];
  for (const event of events) {
    if (event.type !== 'VisitRecorded') return null;
    visits.push(visitRow(event.data));
  }
  return [{ table: 'rm_visits', columns: VISIT_COLUMNS, rows: visits, onConflict: '(id) do nothing' }];
}
