import type { Logger } from 'pino';
import type { Clock } from '../application/clock';
import type { CommandHandler } from '../application/command-handler';
import type { Config } from '../config';
import type { DemoPort } from './demo-port';
import type { ServiceMetrics } from '../observability/metrics';
import type { Tracing } from '../observability/tracing';
import type { ProjectionEngine } from '../projections/engine';
import type { SqlDatabase } from '../storage/sql-database';
import type { SqlEventStore } from '../storage/sql-event-store';

/** What routes need, handed to them by the composition root (routes never see the container). */
export interface AppDeps {
  config: Config;
  logger: Logger;
  clock: Clock;
  database: SqlDatabase;
  store: SqlEventStore;
  commands: CommandHandler;
  projections: ProjectionEngine;
  /** Prometheus metrics (GET /metrics); absent in apps built without them. */
  metrics?: ServiceMetrics;
  /** OpenTelemetry request tracing, when OTEL_TRACING is on. */
  tracing?: Tracing;
  /** DEMO=1 only: the county's clock and the demo county's load, for /ready and the demo users. */
  demo?: DemoPort;
}
