import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { SqlDatabase } from './sql-database';

export interface PlannerStatisticsOptions {
  /** A bulk write re-ANALYZEs once the log has grown by this fraction since the last run (default 0.1). */
  growthFraction?: number;
  /** …and never more often than this (default 60 s): a throttled run happens at the interval's end. */
  minIntervalMs?: number;
}

/**
 * Keeps the planner's statistics fresh after bulk writes. PGlite has no autovacuum, and on
 * PostgreSQL autovacuum lags a load by minutes: until an ANALYZE the planner sees the read models
 * as nearly empty and picks plans that cost seconds (issue 20: `/households?limit=50` went from
 * 38 to 351 req/s after one). Runs in the background, one at a time; errors are logged, never thrown.
 */
export class PlannerStatistics {
  private readonly growthFraction: number;
  private readonly minIntervalMs: number;
  /** The log's last position and the time at the last database-wide ANALYZE of this process. */
  private last: { position: bigint; at: number } | null = null;
  private running: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** How many ANALYZE statements ran (for tests and logs). */
  runs = 0;

  constructor(
    private readonly database: SqlDatabase,
    private readonly logger: Logger,
    options: PlannerStatisticsOptions = {},
  ) {
    this.growthFraction = options.growthFraction ?? 0.1;
    this.minIntervalMs = options.minIntervalMs ?? 60_000;
  }

  /**
   * After an import: ANALYZE the database if this process never did, or once the log has grown
   * by `growthFraction` since the last run, at most once per `minIntervalMs`. Small imports in a
   * row therefore cost one position read each, not an ANALYZE each.
   */
  afterBulkWrite(): void {
    this.enqueue(async () => {
      const position = await this.logPosition();
      if (this.last) {
        const grown = position - this.last.position;
        if (grown <= 0n || Number(grown) < this.growthFraction * Number(this.last.position)) return;
        const wait = this.last.at + this.minIntervalMs - Date.now();
        if (wait > 0) return this.later(wait);
      }
      await this.analyze();
      this.last = { position, at: Date.now() };
    });
  }

  /** After a rebuild rewrote these tables: ANALYZE just them, in the background. */
  afterRewrite(tables: readonly string[]): void {
    this.enqueue(() => this.analyze(tables));
  }

  /** Runs now and waits (CLIs, which stop right after); still logs rather than throws. */
  async analyzeNow(tables?: readonly string[]): Promise<void> {
    this.enqueue(() => this.analyze(tables));
    await this.settled();
  }

  /** Resolves once every requested run has finished. */
  settled(): Promise<void> {
    return this.running;
  }

  /** No new runs; waits for the one in flight (before the database closes). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private enqueue(work: () => Promise<void>): void {
    if (this.stopped) return;
    this.running = this.running.then(async () => {
      if (this.stopped) return;
      try {
        await work();
      } catch (error) {
        this.logger.warn({ err: error }, 'ANALYZE after a bulk write failed; the planner keeps its old statistics');
      }
    });
  }

  private later(ms: number): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.afterBulkWrite();
    }, ms);
    this.timer.unref();
  }

  /**
   * One table per statement, yielding between them: on PGlite the database runs on this thread,
   * and a database-wide ANALYZE would hold the event loop for the whole of it.
   */
  private async analyze(tables?: readonly string[]): Promise<void> {
    const started = Date.now();
    const names = tables && tables.length > 0 ? tables : await this.schemaTables();
    for (const table of names) {
      if (this.stopped) return;
      await sql`analyze ${sql.table(table)}`.execute(this.database.db);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    this.runs++;
    this.logger.info({ tables: tables ?? `all ${names.length}`, ms: Date.now() - started }, 'planner statistics refreshed');
  }

  private async schemaTables(): Promise<string[]> {
    const { rows } = await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = current_schema() order by tablename`.execute(
      this.database.db,
    );
    return rows.map((r) => r.name);
  }

  private async logPosition(): Promise<bigint> {
    const { rows } = await sql<{ p: string }>`select coalesce(max(global_position), 0)::text as p from es_events`.execute(this.database.db);
    return BigInt(rows[0]!.p);
  }
}
