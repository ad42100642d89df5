import type { MetricValue } from '../../domain/performance/metric';
import type { Period } from '../../domain/performance/period';
import type { MetricScore, WorkerScore } from '../../domain/performance/scoring';
import type { ScoringPolicy } from '../../domain/performance/scoring-policy';
import * as rm from '../../projections/performance/performance-metrics.queries';
import type { WorkerRow } from '../../projections/performance/workforce-facts.queries';
import type { Db } from '../db';
import type { MetricSource } from './metric-source';

/** A metric on the score sheet: the counts and how many facts stand behind them (the facts on drill-down). */
export type SheetMetric = Omit<MetricScore, 'evidence'> & { evidenceCount: number };
/** A worker on the score sheet: every value of WorkerScore, the evidence lists replaced by their counts. */
export type SheetScore = Omit<WorkerScore, 'metrics'> & { metrics: SheetMetric[] };

/** The sheet's form of a score that carries its evidence (a published one, or the oracle's). */
export const toSheet = (score: WorkerScore): SheetScore => ({
  ...score,
  metrics: score.metrics.map(({ evidence, ...m }) => ({ ...m, evidenceCount: evidence?.length ?? 0 })),
});

/**
 * The per-worker metric counters of a period, from the read model (rm_performance_worker_metrics).
 * The performance-metrics projection marks, in each feeding event's own transaction, which
 * workers' counters it made stale; here the sources measure only those workers (all of them
 * when a mark names every worker, on a new county day — obligations fall due as days pass — or
 * under another scoring policy version), store the counters and the evidence references, and
 * answer from the stored rows. One measurement per period at a time in this process.
 */
export class MetricCounters {
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(
    private readonly db: Db,
    private readonly sources: readonly MetricSource[],
  ) {}

  /** Every worker's metrics (evidence left empty: `evidenceCount` says how many) as of `asOf`. */
  async metrics(
    period: Period,
    asOf: string,
    policy: ScoringPolicy,
    workers: readonly WorkerRow[],
  ): Promise<Map<string, (MetricValue & { evidenceCount: number })[]>> {
    await this.refresh(period, asOf, policy, workers);
    const stored = await rm.counters(this.db, period.id);
    return new Map(
      workers.map((w) => [
        w.workerId,
        (stored.get(w.workerId) ?? []).map((c) => ({
          key: c.key,
          met: c.met,
          total: c.total,
          evidence: [],
          evidenceCount: c.evidenceCount,
          ...(c.notApplicable ? { notApplicable: c.notApplicable } : {}),
        })),
      ]),
    );
  }

  /** Brings the period's counters up to date (waits for a measurement already running here). */
  async refresh(period: Period, asOf: string, policy: ScoringPolicy, workers: readonly WorkerRow[]): Promise<void> {
    const key = `${period.id}@${asOf}`;
    for (;;) {
      const running = this.inFlight.get(key);
      if (!running) break;
      await running;
    }
    const run = this.measureStale(period, asOf, policy, workers).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, run);
    await run;
  }

  private async measureStale(period: Period, asOf: string, policy: ScoringPolicy, workers: readonly WorkerRow[]): Promise<void> {
    let fresh = await rm.sheetFreshness(this.db, period.id);
    if (!fresh.state) {
      // The period row first (committed), so every event from now on marks what it changes.
      await rm.materializePeriod(this.db, period.id);
      fresh = await rm.sheetFreshness(this.db, period.id);
    }
    const { state, marks } = fresh;
    const everyWorker = !state || state.asOf !== asOf || state.policyVersion !== policy.version || marks.some((m) => m.workerId === null);
    let targets = workers;
    if (!everyWorker) {
      const marked = new Set(marks.map((m) => m.workerId));
      targets = workers.filter((w) => marked.has(w.workerId) || !fresh.workersWithCounters.has(w.workerId));
      if (targets.length === 0 && marks.length === 0) return;
    }
    const measured = new Map<string, MetricValue[]>(targets.map((w) => [w.workerId, []]));
    if (targets.length > 0) {
      for (const source of this.sources) {
        for (const [workerId, values] of await source.measure(this.db, { period, asOf, policy, workers: targets })) measured.get(workerId)?.push(...values);
      }
    }
    await rm.storeCounters(this.db, { period: period.id, asOf, policyVersion: policy.version, measured, answered: marks, everyWorker });
  }
}
