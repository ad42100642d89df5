import { sql } from 'kysely';
import type { Logger } from 'pino';
import { START } from '../application/event-store';
import { NotFoundError } from '../application/errors';
import { checkpoints } from '../storage/checkpoint-store';
import { PlannerStatistics, type PlannerStatisticsOptions } from '../storage/planner-statistics';
import { EVENTS_CHANNEL, type SqlDatabase } from '../storage/sql-database';
import type { SqlEventStore } from '../storage/sql-event-store';
import { oldestHoldingTransaction } from '../storage/xmin-holder';
import { readFilter, type Projection, type ProjectionStatus } from './projection';
import { ProjectionRunner, type RunnerOptions } from './runner';

export interface ProjectionEngineOptions extends Partial<RunnerOptions> {
  /** A projection that lags and has made no progress for this long is `stalled` (default 30 s). */
  stallAfterMs?: number;
  /** When bulk writes and rebuilds re-ANALYZE (see PlannerStatistics). */
  statistics?: PlannerStatisticsOptions;
}

export type ProjectionProgress = Pick<ProjectionStatus, 'name' | 'mode' | 'state' | 'lag' | 'stalled' | 'lastProgressAt' | 'updatedAt'>;

interface AsyncHealth {
  position: string;
  eventsApplied: number;
  updatedAt: string | null;
  lag: number;
  stalled: boolean;
}

/** Runs every async projection, rebuilds any projection, and reports their status. */
export class ProjectionEngine {
  private readonly runners = new Map<string, ProjectionRunner>();
  private readonly inline = new Map<string, Projection>();
  private unlisten: (() => Promise<void>) | null = null;
  /** When each async projection was first seen lagging (cleared when seen caught up). */
  private readonly laggingSince = new Map<string, number>();
  private readonly stallAfterMs: number;
  /** Fresh planner statistics after rebuilds and imports (PGlite has no autovacuum). */
  readonly statistics: PlannerStatistics;

  constructor(
    private readonly database: SqlDatabase,
    private readonly store: SqlEventStore,
    projections: readonly Projection[],
    private readonly logger: Logger,
    options: ProjectionEngineOptions = {},
  ) {
    const runnerOptions: RunnerOptions = {
      batchSize: options.batchSize ?? 500,
      pollIntervalMs: options.pollIntervalMs ?? 1000,
      maxBackoffMs: options.maxBackoffMs ?? 30_000,
      ...(options.isConnectionLost ? { isConnectionLost: options.isConnectionLost } : {}),
    };
    this.stallAfterMs = options.stallAfterMs ?? 30_000;
    this.statistics = new PlannerStatistics(database, logger, options.statistics);
    for (const p of projections) {
      if (this.runners.has(p.name) || this.inline.has(p.name)) throw new Error(`duplicate projection name ${p.name}`);
      if (p.mode === 'inline') this.inline.set(p.name, p);
      else {
        const runner = new ProjectionRunner(p, database.db, store, logger.child({ projection: p.name }), runnerOptions);
        runner.onRebuilt = () => this.statistics.afterRewrite(p.tables);
        this.runners.set(p.name, runner);
      }
    }
  }

  get names(): string[] {
    return [...this.inline.keys(), ...this.runners.keys()];
  }

  /** Start catch-up and live tailing. LISTEN/NOTIFY wakes runners; polling covers lost notifications. */
  async start(): Promise<void> {
    // An inline projection added by an upgrade (a new read model such as coverage's) has never
    // seen the events already in the log: build it once from them before serving, or its tables
    // would stay empty until the next rebuild. A database that has never run any projection is
    // new itself: whatever it holds was appended through the store, which applied it inline.
    const upgraded = await this.anyCheckpointExists();
    for (const name of this.inline.keys()) {
      const isNew = await checkpoints.create(this.database.db, name);
      if (upgraded && isNew && (await this.logHasEvents())) {
        this.logger.info({ projection: name }, 'new inline projection: building it from the existing log');
        await this.rebuild(name);
      }
    }
    for (const runner of this.runners.values()) await runner.start();
    // Only async projections tail the log; without them there is nothing to wake.
    if (this.runners.size === 0) return;
    try {
      this.unlisten = await this.database.listen(EVENTS_CHANNEL, () => this.runners.forEach((r) => r.wake()));
    } catch (error) {
      this.logger.warn({ err: error }, 'LISTEN unavailable; projections fall back to polling');
    }
  }

  private async anyCheckpointExists(): Promise<boolean> {
    const result = await sql<{ found: boolean }>`select exists (select 1 from es_checkpoints) as found`.execute(this.database.db);
    return result.rows[0]?.found === true;
  }

  private async logHasEvents(): Promise<boolean> {
    const result = await sql<{ found: boolean }>`select exists (select 1 from es_events) as found`.execute(this.database.db);
    return result.rows[0]?.found === true;
  }

  /** Finish the batches in flight, then stop (graceful shutdown). */
  async stop(): Promise<void> {
    await this.unlisten?.();
    this.unlisten = null;
    await Promise.all([...this.runners.values()].map((r) => r.stop()));
    await this.statistics.stop();
  }

  /** Run every async projection to the end of the log now (tests, CLI, benchmarks). */
  async catchUp(): Promise<number> {
    let total = 0;
    for (const runner of this.runners.values()) total += await runner.catchUp();
    return total;
  }

