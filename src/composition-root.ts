import 'reflect-metadata';
import { instanceCachingFactory, container as rootContainer, type DependencyContainer } from 'tsyringe';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { OffsetClock, systemClock, type Clock } from './application/clock';
import { CommandHandler } from './application/command-handler';
import { GeographyService } from './application/geography/geography.service';
import { ReadModelJurisdictionResolver } from './application/jurisdiction-resolver';
import { CoverageService } from './application/coverage/coverage.service';
import { StationsService } from './application/stations/stations.service';
import { WorkforceService } from './application/workforce/workforce.service';
import { HouseholdsService } from './application/households/households.service';
import { VisitsService } from './application/visits/visits.service';
import { VISIT_LOOKUPS_STATEMENT } from './projections/visits/visit-lookups.queries';
import { AuditService } from './application/assistance/audit.service';
import { CasesService } from './application/assistance/cases.service';
import { PolicyRegistryService } from './application/assistance/policy-registry.service';
import { createCommunityService } from './application/community/community.module';
import { createPerformanceService, seedDefaultScoringPolicy } from './application/performance/performance.module';
import { SheetWarmer } from './application/performance/sheet-warmer';
import { createDetectionServices, type DetectionServices } from './application/detection/detection.module';
import { tasksOnTimeSource } from './application/detection/tasks-metric-source';
import { ReportsService } from './application/reports/reports.service';
import { ReserveFundsService } from './application/assistance/reserve-funds.service';
import { SYSTEM_ACTOR } from './application/actor';
import { deterministicUuid } from './application/ids';
import { visitsThisMonthFacet } from './projections/visits/visits-coverage.facet';
import { UpcasterRegistry } from './application/upcasters';
import { AccessLog } from './application/privacy/access-log';
import { loadPersonIndexKey, PersonIndex } from './application/privacy/person-index';
import { Privacy } from './application/privacy/privacy';
import type { Config } from './config';
import { buildApp, type Services } from './http/app';
import type { AppDeps } from './http/route-deps';
import { createLogger } from './logger';
import { createServiceMetrics, meteredEventStore, type ServiceMetrics } from './observability/metrics';
import { startTracing, type Tracing } from './observability/tracing';
import { ProjectionEngine } from './projections/engine';
import type { Projection } from './projections/projection';
import { isConnectionLost } from './storage/connection-faults';
import { allProjections } from './projections/registry';
import { migrateToLatest } from './storage/migrate';
import { openPGlite } from './storage/pglite-database';
import { openPostgres } from './storage/postgres-database';
import type { SqlDatabase } from './storage/sql-database';
import { BULK_LOAD_NOTIFY_AFTER_MS, SqlEventStore } from './storage/sql-event-store';
import { SqlSnapshotStore } from './storage/snapshot-store';
import { createAssistanceLaw } from './application/assistance/assistance-law.module';
import { LegacyRollImportService } from './application/assistance/legacy-roll/legacy-roll-import.service';
import { loadMacKey } from './storage/event-mac';
import { LedgerSealer } from './application/ledger/ledger-sealer';
import { LedgerService } from './application/ledger/ledger.service';
import { loadLedgerKey } from './application/ledger/signing-key';
import { ledgerSealerProjection } from './projections/ledger/ledger-sealer.projection';
import { ledgerStore } from './storage/ledger-store';
import { createAuditRuns } from './application/ledger/audit-runners';
import { demoClock } from './demo/demo-clock';
import { DemoMode, type DemoSeedRunner } from './demo/demo-mode';
import { runDemoSeed } from './demo/seed';
import { demoLoadInDatabaseThread } from './demo/demo-load-thread';
import { mintLocalToken } from './cli/mint-token';

/** A factory run once per container: every service and the command handler exist once. */
/** The demo mode's service loads its county in bulk while it serves: its projections catch up in batches. */
const notifyAfter = (config: Config) => {
  const ms = config.EVENTS_NOTIFY_AFTER_MS ?? (config.DEMO ? BULK_LOAD_NOTIFY_AFTER_MS : undefined);
  return ms === undefined ? {} : { notifyAfterMs: ms };
};

const once = <T>(factory: (c: DependencyContainer) => T) => instanceCachingFactory<T>(factory);

