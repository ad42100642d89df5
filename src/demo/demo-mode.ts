import type { Db } from '../application/db';
import type { Logger } from 'pino';
import type { Role } from '../application/actor';
import type { EventStore } from '../application/event-store';
import { countyDate, type Clock } from '../application/clock';
import type { Service } from '../composition-root';
import { DemoNotLoadedError, DemoTokensUnavailableError, type DemoLoadState, type DemoPort, type DemoStatus, type DemoUserView } from '../http/demo-port';
import type { DemoScale } from './context';
import { demoLoadRecords } from './demo-load-record';
import { chapterMarkers } from './markers';
import { DEFAULT_DEMO_SEED, DEMO_COUNTY_CODE } from './seed-constants';
import { demoTokenLifetimeMs, findDemoUsers, withTokens } from './demo-users';

/** What the county's generator does for `DEMO=1 npm start` (src/demo/seed.ts `runDemoSeed`). */
export type DemoSeedRunner = (
  service: Service,
  options: { scale: DemoScale; seed?: string; onProgress?: (p: { chapter: string; done: number; total: number }) => void },
) => Promise<unknown>;

export type { DemoStatus };

/** Told of every progress step and change of state (the start banner). */
export type DemoProgressListener = (status: DemoStatus) => void;

/** Thrown from the progress callback to end a load when the service stops. */
class DemoLoadStopped extends Error {
  constructor() {
    super('the service is stopping');
    this.name = 'DemoLoadStopped';
  }
}

export interface DemoModeOptions {
  db: Db;
  /** Where the generator's chapter markers are read (a county `npm run seed:demo` loaded). */
  store: EventStore;
  /** The county's clock, and how far it is from the real one. */
  clock: Clock;
  clockOffsetMs: number;
  /** The real clock: tokens are issued and checked on it, not on the county's. */
  realClock: Clock;
  logger: Logger;
  scale: DemoScale;
  seed: string | undefined;
  demoDate: string;
  runner: DemoSeedRunner;
  mint: (claims: { sub: string; role: Role }, lifetimeMs: number) => string | null;
  maxTokenLifetimeSeconds: number;
}

/**
 * `DEMO=1`: the county's clock, the background load of the demo county on an empty database,
 * its progress for /ready and the start banner, and the demo users.
 *
 * "Already loaded" is the demo_county_loads row in the database itself (not a file beside it),
 * so it travels with backups and a PostgreSQL database reused by another data dir: `loaded`
 * means done; `loading` means a load was cut short and is resumed (the generator's commands
 * carry deterministic ids and finished chapters leave markers, so a re-run appends nothing it
 * already appended). Without a row, the generator's chapter markers mean `npm run seed:demo`
 * loaded it: it is completed and adopted. Towns with neither are someone's real data: nothing
 * is loaded into them.
 */
export class DemoMode implements DemoPort {
  private state: DemoLoadState = 'waiting';
  private scale: string;
  private seedKey: string;
  private chapter: string | null = null;
  private done = 0;
  private total = 0;
  private loadedAt: string | undefined;
  private error: string | undefined;
  private running: Promise<void> | null = null;
  private stopping = false;
  private readonly listeners: DemoProgressListener[] = [];

  constructor(private readonly options: DemoModeOptions) {
    this.scale = options.scale;
    this.seedKey = options.seed ?? DEFAULT_DEMO_SEED;
  }

  status(): DemoStatus {
    const now = this.options.clock.now();
    return {
      date: now.toISOString(),
      countyDay: countyDate(now),
      clockOffsetMs: this.options.clockOffsetMs,
      load: {
        state: this.state,
        scale: this.scale,
        seed: this.seedKey,
        chapter: this.chapter,
        done: this.done,
        total: this.total,
        ...(this.loadedAt ? { loadedAt: this.loadedAt } : {}),
        ...(this.error ? { error: this.error } : {}),
      },
    };
  }

  get ready(): boolean {
    return this.state === 'loaded';
  }

  /** Called on every progress step and on each change of state (the start banner). */
  onProgress(listener: DemoProgressListener): void {
    this.listeners.push(listener);
  }

  /** Starts the load in the background; the returned promise settles when it ends (it never rejects). */
  start(service: Service): Promise<void> {
    this.running ??= this.load(service);
    return this.running;
  }