  /**
   * Rebuild from zero while the service keeps running: an inline projection is built beside the
   * live one and switched in (see SqlEventStore.rebuildInline); commands wait only for the switch.
   */
  async rebuild(name: string, options: { onProgress?: (applied: number) => void | Promise<void>; pageSize?: number } = {}): Promise<void> {
    const inline = this.inline.get(name);
    if (inline) {
      await this.store.rebuildInline(inline, options.onProgress, options.pageSize === undefined ? {} : { pageSize: options.pageSize });
      this.statistics.afterRewrite(inline.tables);
      return;
    }
    const runner = this.runners.get(name);
    if (!runner) throw new NotFoundError('projection', name);
    await runner.rebuild();
  }

  /**
   * Rebuild several projections (all of them when `names` is empty) in one pass over the log:
   * the inline ones each into its shadow, every page read once (SqlEventStore.rebuildInlineMany),
   * then each switched in (a projection reads the shadows of those before it in the registry, as
   * it reads their rows when appends apply them); the async ones after them, each from its
   * checkpoint's zero.
   * `onProgress` is told the log events read so far by the inline pass. Answers the names
   * rebuilt, in the registry's order.
   */
  async rebuildAll(names: readonly string[] = [], options: { onProgress?: (read: number) => void | Promise<void>; pageSize?: number } = {}): Promise<string[]> {
    const wanted = names.length === 0 ? this.names : [...new Set(names)];
    const unknown = wanted.find((name) => !this.inline.has(name) && !this.runners.has(name));
    if (unknown !== undefined) throw new NotFoundError('projection', unknown);
    // In the registry's order: a projection that reads another's rows comes after it.
    const inline = [...this.inline.values()].filter((p) => wanted.includes(p.name));
    if (inline.length > 0) {
      await this.store.rebuildInlineMany(inline, {
        ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }),
        ...(options.onProgress ? { onProgress: ({ read }: { read: number }) => options.onProgress!(read) } : {}),
      });
      this.statistics.afterRewrite(inline.flatMap((p) => p.tables));
    }
    for (const name of wanted) await this.runners.get(name)?.rebuild();
    return this.names.filter((name) => wanted.includes(name));
  }

  async status(): Promise<ProjectionStatus[]> {
    const out: ProjectionStatus[] = [];
    for (const p of this.inline.values()) {
      const cp = await checkpoints.read(this.database.db, p.name);
      out.push({
        name: p.name,
        mode: 'inline',
        state: 'inline',
        position: cp.position,
        lag: 0,
        // Inline projections apply every handled event as it is appended.
        eventsApplied: await this.store.countAfter(START, { types: p.handles }),
        lastError: null,
        updatedAt: cp.updatedAt,
        stalled: false,
        lastProgressAt: null,
        heldBackBy: null,
      });
    }
    let holder: Awaited<ReturnType<typeof oldestHoldingTransaction>> | undefined;
    for (const runner of this.runners.values()) {
      const health = await this.health(runner);
      // Asked once, and only when something is stalled: it reads pg_stat_activity.
      if (health.stalled && holder === undefined) holder = await oldestHoldingTransaction(this.database).catch(() => null);
      out.push({
        name: runner.projection.name,
        mode: 'async',
        state: runner.state,
        position: health.position,
        lag: health.lag,
        eventsApplied: health.eventsApplied,
        lastError: runner.lastError,
        updatedAt: health.updatedAt,
        stalled: health.stalled,
        lastProgressAt: new Date(runner.lastProgressAt).toISOString(),
        heldBackBy: health.stalled ? (holder ?? null) : null,
      });
    }
    return out;
  }

  /**
   * Lag and progress of every projection without counting inline projections' events (that
   * count reads the whole log): what a metrics scrape needs every few seconds.
   */
  async progress(): Promise<ProjectionProgress[]> {
    const out: ProjectionProgress[] = [...this.inline.keys()].map((name) => ({
      name,
      mode: 'inline',
      state: 'inline',
      lag: 0,
      stalled: false,
      lastProgressAt: null,
      updatedAt: null,
    }));
    for (const runner of this.runners.values()) {
      const health = await this.health(runner);
      out.push({
        name: runner.projection.name,
        mode: 'async',
        state: runner.state,
        lag: health.lag,
        stalled: health.stalled,
        lastProgressAt: new Date(runner.lastProgressAt).toISOString(),
        updatedAt: health.updatedAt,
      });
    }
    return out;
  }

  /** Largest lag across async projections (readiness); inline ones never lag, so they are not counted. */
  async maxLag(): Promise<number> {
    let max = 0;
    for (const runner of this.runners.values()) max = Math.max(max, (await this.health(runner)).lag);
    return max;
  }

  /** Names of the async projections that are stalled now (readiness). */
  async stalled(): Promise<string[]> {
    const names: string[] = [];
    for (const runner of this.runners.values()) if ((await this.health(runner)).stalled) names.push(runner.projection.name);
    return names;
  }

  /**
   * Lag and stall of one async projection. Stalled: it lags, and neither has its checkpoint
   * moved nor has the lag been absent for `stallAfterMs`. A runner can say `live` while stalled:
   * an open transaction anywhere on the server keeps newer events below its reader's horizon.
   */
  private async health(runner: ProjectionRunner): Promise<AsyncHealth> {
    const name = runner.projection.name;
    const cp = await checkpoints.read(this.database.db, name);
    const lag = await this.store.countAfter(cp.position, readFilter(runner.projection.handles));
    const now = Date.now();
    if (lag === 0) this.laggingSince.delete(name);
    else if (!this.laggingSince.has(name)) this.laggingSince.set(name, now);
    const since = Math.max(this.laggingSince.get(name) ?? now, runner.lastProgressAt);
    const stalled = lag > 0 && runner.state !== 'stopped' && now - since >= this.stallAfterMs;
    return { position: cp.position, eventsApplied: cp.eventsApplied, updatedAt: cp.updatedAt, lag, stalled };
  }
}
