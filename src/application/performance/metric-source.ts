import type { MetricValue } from '../../domain/performance/metric';
import type { Period } from '../../domain/performance/period';
import type { ScoringPolicy } from '../../domain/performance/scoring-policy';
import type { WorkerRow } from '../../projections/performance/workforce-facts.queries';
import type { Db } from '../db';

/**
 * Where a task-completion metric comes from. The service asks every source for the workers in
 * scope; each answers met/total with the facts behind it. A module adds a metric (e.g. tasks
 * from other departments' data answered within their deadline) by passing one more source to
 * `createPerformanceService` and naming its key with a weight in a scoring policy version.
 */
export interface MetricScope {
  period: Period;
  /** County day the facts are read on. */
  asOf: string;
  policy: ScoringPolicy;
  workers: readonly WorkerRow[];
}

export interface MetricSource {
  /** Metric keys this source produces (one source may read one table for several metrics). */
  readonly keys: readonly string[];
  measure(db: Db, scope: MetricScope): Promise<Map<string, MetricValue[]>>;
}