/** Tokens: the only names by which anything is registered in or resolved from the container. */
export const TOKENS = {
  config: Symbol('config'),
  logger: Symbol('logger'),
  clock: Symbol('clock'),
  database: Symbol('database'),
  store: Symbol('store'),
  commands: Symbol('commands'),
  projections: Symbol('projections'),
  jurisdictions: Symbol('jurisdictions'),
  geography: Symbol('geography'),
  workforce: Symbol('workforce'),
  stations: Symbol('stations'),
  coverage: Symbol('coverage'),
  households: Symbol('households'),
  visits: Symbol('visits'),
  policyRegistry: Symbol('policyRegistry'),
  cases: Symbol('cases'),
  audit: Symbol('audit'),
  community: Symbol('community'),
  performance: Symbol('performance'),
  detection: Symbol('detection'),
  persons: Symbol('persons'),
  privacy: Symbol('privacy'),
  ledger: Symbol('ledger'),
  reports: Symbol('reports'),
  reserveFunds: Symbol('reserveFunds'),
} as const;

export interface Overrides {
  clock?: Clock;
  logger?: Logger;
  /** An already opened (and owned by the caller) database, e.g. a test schema. */
  database?: SqlDatabase;
  projectionOptions?: ConstructorParameters<typeof ProjectionEngine>[4];
  /** Projections run besides the service's own (tests of async projections). */
  extraProjections?: Projection[];
  metrics?: ServiceMetrics;
  tracing?: Tracing;
  /** The real clock the demo county's clock is set against (DEMO=1); `clock` replaces both. */
  realClock?: Clock;
  /** What loads the demo county under DEMO=1 (tests: a stub or a slow one); default the generator. */
  demoRunner?: DemoSeedRunner;
}

export interface Service {
  app: FastifyInstance;
  deps: AppDeps;
  /** The ledger (heads, proofs, verification); tests and operations sign a head with sealHeadNow(). */
  ledger: LedgerService;
  /** The application services, for in-process callers such as the demo-county generator. */
  services: Services;
  /**
   * DEMO=1: the county's clock, the demo users and the load of the demo county, which the caller
   * starts once it listens (`demo.start(service)`, in the background); null otherwise.
   */
  demo: DemoMode | null;
  start(): Promise<void>;
  /** Graceful: stop accepting, finish in-flight requests, flush projections, close pools. */
  stop(): Promise<void>;
}

export async function openDatabase(config: Config, logger: Logger, metrics?: ServiceMetrics): Promise<SqlDatabase> {
  if (config.DATABASE_URL) {
    return openPostgres({
      connectionString: config.DATABASE_URL,
      poolSize: config.DB_POOL_SIZE,
      preparedStatements: config.DB_PREPARED_STATEMENTS,
      logger,
      applicationName: config.DB_APPLICATION_NAME,
      idleInTransactionTimeoutMs: config.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
      connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS,
      onConnectionError: () => metrics?.dbConnectionErrors.inc(),
    });
  }
  return openPGlite({ dataDir: `${config.DATA_DIR.replace(/\/$/, '')}/pglite` });
}

/**
 * The one composition root: everything is wired here, and nothing else touches the container.
 */
