import { sql } from 'kysely';
import { metricOf, type Evidence, type MetricValue } from '../../domain/performance/metric';
import type { MetricScope, MetricSource } from '../performance/metric-source';
import { responsibilityRows } from '../../projections/geography/responsibilities.queries';
import { day } from '../../projections/row-values';
import type { Db } from '../db';

export const TASKS_ON_TIME = 'tasks_on_time';

/**
 * Tasks from other departments' data answered within their deadline, for the performance
 * scores. A task counts for the worker responsible for its villager group on its deadline day
 * (whoever held the group when the answer was due). Met when an outcome was recorded on or
 * before the deadline; a task whose deadline has not come and that is still open is pending
 * and left out, like every other metric.
 */
export const tasksOnTimeSource: MetricSource = {
  keys: [TASKS_ON_TIME],
  async measure(db: Db, scope: MetricScope): Promise<Map<string, MetricValue[]>> {
    const ids = scope.workers.map((w) => w.workerId);
    const upTo = scope.period.to < scope.asOf ? scope.period.to : scope.asOf;
    const rows = ids.length
      ? (
          await sql<{ task_id: string; deadline: unknown; outcome_on: unknown; worker_id: string }>`
            select f.task_id, f.deadline, f.outcome_on, r.worker_id
            from rm_detection_findings f
            join ${responsibilityRows} r on r.group_id = f.group_id
              and r.from_date <= f.deadline and (r.to_date is null or r.to_date > f.deadline)
            where r.worker_id = any(${ids}::uuid[]) and f.deadline >= ${scope.period.from}::date and f.deadline <= ${upTo}::date`.execute(db)
        ).rows
      : [];
    const byWorker = new Map<string, Evidence[]>();
    for (const r of rows) {
      const deadline = day(r.deadline)!;
      const answered = day(r.outcome_on);
      if (!answered && deadline >= scope.asOf) continue; // still time to answer
      const evidence: Evidence = {
        kind: 'task',
        id: r.task_id,
        date: deadline,
        met: !!answered && answered <= deadline,
        by: answered ? { id: r.task_id, date: answered } : null,
      };
      byWorker.set(r.worker_id, [...(byWorker.get(r.worker_id) ?? []), evidence]);
    }
    return new Map(scope.workers.map((w) => [w.workerId, [metricOf(TASKS_ON_TIME, byWorker.get(w.workerId) ?? [])]]));
  },
};
