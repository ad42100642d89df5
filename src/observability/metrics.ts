import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CommandObserver } from '../application/command-handler';
import type { EventStore } from '../application/event-store';
import type { ProjectionProgress as ProjectionStatus } from '../projections/engine';
import type { PoolStats } from '../storage/sql-database';

/**
 * The service's Prometheus metrics, in a registry of its own (not prom-client's global one):
 * two services in one process (tests) do not collide, and nothing else leaks into /metrics.
 * Labels never carry personal data: routes are templates (`/api/v1/households/:id`), never URLs.
 */
export interface ServiceMetrics {
  readonly registry: Registry;
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly appendDuration: Histogram<'outcome'>;
  readonly appendBatchSize: Histogram;
  readonly commandConflicts: Counter;
  readonly commandRetries: Counter<'reason'>;
  readonly dbConnectionErrors: Counter;
  readonly commandObserver: CommandObserver;
  /** Pool gauges read at scrape time. */
  observePool(stats: () => PoolStats | undefined): void;
  /** Projection gauges read at scrape time (one status query per scrape). */
  observeProjections(status: () => Promise<ProjectionStatus[]>): void;
}

export function createServiceMetrics(options: { prefix?: string; defaultMetrics?: boolean } = {}): ServiceMetrics {
  const registry = new Registry();
  const p = options.prefix ?? 'sws_';
  // Process metrics, among them event-loop delay (nodejs_eventloop_lag_*, from monitorEventLoopDelay).
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });

  const httpRequests = new Counter({
    name: `${p}http_requests_total`,
    help: 'HTTP requests answered, by route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: `${p}http_request_duration_seconds`,
    help: 'HTTP request latency, by route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const appendDuration = new Histogram({
    name: `${p}eventstore_append_duration_seconds`,
    help: 'Event store append latency (outcome ok, conflict or error)',
    labelNames: ['outcome'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const appendBatchSize = new Histogram({
    name: `${p}eventstore_append_batch_size`,
    help: 'Events per append',
    buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000],
    registers: [registry],
  });
  const commandConflicts = new Counter({
    name: `${p}command_conflicts_total`,
    help: 'Appends that lost to a concurrent writer (wrong expected version)',
    registers: [registry],
  });
  const commandRetries = new Counter({
    name: `${p}command_retries_total`,
    help: 'Commands run again: after a conflict, or after a lost database connection',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const dbConnectionErrors = new Counter({
    name: `${p}db_connection_errors_total`,
    help: 'PostgreSQL connections that failed or were terminated',
    registers: [registry],
  });

  let poolStats: () => PoolStats | undefined = () => undefined;
  const poolGauge = (name: string, help: string, pick: (s: PoolStats) => number) =>
    new Gauge({
      name: `${p}db_pool_${name}`,
      help,
      registers: [registry],
      collect() {
        const stats = poolStats();
        if (stats) this.set(pick(stats));
      },
    });
  poolGauge('connections', 'Open connections in the PostgreSQL pool', (s) => s.total);
  poolGauge('idle', 'Idle connections in the PostgreSQL pool', (s) => s.idle);
  poolGauge('waiting', 'Requests waiting for a pooled connection', (s) => s.waiting);
  poolGauge('max', 'Pool size limit (DB_POOL_SIZE)', (s) => s.max);

  // One status read per scrape, shared by the projection gauges (prom-client collects them in turn).
  let projectionStatus: () => Promise<ProjectionStatus[]> = async () => [];
  let pending: Promise<ProjectionStatus[]> | null = null;
  const statusOnce = () => {
    pending ??= projectionStatus()
      .catch(() => [] as ProjectionStatus[])
      .finally(() => setImmediate(() => (pending = null)));
    return pending;
  };
  const projectionGauge = (name: string, help: string, pick: (s: ProjectionStatus) => number | null) =>
    new Gauge({
      name: `${p}projection_${name}`,
      help,
      labelNames: ['projection', 'mode'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        for (const s of await statusOnce()) {
          const value = pick(s);
          if (value !== null) this.set({ projection: s.name, mode: s.mode }, value);
        }
      },
    });
  projectionGauge('lag_events', 'Events a projection has not applied yet', (s) => s.lag);
  projectionGauge('last_progress_timestamp_seconds', 'When the projection last moved its checkpoint (unix seconds)', (s) => {
    const at = s.lastProgressAt ?? s.updatedAt;
    return at ? Date.parse(at) / 1000 : null;
  });
  projectionGauge('stalled', '1 while a projection lags and makes no progress (see GET /api/v1/projections)', (s) => (s.stalled ? 1 : 0));
  projectionGauge('failing', '1 while a projection is backing off after a failed batch', (s) => (s.state === 'failed' ? 1 : 0));

  return {
    registry,
    httpRequests,
    httpDuration,
    appendDuration,
    appendBatchSize,
    commandConflicts,
    commandRetries,
    dbConnectionErrors,
    commandObserver: {
      conflict: () => commandConflicts.inc(),
      retry: (reason) => commandRetries.inc({ reason }),
    },
    observePool(stats) {
      poolStats = stats;
    },
    observeProjections(status) {
      projectionStatus = status;
    },
  };
}

/**
 * The store as the command handler sees it, with append latency and batch size measured.
 * A Proxy rather than a class: methods the port gains later pass through untouched.
 */
export function meteredEventStore<S extends EventStore>(store: S, metrics: ServiceMetrics): S {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      if (property !== 'append') return (value as (...args: unknown[]) => unknown).bind(target);
      return async (...args: Parameters<EventStore['append']>) => {
        const stop = metrics.appendDuration.startTimer();
        try {
          const result = await (value as EventStore['append']).apply(target, args);
          stop({ outcome: 'ok' });
          metrics.appendBatchSize.observe(args[1].length);
          return result;
        } catch (error) {
          stop({ outcome: (error as Error)?.name === 'WrongExpectedVersionError' ? 'conflict' : 'error' });
          throw error;
        }
      };
    },
  });
}