  /** Ends a load in progress at its next step and waits for it. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
  }

  /** The demo users with tokens valid for 12 h (real time). */
  async users(): Promise<DemoUserView[]> {
    if (this.state !== 'loaded') throw new DemoNotLoadedError(this.state);
    const users = await findDemoUsers(this.options.db, this.options.demoDate);
    const tokens = withTokens(users, this.options.mint, demoTokenLifetimeMs(this.options.maxTokenLifetimeSeconds), this.options.realClock.now());
    if (!tokens) throw new DemoTokensUnavailableError();
    return tokens;
  }

  private async load(service: Service): Promise<void> {
    const { db, logger } = this.options;
    const started = this.options.realClock.now();
    try {
      const record = await demoLoadRecords.find(db);
      if (!record) {
        const seeded = await this.scaleLoadedByGenerator();
        if (seeded) {
          // `npm run seed:demo` wrote it (its chapters leave markers): finish and adopt it.
          if (seeded !== this.scale)
            logger.warn(
              { scale: seeded, configured: this.scale },
              'this database holds a demo county of another scale (npm run seed:demo); DEMO_SCALE is ignored',
            );
          this.scale = seeded;
        } else if (await demoLoadRecords.holdsOtherData(db)) {
          logger.error('the database holds data that is not the demo county; nothing loaded');
          return this.failed('数据库中已有不是演示县的数据，演示县不会载入 / the database holds data that is not the demo county: nothing was loaded');
        }
      } else if (record.scale !== this.scale || record.seed !== this.seedKey) {
        // One county per database: another scale or seed on top would mix two counties.
        logger.warn(
          { loaded: { scale: record.scale, seed: record.seed } },
          'this database holds another demo county; DEMO_SCALE and DEMO_SEED are ignored (use an empty data dir to load another)',
        );
        this.scale = record.scale;
        this.seedKey = record.seed;
      }
      if (record?.state === 'loaded') {
        logger.info({ scale: record.scale, seed: record.seed, loadedAt: record.loadedAt }, 'demo county already loaded; not loading again');
        return this.finished(record.loadedAt ?? undefined);
      }
      await demoLoadRecords.begin(db, this.scale, this.seedKey, started);
      this.state = 'loading';
      this.emit();
      logger.info({ scale: this.scale, seed: this.seedKey, resumed: Boolean(record) }, 'loading the demo county');
      const summary = await this.options.runner(service, {
        scale: this.scale as DemoScale,
        seed: this.seedKey,
        onProgress: (p) => {
          if (this.stopping) throw new DemoLoadStopped();
          this.chapter = p.chapter;
          this.done = p.done;
          this.total = p.total;
          this.emit();
        },
      });
      const loadedAt = this.options.realClock.now();
      await demoLoadRecords.finish(db, this.scale, this.seedKey, loadedAt, summary);
      logger.info({ scale: this.scale, seed: this.seedKey, ms: loadedAt.getTime() - started.getTime(), summary }, 'demo county loaded');
      this.finished(loadedAt.toISOString());
    } catch (error) {
      if (error instanceof DemoLoadStopped || this.stopping) {
        logger.info({ chapter: this.chapter }, 'demo county load stopped with the service; the next start resumes it');
        return this.failed('服务停止，载入中断 / stopped with the service');
      }
      // The log gets the error; /ready (public) only says where it failed.
      logger.error({ err: error, chapter: this.chapter }, 'demo county load failed; the service keeps serving');
      this.failed(
        `演示县载入失败（${this.chapter ?? '开始前'}），详见服务日志 / the demo county load failed${this.chapter ? ` in chapter ${this.chapter}` : ''}: see the service log`,
      );
    }
  }

  /** The scale whose chapters `npm run seed:demo` marked done for this seed, if any (configured scale first). */
  private async scaleLoadedByGenerator(): Promise<DemoScale | null> {
    for (const scale of new Set<DemoScale>([this.scale as DemoScale, 'tiny', 'sample', 'county'])) {
      const markers = await chapterMarkers(this.options.store, { seed: this.seedKey, scale, countyCode: DEMO_COUNTY_CODE });
      if (markers.size > 0) return scale;
    }
    return null;
  }

  private finished(loadedAt: string | undefined): void {
    this.state = 'loaded';
    if (loadedAt) this.loadedAt = loadedAt;
    this.emit();
  }

  private failed(reason: string): void {
    this.state = 'failed';
    this.error = reason;
    this.emit();
  }

  private emit(): void {
    const status = this.status();
    for (const listener of this.listeners) {
      try {
        listener(status);
      } catch (error) {
        this.options.logger.warn({ err: error }, 'a demo progress listener failed');
      }
    }
  }
}
