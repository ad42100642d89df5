import type { SchedulePolicyEvent } from '../../domain/visits/schedule-policy.events';
import type { VisitEvent } from '../../domain/visits/visit';
import type { InlineRows } from '../../application/event-store';
import type { Handlers } from '../typed-projection';

/**
 * The visits slice's read model: rm_visits and rm_schedule_policies. The households inline
 * projection runs these handlers (one projection, one checkpoint, visits visible as soon as they
 * are recorded); only this folder writes or reads the two tables.
 */
export const visitHandlers: Handlers<VisitEvent | SchedulePolicyEvent> = {
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
};

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
export function visitRow(d: VisitEvent['data']): unknown[] {
  return [d.visitId, d.workerId, d.householdId, d.groupId, d.date, d.kind, d.findings, JSON.stringify(d.followUpActions), d.peopleServed, d.late, d.recordedAt];
}

/** The visits of a batch as rows the append statement carries. */
export function visitInlineRows(rows: unknown[][]): InlineRows {
  return { table: 'rm_visits', columns: VISIT_COLUMNS, rows, onConflict: '(id) do nothing' };
}
