import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { EventStore } from '../application/event-store';
import { checkpoints } from '../storage/checkpoint-store';
import type { Db } from '../storage/database';
import { readFilter, type Projection, type ProjectionState } from './projection';

export interface RunnerOptions {
  batchSize: number;
  pollIntervalMs: number;
  maxBackoffMs: number;
  /**
   * A failure that is the database's connection, not the handler (a failover, a restart, a
   * terminated session): tried again at the next wake or poll, without the handler's backoff.
   */
  isConnectionLost?: (error: unknown) => boolean;
}

/** Raised inside a batch when another runner moved the checkpoint first: drop the batch, reload. */
class CheckpointMoved extends Error {}

/**
 * Drives one async projection: catch-up in batches, then live (woken by NOTIFY, with polling as
 * a safety net). A failing handler rolls its batch back, backs off and retries; it never stops
 * the other runners.
 */
export class ProjectionRunner {
  state: ProjectionState = 'starting';
  lastError: { message: string; at: string; attempts: number } | null = null;
  /** When the checkpoint last moved (or the runner started): a lag that outlives it is a stall. */
  lastProgressAt = Date.now();
  private failures = 0;
  /** Batches in a row that lost their database connection (tried again without backoff). */
  private lostConnections = 0;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  private wakeRequested = false;
  private rebuilding = false;
  private retryAt = 0;
  /** Called when a rebuild's replay has reached the end of the log (fresh statistics then). */
  onRebuilt: (() => void) | null = null;

  constructor(
    readonly projection: Projection,
    private readonly db: Db,
    private readonly store: EventStore,
    private readonly logger: Logger,
    private readonly options: RunnerOptions,
  ) {}

  async start(): Promise<void> {
    await checkpoints.ensure(this.db, this.projection.name);
    this.stopped = false;
    this.lastProgressAt = Date.now();
    this.wake();
  }

  /** Ask for a run now (new events were notified). Coalesces with a run in progress. */
  wake(): void {
    if (this.stopped) return;
    // A failing projection waits out its backoff; new events must not make it retry sooner.
    if (this.failures > 0 && this.timer && Date.now() < this.retryAt) return;
    if (this.running) {
      this.wakeRequested = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.running = this.loop().finally(() => {
      this.running = null;
      if (this.stopped) return;
      if (this.wakeRequested) {
        this.wakeRequested = false;
        this.wake();
      } else this.schedule();
    });
  }

  /** Stop after the batch in progress: its transaction completes, nothing is cut in half. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
    this.state = 'stopped';
  }

  /** Process batches until caught up. Returns the number of events applied. */
  async catchUp(): Promise<number> {
    await checkpoints.ensure(this.db, this.projection.name);
    let total = 0;
    for (;;) {
      const applied = await this.processBatch();
      if (applied === null) return total;
      total += applied;
    }
  }

  /** Empty the read model and its checkpoint in one transaction; the runner then replays. */
  async rebuild(): Promise<void> {
    this.rebuilding = true;
    this.state = 'rebuilding';
    await this.db.transaction().execute(async (trx) => {
      await checkpoints.read(trx, this.projection.name, true);
      for (const table of this.projection.tables) await sql`delete from ${sql.table(table)}`.execute(trx);
      await checkpoints.reset(trx, this.projection.name);
    });
    this.failures = 0;
    this.lastError = null;
    this.retryAt = 0;
    this.lastProgressAt = Date.now();
    this.wake();
  }

  private schedule(): void {
    const delay = this.failures > 0 ? Math.min(this.options.maxBackoffMs, 200 * 2 ** (this.failures - 1)) : this.options.pollIntervalMs;
    this.retryAt = Date.now() + delay;
    this.timer = setTimeout(() => {
      // Its own time has come: not a wake to hold back until then. Timers run on the monotonic
      // clock, Date.now() on the wall clock, which can still read before retryAt here (rounding,
      // or a step back by NTP): held back, the runner had no timer left and never ran again.
      this.timer = null;
      this.wake();
    }, delay);
    this.timer.unref?.();
  }

  private async loop(): Promise<void> {
    try {
      while (!this.stopped) {
        const applied = await this.processBatch();
        // A short batch read up to the safe head: stop there. Appends since then notify, and a
        // notification during the batch runs the loop again at once (wakeRequested); asking
        // again now would, under a steady stream of appends (a bulk load on PGlite), apply
        // batches of one or two events each with its own transaction and checkpoint.
        if (applied === null || applied < this.options.batchSize) break;
      }
      this.failures = 0;
      this.lostConnections = 0;
      this.lastError = null;
      if (!this.stopped) {
        this.state = 'live';
        if (this.rebuilding) this.onRebuilt?.();
        this.rebuilding = false;
      }
    } catch (error) {
      this.state = 'failed';
      const message = error instanceof Error ? error.message : String(error);
      if (this.options.isConnectionLost?.(error)) {
        // The pool reconnects by itself: the batch is tried again at the next notification or
        // poll. Backing off as for a failing handler left a projection up to maxBackoffMs behind
        // after an outage of seconds (terminations in a row doubled the wait each time).
        this.lostConnections++;
        this.lastError = { message, at: new Date().toISOString(), attempts: this.lostConnections };
        if (this.lostConnections === 1) this.logger.warn({ projection: this.projection.name }, 'projection batch lost its database connection; trying again');
        return;
      }
      this.lostConnections = 0;
      this.failures++;
      this.lastError = { message, at: new Date().toISOString(), attempts: this.failures };
      this.logger.error({ err: error, projection: this.projection.name, attempts: this.failures }, 'projection batch failed; backing off');
    }
  }

  /** One batch in one transaction. `null` when there was nothing to do. */
  private async processBatch(): Promise<number | null> {
    const from = (await checkpoints.read(this.db, this.projection.name)).position;
    const page = await this.store.readAll(from, this.options.batchSize, readFilter(this.projection.handles));
    if (page.events.length === 0 && page.next === from) return null;
    if (this.state !== 'failed') this.state = this.rebuilding ? 'rebuilding' : 'catching_up';
    try {
      await this.db.transaction().execute(async (trx) => {
        const current = await checkpoints.read(trx, this.projection.name, true);
        if (current.position !== from) throw new CheckpointMoved();
        if (page.events.length > 0) await this.projection.apply(trx, page.events);
        await checkpoints.advance(trx, this.projection.name, page.next, page.events.length);
      });
    } catch (error) {
      if (error instanceof CheckpointMoved) return 0;
      throw error;
    }
    this.lastProgressAt = Date.now();
    return page.events.length;
  }
}