export async function compose(config: Config, overrides: Overrides = {}): Promise<Service> {
  const container: DependencyContainer = rootContainer.createChildContainer();
  const logger = overrides.logger ?? createLogger(config.LOG_LEVEL);
  const metrics = overrides.metrics ?? createServiceMetrics();
  const tracing = overrides.tracing ?? (config.OTEL_TRACING ? await startTracing() : undefined);
  const database = overrides.database ?? (await openDatabase(config, logger, metrics));
  const ownsDatabase = !overrides.database;
  await migrateToLatest(database);

  const realClock = overrides.realClock ?? systemClock;
  const clock = overrides.clock ?? (config.DEMO ? demoClock(realClock, config.DEMO_DATE, await lastSignedInstant(database)) : realClock);
  // The ledger's signing key never goes into the database (env PEM, or a key file under DATA_DIR).
  const ledgerKey = loadLedgerKey(config);
  logger.info(
    { keyId: ledgerKey.keyId, source: ledgerKey.source },
    ledgerKey.source === 'generated' ? 'ledger signing key generated under DATA_DIR: back it up' : 'ledger signing key loaded',
  );
  const ledgerSealer = new LedgerSealer(ledgerKey, clock, { everyEvents: config.LEDGER_HEAD_EVERY_EVENTS, everySeconds: config.LEDGER_HEAD_EVERY_SECONDS });
  const projections = [...allProjections(), ledgerSealerProjection(ledgerSealer), ...(overrides.extraProjections ?? [])];
  container.register(TOKENS.config, { useValue: config });
  container.register(TOKENS.logger, { useValue: logger });
  container.register(TOKENS.clock, { useValue: clock });
  container.register(TOKENS.database, { useValue: database });
  container.register(TOKENS.store, {
    useValue: new SqlEventStore(database, {
      upcasters: new UpcasterRegistry(),
      inlineProjections: projections.filter((p) => p.mode === 'inline'),
      notify: projections.some((p) => p.mode === 'async'),
      ...notifyAfter(config),
      macKey: loadMacKey(config).key,
    }),
  });
  container.register(TOKENS.commands, {
    useFactory: once(
      (c) =>
        new CommandHandler(meteredEventStore(c.resolve(TOKENS.store), metrics), {
          isConnectionLost,
          observer: metrics.commandObserver,
          snapshots: new SqlSnapshotStore(database.db),
        }),
    ),
  });
  container.register(TOKENS.projections, {
    useValue: new ProjectionEngine(database, container.resolve(TOKENS.store), projections, logger.child({ component: 'projections' }), {
      pollIntervalMs: config.PROJECTION_POLL_MS,
      stallAfterMs: config.PROJECTION_STALL_AFTER_MS,
      isConnectionLost,
      ...overrides.projectionOptions,
    }),
  });
  // The hottest read, prepared once per connection on PostgreSQL (a visit sends it before its append).
  database.nameStatement?.(VISIT_LOOKUPS_STATEMENT.name, VISIT_LOOKUPS_STATEMENT.text);
  container.register(TOKENS.jurisdictions, { useValue: new ReadModelJurisdictionResolver(database.db) });
  container.register(TOKENS.persons, {
    useValue: new PersonIndex(database.db, loadPersonIndexKey({ configured: config.PERSON_INDEX_KEY, dataDir: config.DATA_DIR })),
  });
  container.register(TOKENS.privacy, { useValue: new Privacy(new AccessLog(database.db)) });
  container.register(TOKENS.geography, {
    useFactory: once((c) => new GeographyService(c.resolve(TOKENS.commands), database.db, c.resolve(TOKENS.jurisdictions))),
  });

  container.register(TOKENS.workforce, {
    useFactory: once((c) => new WorkforceService(c.resolve(TOKENS.commands), c.resolve(TOKENS.store), database.db, c.resolve(TOKENS.jurisdictions))),
  });
  container.register(TOKENS.stations, {
    useFactory: once((c) => new StationsService(c.resolve(TOKENS.commands), database.db, c.resolve(TOKENS.jurisdictions))),
  });
  container.register(TOKENS.coverage, { useFactory: once((c) => new CoverageService(database.db, c.resolve(TOKENS.jurisdictions), [visitsThisMonthFacet])) });
  container.register(TOKENS.households, {
    useFactory: once(
      (c) =>
        new HouseholdsService(c.resolve(TOKENS.commands), database.db, c.resolve(TOKENS.jurisdictions), c.resolve(TOKENS.persons), c.resolve(TOKENS.privacy)),
    ),
  });
  container.register(TOKENS.visits, {
    useFactory: once((c) => new VisitsService(c.resolve(TOKENS.commands), database.db, c.resolve(TOKENS.jurisdictions), c.resolve(TOKENS.privacy))),
  });

  // Issue 19: who confirms what (versioned), officials, the legacy-roll import.
  const assistanceLaw = createAssistanceLaw(container.resolve(TOKENS.commands), container.resolve(TOKENS.store), database.db);
  await assistanceLaw.procedure.seedDefault({
    actor: SYSTEM_ACTOR,
    commandId: deterministicUuid('seed:case-procedure-policy:1'),
    correlationId: 'startup',
    now: clock.now(),
  });
  container.register(TOKENS.policyRegistry, {
    useFactory: once((c) => new PolicyRegistryService(c.resolve(TOKENS.commands), database.db, config.COUNTY_CODE)),
  });
  container.register(TOKENS.cases, {
    useFactory: once(
      (c) =>
        new CasesService(
          c.resolve(TOKENS.commands),
          c.resolve(TOKENS.store),
          database.db,
          c.resolve(TOKENS.jurisdictions),
          c.resolve(TOKENS.policyRegistry),
          c.resolve(TOKENS.privacy),
          assistanceLaw.procedure,
        ),
    ),
  });
  container.register(TOKENS.audit, {
    useFactory: once((c) => new AuditService(c.resolve(TOKENS.store), database.db, c.resolve(TOKENS.jurisdictions), c.resolve(TOKENS.privacy))),
  });

  container.register(TOKENS.community, {
    useFactory: once((c) => createCommunityService(c.resolve(TOKENS.commands), c.resolve(TOKENS.store), database.db, c.resolve(TOKENS.jurisdictions))),
  });

  // The default schedule policy (policies/schedule-policy.default.json) becomes version 1 once.
  await container.resolve<VisitsService>(TOKENS.visits).seedDefaultSchedulePolicy({
    actor: SYSTEM_ACTOR,
    commandId: deterministicUuid('seed:schedule-policy:1'),
    correlationId: 'startup',
    now: clock.now(),
  });
  container.register(TOKENS.detection, {
    useFactory: once((c) =>
      createDetectionServices({
        commands: c.resolve(TOKENS.commands),
        db: database.db,
        jurisdictions: c.resolve(TOKENS.jurisdictions),
        persons: c.resolve(TOKENS.persons),
        privacy: c.resolve(TOKENS.privacy),
      }),
    ),
  });
  // policies/detection-policy.default.json becomes detection policy version 1 on first start.
  await container.resolve<DetectionServices>(TOKENS.detection).policy.seedDefault({
    actor: SYSTEM_ACTOR,
    commandId: deterministicUuid('seed:detection-policy:1'),
    correlationId: 'startup',
    now: clock.now(),
  });
  // Tasks answered within their deadline come from the detection module's read model.
  container.register(TOKENS.performance, { useFactory: once((c) => createPerformanceService(c.resolve(TOKENS.commands), database.db, [tasksOnTimeSource])) });
  await seedDefaultScoringPolicy(container.resolve(TOKENS.performance), clock);
  container.register(TOKENS.reports, { useFactory: once((c) => new ReportsService(c.resolve(TOKENS.store), database.db)) });
  container.register(TOKENS.reserveFunds, { useFactory: once((c) => new ReserveFundsService(c.resolve(TOKENS.commands), database.db, config.COUNTY_CODE)) });

  container.register(TOKENS.ledger, {
    useFactory: once(
      (c) =>
        new LedgerService(
          database.db,
          c.resolve(TOKENS.store),
          ledgerKey,
          ledgerSealer,
          clock,
          config.LEDGER_HEAD_EVERY_SECONDS,
          logger.child({ component: 'ledger' }),
        ),
    ),
  });

  const clockOffsetMs = clock instanceof OffsetClock ? clock.offsetMs : clock.now().getTime() - realClock.now().getTime();
  const demo = config.DEMO
    ? new DemoMode({
        db: database.db,
        store: container.resolve(TOKENS.store),
        clock,
        clockOffsetMs,
        realClock,
        logger: logger.child({ component: 'demo' }),
        scale: config.DEMO_SCALE,
        seed: config.DEMO_SEED,
        demoDate: config.DEMO_DATE,
        runner: withFreshStatistics(
          overrides.demoRunner ?? demoRunnerFor(database, config, clockOffsetMs),
          container.resolve<ProjectionEngine>(TOKENS.projections),
        ),
        mint: (claims, lifetimeMs) => mintLocalToken(config, claims, lifetimeMs),
        maxTokenLifetimeSeconds: config.JWT_MAX_LIFETIME_SECONDS,
      })
    : null;

  const deps: AppDeps = {
    config,
    logger,
    clock: container.resolve(TOKENS.clock),
    database,
    store: container.resolve(TOKENS.store),
    commands: container.resolve(TOKENS.commands),
    projections: container.resolve(TOKENS.projections),
    metrics,
    ...(tracing ? { tracing } : {}),
    ...(demo ? { demo } : {}),
  };
  metrics.observePool(() => database.poolStats?.());
  metrics.observeProjections(() => deps.projections.progress());
  const services: Services = {
    geography: container.resolve(TOKENS.geography),
    workforce: container.resolve(TOKENS.workforce),
    stations: container.resolve(TOKENS.stations),
    coverage: container.resolve(TOKENS.coverage),
    households: container.resolve(TOKENS.households),
    visits: container.resolve(TOKENS.visits),
    cases: container.resolve(TOKENS.cases),
    audit: container.resolve(TOKENS.audit),
    policyRegistry: container.resolve(TOKENS.policyRegistry),
    community: container.resolve(TOKENS.community),
    performance: container.resolve(TOKENS.performance),
    detection: container.resolve(TOKENS.detection),
    privacy: container.resolve(TOKENS.privacy),
    assistanceLaw: {
      ...assistanceLaw,
      cases: container.resolve(TOKENS.cases),
      legacyImport: new LegacyRollImportService(
        container.resolve(TOKENS.commands),
        container.resolve(TOKENS.store),
        database.db,
        container.resolve(TOKENS.households),
        container.resolve(TOKENS.policyRegistry),
      ),
    },
    ledger: container.resolve(TOKENS.ledger),
    auditRuns: createAuditRuns({
      db: database.db,
      store: container.resolve(TOKENS.store),
      ledger: ledgerStore,
      publicKey: ledgerKey.publicKey,
      audit: container.resolve(TOKENS.audit),
      clock,
      limit: config.AUDIT_RUNS_MAX,
      retryAfterSeconds: config.AUDIT_RUNS_RETRY_AFTER_SECONDS,
      batchSize: config.AUDIT_RUN_BATCH_SIZE,
      logger: logger.child({ component: 'audit-runs' }),
    }),
    reports: container.resolve(TOKENS.reports),
    reserveFunds: container.resolve(TOKENS.reserveFunds),
  };
  const app = await buildApp(deps, services);

  const sheetWarmer = config.PERFORMANCE_WARM ? new SheetWarmer(services.performance, clock, logger.child({ component: 'score-sheets' })) : null;
  let stopping: Promise<void> | null = null;
  const service: Service = {
    app,
    deps,
    services,
    ledger: container.resolve<LedgerService>(TOKENS.ledger),
    demo,
    async start() {
      await deps.projections.start();
      container.resolve<LedgerService>(TOKENS.ledger).start();
      sheetWarmer?.start();
    },
    stop() {
      stopping ??= (async () => {
        // The load ends at its next step while requests drain; both before the store closes.
        await Promise.all([app.close(), demo?.stop()]);
        // Audit runs in progress finish before the pool they read from closes.
        await services.auditRuns?.drain();
        await sheetWarmer?.stop();
        await container.resolve<LedgerService>(TOKENS.ledger).stop();
        await deps.projections.stop();
        if (ownsDatabase) await database.close();
        await tracing?.shutdown().catch(() => undefined);
        await container.dispose?.();
      })();
      return stopping;
    },
  };
  return service;
}

/** The generator where the database is: in PGlite's worker thread if it has one, else here (PostgreSQL, PGLITE_THREAD=main). */
function demoRunnerFor(database: SqlDatabase, config: Config, clockOffsetMs: number): DemoSeedRunner {
  return database.thread ? demoLoadInDatabaseThread(database.thread, config, clockOffsetMs) : runDemoSeed;
}

/** The demo county's load, then an ANALYZE in the background: it wrote every read model from nothing. */
function withFreshStatistics(runner: DemoSeedRunner, projections: ProjectionEngine): DemoSeedRunner {
  return async (...args) => {
    const summary = await runner(...args);
    projections.statistics.afterBulkWrite();
    return summary;
  };
}

/** The newest instant this service stamped in an earlier run (its last signed tree head), if any. */
async function lastSignedInstant(database: SqlDatabase): Promise<Date | null> {
  const head = await ledgerStore.latestHead(database.db);
  return head ? new Date(head.timestamp) : null;
}
